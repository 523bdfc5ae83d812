#include "pipeline/ner/weight_table.h"

#include <algorithm>
#include <cmath>

namespace wirefeed::ner {

weight_table::weight_table(transitions trans, const std::vector<std::pair<std::uint64_t, row>>& rows, float prune)
    : trans_(trans) {
  float max_abs = 0.0f;
  for (const auto& [key, weights] : rows)
    for (float w : weights) max_abs = std::max(max_abs, std::fabs(w));
  scale_ = max_abs > 0.0f ? max_abs / 32767.0f : 1.0f;
  index_.reserve(rows.size());
  std::int16_t q[row_stride] = {};
  for (const auto& [key, weights] : rows) {
    bool keep = false;
    for (std::size_t t = 0; t < tags; ++t) {
      const float w = std::fabs(weights[t]) <= prune ? 0.0f : weights[t];
      q[t] = static_cast<std::int16_t>(std::lround(w / scale_));
      keep = keep || q[t] != 0;
    }
    if (keep) add_row(key, q);
  }
}

void weight_table::add_row(std::uint64_t key, const std::int16_t* quantised) {
  std::uint32_t& r = index_[key];
  r = static_cast<std::uint32_t>(weights_.size() / row_stride);
  weights_.insert(weights_.end(), quantised, quantised + row_stride);
}

void weight_table::write(byte_writer& p) const {
  for (const auto& from : trans_.between)
    for (float w : from) p.f32(w);
  for (float w : trans_.start) p.f32(w);
  for (float w : trans_.end) p.f32(w);
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keys;
  keys.reserve(index_.size());
  index_.for_each([&](std::uint64_t k, std::uint32_t r) { keys.emplace_back(k, r); });
  std::sort(keys.begin(), keys.end());
  p.f32(scale_);
  p.u64(keys.size());
  for (const auto& [k, r] : keys) {
    const std::int16_t* q = &weights_[static_cast<std::size_t>(r) * row_stride];
    std::uint32_t mask = 0;
    for (std::size_t t = 0; t < tags; ++t)
      if (q[t] != 0) mask |= 1u << t;
    p.u64(k);
    p.u32(mask);
    for (std::size_t t = 0; t < tags; ++t)
      if (mask & (1u << t)) p.i16(q[t]);
  }
}

std::optional<weight_table> weight_table::read(byte_reader& r) {
  weight_table t;
  for (auto& from : t.trans_.between)
    for (float& w : from) w = r.f32();
  for (float& w : t.trans_.start) w = r.f32();
  for (float& w : t.trans_.end) w = r.f32();
  t.scale_ = r.f32();
  const std::uint64_t rows = r.u64();
  if (r.failed() || rows > r.remaining() / 12 || !(t.scale_ > 0.0f)) return std::nullopt;
  t.index_.reserve(rows);
  t.weights_.reserve(rows * row_stride);
  std::int16_t q[row_stride] = {};
  for (std::uint64_t i = 0; i < rows; ++i) {
    const std::uint64_t k = r.u64();
    const std::uint32_t mask = r.u32();
    for (std::size_t tag = 0; tag < tags; ++tag) q[tag] = (mask & (1u << tag)) ? r.i16() : std::int16_t{0};
    if (r.failed()) return std::nullopt;
    t.add_row(k, q);
  }
  return t;
}

}  // namespace wirefeed::ner
