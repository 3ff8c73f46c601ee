#include "classifier/image_decoder.hpp"

#include <climits>
#include <opencv2/imgcodecs.hpp>
#include <string>

#include "classifier/error_type.hpp"
#include "classifier/image_header.hpp"

namespace classifier {
namespace {

[[noreturn]] void undecodable(const std::string& reason) {
  throw ClassifierError(ErrorType::kUndecodableImage, reason);
}

ImageDimensions checkedDimensions(std::string_view bytes, std::uint64_t maxPixels) {
  if (bytes.empty()) undecodable("the image is empty");
  const HeaderReadResult header = readImageHeader(bytes);
  switch (header.status) {
    case HeaderStatus::kOk:
      break;
    case HeaderStatus::kUnknownFormat:
      undecodable("unsupported image format (JPEG, PNG and WebP are accepted)");
    case HeaderStatus::kTruncated:
      undecodable("the image is truncated before its size is declared");
    case HeaderStatus::kMalformed:
      undecodable("the image header is malformed");
  }
  const ImageDimensions& dims = header.dimensions;
  if (dims.pixelCount() > maxPixels) {
    throw ClassifierError(ErrorType::kImageTooLarge,
                          std::string(imageFormatName(dims.format)) + " declares " +
                              std::to_string(dims.width) + "x" + std::to_string(dims.height) +
                              " = " + std::to_string(dims.pixelCount()) +
                              " pixels, over the limit of " + std::to_string(maxPixels));
  }
  if (!hasCompleteContainer(bytes, dims.format)) {
    undecodable(std::string("the ") + std::string(imageFormatName(dims.format)) +
                " data is truncated");
  }
  return dims;
}

}  // namespace

cv::Mat decodeImage(std::string_view bytes, std::uint64_t maxPixels) {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
    throw ClassifierError(ErrorType::kImageTooLarge, "the image exceeds 2 GiB");
  }
  const ImageDimensions dims = checkedDimensions(bytes, maxPixels);
  cv::Mat image;
  try {
    // imdecode takes a non-owning Mat header over our bytes; it does not write to them.
    const cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8UC1,
                         const_cast<char*>(bytes.data()));
    image = cv::imdecode(buffer, cv::IMREAD_COLOR);
  } catch (const cv::Exception& e) {
    undecodable("OpenCV could not decode the " + std::string(imageFormatName(dims.format)) +
                " data: " + e.err);
  }
  if (image.empty()) {
    undecodable("the " + std::string(imageFormatName(dims.format)) + " data could not be decoded");
  }
  return image;
}

}  // namespace classifier
