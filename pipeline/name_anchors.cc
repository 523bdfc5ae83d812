#include "pipeline/name_anchors.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <string>

#include "pipeline/ner/feature_hash.h"
#include "pipeline/text_fold.h"
#include "pipeline/utf8_cursor.h"

namespace wirefeed {

namespace {

// ASCII first: most letters of most feeds are, and ICU's lookups cost a call each.
bool is_letter(char32_t cp) {
  return cp < 0x80 ? ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') : u_isalpha(static_cast<UChar32>(cp)) != 0;
}

bool is_capital(char32_t cp) {
  return cp < 0x80 ? (cp >= 'A' && cp <= 'Z')
                   : u_isupper(static_cast<UChar32>(cp)) != 0 || u_istitle(static_cast<UChar32>(cp)) != 0;
}

bool is_digit(std::string_view s, std::size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; }

// A thousands separator at s[i] (",", ".", a space, U+00A0, U+202F) followed by exactly three
// digits: its length in bytes, else 0.
std::size_t thousands_separator(std::string_view s, std::size_t i) {
  std::size_t len = 0;
  if (i < s.size() && (s[i] == ',' || s[i] == '.' || s[i] == ' ')) len = 1;
  else if (s.substr(i, 2) == "\xC2\xA0") len = 2;
  else if (s.substr(i, 3) == "\xE2\x80\xAF") len = 3;
  if (len == 0) return 0;
  const std::size_t d = i + len;
  return is_digit(s, d) && is_digit(s, d + 1) && is_digit(s, d + 2) && !is_digit(s, d + 3) ? len : 0;
}

void scan(std::string_view s, std::vector<std::uint64_t>& out) {
  bool sentence_start = true;
  std::string key;
  std::size_t i = 0;
  while (i < s.size()) {
    if (is_digit(s, i)) {
      key = "#";
      while (true) {
        while (is_digit(s, i)) key += s[i++];
        const std::size_t sep = thousands_separator(s, i);
        if (sep == 0) break;
        i += sep;
      }
      if (key.size() >= 3) out.push_back(ner::hash_bytes(key));
      sentence_start = false;
      continue;
    }
    std::size_t next = i;
    const char32_t cp = utf8::next(s, next);
    if (!is_letter(cp)) {  // spaces, quotes, brackets, symbols: a sentence opens after . ! ? : or a line break
      if (cp == '.' || cp == '!' || cp == '?' || cp == '\n' || cp == ':') sentence_start = true;
      i = next;
      continue;
    }
    // A word: kept when it has a capital and does not open a sentence; else only skipped.
    const bool kept = is_capital(cp) && !sentence_start;
    sentence_start = false;
    key.clear();
    std::size_t letters = 0;
    char buffer[4];
    for (char32_t c = cp;;) {
      if (kept) key.append(buffer, utf8::write(base_letter(c), buffer));
      ++letters;
      i = next;
      if (i >= s.size()) break;
      c = utf8::next(s, next);
      if (!is_letter(c)) break;
    }
    if (kept && letters >= 3) out.push_back(ner::hash_bytes(key));
  }
}

}  // namespace

std::vector<std::uint64_t> name_anchors(std::string_view headline, std::string_view body) {
  std::vector<std::uint64_t> out;
  scan(headline, out);
  scan(body, out);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace wirefeed
