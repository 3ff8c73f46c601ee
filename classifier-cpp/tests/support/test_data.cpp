#include "support/test_data.hpp"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace test_support {
namespace {

std::string fromEnvironment(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

}  // namespace

std::string modelDir() { return fromEnvironment("MODEL_DIR", CLASSIFIER_TEST_MODEL_DIR); }

std::string imagesDir() { return fromEnvironment("FIXTURES_DIR", CLASSIFIER_TEST_FIXTURES_DIR); }

std::string imagePath(const std::string& name) { return imagesDir() + "/" + name; }

std::string readFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("test data not found: " + path);
  return std::string((std::istreambuf_iterator<char>(file)), {});
}

classifier::ModelConfig squeezeNetConfig() {
  classifier::ModelConfig config;
  config.name = "squeezenet_v1.0_dc";
  config.configPath = modelDir() + "/deploy.prototxt";
  config.weightsPath = modelDir() + "/squeezenet_v1.0_dc.caffemodel";
  config.labelsPath = modelDir() + "/classes.txt";
  config.preprocess.inputWidth = 227;
  config.preprocess.inputHeight = 227;
  config.preprocess.mean = cv::Scalar(104.0, 117.0, 123.0);
  config.preprocess.scale = 1.0;
  config.preprocess.swapRB = false;
  return config;
}

}  // namespace test_support
