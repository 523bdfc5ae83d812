#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace wirefeed::utf8 {

// Byte offset of the first invalid UTF-8 sequence (overlongs, surrogates and code points above
// U+10FFFF are invalid), or npos if `s` is valid.
std::size_t find_invalid(std::string_view s);

inline bool is_valid(std::string_view s) { return find_invalid(s) == std::string_view::npos; }

// `s` with every invalid sequence replaced by U+FFFD (one per maximal invalid subpart, as the
// Unicode standard recommends).
std::string repair(std::string_view s);

}  // namespace wirefeed::utf8
