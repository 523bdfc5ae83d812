#include "pipeline/engine.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <map>
#include <thread>

#include "fakes.h"
#include "pipeline/encode.h"

namespace wirefeed {
namespace {

// Polls `done` until it holds, at most `limit`: for what must happen (a fixed sleep before a
// positive check fails on a slow machine, as under the sanitizers).
template <class Done>
bool eventually(Done done, std::chrono::milliseconds limit = std::chrono::milliseconds(10000)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  return done();
}

using testing::fake_committer;
using testing::fake_sink;
using testing::fake_source;
using testing::fake_transaction;
using testing::json_article;
using testing::make_record;

std::int64_t source_offset(const output_record& r) {
  if (r.kind == output_kind::dead_letter) return std::stoll(std::string(find_header(r.hdrs, dlq_header::offset)));
  const auto pos = r.value.find("\"offset\":");
  return std::stoll(r.value.substr(pos + 9));
}

int source_partition(const output_record& r) {
  if (r.kind == output_kind::dead_letter) return std::stoi(std::string(find_header(r.hdrs, dlq_header::partition)));
  const auto pos = r.value.find("\"partition\":");
  return std::stoi(r.value.substr(pos + 12));
}

class EngineTest : public ::testing::Test {
 protected:
  engine_options options(std::size_t threads = 4) {
    engine_options o;
    o.threads = threads;
    o.bounded = true;
    o.poll_timeout = std::chrono::milliseconds(5);
    o.drain_timeout = std::chrono::milliseconds(2000);
    return o;
  }
  static cfg::config test_config() {
    cfg::config c;
    c.extract.ner_model = WIREFEED_NER_MODEL;  // the committed model, by absolute path
    return c;
  }
  cfg::config config_ = test_config();
  probe probe_;
  chain chain_{config_, probe_};
};

TEST_F(EngineTest, OutputOrderFollowsInputOrderPerPartition) {
  fake_source src;
  for (int p = 0; p < 3; ++p) {
    for (int o = 0; o < 300; ++o) src.add(make_record("in", p, o, json_article("a" + std::to_string(p * 1000 + o))));
  }
  fake_sink out;
  fake_committer commits;
  engine e(options(4), chain_, out, commits, probe_);
  const auto summary = e.run(src);

  ASSERT_TRUE(summary.ok) << summary.error;
  EXPECT_TRUE(summary.drained);
  EXPECT_EQ(summary.consumed, 900);
  EXPECT_EQ(summary.finished, 900);
  std::map<int, std::int64_t> last;
  for (const auto& r : out.sent) {
    const int p = source_partition(r);
    const auto o = source_offset(r);
    if (last.contains(p)) {
      EXPECT_EQ(o, last[p] + 1) << "partition " << p;
    }
    last[p] = o;
  }
  EXPECT_EQ(out.sent.size(), 900u);
}

TEST_F(EngineTest, CommitsEveryPartitionToItsEndAfterOutOfOrderDeliveries) {
  fake_source src;
  for (int p = 0; p < 2; ++p) {
    for (int o = 0; o < 250; ++o) src.add(make_record("in", p, o, json_article(std::to_string(p) + "-" + std::to_string(o))));
  }
  fake_sink out;  // delivers in shuffled batches
  fake_committer commits;
  engine e(options(2), chain_, out, commits, probe_);
  ASSERT_TRUE(e.run(src).ok);
  EXPECT_EQ(commits.committed({"in", partition_id{0}}), 250);
  EXPECT_EQ(commits.committed({"in", partition_id{1}}), 250);
  EXPECT_FALSE(commits.regressed);
}

TEST_F(EngineTest, NeverStoresAnOffsetWhoseOutputIsNotDelivered) {
  fake_source src(/*finite=*/false);
  for (int o = 0; o < 5; ++o) src.add(make_record("in", 0, o, json_article(std::to_string(o))));
  fake_sink out(fake_sink::mode::manual);
  fake_committer commits;
  auto opts = options(2);
  opts.drain_timeout = std::chrono::milliseconds(200);
  engine e(opts, chain_, out, commits, probe_);
  auto running = std::async(std::launch::async, [&] { return e.run(src); });

  while (out.pending() < 5) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const topic_partition tp{"in", partition_id{0}};
  out.deliver_at(4);  // offset 4 -> pending 0,1,2,3
  out.deliver_at(2);  // offset 2 -> pending 0,1,3
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // time to store what it should not
  EXPECT_EQ(commits.stored(tp), -1);
  out.deliver_at(0);  // offset 0 -> pending 1,3
  EXPECT_TRUE(eventually([&] { return commits.stored(tp) == 1; })) << commits.stored(tp);
  out.deliver_at(0);  // offset 1 -> 0,1,2 done
  EXPECT_TRUE(eventually([&] { return commits.stored(tp) == 3; })) << commits.stored(tp);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // and no further
  EXPECT_EQ(commits.stored(tp), 3);

  e.request_stop();  // offset 3 is never delivered
  const auto summary = running.get();
  EXPECT_FALSE(summary.drained);
  EXPECT_EQ(commits.committed(tp), 3);
}

// A sink whose enriched records are acknowledged only when it is flushed (a producer whose
// deliveries come in during the stop's final flush).
class delivers_on_flush_sink final : public sink {
 public:
  void send(output_record record, delivery_callback cb) override {
    if (record.kind != output_kind::enriched) return cb(std::nullopt);
    std::lock_guard lock(mu_);
    held_.push_back(std::move(cb));
  }
  bool flush(std::chrono::milliseconds) override {
    std::vector<delivery_callback> held;
    {
      std::lock_guard lock(mu_);
      held.swap(held_);
    }
    for (auto& cb : held) cb(std::nullopt);
    return true;
  }
  std::size_t held() {
    std::lock_guard lock(mu_);
    return held_.size();
  }

 private:
  std::mutex mu_;
  std::vector<delivery_callback> held_;
};

// What the final flush delivers is finished before the last commit: its positions are committed
// (a restart does not consume it again) and the summary counts it.
TEST_F(EngineTest, WhatTheFinalFlushDeliversIsCommitted) {
  fake_source src(/*finite=*/false);
  for (int o = 0; o < 5; ++o) src.add(make_record("in", 0, o, json_article(std::to_string(o))));
  delivers_on_flush_sink out;
  fake_committer commits;
  auto opts = options(2);
  opts.drain_timeout = std::chrono::milliseconds(100);
  engine e(opts, chain_, out, commits, probe_);
  auto running = std::async(std::launch::async, [&] { return e.run(src); });
  while (out.held() < 5) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  e.request_stop();
  const auto summary = running.get();
  EXPECT_FALSE(summary.drained);  // nothing was delivered within the drain timeout
  EXPECT_EQ(summary.finished, 5);
  EXPECT_EQ(commits.committed({"in", partition_id{0}}), 5);
}

// Every broker down: the sink acknowledges its first `room` records, then has no room, and a send
// waits for room until stop_waiting() (or for 10 s once, so that an engine which never calls it
// ends, late).
class full_queue_sink final : public sink {
 public:
  explicit full_queue_sink(int room) : room_(room) {}
  void send(output_record record, delivery_callback cb) override {
    std::unique_lock lock(mu_);
    if (room_ > 0) {
      --room_;
      if (record.kind == output_kind::enriched) ++articles_acknowledged;
      lock.unlock();
      cb(std::nullopt);
      return;
    }
    ++waiting;
    cv_.wait_for(lock, std::chrono::seconds(10), [&] { return stop_waiting_; });
    stop_waiting_ = true;  // after 10 s, no more waiting either way
    lock.unlock();
    ++failed;
    cb(delivery_error{"Local: Queue full"});
  }
  bool flush(std::chrono::milliseconds) override { return true; }
  void stop_waiting() override {
    {
      std::lock_guard lock(mu_);
      stop_waiting_ = true;
    }
    cv_.notify_all();
  }
  std::atomic<int> waiting{0};
  std::atomic<int> failed{0};
  std::atomic<std::int64_t> articles_acknowledged{0};

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int room_;
  bool stop_waiting_ = false;
};

TEST_F(EngineTest, AStopDoesNotWaitForRoomInTheSinkPastItsDrainTimeout) {
  fake_source src(/*finite=*/false);
  for (int o = 0; o < 20; ++o) src.add(make_record("in", 0, o, json_article(std::to_string(o))));
  full_queue_sink out(12);
  fake_committer commits;
  auto opts = options(2);
  opts.drain_timeout = std::chrono::milliseconds(200);
  engine e(opts, chain_, out, commits, probe_);
  auto running = std::async(std::launch::async, [&] { return e.run(src); });
  while (out.waiting == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  const auto stop = std::chrono::steady_clock::now();
  e.request_stop();
  const auto summary = running.get();
  EXPECT_LT(std::chrono::steady_clock::now() - stop, std::chrono::seconds(5));  // 10 s without stop_waiting
  EXPECT_FALSE(summary.drained);
  EXPECT_TRUE(summary.ok) << summary.error;  // what the stop gave up on is consumed again, not an error
  // Nothing is committed past what was acknowledged (one partition: articles go out in order).
  EXPECT_LE(commits.committed({"in", partition_id{0}}), out.articles_acknowledged);
  EXPECT_LT(out.articles_acknowledged, summary.consumed);
}

// The outage outlasting the session: librdkafka revokes the partitions (as lost, or in a normal
// rebalance) from inside the poll, whose callback waits for the strand, held in the sink. A stop
// then still ends within its drain timeout (the callback, not run(), gives up on the sink), and
// what it gave up on is no error (a review's case: the stop waited for the outage to end).
TEST_F(EngineTest, AStopDoesNotWaitForRoomInTheSinkWhileARevokeWaitsForTheStrand) {
  for (const bool lost : {true, false}) {
    SCOPED_TRACE(lost ? "lost" : "revoked");
    fake_source src(/*finite=*/false);
    for (int o = 0; o < 20; ++o) src.add(make_record("in", 0, o, json_article(std::to_string(o))));
    full_queue_sink out(12);
    fake_committer commits;
    auto opts = options(2);
    opts.drain_timeout = std::chrono::milliseconds(200);
    opts.revoke_drain_timeout = std::chrono::milliseconds(200);
    engine e(opts, chain_, out, commits, probe_);
    // Revokes the partition from inside a poll once the strand waits in the sink.
    struct revoking_source final : source {
      revoking_source(fake_source& s, full_queue_sink& o, bool l) : inner(s), out(o), lost(l) {}
      void set_listener(source_listener* l) override {
        listener = l;
        inner.set_listener(l);
      }
      poll_status poll(std::vector<input_record>& batch, std::chrono::milliseconds timeout) override {
        if (!revoking && out.waiting > 0) {
          revoking = true;
          listener->on_revoked({{"in", partition_id{0}}}, lost);
          return poll_status::ok;
        }
        return inner.poll(batch, timeout);
      }
      void pause(const std::vector<topic_partition>& tps) override { inner.pause(tps); }
      void resume(const std::vector<topic_partition>& tps) override { inner.resume(tps); }
      void close() override { inner.close(); }
      std::string last_error() const override { return {}; }
      fake_source& inner;
      full_queue_sink& out;
      const bool lost;
      source_listener* listener = nullptr;
      std::atomic<bool> revoking{false};
    } revoking(src, out, lost);
    auto running = std::async(std::launch::async, [&] { return e.run(revoking); });
    ASSERT_TRUE(eventually([&] { return revoking.revoking.load(); }));

    const auto stop = std::chrono::steady_clock::now();
    e.request_stop();
    const auto summary = running.get();
    EXPECT_LT(std::chrono::steady_clock::now() - stop, std::chrono::seconds(5));  // 10 s: the sink's own limit
    EXPECT_TRUE(summary.ok) << summary.error;
    EXPECT_LE(commits.committed({"in", partition_id{0}}), out.articles_acknowledged);
  }
}

// The same stop after a bounded input ended (a replay's range all consumed): the wait for
// everything becomes a wait of drain_timeout from the signal. It waited for the sink.
TEST_F(EngineTest, AStopAfterTheInputEndedWaitsNoLongerThanItsDrainTimeout) {
  fake_source src;  // finite: ends after its records
  for (int o = 0; o < 20; ++o) src.add(make_record("in", 0, o, json_article(std::to_string(o))));
  full_queue_sink out(12);
  fake_committer commits;
  auto opts = options(2);
  opts.bounded = true;
  opts.drain_timeout = std::chrono::milliseconds(200);
  engine e(opts, chain_, out, commits, probe_);
  auto running = std::async(std::launch::async, [&] { return e.run(src); });
  while (out.waiting == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ASSERT_TRUE(eventually([&] { return src.ended.load(); }));

  const auto stop = std::chrono::steady_clock::now();
  e.request_stop();
  const auto summary = running.get();
  EXPECT_LT(std::chrono::steady_clock::now() - stop, std::chrono::seconds(5));  // 10 s without the fix
  EXPECT_TRUE(summary.input_ended);
  EXPECT_FALSE(summary.drained);
  EXPECT_LT(out.articles_acknowledged, summary.consumed);
}

// Exactly once, the same stop: the send that found no room failed, so its output is in no
// transaction, while its input was released. No transaction may commit after that: its positions
// would cover the missing output.
TEST_F(EngineTest, ExactlyOnceNoTransactionCommitsAfterAnOutputFoundNoRoom) {
  fake_source src(/*finite=*/false);
  for (int o = 0; o < 20; ++o) src.add(make_record("in", 0, o, json_article(std::to_string(o))));
  full_queue_sink out(12);
  struct : transaction {
    full_queue_sink* sink = nullptr;
    std::atomic<int> commits{0}, after_a_failure{0};
    std::optional<failure> commit(const std::vector<std::pair<topic_partition, offset>>&) override {
      ++commits;
      if (sink->failed > 0) ++after_a_failure;
      return std::nullopt;
    }
  } txn;
  txn.sink = &out;
  no_commit consumer_commits;
  auto opts = options(2);
  opts.drain_timeout = std::chrono::milliseconds(200);
  opts.transaction_interval = std::chrono::milliseconds(1);
  engine e(opts, chain_, out, consumer_commits, probe_, &txn);
  auto running = std::async(std::launch::async, [&] { return e.run(src); });
  while (out.waiting == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  e.request_stop();
  const auto summary = running.get();
  EXPECT_FALSE(summary.drained);
  EXPECT_GT(out.failed, 0);
  EXPECT_EQ(txn.after_a_failure, 0) << txn.commits << " commit(s) in all";
}

// A record time ahead of the daemon's clock (a producer's clock an hour fast) is no latency: a
// negative sample lowered the histogram's sum, which rate() takes for a counter reset.
TEST_F(EngineTest, ARecordTimeAheadOfTheClockIsNoLatencySample) {
  struct : probe {
    std::vector<double> samples;
    void on_end_to_end(double seconds) override { samples.push_back(seconds); }
  } latency;
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  fake_source src;
  src.add(make_record("in", 0, 0, json_article("late"), now_ms - 2000));
  src.add(make_record("in", 0, 1, json_article("ahead"), now_ms + 3600 * 1000));
  fake_sink out;
  fake_committer commits;
  engine e(options(2), chain_, out, commits, latency);
  ASSERT_TRUE(e.run(src).ok);
  ASSERT_EQ(latency.samples.size(), 1u);
  EXPECT_GE(latency.samples[0], 2.0);
}

// A story owner fenced by its successor while it drains learns it at its last commit: that stop
// is a failure (exit 1, the reason), not a clean one (exit 0 with nothing committed).
TEST_F(EngineTest, AFatalErrorTheLastCommitFindsFailsTheStop) {
  fake_source src;
  src.add(make_record("in", 0, 0, json_article("a")));
  struct fenced_committer final : offset_committer {
    fake_source* source = nullptr;
    void store(const topic_partition&, offset) override {}
    bool commit() override {
      source->failing = true;  // as librdkafka's error_cb sets the consumer's fatal error
      return false;
    }
  } commits;
  commits.source = &src;
  fake_sink out;
  engine e(options(2), chain_, out, commits, probe_);
  const auto summary = e.run(src);
  EXPECT_FALSE(summary.ok);
  EXPECT_EQ(summary.error, "source: fenced by another consumer");
  EXPECT_FALSE(summary.committed);
}

TEST_F(EngineTest, MalformedMessagesBecomeDeadLettersAndThePartitionKeepsFlowing) {
  fake_source src;
  src.add(make_record("in", 0, 0, json_article("good-0")));
  src.add(make_record("in", 0, 1, "{\"uri\": broken"));
  src.add(make_record("in", 0, 2, std::string("bad \xff\xfe utf8")));
  src.add(make_record("in", 0, 3, "   "));
  src.add(make_record("in", 0, 4, json_article("good-4")));
  fake_sink out;
  fake_committer commits;
  engine e(options(2), chain_, out, commits, probe_);
  ASSERT_TRUE(e.run(src).ok);

  ASSERT_EQ(out.sent.size(), 5u);
  EXPECT_EQ(out.sent[0].kind, output_kind::enriched);
  EXPECT_EQ(out.sent[1].kind, output_kind::dead_letter);
  EXPECT_EQ(find_header(out.sent[1].hdrs, dlq_header::reason), "invalid_json");
  EXPECT_EQ(out.sent[1].value, "{\"uri\": broken");  // original bytes, unchanged
  EXPECT_EQ(find_header(out.sent[2].hdrs, dlq_header::reason), "invalid_utf8");
  EXPECT_EQ(find_header(out.sent[3].hdrs, dlq_header::reason), "empty");
  EXPECT_EQ(find_header(out.sent[3].hdrs, dlq_header::offset), "3");
  EXPECT_EQ(out.sent[4].kind, output_kind::enriched);
  EXPECT_EQ(commits.committed({"in", partition_id{0}}), 5);
}

TEST_F(EngineTest, PausesPartitionsWhenTheBudgetIsSpentAndResumesWhenDrained) {
  fake_source src(/*finite=*/true, /*per_poll=*/3);
  for (int o = 0; o < 60; ++o) src.add(make_record("in", 0, o, json_article(std::to_string(o))));
  fake_sink out(fake_sink::mode::manual);
  fake_committer commits;
  auto opts = options(2);
  opts.max_in_flight_messages = 10;
  opts.pause_after = std::chrono::milliseconds(50);
  engine e(opts, chain_, out, commits, probe_);
  auto running = std::async(std::launch::async, [&] { return e.run(src); });

  // Nothing is delivered: consumption must stop near the budget.
  EXPECT_TRUE(eventually([&] { return src.pause_calls.load() >= 1; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // time to take more than it should
  EXPECT_LE(out.pending(), 10u + 3u);  // budget plus at most one poll batch
  while (running.wait_for(std::chrono::milliseconds(5)) != std::future_status::ready) out.deliver_all();
  const auto summary = running.get();
  EXPECT_TRUE(summary.ok);
  EXPECT_EQ(summary.finished, 60);
  EXPECT_GE(src.resume_calls.load(), 1);
}

// The byte budget bounds the memory the work in flight holds, which is many times the records (an
// article waiting for the ordered strand holds 10-20 times its record). The two tests below feed
// 60 small articles under a budget of 40 of them in record bytes, with no limit on messages.
class ByteBudgetTest : public EngineTest {
 protected:
  ByteBudgetTest() : src_(/*finite=*/true, /*per_poll=*/7) {
    std::size_t largest = 0;
    for (int o = 0; o < 60; ++o) {
      auto r = make_record("in", 0, o, json_article(std::to_string(1000 + o)));
      largest = std::max(largest, r.value.size());
      src_.add(std::move(r));
    }
    opts_.max_in_flight_messages = 1000000;
    opts_.max_in_flight_bytes = static_cast<std::int64_t>(40 * largest);
    opts_.pause_after = std::chrono::milliseconds(20);
    record_bytes_ = static_cast<std::int64_t>(largest);
  }
  fake_source src_;
  fake_sink out_{fake_sink::mode::manual};
  fake_committer commits_;
  engine_options opts_ = options(2);
  std::int64_t record_bytes_ = 0;
};

// Before any record is released, each is charged first_footprint_ratio (16) times its size: the
// budget admits one poll batch (7), not 40 records.
TEST_F(ByteBudgetTest, ChargesARecordMoreThanItsSizeBeforeAnyIsReleased) {
  engine e(opts_, chain_, out_, commits_, probe_);
  auto running = std::async(std::launch::async, [&] { return e.run(src_); });

  EXPECT_TRUE(eventually([&] { return src_.pause_calls.load() >= 1; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // time to take more than it should
  EXPECT_LE(out_.pending(), 7u);  // no output is delivered: nothing more is admitted
  while (running.wait_for(std::chrono::milliseconds(5)) != std::future_status::ready) out_.deliver_all();
  const auto summary = running.get();
  EXPECT_TRUE(summary.ok) << summary.error;
  EXPECT_EQ(summary.finished, 60);
}

// From the records released, the engine learns what a record and its processed article hold per
// byte of the record, and charges the records after them that much: with the prior at 1, the
// in-flight bytes reported per message still rise far above a record's size once the first
// records are released.
TEST_F(ByteBudgetTest, LearnsWhatARecordHoldsFromTheRecordsReleased) {
  struct in_flight_probe final : probe {
    void set_in_flight(std::int64_t messages, std::int64_t bytes) override {
      if (messages > 0) most_per_message = std::max(most_per_message.load(), bytes / messages);
      last_bytes = bytes;
    }
    std::atomic<std::int64_t> most_per_message{0};
    std::atomic<std::int64_t> last_bytes{-1};
  } reports;
  opts_.first_footprint_ratio = 1;
  engine e(opts_, chain_, out_, commits_, reports);
  auto running = std::async(std::launch::async, [&] { return e.run(src_); });
  while (running.wait_for(std::chrono::milliseconds(5)) != std::future_status::ready) out_.deliver_all();
  const auto summary = running.get();
  EXPECT_TRUE(summary.ok) << summary.error;
  EXPECT_EQ(summary.finished, 60);
  // An article of the full chain holds some KB (its paragraphs, entities, terms, fingerprints).
  EXPECT_GT(reports.most_per_message.load(), 10 * record_bytes_);
  // What was charged (on admission, then again on release) was all given back.
  EXPECT_EQ(reports.last_bytes.load(), 0);
}

TEST_F(EngineTest, StarvedMergeKeepsPollingPastTheBudgetInsteadOfPausing) {
  // The source hands out partition 0 first; its records are all later than partition 1's, so the
  // merge holds them until partition 1's first record is polled. Pausing partition 0 for that
  // would make librdkafka drop and re-fetch its prefetched records: within twice the budget the
  // engine polls on instead.
  fake_source src(/*finite=*/true, /*per_poll=*/4);
  // At most 12 + 6 = 18 in flight: under twice the budget of 10.
  for (int o = 0; o < 12; ++o) src.add(make_record("in", 0, o, json_article("p0-" + std::to_string(o)), 5000 + o));
  for (int o = 0; o < 6; ++o) src.add(make_record("in", 1, o, json_article("p1-" + std::to_string(o)), 1000 + o));
  fake_sink out;
  fake_committer commits;
  auto opts = options(2);
  opts.max_in_flight_messages = 10;
  opts.pause_after = std::chrono::seconds(5);  // a pause can only come from starvation
  engine e(opts, chain_, out, commits, probe_);
  const auto summary = e.run(src);
  EXPECT_TRUE(summary.ok);
  EXPECT_EQ(summary.finished, 18);
  EXPECT_EQ(src.pause_calls.load(), 0);
  ASSERT_EQ(out.sent.size(), 18u);
  EXPECT_EQ(out.sent.front().key, "p1-0");
  EXPECT_EQ(out.sent.back().key, "p0-11");
}

TEST_F(EngineTest, StopDrainsInFlightWorkBeforeCommitting) {
  fake_source src(/*finite=*/false);
  for (int o = 0; o < 100; ++o) src.add(make_record("in", 0, o, json_article(std::to_string(o))));
  fake_sink out;
  fake_committer commits;
  engine e(options(2), chain_, out, commits, probe_);
  auto running = std::async(std::launch::async, [&] { return e.run(src); });
  while (out.snapshot().size() < 100) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  e.request_stop();
  const auto summary = running.get();
  EXPECT_TRUE(summary.drained);
  EXPECT_TRUE(src.closed);
  EXPECT_EQ(commits.committed({"in", partition_id{0}}), 100);
}

// On a stop the strand's learned state goes out as of the last article, so a restart after it
// strips and ranks as the stopped daemon did (not as of the last periodic checkpoint). Nothing
// goes out without the changelog (a replay).
TEST_F(EngineTest, StopWritesTheLearnedStateAsOfTheLastArticle) {
  const auto learned_parts = [&](bool changelog, bool fatal = false) {
    chain stages(config_, probe_);
    stages.write_changelog(changelog);
    fake_source src(/*finite=*/false);
    for (int o = 0; o < 37; ++o) src.add(make_record("in", 0, o, json_article(std::to_string(o))));
    fake_sink out;
    fake_committer commits;
    engine e(options(2), stages, out, commits, probe_);
    auto running = std::async(std::launch::async, [&] { return e.run(src); });
    while (out.snapshot().size() < 37) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    if (fatal) src.failing = true;
    else e.request_stop();
    const auto summary = running.get();
    EXPECT_EQ(summary.ok, !fatal);
    EXPECT_EQ(summary.checkpoint_records, changelog && !fatal ? 32u : 0u);
    EXPECT_EQ(summary.checkpoint_delivered, summary.checkpoint_records);
    std::vector<std::string> values;
    for (const auto& r : out.stories) {
      if (r.key.starts_with("learner:") || r.key.starts_with("keywords:")) values.push_back(r.value);
    }
    return values;
  };
  const auto parts = learned_parts(true);
  ASSERT_EQ(parts.size(), 32u);
  for (const auto& v : parts) EXPECT_NE(v.find("\"articles\":37,"), std::string::npos) << v.substr(0, 120);
  EXPECT_TRUE(learned_parts(false).empty());
  // Not after a fatal error: another instance that fenced this one may own the state now.
  EXPECT_TRUE(learned_parts(true, /*fatal=*/true).empty());
}

// A story id a consumer has seen must be in the state a restart restores: an article's enriched
// record and story update wait for its changelog records, and whatever was released after it (a
// dead letter here) waits behind it.
TEST_F(EngineTest, AnArticleGoesOutOnlyOnceItsStoryStateIsAcknowledged) {
  fake_source src(/*finite=*/false);
  src.add(make_record("in", 0, 0, json_article("first")));
  src.add(make_record("in", 0, 1, "{\"uri\": broken"));
  fake_sink out(fake_sink::mode::manual);
  out.hold_changelog = true;
  fake_committer commits;
  engine e(options(2), chain_, out, commits, probe_);
  auto running = std::async(std::launch::async, [&] { return e.run(src); });
  const auto until = [](auto done) {
    for (int i = 0; i < 2000 && !done(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return done();
  };
  ASSERT_TRUE(until([&] { return out.changelog_waiting() > 0; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // time to send what it should not
  EXPECT_EQ(out.snapshot().size(), 0u);
  EXPECT_EQ(out.stories_of_kind(output_kind::stories), 0u);

  out.deliver_changelog();
  ASSERT_TRUE(until([&] { return out.snapshot().size() == 2; }));
  const auto sent = out.snapshot();
  EXPECT_EQ(sent[0].kind, output_kind::enriched);
  EXPECT_EQ(sent[1].kind, output_kind::dead_letter);
  EXPECT_EQ(out.stories_of_kind(output_kind::stories), 1u);
  out.deliver_all();
  e.request_stop();
  EXPECT_TRUE(running.get().ok);
  EXPECT_EQ(commits.committed({"in", partition_id{0}}), 2);
}

// The story update is an output of its article too: an offset whose update is not acknowledged is
// not stored, and an update that fails stops the run with nothing stored past it.
TEST_F(EngineTest, NeverStoresAnOffsetWhoseStoryUpdateIsNotDelivered) {
  const auto until = [](auto done) {
    for (int i = 0; i < 2000 && !done(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return done();
  };
  const topic_partition tp{"in", partition_id{0}};
  for (const bool fails : {false, true}) {
    fake_source src(/*finite=*/false);
    src.add(make_record("in", 0, 0, json_article("first")));
    fake_sink out;  // enriched records acknowledged at once
    out.hold_stories = true;
    fake_committer commits;
    engine e(options(2), chain_, out, commits, probe_);
    auto running = std::async(std::launch::async, [&] { return e.run(src); });
    ASSERT_TRUE(until([&] { return out.stories_waiting() > 0 && out.pending() == 0 && !out.snapshot().empty(); }));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // time to store what it should not
    EXPECT_EQ(commits.stored(tp), -1) << fails;
    if (fails) {
      out.deliver_stories(delivery_error{"broker says no"});
      const auto summary = running.get();
      EXPECT_FALSE(summary.ok);
      EXPECT_NE(summary.error.find("broker says no"), std::string::npos) << summary.error;
      EXPECT_EQ(commits.stored(tp), -1);
    } else {
      out.deliver_stories();
      EXPECT_TRUE(until([&] { return commits.stored(tp) == 1; }));  // the next offset to read
      e.request_stop();
      EXPECT_TRUE(running.get().ok);
    }
  }
}

// Exactly once: each commit carries the positions of what was released, and by then the sink has
// been handed the output of every record before them and of none after. Nothing waits for the
// changelog's acknowledgements (the transaction makes it all visible at once), and the stop
// commits the rest.
TEST_F(EngineTest, ExactlyOnceCommitsEachPositionWithTheOutputOfEveryRecordBeforeIt) {
  fake_source src(/*finite=*/false, /*per_poll=*/3);
  for (int p = 0; p < 2; ++p) {
    for (int o = 0; o < 60; ++o) {
      src.add(make_record("in", p, o, o % 7 == 3 ? "{broken" : json_article(std::to_string(p * 100 + o))));
    }
  }
  fake_sink out;
  out.hold_changelog = true;  // never acknowledged: at least once, nothing would go out
  no_commit consumer_commits;
  fake_transaction txn(out);
  auto opts = options(2);
  opts.bounded = false;
  opts.transaction_interval = std::chrono::milliseconds(1);
  struct : probe {
    std::atomic<int> timed{0};
    void on_transaction_commit(double) override { ++timed; }
  } timing;
  engine e(opts, chain_, out, consumer_commits, timing, &txn);
  auto running = std::async(std::launch::async, [&] { return e.run(src); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);  // a sanitized build, a loaded machine
  while (out.snapshot().size() < 120 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(out.snapshot().size(), 120u) << "held back behind the changelog's acknowledgements";
  out.deliver_changelog();  // the stop waits for every acknowledgement, as a flush would
  e.request_stop();
  while (running.wait_for(std::chrono::milliseconds(5)) != std::future_status::ready) out.deliver_changelog();
  EXPECT_TRUE(running.get().ok);

  const auto commits = txn.commits();
  ASSERT_GE(commits.size(), 2u);
  std::map<int, std::int64_t> committed;
  for (const auto& c : commits) {
    for (const auto& [tp, next] : c.next) {
      EXPECT_GT(next.value, committed[tp.partition.value]);
      committed[tp.partition.value] = next.value;
    }
    std::map<int, std::int64_t> sent;  // per partition: outputs handed to the sink, and the highest offset + 1
    std::map<int, std::int64_t> end;
    for (const auto& r : c.sent) {
      ++sent[source_partition(r)];
      end[source_partition(r)] = std::max(end[source_partition(r)], source_offset(r) + 1);
    }
    for (int p = 0; p < 2; ++p) {
      EXPECT_EQ(sent[p], committed[p]) << "partition " << p;
      EXPECT_EQ(end[p], committed[p]) << "partition " << p;
    }
  }
  EXPECT_EQ(committed[0], 60);
  EXPECT_EQ(committed[1], 60);
  EXPECT_EQ(timing.timed, static_cast<int>(commits.size()));
}

// A failed commit is fatal, and the summary says whether a rebalance raced it (the daemon then
// starts the run afresh in the same process) or not.
TEST_F(EngineTest, ExactlyOnceAFailedCommitIsFatalAndSaysWhetherARebalanceRacedIt) {
  for (const bool rebalanced : {false, true}) {
    fake_source src(/*finite=*/false);
    for (int o = 0; o < 40; ++o) src.add(make_record("in", 0, o, json_article(std::to_string(o))));
    fake_sink out;
    no_commit consumer_commits;
    fake_transaction txn(out);
    txn.fail_at = 1;
    txn.rebalanced = rebalanced;
    auto opts = options(2);
    opts.bounded = false;
    engine e(opts, chain_, out, consumer_commits, probe_, &txn);
    const auto summary = e.run(src);  // the failure stops it
    EXPECT_FALSE(summary.ok);
    EXPECT_EQ(summary.rebalanced, rebalanced);
    EXPECT_NE(summary.error.find("transaction commit: the broker said no"), std::string::npos) << summary.error;
    EXPECT_EQ(txn.commits().size(), 1u);  // nothing after it: not the stop's commit either
    EXPECT_EQ(summary.transactions, 0);   // the failed one
    EXPECT_EQ(summary.checkpoint_records, 0u);
  }
}

TEST_F(EngineTest, FailedDeliveryIsFatalAndNothingPastItIsStored) {
  fake_source src(/*finite=*/false);
  for (int o = 0; o < 3; ++o) src.add(make_record("in", 0, o, json_article(std::to_string(o))));
  fake_sink out(fake_sink::mode::manual);
  fake_committer commits;
  engine e(options(1), chain_, out, commits, probe_);
  auto running = std::async(std::launch::async, [&] { return e.run(src); });
  while (out.pending() < 3) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  out.deliver_at(0);                                      // offset 0 ok
  out.deliver_at(0, delivery_error{"broker said no"});    // offset 1 fails
  out.deliver_at(0);                                      // offset 2 ok, but after the failure
  const auto summary = running.get();
  EXPECT_FALSE(summary.ok);
  EXPECT_NE(summary.error.find("broker said no"), std::string::npos);
  EXPECT_EQ(commits.committed({"in", partition_id{0}}), 1);
}

TEST_F(EngineTest, RevokedPartitionIsCommittedAndItsLateWorkDropped) {
  fake_source src(/*finite=*/false);
  for (int p = 0; p < 2; ++p) {
    for (int o = 0; o < 4; ++o) src.add(make_record("in", p, o, json_article(std::to_string(p * 10 + o))));
  }
  fake_sink out(fake_sink::mode::manual);
  fake_committer commits;
  auto opts = options(2);
  opts.bounded = false;  // live: an idle partition holds nothing back
  opts.revoke_drain_timeout = std::chrono::milliseconds(100);  // partition 1's sends are never acknowledged
  opts.drain_timeout = std::chrono::seconds(10);  // only partition 0's work should be waited for
  engine e(opts, chain_, out, commits, probe_);
  // Revoke from the poll thread, as librdkafka does, via a source wrapper poll: once every
  // article is sent and none acknowledged.
  struct revoking_source : source {
    fake_source& inner;
    fake_sink& out;
    std::atomic<int> polls{0};
    std::atomic<int> revoked_at{0};  // the poll that revoked, 0 before
    revoking_source(fake_source& s, fake_sink& o) : inner(s), out(o) {}
    void set_listener(source_listener* l) override { inner.set_listener(l); }
    poll_status poll(std::vector<input_record>& batch, std::chrono::milliseconds t) override {
      ++polls;
      if (revoked_at == 0 && out.pending() >= 8) {
        inner.revoke({{"in", partition_id{1}}});
        revoked_at = polls.load();
      }
      return inner.poll(batch, t);
    }
    void pause(const std::vector<topic_partition>& tps) override { inner.pause(tps); }
    void resume(const std::vector<topic_partition>& tps) override { inner.resume(tps); }
    void close() override { inner.close(); }
    std::string last_error() const override { return {}; }
  } wrapper(src, out);
  auto running = std::async(std::launch::async, [&] { return e.run(wrapper); });
  // Nothing is delivered before the revoke, so partition 1 has nothing to commit when it goes.
  ASSERT_TRUE(eventually([&] { return wrapper.revoked_at > 0 && wrapper.polls >= wrapper.revoked_at + 10; },
                         std::chrono::seconds(60)));
  out.deliver_all();  // late deliveries for the revoked partition must be ignored
  e.request_stop();
  const auto summary = running.get();
  EXPECT_TRUE(summary.ok);
  EXPECT_EQ(commits.committed({"in", partition_id{0}}), 4);
  EXPECT_EQ(commits.stored({"in", partition_id{1}}), -1);  // nothing of it was delivered before revoke
  EXPECT_TRUE(summary.drained);  // the revoked partition's work no longer counts as in flight
}

// A live merge waiting for an idle partition's next record must not hold a revoked partition's
// work until the revoke drain times out: nothing is consumed during the drain.
TEST_F(EngineTest, RevokeDrainReleasesWorkTheMergeHeldForAnIdlePartition) {
  fake_source src(/*finite=*/false);
  src.add(make_record("in", 1, 0, json_article("early"), /*timestamp_ms=*/1));
  for (int o = 0; o < 4; ++o) src.add(make_record("in", 0, o, json_article(std::to_string(o)), 10 + o));
  fake_sink out;
  fake_committer commits;
  auto opts = options(2);
  opts.bounded = false;
  opts.max_partition_idle = std::chrono::seconds(60);  // the idle timeout never rescues it here
  opts.revoke_drain_timeout = std::chrono::seconds(5);
  opts.drain_timeout = std::chrono::seconds(5);
  engine e(opts, chain_, out, commits, probe_);
  // Hides partition ends (a partition that is fetched but never reported caught up, as librdkafka
  // does when EOF reporting is off) and revokes partition 0 once its records are all consumed.
  struct quiet_source : source, source_listener {
    fake_source& inner;
    source_listener* engine = nullptr;
    int polls = 0;
    std::chrono::steady_clock::duration revoke_took{};
    explicit quiet_source(fake_source& s) : inner(s) {}
    void set_listener(source_listener* l) override {
      engine = l;
      inner.set_listener(this);
    }
    void on_assigned(const std::vector<topic_partition>& tps) override { engine->on_assigned(tps); }
    void on_revoked(const std::vector<topic_partition>& tps, bool lost) override { engine->on_revoked(tps, lost); }
    void on_partition_end(const topic_partition&) override {}
    poll_status poll(std::vector<input_record>& batch, std::chrono::milliseconds t) override {
      if (++polls == 20) {
        const auto start = std::chrono::steady_clock::now();
        inner.revoke({{"in", partition_id{0}}});
        revoke_took = std::chrono::steady_clock::now() - start;
      }
      return inner.poll(batch, t);
    }
    void pause(const std::vector<topic_partition>& tps) override { inner.pause(tps); }
    void resume(const std::vector<topic_partition>& tps) override { inner.resume(tps); }
    void close() override { inner.close(); }
    std::string last_error() const override { return {}; }
  } wrapper(src);
  auto running = std::async(std::launch::async, [&] { return e.run(wrapper); });
  while (wrapper.polls < 30) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  e.request_stop();
  const auto summary = running.get();
  EXPECT_TRUE(summary.ok);
  // Partition 0's four articles were released, delivered and committed at the revoke.
  EXPECT_EQ(commits.committed({"in", partition_id{0}}), 4);
  EXPECT_LT(wrapper.revoke_took, opts.revoke_drain_timeout);
  EXPECT_EQ(out.snapshot().size(), 5u);
}

TEST_F(EngineTest, BoundedMergeReleasesByTimestampWhateverTheThreadCount) {
  auto run_with = [&](std::size_t threads) {
    fake_source src(true, 5);
    // Partition 0 has even timestamps, partition 1 odd ones.
    for (int o = 0; o < 100; ++o) {
      src.add(make_record("in", 0, o, json_article("p0-" + std::to_string(o)), 1000 + 2 * o));
      src.add(make_record("in", 1, o, json_article("p1-" + std::to_string(o)), 1001 + 2 * o));
    }
    fake_sink out;
    fake_committer commits;
    engine e(options(threads), chain_, out, commits, probe_);
    EXPECT_TRUE(e.run(src).ok);
    std::vector<std::string> keys;
    for (auto& r : out.sent) keys.push_back(r.key);
    return keys;
  };
  const auto one = run_with(1);
  const auto four = run_with(4);
  ASSERT_EQ(one.size(), 200u);
  EXPECT_EQ(one, four);
  EXPECT_EQ(one[0], "p0-0");
  EXPECT_EQ(one[1], "p1-0");
  EXPECT_EQ(one[2], "p0-1");
}

TEST_F(EngineTest, BoundedMergeWithATinyBudgetNeverDeadlocks) {
  // Partition 1's records are all later than partition 0's: the merge holds partition 1's work
  // back while partition 0 must keep being fetched, though the budget is spent.
  fake_source src(true, 4);
  for (int o = 0; o < 200; ++o) {
    src.add(make_record("in", 0, o, json_article("p0-" + std::to_string(o)), 1000 + o));
    src.add(make_record("in", 1, o, json_article("p1-" + std::to_string(o)), 5000 + o));
  }
  fake_sink out;
  fake_committer commits;
  auto opts = options(2);
  opts.max_in_flight_messages = 8;
  engine e(opts, chain_, out, commits, probe_);
  auto running = std::async(std::launch::async, [&] { return e.run(src); });
  ASSERT_EQ(running.wait_for(std::chrono::seconds(20)), std::future_status::ready) << "engine deadlocked";
  const auto summary = running.get();
  EXPECT_EQ(summary.finished, 400);
  EXPECT_EQ(out.sent.front().key, "p0-0");
  EXPECT_EQ(out.sent.back().key, "p1-199");
}

}  // namespace
}  // namespace wirefeed
