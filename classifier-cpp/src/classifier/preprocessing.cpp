#include "classifier/preprocessing.hpp"

#include <opencv2/dnn.hpp>

namespace classifier {

cv::Mat makeInputBlob(const cv::Mat& bgrImage, const PreprocessParams& params) {
  return cv::dnn::blobFromImage(bgrImage, params.scale,
                                cv::Size(params.inputWidth, params.inputHeight), params.mean,
                                params.swapRB, params.crop, CV_32F);
}

}  // namespace classifier
