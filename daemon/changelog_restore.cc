#include "daemon/changelog_restore.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>

#include "daemon/kafka_properties.h"
#include "daemon/kafka_source.h"
#include "daemon/startup_error.h"

namespace wirefeed::kafka {
namespace {

// The topic's cleanup.policy (DescribeConfigs), or nothing if the broker does not say (no
// permission to describe configs, a time-out).
std::optional<std::string> cleanup_policy(rd_kafka_t* rk, const std::string& topic) {
  rd_kafka_ConfigResource_t* resource = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic.c_str());
  queue_ptr queue(rd_kafka_queue_new(rk));
  rd_kafka_DescribeConfigs(rk, &resource, 1, nullptr, queue.get());
  rd_kafka_ConfigResource_destroy(resource);
  event_ptr ev(rd_kafka_queue_poll(queue.get(), 10000));
  if (!ev || rd_kafka_event_error(ev.get())) return std::nullopt;
  std::size_t n = 0;
  const auto** resources = rd_kafka_DescribeConfigs_result_resources(rd_kafka_event_DescribeConfigs_result(ev.get()), &n);
  if (n != 1 || rd_kafka_ConfigResource_error(resources[0])) return std::nullopt;
  std::size_t count = 0;
  const auto** entries = rd_kafka_ConfigResource_configs(resources[0], &count);
  for (std::size_t i = 0; i < count; ++i) {
    if (std::string_view(rd_kafka_ConfigEntry_name(entries[i])) == "cleanup.policy") {
      const char* value = rd_kafka_ConfigEntry_value(entries[i]);
      return value ? value : "";
    }
  }
  return std::nullopt;
}

struct ignore_assignment final : source_listener {
  void on_assigned(const std::vector<topic_partition>&) override {}
  void on_revoked(const std::vector<topic_partition>&, bool) override {}
  void on_partition_end(const topic_partition&) override {}
};

}  // namespace

std::vector<std::string> changelog_topic_problems(std::string_view topic, std::string_view cleanup_policy,
                                                  int partitions) {
  std::vector<std::string> problems;
  if (cleanup_policy.find("compact") == std::string_view::npos) {
    problems.push_back("topics.changelog '" + std::string(topic) + "' has cleanup.policy=" + std::string(cleanup_policy) +
                       ", not compact: every restart reads every story update the topic still holds instead of each "
                       "story's latest, and retention can delete state the restore needs (the document-frequency "
                       "checkpoints); recreate it with cleanup.policy=compact (deploy/README.md)");
  }
  if (const std::string p = changelog_partition_problem(topic, partitions); !p.empty()) problems.push_back(p);
  return problems;
}

std::string changelog_partition_problem(std::string_view topic, int partitions) {
  if (partitions <= 1) return {};
  return "topics.changelog '" + std::string(topic) + "' has " + std::to_string(partitions) +
         " partitions: the restore needs one (it reads the state back in the order it was written: which story was "
         "updated last, how far a crash cut an article's records); recreate it with one";
}

std::string unreadable_changelog_message(std::string_view bootstrap, std::string_view topic,
                                        std::vector<unreadable_record> records) {
  std::sort(records.begin(), records.end(), [](const auto& x, const auto& y) { return x.offset < y.offset; });
  const auto& first = records.front();
  std::string out = "restoring stories from " + std::string(topic) + ": the latest record of key '" + first.key +
                    "' (partition " + std::to_string(first.partition) + ", offset " + std::to_string(first.offset) +
                    ") does not restore: " + first.why;
  if (records.size() > 1) out += "; and " + std::to_string(records.size() - 1) + " more key(s)";
  // The key ends at a tab, not a ':' (fingerprint:<uri>, df-article:<n> hold one, and kcat
  // splits at the first); quoted for the shell whatever it holds.
  std::string quoted = "'";
  for (const char c : first.key) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  quoted += "'";
  out += "; a tombstone for the key drops just that record (for a story: the story), e.g. `printf '%s\\t\\n' " + quoted +
         " | kcat -P -b " + std::string(bootstrap) + " -t " + std::string(topic) +
         " -K '\\t' -Z`; cluster.restore=false starts with no stories at all";
  return out;
}

restore_summary restore_stories(const cfg::config& config, chain& stages, probe& p, const std::atomic<bool>* stop) {
  const auto start = std::chrono::steady_clock::now();
  restore_summary summary;
  probe quiet;  // the changelog is not input: keep it out of the consumed-messages series
  std::optional<kafka_source> opened;
  try {
    opened.emplace(source_options{consumer_properties(config), {config.topics.changelog}, 1000, range_bounds{}, {}},
                   quiet);
  } catch (const startup_error& e) {
    // The producer has found topics.changelog already (it is an output), so not a missing topic.
    throw startup_error("restoring stories: " + std::string(e.what()));
  }
  kafka_source& source = *opened;
  const auto& topic = config.topics.changelog;
  const auto policy = cleanup_policy(source.handle(), topic);
  if (!policy) spdlog::info("topics.changelog '{}': the broker did not describe its cleanup.policy; not checked", topic);
  const auto found = fetch_partitions(source.handle(), {topic}, 15000);
  // Several partitions stopped the start-up before (run_command.cc); a topic that is not compacted
  // still works.
  for (const auto& problem : changelog_topic_problems(topic, policy.value_or("compact"), 1)) spdlog::warn("{}", problem);
  ignore_assignment listener;
  source.set_listener(&listener);
  // A record that does not restore stops the start-up only if it is its key's latest: the state a
  // compacted topic holds is each key's latest record, and compaction may not have run yet.
  std::map<std::string, unreadable_record> unreadable;  // by key
  std::vector<input_record> batch;
  for (;;) {
    batch.clear();
    const auto status = source.poll(batch, std::chrono::milliseconds(200));
    for (const auto& r : batch) {
      ++summary.records;
      unreadable.erase(r.key);
      const auto value = r.null_value ? std::nullopt : std::optional<std::string>(r.value);
      if (auto restored = stages.restore(r.key, value); !restored) {
        unreadable[r.key] = {r.key, r.tp.partition.value, r.off.value, restored.error().message};
      }
    }
    if (status == poll_status::end_of_input) break;
    if (status == poll_status::fatal) throw startup_error("restoring stories: " + source.last_error());
    if (stop && *stop) {
      summary.stopped = true;
      return summary;
    }
  }
  source.close();
  if (!unreadable.empty()) {
    std::vector<unreadable_record> records;
    for (auto& [key, record] : unreadable) records.push_back(std::move(record));
    throw startup_error(unreadable_changelog_message(config.kafka.bootstrap_servers, topic, records));
  }
  stages.finish_restore(std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count());
  summary.stories = stages.live_stories();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  p.on_restore(summary.seconds, summary.stories);
  spdlog::info("restored {} stor{} from {} ({} changelog records) in {:.3f} s; learned boilerplate and keyword "
               "frequencies as of article {}",
               summary.stories, summary.stories == 1 ? "y" : "ies", config.topics.changelog, summary.records,
               summary.seconds, stages.learned_articles());
  if (const std::size_t skipped = stages.skipped_learned_records(); skipped > 0) {
    spdlog::warn("{} learned-state record(s) of {} (learner:*, keywords:*) were written for another "
                 "normalize.learner.capacity or another build's sketch size and are skipped: what they held is "
                 "learned again from the articles to come, and the next checkpoint replaces or deletes them",
                 skipped, config.topics.changelog);
  }
  return summary;
}

}  // namespace wirefeed::kafka
