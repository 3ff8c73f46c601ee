#include "classifier/error_type.hpp"

namespace classifier {

std::string_view errorTypeName(ErrorType type) {
  switch (type) {
    case ErrorType::kInvalidRequest:
      return "InvalidRequest";
    case ErrorType::kDownloadFailed:
      return "DownloadFailed";
    case ErrorType::kImageTooLarge:
      return "ImageTooLarge";
    case ErrorType::kUndecodableImage:
      return "UndecodableImage";
    case ErrorType::kModelError:
      return "ModelError";
    case ErrorType::kDeadlineExceeded:
      return "DeadlineExceeded";
  }
  return "ModelError";
}

}  // namespace classifier
