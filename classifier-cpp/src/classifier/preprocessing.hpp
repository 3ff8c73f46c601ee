#pragma once

#include <opencv2/core.hpp>

#include "classifier/model_config.hpp"

namespace classifier {

// Turns a decoded 8-bit BGR image into a 1x3xHxW float blob as described by `params`.
cv::Mat makeInputBlob(const cv::Mat& bgrImage, const PreprocessParams& params);

}  // namespace classifier
