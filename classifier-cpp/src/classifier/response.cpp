#include "classifier/response.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

namespace classifier {
namespace {

// 1e-6 resolution is plenty, and keeps float noise (0.98123452663) out of the JSON.
double roundedConfidence(float confidence) { return std::round(double{confidence} * 1e6) / 1e6; }

}  // namespace

double roundedMs(double ms) { return std::round(ms * 1e3) / 1e3; }

std::string toResponseJson(const Classification& classification) {
  nlohmann::json labels = nlohmann::json::array();
  for (const LabelledScore& score : classification.labels) {
    labels.push_back({{"label", score.label},
                      {"confidence", roundedConfidence(score.confidence)},
                      {"classId", score.classId}});
  }
  nlohmann::json response = {
      {"labels", labels},
      {"model", classification.model},
      {"timings",
       {{"downloadMs", roundedMs(classification.timings.downloadMs)},
        {"decodeMs", roundedMs(classification.timings.decodeMs)},
        {"inferenceMs", roundedMs(classification.timings.inferenceMs)}}},
  };
  if (!classification.labels.empty()) {
    response["label"] = classification.labels.front().label;
    response["confidence"] = roundedConfidence(classification.labels.front().confidence);
  }
  // Labels come from a file we do not control; never let invalid UTF-8 turn into an exception.
  return response.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace classifier
