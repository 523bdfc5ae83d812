#pragma once

#include <cstdint>
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
  virtual void set_consumer_lag(std::string_view /*topic*/, std::int32_t /*partition*/,
                                std::int64_t /*lag*/) {}
  // The cluster stage: stories restored from the changelog at start-up, and live stories now.
  virtual void on_restore(double /*seconds*/, std::size_t /*stories*/) {}
  virtual void set_live_stories(std::size_t /*stories*/) {}
  virtual void on_partitions_paused(std::size_t /*count*/) {}
};

}  // namespace wirefeed
