#include "pipeline/extract.h"

namespace wirefeed {

status extractor::process(article& /*a*/) const { return ok_status(); }

}  // namespace wirefeed
