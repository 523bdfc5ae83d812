#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "pipeline/article.h"
#include "pipeline/error.h"

namespace wirefeed {

struct boilerplate_learner_options {
  bool enabled = true;
  std::size_t min_articles = 10;     // a line seen in this many different articles of a source is boilerplate
  std::size_t max_line_chars = 300;  // longer paragraphs are never counted (real text, not page furniture)
  std::size_t capacity = 65536;      // lines remembered, all sources together (rounded up to a power of two)
};

// The online half of boilerplate removal: notices paragraphs that one source repeats across many
// articles (a sign-off, a promo line, a disclaimer the lexicon does not know) and removes them
// from the articles that follow, as kind `learned`.
//
// A source is the article's publisher, or its input topic when it has none. "Different
// articles" are counted by text (two values of the body's MinHash signature; by headline, else
// uri, when it has none), so the versions of one story, which repeat their paragraphs under
// changing headlines, mostly count once; up to about 40 articles the count is exact enough (a
// 128-bit linear-counting sketch per line). The first `min_articles - 1` articles keep the line.
//
// Memory-bounded: a fixed table of `capacity` slots of 32 bytes (2 MiB by default); when it is
// full, the least recently seen line in the probe window is forgotten.
//
// Stateful and NOT thread-safe: owned by the chain's ordered strand, which calls process() in the
// deterministic release order, so the result does not depend on thread timing.
class boilerplate_learner {
 public:
  explicit boilerplate_learner(boilerplate_learner_options options);

  // Counts the article's short paragraphs, then removes the ones that have become boilerplate for
  // its source. Fails with no_body_after_normalize if that leaves a non-empty body empty.
  status process(article& a);

  // Its state, for the changelog checkpoint (checkpoint.h): `count` slots from `from` as 32-bit
  // words, 8 per slot (key, the two seen-bit words, last use; each low half first), and the clock
  // that orders the uses. A disabled learner has no slots.
  std::size_t capacity() const { return table_.size(); }
  std::vector<std::uint32_t> slot_words(std::size_t from, std::size_t count) const;
  std::uint64_t clock() const { return clock_; }
  // Takes such slots back. False, and nothing changed, when they do not fit the table.
  bool restore_slots(std::size_t from, const std::vector<std::uint32_t>& words, std::uint64_t clock);

 private:
  struct slot {
    std::uint64_t key = 0;  // 0 = empty
    std::uint64_t seen[2] = {0, 0};
    std::uint64_t last_used = 0;
  };
  slot& find_or_insert(std::uint64_t key);

  boilerplate_learner_options options_;
  std::vector<slot> table_;
  std::uint64_t clock_ = 0;
  int required_bits_ = 0;
};

}  // namespace wirefeed
