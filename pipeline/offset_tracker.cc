#include "pipeline/offset_tracker.h"

#include <algorithm>
#include <cassert>

namespace wirefeed {

void offset_tracker::track(offset off) {
  assert(!highest_ || off.value > *highest_);
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
