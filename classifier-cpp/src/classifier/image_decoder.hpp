#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <string_view>

namespace classifier {

// Checks the declared size and the container, then decodes JPEG, PNG or WebP to 8-bit BGR with
// libjpeg, libpng or libwebp, as cv::imdecode(IMREAD_COLOR) would: gray expanded to 3 channels,
// alpha dropped, 16-bit PNG reduced to 8 bits, palettes expanded, JPEG EXIF orientation applied.
// Throws ClassifierError: kImageTooLarge when the header declares more than `maxPixels`,
// kUndecodableImage otherwise (corrupt data included; the libraries' errors never exit or crash).
cv::Mat decodeImage(std::string_view bytes, std::uint64_t maxPixels);

}  // namespace classifier
