#pragma once

#include <opencv2/core.hpp>
#include <string>

namespace classifier {

// How an image becomes the network input, kept as data (in the spirit of OpenCV's
// Image2BlobParams, which Debian's OpenCV 4.6 does not have yet).
struct PreprocessParams {
  int inputWidth = 224;
  int inputHeight = 224;
  cv::Scalar mean{104.0, 117.0, 123.0};  // subtracted per channel, in the network's channel order
  double scale = 1.0;                    // applied after mean subtraction
  bool swapRB = false;                   // false: the network expects BGR, as OpenCV decodes
  bool crop = false;                     // false: resize the whole image, ignoring aspect ratio
};

struct ModelConfig {
  std::string name = "bvlc_googlenet";
  std::string weightsPath = "/opt/model/bvlc_googlenet.caffemodel";
  std::string configPath = "/opt/model/deploy.prototxt";
  std::string labelsPath = "/opt/model/classes.txt";
  PreprocessParams preprocess;
};

}  // namespace classifier
