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

}  // namespace
}  // namespace wirefeed::kafka
