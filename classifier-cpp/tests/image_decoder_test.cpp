#include "classifier/image_decoder.hpp"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

#include "classifier/error_type.hpp"

namespace classifier {
namespace {

constexpr std::uint64_t kMaxPixels = 40'000'000;

std::string encode(const cv::Mat& image, const std::string& extension) {
  std::vector<uchar> bytes;
  EXPECT_TRUE(cv::imencode(extension, image, bytes));
  return std::string(bytes.begin(), bytes.end());
}

// The error type and message that decoding `bytes` fails with.
std::pair<ErrorType, std::string> failureOf(const std::string& bytes,
                                            std::uint64_t maxPixels = kMaxPixels) {
  try {
    decodeImage(bytes, maxPixels);
  } catch (const ClassifierError& e) {
    return {e.type(), e.what()};
  }
  ADD_FAILURE() << "decoding succeeded";
  return {ErrorType::kModelError, ""};
}

TEST(ImageDecoder, DecodesToEightBitBgr) {
  const cv::Mat original(20, 30, CV_8UC3, cv::Scalar(10, 100, 200));
  const cv::Mat decoded = decodeImage(encode(original, ".png"), kMaxPixels);
  ASSERT_EQ(decoded.type(), CV_8UC3);
  EXPECT_EQ(decoded.size(), cv::Size(30, 20));
  EXPECT_EQ(decoded.at<cv::Vec3b>(5, 5), cv::Vec3b(10, 100, 200));
}

TEST(ImageDecoder, ConvertsGrayAlphaAndSixteenBitImagesToEightBitBgr) {
  const std::vector<cv::Mat> images = {cv::Mat(8, 8, CV_8UC1, cv::Scalar(50)),
                                       cv::Mat(8, 8, CV_8UC4, cv::Scalar(1, 2, 3, 128)),
                                       cv::Mat(8, 8, CV_16UC3, cv::Scalar(65535, 0, 0))};
  for (const cv::Mat& image : images) {
    const cv::Mat decoded = decodeImage(encode(image, ".png"), kMaxPixels);
    EXPECT_EQ(decoded.type(), CV_8UC3);
    EXPECT_EQ(decoded.size(), cv::Size(8, 8));
  }
}

TEST(ImageDecoder, DecodesWebp) {
  const cv::Mat decoded =
      decodeImage(encode(cv::Mat(16, 24, CV_8UC3, cv::Scalar(0, 0, 255)), ".webp"), kMaxPixels);
  EXPECT_EQ(decoded.size(), cv::Size(24, 16));
}

TEST(ImageDecoder, RefusesADecompressionBombFromItsHeaderAlone) {
  // Signature + IHDR declaring 30000x30000 and nothing else: 33 bytes that would need 2.7 GB.
  const std::string bomb = std::string("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16) +
                           std::string("\x00\x00\x75\x30\x00\x00\x75\x30\x08\x02\x00\x00\x00", 13) +
                           std::string(4, '\0');
  const auto [type, message] = failureOf(bomb);
  EXPECT_EQ(type, ErrorType::kImageTooLarge);
  EXPECT_EQ(message, "PNG declares 30000x30000 = 900000000 pixels, over the limit of 40000000");
}

TEST(ImageDecoder, AppliesThePixelLimitInclusively) {
  const std::string png = encode(cv::Mat(100, 100, CV_8UC3, cv::Scalar::all(0)), ".png");
  EXPECT_EQ(decodeImage(png, 10000).size(), cv::Size(100, 100));
  EXPECT_EQ(failureOf(png, 9999).first, ErrorType::kImageTooLarge);
}

TEST(ImageDecoder, RefusesEmptyTextAndUnknownFormats) {
  EXPECT_EQ(failureOf(""),
            std::make_pair(ErrorType::kUndecodableImage, std::string("the image is empty")));
  EXPECT_EQ(
      failureOf("just some text\n"),
      std::make_pair(ErrorType::kUndecodableImage,
                     std::string("unsupported image format (JPEG, PNG and WebP are accepted)")));
  EXPECT_EQ(failureOf(encode(cv::Mat(4, 4, CV_8UC3), ".bmp")).first, ErrorType::kUndecodableImage);
}

TEST(ImageDecoder, RefusesTruncatedData) {
  // libjpeg would grey-fill a cut JPEG and report success; the container check must catch it.
  cv::Mat noise(120, 160, CV_8UC3);
  cv::randu(noise, cv::Scalar::all(0), cv::Scalar::all(256));
  const std::string jpeg = encode(noise, ".jpg");
  EXPECT_EQ(
      failureOf(jpeg.substr(0, jpeg.size() / 2)),
      std::make_pair(ErrorType::kUndecodableImage, std::string("the JPEG data is truncated")));
  EXPECT_EQ(failureOf(jpeg.substr(0, 100)).first, ErrorType::kUndecodableImage);
  const std::string png = encode(noise, ".png");
  EXPECT_EQ(failureOf(png.substr(0, png.size() - 1)).first, ErrorType::kUndecodableImage);
  EXPECT_EQ(failureOf(png.substr(0, png.size() / 2)).first, ErrorType::kUndecodableImage);
}

TEST(ImageDecoder, RefusesCorruptPixelDataBehindAValidHeader) {
  std::string png = encode(cv::Mat(64, 64, CV_8UC3, cv::Scalar(1, 2, 3)), ".png");
  const std::size_t data = png.find("IDAT") + 4;
  for (std::size_t i = data; i < data + 16 && i < png.size(); ++i) png[i] = '\x55';
  const auto [type, message] = failureOf(png);
  EXPECT_EQ(type, ErrorType::kUndecodableImage);
  EXPECT_EQ(message, "the PNG data could not be decoded");
}

}  // namespace
}  // namespace classifier
