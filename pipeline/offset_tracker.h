#pragma once

#include <cstdint>
#include <deque>
#include <optional>

#include "pipeline/record.h"

namespace wirefeed {

// The in-flight offsets of one partition, from consumption to the delivery of their last output.
// Offsets are tracked in consumption order (increasing, gaps allowed: compaction and transaction
// markers leave holes) and may complete in any order. The commit position is the lowest offset not
// yet complete, or one past the highest tracked when all are: committing it never skips a
// message whose outputs are not yet durable.
//
// Not thread-safe: owned by the engine's strand.
class offset_tracker {
 public:
  // Starts tracking `off`, normally greater than every offset tracked before; one that is not
  // starts the tracking afresh (the log was truncated or recreated).
  void track(offset off);
  // Marks `off` complete. Returns false if it was not being tracked (already complete, or never).
  bool complete(offset off);
  // The position to commit (next offset to consume), or nothing before the first track().
  std::optional<offset> commit_position() const;
  std::size_t in_flight() const { return pending_; }

 private:
  struct entry {
    std::int64_t off;
    bool done;
  };
  std::deque<entry> window_;  // from the lowest incomplete offset up to the highest tracked
  std::size_t pending_ = 0;
  std::optional<std::int64_t> highest_;
};

}  // namespace wirefeed
