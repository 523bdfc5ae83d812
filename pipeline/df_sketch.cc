#include "pipeline/df_sketch.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace wirefeed {

df_sketch::df_sketch(std::size_t width, std::uint64_t half_life) : half_life_(std::max<std::uint64_t>(half_life, 1)) {
  const std::size_t w = std::bit_ceil(std::max<std::size_t>(width, 64));
  block_mask_ = rows * w / block_counters - 1;
  counters_.assign(rows * w, 0);
}

std::size_t df_sketch::slot(std::size_t row, std::uint64_t hash) const {
  // Blocked: a term's four counters share one 64-byte block (one cache miss, not four). The block
  // comes from the hash's high bits; row r takes one of its own four counters of the block by two
  // low bits, so the rows never share a counter.
  const std::uint64_t h = hash * 0x9E3779B97F4A7C15ull;
  const std::size_t block = static_cast<std::size_t>(h >> 32) & block_mask_;
  return block * block_counters + row * 4 + static_cast<std::size_t>((hash >> (2 * row)) & 3);
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
  for (const std::uint64_t h : hashes) prefetch(h);
  for (const std::uint64_t h : hashes) add(h);
  documents_ += 1;
  if (++since_halving_ >= half_life_) halve();
}

bool df_sketch::restore(std::size_t from, const std::vector<std::uint32_t>& values, double documents,
                        std::uint64_t since_halving) {
  if (from > counters_.size() || values.size() > counters_.size() - from || !(documents >= 0)) return false;
  std::copy(values.begin(), values.end(), counters_.begin() + static_cast<std::ptrdiff_t>(from));
  documents_ = documents;
  since_halving_ = since_halving;
  return true;
}

void df_sketch::halve() {
  for (std::uint32_t& c : counters_) c >>= 1;
  documents_ /= 2;
  since_halving_ = 0;
}

}  // namespace wirefeed
