// kafka_sink against librdkafka's mock cluster (unit-level fault injection; the integration tests
// use a real broker): with the broker down and the producer's queue full, send() waits for room,
// and stop_waiting() ends the wait (a stop must not wait for an outage to end); a batch the broker
// refuses is not lost behind the next.
#include "daemon/kafka_sink.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "daemon/kafka_properties.h"
#include "daemon/startup_error.h"
#include "tests/unit/daemon/mock_cluster.h"

namespace wirefeed::kafka {
namespace {

TEST(KafkaSinkTest, ASendWaitingForRoomWhileTheBrokerIsDownGivesUpOnStopWaiting) {
  mock_cluster cluster("out", 1);
  {
    probe p;
    kafka_sink sink({{{"bootstrap.servers", cluster.bootstraps()},
                      {"enable.idempotence", "true"},
                      {"queue.buffering.max.messages", "2"},
                      {"log_level", "0"}},
                     {{output_kind::enriched, "out"}},
                     {},
                     nullptr},
                    p);
    rd_kafka_mock_broker_set_down(cluster.get(), 1);
    const auto record = [](const std::string& v) {
      output_record r;
      r.key = "k";
      r.value = v;
      return r;
    };
    sink.send(record("a"), [](const auto&) {});
    sink.send(record("b"), [](const auto&) {});  // the queue is full now

    std::atomic<bool> called{false};
    std::optional<delivery_error> error;
    std::thread sender([&] {
      sink.send(record("c"), [&](const std::optional<delivery_error>& e) {
        error = e;
        called = true;
      });
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_FALSE(called);  // waiting for room: never dropped
    sink.stop_waiting();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!called && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    EXPECT_TRUE(called) << "still waiting for room";
    rd_kafka_mock_broker_set_up(cluster.get(), 1);  // (if it still waits, the room it waits for)
    sender.join();
    EXPECT_TRUE(error && error->message.find("the stop gave up waiting for room") != std::string::npos)
        << (error ? error->message : "delivered");
  }  // the sink purges what is still queued
}

// Exactly once: the producer's first call, init_transactions, waits while the transaction
// coordinator is not ready (for up to two minutes). A signal stops that wait at once
// (startup_stopped, exit 0), and a coordinator that becomes ready in the meantime is waited for
// across the short steps the wait is made of.
TEST(KafkaSinkTest, InitialisingTransactionsWaitsForTheCoordinatorAndStopsOnASignal) {
  mock_cluster cluster("out", 1);
  const auto options = [&](const std::atomic<bool>* stop) {
    return sink_options{{{"bootstrap.servers", cluster.bootstraps()},
                         {"transactional.id", "wirefeed-test"},
                         {"log_level", "0"}},
                        {{output_kind::enriched, "out"}},
                        {},
                        stop};
  };
  constexpr std::int16_t init_producer_id_api_key = 22;  // the protocol's InitProducerId request
  const auto coordinator_loading = [&](std::size_t times) {
    const std::vector<rd_kafka_resp_err_t> errors(times, RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS);
    rd_kafka_mock_push_request_errors_array(cluster.get(), init_producer_id_api_key, errors.size(), errors.data());
  };
  probe p;

  coordinator_loading(10);  // a second or two of retries, over several of the wait's steps
  const auto ready_start = std::chrono::steady_clock::now();
  EXPECT_NO_THROW(kafka_sink sink(options(nullptr), p));
  EXPECT_GT(std::chrono::steady_clock::now() - ready_start, std::chrono::milliseconds(250));

  coordinator_loading(100000);  // never ready
  std::atomic<bool> stop{false};
  std::thread signal([&] {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    stop = true;
  });
  const auto stopped_start = std::chrono::steady_clock::now();
  EXPECT_THROW(kafka_sink sink(options(&stop), p), startup_stopped);
  EXPECT_LT(std::chrono::steady_clock::now() - stopped_start, std::chrono::seconds(10));
  signal.join();
}


// librdkafka 2.0 with more than one produce request in flight: a new producer's first batch that
// the broker refuses as "not leader" (a leader moving, a topic just created) is reported delivered
// once the next batch, sent beside it, is accepted (a broker takes any first sequence number from a
// producer it does not know yet), and that output is lost. wirefeed's producer keeps one request in
// flight: the refused batch is sent again, in order, and every output is stored.
TEST(KafkaSinkTest, ABatchRefusedByAMovingLeaderIsNotLostBehindTheNextOne) {
  // Outputs reported delivered and outputs the broker stored, of three sent as three batches.
  const auto delivered_and_stored = [](std::map<std::string, std::string> properties) {
    mock_cluster cluster("out", 1);
    properties["bootstrap.servers"] = cluster.bootstraps();
    properties["batch.num.messages"] = "1";  // a batch each
    properties["linger.ms"] = "50";          // all three queued before the first request goes
    properties["log_level"] = "0";
    probe p;
    kafka_sink sink({{properties}, {{output_kind::enriched, "out"}}, {}, nullptr}, p);
    constexpr std::int16_t produce_api_key = 0;  // the protocol's Produce request
    rd_kafka_mock_push_request_errors(cluster.get(), produce_api_key, 1, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION);
    std::atomic<int> delivered{0};
    for (const char* value : {"a", "b", "c"}) {
      output_record r;
      r.key = "k";
      r.value = value;
      sink.send(std::move(r), [&](const std::optional<delivery_error>& e) { delivered += e ? 0 : 1; });
    }
    EXPECT_TRUE(sink.flush(std::chrono::seconds(10)));
    std::int64_t low = -1, high = -1;
    EXPECT_EQ(rd_kafka_query_watermark_offsets(sink.handle(), "out", 0, &low, &high, 5000), RD_KAFKA_RESP_ERR_NO_ERROR);
    return std::pair{delivered.load(), high};
  };
  const auto properties = producer_properties(cfg::config{});
  EXPECT_EQ(delivered_and_stored(properties), std::pair(3, std::int64_t{3}));

  // The loss it avoids, with librdkafka's default of 5 (if this fails, the librdkafka in use no
  // longer loses the refused batch, and the setting could go).
  auto five = properties;
  five["max.in.flight.requests.per.connection"] = "5";
  EXPECT_EQ(delivered_and_stored(five), std::pair(3, std::int64_t{2}));
}

}  // namespace
}  // namespace wirefeed::kafka
