// `wirefeed replay`: re-runs the chain over a range of the input topics, for backfills. Its own
// consumer (explicit assignment, no group commits), end offsets fixed at start, progress on stderr.

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>

#include "daemon/commands.h"
#include "daemon/data_files.h"
#include "daemon/engine_options.h"
#include "daemon/kafka_properties.h"
#include "daemon/kafka_sink.h"
#include "daemon/kafka_source.h"
#include "daemon/signal_watcher.h"
#include "daemon/startup_error.h"
#include "daemon/tally_probe.h"
#include "pipeline/chain.h"
#include "pipeline/engine.h"
#include "pipeline/iso_time.h"

namespace wirefeed::commands {
namespace {

// Whether the date a time parse_iso8601_ms took begins with ("2022-02-07..." or "20220207...") is
// one of the calendar: the parser counts 2022-02-30 as 2022-03-02.
bool calendar_date(const std::string& value) {
  const bool compact = value[4] != '-';
  const auto field = [&](std::size_t pos) { return static_cast<unsigned>(std::stoi(value.substr(pos, 2))); };
  const unsigned day = field(compact ? 6 : 8);
  return civil_from_days(days_from_civil(std::stoll(value.substr(0, 4)), field(compact ? 4 : 5), day)).d == day;
}

// A time in ms, or nothing for the open end. An empty value is an error, not the open end: a
// `--from "$START"` whose variable is unset must not replay a whole topic. A time finer than a
// millisecond is taken up to the next, for both ends: --from, the first record at or after it;
// --to, the records before it.
std::optional<std::int64_t> parse_bound(const std::string& value, const char* open_end, const char* flag) {
  if (value == open_end) return std::nullopt;
  if (auto ms = parse_iso8601_ms_up(value); ms && calendar_date(value)) return *ms;
  throw usage_error(std::string(flag) + ": expected '" + open_end + "' or an ISO 8601 time, got '" + value + "'");
}

std::string clock_text(double seconds) {
  if (seconds < 0 || seconds > 360000) return "--:--:--";
  const auto s = static_cast<long>(seconds);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  return buf;
}

}  // namespace

int replay(const cfg::config& config, const std::string& from, const std::string& to) {
  kafka::range_bounds bounds{parse_bound(from, "earliest", "--from"), parse_bound(to, "latest", "--to")};
  if (bounds.from_ms && bounds.to_ms && *bounds.from_ms > *bounds.to_ms) {
    throw usage_error("--from " + from + " is after --to " + to + ": the range would be empty (swap them)");
  }
  // Kafka's record times start at the epoch, and a request for time -1 or -2 means the end or the
  // start of a partition: a time before 1970 is before every record.
  for (auto* bound : {&bounds.from_ms, &bounds.to_ms}) {
    if (*bound) *bound = std::max<std::int64_t>(**bound, 0);
  }
  probe base;
  tally_probe probe(base);

  auto consumer = kafka::consumer_properties(config);
  consumer["group.id"] = config.kafka.group_id + ".replay";  // never used for commits
  signal_watcher signals;  // a signal while the offsets are resolved stops the replay as it starts
  // The data files first, as `run` does: a model that does not load is exit 2 before any client
  // waits for a broker.
  const auto built = make_chain(config, probe);
  chain& stages = *built;
  stages.write_changelog(false);  // a backfill starts with no stories and leaves the live state alone
  // No changelog: a replay never writes one, so it need not exist.
  auto outputs = kafka::output_topics(config);
  outputs.erase(output_kind::changelog);
  std::optional<kafka::kafka_sink> made_sink;
  std::optional<kafka::kafka_source> made_source;
  {
    std::atomic<bool> stop_waiting{false};  // a signal while no broker answers ends the wait
    const auto stop_on_signal = signals.bind([&] { stop_waiting = true; });
    try {
      made_sink.emplace(kafka::sink_options{kafka::producer_properties(config), outputs, config.topics.input,
                                            &stop_waiting},
                        probe);
      made_source.emplace(kafka::source_options{consumer, config.topics.input, 500, bounds, {}, &stop_waiting}, probe);
    } catch (const startup_stopped&) {
      spdlog::info("replay: stopped during start-up, while waiting for a broker to answer");
      return exit_ok;
    }
  }
  kafka::kafka_sink& sink = *made_sink;
  kafka::kafka_source& source = *made_source;
  no_commit committer;

  const std::int64_t total = source.range_total();
  const bool tty = isatty(fileno(stderr));
  const auto started = std::chrono::steady_clock::now();
  auto options = engine_options_from(config, /*bounded=*/true);
  options.progress_interval = std::chrono::milliseconds(tty ? 500 : 10000);
  // The percentage and ETA go by the offsets read past (source.range_covered(), on this thread:
  // the engine polls the source and reports progress on the thread that runs it) less the
  // messages still in flight, which end at `total` whatever transaction markers or compacted-away
  // records the range holds; the rate by the messages finished.
  std::atomic<bool> signalled{false};  // only a signal cuts a replay short
  options.on_progress = [&](std::int64_t consumed, std::int64_t done) {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const auto covered = static_cast<double>(std::max<std::int64_t>(source.range_covered() - (consumed - done), 0));
    const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0;
    const double offset_rate = elapsed > 0 ? covered / elapsed : 0;
    const double eta = offset_rate > 0 && !signalled ? (static_cast<double>(total) - covered) / offset_rate : -1;
    const double pct = total > 0 ? 100.0 * covered / static_cast<double>(total) : 100.0;
    if (tty) {
      std::fprintf(stderr, "\rreplay: %lld finished, %.1f%% of %lld offsets, %.0f msg/s ETA %s   ",
                   static_cast<long long>(done), pct, static_cast<long long>(total), rate, clock_text(eta).c_str());
    } else {
      spdlog::info("replay: {} finished, {:.1f}% of {} offsets, {:.0f} msg/s ETA {}", done, pct, total, rate, clock_text(eta));
    }
  };
  engine eng(options, stages, sink, committer, probe);
  const auto stop_on_signal = signals.bind([&] {
    signalled = true;
    eng.request_stop();
  });

  spdlog::info("replay: {} offset(s) of {} from {} to {} (messages, less transaction markers and compacted-away "
               "records)", total, fmt::join(config.topics.input, ","),
               from.empty() ? "earliest" : from, to.empty() ? "latest" : to);
  const auto summary = eng.run(source);
  if (tty) std::fputc('\n', stderr);
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!summary.ok) {
    spdlog::error("replay failed: {}", summary.error);
    return exit_failure;
  }
  std::fprintf(stderr,
               "replay summary: %lld consumed, %lld finished, %lld dead letters, %lld records produced, %.1f s, "
               "%.0f msg/s%s%s; %s\n",
               static_cast<long long>(summary.consumed), static_cast<long long>(summary.finished),
               static_cast<long long>(probe.dead_letters()), static_cast<long long>(probe.produced()), elapsed,
               elapsed > 0 ? static_cast<double>(summary.finished) / elapsed : 0.0,
               // Short of the range's end (its offsets counted: fewer finished than `total` alone is
               // no sign, transaction markers and compacted-away records are never consumed).
               signalled && (source.range_covered() < total || summary.finished < summary.consumed) ? " (stopped early)" : "",
               summary.drained ? "" : " (the drain timed out: some articles consumed have not all their outputs)",
               probe.story_summary().c_str());
  return exit_ok;
}

}  // namespace wirefeed::commands
