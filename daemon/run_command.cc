// `wirefeed run`: the live daemon. The composition root: builds the services in order, and
// tears them down in reverse (declaration order below is destruction order reversed).

#include <spdlog/spdlog.h>

#include "daemon/changelog_restore.h"
#include "daemon/commands.h"
#include "daemon/data_files.h"
#include "daemon/engine_options.h"
#include "daemon/kafka_committer.h"
#include "daemon/kafka_properties.h"
#include "daemon/kafka_sink.h"
#include "daemon/kafka_source.h"
#include "daemon/signal_watcher.h"
#include "daemon/startup_error.h"
#include "metrics/http_server.h"
#include "metrics/prometheus_probe.h"
#include "pipeline/chain.h"
#include "pipeline/engine.h"

namespace wirefeed::commands {

int run(const cfg::config& config) {
  std::vector<std::string> topics = config.topics.input;
  topics.insert(topics.end(), {config.topics.enriched, config.topics.stories, config.topics.dead_letter});
  prometheus_probe probe(topics, WIREFEED_VERSION);

  kafka::kafka_sink sink({kafka::producer_properties(config), kafka::output_topics(config)}, probe);
  chain stages(with_data_files(config), probe);
  // Story state first: the consumer joins the group only once the stories are back.
  if (config.cluster.restore) kafka::restore_stories(config, stages, probe);
  kafka::kafka_source source({kafka::consumer_properties(config), config.topics.input, 500, std::nullopt}, probe);
  kafka::kafka_committer committer(source.handle());
  engine eng(engine_options_from(config, /*bounded=*/false), stages, sink, committer, probe);

  std::unique_ptr<http_server> http;
  if (config.metrics.enabled) {
    http = std::make_unique<http_server>(config.metrics.bind_address, static_cast<std::uint16_t>(config.metrics.port),
                                         probe.registry(),
                                         [&] { return source.has_assignment() && sink.connected(); });
    if (auto error = http->start()) throw startup_error(*error);
    spdlog::info("metrics: http://{}:{}/metrics (health: /healthz, readiness: /readyz)", config.metrics.bind_address,
                 http->port());
  }
  signal_watcher signals([&] { eng.request_stop(); });

  spdlog::info("wirefeed {} consuming {} from {} as group '{}' ({} threads)", WIREFEED_VERSION,
               fmt::join(config.topics.input, ","), config.kafka.bootstrap_servers, config.kafka.group_id,
               config.pipeline.threads > 0 ? config.pipeline.threads : static_cast<int>(std::thread::hardware_concurrency()));
  const auto summary = eng.run(source);
  if (http) http->stop();

  if (!summary.ok) {
    spdlog::error("stopped on a fatal error: {}", summary.error);
    return exit_failure;
  }
  spdlog::info("stopped: {} consumed, {} finished{}", summary.consumed, summary.finished,
               summary.drained ? "" : " (drain timed out: unfinished work will be consumed again)");
  return exit_ok;
}

}  // namespace wirefeed::commands
