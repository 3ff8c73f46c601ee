#pragma once

#include <cstddef>
#include <cstdint>
#include <opencv2/core.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace classifier {

// Decodes JPEG, PNG or WebP to 8-bit BGR with libjpeg, libpng or libwebp, as
// cv::imdecode(IMREAD_COLOR) would: gray expanded to 3 channels, alpha dropped, 16-bit PNG reduced
// to 8 bits, palettes expanded, JPEG EXIF orientation applied.
// Throws ClassifierError: kImageTooLarge when the file declares more than `maxPixels` (checked by
// each decoder from the declared size, before it allocates for the image: a decompression bomb
// costs nothing); kUndecodableImage otherwise ("the <format> data is truncated" for a cut file,
// which libjpeg would otherwise grey-fill; corrupt data included; the libraries never exit or
// crash). The libraries' warnings (e.g. libpng's "iCCP: known incorrect sRGB profile", libjpeg's
// "Corrupt JPEG data: ...") never reach stderr: they go to `warnings` when given (at most
// kMaxDecoderWarnings), else nowhere, so that every line the process writes stays JSON.
constexpr std::size_t kMaxDecoderWarnings = 8;
cv::Mat decodeImage(std::string_view bytes, std::uint64_t maxPixels,
                    std::vector<std::string>* warnings = nullptr);

}  // namespace classifier
