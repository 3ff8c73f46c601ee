#pragma once

#include <string>
#include <vector>

namespace classifier {

struct StageTimings {
  double downloadMs = 0.0;   // 0 for inline (base64) images
  double decodeMs = 0.0;     // base64 decoding, header checks and image decoding
  double inferenceMs = 0.0;  // preprocessing, forward pass and top-k
};

struct LabelledScore {
  std::string label;  // the full class line, e.g. "tabby, tabby cat"
  float confidence = 0.0f;
  int classId = 0;
};

struct Classification {
  std::string model;
  std::vector<LabelledScore> labels;  // best first, at least one
  StageTimings timings;
};

// Milliseconds to the microsecond, as the response and the log lines carry them.
double roundedMs(double ms);

// {"label", "confidence", "labels": [{"label", "confidence", "classId"}], "model",
//  "timings": {"downloadMs", "decodeMs", "inferenceMs"}}; label/confidence repeat the best entry.
std::string toResponseJson(const Classification& classification);

}  // namespace classifier
