#include "classifier/handler.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "classifier/base64.hpp"
#include "classifier/error_mapping.hpp"
#include "classifier/image_decoder.hpp"
#include "classifier/request.hpp"
#include "classifier/stopwatch.hpp"
#include "classifier/top_k.hpp"
#include "classifier/url.hpp"

namespace classifier {
namespace {

using Milliseconds = std::chrono::milliseconds;

Milliseconds remainingUntil(Deadline deadline) {
  return std::chrono::duration_cast<Milliseconds>(deadline - std::chrono::system_clock::now());
}

void requireTimeForInference(Deadline deadline, const HandlerSettings& settings,
                             const char* stage) {
  const Milliseconds remaining = remainingUntil(deadline);
  if (remaining < settings.inferenceReserve) {
    throw ClassifierError(ErrorType::kDeadlineExceeded,
                          std::string(stage) + ": " + std::to_string(remaining.count()) +
                              " ms remain, inference needs " +
                              std::to_string(settings.inferenceReserve.count()) + " ms");
  }
}

std::string downloadImage(ImageFetcher& fetcher, const std::string& url,
                          const HandlerSettings& settings, Deadline deadline) {
  const std::string safeUrl = redactUrl(url);
  const Milliseconds untilReserve = remainingUntil(deadline) - settings.inferenceReserve;
  const Milliseconds timeout = std::min(settings.downloadTimeout, untilReserve);
  FetchResult fetched = fetcher.fetch(url, settings.maxImageBytes, timeout);
  switch (fetched.status) {
    case FetchStatus::kOk:
      return std::move(fetched.body);
    case FetchStatus::kTooLarge:
      throw ClassifierError(ErrorType::kImageTooLarge,
                            "the image at " + safeUrl + " is larger than " +
                                std::to_string(settings.maxImageBytes) + " bytes");
    case FetchStatus::kTimedOut:
      if (timeout < settings.downloadTimeout) {
        throw ClassifierError(ErrorType::kDeadlineExceeded,
                              "the download of " + safeUrl + " ran into the invocation deadline");
      }
      throw ClassifierError(ErrorType::kDownloadFailed,
                            "the download of " + safeUrl + " timed out after " +
                                std::to_string(timeout.count()) + " ms");
    case FetchStatus::kHttpError:
      throw ClassifierError(ErrorType::kDownloadFailed, "GET " + safeUrl + " answered HTTP " +
                                                            std::to_string(fetched.httpStatus));
    case FetchStatus::kTransportError:
      break;
  }
  throw ClassifierError(ErrorType::kDownloadFailed,
                        "GET " + safeUrl + " failed: " + oneLine(fetched.detail));
}

std::string decodeInlineImage(const std::string& encoded, std::size_t maxBytes) {
  const auto tooLarge = [maxBytes] {
    return ClassifierError(ErrorType::kImageTooLarge,
                           "imageBase64 holds more than " + std::to_string(maxBytes) + " bytes");
  };
  if (encoded.size() > base64EncodedLength(maxBytes)) throw tooLarge();
  std::optional<std::string> bytes = decodeBase64(encoded);
  if (!bytes) throw ClassifierError(ErrorType::kInvalidRequest, "imageBase64 is not valid base64");
  if (bytes->size() > maxBytes) throw tooLarge();
  return std::move(*bytes);
}

std::vector<float> runInference(Model& model, const cv::Mat& image) {
  try {
    return model.predict(image);
  } catch (const cv::Exception& e) {
    throw ClassifierError(ErrorType::kModelError, "inference failed: " + e.err);
  } catch (const std::runtime_error& e) {
    throw ClassifierError(ErrorType::kModelError, std::string("inference failed: ") + e.what());
  }
}

Classification labelScores(const Model& model, const std::vector<float>& scores, int k) {
  Classification classification;
  classification.model = model.config().name;
  for (const ClassScore& score : topK(scores, static_cast<std::size_t>(k))) {
    classification.labels.push_back(
        {model.labels()[static_cast<std::size_t>(score.classId)], score.confidence, score.classId});
  }
  return classification;
}

// Runs `stage` and records its wall time in `elapsedMs`, also when it throws: how long a failed
// download took is what an operator looks for.
template <typename Stage>
auto timed(double& elapsedMs, Stage&& stage) {
  struct Recorder {
    double& into;
    Stopwatch stopwatch;
    ~Recorder() { into = stopwatch.elapsedMs(); }
  } recorder{elapsedMs, Stopwatch()};
  return stage();
}

// The keys that tie a line to the caller's request.
json_log::Fields requestIds(const std::string& imageId, const std::string& correlationId) {
  json_log::Fields ids = json_log::Fields::object();
  if (!correlationId.empty()) ids["correlationId"] = correlationId;
  if (!imageId.empty()) ids["imageId"] = imageId;
  return ids;
}

json_log::Fields timingFields(const StageTimings& timings) {
  return {{"downloadMs", roundedMs(timings.downloadMs)},
          {"decodeMs", roundedMs(timings.decodeMs)},
          {"inferenceMs", roundedMs(timings.inferenceMs)}};
}

// Bad input is the caller's problem (a warning); the rest is ours or the network's (an error).
bool isCallerFault(ErrorType type) {
  return type == ErrorType::kInvalidRequest || type == ErrorType::kImageTooLarge ||
         type == ErrorType::kUndecodableImage;
}

HandlerResult classify(Model& model, ImageFetcher& fetcher, const HandlerSettings& settings,
                       std::string_view requestJson, Deadline deadline, HandlerResult& trace,
                       const json_log::Logger& log) {
  const ClassifyRequest request = parseRequest(requestJson, settings.topKDefault);
  trace.imageSource = request.source == ImageSource::kUrl ? redactUrl(request.image) : "base64";
  trace.imageId = request.imageId.value_or("");
  trace.correlationId = request.correlationId.value_or("");
  const json_log::Logger requestLog = log.with(requestIds(trace.imageId, trace.correlationId));
  StageTimings& timings = trace.timings;
  requireTimeForInference(deadline, settings, "at start");

  std::string bytes;
  if (request.source == ImageSource::kUrl) {
    bytes = timed(timings.downloadMs,
                  [&] { return downloadImage(fetcher, request.image, settings, deadline); });
    requestLog.debug("image downloaded", {{"imageSource", trace.imageSource},
                                          {"bytes", bytes.size()},
                                          {"downloadMs", roundedMs(timings.downloadMs)}});
    requireTimeForInference(deadline, settings, "after download");
  }

  std::vector<std::string> decoderWarnings;
  const cv::Mat image = timed(timings.decodeMs, [&] {
    if (request.source == ImageSource::kBase64) {
      bytes = decodeInlineImage(request.image, settings.maxImageBytes);
    }
    return decodeImage(bytes, settings.maxImagePixels, &decoderWarnings);
  });
  json_log::Fields decoded = {
      {"width", image.cols}, {"height", image.rows}, {"decodeMs", roundedMs(timings.decodeMs)}};
  if (!decoderWarnings.empty()) decoded["decoderWarnings"] = decoderWarnings;
  requestLog.debug("image decoded", decoded);
  requireTimeForInference(deadline, settings, "after decoding");

  Classification classification = timed(timings.inferenceMs, [&] {
    return labelScores(model, runInference(model, image), request.topK);
  });
  classification.timings = timings;

  return HandlerResult::success(toResponseJson(classification),
                                classification.labels.front().label);
}

void logResult(const json_log::Logger& log, const HandlerResult& result, double totalMs) noexcept {
  try {
    json_log::Fields fields = requestIds(result.imageId, result.correlationId);
    if (!result.imageSource.empty()) fields["imageSource"] = result.imageSource;
    if (result.ok()) {
      fields["label"] = result.topLabel();
    } else {
      fields["errorType"] = errorTypeName(result.errorType());
      fields["errorMessage"] = result.errorMessage();
    }
    fields["timings"] = timingFields(result.timings);
    fields["durationMs"] = roundedMs(totalMs);
    if (result.ok()) {
      log.info("image classified", fields);
    } else {
      log.log(isCallerFault(result.errorType()) ? json_log::Level::kWarn : json_log::Level::kError,
              "classification failed", fields);
    }
  } catch (...) {
    // Building the fields can only fail on allocation; the result still goes back.
  }
}

}  // namespace

HandlerSettings makeHandlerSettings(const ServiceConfig& config, const ModelLoadTimings& timings) {
  HandlerSettings settings;
  settings.topKDefault = config.topKDefault;
  settings.maxImageBytes = config.maxImageBytes;
  settings.maxImagePixels = config.maxImagePixels;
  settings.downloadTimeout = config.downloadTimeout;
  settings.inferenceReserve =
      Milliseconds(static_cast<Milliseconds::rep>(std::ceil(2.0 * timings.warmUpMs)));
  return settings;
}

HandlerResult HandlerResult::success(std::string responseJson, std::string topLabel) {
  HandlerResult result;
  result.ok_ = true;
  result.responseJson_ = std::move(responseJson);
  result.topLabel_ = std::move(topLabel);
  return result;
}

HandlerResult HandlerResult::failure(ErrorType type, std::string message) {
  HandlerResult result;
  result.ok_ = false;
  result.errorType_ = type;
  result.errorMessage_ = oneLine(std::move(message));
  return result;
}

HandlerResult handle(Model& model, ImageFetcher& fetcher, const HandlerSettings& settings,
                     std::string_view requestJson, Deadline deadline,
                     const json_log::Logger& log) noexcept {
  const Stopwatch total;
  // What is learnt before a failure (timings, source, ids) is kept for the log line.
  HandlerResult trace;
  HandlerResult result = [&]() -> HandlerResult {
    try {
      return classify(model, fetcher, settings, requestJson, deadline, trace, log);
    } catch (...) {
      Failure failure = describeException(std::current_exception());
      return HandlerResult::failure(failure.type, std::move(failure.message));
    }
  }();
  result.timings = trace.timings;
  result.imageSource = std::move(trace.imageSource);
  result.imageId = std::move(trace.imageId);
  result.correlationId = std::move(trace.correlationId);
  logResult(log, result, total.elapsedMs());
  return result;
}

}  // namespace classifier
