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

HandlerResult classify(Model& model, ImageFetcher& fetcher, const HandlerSettings& settings,
                       std::string_view requestJson, Deadline deadline, HandlerResult& trace) {
  const ClassifyRequest request = parseRequest(requestJson, settings.topKDefault);
  trace.imageSource = request.source == ImageSource::kUrl ? redactUrl(request.image) : "base64";
  trace.imageId = request.imageId.value_or("");
  trace.correlationId = request.correlationId.value_or("");
  StageTimings& timings = trace.timings;
  requireTimeForInference(deadline, settings, "at start");

  std::string bytes;
  if (request.source == ImageSource::kUrl) {
    const Stopwatch downloading;
    bytes = downloadImage(fetcher, request.image, settings, deadline);
    timings.downloadMs = downloading.elapsedMs();
    requireTimeForInference(deadline, settings, "after download");
  }

  const Stopwatch decoding;
  if (request.source == ImageSource::kBase64) {
    bytes = decodeInlineImage(request.image, settings.maxImageBytes);
  }
  const cv::Mat image = decodeImage(bytes, settings.maxImagePixels);
  timings.decodeMs = decoding.elapsedMs();
  requireTimeForInference(deadline, settings, "after decoding");

  const Stopwatch inferring;
  Classification classification = labelScores(model, runInference(model, image), request.topK);
  timings.inferenceMs = inferring.elapsedMs();
  classification.timings = timings;

  return HandlerResult::success(toResponseJson(classification),
                                classification.labels.front().label);
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
                     std::string_view requestJson, Deadline deadline) noexcept {
  // What is learnt before a failure (timings, source, ids) is kept for the log line.
  HandlerResult trace;
  HandlerResult result = [&]() -> HandlerResult {
    try {
      return classify(model, fetcher, settings, requestJson, deadline, trace);
    } catch (...) {
      Failure failure = describeException(std::current_exception());
      return HandlerResult::failure(failure.type, std::move(failure.message));
    }
  }();
  result.timings = trace.timings;
  result.imageSource = std::move(trace.imageSource);
  result.imageId = std::move(trace.imageId);
  result.correlationId = std::move(trace.correlationId);
  return result;
}

}  // namespace classifier
