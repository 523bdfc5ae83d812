#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "pipeline/ner/tag_set.h"
#include "pipeline/ner/viterbi.h"

namespace wirefeed::ner {
namespace {

constexpr std::size_t T = model::tags;

bool well_formed(const std::vector<std::uint8_t>& tags) {
  if (tags.empty()) return true;
  if (!tag_set::allowed_first(tags.front()) || !tag_set::allowed_last(tags.back())) return false;
  for (std::size_t i = 1; i < tags.size(); ++i)
    if (!tag_set::allowed(tags[i - 1], tags[i])) return false;
  return true;
}

TEST(ViterbiTest, NeverStartsWithInsideEvenWhenItScoresHighest) {
  const auto i_per = tag_set::make(entity_type::per, tag_set::inside);
  std::vector<float> e(2 * T, 0.0f);
  e[0 * T + i_per] = 10.0f;
  e[1 * T + i_per] = 10.0f;
  viterbi v;
  std::vector<std::uint8_t> out(2);
  v.decode(e.data(), 2, model::transitions{}, out.data());
  EXPECT_TRUE(well_formed(out));
  EXPECT_NE(out[0], i_per);
}

TEST(ViterbiTest, ClosesAnOpenedEntityOfTheSameType) {
  const auto b_org = tag_set::make(entity_type::org, tag_set::begin);
  const auto l_loc = tag_set::make(entity_type::loc, tag_set::last);
  const auto l_org = tag_set::make(entity_type::org, tag_set::last);
  std::vector<float> e(2 * T, 0.0f);
  e[0 * T + b_org] = 5.0f;
  e[1 * T + l_loc] = 5.0f;  // type mismatch: not allowed after B-ORG
  e[1 * T + l_org] = 1.0f;
  viterbi v;
  std::vector<std::uint8_t> out(2);
  v.decode(e.data(), 2, model::transitions{}, out.data());
  EXPECT_EQ(out[0], b_org);
  EXPECT_EQ(out[1], l_org);
}

TEST(ViterbiTest, FindsTheBestSequenceWithTransitions) {
  // O O scores 1+1; U-PER O scores 3+1 but a transition penalty of -5 on U-PER -> O makes O O best.
  const auto u_per = tag_set::make(entity_type::per, tag_set::unit);
  std::vector<float> e(2 * T, -100.0f);
  e[0 * T + 0] = 1.0f;
  e[0 * T + u_per] = 3.0f;
  e[1 * T + 0] = 1.0f;
  model::transitions tr;
  tr.between[u_per][0] = -5.0f;
  viterbi v;
  std::vector<std::uint8_t> out(2);
  v.decode(e.data(), 2, tr, out.data());
  EXPECT_EQ(out[0], 0);
  EXPECT_EQ(out[1], 0);
}

TEST(ViterbiTest, OutputIsAlwaysWellFormedForRandomScores) {
  std::mt19937 rng(7);
  std::normal_distribution<float> normal(0.0f, 3.0f);
  viterbi v;
  for (int round = 0; round < 500; ++round) {
    const std::size_t n = 1 + round % 12;
    std::vector<float> e(n * T);
    for (float& x : e) x = normal(rng);
    model::transitions tr;
    for (auto& row : tr.between)
      for (float& x : row) x = normal(rng);
    std::vector<std::uint8_t> out(n);
    v.decode(e.data(), n, tr, out.data());
    ASSERT_TRUE(well_formed(out)) << "round " << round;
  }
}

}  // namespace
}  // namespace wirefeed::ner
