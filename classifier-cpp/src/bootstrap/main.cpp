// Lambda custom runtime entry point: configure, load the model once, then serve invocations
// until the Runtime API goes away. Everything interesting lives in the classifier library; this
// file adds what only a Lambda process knows (request id, cold start, function name) to the log.
#include <curl/curl.h>

#include <cstdlib>
#include <exception>
#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <optional>
#include <stdexcept>
#include <string>

#include "classifier/error_mapping.hpp"
#include "classifier/handler.hpp"
#include "classifier/image_fetcher.hpp"
#include "classifier/model.hpp"
#include "classifier/response.hpp"
#include "classifier/service_config.hpp"
#include "json_log/json_log.hpp"
#include "lambda_runtime/runtime_client.hpp"

namespace {

// Consecutive Runtime API failures tolerated before giving up (as aws-lambda-cpp's run_handler).
constexpr int kMaxConsecutiveApiFailures = 3;
// The `service` key, unless POWERTOOLS_SERVICE_NAME names it (as the stack does for every
// function).
constexpr const char* kDefaultService = "classifier";

struct Runtime {
  classifier::Model model;
  classifier::ImageFetcher fetcher;
  classifier::HandlerSettings settings;
};

// Logs the failure, reports it on /runtime/init/error and returns nullopt.
std::optional<Runtime> failInit(lambda_runtime::RuntimeClient& client, const json_log::Logger& log,
                                const std::string& errorType, const char* what) {
  const std::string message = classifier::oneLine(what);  // OpenCV's span lines
  log.error("init failed", {{"errorType", errorType}, {"errorMessage", message}});
  try {
    client.postInitError(errorType, message);
  } catch (const std::exception& postFailure) {
    log.error("could not report the init error",
              {{"errorType", "RuntimeApiError"}, {"errorMessage", postFailure.what()}});
  }
  return std::nullopt;
}

// Loads everything, or posts /runtime/init/error and returns nullopt.
std::optional<Runtime> initialise(lambda_runtime::RuntimeClient& client, json_log::Logger& log) {
  const classifier::EnvironmentLookup environment = classifier::processEnvironment();
  std::string errorType = "InvalidConfiguration";
  try {
    log.setThreshold(json_log::levelFromEnvironment(environment));
    const classifier::ServiceConfig config = classifier::loadServiceConfig(environment);
    if (config.threads > 0) cv::setNumThreads(config.threads);
    errorType = "ModelLoadFailed";
    classifier::Model model = classifier::Model::load(config.model);
    const classifier::ModelLoadTimings& timings = model.loadTimings();
    classifier::HandlerSettings settings = classifier::makeHandlerSettings(config, timings);
    log.info("model loaded", {{"model", config.model.name},
                              {"inputWidth", config.model.preprocess.inputWidth},
                              {"inputHeight", config.model.preprocess.inputHeight},
                              {"loadMs", classifier::roundedMs(timings.loadMs)},
                              {"warmUpMs", classifier::roundedMs(timings.warmUpMs)},
                              {"threads", cv::getNumThreads()},
                              {"inferenceReserveMs", settings.inferenceReserve.count()},
                              {"opencv", CV_VERSION}});
    errorType = "RuntimeInitFailed";
    return Runtime{std::move(model), classifier::ImageFetcher(), settings};
  } catch (const std::invalid_argument& e) {  // the log level
    return failInit(client, log, errorType,
                    (std::string("invalid configuration: ") + e.what()).c_str());
  } catch (const std::exception& e) {
    return failInit(client, log, errorType, e.what());
  }
}

int serve(lambda_runtime::RuntimeClient& client, Runtime& runtime, const json_log::Logger& log) {
  // The handler sees the model only through this capture: loaded once, reused per event.
  const auto handler = [&runtime](const std::string& event, classifier::Deadline deadline,
                                  const json_log::Logger& invocationLog) {
    return classifier::handle(runtime.model, runtime.fetcher, runtime.settings, event, deadline,
                              invocationLog);
  };
  bool coldStart = true;
  int consecutiveFailures = 0;
  while (consecutiveFailures < kMaxConsecutiveApiFailures) {
    std::optional<json_log::Logger> invocationLog;
    try {
      const lambda_runtime::Invocation invocation = client.nextInvocation();
      consecutiveFailures = 0;
      invocationLog =
          log.with({{"function_request_id", invocation.requestId}, {"cold_start", coldStart}});
      coldStart = false;
      const classifier::HandlerResult result =
          handler(invocation.payload, invocation.deadline, *invocationLog);
      if (result.ok()) {
        client.postResponse(invocation.requestId, result.responseJson());
      } else {
        client.postError(invocation.requestId, classifier::errorTypeName(result.errorType()),
                         result.errorMessage());
      }
    } catch (const lambda_runtime::RuntimeApiError& e) {
      ++consecutiveFailures;
      (invocationLog ? *invocationLog : log)
          .error("Runtime API error", {{"errorType", "RuntimeApiError"},
                                       {"errorMessage", e.what()},
                                       {"consecutiveFailures", consecutiveFailures},
                                       {"maxConsecutiveFailures", kMaxConsecutiveApiFailures}});
    }
  }
  log.error("giving up after repeated Runtime API failures",
            {{"errorType", "RuntimeApiError"}, {"consecutiveFailures", consecutiveFailures}});
  return EXIT_FAILURE;
}

}  // namespace

int main() {
  const char* const serviceName = std::getenv("POWERTOOLS_SERVICE_NAME");
  json_log::Logger log(
      serviceName != nullptr && *serviceName != '\0' ? serviceName : kDefaultService,
      json_log::Level::kInfo, json_log::standardOutputSink());
  // OpenCV's own log writes plain text; its failures reach us as exceptions, which are logged.
  cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
  const char* const functionName = std::getenv("AWS_LAMBDA_FUNCTION_NAME");
  if (functionName != nullptr && *functionName != '\0')
    log.setContext({{"function_name", functionName}});

  const char* const endpoint = std::getenv("AWS_LAMBDA_RUNTIME_API");
  if (endpoint == nullptr || *endpoint == '\0') {
    log.error("AWS_LAMBDA_RUNTIME_API is not set", {{"errorType", "InvalidConfiguration"}});
    return EXIT_FAILURE;
  }
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    log.error("curl_global_init failed", {{"errorType", "RuntimeInitFailed"}});
    return EXIT_FAILURE;
  }
  try {
    lambda_runtime::RuntimeClient client(endpoint);
    std::optional<Runtime> runtime = initialise(client, log);
    const int status = runtime ? serve(client, *runtime, log) : EXIT_FAILURE;
    curl_global_cleanup();
    return status;
  } catch (const std::exception& e) {
    log.error("fatal error", {{"errorType", "RuntimeInitFailed"},
                              {"errorMessage", classifier::oneLine(e.what())}});
    return EXIT_FAILURE;
  }
}
