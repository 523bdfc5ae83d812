#include "pipeline/tokenizer.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <array>

#include "pipeline/text_fold.h"
#include "pipeline/utf8_cursor.h"

namespace wirefeed {
namespace {

enum class char_class : std::uint8_t { space, letter, digit, mark, joiner, other };

constexpr std::array<char_class, 128> k_ascii_classes = [] {
  std::array<char_class, 128> t{};
  for (auto& c : t) c = char_class::other;
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = char_class::letter;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] = char_class::letter;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = char_class::digit;
  for (char c : {' ', '\t', '\n', '\r'}) t[static_cast<std::size_t>(c)] = char_class::space;
  return t;
}();

char_class classify(char32_t cp) {
  if (cp < 0x80) return k_ascii_classes[cp];
  switch (u_charType(static_cast<UChar32>(cp))) {
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER: return char_class::letter;
    case U_NON_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_COMBINING_SPACING_MARK: return char_class::mark;
    case U_DECIMAL_DIGIT_NUMBER: return char_class::digit;
    case U_SPACE_SEPARATOR:
    case U_LINE_SEPARATOR:
    case U_PARAGRAPH_SEPARATOR: return char_class::space;
    case U_FORMAT_CHAR: return char_class::joiner;
    default: return char_class::other;
  }
}

// For the word loop: 1 = ASCII letter, 2 = ASCII digit, 0 = anything else (bytes >= 0x80 too).
constexpr std::array<std::uint8_t, 256> k_word_byte = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = 1;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] = 1;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = 2;
  return t;
}();

constexpr std::array<char, 128> k_ascii_lower = [] {
  std::array<char, 128> t{};
  for (int c = 0; c < 128; ++c) t[static_cast<std::size_t>(c)] = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return t;
}();

bool is_alnum(char_class c) { return c == char_class::letter || c == char_class::digit; }
bool is_hyphen(char32_t cp) { return cp == '-' || cp == 0x2010 || cp == 0x2011; }
bool is_apostrophe(char32_t cp) { return cp == '\'' || cp == 0x2019; }

// One decoded code point with its position.
struct cp_at {
  char32_t cp = 0;
  std::size_t begin = 0;
  std::size_t end = 0;
  char_class cls = char_class::other;
};

inline cp_at peek(std::string_view s, std::size_t pos) {
  cp_at c;
  c.begin = pos;
  if (pos >= s.size()) return c;
  const auto b = static_cast<unsigned char>(s[pos]);
  if (b < 0x80) {
    c.cp = b;
    c.end = pos + 1;
    c.cls = k_ascii_classes[b];
    return c;
  }
  std::size_t i = pos;
  c.cp = utf8::next(s, i);
  c.end = i;
  c.cls = classify(c.cp);
  return c;
}

// The letters starting at `pos`, folded (ASCII only: clitics are ASCII); empty if a non-ASCII
// letter is among them or more than 3 follow.
std::string ascii_letters_at(std::string_view s, std::size_t pos, std::size_t& end) {
  std::string out;
  end = pos;
  while (end < s.size()) {
    const char c = s[end];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      out += static_cast<char>(c | 0x20);
      ++end;
    } else if (static_cast<unsigned char>(c) >= 0x80 && classify(peek(s, end).cp) == char_class::letter) {
      return {};
    } else {
      break;
    }
    if (out.size() > 3) return {};
  }
  return out;
}

bool is_clitic(std::string_view letters) {
  for (std::string_view c : {"s", "d", "ll", "re", "ve", "m"}) {
    if (letters == c) return true;
  }
  return false;
}

// Folded words after which an apostrophe ends the token (French and Italian elision).
bool is_elision(std::string_view folded_word) {
  static constexpr std::array<std::string_view, 17> words{"l",    "d",      "j",       "m",       "n",   "s",
                                                          "t",    "c",      "qu",      "jusqu",   "lorsqu", "puisqu",
                                                          "dell", "all",    "nell",    "sull",    "dall"};
  return std::find(words.begin(), words.end(), folded_word) != words.end();
}

bool starts_with_icase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if ((s[i] | 0x20) != prefix[i]) return false;
  }
  return true;
}

// Writes the folded text straight into `folded` (sized up front for the worst case: a code point
// folds to at most three times its bytes, U+FFFD for a stray byte included) and the tokens.
class token_writer {
 public:
  token_writer(std::string_view text, std::uint32_t base, std::string& folded, std::vector<token>& tokens,
               std::vector<word_table::mask>* masks)
      : text_(text), base_(base), folded_(folded), tokens_(tokens), masks_(masks), start_(folded.size()) {
    // 3n: the worst-case folded size; +16: lookup_padded reads 16 bytes from any word start.
    folded_.resize(start_ + 3 * text.size() + 16);
    data_ = folded_.data();
    out_ = data_ + start_;
  }

  void space() {
    if (size() > start_ && out_[-1] != ' ') *out_++ = ' ';
  }
  std::size_t size() const { return static_cast<std::size_t>(out_ - data_); }
  void fold(char32_t cp) { out_ = fold_code_point(cp, out_); }
  void fold_ascii(unsigned char c) { *out_++ = k_ascii_lower[c]; }
  void fold_range(std::size_t begin, std::size_t end) {
    std::size_t i = begin;
    while (i < end) fold(utf8::next(text_, i));
  }
  void drop_back(std::size_t bytes) { out_ -= bytes; }
  void emit(std::size_t text_begin, std::size_t text_end, std::size_t folded_begin, token_kind kind) {
    token t;
    t.text = {base_ + static_cast<std::uint32_t>(text_begin), base_ + static_cast<std::uint32_t>(text_end)};
    t.folded = {static_cast<std::uint32_t>(folded_begin), static_cast<std::uint32_t>(size())};
    t.kind = kind;
    tokens_.push_back(t);
    if (masks_ != nullptr) {
      masks_->push_back(kind == token_kind::word
                            ? words_.lookup_padded(data_ + folded_begin, size() - folded_begin)
                            : 0);
    }
  }
  void finish() {
    if (size() > start_ && out_[-1] == ' ') --out_;
    folded_.resize(size());
  }
  std::string_view since(std::size_t begin) const {
    return std::string_view(data_ + begin, size() - begin);
  }

 private:
  std::string_view text_;
  std::uint32_t base_;
  std::string& folded_;
  std::vector<token>& tokens_;
  std::vector<word_table::mask>* masks_;
  const word_table& words_ = word_table::instance();
  std::size_t start_;
  char* data_ = nullptr;  // folded_.data(), fixed once sized
  char* out_ = nullptr;
};

bool is_connector(char32_t cp) {
  return cp == '-' || cp == '.' || cp == ',' || cp == ':' || cp == '/' || cp == '\'' || cp == 0x2010 ||
         cp == 0x2011 || cp == 0x2019;
}

}  // namespace

tokenizer::tokenizer(const std::vector<std::string>& abbreviations) {
  for (const auto& a : abbreviations) {
    std::string f = a;
    if (f.empty()) continue;
    if (f.back() != '.') f += '.';
    longest_abbreviation_ = std::max(longest_abbreviation_, f.size());
    abbreviations_.push_back(std::move(f));
  }
  std::sort(abbreviations_.begin(), abbreviations_.end());
  abbreviations_.erase(std::unique(abbreviations_.begin(), abbreviations_.end()), abbreviations_.end());
}

bool tokenizer::is_abbreviation(std::string_view word_with_dot) const {
  if (word_with_dot.size() > longest_abbreviation_) return false;
  return std::binary_search(abbreviations_.begin(), abbreviations_.end(), word_with_dot);
}

void tokenizer::tokenize(std::string_view text, std::uint32_t text_base, std::string& folded,
                         std::vector<token>& tokens, std::vector<word_table::mask>* masks) const {
  token_writer w(text, text_base, folded, tokens, masks);
  std::size_t i = 0;
  while (i < text.size()) {
    const cp_at c = peek(text, i);
    const std::size_t fb = w.size();
    if (c.cls == char_class::space) {
      w.space();
      i = c.end;
      continue;
    }
    if (c.cls == char_class::joiner || c.cls == char_class::mark) {
      w.fold(c.cp);  // a stray mark or zero-width character outside a word: folded, no token
      i = c.end;
      continue;
    }
    const std::string_view rest = text.substr(i);
    // URLs: up to the next white space.
    if ((c.cp == 'h' || c.cp == 'H' || c.cp == 'w' || c.cp == 'W') &&
        (starts_with_icase(rest, "http://") || starts_with_icase(rest, "https://") || starts_with_icase(rest, "www."))) {
      std::size_t end = i;
      while (end < text.size() && peek(text, end).cls != char_class::space) end = peek(text, end).end;
      // A URL does not swallow the sentence's final punctuation.
      while (end > i && (text[end - 1] == '.' || text[end - 1] == ',' || text[end - 1] == ')')) --end;
      w.fold_range(i, end);
      w.emit(i, end, fb, token_kind::word);
      i = end;
      continue;
    }
    // Clitics after a word: 's 'd 'll 're 've 'm, and n't.
    if (is_apostrophe(c.cp)) {
      std::size_t end = 0;
      const std::string letters = ascii_letters_at(text, c.end, end);
      if (is_clitic(letters)) {
        w.fold_range(i, end);
        w.emit(i, end, fb, token_kind::word);
        i = end;
        continue;
      }
    }
    if ((c.cp == 'n' || c.cp == 'N') && c.end < text.size()) {
      const cp_at a = peek(text, c.end);
      std::size_t end = 0;
      if (is_apostrophe(a.cp) && ascii_letters_at(text, a.end, end) == "t") {
        w.fold_range(i, end);
        w.emit(i, end, fb, token_kind::word);
        i = end;
        continue;
      }
    }
    const bool tag_start = (c.cp == '#' || c.cp == '@') && is_alnum(peek(text, c.end).cls);
    if (!is_alnum(c.cls) && !tag_start) {
      // Punctuation: one token, or a run of '.' / '-'.
      std::size_t end = c.end;
      if (c.cp == '.' || c.cp == '-') {
        while (end < text.size() && text[end] == static_cast<char>(c.cp)) ++end;
      }
      w.fold_range(i, end);
      w.emit(i, end, fb, token_kind::punct);
      i = end;
      continue;
    }

    // A word or a number.
    bool has_letter = c.cls == char_class::letter;
    bool dotted = false;                 // "U.S": single letters joined by '.'
    std::size_t segment_start = i;       // where the part after the last '.' or '-' began
    w.fold(c.cp);
    std::size_t j = c.end;
    while (j < text.size()) {
      // Fast path: a run of ASCII letters and digits.
      std::size_t k = j;
      std::uint8_t seen = 0;
      while (k < text.size()) {
        const auto byte = static_cast<unsigned char>(text[k]);
        const std::uint8_t kind = k_word_byte[byte];
        if (kind == 0) break;
        seen |= kind;
        w.fold_ascii(byte);
        ++k;
      }
      has_letter |= (seen & 1) != 0;
      j = k;
      if (j >= text.size()) break;
      const cp_at d = peek(text, j);
      if (is_alnum(d.cls) || d.cls == char_class::mark || d.cls == char_class::joiner) {
        w.fold(d.cp);
        has_letter |= d.cls == char_class::letter;
        j = d.end;
        continue;
      }
      if (!is_connector(d.cp) || d.end >= text.size()) break;
      const cp_at e = peek(text, d.end);
      if (!is_alnum(e.cls)) break;
      if (is_hyphen(d.cp)) {
        w.fold(d.cp);
        j = d.end;
        segment_start = j;
        continue;
      }
      const bool after_digit = text[j - 1] >= '0' && text[j - 1] <= '9';
      if ((d.cp == '.' || d.cp == ',' || d.cp == ':' || d.cp == '/') && after_digit && e.cls == char_class::digit) {
        w.fold(d.cp);
        j = d.end;
        continue;
      }
      // A company named by its domain: "Amazon.com", "Booking.com" (the tagger made "Amazon" a
      // place and "com Inc" a company).
      if (d.cp == '.' && e.cls == char_class::letter && text.compare(d.end, 3, "com") == 0 &&
          (d.end + 3 == text.size() || !is_alnum(peek(text, d.end + 3).cls))) {
        w.fold(d.cp);
        j = d.end;
        segment_start = j;
        continue;
      }
      // One letter since the last '.': "U" of "U.S".
      const bool one_letter = peek(text, segment_start).end == j && peek(text, segment_start).cls == char_class::letter;
      if (d.cp == '.' && one_letter && e.cls == char_class::letter) {
        // "U.S": only while every segment is one letter.
        const cp_at after = peek(text, e.end);
        if (e.end >= text.size() || !is_alnum(after.cls)) {
          w.fold(d.cp);
          j = d.end;
          dotted = true;
          segment_start = j;
          continue;
        }
        break;
      }
      if (is_apostrophe(d.cp)) {
        std::size_t end = 0;
        const std::string letters = ascii_letters_at(text, d.end, end);
        if (is_clitic(letters)) break;  // the clitic becomes the next token
        if (letters == "t" && j > i && (text[j - 1] == 'n' || text[j - 1] == 'N') && j - 1 > i) {
          // "don't": the word ends before the 'n'.
          w.drop_back(1);
          j -= 1;
          break;
        }
        if (is_elision(w.since(fb))) {
          w.fold(d.cp);
          j = d.end;
          break;
        }
        w.fold(d.cp);  // "O'Brien"
        j = d.end;
        continue;
      }
      break;
    }
    // A final '.' that belongs to the word.
    if (j < text.size() && text[j] == '.' && has_letter) {
      const std::string_view word = text.substr(i, j + 1 - i);  // with the '.'
      const bool initial = c.end == j && u_isupper(static_cast<UChar32>(c.cp));
      if (dotted || initial || is_abbreviation(word)) {
        w.fold('.');
        ++j;
      }
    }
    w.emit(i, j, fb, has_letter ? token_kind::word : token_kind::number);
    i = j;
  }
  w.finish();
}

}  // namespace wirefeed
