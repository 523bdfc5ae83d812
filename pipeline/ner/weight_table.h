#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "pipeline/ner/byte_reader.h"
#include "pipeline/ner/byte_writer.h"
#include "pipeline/ner/flat_hash_table.h"
#include "pipeline/ner/tag_set.h"

namespace wirefeed::ner {

// The weights of one tagging stage: a quantised row of per-tag weights for each kept feature key,
// and the BILOU transition scores. Weights are quantised to 16 bits when the table is built
// (weight = q * scale, scale = max |w| / 32767), so a built table and the same table written and
// read back score identically. Immutable once built; const methods are thread-safe.
class weight_table {
 public:
  static constexpr std::size_t tags = tag_set::size;
  // Each row is padded to row_stride lanes (48 bytes) so that summing rows vectorises; lanes >=
  // tags are zero.
  static constexpr std::size_t row_stride = 24;
  using row = std::array<float, tags>;

  // Transition scores: from tag i to tag j; start/end scores for the first/last tag.
  struct transitions {
    std::array<std::array<float, tags>, tags> between{};
    std::array<float, tags> start{};
    std::array<float, tags> end{};
  };

  weight_table() = default;
  // Weights with |w| <= prune are zeroed, all-zero rows dropped, the rest quantised.
  weight_table(transitions trans, const std::vector<std::pair<std::uint64_t, row>>& rows, float prune);

  // The quantised weights of feature `key` (row_stride lanes; multiply by scale()), or nullptr if
  // the table has none (all zero).
  const std::int16_t* find(std::uint64_t key) const {
    const std::uint32_t* r = index_.find(key);
    return r ? &weights_[static_cast<std::size_t>(*r) * row_stride] : nullptr;
  }
  void prefetch(std::uint64_t key) const { index_.prefetch(key); }
  float scale() const { return scale_; }
  const transitions& transition_scores() const { return trans_; }
  std::size_t row_count() const { return index_.size(); }

  // Serialisation inside the model file: transitions (f32), scale (f32), row count (u64), then per
  // row sorted by key: u64 key, u32 mask of non-zero tags, one i16 per set bit.
  void write(byte_writer& w) const;
  static std::optional<weight_table> read(byte_reader& r);  // nullopt if malformed

 private:
  void add_row(std::uint64_t key, const std::int16_t* quantised);

  transitions trans_;
  flat_hash_table<std::uint32_t> index_;  // feature key -> row number
  std::vector<std::int16_t> weights_;     // row-major, row_stride lanes per row
  float scale_ = 1.0f;
};

}  // namespace wirefeed::ner
