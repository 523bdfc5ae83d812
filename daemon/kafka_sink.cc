#include "daemon/kafka_sink.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <vector>

#include "daemon/startup_error.h"

namespace wirefeed::kafka {

// One record from send() to its delivery callback. Owns the bytes librdkafka points at (the
// payload is produced without copying), so it lives until the delivery report.
struct kafka_sink::pending {
  output_record record;
  delivery_callback callback;
};

kafka_sink::kafka_sink(sink_options options, probe& p) : options_(std::move(options)), probe_(p) {
  auto conf = make_conf({options_.properties});
  if (!conf.errors.empty()) {
    std::string all;
    for (const auto& e : conf.errors) all += "\n  " + e;
    throw startup_error("kafka producer configuration:" + all);
  }
  rd_kafka_conf_set_opaque(conf.conf.get(), this);
  rd_kafka_conf_set_dr_msg_cb(conf.conf.get(), &kafka_sink::delivery_report_cb);
  rd_kafka_conf_set_error_cb(conf.conf.get(), &kafka_sink::error_cb);
  rd_kafka_conf_set_stats_cb(conf.conf.get(), &kafka_sink::stats_cb);
  char errstr[512];
  rk_.reset(rd_kafka_new(RD_KAFKA_PRODUCER, conf.conf.get(), errstr, sizeof errstr));
  if (!rk_) throw startup_error(std::string("cannot create kafka producer: ") + errstr);
  conf.conf.release();

  std::vector<std::string> topics = options_.inputs;
  for (const auto& [kind, name] : options_.topics) topics.push_back(name);
  auto parts = fetch_partitions(rk_.get(), topics, 15000, options_.stop);
  if (parts.stopped) throw startup_stopped();
  if (parts.error) {
    rd_kafka_poll(rk_.get(), 0);  // the error callback logs why no broker answered (refused, not resolved)
    // A missing topic is no fault of the producer's, though it checks them all (inputs too) at once.
    const bool missing = parts.error->code == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART;
    throw startup_error((missing ? "kafka: " : "kafka producer: ") + parts.error->message);
  }
  connected_ = true;
  if (const auto id = options_.properties.find("transactional.id"); id != options_.properties.end()) {
    begin_transactions(id->second);
  }

  poller_ = std::thread([this] {
    while (!stopping_) rd_kafka_poll(rk_.get(), 100);
  });
}

void kafka_sink::begin_transactions(const std::string& id) {
  // Waits up to two minutes (the open transaction of a crashed producer of this id is aborted
  // first; a coordinator that cannot start takes all of it), in steps of a quarter second: the
  // call resumes where a timed-out one left off, and a signal stops the start-up in between.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  for (;;) {
    error_ptr e{rd_kafka_init_transactions(rk_.get(), 250)};
    if (!e) break;
    if (!rd_kafka_error_is_retriable(e.get()) || std::chrono::steady_clock::now() >= deadline) {
      throw startup_error("kafka producer: initialising transactions as '" + id + "': " +
                          rd_kafka_error_string(e.get()) +
                          " (exactly_once needs a broker with transactions: transaction.state.log.replication.factor "
                          "no higher than its brokers)");
    }
    if (options_.stop != nullptr && *options_.stop) throw startup_stopped();
  }
  if (error_ptr e{rd_kafka_begin_transaction(rk_.get())}) {
    throw startup_error("kafka producer: beginning a transaction: " + std::string(rd_kafka_error_string(e.get())));
  }
  spdlog::info("kafka producer: transactional as '{}' (exactly once)", id);
}

kafka_sink::~kafka_sink() {
  flush(std::chrono::milliseconds(0));
  stopping_ = true;
  poller_.join();
  // The open transaction (after a clean stop an empty one, after a fatal error what it held) is
  // aborted, not left to the broker's transaction.timeout.ms: until then read_committed
  // consumers of its partitions (the cluster instance reading an extract instance's hand-offs)
  // cannot read past it, and an extract instance's next start has another id and would not abort it.
  if (options_.properties.contains("transactional.id") && rd_kafka_fatal_error(rk_.get(), nullptr, 0) == 0) {
    if (error_ptr e{rd_kafka_abort_transaction(rk_.get(), 5000)}) {
      spdlog::info("kafka producer: aborting the open transaction: {}", rd_kafka_error_string(e.get()));
    }
  }
  // Anything still queued is abandoned: its callback reports the purge, and the input offset it
  // came from was never stored.
  rd_kafka_purge(rk_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  rd_kafka_poll(rk_.get(), 0);
  rk_.reset();
}

rd_kafka_resp_err_t kafka_sink::produce(pending* p) {
  const auto topic = options_.topics.find(p->record.kind);
  if (topic == options_.topics.end()) return RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC;  // no topic configured for it
  const auto& name = topic->second;
  rd_kafka_headers_t* hdrs = nullptr;
  if (!p->record.hdrs.empty()) {
    hdrs = rd_kafka_headers_new(p->record.hdrs.size());
    for (const auto& [k, v] : p->record.hdrs) {
      rd_kafka_header_add(hdrs, k.data(), static_cast<ssize_t>(k.size()), v ? v->data() : nullptr,
                          v ? static_cast<ssize_t>(v->size()) : 0);
    }
  }
  const auto err = rd_kafka_producev(
      rk_.get(), RD_KAFKA_V_TOPIC(name.c_str()),
      RD_KAFKA_V_KEY(p->record.null_key ? nullptr : p->record.key.data(), p->record.null_key ? 0 : p->record.key.size()),
      RD_KAFKA_V_VALUE(p->record.tombstone ? nullptr : p->record.value.data(),
                       p->record.tombstone ? 0 : p->record.value.size()),
      RD_KAFKA_V_PARTITION(p->record.partition.value_or(RD_KAFKA_PARTITION_UA)),
      RD_KAFKA_V_TIMESTAMP(p->record.timestamp_ms),  // 0 = now
      RD_KAFKA_V_MSGFLAGS(0),  // no copy: `p` keeps the payload alive until the report
      RD_KAFKA_V_HEADERS(hdrs), RD_KAFKA_V_OPAQUE(p), RD_KAFKA_V_END);
  if (err && hdrs) rd_kafka_headers_destroy(hdrs);  // on success librdkafka owns them
  return err;
}

void kafka_sink::send(output_record record, delivery_callback on_delivered) {
  auto* p = new pending{std::move(record), std::move(on_delivered)};
  {
    std::lock_guard lock(mu_);
    ++outstanding_;
  }
  for (;;) {
    const auto err = produce(p);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return;
    const bool queue_full = err == RD_KAFKA_RESP_ERR__QUEUE_FULL;
    if (queue_full && !fatal_ && !stop_waiting_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      continue;
    }
    const auto e = error_from(err, rk_.get());
    const auto topic = topic_name(p->record.kind);
    probe_.on_produce_error(topic);
    p->callback(delivery_error{"produce to " + topic + ": " + why_failed(e) +
                               (queue_full && stop_waiting_ ? " (brokers unreachable? the stop gave up waiting for room)" : "")});
    done(p);
    return;
  }
}

std::string kafka_sink::topic_name(output_kind kind) const {
  const auto it = options_.topics.find(kind);
  return it == options_.topics.end() ? std::string("<no topic for ") + to_string(kind) + " output>" : it->second;
}

void kafka_sink::done(pending* p) {
  delete p;
  std::lock_guard lock(mu_);
  if (--outstanding_ == 0) idle_.notify_all();
}

bool kafka_sink::flush(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return idle_.wait_for(lock, timeout, [&] { return outstanding_ == 0; });
}

void kafka_sink::delivery_report_cb(rd_kafka_t*, const rd_kafka_message_t* msg, void* opaque) {
  static_cast<kafka_sink*>(opaque)->on_delivery(msg);
}

void kafka_sink::on_delivery(const rd_kafka_message_t* msg) {
  auto* p = static_cast<pending*>(msg->_private);
  const auto topic = topic_name(p->record.kind);
  if (msg->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    probe_.on_produced(topic);
    p->callback(std::nullopt);
    done(p);
    return;
  }
  probe_.on_produce_error(topic);
  const auto e = error_from(msg->err, rk_.get());
  p->callback(delivery_error{"delivery to " + topic + " failed: " + why_failed(e)});
  done(p);
}

std::string kafka_sink::why_failed(const kafka_error& e) const {
  char reason[512];
  const auto fatal = rd_kafka_fatal_error(rk_.get(), reason, sizeof reason);
  const auto id = options_.properties.find("transactional.id");
  const std::string transactional_id = id == options_.properties.end() ? std::string() : id->second;
  // A produce the broker refuses as out of the transaction's state comes before the producer
  // learns it was fenced: the delivery report says why as well as the fatal error would.
  if (!fatal) return e.message + fenced_producer_hint(e.code, transactional_id);
  return std::string("the producer stopped on a fatal error: ") + reason + fenced_producer_hint(fatal, transactional_id);
}

void kafka_sink::error_cb(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
  auto* self = static_cast<kafka_sink*>(opaque);
  const auto code = static_cast<rd_kafka_resp_err_t>(err);
  if (code == RD_KAFKA_RESP_ERR__FATAL) {
    self->fatal_ = true;
    spdlog::error("kafka producer: {}", error_from(code, rk).message);
    return;
  }
  if (code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) self->connected_ = false;
  spdlog::warn("kafka producer: {}", reason);
}

int kafka_sink::stats_cb(rd_kafka_t*, char* json, size_t len, void* opaque) {
  static_cast<kafka_sink*>(opaque)->connected_ = brokers_answering(std::string_view(json, len), broker_stall);
  return 0;
}

}  // namespace wirefeed::kafka
