#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "pipeline/record.h"

namespace wirefeed {

// Told by a source, on the thread that calls `source::poll`, when its partitions change.
class source_listener {
 public:
  virtual ~source_listener() = default;
  virtual void on_assigned(const std::vector<topic_partition>& partitions) = 0;
  // Returns once the listener has drained or dropped all work of `partitions`; the source then
  // gives them up. `lost` means another consumer may already own them: commit nothing for them.
  virtual void on_revoked(const std::vector<topic_partition>& partitions, bool lost) = 0;
  // A bounded source has delivered everything it will ever deliver for `tp`.
  virtual void on_partition_end(const topic_partition& tp) = 0;
};

enum class poll_status { ok, end_of_input, fatal };

// Where input records come from: a Kafka consumer (live or replay), or files. Every method is
// called from one thread, the engine's poll thread.
class source {
 public:
  virtual ~source() = default;
  virtual void set_listener(source_listener* listener) = 0;
  // Appends what arrived within `timeout` to `out`. `end_of_input` once a bounded source is
  // exhausted; `fatal` when it cannot go on (`last_error()` says why).
  virtual poll_status poll(std::vector<input_record>& out, std::chrono::milliseconds timeout) = 0;
  virtual void pause(const std::vector<topic_partition>& partitions) = 0;
  virtual void resume(const std::vector<topic_partition>& partitions) = 0;
  // Leaves the group / closes files; revocation callbacks may run from inside.
  virtual void close() = 0;
  virtual std::string last_error() const = 0;
};

}  // namespace wirefeed
