#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "pipeline/ner/byte_reader.h"
#include "pipeline/ner/byte_writer.h"
#include "pipeline/ner/tag_set.h"

namespace wirefeed::ner {

// The weights of one tagging stage: a quantised, sparse row of per-tag weights for each kept
// feature key, and the BILOU transition scores. Weights are quantised to 16 bits when the table is built
// (weight = q * scale, scale = max |w| / 32767), so a built table and the same table written and
// read back score identically. Immutable once built; const methods are thread-safe.
class weight_table {
 public:
  static constexpr std::size_t tags = tag_set::size;
  using row = std::array<float, tags>;

  // One non-zero weight of a row: weight * scale() is the score feature adds to tag `tag`.
  struct entry {
    std::int16_t weight;
    std::uint16_t tag;
  };
  // The non-zero weights of one feature, in tag order. Empty if the table has none.
  struct row_view {
    const entry* first = nullptr;
    const entry* last = nullptr;
    const entry* begin() const { return first; }
    const entry* end() const { return last; }
    bool empty() const { return first == last; }
  };

  // Transition scores: from tag i to tag j; start/end scores for the first/last tag.
  struct transitions {
    std::array<std::array<float, tags>, tags> between{};
    std::array<float, tags> start{};
    std::array<float, tags> end{};
  };

  weight_table() = default;
  // Weights with |w| <= prune are zeroed, all-zero rows dropped, the rest quantised.
  weight_table(transitions trans, const std::vector<std::pair<std::uint64_t, row>>& rows, float prune);

  // The quantised non-zero weights of feature `key`.
  row_view find(std::uint64_t key) const {
    if (slots_.empty()) return {};
    const std::uint32_t fp = fingerprint(key);
    for (std::size_t i = key & mask_;; i = (i + 1) & mask_) {
      const slot& s = slots_[i];
      if (s.fingerprint == fp) {
        const entry* first = &entries_[s.where >> 8];
        return {first, first + (s.where & 0xff)};
      }
      if (s.fingerprint == 0) return {};
    }
  }
  // The weight of `key` for `tag`, de-quantised (0 if absent). For tests and tools.
  float weight(std::uint64_t key, std::size_t tag) const {
    for (const entry& e : find(key))
      if (e.tag == tag) return static_cast<float>(e.weight) * scale_;
    return 0.0f;
  }
  void prefetch(std::uint64_t key) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[key & mask_]);
  }
  float scale() const { return scale_; }
  const transitions& transition_scores() const { return trans_; }
  std::size_t row_count() const { return keys_.size(); }

  // Serialisation inside the model file: transitions (f32), scale (f32), row count (u64), then per
  // row sorted by key: u64 key, u32 mask of non-zero tags, one i16 per set bit.
  void write(byte_writer& w) const;
  static std::optional<weight_table> read(byte_reader& r);  // nullopt if malformed

 private:
  // The run-time index stores 32-bit fingerprints (high half of the key, never 0) in 8-byte slots
  // addressed by the low bits of the key: half the memory of full keys, so more of it stays in
  // cache. Keys of the model are distinct in both halves with overwhelming probability (a clash
  // is detected when the index is built, and the later row is dropped); an absent key matching a
  // fingerprint in its probe run is about as likely (~2^-32 per lookup).
  struct slot {
    std::uint32_t fingerprint = 0;  // 0 = empty
    std::uint32_t where = 0;        // first entry << 8 | entry count
  };
  static std::uint32_t fingerprint(std::uint64_t key) { return static_cast<std::uint32_t>(key >> 32) | 1u; }
  void add_row(std::uint64_t key, const std::int16_t* quantised);  // `tags` weights
  void build_index();

  transitions trans_;
  std::vector<std::uint64_t> keys_;           // full key of each row, ascending
  std::vector<std::uint32_t> row_first_;      // first entry of each row (plus one past the end)
  std::vector<entry> entries_;                // all rows' non-zero weights, row after row
  std::vector<slot> slots_;
  std::size_t mask_ = 0;
  float scale_ = 1.0f;
};

}  // namespace wirefeed::ner
