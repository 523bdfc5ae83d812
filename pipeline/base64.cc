#include "pipeline/base64.h"

#include <array>
#include <bit>
#include <cstring>

namespace wirefeed {
namespace {

constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<std::int8_t, 256> decoding = [] {
  std::array<std::int8_t, 256> t{};
  t.fill(-1);
  for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(alphabet[i])] = static_cast<std::int8_t>(i);
  return t;
}();

// The two characters of every 12-bit value: half a 3-byte group in one lookup.
constexpr std::array<std::array<char, 2>, 4096> pairs = [] {
  std::array<std::array<char, 2>, 4096> t{};
  for (std::size_t i = 0; i < t.size(); ++i) t[i] = {alphabet[i >> 6], alphabet[i & 63]};
  return t;
}();

}  // namespace

char* base64_u32_to(std::span<const std::uint32_t> values, char* out) {
  const std::size_t n = values.size() * 4;  // bytes
  // Little-endian bytes: the values' own memory on such a host, else a copy in that order.
  std::vector<unsigned char> swapped;
  const unsigned char* bytes = reinterpret_cast<const unsigned char*>(values.data());
  if constexpr (std::endian::native != std::endian::little) {
    swapped.resize(n);
    for (std::size_t i = 0; i < n; ++i) swapped[i] = static_cast<unsigned char>(values[i / 4] >> (8 * (i % 4)));
    bytes = swapped.data();
  }
  char* o = out;
  std::size_t i = 0;
  // Six bytes (two groups, eight characters) per step while eight can be read.
  for (; i + 8 <= n; i += 6) {
    std::uint64_t w;
    std::memcpy(&w, bytes + i, 8);
    if constexpr (std::endian::native == std::endian::little) w = __builtin_bswap64(w);  // bytes[i] on top
    const auto first = static_cast<std::uint32_t>(w >> 40), second = static_cast<std::uint32_t>(w >> 16) & 0xFFFFFF;
    std::memcpy(o, pairs[first >> 12].data(), 2);
    std::memcpy(o + 2, pairs[first & 0xFFF].data(), 2);
    std::memcpy(o + 4, pairs[second >> 12].data(), 2);
    std::memcpy(o + 6, pairs[second & 0xFFF].data(), 2);
    o += 8;
  }
  for (; i + 3 <= n; i += 3) {  // three bytes, 24 bits: two 12-bit halves, two characters each
    const std::uint32_t group = std::uint32_t{bytes[i]} << 16 | std::uint32_t{bytes[i + 1]} << 8 | bytes[i + 2];
    std::memcpy(o, pairs[group >> 12].data(), 2);
    std::memcpy(o + 2, pairs[group & 0xFFF].data(), 2);
    o += 4;
  }
  if (i < n) {  // one or two bytes left: two or three characters, then padding
    const std::uint32_t group = std::uint32_t{bytes[i]} << 16 | (i + 1 < n ? std::uint32_t{bytes[i + 1]} << 8 : 0u);
    *o++ = alphabet[group >> 18];
    *o++ = alphabet[(group >> 12) & 63];
    *o++ = i + 1 < n ? alphabet[(group >> 6) & 63] : '=';
    *o++ = '=';
  }
  return o;
}

std::string base64_u32(const std::vector<std::uint32_t>& values) {
  std::string out(base64_u32_size(values.size()), '=');
  base64_u32_to(values, out.data());
  return out;
}

std::optional<std::vector<std::uint32_t>> from_base64_u32(std::string_view text) {
  const std::size_t n = text.size();
  if (n % 4 != 0) return std::nullopt;
  const std::size_t padding = n > 0 && text[n - 1] == '=' ? (text[n - 2] == '=' ? 2 : 1) : 0;
  const std::size_t bytes = n / 4 * 3 - padding;
  if (bytes % 4 != 0) return std::nullopt;
  std::vector<std::uint32_t> values(bytes / 4);
  std::size_t at = 0;  // bytes written
  const auto put = [&](std::uint32_t byte) {
    values[at / 4] |= byte << (8 * (at % 4));  // little-endian
    ++at;
  };
  for (std::size_t i = 0; i < n; i += 4) {
    const std::size_t pad = i + 4 == n ? padding : 0;
    std::uint32_t group = 0;
    for (std::size_t k = 0; k < 4 - pad; ++k) {
      const std::int8_t d = decoding[static_cast<unsigned char>(text[i + k])];  // '=' too: -1
      if (d < 0) return std::nullopt;
      group |= static_cast<std::uint32_t>(d) << (18 - 6 * k);
    }
    put(group >> 16);
    if (pad < 2) put((group >> 8) & 0xFF);
    if (pad < 1) put(group & 0xFF);
  }
  return values;
}

}  // namespace wirefeed
