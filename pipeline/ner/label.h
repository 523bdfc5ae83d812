#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace wirefeed::ner {

// The CoNLL-2003 entity types. `none` marks a token outside any entity.
enum class entity_type : std::uint8_t { none = 0, per = 1, org = 2, loc = 3, misc = 4 };
inline constexpr std::size_t entity_type_count = 5;  // including none

// "PER", "ORG", "LOC", "MISC"; "O" for none.
std::string_view to_string(entity_type t);
// Inverse of to_string for the four entity types; nullopt for anything else (including "O").
std::optional<entity_type> parse_entity_type(std::string_view s);

// The label of one token. `begins` is true on the first token of every entity, so two adjacent
// entities of the same type stay distinct. For type none, begins is false.
struct label {
  entity_type type = entity_type::none;
  bool begins = false;

  friend bool operator==(const label&, const label&) = default;
};

// A half-open token range [begin, end) forming one entity.
struct entity_span {
  std::size_t begin = 0;
  std::size_t end = 0;
  entity_type type = entity_type::none;

  friend bool operator==(const entity_span&, const entity_span&) = default;
};

// The entities of a labelled sentence, in order.
std::vector<entity_span> to_spans(const std::vector<label>& labels);

// Conversions to and from the CoNLL tag strings.
//   IOB1 (CoNLL-2003): I-X inside entities; B-X only on the first token of an entity that directly
//   follows another entity of the same type. IOB2: B-X on every first token.
// parse_iob accepts both (and BIOES/BILOU prefixes E-/L-/S-/U- are not accepted); it returns
// nullopt for a tag it does not know. `previous` is the label of the preceding token (or a
// none-label at the start of a sentence).
std::optional<label> parse_iob(std::string_view tag, label previous);
// Writes the IOB1 tag of labels[i] ("O", "I-PER", "B-PER") into a static string.
std::string_view iob1_tag(const std::vector<label>& labels, std::size_t i);

}  // namespace wirefeed::ner
