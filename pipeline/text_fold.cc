#include "pipeline/text_fold.h"

#include <unicode/uchar.h>

#include "pipeline/utf8_cursor.h"

namespace wirefeed {

char* fold_code_point(char32_t cp, char* out) {
  if (cp < 0x80) {
    if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
    else if (cp == '`') cp = '\'';
    *out++ = static_cast<char>(cp);
    return out;
  }
  switch (cp) {
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x2039: case 0x203A: case 0x00B4:
      *out++ = '\'';
      return out;
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: case 0x00AB: case 0x00BB:
      *out++ = '"';
      return out;
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015: case 0x2212:
    case 0xFE58: case 0xFE63: case 0xFF0D:
      *out++ = '-';
      return out;
    case 0x00A0: case 0x2000: case 0x2001: case 0x2002: case 0x2003: case 0x2004: case 0x2005: case 0x2006:
    case 0x2007: case 0x2008: case 0x2009: case 0x200A: case 0x202F: case 0x205F: case 0x3000:
      *out++ = ' ';
      return out;
    case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF:
      return out;
    case 0x2026:
      *out++ = '.';
      *out++ = '.';
      *out++ = '.';
      return out;
    default:
      break;
  }
  return utf8::write(static_cast<char32_t>(u_foldCase(static_cast<UChar32>(cp), U_FOLD_CASE_DEFAULT)), out);
}

void fold_code_point(char32_t cp, std::string& out) {
  char buf[4];
  out.append(buf, static_cast<std::size_t>(fold_code_point(cp, buf) - buf));
}

std::string fold_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) fold_code_point(utf8::next(text, i), out);
  return out;
}

}  // namespace wirefeed
