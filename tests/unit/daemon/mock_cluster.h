#pragma once

// librdkafka's mock cluster, for unit-level fault injection (the integration tests use a real
// broker).
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <memory>
#include <string>

namespace wirefeed::kafka {

// A one-broker mock cluster with one topic, owned by a client handle of its own.
class mock_cluster {
 public:
  mock_cluster(const std::string& topic, int partitions) {
    char errstr[256];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "log_level", "0", errstr, sizeof errstr);
    owner_.reset(rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr));
    cluster_ = rd_kafka_mock_cluster_new(owner_.get(), 1);
    rd_kafka_mock_topic_create(cluster_, topic.c_str(), partitions, 1);
  }
  ~mock_cluster() { rd_kafka_mock_cluster_destroy(cluster_); }
  mock_cluster(const mock_cluster&) = delete;
  mock_cluster& operator=(const mock_cluster&) = delete;

  rd_kafka_mock_cluster_t* get() const { return cluster_; }
  std::string bootstraps() const { return rd_kafka_mock_cluster_bootstraps(cluster_); }

 private:
  struct destroy {
    void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
  };
  std::unique_ptr<rd_kafka_t, destroy> owner_;
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
};

}  // namespace wirefeed::kafka
