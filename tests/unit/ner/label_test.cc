#include <gtest/gtest.h>

#include "pipeline/ner/label.h"
#include "pipeline/ner/tag_set.h"

namespace wirefeed::ner {
namespace {

const label O{};
const label per_begin{entity_type::per, true};
const label per_inside{entity_type::per, false};
const label loc_begin{entity_type::loc, true};

TEST(LabelTest, ParsesIob1WhereIAfterOtherTypeStartsAnEntity) {
  EXPECT_EQ(parse_iob("I-PER", O), per_begin);
  EXPECT_EQ(parse_iob("I-PER", per_begin), per_inside);
  EXPECT_EQ(parse_iob("B-PER", per_inside), per_begin);
  EXPECT_EQ(parse_iob("I-PER", loc_begin), per_begin);
  EXPECT_EQ(parse_iob("O", per_begin), O);
  EXPECT_FALSE(parse_iob("X-PER", O).has_value());
  EXPECT_FALSE(parse_iob("I-FOO", O).has_value());
}

TEST(LabelTest, WritesIob1WithBOnlyBetweenAdjacentEntitiesOfOneType) {
  const std::vector<label> labels = {per_begin, per_inside, per_begin, O, per_begin, loc_begin};
  EXPECT_EQ(iob1_tag(labels, 0), "I-PER");
  EXPECT_EQ(iob1_tag(labels, 1), "I-PER");
  EXPECT_EQ(iob1_tag(labels, 2), "B-PER");
  EXPECT_EQ(iob1_tag(labels, 3), "O");
  EXPECT_EQ(iob1_tag(labels, 4), "I-PER");
  EXPECT_EQ(iob1_tag(labels, 5), "I-LOC");
}

TEST(LabelTest, SpansSplitAtBeginFlags) {
  const std::vector<label> labels = {per_begin, per_inside, per_begin, O, loc_begin};
  const std::vector<entity_span> expected = {
      {0, 2, entity_type::per}, {2, 3, entity_type::per}, {4, 5, entity_type::loc}};
  EXPECT_EQ(to_spans(labels), expected);
}

TEST(TagSetTest, EncodesAndDecodesBilou) {
  const std::vector<label> labels = {per_begin, per_inside, per_inside, O, loc_begin, per_begin};
  const auto tags = tag_set::encode(labels);
  ASSERT_EQ(tags.size(), labels.size());
  EXPECT_EQ(tag_set::name(tags[0]), "B-PER");
  EXPECT_EQ(tag_set::name(tags[1]), "I-PER");
  EXPECT_EQ(tag_set::name(tags[2]), "L-PER");
  EXPECT_EQ(tag_set::name(tags[3]), "O");
  EXPECT_EQ(tag_set::name(tags[4]), "U-LOC");
  EXPECT_EQ(tag_set::name(tags[5]), "U-PER");
  EXPECT_EQ(tag_set::decode(tags), labels);
}

TEST(TagSetTest, AllowsOnlyWellFormedTransitions) {
  const auto b_per = tag_set::make(entity_type::per, tag_set::begin);
  const auto i_per = tag_set::make(entity_type::per, tag_set::inside);
  const auto l_per = tag_set::make(entity_type::per, tag_set::last);
  const auto u_loc = tag_set::make(entity_type::loc, tag_set::unit);
  const auto i_loc = tag_set::make(entity_type::loc, tag_set::inside);
  EXPECT_TRUE(tag_set::allowed(b_per, i_per));
  EXPECT_TRUE(tag_set::allowed(b_per, l_per));
  EXPECT_FALSE(tag_set::allowed(b_per, tag_set::outside_tag));
  EXPECT_FALSE(tag_set::allowed(b_per, i_loc));
  EXPECT_FALSE(tag_set::allowed(tag_set::outside_tag, i_per));
  EXPECT_TRUE(tag_set::allowed(l_per, u_loc));
  EXPECT_FALSE(tag_set::allowed_first(i_per));
  EXPECT_FALSE(tag_set::allowed_last(b_per));
  EXPECT_TRUE(tag_set::allowed_last(u_loc));
}

}  // namespace
}  // namespace wirefeed::ner
