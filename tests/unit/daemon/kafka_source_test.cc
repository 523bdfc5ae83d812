// kafka_source against librdkafka's mock cluster (unit-level fault injection; the integration
// tests use a real broker): a replay, or the changelog restore, must start through the "not
// leader" answers a topic created a moment ago gives while its leader is being elected.
#include "daemon/kafka_source.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/kafka_committer.h"
#include "daemon/startup_error.h"
#include "tests/unit/daemon/mock_cluster.h"

namespace wirefeed::kafka {
namespace {

constexpr std::int16_t list_offsets_api = 2;  // Kafka protocol ApiKey of ListOffsets

// A replay of topic "t" of `cluster`.
source_options replay_of_t(const mock_cluster& cluster) {
  source_options o;
  o.properties = {{"bootstrap.servers", cluster.bootstraps()}, {"group.id", "replay-test"}, {"log_level", "0"}};
  o.topics = {"t"};
  o.range = range_bounds{};
  return o;
}

// The lag from librdkafka's statistics: end (last stable offset) less the position consumed, also
// where the consumer's own committed offset knows nothing (exactly once commits through the
// producer: librdkafka's consumer_lag, 1,530, counted everything consumed since the assignment);
// none for a partition given up, whose series would stay at its last value.
TEST(KafkaSourceTest, ConsumerLagIsTheEndLessThePositionConsumed) {
  const std::string stats = R"({"topics": {"wire.raw": {"partitions": {
    "0": {"partition": 0, "fetch_state": "active", "ls_offset": 1530, "hi_offset": 1531, "app_offset": 1500,
          "committed_offset": -1001, "consumer_lag": 1530},
    "1": {"partition": 1, "fetch_state": "offset-wait", "ls_offset": 80, "hi_offset": 80, "app_offset": -1001,
          "committed_offset": 50, "consumer_lag": 30},
    "2": {"partition": 2, "fetch_state": "none", "ls_offset": 900, "hi_offset": 900, "app_offset": 400,
          "committed_offset": 400, "consumer_lag": -1},
    "3": {"partition": 3, "fetch_state": "active", "ls_offset": -1001, "hi_offset": 70, "app_offset": -1001,
          "committed_offset": -1001, "consumer_lag": -1},
    "-1": {"partition": -1, "fetch_state": "none", "ls_offset": -1001, "hi_offset": -1001, "app_offset": -1001,
           "committed_offset": -1001, "consumer_lag": -1}}}}})";
  const auto lags = partition_lags(stats);
  ASSERT_EQ(lags.size(), 4u);
  std::map<int, std::optional<std::int64_t>> by_partition;
  for (const auto& l : lags) {
    EXPECT_EQ(l.topic, "wire.raw");
    by_partition[l.partition] = l.lag;
  }
  EXPECT_EQ(by_partition[0], 30);            // consumed up to 1500 of 1530 committed records
  EXPECT_EQ(by_partition[1], 30);            // nothing consumed yet: from the committed position
  EXPECT_EQ(by_partition[2], std::nullopt);  // revoked
  EXPECT_EQ(by_partition[3], std::nullopt);  // no position yet
  EXPECT_TRUE(partition_lags("not json").empty());
}

TEST(KafkaSourceTest, AReplayStartsThroughTransientNotLeaderAnswers) {
  mock_cluster cluster("t", 2);
  rd_kafka_mock_push_request_errors(cluster.get(), list_offsets_api, 4, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
                                    RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
                                    RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
                                    RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION);
  probe p;
  std::unique_ptr<kafka_source> source;
  ASSERT_NO_THROW(source = std::make_unique<kafka_source>(replay_of_t(cluster), p));
  source->close();
}

TEST(KafkaSourceTest, AReplayFailsAtOnceOnAnErrorThatWillNotPass) {
  mock_cluster cluster("t", 2);
  // More than any retry inside librdkafka could use up: the error is what the start-up sees.
  const std::vector<rd_kafka_resp_err_t> errors(64, RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED);
  rd_kafka_mock_push_request_errors_array(cluster.get(), list_offsets_api, errors.size(), errors.data());
  probe p;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(kafka_source(replay_of_t(cluster), p), startup_error);
  // Not asked again for the 15 s a transient answer gets (a generous bound, not a speed goal).
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

// Records the partitions the group gives and takes.
struct assignment_listener final : source_listener {
  std::set<topic_partition> assigned;
  int assignments = 0;  // calls of on_assigned
  void on_assigned(const std::vector<topic_partition>& tps) override {
    assigned.insert(tps.begin(), tps.end());
    ++assignments;
  }
  void on_revoked(const std::vector<topic_partition>& tps, bool) override {
    for (const auto& tp : tps) assigned.erase(tp);
  }
  void on_partition_end(const topic_partition&) override {}
};

void produce_to(const mock_cluster& cluster, std::int32_t partition, int n) {
  char errstr[256];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", cluster.bootstraps().c_str(), errstr, sizeof errstr);
  rd_kafka_conf_set(conf, "log_level", "0", errstr, sizeof errstr);
  handle_ptr rk(rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr));
  ASSERT_TRUE(rk) << errstr;
  for (int i = 0; i < n; ++i) {
    const std::string value = "m" + std::to_string(i);
    ASSERT_EQ(rd_kafka_producev(rk.get(), RD_KAFKA_V_TOPIC("t"), RD_KAFKA_V_PARTITION(partition),
                                RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
                                RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END),
              RD_KAFKA_RESP_ERR_NO_ERROR);
  }
  ASSERT_EQ(rd_kafka_flush(rk.get(), 10000), RD_KAFKA_RESP_ERR_NO_ERROR);
}

source_options group_member_of_t(const mock_cluster& cluster) {
  source_options o;
  o.properties = {{"bootstrap.servers", cluster.bootstraps()},
                  {"group.id", "pause-test"},
                  {"partition.assignment.strategy", "cooperative-sticky"},
                  {"enable.auto.commit", "false"},
                  {"auto.offset.reset", "earliest"},
                  {"session.timeout.ms", "6000"},
                  {"heartbeat.interval.ms", "200"},
                  {"log_level", "0"}};
  o.topics = {"t"};
  return o;
}

// The engine pauses partitions while the output is slow, and forgets a partition's pause when the
// group takes the partition away. librdkafka does not: a partition paused when revoked stayed
// paused when the group gave it back, and was never fetched again (found against a real broker).
TEST(KafkaSourceTest, APartitionPausedWhenRevokedIsFetchedWhenAssignedBack) {
  mock_cluster cluster("t", 2);
  probe p;
  assignment_listener first_listener;
  kafka_source first(group_member_of_t(cluster), p);
  first.set_listener(&first_listener);
  std::vector<input_record> records;
  const auto poll_until = [&](auto done, std::chrono::seconds limit, kafka_source* other = nullptr) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      first.poll(records, std::chrono::milliseconds(50));
      if (other) {
        std::vector<input_record> ignored;
        other->poll(ignored, std::chrono::milliseconds(50));
      }
    }
    return done();
  };
  ASSERT_TRUE(poll_until([&] { return first_listener.assigned.size() == 2; }, std::chrono::seconds(30)));
  const std::vector<topic_partition> both(first_listener.assigned.begin(), first_listener.assigned.end());
  first.pause(both);  // as the engine does under backpressure

  // A second member takes one of the paused partitions, then leaves: it comes back to the first.
  topic_partition moved;
  {
    assignment_listener second_listener;
    kafka_source second(group_member_of_t(cluster), p);
    second.set_listener(&second_listener);
    ASSERT_TRUE(poll_until([&] { return first_listener.assigned.size() == 1 && second_listener.assigned.size() == 1; },
                           std::chrono::seconds(60), &second));
    moved = *second_listener.assigned.begin();
    second.close();
  }
  ASSERT_TRUE(poll_until([&] { return first_listener.assigned.size() == 2; }, std::chrono::seconds(60)));

  records.clear();
  produce_to(cluster, 0, 5);
  produce_to(cluster, 1, 5);
  const auto from = [&](const topic_partition& tp) {
    return std::count_if(records.begin(), records.end(), [&](const input_record& r) { return r.tp == tp; });
  };
  // The moved partition starts fetched (from the start: nothing was committed); the other one is
  // still paused by the engine and stays so.
  EXPECT_TRUE(poll_until([&] { return from(moved) >= 5; }, std::chrono::seconds(30)));
  const topic_partition kept = moved == both[0] ? both[1] : both[0];
  EXPECT_EQ(from(kept), 0);
  first.close();
}

// The lag series of the partitions this consumer holds, as the metrics probe keeps them.
class lag_probe : public probe {
 public:
  void set_consumer_lag(std::string_view topic, std::int32_t partition, std::int64_t lag) override {
    series[{std::string(topic), partition}] = lag;
  }
  void clear_consumer_lag(std::string_view topic, std::int32_t partition) override {
    series.erase({std::string(topic), partition});
  }
  std::map<std::pair<std::string, std::int32_t>, std::int64_t> series;
};

// A partition taken away has no lag series here any more: revoked, or lost when the coordinator
// stopped answering for longer than the session (a hung broker), though librdkafka's statistics
// go on listing it with this consumer's last position.
TEST(KafkaSourceTest, APartitionTakenAwayLosesItsLagSeries) {
  mock_cluster cluster("t", 2);
  produce_to(cluster, 0, 5);
  produce_to(cluster, 1, 5);
  lag_probe lags;
  source_options o = group_member_of_t(cluster);
  o.properties["group.id"] = "lag-test";
  o.properties["statistics.interval.ms"] = "100";
  assignment_listener listener;
  kafka_source consumer(o, lags);
  consumer.set_listener(&listener);
  std::vector<input_record> records;
  const auto poll_until = [&](auto done, std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < deadline) consumer.poll(records, std::chrono::milliseconds(50));
    return done();
  };
  ASSERT_TRUE(poll_until([&] { return lags.series.size() == 2; }, std::chrono::seconds(30)));

  // The broker hangs: every answer takes 10 s, longer than the 6 s session.
  rd_kafka_mock_broker_set_rtt(cluster.get(), 1, 10000);
  ASSERT_TRUE(poll_until([&] { return listener.assigned.empty(); }, std::chrono::seconds(30)));
  poll_until([] { return false; }, std::chrono::seconds(1));  // ten more statistics
  EXPECT_TRUE(lags.series.empty()) << lags.series.size() << " series left";

  rd_kafka_mock_broker_set_rtt(cluster.get(), 1, 0);
  EXPECT_TRUE(poll_until([&] { return lags.series.size() == 2; }, std::chrono::seconds(60)));
  consumer.close();
}

// The commits as the consumer reports them, counted by result.
class commit_probe : public probe {
 public:
  void on_commit(bool ok) override { ++(ok ? ok_ : failed_); }
  int ok_ = 0, failed_ = 0;
};

// One commit is counted once: librdkafka reports the committer's commit both on the committer's
// own queue and to the consumer's offset_commit_cb, and the two counted it twice.
TEST(KafkaSourceTest, ACommitIsCountedOnce) {
  mock_cluster cluster("t", 2);
  produce_to(cluster, 0, 5);
  commit_probe commits;
  assignment_listener listener;
  kafka_source source(group_member_of_t(cluster), commits);
  source.set_listener(&listener);
  std::vector<input_record> records;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (records.size() < 5 && std::chrono::steady_clock::now() < deadline) source.poll(records, std::chrono::milliseconds(50));
  ASSERT_EQ(records.size(), 5u);
  kafka_committer committer(source.handle(), std::chrono::seconds(10));
  committer.store(records.back().tp, offset{records.back().off.value + 1});
  ASSERT_TRUE(committer.commit());
  // Polling serves offset_commit_cb: until the commit is counted (a loaded machine may take a
  // while), then ten more polls for a second count.
  const auto counted_by = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (commits.ok_ == 0 && std::chrono::steady_clock::now() < counted_by) source.poll(records, std::chrono::milliseconds(50));
  for (int i = 0; i < 10; ++i) source.poll(records, std::chrono::milliseconds(50));
  EXPECT_EQ(commits.ok_, 1);
  EXPECT_EQ(commits.failed_, 0);
  source.close();
}

// librdkafka 2.0 (Debian 12's) aborts the process that destroys a cooperative-sticky member after
// the group answered its join and before its first assignment (librdkafka issue #4312, fixed in
// 2.3): a daemon stopped a moment after it started, or built again after a rebalance. The mock
// broker holds the member's SyncGroup answer back for 3 s, and the source is closed and destroyed
// inside that window: it waits for the assignment first, and the test process lives on.
constexpr std::int16_t sync_group_api = 14;  // Kafka protocol ApiKey of SyncGroup

// Polls `source` until the group has answered its join (the member knows its rebalance protocol).
bool joined(kafka_source& source) {
  std::vector<input_record> records;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  const auto cooperative = [&] { return std::string_view(rd_kafka_rebalance_protocol(source.handle())) == "COOPERATIVE"; };
  while (!cooperative() && std::chrono::steady_clock::now() < deadline) source.poll(records, std::chrono::milliseconds(10));
  return cooperative();
}

TEST(KafkaSourceTest, AMemberClosedBeforeItsFirstAssignmentWaitsForItAndLeavesCleanly) {
  mock_cluster cluster("t", 2);
  rd_kafka_mock_broker_push_request_error_rtts(cluster.get(), 1, sync_group_api, 1, RD_KAFKA_RESP_ERR_NO_ERROR, 3000);
  probe p;
  assignment_listener listener;
  auto source = std::make_unique<kafka_source>(group_member_of_t(cluster), p);
  source->set_listener(&listener);
  ASSERT_TRUE(joined(*source));
  ASSERT_FALSE(source->has_assignment());
  const auto closing = std::chrono::steady_clock::now();
  source.reset();  // closes, then destroys the handle
  // It waited for the assignment (the rest of the 3 s) and told the engine nothing of it.
  EXPECT_GT(std::chrono::steady_clock::now() - closing, std::chrono::milliseconds(500));
  EXPECT_EQ(listener.assignments, 0);
  EXPECT_FALSE(consumer_abandoned());
}

// No assignment within the wait (the SyncGroup answer held back 10 s against a wait of 1 s): the
// consumer is abandoned, never destroyed, and the process ends as main ends it then (std::_Exit).
// In a child process of its own, as the abandonment is for the rest of the process.
TEST(KafkaSourceTest, AMemberWhoseFirstAssignmentNeverComesIsAbandonedNotDestroyed) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        mock_cluster cluster("t", 2);
        rd_kafka_mock_broker_push_request_error_rtts(cluster.get(), 1, sync_group_api, 1, RD_KAFKA_RESP_ERR_NO_ERROR,
                                                     10000);
        probe p;
        auto options = group_member_of_t(cluster);
        options.first_assignment_wait = std::chrono::seconds(1);
        auto source = std::make_unique<kafka_source>(options, p);
        if (!joined(*source)) std::_Exit(2);
        source.reset();
        std::_Exit(consumer_abandoned() ? 0 : 3);
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace wirefeed::kafka
