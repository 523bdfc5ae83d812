#pragma once

#include <librdkafka/rdkafka.h>
#include <spdlog/common.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/record.h"

// RAII ownership of librdkafka handles and the error type every Kafka call returns. Only daemon/
// includes librdkafka.
namespace wirefeed::kafka {

struct kafka_error {
  rd_kafka_resp_err_t code = RD_KAFKA_RESP_ERR_NO_ERROR;
  std::string message;
  bool fatal = false;
  bool retriable = false;
};

struct handle_deleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
struct conf_deleter {
  void operator()(rd_kafka_conf_t* c) const { rd_kafka_conf_destroy(c); }
};
struct partition_list_deleter {
  void operator()(rd_kafka_topic_partition_list_t* l) const { rd_kafka_topic_partition_list_destroy(l); }
};
struct message_deleter {
  void operator()(rd_kafka_message_t* m) const { rd_kafka_message_destroy(m); }
};
struct headers_deleter {
  void operator()(rd_kafka_headers_t* h) const { rd_kafka_headers_destroy(h); }
};
struct metadata_deleter {
  void operator()(const rd_kafka_metadata_t* m) const { rd_kafka_metadata_destroy(m); }
};
struct error_deleter {
  void operator()(rd_kafka_error_t* e) const { rd_kafka_error_destroy(e); }
};
struct queue_deleter {
  void operator()(rd_kafka_queue_t* q) const { rd_kafka_queue_destroy(q); }
};
struct event_deleter {
  void operator()(rd_kafka_event_t* e) const { rd_kafka_event_destroy(e); }
};

using handle_ptr = std::unique_ptr<rd_kafka_t, handle_deleter>;
using conf_ptr = std::unique_ptr<rd_kafka_conf_t, conf_deleter>;
using partition_list_ptr = std::unique_ptr<rd_kafka_topic_partition_list_t, partition_list_deleter>;
using message_ptr = std::unique_ptr<rd_kafka_message_t, message_deleter>;
using headers_ptr = std::unique_ptr<rd_kafka_headers_t, headers_deleter>;
using metadata_ptr = std::unique_ptr<const rd_kafka_metadata_t, metadata_deleter>;
using error_ptr = std::unique_ptr<rd_kafka_error_t, error_deleter>;  // the transactional API's errors
using queue_ptr = std::unique_ptr<rd_kafka_queue_t, queue_deleter>;  // the admin API's results
using event_ptr = std::unique_ptr<rd_kafka_event_t, event_deleter>;

// Builds a librdkafka configuration from layered property maps (later maps win). Every property
// librdkafka rejects is reported, not just the first.
struct conf_result {
  conf_ptr conf;
  std::vector<std::string> errors;
};
conf_result make_conf(const std::vector<std::map<std::string, std::string>>& layers);

// What librdkafka refuses of a client's properties: every property it rejects on its own, else
// what creating the client finds of them together (`acks` against `enable.idempotence`, ...). The
// client made to find out is destroyed at once, before it has done anything. Empty when fine.
std::vector<std::string> client_config_errors(rd_kafka_type_t type, const std::map<std::string, std::string>& properties);

partition_list_ptr make_partition_list(const std::vector<topic_partition>& tps);
std::vector<topic_partition> to_topic_partitions(const rd_kafka_topic_partition_list_t* list);

// Converts a consumed message (which must carry no error) into an input record.
input_record to_input_record(const rd_kafka_message_t* msg);

// A response code as an error value, with librdkafka's fatal flag for `rk` when relevant.
kafka_error error_from(rd_kafka_resp_err_t code, rd_kafka_t* rk = nullptr);

// The spdlog level of one of librdkafka's log lines (syslog `level`, `facility`): make_conf sends
// them all through spdlog.
spdlog::level::level_enum librdkafka_log_level(int level, std::string_view facility, std::string_view line);

// From a client's statistics (JSON, statistics.interval.ms): whether a broker answers. A broker
// counts when its connection is up and not stalled, i.e. it has no request waiting for an answer,
// or it answered something within `stall`. A hung broker (a stopped process, a frozen VM, a
// network that drops packets) keeps its connection "UP" for a minute or more while nothing comes
// back.
bool brokers_answering(std::string_view stats_json, std::chrono::milliseconds stall);
// The stall the daemon's clients use (statistics every 5 s: /readyz notices a hung broker within
// about 15 s).
inline constexpr std::chrono::milliseconds broker_stall{10000};

// Exactly once: why a transactional producer of `transactional_id` failed with `code`, when
// another producer may have fenced it (fenced, an old epoch, or a produce refused as out of the
// transaction's state, which the fencing race gives); empty for any other code.
std::string fenced_producer_hint(rd_kafka_resp_err_t code, const std::string& transactional_id);

// Exactly once: why adding the input positions to a transaction failed with `code`, when the group
// no longer knows this member (its partitions lost: it missed its session); empty for any other code.
std::string lost_member_hint(rd_kafka_resp_err_t code);

// Partition counts of `topics` from a metadata request; an error naming every topic that is
// missing or that the broker answers about with an error. With `stop`, asked every 250 ms while no
// broker answers, and given up (`stopped`) once it is set: a stop while the brokers are down.
struct topic_partitions_result {
  std::vector<topic_partition> partitions;
  std::optional<kafka_error> error;
  bool stopped = false;
};
topic_partitions_result fetch_partitions(rd_kafka_t* rk, const std::vector<std::string>& topics, int timeout_ms,
                                         const std::atomic<bool>* stop = nullptr);

}  // namespace wirefeed::kafka
