#include "classifier/image_header.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

namespace classifier {
namespace {

std::string bigEndian(std::uint32_t value, int bytes) {
  std::string out;
  for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((value >> shift) & 0xFFu));
  }
  return out;
}

std::string littleEndian(std::uint32_t value, int bytes) {
  std::string out;
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFFu));
  return out;
}

// Signature + IHDR (8-bit RGB) with a dummy CRC; the header reader does not check CRCs.
std::string pngHeader(std::uint32_t width, std::uint32_t height) {
  return std::string("\x89PNG\r\n\x1a\n", 8) + bigEndian(13, 4) + "IHDR" + bigEndian(width, 4) +
         bigEndian(height, 4) + std::string("\x08\x02\x00\x00\x00", 5) + bigEndian(0, 4);
}

std::string jpegSegment(unsigned char marker, const std::string& data) {
  return std::string{'\xFF', static_cast<char>(marker)} +
         bigEndian(static_cast<std::uint32_t>(data.size() + 2), 2) + data;
}

std::string jpegFrame(unsigned char sofMarker, std::uint32_t width, std::uint32_t height) {
  return jpegSegment(sofMarker, std::string("\x08", 1) + bigEndian(height, 2) +
                                    bigEndian(width, 2) + std::string("\x01\x01\x11\x00", 4));
}

std::string jpegHeader(std::uint32_t width, std::uint32_t height, unsigned char sof = 0xC0) {
  return std::string("\xFF\xD8", 2) + jpegSegment(0xE0, std::string("JFIF\0\x01\x01", 7)) +
         jpegSegment(0xDB, std::string(65, '\x01')) + jpegFrame(sof, width, height);
}

std::string riffWebp(const std::string& chunk, const std::string& data) {
  const std::string body =
      "WEBP" + chunk + littleEndian(static_cast<std::uint32_t>(data.size()), 4) + data;
  return "RIFF" + littleEndian(static_cast<std::uint32_t>(body.size()), 4) + body;
}

std::string webpLossy(std::uint32_t width, std::uint32_t height) {
  return riffWebp("VP8 ", std::string("\x30\x01\x00\x9d\x01\x2a", 6) + littleEndian(width, 2) +
                              littleEndian(height, 2) + std::string(4, '\0'));
}

std::string webpLossless(std::uint32_t width, std::uint32_t height) {
  const std::uint32_t bits = (width - 1) | ((height - 1) << 14);
  return riffWebp("VP8L", std::string("\x2f", 1) + littleEndian(bits, 4) + std::string(3, '\0'));
}

std::string webpExtended(std::uint32_t width, std::uint32_t height) {
  return riffWebp("VP8X",
                  std::string(4, '\0') + littleEndian(width - 1, 3) + littleEndian(height - 1, 3));
}

void expectSize(const std::string& bytes, ImageFormat format, std::uint32_t width,
                std::uint32_t height) {
  const HeaderReadResult result = readImageHeader(bytes);
  ASSERT_EQ(result.status, HeaderStatus::kOk);
  EXPECT_EQ(result.dimensions.format, format);
  EXPECT_EQ(result.dimensions.width, width);
  EXPECT_EQ(result.dimensions.height, height);
}

HeaderStatus statusOf(const std::string& bytes) { return readImageHeader(bytes).status; }

TEST(ImageHeader, ReadsPngDimensions) {
  expectSize(pngHeader(640, 480), ImageFormat::kPng, 640, 480);
  expectSize(pngHeader(30000, 30000), ImageFormat::kPng, 30000, 30000);
  EXPECT_EQ(readImageHeader(pngHeader(30000, 30000)).dimensions.pixelCount(), 900000000u);
}

TEST(ImageHeader, ReadsJpegDimensionsFromBaselineAndProgressiveFrames) {
  expectSize(jpegHeader(1024, 768), ImageFormat::kJpeg, 1024, 768);
  expectSize(jpegHeader(65535, 65535, 0xC2), ImageFormat::kJpeg, 65535, 65535);
}

TEST(ImageHeader, SkipsJpegSegmentsHoldingFrameMarkersAndFillBytes) {
  // An EXIF thumbnail carries its own SOF; only the top-level frame counts.
  const std::string exif = jpegSegment(0xE1, "Exif" + jpegFrame(0xC0, 160, 120));
  const std::string bytes = std::string("\xFF\xD8", 2) + exif +
                            jpegSegment(0xC4, std::string(20, '\x02')) + "\xFF\xFF" +
                            jpegFrame(0xC1, 3000, 2000);
  expectSize(bytes, ImageFormat::kJpeg, 3000, 2000);
}

TEST(ImageHeader, ReadsWebpDimensionsFromEachChunkKind) {
  expectSize(webpLossy(800, 600), ImageFormat::kWebp, 800, 600);
  expectSize(webpLossless(16384, 1), ImageFormat::kWebp, 16384, 1);
  expectSize(webpExtended(16777216, 3), ImageFormat::kWebp, 16777216, 3);
}

TEST(ImageHeader, AgreesWithOpenCvOnRealEncodings) {
  const cv::Mat image(37, 53, CV_8UC3, cv::Scalar(10, 200, 30));
  const std::vector<std::pair<std::string, std::vector<int>>> encodings = {
      {".png", {}},
      {".jpg", {}},
      {".webp", {cv::IMWRITE_WEBP_QUALITY, 80}},
      {".webp", {cv::IMWRITE_WEBP_QUALITY, 101}}};  // quality > 100 selects lossless
  for (const auto& [extension, parameters] : encodings) {
    std::vector<uchar> encoded;
    ASSERT_TRUE(cv::imencode(extension, image, encoded, parameters));
    const std::string bytes(encoded.begin(), encoded.end());
    const HeaderReadResult result = readImageHeader(bytes);
    ASSERT_EQ(result.status, HeaderStatus::kOk) << extension;
    EXPECT_EQ(result.dimensions.width, 53u) << extension;
    EXPECT_EQ(result.dimensions.height, 37u) << extension;
    EXPECT_TRUE(hasCompleteContainer(bytes, result.dimensions.format)) << extension;
  }
}

TEST(ImageHeader, ReportsEveryPrefixShorterThanTheSizeFieldsAsTruncated) {
  const std::vector<std::pair<std::string, std::size_t>> headers = {
      {pngHeader(10, 10), 24},
      {jpegHeader(10, 10), jpegHeader(10, 10).size() - 4},
      {webpLossy(10, 10), 30},
      {webpLossless(10, 10), 25},
      {webpExtended(10, 10), 30}};
  for (const auto& [header, sizeFieldsEnd] : headers) {
    for (std::size_t length = 1; length < sizeFieldsEnd; ++length) {
      EXPECT_EQ(statusOf(header.substr(0, length)), HeaderStatus::kTruncated)
          << "prefix of " << length << " bytes of a " << header.size() << "-byte header";
    }
    EXPECT_EQ(statusOf(header.substr(0, sizeFieldsEnd)), HeaderStatus::kOk);
  }
  EXPECT_EQ(statusOf(""), HeaderStatus::kTruncated);
}

TEST(ImageHeader, RefusesUnknownFormats) {
  for (const std::string& bytes :
       {std::string("GIF89a\x01\x00\x01\x00", 10), std::string("BM\x36\x00\x00\x00", 6),
        std::string("II*\0", 4), std::string("hello, this is a text file\n"),
        std::string("RIFF\x24\x00\x00\x00WAVEfmt ", 16), std::string("\x00\x00\x00\x0cjP  ", 8)}) {
    EXPECT_EQ(statusOf(bytes), HeaderStatus::kUnknownFormat) << bytes;
  }
}

TEST(ImageHeader, ReportsMalformedHeaders) {
  std::string wrongChunk = pngHeader(10, 10);
  wrongChunk.replace(12, 4, "IDAT");
  EXPECT_EQ(statusOf(wrongChunk), HeaderStatus::kMalformed);
  EXPECT_EQ(statusOf(pngHeader(0, 10)), HeaderStatus::kMalformed);
  EXPECT_EQ(statusOf(jpegHeader(10, 0)), HeaderStatus::kMalformed);
  const std::string scanBeforeFrame =
      std::string("\xFF\xD8", 2) + jpegSegment(0xDA, std::string(10, '\0'));
  EXPECT_EQ(statusOf(scanBeforeFrame), HeaderStatus::kMalformed);
  EXPECT_EQ(statusOf(std::string("\xFF\xD8\xFF\xD9", 4)), HeaderStatus::kMalformed);
  EXPECT_EQ(statusOf(std::string("\xFF\xD8\xFF\xE0\x00\x01", 6)), HeaderStatus::kMalformed);
  EXPECT_EQ(statusOf(riffWebp("ALPH", std::string(12, '\0'))), HeaderStatus::kMalformed);
}

TEST(ImageHeader, DetectsCutJpegAndPngData) {
  // Noise makes the entropy-coded data realistic: full of 0xFF bytes that must be escaped.
  cv::Mat noise(120, 160, CV_8UC3);
  cv::randu(noise, cv::Scalar::all(0), cv::Scalar::all(256));
  for (const char* extension : {".jpg", ".png"}) {
    std::vector<uchar> encoded;
    ASSERT_TRUE(cv::imencode(extension, noise, encoded));
    const std::string bytes(encoded.begin(), encoded.end());
    const ImageFormat format = readImageHeader(bytes).dimensions.format;
    EXPECT_TRUE(hasCompleteContainer(bytes, format)) << extension;
    EXPECT_FALSE(hasCompleteContainer(bytes.substr(0, bytes.size() / 2), format)) << extension;
    EXPECT_FALSE(hasCompleteContainer(bytes.substr(0, bytes.size() - 2), format)) << extension;
  }
  const std::string webp = webpLossy(10, 10);
  EXPECT_TRUE(hasCompleteContainer(webp, ImageFormat::kWebp));
  EXPECT_FALSE(hasCompleteContainer(webp.substr(0, webp.size() - 1), ImageFormat::kWebp));
}

}  // namespace
}  // namespace classifier
