// kafka_source against librdkafka's mock cluster (unit-level fault injection; the integration
// tests use a real broker): a replay, or the changelog restore, must start through the "not
// leader" answers a topic created a moment ago gives while its leader is being elected.
#include "daemon/kafka_source.h"

#include <gtest/gtest.h>
#include <librdkafka/rdkafka_mock.h>

#include <chrono>
#include <memory>
#include <vector>

#include "daemon/startup_error.h"

namespace wirefeed::kafka {
namespace {

constexpr std::int16_t list_offsets_api = 2;  // Kafka protocol ApiKey of ListOffsets

// A one-broker mock cluster with topic "t" (2 partitions), owned by a handle of its own.
class mock_cluster {
 public:
  mock_cluster() {
    char errstr[256];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "log_level", "0", errstr, sizeof errstr);
    owner_.reset(rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr));
    cluster_ = rd_kafka_mock_cluster_new(owner_.get(), 1);
    rd_kafka_mock_topic_create(cluster_, "t", 2, 1);
  }
  ~mock_cluster() { rd_kafka_mock_cluster_destroy(cluster_); }
  mock_cluster(const mock_cluster&) = delete;
  mock_cluster& operator=(const mock_cluster&) = delete;

  rd_kafka_mock_cluster_t* get() const { return cluster_; }
  source_options replay_of_t() const {
    source_options o;
    o.properties = {{"bootstrap.servers", rd_kafka_mock_cluster_bootstraps(cluster_)},
                    {"group.id", "replay-test"},
                    {"log_level", "0"}};
    o.topics = {"t"};
    o.range = range_bounds{};
    return o;
  }

 private:
  struct destroy {
    void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
  };
  std::unique_ptr<rd_kafka_t, destroy> owner_;
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
};

TEST(KafkaSourceTest, AReplayStartsThroughTransientNotLeaderAnswers) {
  mock_cluster cluster;
  rd_kafka_mock_push_request_errors(cluster.get(), list_offsets_api, 4, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
                                    RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
                                    RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
                                    RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION);
  probe p;
  std::unique_ptr<kafka_source> source;
  ASSERT_NO_THROW(source = std::make_unique<kafka_source>(cluster.replay_of_t(), p));
  source->close();
}

TEST(KafkaSourceTest, AReplayFailsAtOnceOnAnErrorThatWillNotPass) {
  mock_cluster cluster;
  // More than any retry inside librdkafka could use up: the error is what the start-up sees.
  const std::vector<rd_kafka_resp_err_t> errors(64, RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED);
  rd_kafka_mock_push_request_errors_array(cluster.get(), list_offsets_api, errors.size(), errors.data());
  probe p;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(kafka_source(cluster.replay_of_t(), p), startup_error);
  // Not asked again for the 15 s a transient answer gets (a generous bound, not a speed goal).
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

}  // namespace
}  // namespace wirefeed::kafka
