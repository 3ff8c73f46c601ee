#pragma once

#include <string>
#include <string_view>

// ASCII text helpers shared by the libraries: HTTP header names, environment values, log levels
// and URL schemes are ASCII, so no locale is involved.
namespace text {

// `text` without leading and trailing whitespace (space, \t, \n, \v, \f, \r).
std::string_view trimmed(std::string_view text);

std::string lowercase(std::string_view text);

bool equalsIgnoringCase(std::string_view a, std::string_view b);

}  // namespace text
