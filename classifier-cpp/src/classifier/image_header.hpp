#pragma once

#include <cstdint>
#include <string_view>

namespace classifier {

// Reads what an image's container declares, without decoding pixels. This is the guard against
// decompression bombs: a tiny file may declare 30000x30000 pixels, so the size must be known, and
// refused, before the decoder (libjpeg, libpng, libwebp) allocates anything.

enum class ImageFormat { kPng, kJpeg, kWebp };

struct ImageDimensions {
  ImageFormat format = ImageFormat::kPng;
  std::uint32_t width = 0;
  std::uint32_t height = 0;

  std::uint64_t pixelCount() const { return std::uint64_t{width} * height; }
};

enum class HeaderStatus {
  kOk,
  kUnknownFormat,  // not PNG, JPEG or WebP (the only formats we decode)
  kTruncated,      // the signature matched but the bytes end before the size fields
  kMalformed,      // the structure is wrong, or the declared size is zero
};

struct HeaderReadResult {
  HeaderStatus status = HeaderStatus::kUnknownFormat;
  ImageDimensions dimensions;
};

HeaderReadResult readImageHeader(std::string_view bytes);

// Whether the container's end is present: libjpeg silently grey-fills a truncated JPEG, so a cut
// file must be caught here. JPEG: an EOI marker after the first scan; PNG: a whole IEND chunk;
// WebP: the RIFF size fits in the bytes. Assumes readImageHeader returned kOk for `format`.
bool hasCompleteContainer(std::string_view bytes, ImageFormat format);

std::string_view imageFormatName(ImageFormat format);

}  // namespace classifier
