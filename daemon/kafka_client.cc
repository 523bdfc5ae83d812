#include "daemon/kafka_client.h"

#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

namespace wirefeed::kafka {

// Syslog levels map to spdlog's. Two kinds of line librdkafka logs as warnings are no news:
// - a failed broker connection (facility FAIL): retried by librdkafka and already reported by
//   each client's error callback, so debug rather than twice in the log;
// - an idempotent producer's "Coordinator load in progress: retrying" (facility GETPID), which
//   a broker that has just started answers for a few seconds: info.
spdlog::level::level_enum librdkafka_log_level(int level, std::string_view facility, std::string_view line) {
  if (facility == "FAIL") return spdlog::level::debug;
  if (facility == "GETPID" && line.ends_with(": retrying") && line.find("load in progress") != std::string_view::npos) {
    return spdlog::level::info;
  }
  return level <= 2   ? spdlog::level::critical
         : level == 3 ? spdlog::level::err
         : level == 4 ? spdlog::level::warn
         : level <= 6 ? spdlog::level::info
                      : spdlog::level::debug;
}

namespace {

// librdkafka's own log lines, through spdlog: one format in the journal instead of librdkafka's
// "%3|1796298817.682|FAIL|..." lines next to ours.
void log_to_spdlog(const rd_kafka_t* rk, int level, const char* facility, const char* line) {
  spdlog::log(librdkafka_log_level(level, facility, line), "librdkafka {} {}: {}", rd_kafka_name(rk), facility, line);
}

}  // namespace

conf_result make_conf(const std::vector<std::map<std::string, std::string>>& layers) {
  conf_result out{conf_ptr(rd_kafka_conf_new()), {}};
  rd_kafka_conf_set_log_cb(out.conf.get(), &log_to_spdlog);
  std::map<std::string, std::string> merged;
  for (const auto& layer : layers) {
    for (const auto& [k, v] : layer) merged[k] = v;
  }
  char errstr[512];
  for (const auto& [k, v] : merged) {
    if (rd_kafka_conf_set(out.conf.get(), k.c_str(), v.c_str(), errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
      out.errors.push_back("librdkafka property '" + k + "': " + errstr);
    }
  }
  return out;
}

std::vector<std::string> client_config_errors(rd_kafka_type_t type, const std::map<std::string, std::string>& properties) {
  // Without brokers to connect to: the client tries none, so it logs nothing ("1/1 brokers are
  // down") in the moment it lives (kafka.bootstrap_servers is checked as a key of its own); and
  // its notice that it has none (CONFWARN, a notice) stays quiet.
  auto offline = properties;
  offline.erase("bootstrap.servers");
  offline["log_level"] = "4";
  auto conf = make_conf({offline});
  if (!conf.errors.empty()) return conf.errors;
  char errstr[512] = "";
  handle_ptr rk(rd_kafka_new(type, conf.conf.get(), errstr, sizeof errstr));
  if (!rk) return {errstr};
  conf.conf.release();  // owned by rk
  return {};
}

partition_list_ptr make_partition_list(const std::vector<topic_partition>& tps) {
  partition_list_ptr list(rd_kafka_topic_partition_list_new(static_cast<int>(tps.size())));
  for (const auto& tp : tps) rd_kafka_topic_partition_list_add(list.get(), tp.topic.c_str(), tp.partition.value);
  return list;
}

std::vector<topic_partition> to_topic_partitions(const rd_kafka_topic_partition_list_t* list) {
  std::vector<topic_partition> out;
  if (!list) return out;
  out.reserve(static_cast<std::size_t>(list->cnt));
  for (int i = 0; i < list->cnt; ++i) out.push_back({list->elems[i].topic, partition_id{list->elems[i].partition}});
  return out;
}

input_record to_input_record(const rd_kafka_message_t* msg) {
  input_record r;
  r.tp = {rd_kafka_topic_name(msg->rkt), partition_id{msg->partition}};
  r.off = offset{msg->offset};
  rd_kafka_timestamp_type_t ts_type;
  const auto ts = rd_kafka_message_timestamp(msg, &ts_type);
  r.timestamp_ms = ts_type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? 0 : ts;
  if (msg->key) r.key.assign(static_cast<const char*>(msg->key), msg->key_len);
  if (msg->payload) r.value.assign(static_cast<const char*>(msg->payload), msg->len);
  r.null_key = msg->key == nullptr;
  r.null_value = msg->payload == nullptr;
  rd_kafka_headers_t* hdrs = nullptr;
  if (rd_kafka_message_headers(msg, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR && hdrs) {
    const char* name;
    const void* value;
    size_t size;
    for (size_t i = 0; rd_kafka_header_get_all(hdrs, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i) {
      r.hdrs.emplace_back(name, value ? std::optional<std::string>(std::in_place, static_cast<const char*>(value), size)
                                      : std::nullopt);
    }
  }
  return r;
}

std::string fenced_producer_hint(rd_kafka_resp_err_t code, const std::string& transactional_id) {
  // INVALID_TXN_STATE: a produce the broker refused in the race with the newcomer's fencing
  // (the producer learns it was fenced a moment later), or in a transaction the broker aborted.
  if (code != RD_KAFKA_RESP_ERR__FENCED && code != RD_KAFKA_RESP_ERR_PRODUCER_FENCED &&
      code != RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH && code != RD_KAFKA_RESP_ERR_INVALID_TXN_STATE) {
    return {};
  }
  return " (another producer initialised transactions as '" + transactional_id +
         "' and took this one's place: run one instance of role all or cluster per group, and give "
         "each extract instance its own kafka.producer.transactional.id, if you set one; or this one's "
         "transaction was open longer than kafka.producer.transaction.timeout.ms, a pause or a hang, and the "
         "broker aborted it)";
}

std::string lost_member_hint(rd_kafka_resp_err_t code) {
  if (code != RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID && code != RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION) return {};
  return " (this member's partitions were lost to the group: it did not answer within "
         "kafka.consumer.session.timeout.ms (a pause, a hang) or poll within max.poll.interval.ms, and the group "
         "gave them to another member; the restart consumes from the committed positions)";
}

kafka_error error_from(rd_kafka_resp_err_t code, rd_kafka_t* rk) {
  kafka_error e;
  e.code = code;
  e.message = rd_kafka_err2str(code);
  if (code == RD_KAFKA_RESP_ERR__FATAL && rk) {
    char buf[512];
    const auto orig = rd_kafka_fatal_error(rk, buf, sizeof buf);
    e.fatal = true;
    e.message = std::string("fatal: ") + rd_kafka_err2str(orig) + ": " + buf;
  }
  switch (code) {
    case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT:
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
    case RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION:
    case RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS:
    case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND:
    case RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION:
      e.retriable = true;
      break;
    default:
      break;
  }
  return e;
}

topic_partitions_result fetch_partitions(rd_kafka_t* rk, const std::vector<std::string>& topics, int timeout_ms,
                                         const std::atomic<bool>* stop) {
  topic_partitions_result out;
  const rd_kafka_metadata_t* raw = nullptr;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
  const auto servers = [rk] {
    char text[1024] = "";
    std::size_t size = sizeof text;
    rd_kafka_conf_get(rd_kafka_conf(rk), "bootstrap.servers", text, &size);
    return std::string(text);
  };
  // Said once, early: the broker's own errors reach the log only when the wait is over.
  const auto say_waiting_at = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  bool said_waiting = false;
  for (;;) {
    if (!said_waiting && std::chrono::steady_clock::now() >= say_waiting_at) {
      spdlog::info("no answer yet from kafka.bootstrap_servers '{}': waiting up to {} s in all", servers(), timeout_ms / 1000);
      said_waiting = true;
    }
    // A quarter of a second at a time: a stop is seen within it, and so is the time to say so.
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    err = rd_kafka_metadata(rk, 1, nullptr, &raw, static_cast<int>(std::clamp<std::int64_t>(left.count(), 1, 250)));
    const bool unanswered = err == RD_KAFKA_RESP_ERR__TIMED_OUT || err == RD_KAFKA_RESP_ERR__TRANSPORT;
    if (!unanswered || std::chrono::steady_clock::now() >= deadline) break;
    if (stop && stop->load()) {
      out.stopped = true;
      return out;
    }
  }
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    out.error = error_from(err, rk);
    out.error->message = "metadata request to kafka.bootstrap_servers '" + servers() + "' failed within " +
                         std::to_string(timeout_ms / 1000) + " s: " + out.error->message;
    return out;
  }
  metadata_ptr md(raw);
  // Every topic that is missing, or that the broker answers about with another error (no
  // permission to describe it, say), in one message.
  std::string missing, others;
  std::size_t missing_count = 0;
  for (const auto& name : topics) {
    const rd_kafka_metadata_topic_t* found = nullptr;
    for (int i = 0; i < md->topic_cnt; ++i) {
      if (name == md->topics[i].topic) found = &md->topics[i];
    }
    if (!found || found->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
        (found->err == RD_KAFKA_RESP_ERR_NO_ERROR && found->partition_cnt == 0)) {
      missing += (missing.empty() ? "'" : ", '") + name + "'";
      ++missing_count;
    } else if (found->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      others += (others.empty() ? "topic '" : "; topic '") + name + "': " + rd_kafka_err2str(found->err);
    } else {
      for (int p = 0; p < found->partition_cnt; ++p) out.partitions.push_back({name, partition_id{found->partitions[p].id}});
    }
  }
  if (missing.empty() && others.empty()) return out;
  std::string message;
  if (!missing.empty()) {
    message = (missing_count == 1 ? "topic " + missing + " does not exist" : "topics " + missing + " do not exist") +
              " (wirefeed never creates topics)";
  }
  if (!others.empty()) message += (message.empty() ? "" : "; ") + others;
  out.error = kafka_error{RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, message, false, false};
  return out;
}

bool brokers_answering(std::string_view stats_json, std::chrono::milliseconds stall) {
  // {"brokers": {"<name>": {"state": "UP", "waitresp_cnt": N, "rxidle": µs or -1, "stateage": µs}}}
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element doc;
  simdjson::dom::object brokers;
  if (parser.parse(stats_json.data(), stats_json.size()).get(doc) != simdjson::SUCCESS ||
      doc["brokers"].get(brokers) != simdjson::SUCCESS) {
    return false;
  }
  const std::int64_t stall_us = static_cast<std::int64_t>(stall.count()) * 1000;
  for (auto field : brokers) {
    const simdjson::dom::element b = field.value;
    std::string_view state;
    if (b["state"].get(state) != simdjson::SUCCESS || state != "UP") continue;
    const auto number = [&](const char* name, std::int64_t otherwise) {
      std::int64_t v = otherwise;
      return b[name].get(v) == simdjson::SUCCESS ? v : otherwise;
    };
    const std::int64_t waiting = number("waitresp_cnt", 0), rxidle = number("rxidle", -1),
                       stateage = number("stateage", 0);
    // Nothing received yet on this connection: idle since it came up.
    const std::int64_t idle = rxidle >= 0 ? rxidle : stateage;
    if (waiting == 0 || idle < stall_us) return true;
  }
  return false;
}

}  // namespace wirefeed::kafka
