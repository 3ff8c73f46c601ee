#pragma once

#include <string>
#include <string_view>

namespace classifier {

constexpr int kMinTopK = 1;
constexpr int kMaxTopK = 20;

enum class ImageSource { kUrl, kBase64 };

// A validated classification request: exactly one image source and a topK in range.
struct ClassifyRequest {
  ImageSource source = ImageSource::kUrl;
  std::string image;  // the http(s) URL, or the base64 text (not yet decoded)
  int topK = 5;
};

// Parses `{"imageUrl": "...", "topK": 5}` or `{"imageBase64": "..."}`. Unknown fields are refused
// so that a misspelt field fails loudly. Throws ClassifierError(kInvalidRequest) with the reason.
ClassifyRequest parseRequest(std::string_view json, int defaultTopK);

}  // namespace classifier
