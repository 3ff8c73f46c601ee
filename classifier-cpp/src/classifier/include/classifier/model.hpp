#pragma once

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <string>
#include <vector>

#include "classifier/model_config.hpp"

namespace classifier {

struct ModelLoadTimings {
  double loadMs = 0.0;    // reading the network and labels
  double warmUpMs = 0.0;  // the first forward pass (allocations, kernel selection)
};

// A loaded network plus its labels. Load once per process and reuse: loading is the cold-start
// cost.
class Model {
 public:
  // Reads the network and labels and runs one warm-up forward pass; throws std::runtime_error
  // (or cv::Exception) with a readable reason when the files are missing or inconsistent.
  static Model load(const ModelConfig& config);

  // Class probabilities for an 8-bit BGR image, one per label. Not const: cv::dnn::Net keeps
  // per-forward state, so one Model must not be used by two threads at once.
  std::vector<float> predict(const cv::Mat& bgrImage);

  const ModelConfig& config() const { return config_; }
  const std::vector<std::string>& labels() const { return labels_; }
  const ModelLoadTimings& loadTimings() const { return loadTimings_; }

 private:
  Model(ModelConfig config, const cv::dnn::Net& net, std::vector<std::string> labels);

  ModelConfig config_;
  cv::dnn::Net net_;
  std::vector<std::string> labels_;
  ModelLoadTimings loadTimings_;
};

}  // namespace classifier
