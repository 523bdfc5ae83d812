#include "pipeline/utf8.h"

#include <cstdint>

#include <simdjson.h>

namespace wirefeed::utf8 {
namespace {

// Length of the valid sequence starting at s[i], or 0 if the sequence there is invalid.
std::size_t valid_sequence_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(s[k]); };
  const std::uint8_t b0 = byte(i);
  if (b0 < 0x80) return 1;
  std::size_t len = 0;
  std::uint8_t lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;  // no overlongs
    if (b0 == 0xED) hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;  // no overlongs
    if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  return len;
}

}  // namespace

std::size_t find_invalid(std::string_view s) {
  // simdjson's validator (SIMD, the CPU's best kernel) answers the usual case, valid text, at a
  // few bytes per cycle; only invalid text is walked again to say where.
  if (simdjson::validate_utf8(s.data(), s.size())) return std::string_view::npos;
  std::size_t i = 0;
  while (i < s.size()) {
    // Fast path over ASCII, eight bytes at a time.
    while (i + 8 <= s.size()) {
      std::uint64_t chunk = 0;
      for (int k = 0; k < 8; ++k) chunk |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(s[i + k])) << (8 * k);
      if (chunk & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= s.size()) break;
    const std::size_t len = valid_sequence_length(s, i);
    if (len == 0) return i;
    i += len;
  }
  return std::string_view::npos;
}

std::string repair(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t len = valid_sequence_length(s, i);
    if (len > 0) {
      out.append(s.substr(i, len));
      i += len;
      continue;
    }
    out.append("\xEF\xBF\xBD");
    // Skip the lead byte and any continuation bytes that belonged to the broken sequence.
    ++i;
    while (i < s.size() && (static_cast<std::uint8_t>(s[i]) & 0xC0) == 0x80) ++i;
  }
  return out;
}

}  // namespace wirefeed::utf8
