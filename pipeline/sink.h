#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "pipeline/record.h"

namespace wirefeed {

struct delivery_error {
  std::string message;
};

// Called exactly once per sent record, from any thread, when the record is durable (or will
// never be: the sink has already retried what could be retried, so any error is final).
using delivery_callback = std::function<void(const std::optional<delivery_error>& error)>;

// Where output records go: Kafka topics, or stdout/files. Thread-safe.
class sink {
 public:
  virtual ~sink() = default;
  virtual void send(output_record record, delivery_callback on_delivered) = 0;
  // Waits until every sent record has had its callback; false on timeout.
  virtual bool flush(std::chrono::milliseconds timeout) = 0;
  // From now on a send that would wait for room (the Kafka producer's queue full while the brokers
  // are unreachable) fails at once instead, with an error in its callback. A stop whose drain timed
  // out calls it: it must not wait for an outage to end. Any thread.
  virtual void stop_waiting() {}
};

}  // namespace wirefeed
