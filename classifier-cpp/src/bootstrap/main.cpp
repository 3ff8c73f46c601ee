// Lambda custom runtime entry point: configure, load the model once, then serve invocations
// until the Runtime API goes away. Everything interesting lives in the classifier library.
#include <curl/curl.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <opencv2/core.hpp>
#include <optional>
#include <string>

#include "classifier/error_mapping.hpp"
#include "classifier/handler.hpp"
#include "classifier/image_fetcher.hpp"
#include "classifier/model.hpp"
#include "classifier/service_config.hpp"
#include "classifier/stopwatch.hpp"
#include "lambda_runtime/runtime_client.hpp"

namespace {

// Consecutive Runtime API failures tolerated before giving up (as aws-lambda-cpp's run_handler).
constexpr int kMaxConsecutiveApiFailures = 3;

struct Runtime {
  classifier::Model model;
  classifier::ImageFetcher fetcher;
  classifier::HandlerSettings settings;
};

// Loads everything, or posts /runtime/init/error and returns nullopt.
std::optional<Runtime> initialise(lambda_runtime::RuntimeClient& client) {
  std::string errorType = "InvalidConfiguration";
  try {
    const classifier::ServiceConfig config =
        classifier::loadServiceConfig(classifier::processEnvironment());
    if (config.threads > 0) cv::setNumThreads(config.threads);
    errorType = "ModelLoadFailed";
    classifier::Model model = classifier::Model::load(config.model);
    const classifier::ModelLoadTimings& timings = model.loadTimings();
    classifier::HandlerSettings settings = classifier::makeHandlerSettings(config, timings);
    std::fprintf(stderr,
                 "bootstrap: model=%s input=%dx%d loadMs=%.1f warmUpMs=%.1f threads=%d "
                 "inferenceReserveMs=%lld opencv=%s\n",
                 config.model.name.c_str(), config.model.preprocess.inputWidth,
                 config.model.preprocess.inputHeight, timings.loadMs, timings.warmUpMs,
                 cv::getNumThreads(), static_cast<long long>(settings.inferenceReserve.count()),
                 CV_VERSION);
    errorType = "RuntimeInitFailed";
    return Runtime{std::move(model), classifier::ImageFetcher(), settings};
  } catch (const std::exception& e) {
    const std::string message = classifier::oneLine(e.what());  // OpenCV's span lines
    std::fprintf(stderr, "bootstrap: init failed (%s): %s\n", errorType.c_str(), message.c_str());
    try {
      client.postInitError(errorType, message);
    } catch (const std::exception& postFailure) {
      std::fprintf(stderr, "bootstrap: could not report the init error: %s\n", postFailure.what());
    }
    return std::nullopt;
  }
}

void logInvocation(const std::string& requestId, const classifier::HandlerResult& result,
                   double totalMs) {
  const std::string outcome =
      result.ok() ? "ok label=\"" + result.topLabel() + "\""
                  : "error=" + std::string(classifier::errorTypeName(result.errorType())) +
                        " message=\"" + result.errorMessage() + "\"";
  std::fprintf(stderr,
               "invocation %s: %s imageId=%s correlationId=%s source=%s downloadMs=%.1f decodeMs=%.1f inferenceMs=%.1f "
               "totalMs=%.1f\n",
               requestId.c_str(), outcome.c_str(), result.imageId.empty() ? "-" : result.imageId.c_str(),
               result.correlationId.empty() ? "-" : result.correlationId.c_str(),
               result.imageSource.empty() ? "-" : result.imageSource.c_str(),
               result.timings.downloadMs, result.timings.decodeMs, result.timings.inferenceMs,
               totalMs);
}

int serve(lambda_runtime::RuntimeClient& client, Runtime& runtime) {
  // The handler sees the model only through this capture: loaded once, reused per event.
  const auto handler = [&runtime](const std::string& event, classifier::Deadline deadline) {
    return classifier::handle(runtime.model, runtime.fetcher, runtime.settings, event, deadline);
  };
  int consecutiveFailures = 0;
  while (consecutiveFailures < kMaxConsecutiveApiFailures) {
    try {
      const lambda_runtime::Invocation invocation = client.nextInvocation();
      consecutiveFailures = 0;
      const classifier::Stopwatch total;
      const classifier::HandlerResult result = handler(invocation.payload, invocation.deadline);
      logInvocation(invocation.requestId, result, total.elapsedMs());
      if (result.ok()) {
        client.postResponse(invocation.requestId, result.responseJson());
      } else {
        client.postError(invocation.requestId, classifier::errorTypeName(result.errorType()),
                         result.errorMessage());
      }
    } catch (const lambda_runtime::RuntimeApiError& e) {
      ++consecutiveFailures;
      std::fprintf(stderr, "bootstrap: Runtime API error (%d/%d): %s\n", consecutiveFailures,
                   kMaxConsecutiveApiFailures, e.what());
    }
  }
  std::fprintf(stderr, "bootstrap: giving up after %d Runtime API failures\n",
               kMaxConsecutiveApiFailures);
  return EXIT_FAILURE;
}

}  // namespace

int main() {
  const char* const endpoint = std::getenv("AWS_LAMBDA_RUNTIME_API");
  if (endpoint == nullptr || *endpoint == '\0') {
    std::fprintf(stderr, "bootstrap: AWS_LAMBDA_RUNTIME_API is not set\n");
    return EXIT_FAILURE;
  }
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    std::fprintf(stderr, "bootstrap: curl_global_init failed\n");
    return EXIT_FAILURE;
  }
  try {
    lambda_runtime::RuntimeClient client(endpoint);
    std::optional<Runtime> runtime = initialise(client);
    const int status = runtime ? serve(client, *runtime) : EXIT_FAILURE;
    curl_global_cleanup();
    return status;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bootstrap: fatal: %s\n", e.what());
    return EXIT_FAILURE;
  }
}
