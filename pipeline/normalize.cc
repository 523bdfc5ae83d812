#include "pipeline/normalize.h"

namespace wirefeed {

status normalizer::process(article& /*a*/) const { return ok_status(); }

}  // namespace wirefeed
