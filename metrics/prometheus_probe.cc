#include "metrics/prometheus_probe.h"

#include <mutex>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace wirefeed {

namespace {

using prometheus::Counter;
using prometheus::Family;
using prometheus::Gauge;
using prometheus::Histogram;

// Roughly exponential (1-2.5-5 per decade), so the `le` labels stay readable.
// Stage durations: 10us .. 1s.
const Histogram::BucketBoundaries stage_buckets = {
    10e-6, 25e-6, 50e-6, 100e-6, 250e-6, 500e-6, 1e-3, 2.5e-3,
    5e-3,  10e-3, 25e-3, 50e-3,  100e-3, 250e-3, 500e-3, 1.0};
// Record timestamp to delivery: 1ms .. 60s.
const Histogram::BucketBoundaries end_to_end_buckets = {
    1e-3, 2.5e-3, 5e-3, 10e-3, 25e-3, 50e-3, 100e-3, 250e-3,
    500e-3, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0};

Family<Counter>& counter_family(prometheus::Registry& r, const char* name, const char* help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(r);
}
Family<Gauge>& gauge_family(prometheus::Registry& r, const char* name, const char* help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(r);
}
Family<Histogram>& histogram_family(prometheus::Registry& r, const char* name, const char* help) {
  return prometheus::BuildHistogram().Name(name).Help(help).Register(r);
}

// Returns map[key]; if absent, inserts make() (a value_type) under the exclusive lock first.
// A key seen before costs a shared lock and a lookup, no allocation.
template <typename Map, typename Key, typename Make>
typename Map::mapped_type find_or_add(std::shared_mutex& mutex, Map& map, const Key& key,
                                      Make make) {
  {
    std::shared_lock lock(mutex);
    if (auto it = map.find(key); it != map.end()) return it->second;
  }
  std::unique_lock lock(mutex);
  auto it = map.find(key);
  if (it == map.end()) it = map.insert(make()).first;
  return it->second;
}

}  // namespace

prometheus_probe::prometheus_probe(const std::vector<std::string>& topics,
                                   std::string_view version)
    : registry_(std::make_shared<prometheus::Registry>()) {
  auto& r = *registry_;
  consumed_family_ = &counter_family(r, "wirefeed_messages_consumed_total",
                                     "Messages consumed from Kafka, by input topic.");
  bytes_family_ = &counter_family(r, "wirefeed_bytes_consumed_total",
                                  "Bytes of messages consumed from Kafka, by input topic.");
  produced_family_ = &counter_family(r, "wirefeed_messages_produced_total",
                                     "Messages produced to Kafka, by output topic.");
  produce_errors_family_ = &counter_family(r, "wirefeed_produce_errors_total",
                                           "Messages Kafka failed to produce, by output topic.");
  dead_letters_family_ = &counter_family(r, "wirefeed_dead_letters_total",
                                         "Messages sent to the dead-letter topic, by reason code.");
  lag_family_ = &gauge_family(r, "wirefeed_consumer_lag_messages",
                              "Messages on the broker not yet consumed, by input partition.");

  auto& stages = histogram_family(r, "wirefeed_stage_duration_seconds",
                                  "Time one message spends in a pipeline stage.");
  for (stage_id s : all_stages) {
    stage_durations_[static_cast<std::size_t>(s)] =
        &stages.Add({{"stage", std::string(to_string(s))}}, stage_buckets);
  }
  end_to_end_ = &histogram_family(r, "wirefeed_end_to_end_latency_seconds",
                                  "Input record timestamp to delivery of its last output.")
                     .Add({}, end_to_end_buckets);
  transaction_commits_ = &histogram_family(r, "wirefeed_transaction_commit_seconds",
                                           "exactly_once: time one transaction commit stopped the ordered strand.")
                              .Add({}, end_to_end_buckets);
  run_restarts_ = &counter_family(r, "wirefeed_run_restarts_total",
                                  "exactly_once: runs started afresh in the process (state restored, consumption "
                                  "from the committed positions) after a group rebalance raced a transaction commit.")
                       .Add({});

  in_flight_messages_ = &gauge_family(r, "wirefeed_in_flight_messages",
                                      "Consumed messages not yet done (in-flight budget in use).")
                             .Add({});
  in_flight_bytes_ = &gauge_family(r, "wirefeed_in_flight_bytes",
                                   "Memory those messages hold, estimated (what pipeline.max_in_flight_bytes bounds).")
                          .Add({});

  restore_seconds_ = &gauge_family(r, "wirefeed_story_restore_seconds",
                                   "Time the start-up restore of story state from the changelog took.")
                          .Add({});
  restored_stories_ = &gauge_family(r, "wirefeed_stories_restored",
                                    "Stories restored from the changelog at start-up.")
                           .Add({});
  live_stories_ = &gauge_family(r, "wirefeed_live_stories", "Stories the cluster stage holds in memory now.").Add({});
  auto& story_events = counter_family(r, "wirefeed_story_events_total",
                                      "What the cluster stage did: articles that started, joined (by similarity or "
                                      "as a wire copy) or were already in a story; stories merged, expired, evicted.");
  for (story_event e : all_story_events) {
    story_events_[static_cast<std::size_t>(e)] = &story_events.Add({{"event", std::string(to_string(e))}});
  }

  auto& rebalances = counter_family(r, "wirefeed_rebalances_total",
                                    "Consumer group rebalance events, by kind.");
  rebalances_[static_cast<std::size_t>(rebalance_kind::assigned)] =
      &rebalances.Add({{"kind", "assigned"}});
  rebalances_[static_cast<std::size_t>(rebalance_kind::revoked)] =
      &rebalances.Add({{"kind", "revoked"}});
  rebalances_[static_cast<std::size_t>(rebalance_kind::lost)] = &rebalances.Add({{"kind", "lost"}});

  auto& commits = counter_family(r, "wirefeed_commits_total", "Offset commits (exactly once: transaction commits), by result.");
  commits_ok_ = &commits.Add({{"result", "ok"}});
  commits_failed_ = &commits.Add({{"result", "failed"}});

  partitions_paused_ = &counter_family(r, "wirefeed_partitions_paused_total",
                                       "Partitions paused because the in-flight budget was spent.")
                            .Add({});

  gauge_family(r, "wirefeed_build_info", "Always 1; the version label identifies the build.")
      .Add({{"version", std::string(version)}})
      .Set(1);

  for (const auto& t : topics) configured_topics_.try_emplace(t, make_topic_series(t));
}

prometheus_probe::~prometheus_probe() = default;

prometheus_probe::topic_series prometheus_probe::make_topic_series(const std::string& name) {
  const prometheus::Labels labels{{"topic", name}};
  return {&consumed_family_->Add(labels), &bytes_family_->Add(labels),
          &produced_family_->Add(labels), &produce_errors_family_->Add(labels)};
}

prometheus_probe::topic_series prometheus_probe::topic(std::string_view name) {
  if (auto it = configured_topics_.find(name); it != configured_topics_.end()) return it->second;
  return find_or_add(mutex_, other_topics_, name, [&] {
    std::string owned(name);
    return std::pair{owned, make_topic_series(owned)};
  });
}

void prometheus_probe::on_consumed(std::string_view topic_name, std::size_t bytes) {
  const auto t = topic(topic_name);
  t.consumed->Increment();
  t.bytes->Increment(static_cast<double>(bytes));
}

void prometheus_probe::on_produced(std::string_view topic_name) {
  topic(topic_name).produced->Increment();
}

void prometheus_probe::on_produce_error(std::string_view topic_name) {
  topic(topic_name).produce_errors->Increment();
}

void prometheus_probe::on_dead_letter(std::string_view reason) {
  find_or_add(mutex_, dead_letters_, reason, [&] {
    std::string owned(reason);
    return std::pair{owned, &dead_letters_family_->Add({{"reason", owned}})};
  })->Increment();
}

void prometheus_probe::on_stage_done(stage_id stage, double seconds) {
  stage_durations_[static_cast<std::size_t>(stage)]->Observe(seconds);
}

void prometheus_probe::on_end_to_end(double seconds) { end_to_end_->Observe(seconds); }
void prometheus_probe::on_transaction_commit(double seconds) { transaction_commits_->Observe(seconds); }
void prometheus_probe::on_run_restart() { run_restarts_->Increment(); }

void prometheus_probe::set_in_flight(std::int64_t messages, std::int64_t bytes) {
  in_flight_messages_->Set(static_cast<double>(messages));
  in_flight_bytes_->Set(static_cast<double>(bytes));
}

void prometheus_probe::on_rebalance(rebalance_kind kind) {
  rebalances_[static_cast<std::size_t>(kind)]->Increment();
}

void prometheus_probe::on_commit(bool ok) { (ok ? commits_ok_ : commits_failed_)->Increment(); }

void prometheus_probe::set_consumer_lag(std::string_view topic_name, std::int32_t partition,
                                        std::int64_t lag) {
  // Set under the lock: clear_consumer_lag removes (frees) the gauge, and the probe is for any
  // thread.
  const std::pair key{topic_name, partition};
  {
    std::shared_lock lock(mutex_);
    if (const auto it = lags_.find(key); it != lags_.end()) {
      it->second->Set(static_cast<double>(lag));
      return;
    }
  }
  std::unique_lock lock(mutex_);
  auto it = lags_.find(key);
  if (it == lags_.end()) {
    std::pair owned{std::string(topic_name), partition};
    auto* gauge = &lag_family_->Add({{"topic", owned.first}, {"partition", std::to_string(partition)}});
    it = lags_.emplace(std::move(owned), gauge).first;
  }
  it->second->Set(static_cast<double>(lag));
}

void prometheus_probe::clear_consumer_lag(std::string_view topic_name, std::int32_t partition) {
  std::unique_lock lock(mutex_);
  const auto it = lags_.find(std::pair{topic_name, partition});
  if (it == lags_.end()) return;
  lag_family_->Remove(it->second);
  lags_.erase(it);
}

void prometheus_probe::on_partitions_paused(std::size_t count) {
  partitions_paused_->Increment(static_cast<double>(count));
}

void prometheus_probe::on_restore(double seconds, std::size_t stories) {
  restore_seconds_->Set(seconds);
  restored_stories_->Set(static_cast<double>(stories));
}

void prometheus_probe::set_live_stories(std::size_t stories) { live_stories_->Set(static_cast<double>(stories)); }

void prometheus_probe::on_story_events(story_event event, std::uint64_t count) {
  story_events_[static_cast<std::size_t>(event)]->Increment(static_cast<double>(count));
}

}  // namespace wirefeed
