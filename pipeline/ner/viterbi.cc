#include "pipeline/ner/viterbi.h"

#include <array>
#include <limits>

namespace wirefeed::ner {

namespace {

constexpr std::size_t T = model::tags;

// The allowed predecessors of each tag, computed once.
struct predecessor_table {
  std::array<std::array<std::uint8_t, T>, T> from{};
  std::array<std::uint8_t, T> count{};
  predecessor_table() {
    for (std::uint8_t to = 0; to < T; ++to)
      for (std::uint8_t f = 0; f < T; ++f)
        if (tag_set::allowed(f, to)) from[to][count[to]++] = f;
  }
};

const predecessor_table& predecessors() {
  static const predecessor_table table;
  return table;
}

}  // namespace

void viterbi::decode(const float* emissions, std::size_t n, const model::transitions& trans, std::uint8_t* out) {
  if (n == 0) return;
  constexpr float impossible = -std::numeric_limits<float>::infinity();
  const predecessor_table& pred = predecessors();
  score_.resize(n * T);
  back_.resize(n * T);
  for (std::uint8_t t = 0; t < T; ++t)
    score_[t] = tag_set::allowed_first(t) ? trans.start[t] + emissions[t] : impossible;
  for (std::size_t i = 1; i < n; ++i) {
    const float* prev = &score_[(i - 1) * T];
    float* cur = &score_[i * T];
    std::uint8_t* bp = &back_[i * T];
    const float* e = &emissions[i * T];
    for (std::uint8_t t = 0; t < T; ++t) {
      float best = impossible;
      std::uint8_t arg = pred.from[t][0];
      for (std::uint8_t k = 0; k < pred.count[t]; ++k) {
        const std::uint8_t f = pred.from[t][k];
        const float s = prev[f] + trans.between[f][t];
        if (s > best) {
          best = s;
          arg = f;
        }
      }
      cur[t] = best + e[t];
      bp[t] = arg;
    }
  }
  const float* last = &score_[(n - 1) * T];
  float best = impossible;
  std::uint8_t arg = 0;
  for (std::uint8_t t = 0; t < T; ++t) {
    if (!tag_set::allowed_last(t)) continue;
    const float s = last[t] + trans.end[t];
    if (s > best) {
      best = s;
      arg = t;
    }
  }
  out[n - 1] = arg;
  for (std::size_t i = n - 1; i > 0; --i) out[i - 1] = back_[i * T + out[i]];
}

}  // namespace wirefeed::ner
