#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace wirefeed::utf8 {

// Byte offset of the first invalid UTF-8 sequence (overlongs, surrogates and code points above
// U+10FFFF are invalid), or npos if `s` is valid.
std::size_t find_invalid(std::string_view s);

inline bool is_valid(std::string_view s) { return find_invalid(s) == std::string_view::npos; }

// `s` made valid: a byte that stands alone (no lead before a continuation byte, nothing after a
// lead) is read as Windows-1252 (a UTF-8 feed with "caf\xE9" or "\x93quotes\x94" in it: café,
// “quotes”; U+FFFD for its five undefined bytes), and so is a Windows-1252 letter before the
// punctuation that follows words ("caf\xE9\x94": café”); any other invalid sequence (cut short,
// overlong, a surrogate) becomes U+FFFD, one per maximal invalid subpart, as the Unicode
// standard recommends. Text in another code page that is mostly Latin letters (Windows-1250
// Polish) comes out with wrong letters, not U+FFFD: decode rejects only what is half mended.
// `mended`, if given, counts the bytes mended.
std::string repair(std::string_view s, std::size_t* mended = nullptr);

}  // namespace wirefeed::utf8
