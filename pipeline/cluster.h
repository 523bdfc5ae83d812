#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "pipeline/article.h"
#include "pipeline/df_sketch.h"
#include "pipeline/error.h"
#include "pipeline/paragraph_index.h"
#include "pipeline/probe.h"
#include "pipeline/record.h"
#include "pipeline/story.h"

namespace wirefeed {

struct cluster_options {
  // A story with no new article for this long (stream time: the articles' own times, none more
  // than a day ahead of the wall clock) expires:
  // it leaves memory and its changelog key is deleted.
  std::int64_t story_ttl_ms = 72LL * 3600 * 1000;
  // At most this many live stories; beyond it the least recently updated expires first.
  std::size_t max_live_stories = 100000;
  story_limits limits;
  // The largest record the producer sends (cfg::max_output_bytes): a story update or state that
  // would be larger is written with its lists cut short (story_update_and_state).
  std::size_t max_record_bytes = std::numeric_limits<std::size_t>::max();
};

// What the cluster stage reads of one article that needs no story state: its features before IDF
// weighting (terms, headline words, entity keys, with counts and hashes), the word hashes of its
// quotations, its paragraphs indexed for the copy check and its fingerprint changelog record.
// Computed on the thread pool (cluster_stage::prepare), so the one ordered strand only
// does the work that needs the stories.
struct cluster_features {
  struct feature {
    std::uint64_t hash;
    std::uint32_t count;
    std::uint32_t text;  // < terms: index into article::terms; else into `texts`, less `terms`
    double tf = 0;       // the count's weight, 1 + ln(count): the strand multiplies in the IDF
  };
  std::vector<feature> features;
  std::size_t terms = 0;           // article::terms.size() when prepared
  std::vector<std::string> texts;  // headline words that are no term, then "kind:folded name" of entities
  std::vector<std::vector<std::uint32_t>> quote_words;  // quote_words() of each of article::quotes
  paragraph_index paragraphs;                           // of article::paragraph_words
  std::string fingerprint;  // fingerprint_json() of the article's fingerprints; empty when it has none
  std::vector<counted_figure> figures;  // counted_figures() of the article
  std::vector<name_keys> entity_keys;  // of each of article::entities
};

// Stage 4: online story clustering (docs/clustering.md has the model and why the defaults).
//
// Every article, in the release order, joins one live story or starts a new one; an article
// once placed is never moved (stories may merge later: a merge is published as its own event).
//   1. Wire copies first: an article that is the same text as a member of a live story (verbatim,
//      reordered, lightly edited or machine-translated and back) is flagged duplicate_of the
//      earliest article of that text and joins its story. Candidates come from MinHash LSH
//      (16 bands x 4 rows of the extract stage's signature) and from the members of the candidate
//      stories of step 2; a candidate is a copy when its shingle Jaccard estimate is >= 0.6, or
//      when >= 60% of this article's paragraph words sit in paragraphs that share >= 35% of
//      their content words with a paragraph of the candidate and >= 60% of the candidate's with
//      one of the article's (survives reordering and translation round trips, which break
//      shingles), unless the article gives more of its counted figures otherwise than the
//      candidate did than alike (contradicts_member: another report of the event, a new toll).
//      Else a translation: the members in another language of the 3 best candidate stories,
//      however low their similarity, whose paragraphs pair with the article's in order by the
//      names and numbers they share, at lengths in proportion, its numbers kept (anchor_alignment,
//      name_anchors.h: 5 paragraphs or more, paired >= 0.8, length_sd <= 0.2); flagged and
//      joined as a copy is.
//   2. Otherwise the story most similar to the article, if the similarity is >= 0.2. Article
//      vector: TF-IDF over its terms (headline words count twice more) and its entities
//      (canonical names; the dateline's place is one more mention of that place) in one vector,
//      IDF from document frequencies learned online here.
//      Similarity: cosine to the story's centroid, times a time decay when both times are known
//      (1 within 24 h, then exp(-(gap - 24 h) / 72 h); an article's time is its record
//      timestamp, else its publication time), times 0.9 per counted figure of the article the
//      story reported only with other values, beyond those it reported with the same ("23
//      pirates" against 26: another event of the kind); at most twice within three days of the
//      story's last update (a developing story's toll rises). Candidate stories come from an inverted index over
//      each story's 24 heaviest centroid features; the 32 with the most index weight in common
//      are scored (an article without entities, in a language the tagger does not read, looks its
//      name anchors up too). Never a scan of all stories.
//   3. Otherwise, for an article in a language at most half of a candidate story's members
//      are in (the same story from another language service shares few words), that story if the
//      two share at least 6 name anchors (names and numbers, name_anchors.h) and at least half of
//      the fewer of the two's, times the time decay; the best such.
//   4. The article's story then merges with another candidate whose centroid is as close to
//      its own as 0.6 (cosine): the older story absorbs the younger.
//
// Deterministic: same input in the same order -> same story ids, members and updates. Story id:
// "story-" + 16 hex digits of a hash of the first article's uri and time (article_time).
//
// Stateful and NOT thread-safe: owned by the chain's ordered strand.
class cluster_stage {
 public:
  explicit cluster_stage(cluster_options options = {});
  cluster_stage(cluster_stage&&) noexcept;
  cluster_stage& operator=(cluster_stage&&) noexcept;
  ~cluster_stage();

  // Assigns the article (sets story_id, duplicate_of), returns the records to publish: the story's
  // new state on the stories topic, redirects for merged-away stories, and changelog records
  // (state, or a tombstone for an expired or merged-away story). An article already in a live
  // story with the same content, or older (re-delivered), changes nothing: only its story's
  // current state is returned; with other content it is a new version of that member, taken in
  // (update_member).
  // `now_ms`, the wall clock: an article time more than a day ahead of it is a clock or date
  // error, and the article is clustered as if it had no time (it neither moves stream time nor
  // dates its story). Without it (tests, tools) every time is trusted.
  std::vector<output_record> process(article& a, std::optional<std::int64_t> now_ms = std::nullopt);

  // The article's cluster_features. Pure and thread-safe: the chain calls it on the thread pool and
  // stores the result in article::cluster_input; process() computes it when that is missing.
  static std::shared_ptr<const cluster_features> prepare(const article& a);

  // Restores one changelog record (key = story id, "fingerprint:<uri>" for a member's
  // fingerprints, "df-sketch:<part>" / "df-article:<n>" for the document frequencies; no value =
  // deleted). Call for every record of the changelog in offset order,
  // then finish_restore(), before the first process(); a later record of a key wins.
  // finish_restore's `now_ms` (the wall clock) keeps a story time far ahead of it out of stream
  // time, as process() does.
  status restore(std::string_view key, const std::optional<std::string>& value);
  void finish_restore(std::optional<std::int64_t> now_ms = std::nullopt);

  std::size_t live_stories() const;
  // What the stage did, by kind, counted since it was built (a restore counts nothing).
  const story_event_counts& events() const;
  // Rough bytes held per live story (for the benchmark's memory report).
  std::size_t approximate_bytes() const;

 private:
  struct state;
  std::unique_ptr<state> s_;
};

}  // namespace wirefeed
