#include "classifier/base64.hpp"

#include <array>
#include <cstdint>

namespace classifier {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::uint8_t kInvalid = 0xFF;

constexpr std::array<std::uint8_t, 256> makeDecodeTable() {
  std::array<std::uint8_t, 256> table{};
  for (auto& entry : table) entry = kInvalid;
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::uint8_t>(i);
  }
  return table;
}

constexpr auto kDecodeTable = makeDecodeTable();

}  // namespace

std::size_t base64EncodedLength(std::size_t decodedBytes) { return (decodedBytes + 2) / 3 * 4; }

std::optional<std::string> decodeBase64(std::string_view encoded) {
  std::size_t padding = 0;
  while (!encoded.empty() && encoded.back() == '=' && padding < 2) {
    encoded.remove_suffix(1);
    ++padding;
  }
  // With padding the total length must be a multiple of 4; a single leftover sextet is never valid.
  if (padding > 0 && (encoded.size() + padding) % 4 != 0) return std::nullopt;
  if (encoded.size() % 4 == 1) return std::nullopt;

  std::string decoded;
  decoded.reserve(encoded.size() / 4 * 3 + 2);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : encoded) {
    const std::uint8_t value = kDecodeTable[static_cast<unsigned char>(c)];
    if (value == kInvalid) return std::nullopt;
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      decoded.push_back(static_cast<char>((buffer >> bits) & 0xFFu));
    }
  }
  // Leftover bits must be zero, otherwise the text is not canonical base64 (e.g. "QR==").
  if (bits > 0 && (buffer & ((1u << bits) - 1u)) != 0) return std::nullopt;
  return decoded;
}

std::string encodeBase64(std::string_view bytes) {
  std::string encoded;
  encoded.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t triple =
        (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16) |
        (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8) |
        static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 2]));
    encoded.push_back(kAlphabet[(triple >> 18) & 0x3F]);
    encoded.push_back(kAlphabet[(triple >> 12) & 0x3F]);
    encoded.push_back(kAlphabet[(triple >> 6) & 0x3F]);
    encoded.push_back(kAlphabet[triple & 0x3F]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t triple = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2)
      triple |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    encoded.push_back(kAlphabet[(triple >> 18) & 0x3F]);
    encoded.push_back(kAlphabet[(triple >> 12) & 0x3F]);
    encoded.push_back(rest == 2 ? kAlphabet[(triple >> 6) & 0x3F] : '=');
    encoded.push_back('=');
  }
  return encoded;
}

}  // namespace classifier
