#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "pipeline/ner/label.h"

namespace wirefeed::ner {

// The internal BILOU tag set the model scores and Viterbi decodes over: O, then for each entity
// type B- (begin), I- (inside), L- (last), U- (unit, a one-token entity). 17 tags.
// Contract: the numbering is part of the model file format.
class tag_set {
 public:
  static constexpr std::size_t size = 1 + 4 * (entity_type_count - 1);
  enum position : std::uint8_t { begin = 0, inside = 1, last = 2, unit = 3 };

  static constexpr std::uint8_t outside_tag = 0;
  static constexpr std::uint8_t make(entity_type t, position p) {
    return static_cast<std::uint8_t>(1 + (static_cast<std::size_t>(t) - 1) * 4 + p);
  }
  static constexpr entity_type type_of(std::uint8_t tag) {
    return tag == 0 ? entity_type::none : static_cast<entity_type>(1 + (tag - 1) / 4);
  }
  static constexpr position position_of(std::uint8_t tag) {
    return static_cast<position>((tag - 1) % 4);
  }

  // Whether tag `to` may follow tag `from` (B/I must be followed by I/L of the same type; O, L, U
  // by O, B or U of any type).
  static bool allowed(std::uint8_t from, std::uint8_t to);
  static bool allowed_first(std::uint8_t tag);  // may start a sentence: O, B, U
  static bool allowed_last(std::uint8_t tag);   // may end a sentence: O, L, U

  // "O", "B-PER", "I-PER", "L-PER", "U-PER", ...
  static std::string_view name(std::uint8_t tag);

  // Labels -> BILOU tags (always a valid sequence) and back. decode also accepts invalid
  // sequences (it reads B/U as a start, anything else of a new type as a start too).
  static std::vector<std::uint8_t> encode(const std::vector<label>& labels);
  static std::vector<label> decode(const std::vector<std::uint8_t>& tags);
};

}  // namespace wirefeed::ner
