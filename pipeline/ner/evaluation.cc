#include "pipeline/ner/evaluation.h"

#include <algorithm>

namespace wirefeed::ner {

void evaluation::add(const std::vector<label>& gold, const std::vector<label>& predicted) {
  const auto g = to_spans(gold);
  const auto p = to_spans(predicted);
  for (const entity_span& s : g) {
    ++overall_.gold;
    ++by_type_[static_cast<std::size_t>(s.type)].gold;
  }
  for (const entity_span& s : p) {
    ++overall_.predicted;
    ++by_type_[static_cast<std::size_t>(s.type)].predicted;
    if (std::find(g.begin(), g.end(), s) != g.end()) {
      ++overall_.correct;
      ++by_type_[static_cast<std::size_t>(s.type)].correct;
    }
  }
}

}  // namespace wirefeed::ner
