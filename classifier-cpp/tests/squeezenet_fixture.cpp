#include "squeezenet_fixture.hpp"

#include <memory>

#include "classifier/base64.hpp"
#include "classifier/image_fetcher.hpp"
#include "classifier/model.hpp"
#include "classifier/service_config.hpp"
#include "support/test_data.hpp"

namespace test_support {
namespace {

// Shared by every test in this binary, like the model a Lambda process keeps between invocations.
struct SharedRuntime {
  classifier::Model model;
  classifier::ImageFetcher fetcher;
};

// Loaded on first use; throws (failing the calling test) when the model cannot be loaded.
SharedRuntime& sharedRuntime() {
  static std::unique_ptr<SharedRuntime> runtime;
  if (!runtime) {
    runtime = std::make_unique<SharedRuntime>(
        SharedRuntime{classifier::Model::load(squeezeNetConfig()), classifier::ImageFetcher()});
  }
  return *runtime;
}

}  // namespace

void SqueezeNetHandlerTest::SetUp() { settings_ = defaultSettings(); }

classifier::HandlerSettings SqueezeNetHandlerTest::defaultSettings() {
  return classifier::makeHandlerSettings(classifier::ServiceConfig{},
                                         sharedRuntime().model.loadTimings());
}

classifier::HandlerResult SqueezeNetHandlerTest::handle(const std::string& event,
                                                        std::chrono::milliseconds timeLeft) {
  SharedRuntime& runtime = sharedRuntime();
  const json_log::Logger log("classifier", json_log::Level::kDebug,
                             [this](std::string_view line) { logLines_.emplace_back(line); });
  return classifier::handle(runtime.model, runtime.fetcher, settings_, event,
                            std::chrono::system_clock::now() + timeLeft, log);
}

classifier::HandlerResult SqueezeNetHandlerTest::handleImage(const std::string& imageBytes) {
  return handle(base64Event(imageBytes));
}

std::vector<nlohmann::json> SqueezeNetHandlerTest::logLines() const {
  std::vector<nlohmann::json> parsed;
  for (const std::string& line : logLines_) parsed.push_back(nlohmann::json::parse(line));
  return parsed;
}

nlohmann::json SqueezeNetHandlerTest::classify(const std::string& event) {
  const classifier::HandlerResult result = handle(event);
  if (!result.ok()) {
    ADD_FAILURE() << classifier::errorTypeName(result.errorType()) << ": " << result.errorMessage();
    return nlohmann::json::object();
  }
  return nlohmann::json::parse(result.responseJson());
}

std::string SqueezeNetHandlerTest::base64Event(const std::string& imageBytes) {
  return nlohmann::json{{"imageBase64", classifier::encodeBase64(imageBytes)}}.dump();
}

std::string SqueezeNetHandlerTest::urlEvent(const std::string& url) {
  return nlohmann::json{{"imageUrl", url}}.dump();
}

}  // namespace test_support
