#include "classifier/url.hpp"

#include <algorithm>

#include "text/ascii.hpp"

namespace classifier {
namespace {

bool startsWithNoCase(std::string_view text, std::string_view prefix) {
  return text::equalsIgnoringCase(text.substr(0, prefix.size()), prefix);
}

std::size_t schemeLength(std::string_view url) {
  if (startsWithNoCase(url, "http://")) return 7;
  if (startsWithNoCase(url, "https://")) return 8;
  return 0;
}

}  // namespace

bool isHttpUrl(std::string_view url) {
  const std::size_t scheme = schemeLength(url);
  if (scheme == 0) return false;
  const bool clean = std::none_of(url.begin(), url.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte <= 0x20 || byte == 0x7F;
  });
  const std::string_view authority = url.substr(scheme, url.find_first_of("/?#", scheme) - scheme);
  const std::string_view host = authority.substr(authority.rfind('@') + 1);  // npos + 1 == 0
  return clean && !host.empty() && host.front() != ':';
}

std::string redactUrl(std::string_view url) {
  url = url.substr(0, url.find_first_of("?#"));
  const std::size_t scheme = url.find("://");
  if (scheme != std::string_view::npos) {
    const std::size_t authorityStart = scheme + 3;
    const std::size_t authorityEnd = std::min(url.find('/', authorityStart), url.size());
    const std::size_t at = url.substr(0, authorityEnd).rfind('@');
    if (at != std::string_view::npos && at >= authorityStart) {
      return std::string(url.substr(0, authorityStart)) + std::string(url.substr(at + 1));
    }
  }
  return std::string(url);
}

}  // namespace classifier
