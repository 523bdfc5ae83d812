#include "pipeline/text_fold.h"

#include <algorithm>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include "pipeline/utf8_cursor.h"
#include "pipeline/word_set.h"

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
  // ASCII first (most names of most feeds), byte by byte: up to the first byte that is not ASCII,
  // each folds to one byte of its own, so the first pair that folds apart tells the names apart.
  const auto ascii_fold = [](unsigned char c) -> unsigned char {
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c == '`' ? '\'' : c;
  };
  std::size_t i = 0;
  for (const std::size_t n = std::min(x.size(), y.size()); i < n; ++i) {
    const auto a = static_cast<unsigned char>(x[i]), b = static_cast<unsigned char>(y[i]);
    if (a >= 0x80 || b >= 0x80) return fold_name(x) == fold_name(y);
    if (a != b && ascii_fold(a) != ascii_fold(b)) return false;
  }
  const std::string_view rest = x.size() > i ? x.substr(i) : y.substr(i);
  if (rest.empty()) return true;
  // One name is longer: another name, unless what follows holds accents to drop.
  if (std::all_of(rest.begin(), rest.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) return false;
  return fold_name(x) == fold_name(y);
}

bool is_acronym_text(std::string_view name) {
  std::size_t letters = 0;
  for (const char ch : name) {
    if (ch == '.') continue;
    if (ch < 'A' || ch > 'Z') return false;
    ++letters;
  }
  return letters >= 2 && letters <= 6;
}

namespace {

// Words initials skip: "United States of America" is "USA", "Bank of England" "BE".
bool is_initials_function_word(std::string_view w) {
  static const word_set skip{"of", "the", "and", "for", "de", "du", "la", "le", "des", "on", "&"};
  if (w.size() > 3) return false;
  char lower[3];
  for (std::size_t i = 0; i < w.size(); ++i) lower[i] = w[i] >= 'A' && w[i] <= 'Z' ? static_cast<char>(w[i] - 'A' + 'a') : w[i];
  return skip.contains(std::string_view(lower, w.size()));
}

}  // namespace

std::string initials(const std::vector<std::string_view>& words) {
  std::string out;
  for (const auto w : words) {
    if (w.empty() || is_initials_function_word(w)) continue;
    out += w[0];
  }
  return out;
}

bool spells_initials(std::string_view acronym, std::string_view name) {
  std::size_t k = 0;
  const auto next_letter = [&] {
    while (k < acronym.size() && acronym[k] == '.') ++k;
  };
  for (std::size_t at = 0; at < name.size();) {
    const std::size_t end = std::min(name.find(' ', at), name.size());
    const std::string_view w = name.substr(at, end - at);
    at = end + 1;
    if (w.empty() || is_initials_function_word(w)) continue;
    next_letter();
    if (k == acronym.size() || ascii_lower(w[0]) != ascii_lower(acronym[k])) return false;
    ++k;
  }
  next_letter();
  return k == acronym.size();
}

}  // namespace wirefeed
