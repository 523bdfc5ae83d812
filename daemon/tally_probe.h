#pragma once

#include <atomic>
#include <cstdint>

#include "pipeline/probe.h"

namespace wirefeed {

// Counts what a one-shot command reports in its summary (dead letters, records produced) and passes
// every call on to `inner`.
class tally_probe final : public probe {
 public:
  explicit tally_probe(probe& inner) : inner_(inner) {}
  std::int64_t dead_letters() const { return dead_letters_; }
  std::int64_t produced() const { return produced_; }

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
  void on_partitions_paused(std::size_t n) override { inner_.on_partitions_paused(n); }

 private:
  probe& inner_;
  std::atomic<std::int64_t> dead_letters_{0};
  std::atomic<std::int64_t> produced_{0};
};

}  // namespace wirefeed
