#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <string_view>

namespace classifier {

// Checks the declared size and the container, then decodes to 8-bit BGR. Throws ClassifierError:
// kImageTooLarge when the header declares more than `maxPixels`, kUndecodableImage otherwise.
cv::Mat decodeImage(std::string_view bytes, std::uint64_t maxPixels);

}  // namespace classifier
