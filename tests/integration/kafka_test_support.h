#pragma once

// What the integration tests need around a real broker: topics, producing, reading everything back,
// committed offsets, the daemon as a child process, and plain HTTP GETs. Reuses the daemon's RAII
// librdkafka wrappers.

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "daemon/kafka_client.h"
#include "pipeline/record.h"

namespace wirefeed::it {

// The broker of the ctest "kafka" fixture (WIREFEED_TEST_BOOTSTRAP_FILE); empty if not set.
std::string bootstrap();
// The daemon binary (WIREFEED_BIN) and the source tree (WIREFEED_TEST_SOURCE_DIR).
std::string daemon_binary();
std::string source_dir();
// A name no earlier test run used, for topics and groups: "<base>-<pid>-<counter>".
std::string unique_name(const std::string& base);

// Stops the fixture's broker (SIGTERM: a clean shutdown), runs `while_down`, keeps it down for
// `down` more, and starts it again on the same ports and data (scripts/kafka-local.sh). Throws if
// it does not come back.
void restart_broker(std::chrono::seconds down, const std::function<void()>& while_down = {});

// Freezes the fixture's broker (SIGSTOP: its connections stay open and nothing answers, as in a
// hung VM), runs `while_frozen`, keeps it frozen for `frozen` more, and lets it go on (SIGCONT).
void freeze_broker(std::chrono::seconds frozen, const std::function<void()>& while_frozen = {});

// Creates the topics (name -> partitions) and waits until every partition has a leader.
// Topics named *.changelog are created compacted (cleanup.policy=compact), like the daemon's.
void create_topics(const std::map<std::string, int>& topics);

struct message {
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  std::string key;
  std::string value;
  headers hdrs;
  bool null_key = false;
  bool null_value = false;
};

// Produces each record to its partition and waits for every delivery (throws on failure). With
// `in_transaction`, in one committed Kafka transaction: its commit marker takes an offset of each
// partition written, which a reader never sees as a record.
struct outgoing {
  std::int32_t partition = 0;
  std::string key;
  std::string value;
  headers hdrs;
  bool null_key = false;    // produce a null key / value instead of `key` / `value`
  bool null_value = false;
};
void produce(const std::string& topic, const std::vector<outgoing>& records, bool in_transaction = false);

// Reads every partition of `topic` from the beginning until `count` messages arrived or `timeout`
// passed; returns what arrived, in per-partition order.
std::vector<message> consume_all(const std::string& topic, std::size_t count, std::chrono::seconds timeout);
// Reads every partition of `topic` from the beginning to its end as of now (its committed records:
// end offsets count transaction markers too), or until `timeout` passed.
std::vector<message> consume_to_end(const std::string& topic, std::chrono::seconds timeout);

// End offsets (high watermarks) and the group's committed offsets, per partition.
std::map<std::int32_t, std::int64_t> end_offsets(const std::string& topic);
std::map<std::int32_t, std::int64_t> committed_offsets(const std::string& group, const std::string& topic);

// A free TCP port on 127.0.0.1 (bound once and released).
int free_port();

// GET http://127.0.0.1:<port><path>; status 0 if the connection failed.
struct http_response {
  int status = 0;
  std::string body;
};
http_response http_get(int port, const std::string& path);

// The value of a Prometheus sample line `name{labels} value` in an exposition, summed over all
// series whose labels contain every `label_filter` fragment (e.g. `topic="wire.raw"`).
double metric_value(const std::string& exposition, const std::string& name,
                    const std::vector<std::string>& label_filters = {});

// The wirefeed daemon as a child process, output to a log file.
class daemon_process {
 public:
  // stdout and stderr to `log_path`, or stdout to `stdout_path` when one is given.
  daemon_process(const std::vector<std::string>& args, const std::string& log_path, const std::string& stdout_path = "");
  ~daemon_process();  // SIGKILLs it if still running
  void signal(int signo);
  // Waits for exit; the exit code, or nothing on timeout. 128+N when killed by signal N.
  std::optional<int> wait(std::chrono::seconds timeout);
  bool running();
  std::string log() const;

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::string log_path_;
};

// Polls `fn` every 100 ms until it returns true or `timeout` passes.
bool eventually(const std::function<bool()>& fn, std::chrono::seconds timeout);

}  // namespace wirefeed::it
