#pragma once

#include <memory>
#include <string>

#include "pipeline/article.h"
#include "pipeline/date_extractor.h"
#include "pipeline/entity_canonicalizer.h"
#include "pipeline/entity_extractor.h"
#include "pipeline/error.h"
#include "pipeline/figure_extractor.h"
#include "pipeline/keyword_extractor.h"
#include "pipeline/quote_extractor.h"

namespace wirefeed {

// Stage 3 (issue #4): what an article says, in article.h's "set by extract" fields. In order:
//   1. named entities: the NER tagger over the body's sentences (entity_extractor.h), grouped and
//      named per article (entity_canonicalizer.h);
//   2. dates and times, resolved against the publication time (date_extractor.h);
//   3. figures: numbers with their unit and what they count (figure_extractor.h; after dates,
//      which claim "2015" and "14-15" in "February 14-15");
//   4. quotes and their speakers (quote_extractor.h; after entities);
//   5. keyword candidates with their counts (keyword_extractor.h; ranked later, on the ordered
//      strand, by keyword_ranker.h);
//   6. MinHash and SimHash fingerprints of the body (minhash.h).
// Steps 1, 3 and 4 are English-only: they run when the article's language is English ("en",
// "en-GB") or unknown (""/"und"); other articles get keywords, fingerprints and the dates that
// read in their language (date_extractor.h). An article with no
// tokens gets nothing. process() clears the extract fields first, so running it twice is harmless.
//
// Built once at start-up (create() loads the NER model: a missing or corrupt model is a start-up
// error naming the file and the problem, never a per-message one); pure and thread-safe:
// process() may run on any number of threads. Copies share the model. Never rejects an article:
// the extractors find what they can.
class extractor {
 public:
  // No NER model: no entities (and no speakers that are entities). For tests and benchmarks.
  extractor() = default;
  explicit extractor(std::shared_ptr<const ner::tagger> tagger);

  // Loads the model at `ner_model_path` (already resolved: daemon/data_files.h).
  static result<extractor> create(const std::string& ner_model_path);

  status process(article& a) const;

 private:
  std::shared_ptr<const ner::tagger> tagger_;
  entity_extractor entities_{nullptr};
  entity_canonicalizer canonicalizer_;  // refers to tagger_'s gazetteer
  date_extractor dates_;
  figure_extractor figures_;
  quote_extractor quotes_;
  keyword_extractor terms_;
};

}  // namespace wirefeed
