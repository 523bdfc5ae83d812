#pragma once

#include <array>
#include <cstdint>
#include <iterator>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/probe.h"

namespace prometheus {
class Counter;
class Gauge;
class Histogram;
template <typename T>
class Family;
class Registry;
}  // namespace prometheus

namespace wirefeed {

// The probe that turns what the pipeline and the daemon report into Prometheus series. The series
// are listed in metrics/README.md.
//
// Ownership: owns its registry (shared with whoever serves or extends it, see registry()); the
// registry outlives every Counter*/Gauge*/Histogram* cached here.
//
// Start-up: every family is registered in the constructor, and the series for the given topics,
// every stage, every rebalance kind and both commit results are created there too, so they are
// scraped as 0 before any traffic. Throws (std::runtime_error from prometheus-cpp) only there,
// e.g. on a name clash in a shared registry.
//
// Threads: every probe method may be called from any thread concurrently; none throws except
// std::bad_alloc while creating a series.
// Calls about a configured topic, a stage, a rebalance or a commit take no lock. Series that
// depend on a label value seen at run time (a dead-letter reason, a topic that was not configured,
// a topic/partition lag) are created on first use under an exclusive lock; after that a call takes
// a shared lock and does one map lookup without allocating.
class prometheus_probe final : public probe {
 public:
  // `topics`: every topic this process consumes from or produces to, as configured.
  // `version`: the build version, exported as wirefeed_build_info{version}.
  prometheus_probe(const std::vector<std::string>& topics, std::string_view version);
  ~prometheus_probe() override;

  prometheus_probe(const prometheus_probe&) = delete;
  prometheus_probe& operator=(const prometheus_probe&) = delete;

  // The registry holding every series above. Other parts of the daemon may register their own
  // families in it at start-up (names prefixed "wirefeed_"); the HTTP server collects from it.
  const std::shared_ptr<prometheus::Registry>& registry() const { return registry_; }

  void on_consumed(std::string_view topic, std::size_t bytes) override;
  void on_produced(std::string_view topic) override;
  void on_produce_error(std::string_view topic) override;
  void on_dead_letter(std::string_view reason) override;
  void on_stage_done(stage_id stage, double seconds) override;
  void on_end_to_end(double seconds) override;
  void on_transaction_commit(double seconds) override;
  void on_run_restart() override;
  void set_in_flight(std::int64_t messages, std::int64_t bytes) override;
  void on_rebalance(rebalance_kind kind) override;
  void on_commit(bool ok) override;
  void set_consumer_lag(std::string_view topic, std::int32_t partition, std::int64_t lag) override;
  void clear_consumer_lag(std::string_view topic, std::int32_t partition) override;
  void on_partitions_paused(std::size_t count) override;
  void on_restore(double seconds, std::size_t stories) override;
  void set_live_stories(std::size_t stories) override;
  void on_story_events(story_event event, std::uint64_t count) override;

 private:
  // The per-topic series, created together.
  struct topic_series {
    prometheus::Counter* consumed;
    prometheus::Counter* bytes;
    prometheus::Counter* produced;
    prometheus::Counter* produce_errors;
  };

  // Orders (topic, partition) keys and lets them be looked up by a string_view topic.
  struct partition_less {
    using is_transparent = void;
    bool operator()(std::pair<std::string_view, std::int32_t> a,
                    std::pair<std::string_view, std::int32_t> b) const {
      return a < b;
    }
  };

  topic_series topic(std::string_view name);
  topic_series make_topic_series(const std::string& name);

  std::shared_ptr<prometheus::Registry> registry_;

  // Families whose series are created at run time. Owned by registry_.
  prometheus::Family<prometheus::Counter>* consumed_family_;
  prometheus::Family<prometheus::Counter>* bytes_family_;
  prometheus::Family<prometheus::Counter>* produced_family_;
  prometheus::Family<prometheus::Counter>* produce_errors_family_;
  prometheus::Family<prometheus::Counter>* dead_letters_family_;
  prometheus::Family<prometheus::Gauge>* lag_family_;

  // Series created in the constructor; fixed afterwards, read without a lock.
  std::array<prometheus::Histogram*, std::size(all_stages)> stage_durations_{};
  prometheus::Histogram* end_to_end_;
  prometheus::Histogram* transaction_commits_;
  prometheus::Counter* run_restarts_;
  prometheus::Gauge* in_flight_messages_;
  prometheus::Gauge* in_flight_bytes_;
  std::array<prometheus::Counter*, 3> rebalances_{};  // indexed by rebalance_kind (3 kinds)
  prometheus::Counter* commits_ok_;
  prometheus::Counter* commits_failed_;
  prometheus::Counter* partitions_paused_;
  prometheus::Gauge* restore_seconds_;
  prometheus::Gauge* restored_stories_;
  prometheus::Gauge* live_stories_;
  std::array<prometheus::Counter*, std::size(all_story_events)> story_events_{};

  // The configured topics' series; filled in the constructor, read without a lock.
  std::map<std::string, topic_series, std::less<>> configured_topics_;

  // Series created on first use of a label value; guarded by mutex_. Entries are never removed,
  // but for a partition's lag when the partition goes (clear_consumer_lag).
  std::shared_mutex mutex_;
  std::map<std::string, topic_series, std::less<>> other_topics_;
  std::map<std::string, prometheus::Counter*, std::less<>> dead_letters_;
  std::map<std::pair<std::string, std::int32_t>, prometheus::Gauge*, partition_less> lags_;
};

}  // namespace wirefeed
