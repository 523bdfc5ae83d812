#pragma once

#include <array>
#include <cstddef>
#include <vector>

#include "pipeline/ner/label.h"

namespace wirefeed::ner {

// Entity-level exact-match scoring, the same counting as conlleval: an entity counts as correct
// when its first token, last token and type all match. Accumulates over sentences.
class evaluation {
 public:
  struct counts {
    std::size_t gold = 0;
    std::size_t predicted = 0;
    std::size_t correct = 0;

    double precision() const { return predicted ? static_cast<double>(correct) / predicted : 0.0; }
    double recall() const { return gold ? static_cast<double>(correct) / gold : 0.0; }
    double f1() const {
      const double p = precision(), r = recall();
      return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
    }
  };

  void add(const std::vector<label>& gold, const std::vector<label>& predicted);

  const counts& overall() const { return overall_; }
  const counts& of(entity_type t) const { return by_type_[static_cast<std::size_t>(t)]; }

 private:
  counts overall_;
  std::array<counts, entity_type_count> by_type_{};
};

}  // namespace wirefeed::ner
