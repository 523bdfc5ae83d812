#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "pipeline/article.h"
#include "pipeline/df_sketch.h"

namespace wirefeed {

struct keyword_ranker_options {
  std::size_t max_keywords = 10;             // keywords per article
  std::size_t sketch_width = 65536;          // counters per row of the document-frequency sketch
  std::uint64_t half_life_articles = 50000;  // every this many articles, all frequencies are halved
};

// The stateful half of keyword extraction: ranks an article's terms (article::terms, counted by
// keyword_extractor) by TF-IDF against the document frequencies of the articles ranked before it,
// writes article::keywords, then adds the article's terms to the frequencies.
//
// Score: (1 + ln tf) x (ln((1 + N) / (1 + df)) + 1), N the articles seen, df those containing the
// term (estimated). Keywords: the best `max_keywords`, best first (ties: alphabetical); a word
// already inside a chosen two-word term is not chosen again on its own, and a two-word term takes
// the place of its words chosen before it; month names and ages ("28-year-old") are no keywords
// (they still count in article::terms). The first articles,
// before any frequency is known, are ranked by their term counts alone.
//
// Memory-bounded: document frequencies live in a df_sketch (4 rows x `sketch_width` 32-bit
// counters: 1 MiB by default) whatever the vocabulary, halved every `half_life_articles`.
//
// Stateful and NOT thread-safe: owned by the chain's ordered strand, which calls process() in the
// deterministic release order, so a replay gives the same keywords.
class keyword_ranker {
 public:
  explicit keyword_ranker(keyword_ranker_options options);

  void process(article& a);

  // Estimated document frequency of a term, and the (decayed) number of articles seen.
  std::uint32_t document_frequency(std::string_view term) const;
  double articles() const { return frequencies_.documents(); }
  // The document frequencies, for the changelog checkpoint (checkpoint.h).
  const df_sketch& frequencies() const { return frequencies_; }
  df_sketch& frequencies() { return frequencies_; }

 private:
  keyword_ranker_options options_;
  df_sketch frequencies_;
};

}  // namespace wirefeed
