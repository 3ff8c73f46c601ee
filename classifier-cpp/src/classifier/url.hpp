#pragma once

#include <string>
#include <string_view>

namespace classifier {

// True for an absolute http:// or https:// URL (scheme case-insensitive) with a non-empty host and
// no whitespace or control characters.
bool isHttpUrl(std::string_view url);

// The URL without user info, query and fragment, safe to log or echo: presigned URLs carry their
// signature in the query string.
std::string redactUrl(std::string_view url);

}  // namespace classifier
