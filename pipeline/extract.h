#pragma once

#include "pipeline/article.h"
#include "pipeline/error.h"

namespace wirefeed {

// Stage 3: entities, quotes, figures, dates, keywords, fingerprints (issue #4). Until then a
// pass-through. Pure and thread-safe.
class extractor {
 public:
  status process(article& a) const;
};

}  // namespace wirefeed
