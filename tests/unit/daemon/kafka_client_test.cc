#include "daemon/kafka_client.h"

#include <gtest/gtest.h>

namespace wirefeed::kafka {
namespace {

TEST(LibrdkafkaLogLevelTest, SyslogLevelsMapToSpdlogs) {
  EXPECT_EQ(librdkafka_log_level(2, "X", "line"), spdlog::level::critical);
  EXPECT_EQ(librdkafka_log_level(3, "ERROR", "line"), spdlog::level::err);
  EXPECT_EQ(librdkafka_log_level(4, "REQTMOUT", "Timed out 1 in-flight request"), spdlog::level::warn);
  EXPECT_EQ(librdkafka_log_level(6, "CONFWARN", "line"), spdlog::level::info);
  EXPECT_EQ(librdkafka_log_level(7, "BROKER", "line"), spdlog::level::debug);
}

TEST(LibrdkafkaLogLevelTest, RetriedTransientBrokerStatesAreNoWarnings) {
  // A failed connection: the error callback reports it already.
  EXPECT_EQ(librdkafka_log_level(3, "FAIL", "127.0.0.1:9092/1: Connect to ipv4#127.0.0.1:9092 failed: Connection refused"),
            spdlog::level::debug);
  // A broker that has just started: the idempotent producer retries until its coordinator is up.
  EXPECT_EQ(librdkafka_log_level(4, "GETPID",
                                 "[thrd:main]: Failed to acquire idempotence PID from broker 127.0.0.1:9092/1: "
                                 "Broker: Coordinator load in progress: retrying"),
            spdlog::level::info);
  // Any other failure to get a producer id stays a warning.
  EXPECT_EQ(librdkafka_log_level(4, "GETPID",
                                 "[thrd:main]: Failed to acquire transactional PID from broker 127.0.0.1:9092/1: "
                                 "Broker: Transactional Id authorization failed"),
            spdlog::level::warn);
}

// librdkafka's statistics of a client with one broker (its bootstrap entry too): times in µs.
std::string stats_of(const char* state, int waiting, long rxidle) {
  return std::string(R"({"name": "c", "brokers": {"127.0.0.1:9092/bootstrap": {"state": "INIT", "waitresp_cnt": 0,
    "rxidle": -1, "stateage": 99000000}, "127.0.0.1:9092/1": {"state": ")") + state + R"(", "waitresp_cnt": )" +
         std::to_string(waiting) + R"(, "rxidle": )" + std::to_string(rxidle) + R"(, "stateage": 60000000}}})";
}

TEST(BrokersAnsweringTest, AnUpBrokerAnswersUnlessARequestHasWaitedLongerThanTheStall) {
  constexpr std::chrono::milliseconds stall{10000};
  EXPECT_TRUE(brokers_answering(stats_of("UP", 0, 30000000), stall));  // idle: nothing asked
  EXPECT_TRUE(brokers_answering(stats_of("UP", 3, 200000), stall));    // answering
  EXPECT_FALSE(brokers_answering(stats_of("UP", 3, 12000000), stall));  // hung: asked, no answer for 12 s
  EXPECT_FALSE(brokers_answering(stats_of("UP", 1, -1), stall));  // never answered since it came up a minute ago
  EXPECT_FALSE(brokers_answering(stats_of("DOWN", 0, 100), stall));
  EXPECT_FALSE(brokers_answering("not json", stall));
}

// A transactional produce refused as out of the transaction's state (the race with a newcomer's
// fencing: the producer learns it was fenced a moment later) says why as the fencing itself does.
TEST(FencedProducerHintTest, NamesTheNewcomerForFencingAndTheRefusedProduceOfItsRace) {
  for (const auto code : {RD_KAFKA_RESP_ERR__FENCED, RD_KAFKA_RESP_ERR_PRODUCER_FENCED,
                          RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH, RD_KAFKA_RESP_ERR_INVALID_TXN_STATE}) {
    const std::string hint = fenced_producer_hint(code, "g.story-owner");
    EXPECT_NE(hint.find("'g.story-owner' and took this one's place"), std::string::npos) << rd_kafka_err2str(code);
  }
  EXPECT_EQ(fenced_producer_hint(RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE, "g.story-owner"), "");
}

}  // namespace
}  // namespace wirefeed::kafka
