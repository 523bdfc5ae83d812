#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "pipeline/article.h"
#include "pipeline/boilerplate_learner.h"
#include "pipeline/cluster.h"
#include "pipeline/decode.h"
#include "pipeline/error.h"
#include "pipeline/extract.h"
#include "pipeline/keyword_ranker.h"
#include "pipeline/normalize.h"
#include "pipeline/probe.h"
#include "pipeline/record.h"

namespace wirefeed {

// The stage chain decode -> normalize -> extract -> cluster -> encode, built once at start-up.
// It knows nothing of Kafka, files or threads; the engine decides where each half runs.
//
// pipeline.role splits it across processes (handoff.h): the extract role ends with the keyword
// ranker and encodes a hand-off record; the cluster role decodes that record, clusters and encodes
// the enriched article the whole chain would have written.
//
// Every stage failure, and any exception a stage lets escape, becomes a stage_error and from there
// a dead letter: nothing thrown inside a stage leaves the chain.
class chain {
 public:
  // Builds every stage from the config. Throws std::runtime_error, naming the key and the problem,
  // when one cannot be built (a lexicon that does not load, say): a start-up error, never a
  // per-message one.
  chain(const cfg::config& config, probe& p);

  // decode -> normalize -> extract. Stateless: safe on any number of threads at once.
  result<article> run_parallel(const input_record& record) const;

  // The boilerplate learner (normalize's online half) -> the keyword ranker (extract's online
  // half) -> cluster -> encode, or the dead letter for
  // a failed record. Stateful: call from one strand only, in the deterministic release order.
  // `now_ms` is the wall clock, as a value.
  std::vector<output_record> run_ordered(const input_record& record, result<article> processed, std::int64_t now_ms);

  // Restores state from one changelog record: story state (cluster_stage::restore), or the
  // learner's and the keyword ranker's checkpoint. Before the first run_ordered, from one thread.
  status restore(std::string_view key, const std::optional<std::string>& value);
  // The live-stories gauge reads the restored stories from here, not from the first article on.
  void finish_restore(std::optional<std::int64_t> now_ms = std::nullopt) {
    cluster_.finish_restore(now_ms);
    probe_.set_live_stories(cluster_.live_stories());
  }
  std::size_t live_stories() const { return cluster_.live_stories(); }
  // Whether run_ordered returns changelog records (on by default; a replay turns them off so a
  // backfill never overwrites the live daemon's story state).
  void write_changelog(bool on) { changelog_ = on; }

  // In role all, every this many articles the boilerplate learner's table and the keyword
  // ranker's document frequencies go to the changelog too (about 3.4 MB), so a restarted daemon
  // strips and ranks as it did at that article instead of learning from nothing. The extract
  // role has no changelog: its instances start empty.
  static constexpr std::uint64_t learned_checkpoint_every = 1000;
  // Articles learned from so far; after a restore, as of the checkpoint restored (0: none).
  std::uint64_t learned_articles() const { return learned_articles_; }
  // Learned-state keys whose latest record restore skipped: written with another learner capacity
  // or sketch size. The next checkpoint overwrites or deletes them.
  std::size_t skipped_learned_records() const { return stale_learned_keys_.size(); }
  // The same checkpoint as of now, if anything was learned since the last one (role all, with
  // the changelog on; else nothing). The engine writes it when it stops, so a restart after a
  // stop goes on from the last article, not from up to 999 articles before it. On the strand.
  std::vector<output_record> checkpoint_learned();

 private:
  decoder decode_;
  normalizer normalize_;
  extractor extract_;
  boilerplate_learner learner_;
  keyword_ranker keywords_;  // extract's online half (document frequencies)
  cluster_stage cluster_;
  bool pass_through_;  // pipeline.pass_through: decode and encode only
  cfg::pipeline_role role_;
  std::size_t max_output_bytes_;  // cfg::max_output_bytes: larger outputs are dead letters, cut to fit
  bool changelog_ = true;
  std::uint64_t learned_articles_ = 0;  // through the learner and the ranker (restored: as of the checkpoint)
  std::uint64_t learned_checkpointed_ = 0;  // learned_articles_ at the latest checkpoint written or restored
  std::set<std::string> stale_learned_keys_;
  probe& probe_;
};

// Takes one changelog record into the state it belongs to, by its key: the boilerplate learner's
// checkpoint ("learner:"), the keyword ranker's ("keywords:"), else story state
// (cluster_stage::restore). Returns the number of articles a keyword part was written after (0 for
// any other record), and whether the record was a learned-state part of another size (a changed
// normalize.learner.capacity, another build's sketch), skipped. chain::restore is this on the
// chain's own stages.
struct restored_record {
  std::uint64_t articles = 0;
  bool skipped = false;
};
result<restored_record> restore_record(std::string_view key, const std::optional<std::string>& value,
                                       boilerplate_learner& learner, keyword_ranker& ranker, cluster_stage& stories);

}  // namespace wirefeed
