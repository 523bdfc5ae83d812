#include "pipeline/cluster.h"

namespace wirefeed {

std::vector<story_update> cluster_stage::process(article& /*a*/, std::int64_t /*now_ms*/) { return {}; }

}  // namespace wirefeed
