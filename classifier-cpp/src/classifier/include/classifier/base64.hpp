#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace classifier {

// Decodes standard (RFC 4648 section 4) base64. Padding may be omitted; whitespace, the URL-safe
// alphabet and data: URL prefixes are rejected. Returns nullopt for malformed input.
std::optional<std::string> decodeBase64(std::string_view encoded);

// Length of the padded base64 text for `decodedBytes` bytes; lets callers refuse an oversized
// payload before decoding (and allocating) it.
std::size_t base64EncodedLength(std::size_t decodedBytes);

// Standard base64 with padding (used by tests and the bench to build requests).
std::string encodeBase64(std::string_view bytes);

}  // namespace classifier
