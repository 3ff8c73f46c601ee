#include "classifier/image_header.hpp"

#include <algorithm>
#include <optional>

namespace classifier {
namespace {

constexpr std::string_view kPngSignature("\x89PNG\r\n\x1a\n", 8);
constexpr std::string_view kPngIend("IEND", 4);
constexpr unsigned char kJpegMarkerPrefix = 0xFF;
constexpr unsigned char kJpegEndOfImage = 0xD9;
constexpr unsigned char kJpegStartOfScan = 0xDA;

std::uint8_t byteAt(std::string_view bytes, std::size_t offset) {
  return static_cast<std::uint8_t>(bytes[offset]);
}

std::uint32_t bigEndian16(std::string_view bytes, std::size_t offset) {
  return (std::uint32_t{byteAt(bytes, offset)} << 8) | byteAt(bytes, offset + 1);
}

std::uint32_t bigEndian32(std::string_view bytes, std::size_t offset) {
  return (bigEndian16(bytes, offset) << 16) | bigEndian16(bytes, offset + 2);
}

std::uint32_t littleEndian16(std::string_view bytes, std::size_t offset) {
  return std::uint32_t{byteAt(bytes, offset)} | (std::uint32_t{byteAt(bytes, offset + 1)} << 8);
}

std::uint32_t littleEndian24(std::string_view bytes, std::size_t offset) {
  return littleEndian16(bytes, offset) | (std::uint32_t{byteAt(bytes, offset + 2)} << 16);
}

std::uint32_t littleEndian32(std::string_view bytes, std::size_t offset) {
  return littleEndian16(bytes, offset) | (littleEndian16(bytes, offset + 2) << 16);
}

// True when `bytes` is a prefix of `signature` or starts with it: a short prefix is a truncated
// file of that format rather than an unknown one.
bool matchesSignature(std::string_view bytes, std::string_view signature) {
  const std::size_t n = std::min(bytes.size(), signature.size());
  return n > 0 && bytes.substr(0, n) == signature.substr(0, n);
}

HeaderReadResult result(HeaderStatus status) { return {status, {}}; }

HeaderReadResult sized(ImageFormat format, std::uint32_t width, std::uint32_t height) {
  if (width == 0 || height == 0) return result(HeaderStatus::kMalformed);
  return {HeaderStatus::kOk, {format, width, height}};
}

// PNG: signature, then the IHDR chunk (length 13) whose data starts with width and height.
HeaderReadResult readPng(std::string_view bytes) {
  constexpr std::size_t kHeaderEnd = 24;
  if (bytes.size() < kHeaderEnd) return result(HeaderStatus::kTruncated);
  if (bigEndian32(bytes, 8) != 13 || bytes.substr(12, 4) != "IHDR") {
    return result(HeaderStatus::kMalformed);
  }
  return sized(ImageFormat::kPng, bigEndian32(bytes, 16), bigEndian32(bytes, 20));
}

bool isJpegStartOfFrame(unsigned char marker) {
  // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range.
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

bool isJpegStandaloneMarker(unsigned char marker) {
  return marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8);  // TEM, RSTn, SOI: no length
}

struct JpegSegment {
  unsigned char marker = 0;
  std::size_t dataOffset = 0;  // first byte after the 2-byte length
  std::size_t dataLength = 0;
};

// Walks the marker segments after SOI; calls `visit` for each until it returns false. Returns
// kTruncated/kMalformed when the walk breaks, kOk when `visit` stopped it.
template <typename Visitor>
HeaderStatus walkJpegSegments(std::string_view bytes, Visitor visit) {
  std::size_t pos = 2;
  while (true) {
    if (pos >= bytes.size()) return HeaderStatus::kTruncated;
    if (byteAt(bytes, pos) != kJpegMarkerPrefix) return HeaderStatus::kMalformed;
    while (pos < bytes.size() && byteAt(bytes, pos) == kJpegMarkerPrefix) ++pos;  // fill bytes
    if (pos >= bytes.size()) return HeaderStatus::kTruncated;
    const unsigned char marker = byteAt(bytes, pos++);
    if (isJpegStandaloneMarker(marker)) continue;
    if (marker == kJpegEndOfImage) return HeaderStatus::kMalformed;  // ended before a frame
    if (pos + 2 > bytes.size()) return HeaderStatus::kTruncated;
    const std::size_t length = bigEndian16(bytes, pos);
    if (length < 2) return HeaderStatus::kMalformed;
    const JpegSegment segment{marker, pos + 2, length - 2};
    if (!visit(segment)) return HeaderStatus::kOk;
    pos += length;
  }
}

HeaderReadResult readJpeg(std::string_view bytes) {
  if (bytes.size() < 2) return result(HeaderStatus::kTruncated);
  std::optional<HeaderReadResult> found;
  const HeaderStatus walk = walkJpegSegments(bytes, [&](const JpegSegment& segment) {
    if (segment.marker == kJpegStartOfScan) {
      found = result(HeaderStatus::kMalformed);  // image data before any frame header
      return false;
    }
    if (!isJpegStartOfFrame(segment.marker)) return true;
    // Frame header: precision (1 byte), height (2), width (2).
    if (segment.dataOffset + 5 > bytes.size()) {
      found = result(HeaderStatus::kTruncated);
    } else {
      found = sized(ImageFormat::kJpeg, bigEndian16(bytes, segment.dataOffset + 3),
                    bigEndian16(bytes, segment.dataOffset + 1));
    }
    return false;
  });
  return found ? *found : result(walk);
}

// WebP: RIFF container; the first chunk is VP8 (lossy), VP8L (lossless) or VP8X (extended).
HeaderReadResult readWebp(std::string_view bytes) {
  constexpr std::size_t kChunkData = 20;
  if (bytes.size() < kChunkData) return result(HeaderStatus::kTruncated);
  const std::string_view chunk = bytes.substr(12, 4);
  if (chunk == "VP8 ") {
    // Frame tag (3 bytes), start code 9D 01 2A, then 14-bit width and height.
    if (bytes.size() < kChunkData + 10) return result(HeaderStatus::kTruncated);
    if (bytes.substr(kChunkData + 3, 3) != "\x9d\x01\x2a") return result(HeaderStatus::kMalformed);
    return sized(ImageFormat::kWebp, littleEndian16(bytes, kChunkData + 6) & 0x3FFFu,
                 littleEndian16(bytes, kChunkData + 8) & 0x3FFFu);
  }
  if (chunk == "VP8L") {
    // Signature 0x2F, then 14 bits width-1 and 14 bits height-1.
    if (bytes.size() < kChunkData + 5) return result(HeaderStatus::kTruncated);
    if (byteAt(bytes, kChunkData) != 0x2F) return result(HeaderStatus::kMalformed);
    const std::uint32_t bits = littleEndian32(bytes, kChunkData + 1);
    return sized(ImageFormat::kWebp, (bits & 0x3FFFu) + 1, ((bits >> 14) & 0x3FFFu) + 1);
  }
  if (chunk == "VP8X") {
    // Flags (4 bytes), then 24 bits canvas width-1 and 24 bits canvas height-1.
    if (bytes.size() < kChunkData + 10) return result(HeaderStatus::kTruncated);
    return sized(ImageFormat::kWebp, littleEndian24(bytes, kChunkData + 4) + 1,
                 littleEndian24(bytes, kChunkData + 7) + 1);
  }
  return result(HeaderStatus::kMalformed);
}

bool isWebp(std::string_view bytes) {
  if (!matchesSignature(bytes, "RIFF")) return false;
  if (bytes.size() <= 8) return true;  // too short to tell: treat as a truncated RIFF/WebP
  return matchesSignature(bytes.substr(8), "WEBP");
}

bool jpegHasEndAfterFirstScan(std::string_view bytes) {
  std::size_t scanStart = 0;
  walkJpegSegments(bytes, [&](const JpegSegment& segment) {
    if (segment.marker != kJpegStartOfScan) return true;
    scanStart = segment.dataOffset + segment.dataLength;
    return false;
  });
  // Entropy-coded data escapes 0xFF as FF 00, so FF D9 after the first scan header is the EOI.
  constexpr std::string_view kEndOfImage("\xFF\xD9", 2);
  return scanStart > 0 && scanStart < bytes.size() &&
         bytes.find(kEndOfImage, scanStart) != std::string_view::npos;
}

}  // namespace

HeaderReadResult readImageHeader(std::string_view bytes) {
  if (bytes.empty()) return result(HeaderStatus::kTruncated);
  if (matchesSignature(bytes, kPngSignature)) return readPng(bytes);
  if (matchesSignature(bytes, std::string_view("\xFF\xD8\xFF", 3))) return readJpeg(bytes);
  if (isWebp(bytes)) return readWebp(bytes);
  return result(HeaderStatus::kUnknownFormat);
}

bool hasCompleteContainer(std::string_view bytes, ImageFormat format) {
  switch (format) {
    case ImageFormat::kPng: {
      // The IEND chunk: type and CRC, after an empty data field.
      const std::size_t end = bytes.rfind(kPngIend);
      return end != std::string_view::npos && end > kPngSignature.size() && end + 8 <= bytes.size();
    }
    case ImageFormat::kJpeg:
      return jpegHasEndAfterFirstScan(bytes);
    case ImageFormat::kWebp:
      return bytes.size() >= 12 && std::uint64_t{littleEndian32(bytes, 4)} + 8 <= bytes.size();
  }
  return false;
}

std::string_view imageFormatName(ImageFormat format) {
  switch (format) {
    case ImageFormat::kPng:
      return "PNG";
    case ImageFormat::kJpeg:
      return "JPEG";
    case ImageFormat::kWebp:
      return "WebP";
  }
  return "image";
}

}  // namespace classifier
