// Every typed error through the handler with the real model, and proof that the same loaded model
// still classifies correctly afterwards (the Lambda process survives bad input).
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "classifier/base64.hpp"
#include "squeezenet_fixture.hpp"
#include "support/loopback_http_server.hpp"
#include "support/test_data.hpp"

namespace test_support {
namespace {

using classifier::ErrorType;

constexpr const char* kSquirrelLabel = "fox squirrel, eastern fox squirrel, Sciurus niger";

// Serves the fixture, a 404, a redirect, a slow response and bodies with and without a length.
HttpResponse serveFixtures(const HttpRequest& request) {
  const std::string path = request.path.substr(0, request.path.find('?'));
  if (path == "/squirrel.jpg") return {200, readFile(imagePath("squirrel.jpg")), {}, true};
  if (path == "/streamed-squirrel.jpg") {
    return {200, readFile(imagePath("squirrel.jpg")), {}, false};
  }
  if (path == "/notes.txt")
    return {200, "these are not the pixels you are looking for\n", {}, true};
  if (path == "/moved.jpg") return {302, "", {{"Location", "/squirrel.jpg"}}, true};
  if (path == "/slow.jpg") {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    return {200, readFile(imagePath("squirrel.jpg")), {}, true};
  }
  return {404, "<html>Not Found</html>", {}, true};
}

class HandlerErrors : public SqueezeNetHandlerTest {
 protected:
  // After every failure the same model must still get the squirrel right.
  void TearDown() override {
    settings_ = defaultSettings();
    const classifier::HandlerResult result = handleImage(readFile(imagePath("squirrel.jpg")));
    ASSERT_TRUE(result.ok()) << "the runtime did not survive: " << result.errorMessage();
    EXPECT_EQ(result.topLabel(), kSquirrelLabel);
  }

  void expectFailure(const classifier::HandlerResult& result, ErrorType type,
                     const std::string& messagePart) {
    ASSERT_FALSE(result.ok()) << result.responseJson();
    EXPECT_EQ(classifier::errorTypeName(result.errorType()), classifier::errorTypeName(type));
    EXPECT_NE(result.errorMessage().find(messagePart), std::string::npos) << result.errorMessage();
    EXPECT_EQ(result.errorMessage().find('\n'), std::string::npos) << result.errorMessage();
  }

  const std::string squirrel_ = readFile(imagePath("squirrel.jpg"));
  LoopbackHttpServer server_{serveFixtures};
};

TEST_F(HandlerErrors, AnEmptyEventIsAnInvalidRequest) {
  expectFailure(handle(""), ErrorType::kInvalidRequest, "not valid JSON");
}

TEST_F(HandlerErrors, ANonJsonEventIsAnInvalidRequest) {
  expectFailure(handle("GET /squirrel.jpg"), ErrorType::kInvalidRequest, "not valid JSON");
}

TEST_F(HandlerErrors, WrongFieldsAreAnInvalidRequest) {
  expectFailure(handle(R"({"image": "squirrel.jpg"})"), ErrorType::kInvalidRequest,
                "unknown field \"image\"");
  expectFailure(handle(R"({"imageBase64": "Zm9v", "topK": 0})"), ErrorType::kInvalidRequest,
                "topK must be between 1 and 20");
}

TEST_F(HandlerErrors, BadBase64IsAnInvalidRequest) {
  expectFailure(handle(R"({"imageBase64": "not base64!"})"), ErrorType::kInvalidRequest,
                "imageBase64 is not valid base64");
}

TEST_F(HandlerErrors, ANonHttpUrlIsAnInvalidRequest) {
  expectFailure(handle(urlEvent("file:///etc/passwd")), ErrorType::kInvalidRequest,
                "imageUrl must be an absolute http or https URL");
}

TEST_F(HandlerErrors, AnEmptyImageIsUndecodable) {
  expectFailure(handleImage(""), ErrorType::kUndecodableImage, "the image is empty");
}

TEST_F(HandlerErrors, ATruncatedJpegIsUndecodable) {
  expectFailure(handleImage(squirrel_.substr(0, squirrel_.size() / 2)),
                ErrorType::kUndecodableImage, "the JPEG data is truncated");
}

TEST_F(HandlerErrors, ATextFileIsUndecodable) {
  expectFailure(handleImage("Lorem ipsum dolor sit amet\n"), ErrorType::kUndecodableImage,
                "unsupported image format");
}

TEST_F(HandlerErrors, APngDeclaringThirtyThousandSquaredPixelsIsTooLarge) {
  // 33 bytes: signature and an IHDR for 30000x30000 RGB; decoding it would need 2.7 GB.
  const std::string bomb = std::string("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16) +
                           std::string("\x00\x00\x75\x30\x00\x00\x75\x30\x08\x02\x00\x00\x00", 13) +
                           std::string("\x12\x34\x56\x78", 4);
  ASSERT_EQ(bomb.size(), 33u);
  expectFailure(handleImage(bomb), ErrorType::kImageTooLarge, "declares 30000x30000");
}

TEST_F(HandlerErrors, AnInlineImageOverTheByteLimitIsTooLarge) {
  settings_.maxImageBytes = squirrel_.size() - 1;
  expectFailure(handleImage(squirrel_), ErrorType::kImageTooLarge, "more than");
  settings_.maxImageBytes = 1000;
  expectFailure(handleImage(squirrel_), ErrorType::kImageTooLarge, "more than 1000 bytes");
}

TEST_F(HandlerErrors, AnInlineImageExactlyAtTheByteLimitIsAccepted) {
  settings_.maxImageBytes = squirrel_.size();
  const classifier::HandlerResult result = handleImage(squirrel_);
  ASSERT_TRUE(result.ok()) << result.errorMessage();
  EXPECT_EQ(result.topLabel(), kSquirrelLabel);
}

TEST_F(HandlerErrors, ADownloadedImageOverTheByteLimitIsTooLarge) {
  settings_.maxImageBytes = 10000;
  expectFailure(handle(urlEvent(server_.url("/squirrel.jpg"))), ErrorType::kImageTooLarge,
                "larger than 10000 bytes");
}

TEST_F(HandlerErrors, TheByteLimitHoldsWhileStreamingABodyWithoutLength) {
  settings_.maxImageBytes = 10000;
  expectFailure(handle(urlEvent(server_.url("/streamed-squirrel.jpg"))), ErrorType::kImageTooLarge,
                "larger than 10000 bytes");
}

TEST_F(HandlerErrors, AnUnreachableHostIsADownloadFailure) {
  expectFailure(handle(urlEvent("http://127.0.0.1:1/squirrel.jpg")), ErrorType::kDownloadFailed,
                "GET http://127.0.0.1:1/squirrel.jpg failed");
}

TEST_F(HandlerErrors, A404IsADownloadFailure) {
  expectFailure(handle(urlEvent(server_.url("/missing.jpg"))), ErrorType::kDownloadFailed,
                "answered HTTP 404");
}

TEST_F(HandlerErrors, ADownloadedTextFileIsUndecodable) {
  expectFailure(handle(urlEvent(server_.url("/notes.txt"))), ErrorType::kUndecodableImage,
                "unsupported image format");
}

TEST_F(HandlerErrors, ASlowServerIsADownloadFailureAfterTheTimeout) {
  settings_.downloadTimeout = std::chrono::milliseconds(300);
  expectFailure(handle(urlEvent(server_.url("/slow.jpg"))), ErrorType::kDownloadFailed,
                "timed out after 300 ms");
}

TEST_F(HandlerErrors, PresignedSignaturesNeverAppearInMessages) {
  const std::string url = server_.url("/missing.jpg?X-Amz-Signature=s3cr3t&X-Amz-Credential=AKIA");
  const classifier::HandlerResult result = handle(urlEvent(url));
  expectFailure(result, ErrorType::kDownloadFailed, "answered HTTP 404");
  EXPECT_EQ(result.errorMessage().find("s3cr3t"), std::string::npos);
  EXPECT_EQ(result.imageSource, server_.url("/missing.jpg"));
}

TEST_F(HandlerErrors, PresignedQueryStringsNeverAppearInLogLines) {
  const std::string query = "?X-Amz-Signature=s3cr3t&X-Amz-Credential=AKIA";
  handle(urlEvent(server_.url("/squirrel.jpg" + query)));
  handle(urlEvent(server_.url("/missing.jpg" + query)));
  settings_.maxImageBytes = 10000;
  handle(urlEvent(server_.url("/squirrel.jpg" + query)));
  ASSERT_GE(logLines_.size(), 4u);  // debug lines and three result lines
  for (const std::string& line : logLines_) {
    EXPECT_EQ(line.find("s3cr3t"), std::string::npos) << line;
    EXPECT_EQ(line.find("X-Amz-"), std::string::npos) << line;
    EXPECT_EQ(line.find("AKIA"), std::string::npos) << line;
  }
}

TEST_F(HandlerErrors, AFailureIsLoggedOnceWithItsErrorTypeAndTimings) {
  handle(R"({"imageUrl": ")" + server_.url("/missing.jpg?sig=1") +
         R"(", "imageId": "img-9", "correlationId": "corr-9"})");
  const std::vector<nlohmann::json> lines = logLines();
  ASSERT_EQ(lines.size(), 1u);
  const nlohmann::json& line = lines[0];
  EXPECT_EQ(line.at("level"), "ERROR");
  EXPECT_EQ(line.at("message"), "classification failed");
  EXPECT_EQ(line.at("service"), "classifier");
  EXPECT_EQ(line.at("errorType"), "DownloadFailed");
  EXPECT_EQ(line.at("errorMessage"), "GET " + server_.url("/missing.jpg") + " answered HTTP 404");
  EXPECT_EQ(line.at("imageId"), "img-9");
  EXPECT_EQ(line.at("correlationId"), "corr-9");
  EXPECT_EQ(line.at("imageSource"), server_.url("/missing.jpg"));
  EXPECT_GT(line.at("timings").at("downloadMs").get<double>(), 0.0);
  EXPECT_EQ(line.at("timings").at("inferenceMs"), 0.0);
  EXPECT_GE(line.at("durationMs").get<double>(), line.at("timings").at("downloadMs").get<double>());
}

TEST_F(HandlerErrors, BadInputIsLoggedAsAWarningNotAnError) {
  handle(R"({"imageBase64": "Zm9v", "topK": 0})");
  handleImage("Lorem ipsum dolor sit amet\n");
  const std::vector<nlohmann::json> lines = logLines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].at("level"), "WARN");
  EXPECT_EQ(lines[0].at("errorType"), "InvalidRequest");
  EXPECT_FALSE(lines[0].contains("imageSource"));  // refused before the source was read
  EXPECT_EQ(lines[1].at("level"), "WARN");
  EXPECT_EQ(lines[1].at("errorType"), "UndecodableImage");
  EXPECT_EQ(lines[1].at("imageSource"), "base64");
}

TEST_F(HandlerErrors, AnAlreadyPassedDeadlineIsRefused) {
  expectFailure(handle(base64Event(squirrel_), std::chrono::milliseconds(-1000)),
                ErrorType::kDeadlineExceeded, "at start");
}

TEST_F(HandlerErrors, ADeadlineCloserThanTheInferenceReserveIsRefused) {
  settings_.inferenceReserve = std::chrono::milliseconds(5000);
  expectFailure(handle(base64Event(squirrel_), std::chrono::milliseconds(2000)),
                ErrorType::kDeadlineExceeded, "inference needs 5000 ms");
}

TEST_F(HandlerErrors, ADownloadThatRunsIntoTheDeadlineIsDeadlineExceeded) {
  // 400 ms left beyond the reserve, the server needs 1500 ms: the download is cut at the deadline.
  settings_.inferenceReserve = std::chrono::milliseconds(200);
  expectFailure(handle(urlEvent(server_.url("/slow.jpg")), std::chrono::milliseconds(600)),
                ErrorType::kDeadlineExceeded, "ran into the invocation deadline");
}

// The successful URL paths are here too, next to the failures they contrast with.
TEST_F(HandlerErrors, A200UrlIsClassified) {
  const classifier::HandlerResult result = handle(urlEvent(server_.url("/squirrel.jpg?sig=1")));
  ASSERT_TRUE(result.ok()) << result.errorMessage();
  EXPECT_EQ(result.topLabel(), kSquirrelLabel);
  const nlohmann::json response = nlohmann::json::parse(result.responseJson());
  EXPECT_GT(response.at("timings").at("downloadMs").get<double>(), 0.0);
  EXPECT_EQ(result.imageSource, server_.url("/squirrel.jpg"));
}

TEST_F(HandlerErrors, AClassifiedImageLogsItsStagesAndOneResultLineWithTheRequestIds) {
  const classifier::HandlerResult result =
      handle(R"({"imageUrl": ")" + server_.url("/squirrel.jpg?sig=1") +
             R"(", "imageId": "img-1", "correlationId": "corr-1"})");
  ASSERT_TRUE(result.ok()) << result.errorMessage();
  const std::vector<nlohmann::json> lines = logLines();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].at("message"), "image downloaded");
  EXPECT_EQ(lines[0].at("level"), "DEBUG");
  EXPECT_EQ(lines[0].at("bytes"), readFile(imagePath("squirrel.jpg")).size());
  EXPECT_EQ(lines[1].at("message"), "image decoded");
  EXPECT_GT(lines[1].at("width").get<int>(), 0);
  for (const nlohmann::json& line : lines) {
    EXPECT_EQ(line.at("imageId"), "img-1");
    EXPECT_EQ(line.at("correlationId"), "corr-1");
    EXPECT_EQ(line.at("service"), "classifier");
  }
  const nlohmann::json& resultLine = lines[2];
  EXPECT_EQ(resultLine.at("level"), "INFO");
  EXPECT_EQ(resultLine.at("message"), "image classified");
  EXPECT_EQ(resultLine.at("label"), kSquirrelLabel);
  EXPECT_EQ(resultLine.at("imageSource"), server_.url("/squirrel.jpg"));
  EXPECT_FALSE(resultLine.contains("errorType"));
  const nlohmann::json response = nlohmann::json::parse(result.responseJson());
  EXPECT_EQ(resultLine.at("timings"), response.at("timings"));
  EXPECT_GT(resultLine.at("timings").at("inferenceMs").get<double>(), 0.0);
}

TEST_F(HandlerErrors, TheRequestIdsComeBackWithAResultAndWithAFailure) {
  const std::string ids = R"("imageId": "img-1", "correlationId": "corr-1")";
  const classifier::HandlerResult classified =
      handle(R"({"imageUrl": ")" + server_.url("/squirrel.jpg") + "\", " + ids + "}");
  ASSERT_TRUE(classified.ok()) << classified.errorMessage();
  EXPECT_EQ(classified.imageId, "img-1");
  EXPECT_EQ(classified.correlationId, "corr-1");

  const classifier::HandlerResult failed =
      handle(R"({"imageUrl": ")" + server_.url("/missing.jpg") + "\", " + ids + "}");
  expectFailure(failed, ErrorType::kDownloadFailed, "answered HTTP 404");
  EXPECT_EQ(failed.imageId, "img-1");
  EXPECT_EQ(failed.correlationId, "corr-1");

  const classifier::HandlerResult refused = handle(R"({"imageBase64": "", "imageId": "a b"})");
  expectFailure(refused, ErrorType::kInvalidRequest, "imageId must be 1 to 128 characters");
  EXPECT_EQ(refused.imageId, "");
}

TEST_F(HandlerErrors, ARedirectIsFollowed) {
  const classifier::HandlerResult result = handle(urlEvent(server_.url("/moved.jpg")));
  ASSERT_TRUE(result.ok()) << result.errorMessage();
  EXPECT_EQ(result.topLabel(), kSquirrelLabel);
}

}  // namespace
}  // namespace test_support
