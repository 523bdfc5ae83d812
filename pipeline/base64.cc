#include "pipeline/base64.h"

#include <array>

namespace wirefeed {
namespace {

constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<std::int8_t, 256> decoding = [] {
  std::array<std::int8_t, 256> t{};
  t.fill(-1);
  for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(alphabet[i])] = static_cast<std::int8_t>(i);
  return t;
}();

}  // namespace

std::string base64_u32(const std::vector<std::uint32_t>& values) {
  const std::size_t n = values.size() * 4;  // bytes
  const auto byte = [&](std::size_t i) { return (values[i / 4] >> (8 * (i % 4))) & 0xFFu; };  // little-endian
  std::string out((n + 2) / 3 * 4, '=');
  char* o = out.data();
  std::size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    const std::uint32_t group = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    *o++ = alphabet[group >> 18];
    *o++ = alphabet[(group >> 12) & 63];
    *o++ = alphabet[(group >> 6) & 63];
    *o++ = alphabet[group & 63];
  }
  if (i < n) {  // one or two bytes left: two or three characters, then the padding already there
    const std::uint32_t group = byte(i) << 16 | (i + 1 < n ? byte(i + 1) << 8 : 0u);
    *o++ = alphabet[group >> 18];
    *o++ = alphabet[(group >> 12) & 63];
    if (i + 1 < n) *o++ = alphabet[(group >> 6) & 63];
  }
  return out;
}

std::optional<std::vector<std::uint32_t>> from_base64_u32(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string bytes;
  bytes.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    const std::size_t padding = last ? (text[i + 3] == '=') + (text[i + 2] == '=') : 0;
    if (padding == 1 && text[i + 2] == '=') return std::nullopt;  // "x=y=" is no padding
    std::uint32_t group = 0;
    for (std::size_t k = 0; k < 4 - padding; ++k) {
      const std::int8_t d = decoding[static_cast<unsigned char>(text[i + k])];
      if (d < 0) return std::nullopt;
      group |= static_cast<std::uint32_t>(d) << (18 - 6 * k);
    }
    bytes += static_cast<char>(group >> 16);
    if (padding < 2) bytes += static_cast<char>((group >> 8) & 0xFF);
    if (padding < 1) bytes += static_cast<char>(group & 0xFF);
  }
  if (bytes.size() % 4 != 0) return std::nullopt;
  std::vector<std::uint32_t> values(bytes.size() / 4);
  for (std::size_t v = 0; v < values.size(); ++v) {
    for (int i = 0; i < 4; ++i) values[v] |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[4 * v + i])) << (8 * i);
  }
  return values;
}

}  // namespace wirefeed
