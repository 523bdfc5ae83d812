#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "daemon/kafka_client.h"
#include "pipeline/probe.h"
#include "pipeline/sink.h"

namespace wirefeed::kafka {

struct sink_options {
  std::map<std::string, std::string> properties;  // librdkafka producer properties, final
  std::map<output_kind, std::string> topics;       // where each kind of output goes
  // Topics the process reads, checked with the outputs (one error names every topic missing),
  // before a transactional producer fences the instance before it.
  std::vector<std::string> inputs;
  // Set by a signal: the wait for a broker to answer gives up (startup_stopped).
  const std::atomic<bool>* stop = nullptr;
};

// An idempotent librdkafka producer as a pipeline sink. send() is thread-safe and never drops a
// record: when the local queue is full it waits for room (until stop_waiting()). Delivery reports are served by one
// thread the sink owns. librdkafka retries a record itself, in order, until message.timeout.ms
// (kafka_properties.h sets it for a long outage); a record it gives up on gets the error in its
// callback. It is never produced again from here: a second produce would land after records sent
// since, and a story's older state after its newer one on the compacted changelog.
//
// With a `transactional.id` property the producer is transactional (exactly once): the
// constructor initialises transactions (fencing an earlier producer of the same id and aborting
// its open transaction) and opens the first one; kafka_transaction commits them. A failed record's
// transaction can only abort.
class kafka_sink final : public sink {
 public:
  // Connects and checks the output topics exist. Throws startup_error.
  kafka_sink(sink_options options, probe& p);
  ~kafka_sink() override;

  void send(output_record record, delivery_callback on_delivered) override;
  bool flush(std::chrono::milliseconds timeout) override;
  void stop_waiting() override { stop_waiting_ = true; }

  // A broker answers (brokers_answering, by the last statistics) and no fatal error happened.
  // Any thread.
  bool connected() const { return connected_ && !fatal_; }
  // The producer, for kafka_transaction.
  rd_kafka_t* handle() const { return rk_.get(); }

 private:
  struct pending;
  static void delivery_report_cb(rd_kafka_t* rk, const rd_kafka_message_t* msg, void* opaque);
  static void error_cb(rd_kafka_t* rk, int err, const char* reason, void* opaque);
  static int stats_cb(rd_kafka_t* rk, char* json, size_t len, void* opaque);
  void begin_transactions(const std::string& id);
  rd_kafka_resp_err_t produce(pending* p);
  void on_delivery(const rd_kafka_message_t* msg);
  void done(pending* p);
  std::string topic_name(output_kind kind) const;
  // Why a record failed: `e`, or once the producer has stopped on a fatal error, that error (a
  // record it purged says only "purged"), a fence explained.
  std::string why_failed(const kafka_error& e) const;

  sink_options options_;
  probe& probe_;
  handle_ptr rk_;
  std::thread poller_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> connected_{false};
  std::atomic<bool> fatal_{false};
  std::atomic<bool> stop_waiting_{false};
  std::mutex mu_;
  std::condition_variable idle_;
  std::int64_t outstanding_ = 0;  // guarded by mu_
};

}  // namespace wirefeed::kafka
