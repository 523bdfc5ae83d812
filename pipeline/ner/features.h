#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "pipeline/ner/document_context.h"
#include "pipeline/ner/feature_options.h"
#include "pipeline/ner/gazetteer.h"
#include "pipeline/ner/word_shape.h"

namespace wirefeed::ner {

// Per-sentence scratch space for feature_extractor: the feature keys of token i are
// keys[offsets[i] .. offsets[i + 1]). Reuse one buffer across sentences to avoid allocations
// (it only grows).
struct feature_buffer {
  std::vector<std::uint64_t> keys;
  std::vector<std::uint32_t> offsets;

  std::size_t token_count() const { return offsets.empty() ? 0 : offsets.size() - 1; }

  // Internal per-token scratch, kept here so that extraction allocates nothing once warm.
  struct token_info {
    std::uint64_t form = 0;
    std::uint64_t lower = 0;
    std::uint64_t shape = 0;
    std::uint64_t short_shape = 0;
    std::uint64_t prefix[4] = {};
    std::uint64_t suffix[4] = {};
    word_shape word;
  };
  std::vector<token_info> tokens;
  std::vector<std::uint64_t> lower_hashes;
  std::vector<std::uint8_t> gazetteer_matches;
  bool headline = false;
};

// Turns a tokenised sentence into hashed feature keys (see README.md for the templates). Only raw
// tokens are used: no part-of-speech or chunk input. Holds a reference to the gazetteer, which
// must outlive it. Stateless otherwise: extract() is const and thread-safe.
class feature_extractor {
 public:
  feature_extractor(const gazetteer& gaz, feature_options options) : gaz_(gaz), options_(options) {}

  // Fills `out` for `tokens`. `doc` may be null (no document-level features fire then).
  // `stage1_tags` (stage 2 only): the BILOU tags stage 1 gave this sentence; with it the stage-2
  // features fire (stage-1 tags at -1..+1, and the stage-1 labels of the word's other occurrences
  // in the document, from doc->record_stage1).
  void extract(const std::vector<std::string_view>& tokens, const document_context* doc,
               feature_buffer& out, const std::uint8_t* stage1_tags = nullptr) const {
    prepare(tokens, out);
    emit(doc, out, stage1_tags);
  }

  // extract() in two steps, so that a second stage can reuse the first: prepare() does the
  // per-token work that depends on the sentence only (hashes, shapes, gazetteer matches); emit()
  // writes the keys, which may also depend on the document and on stage-1 tags.
  void prepare(const std::vector<std::string_view>& tokens, feature_buffer& out) const;
  void emit(const document_context* doc, feature_buffer& out, const std::uint8_t* stage1_tags) const;

  const feature_options& options() const { return options_; }

 private:
  const gazetteer& gaz_;
  feature_options options_;
};

}  // namespace wirefeed::ner
