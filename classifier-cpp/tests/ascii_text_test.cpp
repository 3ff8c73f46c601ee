#include <gtest/gtest.h>

#include "text/ascii.hpp"

namespace text {
namespace {

TEST(AsciiText, TrimsWhitespaceAtBothEndsOnly) {
  EXPECT_EQ(trimmed("  value \t\r\n"), "value");
  EXPECT_EQ(trimmed("a b"), "a b");
  EXPECT_EQ(trimmed("\v\f x \v\f"), "x");
  EXPECT_EQ(trimmed(" \t\r\n"), "");
  EXPECT_EQ(trimmed(""), "");
  EXPECT_EQ(trimmed("\xc2\xa0x"), "\xc2\xa0x");  // not ASCII whitespace: kept
}

TEST(AsciiText, LowercasesAsciiLettersOnly) {
  EXPECT_EQ(lowercase("Lambda-Runtime-Aws-Request-Id"), "lambda-runtime-aws-request-id");
  EXPECT_EQ(lowercase("ÉTÉ 42 [Z]"), "ÉtÉ 42 [z]");  // É is not ASCII: kept
}

TEST(AsciiText, ComparesIgnoringAsciiCase) {
  EXPECT_TRUE(equalsIgnoringCase("HTTPS", "https"));
  EXPECT_TRUE(equalsIgnoringCase("", ""));
  EXPECT_FALSE(equalsIgnoringCase("http", "https"));
  EXPECT_FALSE(equalsIgnoringCase("[", "{"));  // 0x5B vs 0x7B: not letters, not equal
}

}  // namespace
}  // namespace text
