#pragma once

#include <exception>
#include <string>

#include "classifier/error_type.hpp"

namespace classifier {

struct Failure {
  ErrorType type = ErrorType::kModelError;
  std::string message;  // one line
};

// Maps any exception to a typed failure: ClassifierError keeps its type; OpenCV, allocation,
// other standard and unknown exceptions become kModelError (the contract has no "internal" type).
Failure describeException(const std::exception_ptr& error) noexcept;

// Replaces line breaks so that errorMessage stays on one line.
std::string oneLine(std::string text);

}  // namespace classifier
