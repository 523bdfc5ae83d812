#pragma once

// In-memory source, sink and committer for driving the engine without Kafka.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/offset_committer.h"
#include "pipeline/sink.h"
#include "pipeline/source.h"

namespace wirefeed::testing {

inline input_record make_record(const std::string& topic, int partition, std::int64_t off, std::string value,
                                std::int64_t ts = 0) {
  input_record r;
  r.tp = {topic, partition_id{partition}};
  r.off = offset{off};
  r.timestamp_ms = ts;
  r.key = "k" + std::to_string(off);
  r.value = std::move(value);
  return r;
}

// A valid article whose every line is its own (identical lines would be learned as boilerplate).
inline std::string json_article(const std::string& id) {
  return R"({"uri":")" + id + R"(","headline":"Headline )" + id + R"(","body":"Article )" + id +
         R"( reports what happened on day )" + id + R"(."})";
}

// Hands out pre-loaded records, a few per poll, from partitions that are not paused.
// finite = true: reports each partition's end and then end_of_input (like a file or a replay).
class fake_source final : public source {
 public:
  explicit fake_source(bool finite = true, std::size_t per_poll = 7) : finite_(finite), per_poll_(per_poll) {}

  void add(input_record r) { queues_[r.tp].push_back(std::move(r)); }

  void set_listener(source_listener* l) override { listener_ = l; }
  poll_status poll(std::vector<input_record>& out, std::chrono::milliseconds timeout) override {
    if (failing) return poll_status::fatal;
    if (!assigned_) {
      std::vector<topic_partition> tps;
      for (auto& [tp, q] : queues_) tps.push_back(tp);
      listener_->on_assigned(tps);
      assigned_ = true;
    }
    std::size_t taken = 0;
    for (auto& [tp, q] : queues_) {
      if (paused_.contains(tp)) continue;
      while (!q.empty() && taken < per_poll_) {
        out.push_back(std::move(q.front()));
        q.pop_front();
        ++taken;
        ended_.erase(tp);
      }
      // Like librdkafka's partition EOF: reported once each time the partition is drained.
      if (q.empty() && !ended_.contains(tp)) {
        ended_.insert(tp);
        listener_->on_partition_end(tp);
      }
    }
    bool all_empty = std::all_of(queues_.begin(), queues_.end(), [](auto& kv) { return kv.second.empty(); });
    if (taken == 0) std::this_thread::sleep_for(std::min(timeout, std::chrono::milliseconds(2)));
    if (!finite_ || !all_empty) return poll_status::ok;
    ended = true;
    return poll_status::end_of_input;
  }
  void pause(const std::vector<topic_partition>& tps) override {
    pause_calls++;
    paused_.insert(tps.begin(), tps.end());
  }
  void resume(const std::vector<topic_partition>& tps) override {
    resume_calls++;
    for (auto& tp : tps) paused_.erase(tp);
  }
  void close() override { closed = true; }
  std::string last_error() const override { return failing ? "fenced by another consumer" : ""; }

  void revoke(const std::vector<topic_partition>& tps) {
    listener_->on_revoked(tps, false);
    for (auto& tp : tps) queues_.erase(tp);
  }

  std::atomic<int> pause_calls{0};   // read by the test while the engine's poll thread runs
  std::atomic<int> resume_calls{0};
  bool closed = false;
  std::atomic<bool> failing{false};  // set: every poll from then on is fatal
  std::atomic<bool> ended{false};    // end_of_input returned

 private:
  bool finite_;
  std::size_t per_poll_;
  source_listener* listener_ = nullptr;
  bool assigned_ = false;
  std::map<topic_partition, std::deque<input_record>> queues_;
  std::set<topic_partition> paused_;
  std::set<topic_partition> ended_;
};

// Records what is sent. In auto mode it acknowledges from its own thread in shuffled batches (so
// deliveries complete out of order); in manual mode the test acknowledges with deliver_*.
// `sent` holds the one record per input (enriched article or dead letter); the cluster stage's
// story and changelog records go to `stories` and are acknowledged at once, so the tests count
// and deliver articles.
class fake_sink final : public sink {
 public:
  enum class mode { automatic, manual };
  explicit fake_sink(mode m = mode::automatic) : mode_(m) {
    if (mode_ == mode::automatic) worker_ = std::thread([this] { deliver_loop(); });
  }
  ~fake_sink() override {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (worker_.joinable()) worker_.join();
  }

  void send(output_record record, delivery_callback cb) override {
    if (record.kind == output_kind::stories || record.kind == output_kind::changelog) {
      {
        std::lock_guard lock(mu_);
        const bool hold = hold_changelog && record.kind == output_kind::changelog;
        const bool hold_story = hold_stories && record.kind == output_kind::stories;
        stories.push_back(std::move(record));
        if (hold) {
          changelog_pending_.push_back(std::move(cb));
          return;
        }
        if (hold_story) {
          stories_pending_.push_back(std::move(cb));
          return;
        }
      }
      cb(std::nullopt);
      return;
    }
    std::lock_guard lock(mu_);
    sent.push_back(record);
    pending_.push_back(std::move(cb));
    cv_.notify_all();
  }
  bool flush(std::chrono::milliseconds timeout) override {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return pending_.empty(); });
  }

  // Manual mode: acknowledge the i-th still-pending record (0 = oldest), or all of them.
  void deliver_at(std::size_t i, std::optional<delivery_error> err = std::nullopt) {
    delivery_callback cb;
    {
      std::lock_guard lock(mu_);
      cb = std::move(pending_.at(i));
      pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(i));
    }
    cb(err);
    cv_.notify_all();
  }
  void deliver_all() {
    for (;;) {
      {
        std::lock_guard lock(mu_);
        if (pending_.empty()) return;
      }
      deliver_at(0);
    }
  }
  std::size_t pending() {
    std::lock_guard lock(mu_);
    return pending_.size();
  }
  // With hold_changelog: changelog records wait for deliver_changelog() instead of being
  // acknowledged at once.
  std::size_t changelog_waiting() {
    std::lock_guard lock(mu_);
    return changelog_pending_.size();
  }
  void deliver_changelog() {
    std::vector<delivery_callback> cbs;
    {
      std::lock_guard lock(mu_);
      cbs.swap(changelog_pending_);
    }
    for (auto& cb : cbs) cb(std::nullopt);
  }
  // With hold_stories: story updates wait for deliver_stories(), which acknowledges them (or fails
  // them with `err`).
  std::size_t stories_waiting() {
    std::lock_guard lock(mu_);
    return stories_pending_.size();
  }
  void deliver_stories(std::optional<delivery_error> err = std::nullopt) {
    std::vector<delivery_callback> cbs;
    {
      std::lock_guard lock(mu_);
      cbs.swap(stories_pending_);
    }
    for (auto& cb : cbs) cb(err);
  }
  std::size_t stories_of_kind(output_kind kind) {
    std::lock_guard lock(mu_);
    return static_cast<std::size_t>(
        std::count_if(stories.begin(), stories.end(), [&](const output_record& r) { return r.kind == kind; }));
  }
  std::vector<output_record> snapshot() {
    std::lock_guard lock(mu_);
    return sent;
  }

  std::vector<output_record> sent;     // guarded by mu_; read after the run
  std::vector<output_record> stories;  // same
  bool hold_changelog = false;         // set before the run
  bool hold_stories = false;           // same

 private:
  void deliver_loop() {
    std::uint64_t seed = 12345;
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait(lock, [&] { return stop_ || !pending_.empty(); });
      if (stop_ && pending_.empty()) return;
      std::vector<delivery_callback> batch;
      batch.swap(pending_);
      // Deterministic shuffle: deliveries complete out of order.
      for (std::size_t i = batch.size(); i > 1; --i) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        std::swap(batch[i - 1], batch[(seed >> 33) % i]);
      }
      lock.unlock();
      for (auto& cb : batch) cb(std::nullopt);
      lock.lock();
      cv_.notify_all();
    }
  }

  mode mode_;
  std::vector<delivery_callback> changelog_pending_;
  std::vector<delivery_callback> stories_pending_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<delivery_callback> pending_;
  bool stop_ = false;
  std::thread worker_;
};

class fake_committer final : public offset_committer {
 public:
  void store(const topic_partition& tp, offset next) override {
    std::lock_guard lock(mu_);
    auto& last = stored_[tp];
    if (next.value < last) regressed = true;
    last = next.value;
  }
  bool commit() override {
    std::lock_guard lock(mu_);
    committed_ = stored_;
    commits++;
    return true;
  }
  std::int64_t stored(const topic_partition& tp) {
    std::lock_guard lock(mu_);
    auto it = stored_.find(tp);
    return it == stored_.end() ? -1 : it->second;
  }
  std::int64_t committed(const topic_partition& tp) {
    std::lock_guard lock(mu_);
    auto it = committed_.find(tp);
    return it == committed_.end() ? -1 : it->second;
  }
  bool regressed = false;
  int commits = 0;

 private:
  std::mutex mu_;
  std::map<topic_partition, std::int64_t> stored_, committed_;
};

// Exactly once: records each commit, with what the sink had been handed by then (one record per
// input: the article or its dead letter). `fail_at` (1-based) makes that commit fail.
class fake_transaction final : public transaction {
 public:
  struct commit_record {
    std::vector<std::pair<topic_partition, offset>> next;
    std::vector<output_record> sent;
  };
  explicit fake_transaction(fake_sink& out) : out_(out) {}
  std::optional<failure> commit(const std::vector<std::pair<topic_partition, offset>>& next) override {
    auto sent = out_.snapshot();
    std::lock_guard lock(mu_);
    commits_.push_back({next, std::move(sent)});
    if (commits_.size() == fail_at) return failure{"the broker said no", rebalanced};
    return std::nullopt;
  }
  std::vector<commit_record> commits() {
    std::lock_guard lock(mu_);
    return commits_;
  }
  std::size_t fail_at = 0;  // set before the run
  bool rebalanced = false;  // the failure's kind

 private:
  fake_sink& out_;
  std::mutex mu_;
  std::vector<commit_record> commits_;
};

}  // namespace wirefeed::testing
