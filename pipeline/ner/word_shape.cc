#include "pipeline/ner/word_shape.h"

#include "pipeline/ner/feature_hash.h"

namespace wirefeed::ner {

namespace {

// Latin-1 Supplement code points arrive as 0xC3 followed by 0x80-0xBF (U+00C0-U+00FF).
bool latin1_upper(unsigned char second) { return second >= 0x80 && second <= 0x9e && second != 0x97; }
bool latin1_lower(unsigned char second) { return second >= 0x9f && second != 0xb7; }

template <class Sink>
void lower_bytes(std::string_view s, Sink&& sink) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 'A' && c <= 'Z') {
      sink(static_cast<unsigned char>(c + 32));
    } else if (c == 0xc3 && i + 1 < s.size() && latin1_upper(static_cast<unsigned char>(s[i + 1]))) {
      sink(c);
      sink(static_cast<unsigned char>(static_cast<unsigned char>(s[i + 1]) + 0x20));
      ++i;
    } else {
      sink(c);
    }
  }
}

}  // namespace

word_shape describe_word(std::string_view token) {
  word_shape w;
  std::size_t letters = 0;
  std::size_t digits = 0;
  std::size_t code_points = 0;
  bool first_letter_seen = false;
  char last_short = 0;
  for (std::size_t i = 0; i < token.size(); ++i) {
    const auto c = static_cast<unsigned char>(token[i]);
    char cls;
    if (c >= 'A' && c <= 'Z') {
      cls = 'X';
    } else if (c >= 'a' && c <= 'z') {
      cls = 'x';
    } else if (c >= '0' && c <= '9') {
      cls = 'd';
    } else if (c < 0x80) {
      cls = static_cast<char>(c);
    } else if ((c & 0xc0) == 0x80) {
      continue;  // UTF-8 continuation byte: already counted with its lead byte
    } else if (c == 0xc3 && i + 1 < token.size()) {
      const auto n = static_cast<unsigned char>(token[i + 1]);
      cls = latin1_upper(n) ? 'X' : (latin1_lower(n) ? 'x' : '*');
    } else {
      cls = 'x';  // other scripts: treated as lower-case letters
    }
    ++code_points;
    if (cls == 'X' || cls == 'x') {
      ++letters;
      w.flags |= cls == 'X' ? word_shape::has_upper : word_shape::has_lower;
      if (!first_letter_seen && cls == 'X' && code_points == 1) w.flags |= word_shape::initial_upper;
      first_letter_seen = true;
    } else if (cls == 'd') {
      ++digits;
      w.flags |= word_shape::has_digit;
    } else if (cls == '-') {
      w.flags |= word_shape::has_hyphen;
    } else if (cls == '.') {
      w.flags |= word_shape::has_period;
    } else {
      w.flags |= word_shape::has_other;
    }
    if (w.shape_length < word_shape::max_shape) {
      w.shape[w.shape_length++] = cls;
    } else {
      w.shape[word_shape::max_shape - 1] = '~';
    }
    if (cls != last_short && w.short_length < word_shape::max_shape) w.short_shape[w.short_length++] = cls;
    last_short = cls;
  }
  w.length = static_cast<std::uint8_t>(code_points > 255 ? 255 : code_points);
  if (letters > 0 && !w.has(word_shape::has_lower)) w.flags |= word_shape::all_upper;
  if (digits > 0 && digits == code_points) w.flags |= word_shape::all_digit;
  if (letters == 0 && digits == 0) w.flags |= word_shape::no_letter_or_digit;
  if (letters == 0) {
    w.casing = word_shape::no_letters;
  } else if (w.has(word_shape::all_upper) && letters >= 2) {
    w.casing = word_shape::upper;
  } else if (w.has(word_shape::initial_upper)) {
    w.casing = word_shape::title;
  } else {
    w.casing = word_shape::lower;
  }
  return w;
}

std::string to_lower(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  lower_bytes(s, [&](unsigned char c) { out.push_back(static_cast<char>(c)); });
  return out;
}

std::uint64_t hash_lower(std::string_view s) {
  // Must equal hash_bytes(to_lower(s)): same FNV-1a loop over the mapped bytes.
  std::uint64_t h = 0xcbf29ce484222325ULL ^ hash_seed;
  lower_bytes(s, [&](unsigned char c) {
    h ^= c;
    h *= 0x100000001b3ULL;
  });
  return mix64(h);
}

}  // namespace wirefeed::ner
