#pragma once

#include <cstddef>
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
};

// Reads topics.changelog from its first to its current end offsets (a compacted topic: key =
// story id, value = the story's full state, an empty or null value = deleted) into the chain's
// cluster stage, before the daemon consumes anything. Logs and reports (probe::on_restore) what it
// restored and how long it took. Throws startup_error when the topic is missing or a record does
// not parse: continuing without the state would silently start new stories for old ones.
// Before reading, checks the topic's cleanup.policy and partition count and warns about what
// changelog_topic_problems finds (a broker that does not answer the config request is not checked).
restore_summary restore_stories(const cfg::config& config, chain& stages, probe& p);

// What is wrong with `topic` as the home of the story state, given its cleanup.policy and partition
// count: nothing when it is compacted and has one partition.
std::vector<std::string> changelog_topic_problems(std::string_view topic, std::string_view cleanup_policy,
                                                  int partitions);

}  // namespace wirefeed::kafka
