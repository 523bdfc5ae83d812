#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/ner/byte_reader.h"
#include "pipeline/ner/byte_writer.h"
#include "pipeline/ner/flat_hash_table.h"

namespace wirefeed::ner {

// Named lists of phrases (country names, city names, first names...) matched against sentences.
// The lists are baked into the model file at training time, so the runtime needs nothing else.
// Matching is case-insensitive (to_lower) on whole tokens; a phrase is its tokens joined by single
// spaces. Immutable after construction by add_list; const methods are thread-safe.
class gazetteer {
 public:
  static constexpr std::size_t max_lists = 16;
  static constexpr std::size_t max_phrase_tokens = 8;
  // Position of a token inside a matched phrase, per list.
  enum match_position : std::uint8_t { none = 0, begin = 1, inside = 2, last = 3, unit = 4 };

  // Adds a list. Phrases are split on ASCII whitespace; empty phrases and phrases longer than
  // max_phrase_tokens are skipped; duplicates are merged. Returns false (and adds nothing) when
  // max_lists lists exist already.
  bool add_list(std::string name, const std::vector<std::string>& phrases);

  std::size_t list_count() const { return names_.size(); }
  const std::string& list_name(std::size_t list) const { return names_[list]; }
  std::size_t phrase_count(std::size_t list) const { return phrases_[list].size(); }

  // Matches one sentence, given as hash_lower() of each of its n tokens. For each token i and list
  // l writes the token's match_position into out[i * list_count() + l]. Per list, matching is
  // greedy longest-match from left to right. `out` must hold n * list_count() bytes. No heap
  // allocation.
  void match(const std::uint64_t* lower_hashes, std::size_t n, std::uint8_t* out) const;

  // Serialisation inside the model file.
  void write(byte_writer& w) const;
  static std::optional<gazetteer> read(byte_reader& r);  // nullopt if malformed

 private:
  std::vector<std::string> names_;
  std::vector<std::vector<std::string>> phrases_;  // normalised (lower, single-spaced), sorted
  // Hash of a phrase or of a proper prefix of one -> bits 0-15: lists holding the phrase;
  // bit 16: some longer phrase starts with it (so matching tries one more token).
  flat_hash_table<std::uint32_t> table_;
  static constexpr std::uint32_t continues = 1u << 16;
  std::size_t longest_ = 0;                        // tokens in the longest phrase
};

}  // namespace wirefeed::ner
