#include "pipeline/offset_tracker.h"

#include <algorithm>

namespace wirefeed {

void offset_tracker::track(offset off) {
  // Offsets go back only when the partition's log did (truncated after an unclean leader
  // election, the topic deleted and created again): what is tracked of the old log is dropped,
  // its records still in flight complete as unknown, and the commit position follows the new log
  // (else it would stay at the old log's lowest incomplete offset for ever, the window growing).
  if (highest_ && off.value <= *highest_) {
    window_.clear();
    pending_ = 0;
  }
  window_.push_back({off.value, false});
  highest_ = off.value;
  ++pending_;
}

bool offset_tracker::complete(offset off) {
  auto it = std::lower_bound(window_.begin(), window_.end(), off.value,
                             [](const entry& e, std::int64_t v) { return e.off < v; });
  if (it == window_.end() || it->off != off.value || it->done) return false;
  it->done = true;
  --pending_;
  while (!window_.empty() && window_.front().done) window_.pop_front();
  return true;
}

std::optional<offset> offset_tracker::commit_position() const {
  if (!window_.empty()) return offset{window_.front().off};
  if (highest_) return offset{*highest_ + 1};
  return std::nullopt;
}

}  // namespace wirefeed
