#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <thread>

#include "pipeline/chain.h"
#include "pipeline/offset_committer.h"
#include "pipeline/probe.h"
#include "pipeline/sink.h"
#include "pipeline/source.h"

namespace wirefeed {

struct engine_options {
  std::size_t threads = 0;  // 0 = one per core of the machine (the daemon passes usable_cpus())
  std::int64_t max_in_flight_messages = 10000;
  // Memory the work in flight may hold, estimated. A record is charged its size times the ratio
  // learned from the records released so far (the record and its processed article, heap_bytes,
  // over the record's size), `first_footprint_ratio` times its size until the first is released;
  // once released, the record and its outputs, which wait for the broker's acknowledgement. An
  // article waiting for the ordered strand holds 10-20 times its record (bench/README.md, "Memory
  // of the work in flight").
  std::int64_t max_in_flight_bytes = 256LL << 20;
  double first_footprint_ratio = 16;
  std::chrono::milliseconds drain_timeout{30000};         // after a stop request
  std::chrono::milliseconds revoke_drain_timeout{10000};  // inside a rebalance
  std::chrono::milliseconds poll_timeout{100};
  // The merge across partitions waits for a partition with nothing consumed until its next record
  // arrives or the source reports it caught up (at its end), so the stateful stages see the same
  // order whatever the timing (stream-time synchronisation, as Kafka Streams does it).
  // Bounded input (replay, files) always waits. Live input waits at most `max_partition_idle` for a
  // partition that is neither fetched nor caught up (a broker that does not answer for it).
  // Neither waits while draining for a stop or a revoke: nothing more is consumed then.
  bool bounded = false;
  std::chrono::milliseconds max_partition_idle{1000};
  // Over budget, the poll thread first stops consuming for up to this long (what librdkafka has
  // fetched stays in its queue); only if work is still stuck then does it pause partitions, which
  // makes librdkafka drop and later re-fetch what it had prefetched for them.
  std::chrono::milliseconds pause_after{1000};
  // Called from the poll thread about every `progress_interval` while running, and once at the end.
  std::function<void(std::int64_t consumed, std::int64_t finished)> on_progress;
  std::chrono::milliseconds progress_interval{1000};
  // Exactly once (an engine given a `transaction`): how often the strand commits what it has
  // released (pipeline.transaction_interval_ms). Each commit costs the strand one broker round
  // trip, and consumers reading committed records see output up to that much later.
  std::chrono::milliseconds transaction_interval{100};
};

struct run_summary {
  bool ok = true;             // false after a fatal error
  std::string error;          // why, when !ok
  // The fatal error was a group rebalance racing a transaction commit (exactly once): nothing is
  // lost, and a run started afresh (state restored, consumption from the committed positions)
  // carries on, as `wirefeed run` does in the same process.
  bool rebalanced = false;
  std::int64_t transactions = 0;  // exactly once: transactions committed
  bool drained = true;        // every consumed message finished before shutdown
  bool input_ended = false;   // the source reached the end of a bounded input (all of it consumed)
  std::int64_t consumed = 0;  // input records admitted
  std::int64_t finished = 0;  // input records whose outputs were all delivered
  bool committed = true;      // the last commit of the positions succeeded (at least once)
  // Records of the learned-state checkpoint written at the stop (chain::checkpoint_learned; none
  // without a changelog, or after a fatal error), and how many of them Kafka acknowledged.
  std::size_t checkpoint_records = 0;
  std::size_t checkpoint_delivered = 0;
};

// Drives the chain: a poll thread (the caller of `run`) takes records from the source; the stateless
// half of the chain runs on a thread pool; one ordered thread (the only owner of the stateful
// stages and of the per-partition bookkeeping) releases results per partition in offset order,
// merged across partitions by (timestamp, partition, offset), runs the stateful half and hands the
// outputs to the sink (changelog records first, the others in release order once those are
// acknowledged); delivery reports come back to the ordered thread, which advances each
// partition's commit position only past messages whose every output is durable. The ordered thread
// has its own queue, so releases and deliveries never wait behind the pool's backlog.
//
// Bounded: at most `max_in_flight_messages` / `max_in_flight_bytes` (memory, estimated) are
// consumed and not finished (overshoot: one poll batch per partition). Beyond that the poll thread
// stops consuming, and after `pause_after` pauses the partitions holding work; they resume once in-flight work has fallen to
// half the budget, or as soon as a paused partition holds no work. One exception: while the merge
// holds work back for a partition with nothing consumed (starved), polling goes on up to twice the
// budget before anything is paused, because only polling brings that partition's next record and
// a pause makes librdkafka drop what it had prefetched for the paused partitions.
//
// Exactly once (given a `transaction`; the committer is then no_commit): the strand sends every
// output as soon as it is released, and every `transaction_interval`, at a stop and before a
// revoke commits the transaction with the positions of what it has released. A lost partition,
// a failed delivery or a failed commit is fatal; the next run consumes the open transaction's
// records again, and no consumer reading committed records ever saw its output.
class engine final : public source_listener {
 public:
  engine(engine_options options, chain& c, sink& out, offset_committer& committer, probe& p,
         transaction* txn = nullptr);
  ~engine() override;
  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;

  // Runs until the source ends (bounded input, then drains fully), `request_stop` (then drains for
  // at most `drain_timeout`), or a fatal error (source, sink). Flushes the sink, commits, closes the
  // source. Call once.
  run_summary run(source& src);

  // Thread-safe; may be called from a signal-handling thread.
  void request_stop();
  // Whether a stop has begun (requested, or a fatal error): the drain. Thread-safe.
  bool stopping() const { return stop_requested_; }

  // source_listener: called on the poll thread from inside source::poll / source::close.
  void on_assigned(const std::vector<topic_partition>& partitions) override;
  void on_revoked(const std::vector<topic_partition>& partitions, bool lost) override;
  // Bounded sources: nothing more will come. Live sources: caught up with the end for now.
  void on_partition_end(const topic_partition& tp) override;

 private:
  struct partition_state;
  struct work_item;
  struct callback_gate;

  void admit(std::vector<input_record>& batch);        // poll thread
  void apply_backpressure(source& src);                // poll thread
  void apply_partition_ends();                         // poll thread
  bool over_budget() const;
  void run_ordered_and_wait(std::function<void()> fn);  // poll thread
  // While the poll thread waits for in-flight work (a stop, a revoke) nothing more is consumed:
  // the merge stops waiting for the next record of an empty partition. Poll thread.
  void set_draining(bool on);
  void schedule_completions();                                 // any thread, gate_->mu held
  void drain_completions();                                    // ordered thread
  void release_ready();                                        // ordered thread: release, then store
  void release_in_order();                                     // ordered thread
  void store_positions();                                      // ordered thread
  void send(const std::shared_ptr<work_item>& item, output_record out);  // ordered thread
  void send_held();                                                      // ordered thread
  void on_delivered(const std::shared_ptr<work_item>& item, const std::optional<delivery_error>& error);  // ordered thread
  void finish(work_item& item);                                // ordered thread
  // What a record of `bytes` is charged against max_in_flight_bytes until it is released. Poll thread.
  std::int64_t charge(std::size_t bytes) const;
  // At its release: learns what the item held while it waited, and charges it what it holds now.
  // Ordered thread.
  void recharge(work_item& item, std::size_t output_bytes);
  // Exactly once: commits what was released, if due (or `now`). Ordered thread.
  void commit_transaction(bool now);
  void fail(const std::string& why, bool rebalanced = false);  // any thread
  bool wait_for_in_flight(const std::function<bool()>& done, std::chrono::steady_clock::time_point deadline);

  engine_options options_;
  chain& chain_;
  sink& sink_;
  offset_committer& committer_;
  probe& probe_;
  transaction* txn_;

  std::size_t pool_threads_;
  boost::asio::thread_pool pool_;
  boost::asio::io_context ordered_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> ordered_work_;
  std::thread ordered_thread_;
  std::shared_ptr<callback_gate> gate_;

  // Poll thread only.
  std::unordered_map<topic_partition, std::shared_ptr<partition_state>> assigned_;
  std::set<topic_partition> paused_;
  std::vector<std::shared_ptr<partition_state>> ended_;  // ends reported during the current poll

  // Ordered thread only: a sorted map, so the merge visits partitions in a deterministic order.
  std::map<topic_partition, std::shared_ptr<partition_state>> active_;
  bool draining_ = false;  // set_draining
  std::vector<std::shared_ptr<partition_state>> dirty_;  // finished work since store_positions
  std::int64_t unstored_ = 0;  // messages finished since store_positions (still counted in flight)
  // Released items whose outputs other than changelog records are not sent yet, in release order.
  std::deque<std::shared_ptr<work_item>> held_;
  // Exactly once: partitions with work released since the last commit, and when the next is due.
  std::vector<std::shared_ptr<partition_state>> uncommitted_;
  std::chrono::steady_clock::time_point next_transaction_{};
  bool sent_since_commit_ = false;

  std::atomic<std::int64_t> in_flight_messages_{0};
  std::atomic<std::int64_t> in_flight_bytes_{0};  // charged: estimated memory
  // Memory per record byte, learned on the ordered thread, read by the poll thread.
  std::atomic<double> footprint_ratio_;
  double released_record_bytes_ = 0;  // ordered thread: decaying sums over released records
  double released_held_bytes_ = 0;
  std::atomic<std::int64_t> consumed_{0};
  std::atomic<std::int64_t> finished_{0};
  std::atomic<std::int64_t> transactions_{0};
  std::atomic<bool> stop_requested_{false};
  std::atomic<std::int64_t> stop_requested_at_{0};  // steady clock ticks of the first request; 0: none
  std::atomic<bool> fatal_{false};
  std::atomic<bool> output_failed_{false};  // an output's delivery failed (set before on_delivered runs)
  std::atomic<bool> gave_up_waiting_{false};  // the stop's drain timed out: failed outputs are not errors
  std::atomic<bool> starved_{false};  // the ordered release holds work back for a partition with nothing consumed

  std::mutex mu_;  // guards error_ and pairs with progress_
  std::condition_variable progress_;
  std::string error_;
  bool rebalanced_ = false;  // the fatal error is a transaction::failure::rebalanced one
};

}  // namespace wirefeed
