#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include "pipeline/probe.h"

namespace wirefeed {

// Counts what a one-shot command reports in its summary (dead letters, records produced, what the
// cluster stage did) and passes every call on to `inner`.
class tally_probe final : public probe {
 public:
  explicit tally_probe(probe& inner) : inner_(inner) {}
  std::int64_t dead_letters() const { return dead_letters_; }
  std::int64_t produced() const { return produced_; }
  // "story events: new_story=3 joined=2 ..." (every event, in all_story_events' order).
  std::string story_summary() const {
    std::string out = "story events:";
    for (std::size_t e = 0; e < story_events_.size(); ++e) {
      out += " " + std::string(to_string(all_story_events[e])) + "=" + std::to_string(story_events_[e].load());
    }
    return out;
  }

  void on_consumed(std::string_view t, std::size_t b) override { inner_.on_consumed(t, b); }
  void on_produced(std::string_view t) override {
    ++produced_;
    inner_.on_produced(t);
  }
  void on_produce_error(std::string_view t) override { inner_.on_produce_error(t); }
  void on_dead_letter(std::string_view r) override {
    ++dead_letters_;
    inner_.on_dead_letter(r);
  }
  void on_stage_done(stage_id s, double sec) override { inner_.on_stage_done(s, sec); }
  void on_end_to_end(double sec) override { inner_.on_end_to_end(sec); }
  void set_in_flight(std::int64_t m, std::int64_t b) override { inner_.set_in_flight(m, b); }
  void on_rebalance(rebalance_kind k) override { inner_.on_rebalance(k); }
  void on_commit(bool ok) override { inner_.on_commit(ok); }
  void set_consumer_lag(std::string_view t, std::int32_t p, std::int64_t l) override { inner_.set_consumer_lag(t, p, l); }
  void clear_consumer_lag(std::string_view t, std::int32_t p) override { inner_.clear_consumer_lag(t, p); }
  void on_partitions_paused(std::size_t n) override { inner_.on_partitions_paused(n); }
  void on_transaction_commit(double sec) override { inner_.on_transaction_commit(sec); }
  void on_run_restart() override { inner_.on_run_restart(); }
  void on_restore(double sec, std::size_t stories) override { inner_.on_restore(sec, stories); }
  void set_live_stories(std::size_t stories) override { inner_.set_live_stories(stories); }
  void on_story_events(story_event e, std::uint64_t n) override {
    story_events_[static_cast<std::size_t>(e)] += n;
    inner_.on_story_events(e, n);
  }

 private:
  probe& inner_;
  std::atomic<std::int64_t> dead_letters_{0};
  std::atomic<std::int64_t> produced_{0};
  std::array<std::atomic<std::uint64_t>, std::size(all_story_events)> story_events_{};
};

}  // namespace wirefeed
