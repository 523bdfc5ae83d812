// `wirefeed run`: the live daemon. The composition root: builds the services in order, and
// tears them down in reverse (declaration order below is destruction order reversed); a run that
// a group rebalance stopped (exactly once) is built again.

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>

#include "daemon/changelog_restore.h"
#include "daemon/commands.h"
#include "daemon/data_files.h"
#include "daemon/engine_options.h"
#include "daemon/huge_pages.h"
#include "daemon/kafka_client.h"
#include "daemon/kafka_committer.h"
#include "daemon/kafka_properties.h"
#include "daemon/kafka_sink.h"
#include "daemon/kafka_source.h"
#include "daemon/kafka_transaction.h"
#include "daemon/signal_watcher.h"
#include "daemon/startup_error.h"
#include "metrics/http_server.h"
#include "metrics/prometheus_probe.h"
#include "pipeline/chain.h"
#include "pipeline/engine.h"

namespace wirefeed::commands {

namespace {

// The extract role keeps each article's input partition on topics.extracted: it needs at least as
// many partitions as every input topic.
void check_handoff_partitions(const cfg::config& config, rd_kafka_t* rk) {
  std::vector<std::string> topics = config.topics.input;
  topics.push_back(config.topics.extracted);
  const auto found = kafka::fetch_partitions(rk, topics, 15000);
  if (found.error) throw startup_error("topics.extracted: " + found.error->message);
  std::map<std::string, std::int32_t> counts;
  for (const auto& tp : found.partitions) counts[tp.topic] = std::max(counts[tp.topic], tp.partition.value + 1);
  for (const auto& input : config.topics.input) {
    if (counts[input] > counts[config.topics.extracted]) {
      throw startup_error("topics.extracted '" + config.topics.extracted + "' has " +
                          std::to_string(counts[config.topics.extracted]) + " partitions, input '" + input + "' has " +
                          std::to_string(counts[input]) + ": the hand-off keeps each input partition, so add partitions");
    }
  }
}

// The story state's changelog keeps the order it was written in only in one partition: a topic of
// more is refused whether this start restores or not (cluster.restore=false still writes there).
void check_changelog_partitions(const cfg::config& config, rd_kafka_t* rk) {
  const auto found = kafka::fetch_partitions(rk, {config.topics.changelog}, 15000);
  if (found.error) throw startup_error("topics.changelog: " + found.error->message);
  const std::string problem = kafka::changelog_partition_problem(config.topics.changelog, static_cast<int>(found.partitions.size()));
  if (!problem.empty()) throw startup_error(problem);
}

// How long a commit of the stored positions (at a stop, a revocation) waits for its answer: a
// commit takes milliseconds; with the group coordinator unreachable it would wait until it is back.
constexpr std::chrono::seconds commit_timeout{5};

// What /readyz answers, on the HTTP server's thread. The server answers from before the producer
// and the restore, the consumer and the engine come after them: not ready until all three are
// watched, nor once a guard `watch` returns (declared right after what it watches) has let go,
// nor while a broker hangs (neither client has had an answer for 10 s), nor once a stop has begun
// (the drain, after a signal or a fatal error).
class readiness {
 public:
  bool ready() const {
    std::lock_guard lock(mu_);
    return engine_ != nullptr && !engine_->stopping() && sink_ != nullptr && source_ != nullptr &&
           source_->has_assignment() && sink_->connected() && source_->brokers_answering();
  }

  [[nodiscard]] auto watch(const engine& e) {
    set(&engine_, &e);
    return std::unique_ptr<readiness, void (*)(readiness*)>(this, [](readiness* r) { r->set(&r->engine_, nullptr); });
  }
  [[nodiscard]] auto watch(const kafka::kafka_sink& sink) {
    set(&sink_, &sink);
    return std::unique_ptr<readiness, void (*)(readiness*)>(this, [](readiness* r) { r->set(&r->sink_, nullptr); });
  }
  [[nodiscard]] auto watch(const kafka::kafka_source& source) {
    set(&source_, &source);
    return std::unique_ptr<readiness, void (*)(readiness*)>(this, [](readiness* r) { r->set(&r->source_, nullptr); });
  }

 private:
  template <class T>
  void set(const T** slot, std::type_identity_t<const T*> value) {
    std::lock_guard lock(mu_);
    *slot = value;
  }

  mutable std::mutex mu_;
  const kafka::kafka_sink* sink_ = nullptr;
  const kafka::kafka_source* source_ = nullptr;
  const engine* engine_ = nullptr;
};

// One run on the chain `stages` (fresh, or as the changelog restore leaves it): the producer, the
// restore, the consumer and the engine, until a stop or a fatal error. The services are built in
// order and torn down in reverse (declaration order below is destruction order reversed).
struct run_outcome {
  int exit_code = exit_ok;
  bool rebalanced = false;  // run_summary::rebalanced: start again
  std::int64_t transactions = 0;  // run_summary::transactions
  std::string error;              // run_summary::error, when rebalanced
};

run_outcome run_once(const cfg::config& config, const std::vector<std::string>& inputs, chain& stages,
                     prometheus_probe& probe, signal_watcher& signals, readiness& ready) {
  const auto role = config.pipeline.role;
  // The producer checks every topic, inputs included; then, exactly once, it initialises its
  // transactions, which aborts the open transaction of the instance before it, so that the restore
  // reads the changelog to its end.
  const auto producer = kafka::producer_properties(config);
  std::optional<kafka::kafka_sink> made;
  {
    std::atomic<bool> stop_waiting{false};  // a signal while no broker answers ends the wait
    const auto stop_on_signal = signals.bind([&] { stop_waiting = true; });
    try {
      made.emplace(kafka::sink_options{producer, kafka::output_topics(config), inputs, &stop_waiting}, probe);
    } catch (const startup_stopped&) {
      spdlog::info("stopped during start-up, while waiting for a broker to answer");
      return {};
    }
  }
  kafka::kafka_sink& sink = *made;
  const auto watching_sink = ready.watch(sink);
  // Story state first: the consumer joins the group only once the stories are back. A signal
  // during the restore ends it and the daemon, before it consumes anything.
  if (role != cfg::pipeline_role::extract) check_changelog_partitions(config, sink.handle());
  if (config.cluster.restore && role != cfg::pipeline_role::extract) {
    std::atomic<bool> stop_restore{false};
    const auto stop_on_signal = signals.bind([&] { stop_restore = true; });
    if (kafka::restore_stories(config, stages, probe, &stop_restore).stopped) {
      spdlog::info("stopped during the restore of story state");
      return {};
    }
  }
  // The close, at the stop: the revocation's drain and commit, then the rest of librdkafka's close,
  // which in a broker outage can wait for the group coordinator without end.
  const auto close_timeout = config.shutdown.revoke_drain_timeout + commit_timeout + std::chrono::seconds(10);
  std::optional<kafka::kafka_source> made_source;
  {
    std::atomic<bool> stop_waiting{false};  // the broker gone since the producer found it
    const auto stop_on_signal = signals.bind([&] { stop_waiting = true; });
    try {
      made_source.emplace(
          kafka::source_options{kafka::live_consumer_properties(config), inputs, 500, std::nullopt, close_timeout,
                                &stop_waiting},
          probe);
    } catch (const startup_stopped&) {
      spdlog::info("stopped during start-up, while waiting for a broker to answer");
      return {};
    }
  }
  kafka::kafka_source& source = *made_source;
  const auto watching = ready.watch(source);
  if (role == cfg::pipeline_role::extract) check_handoff_partitions(config, source.handle());
  const bool exactly_once = config.pipeline.guarantee == cfg::processing_guarantee::exactly_once;
  kafka::kafka_committer consumer_commits(source.handle(), commit_timeout);
  no_commit transactional_commits;  // exactly once: positions go with the transaction instead
  std::optional<kafka::kafka_transaction> txn;
  if (exactly_once) txn.emplace(sink.handle(), source.handle(), producer.at("transactional.id"));
  engine eng(engine_options_from(config, /*bounded=*/false), stages, sink,
             exactly_once ? static_cast<offset_committer&>(transactional_commits) : consumer_commits, probe,
             txn ? &*txn : nullptr);

  const auto watching_engine = ready.watch(eng);
  const auto stop_on_signal = signals.bind([&] { eng.request_stop(); });

  spdlog::info("wirefeed {} ({} role, {}) consuming {} from {} as group '{}' ({} threads)", WIREFEED_VERSION,
               cfg::to_string(role), cfg::to_string(config.pipeline.guarantee), fmt::join(inputs, ","),
               config.kafka.bootstrap_servers, config.kafka.group_id,
               config.pipeline.threads > 0 ? static_cast<std::size_t>(config.pipeline.threads) : usable_cpus());
  const auto summary = eng.run(source);

  if (summary.rebalanced) return {exit_failure, true, summary.transactions, summary.error};  // run() says what next
  if (!summary.ok) {
    spdlog::error("stopped on a fatal error: {}", summary.error);
    return {exit_failure, false, summary.transactions, summary.error};
  }
  if (summary.checkpoint_records > 0 && summary.checkpoint_delivered == summary.checkpoint_records) {
    spdlog::info("learned boilerplate and keyword frequencies checkpointed as of article {}", stages.learned_articles());
  } else if (summary.checkpoint_records > 0) {
    spdlog::warn("learned-state checkpoint as of article {}: {} of {} records delivered; a restart takes the "
                 "periodic checkpoint before it", stages.learned_articles(), summary.checkpoint_delivered,
                 summary.checkpoint_records);
  }
  // The last line, which says how it stopped.
  spdlog::info("stopped: {} consumed, {} finished{}{}", summary.consumed, summary.finished,
               summary.drained ? "" : " (drain timed out: unfinished work will be consumed again)",
               summary.committed ? "" : " (the last offset commit failed: what it covered will be consumed again)");
  return {};
}

}  // namespace

int run(const cfg::config& config) {
  const auto role = config.pipeline.role;
  // What this role consumes, and the topics its metrics are labelled with.
  const std::vector<std::string> inputs =
      role == cfg::pipeline_role::cluster ? std::vector<std::string>{config.topics.extracted} : config.topics.input;
  std::vector<std::string> topics = inputs;
  for (const auto& [kind, name] : kafka::output_topics(config)) topics.push_back(name);
  prometheus_probe probe(topics, WIREFEED_VERSION);

  signal_watcher signals;  // from here on: a SIGTERM during the restore stops the daemon as it starts
  // Everything that can fail without touching Kafka first (the stages' data files, the metrics
  // port), then the topics: an instance that cannot start must not fence the one running.
  auto stages = make_chain(config, probe);
  // Served from before the restore, so that a liveness probe passes while it runs (seconds to
  // minutes, with the stories and the broker); /readyz is 503 until the consumer has its assignment.
  readiness ready;
  std::unique_ptr<http_server> http;
  if (config.metrics.enabled) {
    http = std::make_unique<http_server>(config.metrics.bind_address, static_cast<std::uint16_t>(config.metrics.port),
                                         probe.registry(), [&] { return ready.ready(); });
    if (auto error = http->start()) throw startup_error(*error);
    spdlog::info("metrics: http://{}:{}/metrics (health: /healthz, readiness: /readyz)", config.metrics.bind_address,
                 http->port());
  }
  if (role != cfg::pipeline_role::extract) {
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    std::string thp_enabled;
    std::getline(std::ifstream("/sys/kernel/mm/transparent_hugepage/enabled"), thp_enabled);
    if (const auto hint = huge_page_hint(tunables ? tunables : "", thp_enabled)) spdlog::info("{}", *hint);
  }
  // A group rebalance that raced a transaction commit (exactly once) aborted the transaction: the
  // run starts afresh, as a restart of the process would, without the process's restart (nor a
  // service manager's back-off, when members come and go often: extract instances scaling). Not
  // after a stop was asked for (the drain's last commit can race the rebalances of a rolling
  // deploy), nor a fourth time in a row without a transaction committed in between: a group that
  // does not settle is left to the service manager. Nor after a consumer was abandoned
  // (kafka_source.h): its callbacks, and a new consumer's, are cut off for the rest of the process.
  int fruitless = 0;  // runs in a row a rebalance stopped before they committed anything
  for (;;) {
    const run_outcome outcome = run_once(config, inputs, *stages, probe, signals, ready);
    fruitless = outcome.transactions > 0 ? 0 : fruitless + 1;
    if (outcome.rebalanced && !signals.stop_requested() && fruitless <= 3 && !kafka::consumer_abandoned()) {
      spdlog::warn("{}: the run starts afresh as a restart would (story state restored from the changelog, "
                   "consumption from the committed positions: nothing is lost or doubled, docs/operations.md, "
                   "\"Delivery guarantee\")",
                   outcome.error);
      probe.on_run_restart();
      stages.reset();  // the old state goes before the new is restored
      stages = make_chain(config, probe);
      continue;
    }
    if (outcome.rebalanced) {
      const char* why = signals.stop_requested()         ? ""
                        : kafka::consumer_abandoned() ? " (its consumer was left closing: no new one in this process)"
                                                      : " (the fourth run in a row stopped so, none committing anything)";
      spdlog::error("stopped on a fatal error: {}{}", outcome.error, why);
    }
    if (http) http->stop();
    return outcome.exit_code;
  }
}

}  // namespace wirefeed::commands
