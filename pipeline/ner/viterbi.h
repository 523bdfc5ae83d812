#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "pipeline/ner/model.h"

namespace wirefeed::ner {

// First-order Viterbi decoding over the BILOU tag set. Only sequences allowed by tag_set
// (allowed_first / allowed / allowed_last) can come out, whatever the scores.
// Reuse one decoder per thread to avoid allocations; decode() is not thread-safe on one object.
class viterbi {
 public:
  // `emissions` holds n * model::tags scores, row-major by token. Writes n tags to `out`.
  // Ties are broken towards the lower tag number, so the result is deterministic.
  void decode(const float* emissions, std::size_t n, const model::transitions& trans, std::uint8_t* out);

 private:
  std::vector<float> score_;
  std::vector<std::uint8_t> back_;
};

}  // namespace wirefeed::ner
