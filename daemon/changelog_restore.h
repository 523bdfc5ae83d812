#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "pipeline/chain.h"
#include "pipeline/probe.h"

namespace wirefeed::kafka {

struct restore_summary {
  std::size_t records = 0;  // changelog records read
  std::size_t stories = 0;  // live stories after the restore
  double seconds = 0;
  bool stopped = false;  // `stop` was set: the chain holds part of the state, and nothing was reported
};

// Reads topics.changelog from its first to its current end offsets (a compacted topic: key =
// story id, value = the story's full state, a null value (a tombstone) = deleted) into the chain's
// cluster stage, before the daemon consumes anything. Logs and reports (probe::on_restore) what it
// restored and how long it took. Throws startup_error when the topic is missing or a key's latest
// record does not restore (unreadable_changelog_message): continuing without the state would
// silently start new stories for old ones. A record a later one of its key replaces is no error.
// Before reading, checks the topic's cleanup.policy and warns when it is not compacted
// (changelog_topic_problems; a broker that does not answer the config request is not checked).
// Its partition count `run` checks before, whether it restores or not.
// Once `stop` is set (a signal; checked between polls, at least every 200 ms) it gives up reading.
restore_summary restore_stories(const cfg::config& config, chain& stages, probe& p,
                                const std::atomic<bool>* stop = nullptr);

// A changelog record that did not restore (stage_error message `why`).
struct unreadable_record {
  std::string key;
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  std::string why;
};

// The start-up error for keys whose latest records did not restore: the first of them by offset,
// how many more, and how to get past it (a tombstone for the key, with the kcat command line, or
// no restore at all).
std::string unreadable_changelog_message(std::string_view bootstrap, std::string_view topic,
                                         std::vector<unreadable_record> records);

// What is wrong with `topic` as the home of the story state, given its cleanup.policy and partition
// count: nothing when it is compacted and has one partition.
std::vector<std::string> changelog_topic_problems(std::string_view topic, std::string_view cleanup_policy,
                                                  int partitions);
// Of them, the partition count's alone: "" for one.
std::string changelog_partition_problem(std::string_view topic, int partitions);

}  // namespace wirefeed::kafka
