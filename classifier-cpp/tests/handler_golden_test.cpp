// Golden images through the full handler path with the real SqueezeNet model.
#include <gtest/gtest.h>

#include <algorithm>
#include <opencv2/imgcodecs.hpp>

#include "classifier/base64.hpp"
#include "classifier/image_decoder.hpp"
#include "squeezenet_fixture.hpp"
#include "support/test_data.hpp"

namespace test_support {
namespace {

using GoldenImages = SqueezeNetHandlerTest;

// Observed with Debian's OpenCV 4.6 on x86-64 and unchanged with 4.10 (chelsea 0.789227); the
// tolerance absorbs SIMD, thread and kernel differences.
constexpr double kSquirrelConfidence = 0.981277;
constexpr double kCameraConfidence = 0.970818;
constexpr double kChelseaConfidence = 0.789231;
constexpr double kTolerance = 0.005;

nlohmann::json topLabels(const nlohmann::json& response, std::size_t count) {
  nlohmann::json labels = nlohmann::json::array();
  for (std::size_t i = 0; i < count && i < response.at("labels").size(); ++i) {
    labels.push_back(response.at("labels")[i].at("label"));
  }
  return labels;
}

// The classifier decodes with libjpeg/libpng/libwebp directly; the golden photos must come out
// exactly as OpenCV's imread made them (squirrel.jpg carries EXIF, the PNGs iCCP/iTXt/pHYs).
TEST(GoldenImageDecoding, DecodesTheFixturesExactlyAsImreadDoes) {
  for (const std::string name : {"squirrel.jpg", "camera.png", "chelsea.png"}) {
    SCOPED_TRACE(name);
    const cv::Mat expected = cv::imread(imagePath(name), cv::IMREAD_COLOR);
    ASSERT_FALSE(expected.empty());
    const cv::Mat decoded = classifier::decodeImage(readFile(imagePath(name)), 40'000'000);
    ASSERT_EQ(decoded.type(), CV_8UC3);
    ASSERT_EQ(decoded.size(), expected.size());
    EXPECT_EQ(cv::norm(decoded, expected, cv::NORM_INF), 0.0);
  }
}

TEST_F(GoldenImages, SquirrelIsAFoxSquirrel) {
  const nlohmann::json response = classify(base64Event(readFile(imagePath("squirrel.jpg"))));
  ASSERT_EQ(response.value("label", ""), "fox squirrel, eastern fox squirrel, Sciurus niger");
  EXPECT_GT(response.at("confidence").get<double>(), 0.9);
  EXPECT_NEAR(response.at("confidence").get<double>(), kSquirrelConfidence, kTolerance);
  EXPECT_EQ(response.at("labels")[0].at("classId"), 335);
}

TEST_F(GoldenImages, CameraIsATripod) {
  const nlohmann::json response = classify(base64Event(readFile(imagePath("camera.png"))));
  ASSERT_EQ(response.value("label", ""), "tripod");
  EXPECT_GT(response.at("confidence").get<double>(), 0.9);
  EXPECT_NEAR(response.at("confidence").get<double>(), kCameraConfidence, kTolerance);
  EXPECT_EQ(response.at("labels")[0].at("classId"), 872);
}

TEST_F(GoldenImages, ChelseaIsAnEgyptianCatWithTabbyInTheTopThree) {
  const nlohmann::json response = classify(base64Event(readFile(imagePath("chelsea.png"))));
  ASSERT_EQ(response.value("label", ""), "Egyptian cat");
  EXPECT_NEAR(response.at("confidence").get<double>(), kChelseaConfidence, kTolerance);
  const nlohmann::json top3 = topLabels(response, 3);
  EXPECT_NE(std::find(top3.begin(), top3.end(), "tabby, tabby cat"), top3.end()) << top3.dump();
}

TEST_F(GoldenImages, ReturnsTopKLabelsBestFirstWithTimings) {
  const nlohmann::json response =
      classify(R"({"topK": 7, "imageBase64": ")" +
               classifier::encodeBase64(readFile(imagePath("chelsea.png"))) + "\"}");
  const nlohmann::json& labels = response.at("labels");
  ASSERT_EQ(labels.size(), 7u);
  for (std::size_t i = 1; i < labels.size(); ++i) {
    EXPECT_GE(labels[i - 1].at("confidence").get<double>(),
              labels[i].at("confidence").get<double>());
  }
  EXPECT_EQ(response.at("label"), labels[0].at("label"));
  EXPECT_EQ(response.at("confidence"), labels[0].at("confidence"));
  EXPECT_EQ(response.at("model"), "squeezenet_v1.0_dc");
  EXPECT_EQ(response.at("timings").at("downloadMs"), 0.0);
  EXPECT_GT(response.at("timings").at("decodeMs").get<double>(), 0.0);
  EXPECT_GT(response.at("timings").at("inferenceMs").get<double>(), 0.0);
}

TEST_F(GoldenImages, UsesTheConfiguredDefaultTopK) {
  settings_.topKDefault = 2;
  EXPECT_EQ(classify(base64Event(readFile(imagePath("camera.png")))).at("labels").size(), 2u);
}

TEST_F(GoldenImages, GivesTheSameAnswerForTheSameImageInAnotherFormat) {
  const cv::Mat squirrel = cv::imread(imagePath("squirrel.jpg"));
  std::vector<uchar> webp;
  ASSERT_TRUE(cv::imencode(".webp", squirrel, webp, {cv::IMWRITE_WEBP_QUALITY, 101}));
  const nlohmann::json response = classify(base64Event(std::string(webp.begin(), webp.end())));
  EXPECT_EQ(response.value("label", ""), "fox squirrel, eastern fox squirrel, Sciurus niger");
  EXPECT_NEAR(response.at("confidence").get<double>(), kSquirrelConfidence, kTolerance);
}

}  // namespace
}  // namespace test_support
