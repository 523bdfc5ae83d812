#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "pipeline/boilerplate_learner.h"
#include "pipeline/df_sketch.h"
#include "pipeline/error.h"
#include "pipeline/record.h"

namespace wirefeed {

// Learned state of the ordered strand as changelog records, in parts a broker takes (a few tens
// to a couple of hundred KB each), each part self-contained: which part, of what size, after how
// many articles.

// A df_sketch: records "<prefix><part>" of 16,384 counters, with the sketch's document counts.
// The cluster stage's document frequencies ("df-sketch:") and the keyword ranker's ("keywords:").
inline constexpr std::size_t sketch_part_counters = 16384;
void write_sketch_parts(const df_sketch& df, std::uint64_t articles, std::string_view key_prefix,
                        std::vector<output_record>& out);

struct sketch_part {
  std::size_t from = 0;
  std::vector<std::uint32_t> counters;
  double documents = 0;
  std::uint64_t since_halving = 0;
  std::optional<std::uint64_t> articles;  // none: written by a build before the number
};
// Nothing for a part of a sketch of another size (another build or configuration): it is skipped.
result<std::optional<sketch_part>> parse_sketch_part(std::string_view json, std::size_t sketch_size);
bool restore_sketch_part(df_sketch& df, const sketch_part& part);

inline constexpr std::string_view keywords_key_prefix = "keywords:";

// The boilerplate learner's table: records "learner:<part>" of 4,096 slots.
inline constexpr std::string_view learner_key_prefix = "learner:";
void write_learner_parts(const boilerplate_learner& learner, std::uint64_t articles, std::vector<output_record>& out);
// Takes one such record back into `learner`; a part of a table of another capacity
// (normalize.learner.capacity changed) is skipped.
enum class part_restored { taken, skipped };
result<part_restored> restore_learner_part(boilerplate_learner& learner, std::string_view json);

}  // namespace wirefeed
