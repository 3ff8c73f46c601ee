#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace classifier {

// The typed failures of the contract; their names are the Lambda `errorType` values.
enum class ErrorType {
  kInvalidRequest,
  kDownloadFailed,
  kImageTooLarge,
  kUndecodableImage,
  kModelError,
  kDeadlineExceeded,
};

std::string_view errorTypeName(ErrorType type);

// Thrown inside the classifier library and turned into a typed failure by the handler.
class ClassifierError : public std::runtime_error {
 public:
  ClassifierError(ErrorType type, const std::string& message)
      : std::runtime_error(message), type_(type) {}

  ErrorType type() const { return type_; }

 private:
  ErrorType type_;
};

}  // namespace classifier
