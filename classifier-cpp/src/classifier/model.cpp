#include "classifier/model.hpp"

#include <cmath>
#include <filesystem>
#include <stdexcept>
#include <utility>

#include "classifier/labels.hpp"
#include "classifier/preprocessing.hpp"
#include "classifier/stopwatch.hpp"

namespace classifier {
namespace {

void requireFile(const std::string& path, const char* what) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    throw std::runtime_error(std::string(what) + " file not found: " + path);
  }
}

}  // namespace

// cv::dnn::Net is a shared handle (no move constructor): copying it shares the loaded network.
Model::Model(ModelConfig config, const cv::dnn::Net& net, std::vector<std::string> labels)
    : config_(std::move(config)), net_(net), labels_(std::move(labels)) {}

Model Model::load(const ModelConfig& config) {
  requireFile(config.configPath, "model config");
  requireFile(config.weightsPath, "model weights");
  requireFile(config.labelsPath, "labels");

  const Stopwatch loading;
  cv::dnn::Net net = cv::dnn::readNet(config.weightsPath, config.configPath);
  if (net.empty()) throw std::runtime_error("OpenCV could not load the model " + config.name);
  net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
  net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
  // OpenCV 4.7+'s Winograd F(6x6, 3x3) path for 3x3 stride-1 convolutions (on by default in 4.10;
  // said here so a default change upstream cannot silently cost the 1.3x it is worth).
  net.enableWinograd(true);
  Model model(config, net, readLabels(config.labelsPath));
  model.loadTimings_.loadMs = loading.elapsedMs();

  // The first forward pass allocates buffers and picks kernels; pay for it here, not in the first
  // request. It also proves the network and the labels agree.
  const Stopwatch warmingUp;
  const cv::Mat blank(config.preprocess.inputHeight, config.preprocess.inputWidth, CV_8UC3,
                      cv::Scalar::all(127));
  model.predict(blank);
  model.loadTimings_.warmUpMs = warmingUp.elapsedMs();
  return model;
}

std::vector<float> Model::predict(const cv::Mat& bgrImage) {
  net_.setInput(makeInputBlob(bgrImage, config_.preprocess));
  const cv::Mat output = net_.forward();
  const cv::Mat scores = output.reshape(1, 1);
  if (scores.total() != labels_.size()) {
    throw std::runtime_error("model " + config_.name + " produced " +
                             std::to_string(scores.total()) + " scores but there are " +
                             std::to_string(labels_.size()) + " labels");
  }
  std::vector<float> probabilities(scores.begin<float>(), scores.end<float>());
  for (const float p : probabilities) {
    if (!std::isfinite(p)) throw std::runtime_error("model produced a non-finite score");
  }
  return probabilities;
}

}  // namespace classifier
