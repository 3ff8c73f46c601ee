#include "classifier/error_mapping.hpp"

#include <gtest/gtest.h>

#include <new>
#include <opencv2/core.hpp>
#include <stdexcept>

namespace classifier {
namespace {

template <typename Exception>
Failure describe(const Exception& exception) {
  return describeException(std::make_exception_ptr(exception));
}

TEST(ErrorMapping, KeepsTheTypeOfClassifierErrors) {
  const Failure failure = describe(ClassifierError(ErrorType::kDownloadFailed, "GET x: HTTP 404"));
  EXPECT_EQ(failure.type, ErrorType::kDownloadFailed);
  EXPECT_EQ(failure.message, "GET x: HTTP 404");
}

TEST(ErrorMapping, MapsOpenCvExceptionsToModelErrorOnOneLine) {
  const Failure failure =
      describe(cv::Exception(cv::Error::StsError, "bad\nshape", "forward", "layer.cpp", 42));
  EXPECT_EQ(failure.type, ErrorType::kModelError);
  // OpenCV itself prefixes the lines of a multi-line message with "> ".
  EXPECT_EQ(failure.message, "OpenCV error: > bad > shape");
}

TEST(ErrorMapping, MapsEveryOtherExceptionToModelError) {
  EXPECT_EQ(describe(std::bad_alloc()).message, "out of memory");
  EXPECT_EQ(describe(std::out_of_range("index 7")).message, "internal error: index 7");
  EXPECT_EQ(describe(42).message, "unknown internal error");
  EXPECT_EQ(describe(42).type, ErrorType::kModelError);
  EXPECT_EQ(describe(std::logic_error("x")).type, ErrorType::kModelError);
}

TEST(ErrorMapping, NamesEveryErrorTypeAsTheContractSpellsIt) {
  EXPECT_EQ(errorTypeName(ErrorType::kInvalidRequest), "InvalidRequest");
  EXPECT_EQ(errorTypeName(ErrorType::kDownloadFailed), "DownloadFailed");
  EXPECT_EQ(errorTypeName(ErrorType::kImageTooLarge), "ImageTooLarge");
  EXPECT_EQ(errorTypeName(ErrorType::kUndecodableImage), "UndecodableImage");
  EXPECT_EQ(errorTypeName(ErrorType::kModelError), "ModelError");
  EXPECT_EQ(errorTypeName(ErrorType::kDeadlineExceeded), "DeadlineExceeded");
}

TEST(ErrorMapping, FlattensLineBreaks) { EXPECT_EQ(oneLine("a\r\nb\nc\n"), "a  b c"); }

}  // namespace
}  // namespace classifier
