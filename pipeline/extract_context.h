#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "pipeline/article.h"
#include "pipeline/ner/label.h"

namespace wirefeed {

// A half-open range of token indices [begin, end) into article::tokens.
struct token_range {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  std::uint32_t size() const { return end - begin; }
  bool empty() const { return begin >= end; }
};

// One named-entity mention as the tagger found it, and the entity it was grouped into.
struct entity_mention {
  token_range tokens;
  ner::entity_type type = ner::entity_type::none;
  std::int32_t entity = -1;  // index into article::entities once canonicalized
};

// The per-article working data the extractors share: which sentence and paragraph each token is
// in, the display and folded forms of each token, the entity mentions, and the tokens an earlier
// extractor claimed. Built by extractor::process for one article, on one thread; it refers into
// the article, which must outlive it and keep its body, folded text and tokens unchanged.
//
// Sentences here are runs of tokens: the article's sentences, plus one run for any tokens that
// fall outside every sentence (never made by normalize, but the extractors must not depend on it).
class extract_context {
 public:
  explicit extract_context(const article& a);

  const article& doc() const { return *a_; }
  std::uint32_t size() const { return static_cast<std::uint32_t>(a_->tokens.size()); }

  std::string_view text(std::uint32_t i) const;    // display form, body[tokens[i].text]
  std::string_view folded(std::uint32_t i) const;  // matching form, folded[tokens[i].folded]
  token_kind kind(std::uint32_t i) const { return a_->tokens[i].kind; }
  bool is_word(std::uint32_t i) const { return kind(i) == token_kind::word; }
  bool is_number(std::uint32_t i) const { return kind(i) == token_kind::number; }
  bool is_punct(std::uint32_t i) const { return kind(i) == token_kind::punct; }
  // Whether the folded form is `s` (i may be out of range: false).
  bool is(std::uint32_t i, std::string_view s) const { return i < size() && folded(i) == s; }
  // The first letter of the display form is upper-case (ASCII or Latin-1/Latin Extended).
  bool capitalized(std::uint32_t i) const;

  // White space (or the paragraph's edge) right before / after the token in the body.
  bool space_before(std::uint32_t i) const;
  bool space_after(std::uint32_t i) const;

  std::uint32_t sentence_of(std::uint32_t i) const { return sentence_of_[i]; }
  const std::vector<token_range>& sentences() const { return sentences_; }
  token_range sentence(std::uint32_t s) const { return sentences_[s]; }
  std::uint32_t paragraph_of(std::uint32_t i) const { return paragraph_of_[i]; }

  // The body bytes from the start of token `first` to the end of token `last - 1`.
  text_span span(token_range r) const;
  std::string_view span_text(token_range r) const;

  // Entity mentions in token order (entity_extractor, then entity_canonicalizer sets `entity`),
  // and per token the index of the mention covering it, or -1.
  std::vector<entity_mention> mentions;
  std::vector<std::int32_t> mention_at;
  void set_mentions(std::vector<entity_mention> m);
  // The entity index of the mention covering token i, or -1.
  std::int32_t entity_at(std::uint32_t i) const;
  // The mention that ends right before token `end` (its last token is end - 1), or nullptr.
  const entity_mention* mention_ending_at(std::uint32_t end) const;
  const entity_mention* mention_starting_at(std::uint32_t begin) const;

  // Tokens inside a date expression (date_extractor); the figure extractor leaves them alone.
  std::vector<bool> in_date;

 private:
  const article* a_;
  std::vector<std::uint32_t> sentence_of_;
  std::vector<std::uint32_t> paragraph_of_;
  std::vector<token_range> sentences_;
};

}  // namespace wirefeed
