#include "classifier/request.hpp"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "classifier/error_type.hpp"
#include "classifier/url.hpp"

namespace classifier {
namespace {

constexpr std::size_t kMaxUrlLength = std::size_t{16} * 1024;
constexpr std::array<std::string_view, 5> kKnownFields = {"imageUrl", "imageBase64", "topK",
                                                          "imageId", "correlationId"};

[[noreturn]] void invalid(const std::string& reason) {
  throw ClassifierError(ErrorType::kInvalidRequest, reason);
}

std::string requireString(const nlohmann::json& event, const char* field) {
  const nlohmann::json& value = event.at(field);
  if (!value.is_string()) invalid(std::string(field) + " must be a string");
  return value.get<std::string>();
}

int readTopK(const nlohmann::json& event, int defaultTopK) {
  if (!event.contains("topK")) return defaultTopK;
  const nlohmann::json& value = event.at("topK");
  if (!value.is_number_integer()) invalid("topK must be an integer");
  // nlohmann stores non-negative integers as unsigned; read each kind without wrapping.
  const bool inRange =
      value.is_number_unsigned()
          ? value.get<std::uint64_t>() >= static_cast<std::uint64_t>(kMinTopK) &&
                value.get<std::uint64_t>() <= static_cast<std::uint64_t>(kMaxTopK)
          : value.get<std::int64_t>() >= kMinTopK && value.get<std::int64_t>() <= kMaxTopK;
  if (!inRange) {
    invalid("topK must be between " + std::to_string(kMinTopK) + " and " +
            std::to_string(kMaxTopK));
  }
  return value.get<int>();
}

bool isTraceIdCharacter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == ':' || c == '-';
}

std::optional<std::string> readTraceId(const nlohmann::json& event, const char* field) {
  if (!event.contains(field)) return std::nullopt;
  std::string id = requireString(event, field);
  if (id.empty() || id.size() > kMaxTraceIdLength ||
      !std::all_of(id.begin(), id.end(), isTraceIdCharacter)) {
    invalid(std::string(field) + " must be 1 to " + std::to_string(kMaxTraceIdLength) +
            " characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'");
  }
  return id;
}

}  // namespace

ClassifyRequest parseRequest(std::string_view json, int defaultTopK) {
  nlohmann::json event;
  try {
    event = nlohmann::json::parse(json);
  } catch (const nlohmann::json::parse_error&) {
    invalid("the event is not valid JSON");
  }
  if (!event.is_object()) invalid("the event must be a JSON object");
  for (const auto& field : event.items()) {
    if (std::find(kKnownFields.begin(), kKnownFields.end(), field.key()) == kKnownFields.end()) {
      invalid("unknown field \"" + field.key() +
              "\" (expected imageUrl or imageBase64, and topK, imageId, correlationId)");
    }
  }
  const bool hasUrl = event.contains("imageUrl");
  const bool hasBase64 = event.contains("imageBase64");
  if (hasUrl == hasBase64) invalid("exactly one of imageUrl and imageBase64 is required");

  ClassifyRequest request;
  request.topK = readTopK(event, defaultTopK);
  request.imageId = readTraceId(event, "imageId");
  request.correlationId = readTraceId(event, "correlationId");
  if (hasUrl) {
    request.source = ImageSource::kUrl;
    request.image = requireString(event, "imageUrl");
    if (request.image.size() > kMaxUrlLength) invalid("imageUrl is longer than 16 KiB");
    if (!isHttpUrl(request.image)) invalid("imageUrl must be an absolute http or https URL");
  } else {
    request.source = ImageSource::kBase64;
    request.image = requireString(event, "imageBase64");
  }
  return request;
}

}  // namespace classifier
