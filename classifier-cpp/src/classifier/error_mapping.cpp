#include "classifier/error_mapping.hpp"

#include <algorithm>
#include <new>
#include <opencv2/core.hpp>

namespace classifier {

std::string oneLine(std::string text) {
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

Failure describeException(const std::exception_ptr& error) noexcept {
  try {
    try {
      std::rethrow_exception(error);
    } catch (const ClassifierError& e) {
      return {e.type(), oneLine(e.what())};
    } catch (const cv::Exception& e) {
      return {ErrorType::kModelError, oneLine("OpenCV error: " + e.err)};
    } catch (const std::bad_alloc&) {
      return {ErrorType::kModelError, "out of memory"};
    } catch (const std::exception& e) {
      return {ErrorType::kModelError, oneLine(std::string("internal error: ") + e.what())};
    } catch (...) {
      return {ErrorType::kModelError, "unknown internal error"};
    }
  } catch (...) {
    // Building the message itself failed (out of memory): still answer with a type.
    return {ErrorType::kModelError, {}};
  }
}

}  // namespace classifier
