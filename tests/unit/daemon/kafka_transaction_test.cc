// kafka_transaction against librdkafka's mock cluster (unit-level fault injection; the integration
// tests use a real broker): the broker refusing the input positions because the group's generation
// moved on (a member joined or left while the transaction committed) is a `rebalanced` failure,
// which the daemon answers by starting the run afresh; any other refusal is not.
#include "daemon/kafka_transaction.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "daemon/kafka_client.h"
#include "daemon/kafka_sink.h"
#include "tests/unit/daemon/mock_cluster.h"

namespace wirefeed::kafka {
namespace {

constexpr std::int16_t txn_offset_commit_api_key = 28;  // the protocol's TxnOffsetCommit request

struct consumer_deleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};

// A consumer of group "g" on the cluster: the group metadata the positions are sent with.
std::unique_ptr<rd_kafka_t, consumer_deleter> group_member(const mock_cluster& cluster) {
  char errstr[256];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", cluster.bootstraps().c_str(), errstr, sizeof errstr);
  rd_kafka_conf_set(conf, "group.id", "g", errstr, sizeof errstr);
  rd_kafka_conf_set(conf, "log_level", "0", errstr, sizeof errstr);
  return std::unique_ptr<rd_kafka_t, consumer_deleter>(rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr));
}

TEST(KafkaTransactionTest, PositionsRefusedForAnOldGenerationAreARebalanceAndOthersAreNot) {
  mock_cluster cluster("out", 1);
  probe p;
  kafka_sink sink({{{"bootstrap.servers", cluster.bootstraps()}, {"transactional.id", "wirefeed-test"}, {"log_level", "0"}},
                   {{output_kind::enriched, "out"}},
                   {},
                   nullptr},
                  p);  // its transaction open
  const auto member = group_member(cluster);
  kafka_transaction txn(sink.handle(), member.get(), "wirefeed-test");
  const std::vector<std::pair<topic_partition, offset>> next{{{"out", partition_id{0}}, offset{5}}};

  EXPECT_EQ(txn.commit(next), std::nullopt);  // and the next transaction is open

  for (const auto refusal : {RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION, RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS}) {
    rd_kafka_mock_push_request_errors(cluster.get(), txn_offset_commit_api_key, 1, refusal);
    const auto failure = txn.commit(next);
    ASSERT_TRUE(failure);
    EXPECT_TRUE(failure->rebalanced) << failure->why;
    EXPECT_NE(failure->why.find("the consumer group rebalanced while the transaction committed"), std::string::npos)
        << failure->why;
    EXPECT_NE(failure->why.find("the transaction was aborted"), std::string::npos) << failure->why;
    const error_ptr begun{rd_kafka_begin_transaction(sink.handle())};  // as the next run's producer would
    ASSERT_FALSE(begun) << rd_kafka_error_string(begun.get());
  }

  rd_kafka_mock_push_request_errors(cluster.get(), txn_offset_commit_api_key, 1,
                                    RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED);
  const auto failure = txn.commit(next);
  ASSERT_TRUE(failure);
  EXPECT_FALSE(failure->rebalanced) << failure->why;
}

}  // namespace
}  // namespace wirefeed::kafka
