#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace wirefeed::charset {

// What a message says about its own encoding: a byte order mark (UTF-16 and UTF-32, which are
// never read as UTF-8), else the `charset` parameter of its content-type header, else an HTML or
// XML declaration in its first 1024 bytes (<meta charset="windows-1251">, <meta
// http-equiv="Content-Type" content="text/html; charset=koi8-r">, <?xml ... encoding="...">).
// Names as written; nullopt when nothing is declared.
struct declaration {
  std::string name;
  std::size_t bom_bytes = 0;  // a byte order mark's length, 0 when the name was declared in words
};
std::optional<declaration> declared(std::string_view content_type, std::string_view value);

// Whether `name` is UTF-8: text that needs no conversion.
bool is_utf8(std::string_view name);

// Whether `name` is UTF-16 or UTF-32 in one of its spellings: bytes that are never text in UTF-8,
// even when they are valid UTF-8 (English in UTF-16LE is ASCII with a NUL after each letter).
bool is_wide(std::string_view name);

struct converted {
  std::string text;            // UTF-8
  std::size_t characters = 0;  // in `text`
  std::size_t undecodable = 0; // byte sequences the charset has no character for, each now U+FFFD
};
// `bytes` in the charset `name` as UTF-8, by ICU's converters, with the WHATWG Encoding
// standard's readings of the labels that mean something else in practice (ISO-8859-1 and
// US-ASCII are read as windows-1252, ISO-8859-9 as windows-1254, GB2312 and GBK as GB18030,
// UTF-16 as UTF-16LE). Bytes it has no character for are U+FFFD, counted.
// nullopt when ICU knows no such charset.
std::optional<converted> to_utf8(std::string_view bytes, std::string_view name);

}  // namespace wirefeed::charset
