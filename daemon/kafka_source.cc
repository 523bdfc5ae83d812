#include "daemon/kafka_source.h"

#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

#include "daemon/startup_error.h"

namespace wirefeed::kafka {
namespace {

// Answers a broker gives while a partition's leadership is settling (a topic created a moment
// ago, a broker restarting): worth asking again.
bool transient(rd_kafka_resp_err_t err) {
  switch (err) {
    case RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION:
    case RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
    case RD_KAFKA_RESP_ERR_FENCED_LEADER_EPOCH:
    case RD_KAFKA_RESP_ERR_UNKNOWN_LEADER_EPOCH:
    case RD_KAFKA_RESP_ERR_OFFSET_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
    case RD_KAFKA_RESP_ERR__TRANSPORT:
      return true;
    default:
      return false;
  }
}

// Runs `request` (returning a librdkafka error code) again every 200 ms while its answer is
// transient, for up to 15 s; returns the last answer. Throws startup_stopped once `stop` is set.
template <class Request>
rd_kafka_resp_err_t retrying(Request&& request, const std::atomic<bool>* stop) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  for (;;) {
    const rd_kafka_resp_err_t err = request();
    if (!transient(err) || std::chrono::steady_clock::now() >= deadline) return err;
    if (stop != nullptr && *stop) throw startup_stopped();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

}  // namespace

kafka_source::kafka_source(source_options options, probe& p) : options_(std::move(options)), probe_(p) {
  auto props = options_.properties;
  if (options_.range) {
    // Replay reads alone and leaves the live group's offsets alone.
    props["enable.auto.commit"] = "false";
  }
  auto conf = make_conf({props});
  if (!conf.errors.empty()) {
    std::string all;
    for (const auto& e : conf.errors) all += "\n  " + e;
    throw startup_error("kafka consumer configuration:" + all);
  }
  rd_kafka_conf_set_opaque(conf.conf.get(), this);
  if (!options_.range) {
    rd_kafka_conf_set_rebalance_cb(conf.conf.get(), &kafka_source::rebalance_cb);
    rd_kafka_conf_set_offset_commit_cb(conf.conf.get(), &kafka_source::offset_commit_cb);
  }
  rd_kafka_conf_set_stats_cb(conf.conf.get(), &kafka_source::stats_cb);
  rd_kafka_conf_set_error_cb(conf.conf.get(), &kafka_source::error_cb);

  char errstr[512];
  rk_.reset(rd_kafka_new(RD_KAFKA_CONSUMER, conf.conf.get(), errstr, sizeof errstr));
  if (!rk_) throw startup_error(std::string("cannot create kafka consumer: ") + errstr);
  conf.conf.release();  // owned by rk_ now
  rd_kafka_poll_set_consumer(rk_.get());

  // Fail at start-up, not later, if the broker is unreachable or an input topic is missing.
  auto parts = fetch_partitions(rk_.get(), options_.topics, 15000, options_.stop);
  if (parts.stopped) throw startup_stopped();
  if (parts.error) throw startup_error("kafka consumer: " + parts.error->message);

  if (options_.range) {
    for (const auto& tp : parts.partitions) range_[tp] = {};
    for (auto& [tp, r] : range_) {
      int64_t low = 0, high = 0;
      const char* topic = tp.topic.c_str();  // (clang 14 captures no structured binding)
      const std::int32_t partition = tp.partition.value;
      auto err = retrying([&] {
        return rd_kafka_query_watermark_offsets(rk_.get(), topic, partition, &low, &high, 15000);
      }, options_.stop);
      if (err) throw startup_error("offsets of " + tp.topic + " [" + std::to_string(partition) + "]: " + rd_kafka_err2str(err));
      r.start = low;
      r.end = high;
    }
    auto resolve = [&](std::int64_t ms, bool is_start) {
      auto list = make_partition_list(parts.partitions);
      std::string failed;  // the partition whose answer was an error
      auto err = retrying([&] {
        for (int i = 0; i < list->cnt; ++i) list->elems[i].offset = ms;  // the call overwrites them
        failed.clear();
        if (auto all = rd_kafka_offsets_for_times(rk_.get(), list.get(), 15000)) return all;
        // One partition's error (a leader moving) leaves its offset at -1, which would read as "no
        // message at or after that time": asked again, or an error, never taken as an answer.
        for (int i = 0; i < list->cnt; ++i) {
          if (list->elems[i].err) {
            failed = std::string(" (") + list->elems[i].topic + " [" + std::to_string(list->elems[i].partition) + "])";
            return list->elems[i].err;
          }
        }
        return RD_KAFKA_RESP_ERR_NO_ERROR;
      }, options_.stop);
      if (err) throw startup_error(std::string("offsets for time: ") + rd_kafka_err2str(err) + failed);
      for (int i = 0; i < list->cnt; ++i) {
        auto& r = range_[{list->elems[i].topic, partition_id{list->elems[i].partition}}];
        // -1: no message at or after that time: the range ends (or starts) at the current end.
        const std::int64_t off = list->elems[i].offset < 0 ? r.end : list->elems[i].offset;
        (is_start ? r.start : r.end) = std::max(r.start, std::min(off, r.end));
      }
    };
    if (options_.range->from_ms) resolve(*options_.range->from_ms, true);
    if (options_.range->to_ms) resolve(*options_.range->to_ms, false);
    for (auto& [tp, r] : range_) {
      r.end = std::max(r.start, r.end);
      range_total_ += r.end - r.start;
    }
  } else {
    auto topics = rd_kafka_topic_partition_list_new(static_cast<int>(options_.topics.size()));
    partition_list_ptr list(topics);
    for (const auto& t : options_.topics) rd_kafka_topic_partition_list_add(list.get(), t.c_str(), RD_KAFKA_PARTITION_UA);
    if (auto err = rd_kafka_subscribe(rk_.get(), list.get())) {
      throw startup_error(std::string("kafka subscribe: ") + rd_kafka_err2str(err));
    }
  }
}

kafka_source::~kafka_source() { close(); }

void kafka_source::start_range() {
  range_started_ = true;
  std::vector<topic_partition> tps;
  for (const auto& [tp, r] : range_) tps.push_back(tp);
  listener_->on_assigned(tps);
  auto list = make_partition_list(tps);
  for (int i = 0; i < list->cnt; ++i) {
    list->elems[i].offset = range_.at({list->elems[i].topic, partition_id{list->elems[i].partition}}).start;
  }
  if (auto err = rd_kafka_assign(rk_.get(), list.get())) {
    last_error_ = std::string("replay assign: ") + rd_kafka_err2str(err);
  }
  assigned_.insert(tps.begin(), tps.end());  // callbacks run on this thread, inside poll()
  has_assignment_ = true;
  range_open_ = range_.size();
  for (auto& [tp, r] : range_) {
    if (r.start >= r.end) end_partition(tp);
  }
}

std::int64_t kafka_source::range_covered() const {
  std::int64_t covered = 0;
  for (const auto& [tp, r] : range_) covered += r.ended ? r.end - r.start : std::max<std::int64_t>(r.next - r.start, 0);
  return covered;
}

void kafka_source::end_partition(const topic_partition& tp) {
  auto& r = range_.at(tp);
  if (r.ended) return;
  r.ended = true;
  --range_open_;
  auto list = make_partition_list({tp});
  rd_kafka_pause_partitions(rk_.get(), list.get());
  listener_->on_partition_end(tp);
}

poll_status kafka_source::poll(std::vector<input_record>& out, std::chrono::milliseconds timeout) {
  if (options_.range && !range_started_) start_range();
  if (options_.range && range_open_ == 0) return poll_status::end_of_input;
  if (!last_error_.empty()) return poll_status::fatal;

  int wait_ms = static_cast<int>(timeout.count());
  while (out.size() < options_.max_batch) {
    message_ptr msg(rd_kafka_consumer_poll(rk_.get(), wait_ms));
    wait_ms = 0;  // after the first message, take only what is already here
    if (!msg) break;
    if (msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      const topic_partition tp{rd_kafka_topic_name(msg->rkt), partition_id{msg->partition}};
      if (!options_.range) {
        listener_->on_partition_end(tp);  // caught up for now: the merge need not wait for it
      } else if (auto it = range_.find(tp); it != range_.end() && msg->offset >= it->second.end) {
        end_partition(tp);
      }
      continue;
    }
    if (msg->err) {
      const auto e = error_from(msg->err, rk_.get());
      if (e.fatal) {
        last_error_ = explained(e.message);
        return poll_status::fatal;
      }
      spdlog::warn("kafka consumer: {}", rd_kafka_message_errstr(msg.get()));
      continue;
    }
    if (options_.range) {
      const topic_partition tp{rd_kafka_topic_name(msg->rkt), partition_id{msg->partition}};
      auto it = range_.find(tp);
      if (it == range_.end() || it->second.ended) continue;
      if (msg->offset >= it->second.end) {
        end_partition(tp);
        continue;
      }
      out.push_back(to_input_record(msg.get()));
      it->second.next = msg->offset + 1;
      if (msg->offset + 1 >= it->second.end) end_partition(tp);
      continue;
    }
    out.push_back(to_input_record(msg.get()));
  }
  if (options_.range && range_open_ == 0) return poll_status::end_of_input;
  return poll_status::ok;
}

void kafka_source::pause(const std::vector<topic_partition>& partitions) {
  auto list = make_partition_list(partitions);
  rd_kafka_pause_partitions(rk_.get(), list.get());
  paused_.insert(partitions.begin(), partitions.end());
}

void kafka_source::resume(const std::vector<topic_partition>& partitions) {
  std::vector<topic_partition> open;
  for (const auto& tp : partitions) {
    if (auto it = range_.find(tp); it != range_.end() && it->second.ended) continue;
    open.push_back(tp);
  }
  auto list = make_partition_list(open);
  rd_kafka_resume_partitions(rk_.get(), list.get());
  for (const auto& tp : partitions) paused_.erase(tp);
}

namespace {

// Held while a callback runs, so that abandoning a consumer can wait out one in progress; after
// `abandoned` is set, callbacks return at once (their kafka_source may be gone).
std::recursive_mutex callbacks_mu;
std::atomic<bool> abandoned{false};

}  // namespace

bool consumer_abandoned() { return abandoned; }

void kafka_source::close() {
  if (closed_ || !rk_) return;
  closed_ = true;
  if (options_.range) {
    if (listener_ && range_started_) {
      std::vector<topic_partition> tps;
      for (const auto& [tp, r] : range_) tps.push_back(tp);
      listener_->on_revoked(tps, true);  // replay commits nothing
    }
    rd_kafka_assign(rk_.get(), nullptr);
  } else if (!await_first_assignment()) {
    abandon();
    spdlog::warn("kafka consumer: the group answered this member's join but gave it no assignment within {} ms; ending "
                 "without leaving (librdkafka before 2.3 aborts on closing such a member, issue #4312): the group "
                 "drops it after session.timeout.ms",
                 options_.first_assignment_wait.count());
    return;
  }
  // For the group: leaves it, running the revoke callback for what is still assigned.
  if (options_.close_timeout.count() == 0) {
    if (auto err = rd_kafka_consumer_close(rk_.get())) spdlog::warn("kafka consumer close: {}", rd_kafka_err2str(err));
    return;
  }
  auto result = std::make_shared<std::promise<rd_kafka_resp_err_t>>();
  auto closed = result->get_future();
  std::thread closer([rk = rk_.get(), result] { result->set_value(rd_kafka_consumer_close(rk)); });
  if (closed.wait_for(options_.close_timeout) == std::future_status::ready) {
    closer.join();
    if (auto err = closed.get()) spdlog::warn("kafka consumer close: {}", rd_kafka_err2str(err));
    return;
  }
  abandon();
  closer.detach();  // the handle is still in the closing thread's hands
  spdlog::warn("kafka consumer: close not done within {} ms (group coordinator unreachable?); ending without it: the "
               "group drops this member after session.timeout.ms, and what was not committed is consumed again",
               options_.close_timeout.count());
}

bool kafka_source::await_first_assignment() {
  // rd_kafka_version() 0xMMmmrrxx: fixed in 2.3.0.
  // The assignor's state exists from the first assignment on, also after one is lost.
  if (ever_assigned_ || rd_kafka_version() >= 0x020300ff) return true;
  // "NONE" until the group answers the join. A race stays: an answer that comes after this read,
  // during the close, is not waited for.
  if (!cooperative()) return true;
  spdlog::info("kafka consumer: waiting for the group's first assignment before leaving (librdkafka issue #4312)");
  const auto deadline = std::chrono::steady_clock::now() + options_.first_assignment_wait;
  while (!ever_assigned_ && std::chrono::steady_clock::now() < deadline) {
    // Nothing is consumed: a message is let go unstored, and the next owner reads it again.
    if (rd_kafka_message_t* m = rd_kafka_consumer_poll(rk_.get(), 50)) rd_kafka_message_destroy(m);
  }
  return ever_assigned_ || !cooperative();
}

bool kafka_source::cooperative() const {
  const char* protocol = rd_kafka_rebalance_protocol(rk_.get());  // null without a group
  return protocol != nullptr && std::strcmp(protocol, "COOPERATIVE") == 0;
}

void kafka_source::abandon() {
  abandoned = true;
  { std::lock_guard wait_out(callbacks_mu); }
  (void)rk_.release();  // never destroyed
}

void kafka_source::rebalance_cb(rd_kafka_t*, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts,
                                void* opaque) {
  std::lock_guard lock(callbacks_mu);
  if (abandoned) return;
  static_cast<kafka_source*>(opaque)->on_rebalance(err, parts);
}

void kafka_source::on_rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts) {
  const auto tps = to_topic_partitions(parts);
  const bool cooperative = this->cooperative();
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    spdlog::info("kafka: assigned {} partition(s)", tps.size());
    // librdkafka keeps a partition's pause across an unassign and a new assign, while the engine
    // forgets what it paused when a partition is revoked: a partition paused when it went and
    // assigned back to this consumer would never be fetched again. It starts fetched.
    // - Only a paused one is resumed: librdkafka before 2.4 bumps the fetch version of a partition
    //   resumed that was not paused, and can restart its fetch from an older position (#4637).
    // - It is resumed before it is assigned. A resume takes a version and queues its op in two
    //   steps; a fetch start that librdkafka's own thread issues for an assigned partition in
    //   between makes the resume outdated, and the partition stays paused (seen once in a
    //   sanitized unit run). Before the assign, nothing else is issued for the partition.
    std::vector<topic_partition> held;
    for (const auto& tp : tps) {
      if (paused_.contains(tp)) held.push_back(tp);
    }
    if (!held.empty()) resume(held);
    // While closing (await_first_assignment), the partitions are taken only to be given back.
    if (listener_ && !tps.empty() && !closed_) listener_->on_assigned(tps);
    rd_kafka_error_t* error = nullptr;
    rd_kafka_resp_err_t code = RD_KAFKA_RESP_ERR_NO_ERROR;
    if (cooperative) {
      error = rd_kafka_incremental_assign(rk_.get(), parts);
    } else {
      code = rd_kafka_assign(rk_.get(), parts);
    }
    if (error) {
      last_error_ = std::string("incremental assign: ") + rd_kafka_error_string(error);
      rd_kafka_error_destroy(error);
    } else if (code) {
      last_error_ = std::string("assign: ") + rd_kafka_err2str(code);
    }
    assigned_.insert(tps.begin(), tps.end());
    has_assignment_ = true;
    ever_assigned_ = true;
    return;
  }
  const bool lost = rd_kafka_assignment_lost(rk_.get());
  spdlog::info("kafka: {} {} partition(s)", lost ? "lost" : "revoked", tps.size());
  for (const auto& tp : tps) {
    assigned_.erase(tp);
    probe_.clear_consumer_lag(tp.topic, tp.partition.value);
  }
  if (lost) lost_at_ = std::chrono::steady_clock::now();
  if (listener_ && !tps.empty()) listener_->on_revoked(tps, lost);
  if (cooperative) {
    if (auto* error = rd_kafka_incremental_unassign(rk_.get(), parts)) {
      spdlog::warn("kafka incremental unassign: {}", rd_kafka_error_string(error));
      rd_kafka_error_destroy(error);
    }
  } else {
    rd_kafka_assign(rk_.get(), nullptr);
  }
  // An empty assignment after a full revoke still counts as "joined"; only a lost one does not.
  if (lost) has_assignment_ = false;
}

int kafka_source::stats_cb(rd_kafka_t*, char* json, size_t len, void* opaque) {
  std::lock_guard lock(callbacks_mu);
  if (!abandoned) static_cast<kafka_source*>(opaque)->on_stats(std::string_view(json, len));
  return 0;  // librdkafka frees json
}

void kafka_source::on_stats(std::string_view json) {
  answering_ = kafka::brokers_answering(json, broker_stall);
  for (const auto& p : partition_lags(json)) {
    if (p.lag && assigned_.contains(topic_partition{p.topic, partition_id{p.partition}})) {
      probe_.set_consumer_lag(p.topic, p.partition, *p.lag);
    } else {
      probe_.clear_consumer_lag(p.topic, p.partition);
    }
  }
}

std::vector<partition_lag> partition_lags(std::string_view stats_json) {
  // {"topics": {"<topic>": {"partitions": {"<id>": {"partition": N, "fetch_state": "active",
  // "ls_offset": N, "hi_offset": N, "app_offset": N, "committed_offset": N, ...}}}}}
  thread_local simdjson::dom::parser parser;
  std::vector<partition_lag> out;
  simdjson::dom::element doc;
  if (parser.parse(stats_json.data(), stats_json.size()).get(doc) != simdjson::SUCCESS) return out;
  simdjson::dom::object topics;
  if (doc["topics"].get(topics) != simdjson::SUCCESS) return out;
  for (auto [topic, t] : topics) {
    simdjson::dom::object partitions;
    if (t["partitions"].get(partitions) != simdjson::SUCCESS) continue;
    for (auto [id, element] : partitions) {
      const simdjson::dom::element p = element;  // (clang 14 captures no structured binding)
      int64_t partition = -1;
      if (p["partition"].get(partition) != simdjson::SUCCESS || partition < 0) continue;  // -1: librdkafka's own
      const auto offset_of = [&](const char* field) {
        int64_t value = -1;
        return p[field].get(value) == simdjson::SUCCESS ? value : -1;
      };
      std::string_view state;
      const std::int64_t end = offset_of("ls_offset") >= 0 ? offset_of("ls_offset") : offset_of("hi_offset");
      const std::int64_t consumed = offset_of("app_offset");
      const std::int64_t position = consumed >= 0 ? consumed : offset_of("committed_offset");
      partition_lag lag{std::string(topic), static_cast<std::int32_t>(partition), std::nullopt};
      if (p["fetch_state"].get(state) == simdjson::SUCCESS && state != "none" && end >= 0 && position >= 0) {
        lag.lag = std::max<std::int64_t>(end - position, 0);
      }
      out.push_back(std::move(lag));
    }
  }
  return out;
}

std::string kafka_source::explained(const std::string& fatal) const {
  if (rd_kafka_fatal_error(rk_.get(), nullptr, 0) != RD_KAFKA_RESP_ERR_FENCED_INSTANCE_ID) return fatal;
  const auto& p = options_.properties;
  const auto at = [&](const char* k) { return p.contains(k) ? p.at(k) : std::string(); };
  if (lost_at_ && std::chrono::steady_clock::now() - *lost_at_ < std::chrono::minutes(10)) {
    return fatal + " (this consumer's own session had timed out, its partitions lost, the group coordinator not "
                   "answering for session.timeout.ms " + at("session.timeout.ms") +
           " ms; its rejoin as the same static member fenced what the old session still sent. Not a second "
           "instance: restart it (a supervisor does); docs/operations.md, \"Broker restarts and outages\")";
  }
  return fatal + " (another consumer joined group '" + at("group.id") + "' as '" + at("group.instance.id") +
         "', the story owner, and took this one's partitions over: run one instance of role all or cluster per "
         "group; docs/operations.md, \"One cluster owner\")";
}

// The consumer's commits as librdkafka reports them (the automatic ones every
// auto.commit.interval.ms, the synchronous ones at a revoke), counted by result; nothing to commit
// is no commit.
void kafka_source::offset_commit_cb(rd_kafka_t*, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t*,
                                    void* opaque) {
  std::lock_guard lock(callbacks_mu);
  if (abandoned || err == RD_KAFKA_RESP_ERR__NO_OFFSET) return;
  static_cast<kafka_source*>(opaque)->probe_.on_commit(err == RD_KAFKA_RESP_ERR_NO_ERROR);
  if (err) spdlog::warn("kafka consumer: offset commit failed: {}", rd_kafka_err2str(err));
}

void kafka_source::error_cb(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
  std::lock_guard lock(callbacks_mu);
  if (abandoned) return;
  auto* self = static_cast<kafka_source*>(opaque);
  const auto e = error_from(static_cast<rd_kafka_resp_err_t>(err), rk);
  if (e.fatal) {
    self->last_error_ = self->explained(e.message);
    spdlog::error("kafka consumer: {}", self->last_error_);
  } else {
    spdlog::warn("kafka consumer: {}", reason);
  }
}

}  // namespace wirefeed::kafka
