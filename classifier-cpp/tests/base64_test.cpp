#include "classifier/base64.hpp"

#include <gtest/gtest.h>

namespace classifier {
namespace {

TEST(Base64, DecodesRfc4648TestVectors) {
  EXPECT_EQ(decodeBase64(""), std::string());
  EXPECT_EQ(decodeBase64("Zg=="), "f");
  EXPECT_EQ(decodeBase64("Zm8="), "fo");
  EXPECT_EQ(decodeBase64("Zm9v"), "foo");
  EXPECT_EQ(decodeBase64("Zm9vYg=="), "foob");
  EXPECT_EQ(decodeBase64("Zm9vYmE="), "fooba");
  EXPECT_EQ(decodeBase64("Zm9vYmFy"), "foobar");
}

TEST(Base64, AcceptsMissingPadding) {
  EXPECT_EQ(decodeBase64("Zg"), "f");
  EXPECT_EQ(decodeBase64("Zm8"), "fo");
}

TEST(Base64, RoundTripsEveryByteValue) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  for (std::size_t length = 0; length <= bytes.size(); length += 37) {
    const std::string prefix = bytes.substr(0, length);
    EXPECT_EQ(decodeBase64(encodeBase64(prefix)), prefix) << "length " << length;
  }
}

TEST(Base64, EncodesWithPadding) {
  EXPECT_EQ(encodeBase64("f"), "Zg==");
  EXPECT_EQ(encodeBase64("fo"), "Zm8=");
  EXPECT_EQ(encodeBase64("foo"), "Zm9v");
}

TEST(Base64, RejectsMalformedText) {
  for (const char* bad : {"Z", "Zm9vY", "Zm9v!", "Zm 9v", "Zm9v\n", "Zg===", "=Zg=", "Zg=a",
                          "Z===", "Zh==", "-_8=", "data:image/png;base64,Zm9v"}) {
    EXPECT_FALSE(decodeBase64(bad).has_value()) << '"' << bad << '"';
  }
}

TEST(Base64, EncodedLengthMatchesTheEncoder) {
  for (std::size_t n : {0u, 1u, 2u, 3u, 4u, 100u}) {
    EXPECT_EQ(base64EncodedLength(n), encodeBase64(std::string(n, 'x')).size());
  }
}

}  // namespace
}  // namespace classifier
