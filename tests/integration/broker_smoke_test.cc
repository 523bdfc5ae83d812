// Proves the "kafka" ctest fixture: the broker started by scripts/kafka-local.sh takes 100 messages
// on wire.raw partition 0 and gives them back, in order, to a consumer that assigns the partition.

#include <librdkafka/rdkafka.h>

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

// RAII for the librdkafka C handles: nothing below frees a handle by hand.
struct ConfDeleter {
  void operator()(rd_kafka_conf_t* c) const { rd_kafka_conf_destroy(c); }
};
struct ProducerDeleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
struct ConsumerDeleter {
  void operator()(rd_kafka_t* rk) const {
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
  }
};
struct MessageDeleter {
  void operator()(rd_kafka_message_t* m) const { rd_kafka_message_destroy(m); }
};
struct PartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* l) const { rd_kafka_topic_partition_list_destroy(l); }
};
using Conf = std::unique_ptr<rd_kafka_conf_t, ConfDeleter>;
using Producer = std::unique_ptr<rd_kafka_t, ProducerDeleter>;
using Consumer = std::unique_ptr<rd_kafka_t, ConsumerDeleter>;
using Message = std::unique_ptr<rd_kafka_message_t, MessageDeleter>;
using PartitionList = std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter>;

constexpr const char* kTopic = "wire.raw";
constexpr int32_t kPartition = 0;
constexpr int kMessages = 100;
constexpr int kTimeoutMs = 30'000;

std::string ReadBootstrap() {
  const char* path = std::getenv("WIREFEED_TEST_BOOTSTRAP_FILE");
  if (path == nullptr || *path == '\0') return {};
  std::ifstream in(path);
  std::string bootstrap;
  std::getline(in, bootstrap);
  return bootstrap;
}

// A configuration with every key=value set; nullptr (and a test failure) if one is rejected.
Conf MakeConf(std::initializer_list<std::pair<const char*, std::string>> settings) {
  Conf conf(rd_kafka_conf_new());
  std::array<char, 512> err{};
  for (const auto& [key, value] : settings) {
    if (rd_kafka_conf_set(conf.get(), key, value.c_str(), err.data(), err.size()) != RD_KAFKA_CONF_OK) {
      ADD_FAILURE() << "rd_kafka_conf_set(" << key << "): " << err.data();
      return nullptr;
    }
  }
  return conf;
}

// rd_kafka_new takes the configuration over only when it succeeds.
template <typename Handle>
Handle MakeClient(rd_kafka_type_t type, Conf conf) {
  std::array<char, 512> err{};
  Handle rk(rd_kafka_new(type, conf.get(), err.data(), err.size()));
  if (rk) {
    (void)conf.release();
  } else {
    ADD_FAILURE() << "rd_kafka_new: " << err.data();
  }
  return rk;
}

struct DeliveryReport {
  int delivered = 0;
  int failed = 0;
  std::string first_error;
};

void OnDelivery(rd_kafka_t* /*rk*/, const rd_kafka_message_t* msg, void* opaque) {
  auto* report = static_cast<DeliveryReport*>(opaque);
  if (msg->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    ++report->delivered;
  } else {
    if (report->failed++ == 0) report->first_error = rd_kafka_err2str(msg->err);
  }
}

std::string RunId() {
  std::random_device rd;
  return std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + "-" +
         std::to_string(rd());
}

std::string Payload(const std::string& run, int i) {
  return "wirefeed-smoke " + run + " #" + std::to_string(i);
}

class BrokerSmokeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    bootstrap_ = ReadBootstrap();
    ASSERT_FALSE(bootstrap_.empty())
        << "no bootstrap address: run through ctest (the kafka fixture writes the file named by "
           "WIREFEED_TEST_BOOTSTRAP_FILE)";
  }
  std::string bootstrap_;
};

TEST_F(BrokerSmokeTest, ProducesAndConsumesOnWireRawPartition0) {
  const std::string run = RunId();

  DeliveryReport report;
  Conf pconf = MakeConf({{"bootstrap.servers", bootstrap_},
                         {"enable.idempotence", "true"},
                         {"max.in.flight.requests.per.connection", "1"},  // as the daemon's (docs/operations.md)
                         {"linger.ms", "5"},
                         {"message.timeout.ms", std::to_string(kTimeoutMs)}});
  ASSERT_TRUE(pconf);
  rd_kafka_conf_set_dr_msg_cb(pconf.get(), OnDelivery);
  rd_kafka_conf_set_opaque(pconf.get(), &report);
  auto producer = MakeClient<Producer>(RD_KAFKA_PRODUCER, std::move(pconf));
  ASSERT_TRUE(producer);

  // Consume from the current end: earlier runs against the same broker may have left messages.
  int64_t low = 0;
  int64_t start = 0;
  ASSERT_EQ(rd_kafka_query_watermark_offsets(producer.get(), kTopic, kPartition, &low, &start, kTimeoutMs),
            RD_KAFKA_RESP_ERR_NO_ERROR)
      << "topic " << kTopic << " missing? the fixture creates it";

  for (int i = 0; i < kMessages; ++i) {
    const std::string key = std::to_string(i);
    const std::string value = Payload(run, i);
    const rd_kafka_resp_err_t err = rd_kafka_producev(
        producer.get(), RD_KAFKA_V_TOPIC(kTopic), RD_KAFKA_V_PARTITION(kPartition),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_KEY(key.data(), key.size()),
        RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()), RD_KAFKA_V_END);
    ASSERT_EQ(err, RD_KAFKA_RESP_ERR_NO_ERROR) << "produce #" << i << ": " << rd_kafka_err2str(err);
    rd_kafka_poll(producer.get(), 0);
  }
  ASSERT_EQ(rd_kafka_flush(producer.get(), kTimeoutMs), RD_KAFKA_RESP_ERR_NO_ERROR);
  EXPECT_EQ(report.failed, 0) << report.first_error;
  ASSERT_EQ(report.delivered, kMessages);

  Conf cconf = MakeConf({{"bootstrap.servers", bootstrap_},
                         {"group.id", "wirefeed-broker-smoke-" + run},
                         {"enable.auto.commit", "false"},
                         {"enable.partition.eof", "false"}});
  ASSERT_TRUE(cconf);
  auto consumer = MakeClient<Consumer>(RD_KAFKA_CONSUMER, std::move(cconf));
  ASSERT_TRUE(consumer);
  rd_kafka_poll_set_consumer(consumer.get());

  PartitionList assignment(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(assignment.get(), kTopic, kPartition)->offset = start;
  ASSERT_EQ(rd_kafka_assign(consumer.get(), assignment.get()), RD_KAFKA_RESP_ERR_NO_ERROR);

  std::vector<std::string> values;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kTimeoutMs);
  while (values.size() < kMessages && std::chrono::steady_clock::now() < deadline) {
    Message msg(rd_kafka_consumer_poll(consumer.get(), 500));
    if (!msg) continue;
    ASSERT_EQ(msg->err, RD_KAFKA_RESP_ERR_NO_ERROR) << rd_kafka_message_errstr(msg.get());
    ASSERT_EQ(std::string_view(rd_kafka_topic_name(msg->rkt)), kTopic);
    ASSERT_EQ(msg->partition, kPartition);
    const auto text = [](const void* data, size_t size) {
      return data == nullptr ? std::string() : std::string(static_cast<const char*>(data), size);
    };
    const std::string key = text(msg->key, msg->key_len);
    const std::string value = text(msg->payload, msg->len);
    ASSERT_EQ(key, std::to_string(values.size())) << "at offset " << msg->offset;
    ASSERT_EQ(msg->offset, start + static_cast<int64_t>(values.size()));
    values.push_back(value);
  }

  ASSERT_EQ(values.size(), static_cast<size_t>(kMessages)) << "timed out consuming";
  for (int i = 0; i < kMessages; ++i) EXPECT_EQ(values[static_cast<size_t>(i)], Payload(run, i));
}

}  // namespace
