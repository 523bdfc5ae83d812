#include "pipeline/text_fold.h"

#include <algorithm>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

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

char32_t base_letter(char32_t cp) {
  if (cp < 0x80) return cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp;
  const auto fold = [](char32_t c) {
    return static_cast<char32_t>(u_foldCase(static_cast<UChar32>(c), U_FOLD_CASE_DEFAULT));
  };
  // Latin (and the Vietnamese letters of Latin Extended Additional), Greek (its tonos) and
  // Cyrillic ("ё" written "е"), but for the Cyrillic letters a mark makes: "й" is not "и", nor
  // "ї" "і", nor "ў" "у".
  const bool marked_script = (cp >= 0xC0 && cp < 0x0530) || (cp >= 0x1E00 && cp < 0x1F00);
  const bool own_letter = cp == 0x0419 || cp == 0x0439 || cp == 0x0407 || cp == 0x0457 || cp == 0x040E || cp == 0x045E;
  if (!marked_script || own_letter) return fold(cp);
  UErrorCode status = U_ZERO_ERROR;
  static const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (icu::UnicodeString decomposed; nfd != nullptr && nfd->getDecomposition(static_cast<UChar32>(cp), decomposed) &&
                                     decomposed.length() > 0) {
    cp = static_cast<char32_t>(decomposed.char32At(0));
  }
  cp = fold(cp);
  switch (cp) {  // letters with a stroke or without a dot: no decomposition
    case 0x0142: return 'l';  // ł
    case 0x00F8: return 'o';  // ø
    case 0x0111: return 'd';  // đ
    case 0x0127: return 'h';  // ħ
    case 0x0131: return 'i';  // ı
    default: return cp;
  }
}

std::string fold_name(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  std::size_t i = 0;
  while (i < name.size()) {
    const char32_t cp = utf8::next(name, i);
    if (cp >= 0x300 && cp < 0x370) continue;  // a combining accent, written apart from its letter
    fold_code_point(cp >= 0xC0 && u_isalpha(static_cast<UChar32>(cp)) ? base_letter(cp) : cp, out);
  }
  return out;
}

bool same_name(std::string_view x, std::string_view y) {
  if (x == y) return true;
  // ASCII alone (most names of most feeds): folding is per byte, no string built.
  const auto ascii = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  };
  if (ascii(x) && ascii(y)) {
    const auto folded = [](char c) {
      char out;
      fold_code_point(static_cast<unsigned char>(c), &out);
      return out;
    };
    return x.size() == y.size() && std::equal(x.begin(), x.end(), y.begin(), [&](char a, char b) { return folded(a) == folded(b); });
  }
  return fold_name(x) == fold_name(y);
}

}  // namespace wirefeed
