#include "classifier/request.hpp"

#include <gtest/gtest.h>

#include "classifier/error_type.hpp"

namespace classifier {
namespace {

constexpr int kDefaultTopK = 5;

// The reason text of an InvalidRequest, or a marker when parsing unexpectedly succeeded.
std::string invalidReason(const std::string& json) {
  try {
    parseRequest(json, kDefaultTopK);
  } catch (const ClassifierError& e) {
    EXPECT_EQ(e.type(), ErrorType::kInvalidRequest) << json;
    return e.what();
  }
  return "<accepted>";
}

TEST(Request, ParsesAnUrlRequestWithTopK) {
  const ClassifyRequest request =
      parseRequest(R"({"imageUrl": "https://b.s3.amazonaws.com/k.jpg?sig=1", "topK": 3})", 5);
  EXPECT_EQ(request.source, ImageSource::kUrl);
  EXPECT_EQ(request.image, "https://b.s3.amazonaws.com/k.jpg?sig=1");
  EXPECT_EQ(request.topK, 3);
}

TEST(Request, ParsesABase64RequestWithTheDefaultTopK) {
  const ClassifyRequest request = parseRequest(R"({"imageBase64": "Zm9v"})", 7);
  EXPECT_EQ(request.source, ImageSource::kBase64);
  EXPECT_EQ(request.image, "Zm9v");
  EXPECT_EQ(request.topK, 7);
}

TEST(Request, AcceptsTopKAtBothEndsOfTheRange) {
  EXPECT_EQ(parseRequest(R"({"imageBase64": "", "topK": 1})", 5).topK, 1);
  EXPECT_EQ(parseRequest(R"({"imageBase64": "", "topK": 20})", 5).topK, 20);
}

TEST(Request, RejectsEventsThatAreNotAJsonObject) {
  for (const char* event : {"", "   ", "not json", "{", "{\"imageUrl\": }", "[]", "42", "null",
                            "\"imageUrl\"", "true"}) {
    EXPECT_NE(invalidReason(event), "<accepted>") << event;
  }
  EXPECT_EQ(invalidReason("not json"), "the event is not valid JSON");
  EXPECT_EQ(invalidReason("[]"), "the event must be a JSON object");
}

TEST(Request, RejectsDeeplyNestedJsonWithoutCrashing) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_EQ(invalidReason(deep), "the event must be a JSON object");
  EXPECT_EQ(invalidReason(std::string(100000, '[')), "the event is not valid JSON");
}

TEST(Request, RequiresExactlyOneImageSource) {
  const std::string expected = "exactly one of imageUrl and imageBase64 is required";
  EXPECT_EQ(invalidReason("{}"), expected);
  EXPECT_EQ(invalidReason(R"({"topK": 3})"), expected);
  EXPECT_EQ(invalidReason(R"({"imageUrl": "http://h/x", "imageBase64": "Zm9v"})"), expected);
}

TEST(Request, RejectsUnknownFields) {
  EXPECT_EQ(invalidReason(R"({"imageURL": "http://h/x"})"),
            "unknown field \"imageURL\" (expected imageUrl or imageBase64, and topK, imageId, "
            "correlationId)");
  EXPECT_NE(invalidReason(R"({"imageUrl": "http://h/x", "extra": 1})"), "<accepted>");
  EXPECT_NE(invalidReason(R"({"imageUrl": "http://h/x", "imageid": "a"})"), "<accepted>");
  EXPECT_NE(invalidReason(R"({"imageUrl": "http://h/x", "requestId": "a"})"), "<accepted>");
}

TEST(Request, LeavesTheTraceIdsEmptyWhenTheyAreAbsent) {
  const ClassifyRequest request = parseRequest(R"({"imageBase64": "Zm9v"})", 5);
  EXPECT_FALSE(request.imageId.has_value());
  EXPECT_FALSE(request.correlationId.has_value());
}

TEST(Request, ReadsImageIdAndCorrelationId) {
  const ClassifyRequest request = parseRequest(
      R"({"imageUrl": "http://h/x", "imageId": "0f8e-41b2_a.b:c", "correlationId": "Root-1:2.3_x"})",
      5);
  EXPECT_EQ(request.imageId, "0f8e-41b2_a.b:c");
  EXPECT_EQ(request.correlationId, "Root-1:2.3_x");
  EXPECT_EQ(request.image, "http://h/x");
}

TEST(Request, AcceptsTraceIdsOfOneAndOf128Characters) {
  const std::string longest(128, 'z');
  const ClassifyRequest request = parseRequest(
      R"({"imageBase64": "", "imageId": "a", "correlationId": ")" + longest + "\"}", 5);
  EXPECT_EQ(request.imageId, "a");
  EXPECT_EQ(request.correlationId, longest);
}

TEST(Request, RejectsTraceIdsOutsideTheCharsetOrLength) {
  const std::string bad = " must be 1 to 128 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'";
  for (const char* field : {"imageId", "correlationId"}) {
    const auto withId = [field](const std::string& value) {
      return invalidReason(std::string(R"({"imageBase64": "Zm9v", ")") + field + "\": " + value +
                           "}");
    };
    for (const std::string& value :
         {std::string(R"("")"), "\"" + std::string(129, 'a') + "\"", std::string(R"("a b")"),
          std::string(R"("a/b")"), std::string(R"("a\"b")"), std::string(R"("a\nb")"),
          std::string(R"("a\u0000b")"), std::string(R"("caf\u00e9")"), std::string(R"("a?b=c")"),
          std::string(R"("{}")"), std::string(R"("a%20b")")}) {
      EXPECT_EQ(withId(value), field + bad) << field << " = " << value;
    }
    EXPECT_EQ(withId("42"), std::string(field) + " must be a string");
    EXPECT_EQ(withId("null"), std::string(field) + " must be a string");
    EXPECT_EQ(withId(R"(["a"])"), std::string(field) + " must be a string");
  }
}

TEST(Request, RejectsSourcesOfTheWrongType) {
  EXPECT_EQ(invalidReason(R"({"imageUrl": 5})"), "imageUrl must be a string");
  EXPECT_EQ(invalidReason(R"({"imageUrl": null})"), "imageUrl must be a string");
  EXPECT_EQ(invalidReason(R"({"imageUrl": ["http://h/x"]})"), "imageUrl must be a string");
  EXPECT_EQ(invalidReason(R"({"imageBase64": {"data": "Zm9v"}})"), "imageBase64 must be a string");
  EXPECT_EQ(invalidReason(R"({"imageBase64": false})"), "imageBase64 must be a string");
}

TEST(Request, RejectsUrlsThatAreNotHttp) {
  for (const char* url : {"", "ftp://h/x.jpg", "file:///etc/passwd", "s3://bucket/key", "h/x.jpg",
                          "http://", "http://exa mple.com/x"}) {
    EXPECT_EQ(invalidReason(std::string(R"({"imageUrl": ")") + url + "\"}"),
              "imageUrl must be an absolute http or https URL")
        << url;
  }
  EXPECT_EQ(invalidReason(R"({"imageUrl": "http://h/)" + std::string(17000, 'a') + "\"}"),
            "imageUrl is longer than 16 KiB");
}

TEST(Request, RejectsTopKThatIsNotAnIntegerInRange) {
  const std::string notInteger = "topK must be an integer";
  const std::string outOfRange = "topK must be between 1 and 20";
  const auto withTopK = [](const std::string& topK) {
    return invalidReason(R"({"imageBase64": "Zm9v", "topK": )" + topK + "}");
  };
  EXPECT_EQ(withTopK("\"5\""), notInteger);
  EXPECT_EQ(withTopK("5.5"), notInteger);
  EXPECT_EQ(withTopK("5.0"), notInteger);
  EXPECT_EQ(withTopK("true"), notInteger);
  EXPECT_EQ(withTopK("null"), notInteger);
  EXPECT_EQ(withTopK("[5]"), notInteger);
  EXPECT_EQ(withTopK("1e30"), notInteger);
  EXPECT_EQ(withTopK("0"), outOfRange);
  EXPECT_EQ(withTopK("21"), outOfRange);
  EXPECT_EQ(withTopK("-1"), outOfRange);
  EXPECT_EQ(withTopK("18446744073709551615"), outOfRange);
  EXPECT_EQ(withTopK("-9223372036854775808"), outOfRange);
}

}  // namespace
}  // namespace classifier
