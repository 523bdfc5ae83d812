#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/kafka_client.h"
#include "pipeline/probe.h"
#include "pipeline/source.h"

namespace wirefeed::kafka {

// What to read: the live consumer group (subscribe, cooperative-sticky rebalancing), or a fixed
// range of every partition (replay: explicit assignment, no group commits).
struct range_bounds {
  std::optional<std::int64_t> from_ms;  // nothing = earliest
  std::optional<std::int64_t> to_ms;    // nothing = the end offsets at start
};

struct source_options {
  std::map<std::string, std::string> properties;  // librdkafka consumer properties, final
  std::vector<std::string> topics;
  std::size_t max_batch = 500;
  std::optional<range_bounds> range;              // set for replay
  // How long close() waits for librdkafka's consumer close (the revocation's drain and commit, the
  // final commit of auto-commit, leaving the group); 0: as long as it takes. With the group
  // coordinator unreachable (a broker outage) that close can wait without end: past the timeout
  // the consumer is abandoned (consumer_abandoned()).
  std::chrono::milliseconds close_timeout{0};
  // Set by a signal: the start-up's waits for the broker (metadata, a range's offsets) give up
  // (startup_stopped).
  const std::atomic<bool>* stop = nullptr;
  // How long close() waits for the group's first assignment to a member whose join it answered
  // (kafka_source::await_first_assignment): the group's leader works it out in milliseconds.
  std::chrono::milliseconds first_assignment_wait{10000};
};

// The lag of each partition in a librdkafka statistics document: its end (the last stable offset:
// the consumer reads committed records) less the position consumed (before the first message, the
// committed one). Not librdkafka's consumer_lag, which counts from the consumer's own commits:
// exactly once commits through the producer's transactions, which the consumer never hears of, so
// its consumer_lag counts everything consumed since the assignment. No lag (nullopt) for a
// partition given up (fetch state "none": revoked, lost), whose series would otherwise stay at its
// last value, or whose position is not known yet.
struct partition_lag {
  std::string topic;
  std::int32_t partition = 0;
  std::optional<std::int64_t> lag;
};
std::vector<partition_lag> partition_lags(std::string_view stats_json);

// A consumer was abandoned still closing (source_options::close_timeout): its thread may still be
// inside librdkafka, so the process must end without running static destructors (std::_Exit, after
// flushing its output), as main does. Its callbacks reach nothing from then on.
bool consumer_abandoned();

// A librdkafka consumer as a pipeline source. All calls on one thread (the engine's poll thread);
// rebalance and statistics callbacks run inside poll() on that thread, and inside close() on a
// thread of its own that the poll thread waits for.
class kafka_source final : public source {
 public:
  // Connects, and for a range resolves start and end offsets. Throws startup_error.
  kafka_source(source_options options, probe& p);
  ~kafka_source() override;

  void set_listener(source_listener* listener) override { listener_ = listener; }
  poll_status poll(std::vector<input_record>& out, std::chrono::milliseconds timeout) override;
  void pause(const std::vector<topic_partition>& partitions) override;
  void resume(const std::vector<topic_partition>& partitions) override;
  void close() override;
  std::string last_error() const override { return last_error_; }

  rd_kafka_t* handle() const { return rk_.get(); }
  // The group has handed this consumer its assignment (possibly empty). Any thread.
  bool has_assignment() const { return has_assignment_; }
  // A broker answers the consumer (brokers_answering, by the last statistics). Any thread.
  bool brokers_answering() const { return answering_; }
  // Range mode: messages in the range, summed over partitions.
  std::int64_t range_total() const { return range_total_; }
  // Range mode: of range_total(), the offsets read past so far (all of an ended partition's): the
  // progress of a replay, transaction markers and compacted-away records included. On the
  // polling thread.
  std::int64_t range_covered() const;

 private:
  struct range_partition {
    std::int64_t start = 0;
    std::int64_t end = 0;   // exclusive
    std::int64_t next = 0;  // the offset after the last message read
    bool ended = false;
  };

  static void rebalance_cb(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts, void* opaque);
  static int stats_cb(rd_kafka_t* rk, char* json, size_t len, void* opaque);
  static void error_cb(rd_kafka_t* rk, int err, const char* reason, void* opaque);
  static void offset_commit_cb(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* offsets,
                               void* opaque);
  void on_rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts);
  // librdkafka before 2.3 (Debian 12 has 2.0) aborts the process that destroys a cooperative-sticky
  // member whose join the group has answered but which has had no assignment yet (issue #4312,
  // fixed in 2.3): a daemon stopped a moment after it started, or built again after a rebalance.
  // close() first polls for that assignment, up to source_options::first_assignment_wait,
  // consuming nothing; false: none came, and the consumer must be abandoned rather than closed.
  bool await_first_assignment();
  // Leaves the handle to the process's end (consumer_abandoned()), after any callback in progress.
  void abandon();
  // The group's rebalance protocol is COOPERATIVE (it has answered the join).
  bool cooperative() const;
  void on_stats(std::string_view json);
  void start_range();
  void end_partition(const topic_partition& tp);

  source_options options_;
  probe& probe_;
  handle_ptr rk_;
  source_listener* listener_ = nullptr;
  std::atomic<bool> has_assignment_{false};
  bool ever_assigned_ = false;  // an assignment came once (kept after one is lost); on the polling thread
  std::atomic<bool> answering_{true};
  // The partitions assigned now: the only ones with a lag series (statistics still list a
  // partition revoked or lost, with its last position and a growing end).
  std::set<topic_partition> assigned_;
  // Paused by pause() and not resumed since: librdkafka keeps a pause across an unassign.
  std::set<topic_partition> paused_;
  std::optional<std::chrono::steady_clock::time_point> lost_at_;  // the last assignment lost (session timed out)
  bool closed_ = false;
  bool range_started_ = false;
  std::string last_error_;
  // A fatal error's message, with what to do when another static member fenced this one.
  std::string explained(const std::string& fatal) const;
  std::map<topic_partition, range_partition> range_;
  std::int64_t range_total_ = 0;
  std::size_t range_open_ = 0;
};

}  // namespace wirefeed::kafka
