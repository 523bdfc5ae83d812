#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/error.h"
#include "pipeline/ner/feature_options.h"
#include "pipeline/ner/flat_hash_table.h"
#include "pipeline/ner/gazetteer.h"
#include "pipeline/ner/tag_set.h"

namespace wirefeed::ner {

// The trained weights of the tagger, plus everything else the runtime needs (the gazetteer lists
// and the feature options): one file, nothing else to ship.
//
// File format (all integers little-endian):
//   8 bytes   magic "WFNERMDL"
//   u32       format_version
//   u64       payload length P
//   P bytes   payload: tag count, feature option bits, gazetteer lists, transition weights (f32),
//             weight scale (f32), row count, then per row (sorted by key): u64 feature key,
//             u32 bit mask of the tags with a non-zero weight, one i16 per set bit
//             (weight = i16 * scale)
//   u64       FNV-1a-64 checksum of the payload
// Emission weights are quantised to 16 bits (weight = q * scale, scale = max |w| / 32767) when the
// model is built, so a built model and the same model written and loaded again score identically.
// Writing the same model twice gives identical bytes.
//
// Immutable once built; all const methods are thread-safe.
class model {
 public:
  static constexpr std::size_t tags = tag_set::size;
  static constexpr std::uint32_t format_version = 1;
  // In memory each row of quantised weights is padded to `row_stride` lanes (48 bytes) so that
  // summing rows vectorises; lanes >= tags are zero.
  static constexpr std::size_t row_stride = 24;
  using row = std::array<float, tags>;

  // Transition scores: from tag i to tag j; start/end scores for the first/last tag.
  struct transitions {
    std::array<std::array<float, tags>, tags> between{};
    std::array<float, tags> start{};
    std::array<float, tags> end{};
  };

  model() = default;
  // Builds a model from trained weights: weights with |w| <= prune are zeroed, all-zero rows are
  // dropped, the rest quantised.
  model(gazetteer gaz, feature_options options, transitions trans,
        const std::vector<std::pair<std::uint64_t, row>>& rows, float prune = 0.0f);

  // The quantised weights of feature `key` (row_stride lanes; multiply by scale()), or nullptr if
  // the model has none (i.e. all zero).
  const std::int16_t* find(std::uint64_t key) const {
    const std::uint32_t* r = index_.find(key);
    return r ? &weights_[static_cast<std::size_t>(*r) * row_stride] : nullptr;
  }
  float scale() const { return scale_; }
  void prefetch(std::uint64_t key) const { index_.prefetch(key); }
  const transitions& transition_scores() const { return trans_; }
  const gazetteer& gazetteer_lists() const { return gaz_; }
  const feature_options& options() const { return options_; }
  std::size_t row_count() const { return index_.size(); }

  // Serialisation. `save` writes to a temporary file and renames it into place.
  std::string serialise() const;
  static result<model> parse(std::string_view bytes);
  status save(const std::string& path) const;
  static result<model> load(const std::string& path);

 private:
  void add_row(std::uint64_t key, const std::int16_t* quantised);

  gazetteer gaz_;
  feature_options options_;
  transitions trans_;
  flat_hash_table<std::uint32_t> index_;  // feature key -> row number
  std::vector<std::int16_t> weights_;     // row-major, row_stride lanes per row
  float scale_ = 1.0f;
};

}  // namespace wirefeed::ner
