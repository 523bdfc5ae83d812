#pragma once

#include "pipeline/article.h"
#include "pipeline/error.h"

namespace wirefeed {

// Stage 2: one clean canonical article (issue #3). Until then a pass-through.
// Pure and thread-safe.
class normalizer {
 public:
  status process(article& a) const;
};

}  // namespace wirefeed
