#include "classifier/preprocessing.hpp"

#include <gtest/gtest.h>

namespace classifier {
namespace {

constexpr int kWidth = 227;
constexpr int kHeight = 227;

PreprocessParams caffeParams() {
  PreprocessParams params;
  params.inputWidth = kWidth;
  params.inputHeight = kHeight;
  params.mean = cv::Scalar(104, 117, 123);
  return params;
}

// A whole channel of the NCHW blob as one 2-D plane.
cv::Mat plane(const cv::Mat& blob, int channel) {
  return cv::Mat(blob.size[2], blob.size[3], CV_32F,
                 const_cast<float*>(blob.ptr<float>(0, channel)));
}

void expectUniformPlane(const cv::Mat& blob, int channel, double expected) {
  double min = 0;
  double max = 0;
  cv::minMaxLoc(plane(blob, channel), &min, &max);
  EXPECT_NEAR(min, expected, 1e-4) << "channel " << channel;
  EXPECT_NEAR(max, expected, 1e-4) << "channel " << channel;
}

const cv::Mat kBgrImage(30, 50, CV_8UC3, cv::Scalar(110, 120, 130));  // B=110 G=120 R=130

TEST(Preprocessing, MakesAnNchwFloatBlobOfTheInputSize) {
  const cv::Mat blob = makeInputBlob(kBgrImage, caffeParams());
  ASSERT_EQ(blob.dims, 4);
  EXPECT_EQ(blob.size[0], 1);
  EXPECT_EQ(blob.size[1], 3);
  EXPECT_EQ(blob.size[2], kHeight);
  EXPECT_EQ(blob.size[3], kWidth);
  EXPECT_EQ(blob.depth(), CV_32F);
}

TEST(Preprocessing, UsesWidthAndHeightInTheRightPlaces) {
  PreprocessParams params = caffeParams();
  params.inputWidth = 64;
  params.inputHeight = 32;
  const cv::Mat blob = makeInputBlob(kBgrImage, params);
  EXPECT_EQ(blob.size[2], 32);
  EXPECT_EQ(blob.size[3], 64);
}

TEST(Preprocessing, SubtractsTheMeanPerChannelKeepingBgr) {
  const cv::Mat blob = makeInputBlob(kBgrImage, caffeParams());
  expectUniformPlane(blob, 0, 110 - 104);
  expectUniformPlane(blob, 1, 120 - 117);
  expectUniformPlane(blob, 2, 130 - 123);
}

TEST(Preprocessing, ScalesAfterSubtractingTheMean) {
  PreprocessParams params = caffeParams();
  params.scale = 0.5;
  const cv::Mat blob = makeInputBlob(kBgrImage, params);
  expectUniformPlane(blob, 0, (110 - 104) * 0.5);
  expectUniformPlane(blob, 2, (130 - 123) * 0.5);
}

TEST(Preprocessing, SwapsToRgbWithTheMeanInRgbOrder) {
  PreprocessParams params = caffeParams();
  params.swapRB = true;
  const cv::Mat blob = makeInputBlob(kBgrImage, params);
  expectUniformPlane(blob, 0, 130 - 104);  // R
  expectUniformPlane(blob, 1, 120 - 117);  // G
  expectUniformPlane(blob, 2, 110 - 123);  // B
}

TEST(Preprocessing, ResizesTheWholeImageOrCropsTheCentre) {
  // Three vertical stripes (black, grey, white) in a 3:1 image. Resizing keeps all three; a
  // centre crop to the square input keeps only the grey middle.
  cv::Mat image(100, 300, CV_8UC3, cv::Scalar::all(0));
  image(cv::Rect(100, 0, 100, 100)).setTo(cv::Scalar::all(128));
  image(cv::Rect(200, 0, 100, 100)).setTo(cv::Scalar::all(255));
  PreprocessParams params = caffeParams();
  params.mean = cv::Scalar::all(0);
  params.inputWidth = 12;
  params.inputHeight = 12;

  const cv::Mat resized = makeInputBlob(image, params);
  EXPECT_FLOAT_EQ(plane(resized, 0).at<float>(6, 0), 0.0f);
  EXPECT_FLOAT_EQ(plane(resized, 0).at<float>(6, 6), 128.0f);
  EXPECT_FLOAT_EQ(plane(resized, 0).at<float>(6, 11), 255.0f);

  params.crop = true;
  const cv::Mat cropped = makeInputBlob(image, params);
  EXPECT_FLOAT_EQ(plane(cropped, 0).at<float>(6, 0), 128.0f);
  EXPECT_FLOAT_EQ(plane(cropped, 0).at<float>(6, 11), 128.0f);
}

}  // namespace
}  // namespace classifier
