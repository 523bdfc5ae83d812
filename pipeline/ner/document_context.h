#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "pipeline/ner/flat_hash_table.h"
#include "pipeline/ner/label.h"

namespace wirefeed::ner {

// What the tagger knows about one document beyond the sentence it is tagging: how each word is
// cased elsewhere in the document, and which labels it gave the word in earlier sentences.
// Ownership: one per document, owned by the caller, used by one thread at a time. The tagger
// reads it and (through tag(tokens, context)) records its predictions into it.
// Usage: observe() every sentence of the document first, then tag the sentences in order.
class document_context {
 public:
  // Per lower-cased word.
  struct word_stats {
    std::uint16_t title_inside = 0;  // seen Title-cased not at sentence start
    std::uint16_t lower = 0;         // seen lower-cased
    std::uint16_t upper = 0;         // seen ALL-CAPS
    std::uint16_t first = 0;         // seen capitalised at sentence start
    std::uint64_t title_form = 0;    // hash_bytes of the first Title-cased form seen inside a sentence
    std::array<std::uint16_t, entity_type_count> history{};  // labels given earlier, by type
    std::array<std::uint16_t, entity_type_count> stage1{};   // stage-1 labels, whole document
  };

  // Adds one sentence to the casing statistics.
  void observe(const std::vector<std::string_view>& tokens);
  // Records the labels predicted for one sentence (one label per token).
  void record(const std::vector<std::string_view>& tokens, const std::vector<label>& labels);
  // Records stage-1 labels of one sentence (two-stage tagging: all sentences before stage 2).
  void record_stage1(const std::vector<std::string_view>& tokens, const std::vector<label>& labels);
  // Forgets the label history (not the casing statistics or stage-1 labels): stage 2 starts over.
  void clear_history();
  // Statistics for a word given as hash_lower(word), or nullptr if the document never had it.
  const word_stats* find(std::uint64_t lower_hash) const { return words_.find(lower_hash); }

  void clear() { words_.clear(); }

 private:
  flat_hash_table<word_stats> words_;
};

}  // namespace wirefeed::ner
