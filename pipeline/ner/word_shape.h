#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace wirefeed::ner {

// Orthographic description of one token, computed without heap allocation.
// Letters: ASCII, plus Latin-1 Supplement letters in UTF-8 (U+00C0-U+00FF), whose case is known;
// other non-ASCII code points count as lower-case letters. Input is expected to be UTF-8 but any
// bytes are accepted.
struct word_shape {
  static constexpr std::size_t max_shape = 12;  // longer shapes are cut (the cut is marked '~')

  enum flag : std::uint32_t {
    has_upper = 1u << 0,
    has_lower = 1u << 1,
    has_digit = 1u << 2,
    has_hyphen = 1u << 3,
    has_period = 1u << 4,
    has_other = 1u << 5,     // punctuation or symbols other than '-' and '.'
    initial_upper = 1u << 6,
    all_upper = 1u << 7,     // at least one upper-case letter and no lower-case one
    all_digit = 1u << 8,
    no_letter_or_digit = 1u << 9,
  };

  // The case class used by the document-level features.
  enum case_class : std::uint8_t { no_letters = 0, lower = 1, title = 2, upper = 3 };

  std::uint32_t flags = 0;
  case_class casing = no_letters;
  std::uint8_t length = 0;         // in code points, capped at 255
  std::uint8_t shape_length = 0;
  std::uint8_t short_length = 0;
  char shape[max_shape] = {};        // X x d or the punctuation byte itself: "Xxxxx", "dd.dd"
  char short_shape[max_shape] = {};  // runs collapsed: "Xx", "d.d"

  std::string_view long_form() const { return {shape, shape_length}; }
  std::string_view short_form() const { return {short_shape, short_length}; }
  bool has(flag f) const { return (flags & f) != 0; }
};

// Describes `token`.
word_shape describe_word(std::string_view token);

// Lower-cases ASCII and UTF-8 Latin-1 Supplement capitals (U+00C0-U+00DE except U+00D7) byte by
// byte; other bytes are copied. The result has the same length as the input.
std::string to_lower(std::string_view s);
// The same mapping, hashed without building the string (hash_bytes(to_lower(s)) == hash_lower(s)).
std::uint64_t hash_lower(std::string_view s);

}  // namespace wirefeed::ner
