#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/article.h"

namespace wirefeed {

// A change to one story, published on the stories topic (key = story id).
struct story_update {
  std::string story_id;
  std::string state_json;  // the story's full current state
};

// Stage 4: online story assignment (issue #5). Until then it assigns nothing and publishes
// nothing. Stateful: owned by exactly one strand, which calls `process` in the deterministic
// release order; `now_ms` is the caller's clock.
class cluster_stage {
 public:
  std::vector<story_update> process(article& a, std::int64_t now_ms);
};

}  // namespace wirefeed
