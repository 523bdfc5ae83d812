#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/error.h"
#include "pipeline/ner/document_context.h"
#include "pipeline/ner/features.h"
#include "pipeline/ner/label.h"
#include "pipeline/ner/model.h"

namespace wirefeed::ner {

// The named-entity tagger of the extract stage: an averaged-perceptron sequence model over
// hashed features, decoded with constrained first-order Viterbi over BILOU tags.
// A two-stage model (model::stage_count() == 2) tags a whole document twice in tag_document:
// stage 1 as usual, then stage 2 with stage 1's labels for every occurrence of each word in the
// document as extra features (so a later, easier mention can fix an earlier one). The sentence
// API (tag) uses stage 1 only.
//
// Lifecycle: load once at start-up (tagger::load returns an error value naming the file and the
// problem if it is missing, truncated, corrupt or of another format version); then share it.
// Thread-safety: every method is const and touches no shared mutable state; concurrent calls are
// fine. Each thread keeps its own scratch buffers (thread_local), so the tagging path allocates
// only the returned vector once warm. Never throws in the tagging path (except std::bad_alloc).
// Input: tokens of one sentence, UTF-8, as the tokenizer produced them (no POS or chunk tags).
class tagger {
 public:
  static result<tagger> load(const std::string& path);
  explicit tagger(model m);

  // Tags one sentence on its own (no document-level features).
  std::vector<label> tag(const std::vector<std::string_view>& tokens) const;

  // Tags one sentence of a document and records the result in `doc`, so that later sentences
  // see it. `doc` should have observe()d every sentence of the document beforehand.
  std::vector<label> tag(const std::vector<std::string_view>& tokens, document_context& doc) const;

  // Tags a whole document (observes all sentences, then tags them in order). Best accuracy.
  // Stage 1's features of the first `kept_feature_tokens` tokens' sentences are kept for stage 2
  // (about 1 KB a token; the same labels either way, the rest is computed again): a body of
  // 200,000 characters would otherwise hold them all at once.
  std::vector<std::vector<label>> tag_document(const std::vector<std::vector<std::string_view>>& sentences,
                                               std::size_t kept_feature_tokens = 16384) const;

  // A sentence longer than this is tagged in consecutive windows of this many tokens, so that what
  // one sentence holds (the per-thread scratch, about 1 KB a token, kept at its largest) stays
  // bounded whatever a run of punctuation or an endless list makes a sentence of. Real sentences
  // stay far below it (ECB+: 90 tokens at most); a name across a window's edge may be cut.
  static constexpr std::size_t max_window_tokens = 256;

  const model& weights() const { return *model_; }

 private:
  // Tags one sentence with one stage, in windows of at most max_window_tokens. With `prepared`
  // (ignored for a sentence of more than one window), the sentence-only feature work is taken
  // from it (stage 2) or kept in it (stage 1) instead of the per-thread buffer.
  std::vector<label> run(const std::vector<std::string_view>& tokens, const document_context* doc,
                         std::size_t stage, const std::uint8_t* stage1_tags, feature_buffer* prepared,
                         bool reuse) const;
  // One window of at most max_window_tokens.
  std::vector<label> run_window(const std::vector<std::string_view>& tokens, const document_context* doc,
                         std::size_t stage, const std::uint8_t* stage1_tags, feature_buffer* prepared,
                         bool reuse) const;

  std::shared_ptr<const model> model_;
  feature_extractor extractor_;  // refers to model_->gazetteer_lists()
};

}  // namespace wirefeed::ner
