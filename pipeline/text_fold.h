#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wirefeed {

// The matching form of text: what two spellings of the same words have in common.
//   - case folded (Unicode simple case folding: "É" -> "é", "Σ" -> "σ");
//   - typographic quotes to ASCII: ‘ ’ ‚ ‛ ′ ‹ › ` ´ -> '   “ ” „ ‟ ″ « » -> "
//   - dashes and minus signs to '-': ‐ ‑ ‒ – — ― − ﹘ ﹣ －
//   - non-breaking and other fixed-width spaces to ' ';
//   - zero-width characters dropped: U+200B, U+200C, U+200D, U+2060, U+FEFF;
//   - "…" to "...".
// Writes the folded form of `cp` at `out`, which must have room for 4 bytes; returns the end.
// The folded form of a code point is at most 4 bytes, and at most twice its UTF-8 length.
char* fold_code_point(char32_t cp, char* out);

// Appends the folded form of `cp` to `out`.
void fold_code_point(char32_t cp, std::string& out);

// The folded form of a whole string (runs of spaces are not collapsed).
std::string fold_text(std::string_view text);

// The base letter of `cp`, case folded, for the Latin, (monotonic) Greek and Cyrillic letters that
// wires write with and without their marks: accents and other diacritics gone ("É" -> 'e', "ğ" ->
// 'g', "Ł" -> 'l', "ø" -> 'o', "ı" -> 'i', "ά" -> 'α', "ё" -> 'е'); any other code point case
// folded only. Letters a mark makes another letter of (Cyrillic "й", "ї", "ў"; kana, Hangul,
// Indic vowel signs) keep it.
char32_t base_letter(char32_t cp);

// The matching form of a name: fold_text's, with every letter its base_letter and combining
// accents (U+0300-U+036F) dropped. "Recep Tayyip Erdoğan" and "Recep Tayyip Erdogan", "Łódź" and
// "Lodz", "Zürich" and "Zurich" are one; an AP and an AFP article name the same people.
std::string fold_name(std::string_view name);

// Whether two names are one by fold_name: ASCII names (most) compared byte by byte, folding
// strings only for names with other letters.
bool same_name(std::string_view x, std::string_view y);

// Whether `name` is written as an acronym: 2-6 capital letters A-Z, dots allowed ("EU", "U.S.").
bool is_acronym_text(std::string_view name);

// The initials of a name's words (their first bytes), function words ("of", "the", "and", "de", ...)
// skipped: {"european", "union"} -> "eu", {"north", "atlantic", "treaty", "organization"} -> "nato".
std::string initials(const std::vector<std::string_view>& words);

// Whether acronym `acronym` ("EU", "U.S.") spells the initials of `name`'s words ("European
// Union", "the United States"), as initials() does, without allocating: ASCII letters compared
// whatever their case.
bool spells_initials(std::string_view acronym, std::string_view name);

// ASCII letters in lower case; other bytes as they are (whatever the locale).
inline char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

// The words of `s`: runs of bytes other than ' '.
inline std::size_t count_words(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != ' ' && (i == 0 || s[i - 1] == ' ')) ++n;
  }
  return n;
}

// Whether `a` and `b` are the same but for the case of ASCII letters ("PubDate" and "pubdate");
// other bytes compared as they are. No allocation.
inline bool ascii_iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

}  // namespace wirefeed
