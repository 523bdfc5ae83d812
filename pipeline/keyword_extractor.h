#pragma once

#include <vector>

#include "pipeline/extract_context.h"

namespace wirefeed {

// The pure half of keyword extraction: the article's candidate terms with their counts
// (article::terms), for keyword_ranker to rank on the ordered strand.
//
// Candidates: words of three or more letters that are not stopwords of the article's language
// (token::is_stopword) nor a few news verbs ("said", "told", ...), folded; and two such words in
// a row in one sentence, separated by one space ("nord stream", "security guarantees"), seen at
// least twice. Numbers and punctuation are never part of a term. At most `max_terms` terms are
// kept, most frequent first (ties: alphabetical), so an article's term list is bounded.
//
// Stateless: count() is const and thread-safe.
class keyword_extractor {
 public:
  explicit keyword_extractor(std::size_t max_terms = 200) : max_terms_(max_terms) {}
  std::vector<term_count> count(const extract_context& c) const;

 private:
  std::size_t max_terms_;
};

}  // namespace wirefeed
