#include "daemon/changelog_restore.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <set>

#include "daemon/kafka_properties.h"
#include "daemon/kafka_source.h"
#include "daemon/startup_error.h"

namespace wirefeed::kafka {
namespace {

struct ignore_assignment final : source_listener {
  void on_assigned(const std::vector<topic_partition>&) override {}
  void on_revoked(const std::vector<topic_partition>&, bool) override {}
  void on_partition_end(const topic_partition&) override {}
};

}  // namespace

restore_summary restore_stories(const cfg::config& config, chain& stages, probe& p) {
  const auto start = std::chrono::steady_clock::now();
  restore_summary summary;
  probe quiet;  // the changelog is not input: keep it out of the consumed-messages series
  std::optional<kafka_source> opened;
  try {
    opened.emplace(source_options{consumer_properties(config), {config.topics.changelog}, 1000, range_bounds{}}, quiet);
  } catch (const startup_error& e) {
    throw startup_error("restoring stories: " + std::string(e.what()) + " (story state: create topics.changelog '" + config.topics.changelog +
                        "' with cleanup.policy=compact, or set cluster.restore=false)");
  }
  kafka_source& source = *opened;
  ignore_assignment listener;
  source.set_listener(&listener);
  std::vector<input_record> batch;
  std::set<std::int32_t> partitions;
  for (;;) {
    batch.clear();
    const auto status = source.poll(batch, std::chrono::milliseconds(200));
    for (const auto& r : batch) {
      ++summary.records;
      partitions.insert(r.tp.partition.value);
      const auto value = r.null_value ? std::nullopt : std::optional<std::string>(r.value);
      if (auto restored = stages.restore(r.key, value); !restored) {
        throw startup_error("restoring stories from " + config.topics.changelog + " (partition " +
                            std::to_string(r.tp.partition.value) + ", offset " + std::to_string(r.off.value) +
                            "): " + restored.error().message);
      }
    }
    if (status == poll_status::end_of_input) break;
    if (status == poll_status::fatal) throw startup_error("restoring stories: " + source.last_error());
  }
  source.close();
  if (partitions.size() > 1) {
    // Records of different partitions come back in no order the writer had: which story was
    // updated last (eviction), and how far a crash cut the last article's records, are lost.
    spdlog::warn("{} holds story state in {} partitions: the restore needs one (recreate it with one partition, "
                 "as scripts/quickstart.sh creates it)", config.topics.changelog, partitions.size());
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
  return summary;
}

}  // namespace wirefeed::kafka
