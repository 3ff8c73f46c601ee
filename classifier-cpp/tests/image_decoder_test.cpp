#include "classifier/image_decoder.hpp"

#include <gtest/gtest.h>
#include <png.h>

#include <cstring>
#include <opencv2/imgcodecs.hpp>
#include <random>
#include <string>
#include <tuple>
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

// What OpenCV's own decoder (imgcodecs, which the classifier no longer links) makes of `bytes`.
cv::Mat imdecodeReference(const std::string& bytes) {
  const std::vector<uchar> buffer(bytes.begin(), bytes.end());
  return cv::imdecode(buffer, cv::IMREAD_COLOR);
}

void expectSameAsImdecode(const std::string& bytes, const std::string& what) {
  SCOPED_TRACE(what);
  const cv::Mat expected = imdecodeReference(bytes);
  ASSERT_FALSE(expected.empty());
  const cv::Mat decoded = decodeImage(bytes, kMaxPixels);
  ASSERT_EQ(decoded.type(), CV_8UC3);
  ASSERT_EQ(decoded.size(), expected.size());
  EXPECT_EQ(cv::norm(decoded, expected, cv::NORM_INF), 0.0);
}

cv::Mat noiseImage(int rows, int cols, int type) {
  cv::Mat noise(rows, cols, type);
  cv::randu(noise, cv::Scalar::all(0), cv::Scalar::all(CV_MAT_DEPTH(type) == CV_16U ? 65536 : 256));
  return noise;
}

void appendBytes(png_structp png, png_bytep data, std::size_t length) {
  auto* out = static_cast<std::string*>(png_get_io_ptr(png));
  out->append(reinterpret_cast<const char*>(data), length);
}

// A PNG in a form imencode cannot write (palette with tRNS, gray with alpha, low bit depths,
// interlaced). `rows` holds packed samples as libpng expects them for `colorType`/`bitDepth`.
std::string writePng(int width, int height, int colorType, int bitDepth, bool interlaced,
                     const std::vector<std::vector<png_byte>>& rows,
                     const std::vector<png_color>& palette = {},
                     const std::vector<png_byte>& paletteAlpha = {}) {
  std::string out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  if (setjmp(png_jmpbuf(png)) != 0) {
    png_destroy_write_struct(&png, &info);
    ADD_FAILURE() << "libpng could not write the test image";
    return {};
  }
  png_set_write_fn(png, &out, appendBytes, nullptr);
  png_set_IHDR(png, info, static_cast<png_uint_32>(width), static_cast<png_uint_32>(height),
               bitDepth, colorType, interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (!palette.empty()) {
    png_set_PLTE(png, info, palette.data(), static_cast<int>(palette.size()));
  }
  if (!paletteAlpha.empty()) {
    png_set_tRNS(png, info, paletteAlpha.data(), static_cast<int>(paletteAlpha.size()), nullptr);
  }
  png_write_info(png, info);
  std::vector<png_bytep> pointers;
  pointers.reserve(rows.size());
  for (const auto& row : rows) pointers.push_back(const_cast<png_bytep>(row.data()));
  png_write_image(png, pointers.data());
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

// `jpeg` with an EXIF APP1 segment declaring `orientation` inserted right after SOI.
std::string withExifOrientation(const std::string& jpeg, int orientation) {
  std::string tiff("II*\0\x08\0\0\0", 8);
  tiff += std::string("\x01\0", 2);                    // one IFD0 entry
  tiff += std::string("\x12\x01\x03\0\x01\0\0\0", 8);  // 0x0112 SHORT x1
  tiff += static_cast<char>(orientation);
  tiff += std::string(3, '\0');
  tiff += std::string(4, '\0');  // no next IFD
  const std::string payload = std::string("Exif\0\0", 6) + tiff;
  const std::size_t length = payload.size() + 2;
  std::string segment("\xff\xe1", 2);
  segment += static_cast<char>(length >> 8);
  segment += static_cast<char>(length & 0xff);
  return jpeg.substr(0, 2) + segment + payload + jpeg.substr(2);
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

// ---- Synthetic headers: a few bytes that declare a size, and nothing (or little) else ----

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

// Signature + IHDR (8-bit RGB) with a dummy CRC: the size is read before libpng checks anything.
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
  return riffWebp("VP8L",
                  std::string("/") /* 0x2f */ + littleEndian(bits, 4) + std::string(3, '\0'));
}

std::string webpExtended(std::uint32_t width, std::uint32_t height) {
  return riffWebp("VP8X",
                  std::string(4, '\0') + littleEndian(width - 1, 3) + littleEndian(height - 1, 3));
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

TEST(ImageDecoder, RefusesBombsInEveryContainerFromTheDeclaredSizeAlone) {
  // An EXIF thumbnail carries its own SOF, and fill bytes may precede a marker: only the
  // top-level frame counts.
  const std::string exifThenFrame =
      std::string("\xFF\xD8", 2) + jpegSegment(0xE1, "Exif" + jpegFrame(0xC0, 160, 120)) +
      jpegSegment(0xC4, std::string("\x00\x01", 2) + std::string(15, '\0') + '\0') + "\xFF\xFF" +
      jpegFrame(0xC1, 30000, 2000);
  const std::vector<std::pair<std::string, std::string>> bombs = {
      {pngHeader(30000, 30000), "PNG declares 30000x30000"},
      {pngHeader(50'000'000, 1), "PNG declares 50000000x1"},    // over libpng's own 1e6 default
      {jpegHeader(30000, 30000), "JPEG declares 30000x30000"},  // baseline
      {jpegHeader(65535, 65535, 0xC2), "JPEG declares 65535x65535"},  // progressive
      {exifThenFrame, "JPEG declares 30000x2000"},
      {webpLossy(16383, 16383), "WebP declares 16383x16383"},
      {webpLossless(16384, 16384), "WebP declares 16384x16384"},
      {webpExtended(16777216, 3), "WebP declares 16777216x3"}};
  for (const auto& [bomb, declares] : bombs) {
    const auto [type, message] = failureOf(bomb);
    EXPECT_EQ(type, ErrorType::kImageTooLarge) << declares << ": " << message;
    EXPECT_EQ(message.rfind(declares, 0), 0u) << message;
    EXPECT_NE(message.find("over the limit of 40000000"), std::string::npos) << message;
  }
}

TEST(ImageDecoder, ReadsTheDeclaredSizeOfEveryContainerKind) {
  // The same headers, under a limit just below and at their size: refused, then not refused for
  // size.
  const std::vector<std::tuple<std::string, std::uint64_t, std::uint64_t>> headers = {
      {pngHeader(640, 480), 640, 480},        {jpegHeader(1024, 768), 1024, 768},
      {jpegHeader(300, 200, 0xC2), 300, 200}, {webpLossy(800, 600), 800, 600},
      {webpLossless(16384, 1), 16384, 1},     {webpExtended(70000, 3), 70000, 3}};
  for (const auto& [header, width, height] : headers) {
    EXPECT_EQ(failureOf(header, width * height - 1).first, ErrorType::kImageTooLarge) << width;
    // At the limit the header passes; what follows it (nothing, or no pixel data) does not.
    EXPECT_EQ(failureOf(header, width * height).first, ErrorType::kUndecodableImage) << width;
  }
}

TEST(ImageDecoder, AppliesThePixelLimitInclusivelyInEveryFormat) {
  const cv::Mat black(100, 100, CV_8UC3, cv::Scalar::all(0));
  for (const char* extension : {".png", ".jpg", ".webp"}) {
    const std::string bytes = encode(black, extension);
    EXPECT_EQ(decodeImage(bytes, 10000).size(), cv::Size(100, 100)) << extension;
    EXPECT_EQ(failureOf(bytes, 9999).first, ErrorType::kImageTooLarge) << extension;
  }
}

TEST(ImageDecoder, ReportsEveryCutOfARealFileAsTruncated) {
  const cv::Mat noise = noiseImage(10, 12, CV_8UC3);
  const std::vector<std::tuple<std::string, std::vector<int>, std::string>> encodings = {
      {".png", {}, "PNG"},
      {".jpg", {}, "JPEG"},
      {".jpg", {cv::IMWRITE_JPEG_PROGRESSIVE, 1}, "JPEG"},
      {".webp", {cv::IMWRITE_WEBP_QUALITY, 80}, "WebP"},
      {".webp", {cv::IMWRITE_WEBP_QUALITY, 101}, "WebP"}};
  for (const auto& [extension, parameters, format] : encodings) {
    std::vector<uchar> encoded;
    ASSERT_TRUE(cv::imencode(extension, noise, encoded, parameters));
    const std::string bytes(encoded.begin(), encoded.end());
    for (std::size_t length = 1; length < bytes.size(); ++length) {
      EXPECT_EQ(
          failureOf(bytes.substr(0, length)),
          std::make_pair(ErrorType::kUndecodableImage, "the " + format + " data is truncated"))
          << extension << " cut to " << length << " of " << bytes.size() << " bytes";
    }
  }
}

TEST(ImageDecoder, RefusesEmptyTextAndUnknownFormats) {
  EXPECT_EQ(failureOf(""),
            std::make_pair(ErrorType::kUndecodableImage, std::string("the image is empty")));
  EXPECT_EQ(
      failureOf("just some text\n"),
      std::make_pair(ErrorType::kUndecodableImage,
                     std::string("unsupported image format (JPEG, PNG and WebP are accepted)")));
  EXPECT_EQ(failureOf(encode(cv::Mat(4, 4, CV_8UC3), ".bmp")).first, ErrorType::kUndecodableImage);
  for (const std::string& bytes :
       {std::string("GIF89a\x01\x00\x01\x00", 10), std::string("BM\x36\x00\x00\x00", 6),
        std::string("II*\0", 4), std::string("RIFF\x24\x00\x00\x00WAVEfmt ", 16),
        std::string("\x00\x00\x00\x0cjP  ", 8), std::string("\xFF\xD9", 2)}) {
    EXPECT_EQ(
        failureOf(bytes),
        std::make_pair(ErrorType::kUndecodableImage,
                       std::string("unsupported image format (JPEG, PNG and WebP are accepted)")))
        << bytes;
  }
}

TEST(ImageDecoder, RefusesMalformedHeaders) {
  std::string wrongChunk = pngHeader(10, 10);
  wrongChunk.replace(12, 4, "IDAT");
  const std::string scanBeforeFrame =
      std::string("\xFF\xD8", 2) + jpegSegment(0xDA, std::string(10, '\0'));
  for (const std::string& bytes :
       {wrongChunk, pngHeader(0, 10), jpegHeader(10, 0), scanBeforeFrame,
        std::string("\xFF\xD8\xFF\xD9", 4), std::string("\xFF\xD8\xFF\xE0\x00\x01", 6),
        riffWebp("ALPH", std::string(12, '\0'))}) {
    EXPECT_EQ(failureOf(bytes).first, ErrorType::kUndecodableImage) << bytes.size() << " bytes";
  }
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
  EXPECT_EQ(
      failureOf(jpeg.substr(0, jpeg.size() - 2)),  // all but the EOI marker
      std::make_pair(ErrorType::kUndecodableImage, std::string("the JPEG data is truncated")));
  const std::string png = encode(noise, ".png");
  EXPECT_EQ(failureOf(png.substr(0, png.size() - 1)).first, ErrorType::kUndecodableImage);
  EXPECT_EQ(failureOf(png.substr(0, png.size() / 2)).first, ErrorType::kUndecodableImage);
  EXPECT_EQ(failureOf(png.substr(0, png.size() - 2)),
            std::make_pair(ErrorType::kUndecodableImage, std::string("the PNG data is truncated")));
  const std::string webp = encode(noise, ".webp");
  EXPECT_EQ(
      failureOf(webp.substr(0, webp.size() - 1)),
      std::make_pair(ErrorType::kUndecodableImage, std::string("the WebP data is truncated")));
}

TEST(ImageDecoder, RefusesCorruptPixelDataBehindAValidHeader) {
  std::string png = encode(cv::Mat(64, 64, CV_8UC3, cv::Scalar(1, 2, 3)), ".png");
  const std::size_t data = png.find("IDAT") + 4;
  for (std::size_t i = data; i < data + 16 && i < png.size(); ++i) png[i] = '\x55';
  const auto [type, message] = failureOf(png);
  EXPECT_EQ(type, ErrorType::kUndecodableImage);
  EXPECT_EQ(message, "the PNG data could not be decoded");
}

TEST(ImageDecoder, DecodesPureRedToBgrInEveryFormat) {
  const cv::Mat red(16, 24, CV_8UC3, cv::Scalar(0, 0, 255));  // BGR
  const std::vector<std::pair<std::string, std::vector<int>>> encodings = {
      {".png", {}},
      {".jpg", {cv::IMWRITE_JPEG_QUALITY, 95}},
      {".webp", {cv::IMWRITE_WEBP_QUALITY, 101}},  // lossless
      {".webp", {cv::IMWRITE_WEBP_QUALITY, 90}}};
  for (const auto& [extension, parameters] : encodings) {
    SCOPED_TRACE(extension);
    std::vector<uchar> bytes;
    ASSERT_TRUE(cv::imencode(extension, red, bytes, parameters));
    const cv::Mat decoded = decodeImage(std::string(bytes.begin(), bytes.end()), kMaxPixels);
    ASSERT_EQ(decoded.type(), CV_8UC3);
    EXPECT_EQ(decoded.size(), cv::Size(24, 16));
    const cv::Vec3b pixel = decoded.at<cv::Vec3b>(8, 12);
    EXPECT_LE(pixel[0], 4);  // lossy formats shift colours by a few levels, never swap channels
    EXPECT_LE(pixel[1], 4);
    EXPECT_GE(pixel[2], 248);
  }
}

TEST(ImageDecoder, ExpandsGrayDropsAlphaAndReducesSixteenBits) {
  const cv::Mat gray =
      decodeImage(encode(cv::Mat(8, 8, CV_8UC1, cv::Scalar(50)), ".png"), kMaxPixels);
  EXPECT_EQ(gray.at<cv::Vec3b>(3, 3), cv::Vec3b(50, 50, 50));
  const cv::Mat grayJpeg =
      decodeImage(encode(cv::Mat(8, 8, CV_8UC1, cv::Scalar(50)), ".jpg"), kMaxPixels);
  ASSERT_EQ(grayJpeg.type(), CV_8UC3);
  EXPECT_EQ(grayJpeg.at<cv::Vec3b>(3, 3), cv::Vec3b(50, 50, 50));
  // Alpha is dropped, not composited: a transparent pixel keeps its colour.
  const cv::Mat bgra(8, 8, CV_8UC4, cv::Scalar(1, 2, 3, 0));
  EXPECT_EQ(decodeImage(encode(bgra, ".png"), kMaxPixels).at<cv::Vec3b>(3, 3), cv::Vec3b(1, 2, 3));
  std::vector<uchar> webp;
  ASSERT_TRUE(cv::imencode(".webp", cv::Mat(8, 8, CV_8UC4, cv::Scalar(10, 20, 30, 40)), webp,
                           {cv::IMWRITE_WEBP_QUALITY, 101}));
  EXPECT_EQ(decodeImage(std::string(webp.begin(), webp.end()), kMaxPixels).at<cv::Vec3b>(3, 3),
            cv::Vec3b(10, 20, 30));
  const cv::Mat deep(8, 8, CV_16UC3, cv::Scalar(65535, 0x8000, 0x00ff));
  EXPECT_EQ(decodeImage(encode(deep, ".png"), kMaxPixels).at<cv::Vec3b>(3, 3),
            cv::Vec3b(255, 0x80, 0));
}

TEST(ImageDecoder, MatchesImdecodePixelForPixel) {
  const cv::Mat colour = noiseImage(37, 53, CV_8UC3);
  const std::vector<std::pair<std::string, std::vector<int>>> colourEncodings = {
      {".jpg", {cv::IMWRITE_JPEG_QUALITY, 90}},
      {".jpg", {cv::IMWRITE_JPEG_QUALITY, 75, cv::IMWRITE_JPEG_PROGRESSIVE, 1}},
      {".jpg",
       {cv::IMWRITE_JPEG_QUALITY, 95, cv::IMWRITE_JPEG_OPTIMIZE, 1, cv::IMWRITE_JPEG_RST_INTERVAL,
        4}},
      {".png", {}},
      {".webp", {cv::IMWRITE_WEBP_QUALITY, 80}},
      {".webp", {cv::IMWRITE_WEBP_QUALITY, 101}}};
  for (const auto& [extension, parameters] : colourEncodings) {
    std::vector<uchar> bytes;
    ASSERT_TRUE(cv::imencode(extension, colour, bytes, parameters));
    expectSameAsImdecode(std::string(bytes.begin(), bytes.end()), "colour " + extension);
  }
  expectSameAsImdecode(encode(noiseImage(37, 53, CV_8UC1), ".jpg"), "gray JPEG");
  expectSameAsImdecode(encode(noiseImage(37, 53, CV_8UC1), ".png"), "gray PNG");
  expectSameAsImdecode(encode(noiseImage(37, 53, CV_8UC4), ".png"), "BGRA PNG");
  expectSameAsImdecode(encode(noiseImage(37, 53, CV_16UC3), ".png"), "16-bit PNG");
  expectSameAsImdecode(encode(noiseImage(37, 53, CV_16UC1), ".png"), "16-bit gray PNG");
  std::vector<uchar> webpAlpha;
  ASSERT_TRUE(cv::imencode(".webp", noiseImage(37, 53, CV_8UC4), webpAlpha,
                           {cv::IMWRITE_WEBP_QUALITY, 80}));
  expectSameAsImdecode(std::string(webpAlpha.begin(), webpAlpha.end()), "lossy WebP with alpha");
}

TEST(ImageDecoder, MatchesImdecodeForPaletteLowDepthAndInterlacedPngs) {
  std::mt19937 random(7);
  const int width = 19;
  const int height = 11;
  const auto packedRows = [&](int bitsPerPixel) {
    std::vector<std::vector<png_byte>> rows(height);
    for (auto& row : rows) {
      row.resize(static_cast<std::size_t>((width * bitsPerPixel + 7) / 8));
      for (auto& byte : row) byte = static_cast<png_byte>(random() & 0xff);
    }
    return rows;
  };
  std::vector<png_color> palette(16);
  for (auto& entry : palette) {
    entry = {static_cast<png_byte>(random() & 0xff), static_cast<png_byte>(random() & 0xff),
             static_cast<png_byte>(random() & 0xff)};
  }
  const std::vector<png_byte> paletteAlpha = {0, 64, 128, 255, 10};
  expectSameAsImdecode(
      writePng(width, height, PNG_COLOR_TYPE_PALETTE, 4, false, packedRows(4), palette),
      "4-bit palette");
  expectSameAsImdecode(writePng(width, height, PNG_COLOR_TYPE_PALETTE, 4, true, packedRows(4),
                                palette, paletteAlpha),
                       "interlaced 4-bit palette with tRNS");
  for (const int depth : {1, 2, 4}) {
    expectSameAsImdecode(
        writePng(width, height, PNG_COLOR_TYPE_GRAY, depth, false, packedRows(depth)),
        "gray depth " + std::to_string(depth));
  }
  expectSameAsImdecode(writePng(width, height, PNG_COLOR_TYPE_GRAY_ALPHA, 8, false, packedRows(16)),
                       "gray+alpha");
  expectSameAsImdecode(writePng(width, height, PNG_COLOR_TYPE_GRAY_ALPHA, 16, true, packedRows(32)),
                       "interlaced 16-bit gray+alpha");
  expectSameAsImdecode(writePng(width, height, PNG_COLOR_TYPE_RGB, 8, true, packedRows(24)),
                       "interlaced RGB");
}

TEST(ImageDecoder, AppliesJpegExifOrientationAsImdecodeDoes) {
  const std::string jpeg = encode(noiseImage(20, 30, CV_8UC3), ".jpg");
  for (int orientation = 1; orientation <= 8; ++orientation) {
    const std::string rotated = withExifOrientation(jpeg, orientation);
    expectSameAsImdecode(rotated, "orientation " + std::to_string(orientation));
    EXPECT_EQ(decodeImage(rotated, kMaxPixels).size(),
              orientation >= 5 ? cv::Size(20, 30) : cv::Size(30, 20));
  }
}

TEST(ImageDecoder, RefusesCorruptJpegAndWebpData) {
  // A Huffman table whose code counts overflow: libjpeg's error_exit (exit() by default) fires.
  std::string jpeg = encode(noiseImage(32, 32, CV_8UC3), ".jpg");
  const std::size_t dht = jpeg.find("\xff\xc4");
  ASSERT_NE(dht, std::string::npos);
  for (std::size_t i = dht + 5; i < dht + 21; ++i) jpeg[i] = '\xff';
  EXPECT_EQ(failureOf(jpeg), std::make_pair(ErrorType::kUndecodableImage,
                                            std::string("the JPEG data could not be decoded")));

  std::string webp = encode(noiseImage(32, 32, CV_8UC3), ".webp");
  for (std::size_t i = 30; i < webp.size(); ++i) webp[i] = '\0';
  EXPECT_EQ(failureOf(webp), std::make_pair(ErrorType::kUndecodableImage,
                                            std::string("the WebP data could not be decoded")));
}

TEST(ImageDecoder, HandsTheLibrariesWarningsToTheCallerInsteadOfStderr) {
  // Two stray bytes between markers: libjpeg warns "Corrupt JPEG data: 2 extraneous bytes ...".
  std::string jpeg = encode(noiseImage(16, 16, CV_8UC3), ".jpg");
  ASSERT_EQ(jpeg.substr(2, 2), "\xff\xe0");  // JFIF APP0, 16 bytes: the next marker is at 20
  jpeg.insert(20, std::string("\x00\x00", 2));
  // An ancillary tEXt chunk with a wrong CRC right after IHDR: libpng warns and reads on.
  std::string png = encode(noiseImage(16, 16, CV_8UC3), ".png");
  png.insert(33, std::string("\0\0\0\x05tEXta\0bcd\0\0\0\0", 17));

  for (const auto& [bytes, expected] : {std::make_pair(jpeg, std::string("extraneous bytes")),
                                        std::make_pair(png, std::string("CRC"))}) {
    std::vector<std::string> warnings;
    ::testing::internal::CaptureStderr();
    const cv::Mat decoded = decodeImage(bytes, kMaxPixels, &warnings);
    const std::string stderrText = ::testing::internal::GetCapturedStderr();
    EXPECT_EQ(decoded.size(), cv::Size(16, 16));
    EXPECT_EQ(stderrText, "");
    ASSERT_EQ(warnings.size(), 1u) << expected;
    EXPECT_NE(warnings[0].find(expected), std::string::npos) << warnings[0];

    ::testing::internal::CaptureStderr();
    EXPECT_EQ(decodeImage(bytes, kMaxPixels).size(), cv::Size(16, 16));  // nobody asked: dropped
    EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
  }
}

TEST(ImageDecoder, SurvivesRandomCorruptionOfEveryFormat) {
  // Whatever a flipped byte does, the outcome is a BGR image or a typed error, never a crash/exit.
  std::mt19937 random(42);
  const cv::Mat image = noiseImage(24, 32, CV_8UC3);
  for (const std::string extension : {".jpg", ".png", ".webp"}) {
    const std::string original = encode(image, extension);
    for (int attempt = 0; attempt < 150; ++attempt) {
      std::string bytes = original;
      const int flips = 1 + static_cast<int>(random() % 8);
      for (int i = 0; i < flips; ++i) {
        bytes[random() % bytes.size()] = static_cast<char>(random() & 0xff);
      }
      try {
        const cv::Mat decoded = decodeImage(bytes, kMaxPixels);
        EXPECT_EQ(decoded.type(), CV_8UC3);
      } catch (const ClassifierError& e) {
        EXPECT_TRUE(e.type() == ErrorType::kUndecodableImage ||
                    e.type() == ErrorType::kImageTooLarge)
            << extension << ": " << e.what();
      }
    }
  }
}

}  // namespace
}  // namespace classifier
