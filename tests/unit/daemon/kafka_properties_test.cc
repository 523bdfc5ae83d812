// The librdkafka properties wirefeed builds from its configuration.
#include "daemon/kafka_properties.h"

#include <gtest/gtest.h>

#include <regex>

namespace wirefeed::kafka {
namespace {

cfg::config with_role(cfg::pipeline_role role) {
  cfg::config c;
  c.kafka.group_id = "newsroom";
  c.pipeline.role = role;
  return c;
}

TEST(KafkaPropertiesTest, TheStoryOwnerJoinsAsAStaticMemberAndExtractInstancesDoNot) {
  for (const auto role : {cfg::pipeline_role::all, cfg::pipeline_role::cluster}) {
    const auto p = live_consumer_properties(with_role(role));
    ASSERT_TRUE(p.contains("group.instance.id")) << cfg::to_string(role);
    EXPECT_EQ(p.at("group.instance.id"), "newsroom.story-owner");
    EXPECT_EQ(p.at("group.id"), "newsroom");
    EXPECT_EQ(p.at("session.timeout.ms"), "300000");  // rides out a broker hang of minutes
  }
  // Extract instances are many in one group: one id would fence all but one of them.
  EXPECT_FALSE(live_consumer_properties(with_role(cfg::pipeline_role::extract)).contains("group.instance.id"));
  // Replay and the changelog restore assign partitions and never join the group.
  EXPECT_FALSE(consumer_properties(with_role(cfg::pipeline_role::all)).contains("group.instance.id"));
}

TEST(KafkaPropertiesTest, KafkaConsumerPropertiesWin) {
  auto c = with_role(cfg::pipeline_role::all);
  c.kafka.consumer["group.instance.id"] = "desk-a";
  c.kafka.consumer["session.timeout.ms"] = "60000";
  const auto p = live_consumer_properties(c);
  EXPECT_EQ(p.at("group.instance.id"), "desk-a");
  EXPECT_EQ(p.at("session.timeout.ms"), "60000");
  EXPECT_EQ(p.at("partition.assignment.strategy"), "cooperative-sticky");
}

// At least once the consumer commits what the engine stored; exactly once the producer's
// transactions commit the positions, as the story owner's one stable transactional id (a restart
// aborts the open transaction of the instance before it) or, in the extract role, one per process.
TEST(KafkaPropertiesTest, ExactlyOnceCommitsThroughTransactionsAndNeverByTheConsumer) {
  auto c = with_role(cfg::pipeline_role::all);
  EXPECT_EQ(consumer_properties(c).at("enable.auto.commit"), "true");
  // Auto-commit sends only what wirefeed stored, once every output of the message is acknowledged.
  EXPECT_EQ(consumer_properties(c).at("enable.auto.offset.store"), "false");
  EXPECT_FALSE(producer_properties(c).contains("transactional.id"));
  EXPECT_EQ(consumer_properties(c).at("isolation.level"), "read_committed");

  c.pipeline.guarantee = cfg::processing_guarantee::exactly_once;
  EXPECT_EQ(consumer_properties(c).at("enable.auto.commit"), "false");
  EXPECT_EQ(consumer_properties(c).at("enable.auto.offset.store"), "false");
  EXPECT_EQ(producer_properties(c).at("transactional.id"), "newsroom.story-owner");
  EXPECT_EQ(producer_properties(c).at("enable.idempotence"), "true");
  c.pipeline.role = cfg::pipeline_role::cluster;
  EXPECT_EQ(producer_properties(c).at("transactional.id"), "newsroom.story-owner");

  c.pipeline.role = cfg::pipeline_role::extract;
  const auto extract_id = producer_properties(c).at("transactional.id");
  EXPECT_TRUE(extract_id.starts_with("newsroom.extract.")) << extract_id;
  // host, pid and a random part: two containers of one host name, each its pid 1, differ
  EXPECT_TRUE(std::regex_match(extract_id, std::regex(R"(newsroom\.extract\..*\.[0-9]+\.[0-9a-f]{16})"))) << extract_id;
  EXPECT_EQ(producer_properties(c).at("transactional.id"), extract_id);  // one per process
  c.kafka.producer["transactional.id"] = "newsroom.extract.desk-a";
  EXPECT_EQ(producer_properties(c).at("transactional.id"), "newsroom.extract.desk-a");
}

// librdkafka retries an undelivered record itself, in order, for message.timeout.ms; wirefeed never
// produces one again (it would land after newer records of its key). At least once that timeout
// is long enough to ride out a broker outage; exactly once it stays within the transaction's.
TEST(KafkaPropertiesTest, AtLeastOnceTheProducerRetriesForFifteenMinutes) {
  auto c = with_role(cfg::pipeline_role::all);
  EXPECT_EQ(producer_properties(c).at("message.timeout.ms"), "900000");
  c.kafka.producer["message.timeout.ms"] = "60000";
  EXPECT_EQ(producer_properties(c).at("message.timeout.ms"), "60000");
  c.kafka.producer.clear();
  c.pipeline.guarantee = cfg::processing_guarantee::exactly_once;
  EXPECT_FALSE(producer_properties(c).contains("message.timeout.ms"));
}

}  // namespace
}  // namespace wirefeed::kafka
