#include "pipeline/utf8.h"
#include "pipeline/utf8_cursor.h"

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

std::string repair(std::string_view s, std::size_t* mended) {
  // Windows-1252's characters for 0x80..0x9F (0 where it has none); 0xA0..0xFF are Latin-1's.
  static constexpr char16_t c1[32] = {0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                      0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
                                      0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                      0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};
  const auto continuation = [&](std::size_t k) { return k < s.size() && (static_cast<std::uint8_t>(s[k]) & 0xC0) == 0x80; };
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  std::size_t count = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t len = valid_sequence_length(s, i);
    if (len > 0) {
      out.append(s.substr(i, len));
      i += len;
      continue;
    }
    ++count;
    const auto b = static_cast<std::uint8_t>(s[i]);
    // A Windows-1252 letter before the punctuation that follows words ("caf\xE9\x94", "l\xE0\x85",
    // "Jos\xE9\x92s": closing quotes, apostrophe, ellipsis, dashes, ™): all of it read as
    // Windows-1252. (A cut UTF-8 sequence, "\xE2\x80", goes on with other bytes.)
    const auto after_word = [](std::uint8_t c) { return c == 0x85 || c == 0x92 || c == 0x94 || c == 0x96 || c == 0x97 || c == 0x99; };
    std::size_t run = i + 1;
    while (run < s.size() && after_word(static_cast<std::uint8_t>(s[run]))) ++run;
    if (b >= 0xC0 && b != 0xD7 && b != 0xF7 && run > i + 1) {
      for (std::size_t k = i; k < run; ++k) {
        const auto byte = static_cast<std::uint8_t>(s[k]);
        char buf[4];
        out.append(buf, static_cast<std::size_t>(write(byte >= 0xA0 ? byte : c1[byte - 0x80], buf) - buf));
      }
      count += run - i - 1;
      i = run;
      continue;
    }
    if (b >= 0x80 && (b < 0xC0 || !continuation(i + 1))) {
      // A byte on its own (a continuation byte with no lead, or a lead with nothing after it):
      // Windows-1252 text in a UTF-8 feed, "caf\xE9", "\x93quoted\x94".
      const char32_t cp = b >= 0xA0 ? b : c1[b - 0x80];
      if (cp != 0) {
        char buf[4];
        out.append(buf, static_cast<std::size_t>(write(cp, buf) - buf));
      } else {
        out.append("\xEF\xBF\xBD");
      }
      ++i;
      continue;
    }
    // A broken UTF-8 sequence (cut short, overlong, a surrogate): U+FFFD for the lead and the
    // continuation bytes that belonged to it.
    out.append("\xEF\xBF\xBD");
    ++i;
    while (continuation(i)) ++i;
  }
  if (mended != nullptr) *mended = count;
  return out;
}

}  // namespace wirefeed::utf8
