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
  // Rows in key order, so that the layout (and the index) depends only on the keys and weights.
  std::vector<std::size_t> order(rows.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return rows[a].first < rows[b].first; });
  std::int16_t q[tags] = {};
  for (const std::size_t i : order) {
    const auto& [key, weights] = rows[i];
    bool keep = false;
    for (std::size_t t = 0; t < tags; ++t) {
      const float w = std::fabs(weights[t]) <= prune ? 0.0f : weights[t];
      q[t] = static_cast<std::int16_t>(std::lround(w / scale_));
      keep = keep || q[t] != 0;
    }
    if (keep) add_row(key, q);
  }
  build_index();
}

void weight_table::add_row(std::uint64_t key, const std::int16_t* quantised) {
  if (row_first_.empty()) row_first_.push_back(0);
  keys_.push_back(key);
  for (std::size_t t = 0; t < tags; ++t)
    if (quantised[t] != 0) entries_.push_back(entry{quantised[t], static_cast<std::uint16_t>(t)});
  row_first_.push_back(static_cast<std::uint32_t>(entries_.size()));
}

void weight_table::build_index() {
  std::size_t cap = 16;
  while (cap < keys_.size() + keys_.size() / 2) cap <<= 1;  // load <= 2/3
  slots_.assign(cap, slot{});
  mask_ = cap - 1;
  for (std::size_t r = 0; r < keys_.size(); ++r) {
    const std::uint32_t fp = fingerprint(keys_[r]);
    for (std::size_t i = keys_[r] & mask_;; i = (i + 1) & mask_) {
      if (slots_[i].fingerprint == fp) break;  // clash with an earlier row: keep the earlier one
      if (slots_[i].fingerprint == 0) {
        const std::uint32_t count = row_first_[r + 1] - row_first_[r];
        slots_[i] = slot{fp, row_first_[r] << 8 | count};
        break;
      }
    }
  }
}

void weight_table::write(byte_writer& p) const {
  for (const auto& from : trans_.between)
    for (float w : from) p.f32(w);
  for (float w : trans_.start) p.f32(w);
  for (float w : trans_.end) p.f32(w);
  p.f32(scale_);
  p.u64(keys_.size());
  for (std::size_t r = 0; r < keys_.size(); ++r) {  // rows are in key order
    std::uint32_t mask = 0;
    for (std::uint32_t e = row_first_[r]; e < row_first_[r + 1]; ++e) mask |= 1u << entries_[e].tag;
    p.u64(keys_[r]);
    p.u32(mask);
    for (std::uint32_t e = row_first_[r]; e < row_first_[r + 1]; ++e) p.i16(entries_[e].weight);
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
  if (rows >= (1u << 24) / tags) return std::nullopt;  // entry offsets must fit in 24 bits
  t.keys_.reserve(rows);
  std::int16_t q[tags] = {};
  for (std::uint64_t i = 0; i < rows; ++i) {
    const std::uint64_t k = r.u64();
    const std::uint32_t mask = r.u32();
    for (std::size_t tag = 0; tag < tags; ++tag) q[tag] = (mask & (1u << tag)) ? r.i16() : std::int16_t{0};
    if (r.failed()) return std::nullopt;
    if (!t.keys_.empty() && k <= t.keys_.back()) return std::nullopt;  // must be sorted, distinct
    t.add_row(k, q);
  }
  t.build_index();
  return t;
}

}  // namespace wirefeed::ner
