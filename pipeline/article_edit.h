#pragma once

#include <cstddef>

#include "pipeline/article.h"

namespace wirefeed {

// Removes paragraph `index` from a normalized article: its text leaves `body` and `folded`
// (with the "\n\n" that joined it to its neighbour), its sentences and tokens are dropped, and
// every span after it is shifted so it still points at the same text. A dateline inside the
// paragraph is dropped too, and so is `cluster_input` (derived from the extracted fields). The
// caller records what it removed in `a.removed`.
//
// Every field of `article` that holds offsets into the body must be kept right here; a stage
// adding such a field extends this function (and its test).
void erase_paragraph(article& a, std::size_t index);

}  // namespace wirefeed
