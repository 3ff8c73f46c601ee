#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace classifier {

constexpr int kMinTopK = 1;
constexpr int kMaxTopK = 20;
// imageId and correlationId: 1 to 128 characters of [A-Za-z0-9._:-], safe to log as they are.
constexpr std::size_t kMaxTraceIdLength = 128;

enum class ImageSource { kUrl, kBase64 };

// A validated classification request: exactly one image source and a topK in range.
struct ClassifyRequest {
  ImageSource source = ImageSource::kUrl;
  std::string image;  // the http(s) URL, or the base64 text (not yet decoded)
  int topK = 5;
  // Optional ids the caller sends so that our log lines can be joined with its own.
  std::optional<std::string> imageId;
  std::optional<std::string> correlationId;
};

// Parses `{"imageUrl": "...", "topK": 5}` or `{"imageBase64": "..."}`, each optionally with
// "imageId" and "correlationId". Unknown fields are refused so that a misspelt field fails loudly.
// Throws ClassifierError(kInvalidRequest) with the reason.
ClassifyRequest parseRequest(std::string_view json, int defaultTopK);

}  // namespace classifier
