#include "classifier/url.hpp"

#include <gtest/gtest.h>

namespace classifier {
namespace {

TEST(Url, AcceptsHttpAndHttpsUrls) {
  EXPECT_TRUE(isHttpUrl("http://example.com/a.jpg"));
  EXPECT_TRUE(isHttpUrl("https://bucket.s3.amazonaws.com/key.png?X-Amz-Signature=abc"));
  EXPECT_TRUE(isHttpUrl("HTTPS://EXAMPLE.COM"));
  EXPECT_TRUE(isHttpUrl("http://127.0.0.1:4566/bucket/key"));
}

TEST(Url, RejectsOtherSchemesAndMalformedUrls) {
  for (const char* bad :
       {"", "ftp://example.com/a.jpg", "file:///etc/passwd", "s3://bucket/key", "gopher://x",
        "javascript:alert(1)", "example.com/a.jpg", "http://", "https:///path", "http://:80/x",
        "http://exa mple.com/", "http://example.com/\n", "//example.com/a.jpg"}) {
    EXPECT_FALSE(isHttpUrl(bad)) << '"' << bad << '"';
  }
}

TEST(Url, RedactionDropsQueryFragmentAndUserInfo) {
  EXPECT_EQ(redactUrl("https://b.s3.amazonaws.com/k.jpg?X-Amz-Signature=secret&X-Amz-Credential=c"),
            "https://b.s3.amazonaws.com/k.jpg");
  EXPECT_EQ(redactUrl("http://host/path#frag"), "http://host/path");
  EXPECT_EQ(redactUrl("http://user:password@host:8080/p?q"), "http://host:8080/p");
  EXPECT_EQ(redactUrl("http://host/a@b"), "http://host/a@b");
  EXPECT_EQ(redactUrl("http://host"), "http://host");
}

}  // namespace
}  // namespace classifier
