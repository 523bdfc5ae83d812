#pragma once

#include <array>
#include <cstdint>
#include <iterator>
#include <string_view>

namespace wirefeed {

// The stages of the chain, as metric label values.
enum class stage_id { decode, normalize, extract, cluster, encode };
inline constexpr stage_id all_stages[] = {stage_id::decode, stage_id::normalize, stage_id::extract,
                                          stage_id::cluster, stage_id::encode};
constexpr std::string_view to_string(stage_id s) {
  switch (s) {
    case stage_id::decode: return "decode";
    case stage_id::normalize: return "normalize";
    case stage_id::extract: return "extract";
    case stage_id::cluster: return "cluster";
    case stage_id::encode: return "encode";
  }
  return "unknown";
}

enum class rebalance_kind { assigned, revoked, lost };

// What the cluster stage does with articles and stories, as metric label values.
enum class story_event {
  new_story,    // an article started a story
  joined,       // an article joined a story by similarity
  copy,         // an article joined a story as a wire copy (duplicate_of)
  redelivered,  // an article already a member came again: nothing changed
  updated,      // a new version of a member came (same uri, other content): its story took it in
  merged,       // a story absorbed another
  expired,      // a story had no article for cluster.story_ttl_hours
  evicted,      // a story was the least recently updated beyond cluster.max_live_stories
};
inline constexpr story_event all_story_events[] = {story_event::new_story, story_event::joined,
                                                   story_event::copy,      story_event::redelivered,
                                                   story_event::updated,   story_event::merged,
                                                   story_event::expired,   story_event::evicted};
// A count per event, indexed by story_event.
using story_event_counts = std::array<std::uint64_t, std::size(all_story_events)>;
constexpr std::string_view to_string(story_event e) {
  switch (e) {
    case story_event::new_story: return "new_story";
    case story_event::joined: return "joined";
    case story_event::copy: return "copy";
    case story_event::redelivered: return "redelivered";
    case story_event::updated: return "updated";
    case story_event::merged: return "merged";
    case story_event::expired: return "expired";
    case story_event::evicted: return "evicted";
  }
  return "unknown";
}

// What the pipeline and the daemon report about themselves. Logic calls these; only metrics/ turns
// them into Prometheus series. The base class is a no-op probe, so tests and tools that do not
// care pass `probe{}`.
//
// Thread-safety: every method may be called from any thread concurrently; implementations must be
// cheap (no allocation on the hot path once a label value has been seen).
class probe {
 public:
  virtual ~probe() = default;

  virtual void on_consumed(std::string_view /*topic*/, std::size_t /*bytes*/) {}
  virtual void on_produced(std::string_view /*topic*/) {}
  virtual void on_produce_error(std::string_view /*topic*/) {}
  virtual void on_dead_letter(std::string_view /*reason*/) {}
  virtual void on_stage_done(stage_id /*stage*/, double /*seconds*/) {}
  // Input record timestamp -> delivery of its last output.
  virtual void on_end_to_end(double /*seconds*/) {}
  virtual void set_in_flight(std::int64_t /*messages*/, std::int64_t /*bytes*/) {}
  virtual void on_rebalance(rebalance_kind /*kind*/) {}
  // An offset commit of the consumer (at least once) or a transaction commit (exactly once).
  virtual void on_commit(bool /*ok*/) {}
  // Exactly once: how long one transaction commit (positions and commit) stopped the strand.
  virtual void on_transaction_commit(double /*seconds*/) {}
  // Exactly once: a group rebalance raced a transaction commit, and the run started afresh.
  virtual void on_run_restart() {}
  virtual void set_consumer_lag(std::string_view /*topic*/, std::int32_t /*partition*/,
                                std::int64_t /*lag*/) {}
  // The partition is not this consumer's (any more), or its position is not known yet: no lag.
  virtual void clear_consumer_lag(std::string_view /*topic*/, std::int32_t /*partition*/) {}
  // The cluster stage: stories restored from the changelog at start-up, live stories now, and what
  // it did with one article (several events: a merge or an expiry comes with the article).
  virtual void on_restore(double /*seconds*/, std::size_t /*stories*/) {}
  virtual void set_live_stories(std::size_t /*stories*/) {}
  virtual void on_story_events(story_event /*event*/, std::uint64_t /*count*/) {}
  virtual void on_partitions_paused(std::size_t /*count*/) {}
};

}  // namespace wirefeed
