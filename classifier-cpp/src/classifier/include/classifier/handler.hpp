#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "classifier/error_type.hpp"
#include "classifier/image_fetcher.hpp"
#include "classifier/model.hpp"
#include "classifier/response.hpp"
#include "classifier/service_config.hpp"
#include "json_log/json_log.hpp"

namespace classifier {

// Wall-clock instant by which the response must be posted (Lambda sends it as epoch ms).
using Deadline = std::chrono::system_clock::time_point;

struct HandlerSettings {
  int topKDefault = 5;
  std::size_t maxImageBytes = std::size_t{15} * 1024 * 1024;
  std::uint64_t maxImagePixels = 40'000'000;
  std::chrono::milliseconds downloadTimeout{10'000};
  // Work is refused (DeadlineExceeded) when less than this remains before inference would start.
  std::chrono::milliseconds inferenceReserve{100};
};

// The reserve is twice the measured warm-up inference: the warm-up is slower than a warm call,
// so this leaves room for decoding and posting the response.
HandlerSettings makeHandlerSettings(const ServiceConfig& config, const ModelLoadTimings& timings);

// Either the response JSON, or a typed failure. Timings and the image source are kept for logging.
class HandlerResult {
 public:
  static HandlerResult success(std::string responseJson, std::string topLabel);
  static HandlerResult failure(ErrorType type, std::string message);

  bool ok() const { return ok_; }
  const std::string& responseJson() const { return responseJson_; }  // when ok()
  const std::string& topLabel() const { return topLabel_; }          // when ok()
  ErrorType errorType() const { return errorType_; }                 // when !ok()
  const std::string& errorMessage() const { return errorMessage_; }  // when !ok()

  StageTimings timings;
  std::string imageSource;  // redacted URL or "base64", never a query string
  // The request's ids (empty when absent or when the request was refused before they were read).
  std::string imageId;
  std::string correlationId;

 private:
  bool ok_ = false;
  std::string responseJson_;
  std::string topLabel_;
  ErrorType errorType_ = ErrorType::kModelError;
  std::string errorMessage_;
};

// Classifies the image described by the request JSON. Never throws: every failure, including
// OpenCV and unexpected exceptions, comes back as a typed failure so the process survives.
// Writes one result line to `log` ("image classified" at INFO, or "classification failed" with
// errorType: WARN when the request or image is at fault, ERROR otherwise) with the timings, plus
// DEBUG lines per stage; every line carries the request's imageId and correlationId when it has
// them. The image's URL is logged without its query string (presigned URLs sign there).
HandlerResult handle(Model& model, ImageFetcher& fetcher, const HandlerSettings& settings,
                     std::string_view requestJson, Deadline deadline,
                     const json_log::Logger& log) noexcept;

}  // namespace classifier
