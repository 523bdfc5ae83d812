// raw_pipe: the baseline of bench/throughput.sh. Consumes `--count` messages from `--input` and, for
// each, produces one record with the same key and the same bytes to `--output`; waits for every
// delivery report, commits, prints the timings and exits.
//
//   raw_pipe --bootstrap 127.0.0.1:9092 --input bench.raw --output bench.baseline.out --count 100000 --group g1
//
// It does what wirefeed's plumbing must do at the least, with the daemon's librdkafka settings
// (daemon/kafka_properties.cc): a cooperative-sticky group consumer from earliest with auto-commit
// of *stored* offsets, where an offset is stored only once the output of every message before it in
// its partition is delivered; an idempotent lz4 producer with acks=all, one request in flight and
// linger.ms=5. No decoding,
// no encoding, no threads of its own: one loop polls the consumer and serves the producer's delivery
// reports. Timing starts before the first handle is created, as the daemon's does at process start.
//
// Last stdout line, for scripts:
//   raw_pipe messages=N bytes=B seconds=T seconds_from_first=F msg_per_s=R cpu_seconds=C
// (`seconds` from start to the last delivery report; `seconds_from_first` from the first consumed
// message; `cpu_seconds` user+system time of the process, librdkafka's threads included, up to the
// last delivery report). Exit 0 when all `--count` messages were delivered, 1 on a delivery or
// consumer error, 2 on bad arguments or set-up failure.
#include <librdkafka/rdkafka.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

namespace {

using clock_type = std::chrono::steady_clock;

// unique_ptr deleters that call one librdkafka destroy function.
template <auto destroy>
struct destroyer {
  template <class T>
  void operator()(T* p) const {
    destroy(p);
  }
};
// A consumer leaves its group (committing what is stored) before it is destroyed.
struct consumer_destroyer {
  void operator()(rd_kafka_t* rk) const {
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
  }
};
using conf_ptr = std::unique_ptr<rd_kafka_conf_t, destroyer<rd_kafka_conf_destroy>>;
using producer_ptr = std::unique_ptr<rd_kafka_t, destroyer<rd_kafka_destroy>>;
using consumer_ptr = std::unique_ptr<rd_kafka_t, consumer_destroyer>;
using message_ptr = std::unique_ptr<rd_kafka_message_t, destroyer<rd_kafka_message_destroy>>;
using partition_list_ptr =
    std::unique_ptr<rd_kafka_topic_partition_list_t, destroyer<rd_kafka_topic_partition_list_destroy>>;

struct options {
  std::string bootstrap;
  std::string input;
  std::string output;
  std::string group;
  std::int64_t count = 0;
};

// Where one produced record came from; owned by librdkafka between produce and its delivery report.
struct delivery_tag {
  std::int32_t partition;
  std::int64_t offset;
};

// Consumed-but-undelivered offsets of one input partition. The committable position is the lowest
// undelivered offset, or one past the last consumed when everything is delivered (what the daemon's
// offset_tracker computes).
struct partition_offsets {
  std::set<std::int64_t> pending;
  std::int64_t next = -1;    // one past the last consumed offset
  std::int64_t stored = -1;  // last position handed to rd_kafka_offsets_store
};

// State shared by the loop and the delivery report callback; both run on the main thread.
struct pipe_state {
  rd_kafka_t* consumer = nullptr;
  std::string input;
  std::unordered_map<std::int32_t, partition_offsets> partitions;
  std::int64_t consumed = 0;
  std::int64_t delivered = 0;
  std::int64_t failed = 0;
  std::int64_t bytes = 0;

  void on_consumed(const rd_kafka_message_t& msg) {
    auto& p = partitions[msg.partition];
    p.pending.insert(msg.offset);
    p.next = std::max(p.next, msg.offset + 1);
    ++consumed;
    bytes += static_cast<std::int64_t>(msg.len);
  }

  void on_delivered(const delivery_tag& tag) {
    ++delivered;
    auto& p = partitions[tag.partition];
    p.pending.erase(tag.offset);
    const std::int64_t position = p.pending.empty() ? p.next : *p.pending.begin();
    if (position <= p.stored) return;
    partition_list_ptr list(rd_kafka_topic_partition_list_new(1));
    rd_kafka_topic_partition_list_add(list.get(), input.c_str(), tag.partition)->offset = position;
    if (rd_kafka_offsets_store(consumer, list.get()) == RD_KAFKA_RESP_ERR_NO_ERROR) p.stored = position;
  }
};

void delivery_report(rd_kafka_t*, const rd_kafka_message_t* msg, void* opaque) {
  auto& state = *static_cast<pipe_state*>(opaque);
  const std::unique_ptr<delivery_tag> tag(static_cast<delivery_tag*>(msg->_private));
  if (msg->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    ++state.failed;
    std::fprintf(stderr, "raw_pipe: delivery failed: %s\n", rd_kafka_err2str(msg->err));
    return;
  }
  state.on_delivered(*tag);
}

// A configuration from `props`, or nothing after printing what librdkafka rejected.
conf_ptr make_conf(const std::map<std::string, std::string>& props) {
  conf_ptr conf(rd_kafka_conf_new());
  char errstr[512];
  bool ok = true;
  for (const auto& [k, v] : props) {
    if (rd_kafka_conf_set(conf.get(), k.c_str(), v.c_str(), errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
      std::fprintf(stderr, "raw_pipe: %s=%s: %s\n", k.c_str(), v.c_str(), errstr);
      ok = false;
    }
  }
  if (!ok) return nullptr;
  return conf;
}

// Creates the handle from `conf`, which it then owns; prints why on failure.
rd_kafka_t* make_handle(rd_kafka_type_t type, conf_ptr conf) {
  char errstr[512];
  rd_kafka_t* rk = rd_kafka_new(type, conf.get(), errstr, sizeof errstr);
  if (!rk) {
    std::fprintf(stderr, "raw_pipe: cannot create the %s: %s\n", type == RD_KAFKA_PRODUCER ? "producer" : "consumer",
                 errstr);
    return nullptr;
  }
  conf.release();  // owned by rk now
  return rk;
}

double seconds_between(clock_type::time_point a, clock_type::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// User + system CPU seconds of this process so far, all threads (librdkafka's included).
double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto sec = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6; };
  return sec(ru.ru_utime) + sec(ru.ru_stime);
}

int run(const options& opt) {
  const auto start = clock_type::now();
  pipe_state state;
  state.input = opt.input;

  // The daemon's producer_properties(), client id aside.
  auto pconf = make_conf({{"bootstrap.servers", opt.bootstrap},
                          {"client.id", "raw_pipe"},
                          {"enable.idempotence", "true"},
                          {"acks", "all"},
                          {"max.in.flight.requests.per.connection", "1"},
                          {"linger.ms", "5"},
                          {"compression.type", "lz4"}});
  // The daemon's consumer_properties() with pipeline.max_message_bytes at its default (1 MiB).
  auto cconf = make_conf({{"bootstrap.servers", opt.bootstrap},
                          {"group.id", opt.group},
                          {"client.id", "raw_pipe"},
                          {"partition.assignment.strategy", "cooperative-sticky"},
                          {"enable.auto.commit", "true"},
                          {"enable.auto.offset.store", "false"},
                          {"auto.offset.reset", "earliest"},
                          {"fetch.wait.max.ms", "100"},
                          {"fetch.message.max.bytes", std::to_string((1 << 20) + 4096)}});
  if (!pconf || !cconf) return 2;
  rd_kafka_conf_set_opaque(pconf.get(), &state);
  rd_kafka_conf_set_dr_msg_cb(pconf.get(), &delivery_report);

  // Declared first, destroyed last: the producer's last reports still store offsets.
  consumer_ptr consumer(make_handle(RD_KAFKA_CONSUMER, std::move(cconf)));
  producer_ptr producer(make_handle(RD_KAFKA_PRODUCER, std::move(pconf)));
  if (!consumer || !producer) return 2;
  state.consumer = consumer.get();
  rd_kafka_poll_set_consumer(consumer.get());
  {
    partition_list_ptr topics(rd_kafka_topic_partition_list_new(1));
    rd_kafka_topic_partition_list_add(topics.get(), opt.input.c_str(), RD_KAFKA_PARTITION_UA);
    if (auto err = rd_kafka_subscribe(consumer.get(), topics.get())) {
      std::fprintf(stderr, "raw_pipe: subscribe %s: %s\n", opt.input.c_str(), rd_kafka_err2str(err));
      return 2;
    }
  }

  std::optional<clock_type::time_point> first;
  while (state.consumed < opt.count && state.failed == 0) {
    message_ptr msg(rd_kafka_consumer_poll(consumer.get(), 100));
    rd_kafka_poll(producer.get(), 0);  // delivery reports
    if (!msg) continue;
    if (msg->err) {
      if (msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) continue;
      std::fprintf(stderr, "raw_pipe: consumer: %s\n", rd_kafka_message_errstr(msg.get()));
      if (msg->err == RD_KAFKA_RESP_ERR__FATAL) return 1;
      continue;
    }
    if (!first) first = clock_type::now();
    state.on_consumed(*msg);
    auto tag = std::make_unique<delivery_tag>(delivery_tag{msg->partition, msg->offset});
    for (;;) {
      const auto err = rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC(opt.output.c_str()),
                                         RD_KAFKA_V_KEY(msg->key, msg->key_len),
                                         RD_KAFKA_V_VALUE(msg->payload, msg->len),
                                         RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE(tag.get()),
                                         RD_KAFKA_V_END);
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        tag.release();  // the delivery report owns it now
        break;
      }
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        std::fprintf(stderr, "raw_pipe: produce: %s\n", rd_kafka_err2str(err));
        return 1;
      }
      rd_kafka_poll(producer.get(), 10);  // wait for room
    }
  }
  while (state.delivered + state.failed < state.consumed) rd_kafka_poll(producer.get(), 100);
  const auto end = clock_type::now();
  const double cpu = cpu_seconds();
  if (auto err = rd_kafka_commit(consumer.get(), nullptr, /*async=*/0);
      err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__NO_OFFSET) {
    std::fprintf(stderr, "raw_pipe: commit: %s\n", rd_kafka_err2str(err));
  }
  if (state.failed > 0) return 1;

  const double seconds = seconds_between(start, end);
  const double from_first = first ? seconds_between(*first, end) : 0.0;
  std::printf("raw_pipe: %lld messages (%.1f MB) from %s to %s in %.3f s (%.3f s from the first message): %.0f msg/s\n",
              static_cast<long long>(state.delivered), static_cast<double>(state.bytes) / 1e6, opt.input.c_str(),
              opt.output.c_str(), seconds, from_first, static_cast<double>(state.delivered) / seconds);
  std::printf("raw_pipe messages=%lld bytes=%lld seconds=%.3f seconds_from_first=%.3f msg_per_s=%.0f"
              " cpu_seconds=%.3f\n",
              static_cast<long long>(state.delivered), static_cast<long long>(state.bytes), seconds, from_first,
              static_cast<double>(state.delivered) / seconds, cpu);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"raw_pipe: consume N messages and produce each one again, the baseline of bench/throughput.sh"};
  options opt;
  app.add_option("--bootstrap", opt.bootstrap, "host:port of a broker")->required();
  app.add_option("--input", opt.input, "topic to consume")->required();
  app.add_option("--output", opt.output, "topic to produce to")->required();
  app.add_option("--count", opt.count, "messages to pipe, then exit")->required()->check(CLI::PositiveNumber);
  app.add_option("--group", opt.group, "consumer group id (use a fresh one to start from earliest)")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  return run(opt);
}
