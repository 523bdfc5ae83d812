#include "pipeline/df_sketch.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace wirefeed {

df_sketch::df_sketch(std::size_t width, std::uint64_t half_life) : half_life_(std::max<std::uint64_t>(half_life, 1)) {
  const std::size_t w = std::bit_ceil(std::max<std::size_t>(width, 64));
  width_mask_ = w - 1;
  counters_.assign(rows * w, 0);
}

std::size_t df_sketch::slot(std::size_t row, std::uint64_t hash) const {
  // Row r uses hash bits rotated by 16 r: four nearly independent indices from one 64-bit hash.
  const std::uint64_t h = std::rotr(hash, static_cast<int>(16 * row)) * 0x9E3779B97F4A7C15ull;
  return row * (width_mask_ + 1) + static_cast<std::size_t>((h >> 32) & width_mask_);
}

std::uint32_t df_sketch::estimate(std::uint64_t hash) const {
  std::uint32_t best = UINT32_MAX;
  for (std::size_t r = 0; r < rows; ++r) best = std::min(best, counters_[slot(r, hash)]);
  return best;
}

double df_sketch::idf(std::uint64_t hash) const {
  const double df = std::min<double>(estimate(hash), documents_);
  return std::log((1 + documents_) / (1 + df)) + 1;
}

void df_sketch::add(std::uint64_t hash) {
  // Conservative update: only the counters at the current minimum grow.
  const std::uint32_t now = estimate(hash);
  if (now == UINT32_MAX) return;
  for (std::size_t r = 0; r < rows; ++r) {
    std::uint32_t& c = counters_[slot(r, hash)];
    if (c == now) c = now + 1;
  }
}

void df_sketch::add_document(const std::vector<std::uint64_t>& hashes) {
  for (const std::uint64_t h : hashes) add(h);
  documents_ += 1;
  if (++since_halving_ >= half_life_) halve();
}

void df_sketch::halve() {
  for (std::uint32_t& c : counters_) c >>= 1;
  documents_ /= 2;
  since_halving_ = 0;
}

}  // namespace wirefeed
