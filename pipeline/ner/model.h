#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/error.h"
#include "pipeline/ner/feature_options.h"
#include "pipeline/ner/gazetteer.h"
#include "pipeline/ner/weight_table.h"

namespace wirefeed::ner {

// Everything the tagger needs at run time, in one file: the feature options, the gazetteer lists
// and the weights of one or two tagging stages (stage 2, if present, re-tags a document using
// stage 1's labels for the whole document; see tagger.h).
//
// File format (all integers little-endian):
//   8 bytes   magic "WFNERMDL"
//   u32       format_version
//   u64       payload length P
//   P bytes   payload: u32 tag count, u32 feature option bits, gazetteer lists, u32 stage count,
//             then each stage's weight_table (see weight_table.h)
//   u64       FNV-1a-64 checksum of the payload
// Writing the same model twice gives identical bytes. Immutable once built; const methods are
// thread-safe.
class model {
 public:
  static constexpr std::size_t tags = weight_table::tags;
  static constexpr std::uint32_t format_version = 1;
  static constexpr std::size_t max_stages = 2;
  using row = weight_table::row;
  using transitions = weight_table::transitions;

  model() = default;
  model(gazetteer gaz, feature_options options, std::vector<weight_table> stages);
  // A one-stage model from trained weights (see weight_table's constructor).
  model(gazetteer gaz, feature_options options, transitions trans,
        const std::vector<std::pair<std::uint64_t, row>>& rows, float prune = 0.0f);

  std::size_t stage_count() const { return stages_.size(); }
  const weight_table& stage(std::size_t i) const { return stages_[i]; }

  // Stage 1 shortcuts.
  weight_table::row_view find(std::uint64_t key) const { return stages_[0].find(key); }
  float scale() const { return stages_[0].scale(); }
  const transitions& transition_scores() const { return stages_[0].transition_scores(); }
  std::size_t row_count() const;  // all stages

  const gazetteer& gazetteer_lists() const { return gaz_; }
  const feature_options& options() const { return options_; }

  // Serialisation. `save` writes to a temporary file and renames it into place.
  std::string serialise() const;
  static result<model> parse(std::string_view bytes);
  status save(const std::string& path) const;
  static result<model> load(const std::string& path);

 private:
  gazetteer gaz_;
  feature_options options_;
  std::vector<weight_table> stages_ = std::vector<weight_table>(1);
};

}  // namespace wirefeed::ner
