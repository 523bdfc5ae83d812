#include <gtest/gtest.h>

#include <algorithm>
#include <string_view>
#include <vector>

#include "pipeline/ner/features.h"

namespace wirefeed::ner {
namespace {

std::vector<std::uint64_t> keys_of(const feature_buffer& b, std::size_t i) {
  std::vector<std::uint64_t> k(b.keys.begin() + b.offsets[i], b.keys.begin() + b.offsets[i + 1]);
  std::sort(k.begin(), k.end());
  return k;
}

std::size_t shared(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
  std::vector<std::uint64_t> both;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(both));
  return both.size();
}

class FeaturesTest : public ::testing::Test {
 protected:
  gazetteer gaz;
  feature_buffer buf;
};

TEST_F(FeaturesTest, GivesEveryTokenItsOwnKeysAndIsDeterministic) {
  const feature_extractor fx(gaz, feature_options{});
  const std::vector<std::string_view> s = {"Angela", "Merkel", "visited", "Paris", "."};
  fx.extract(s, nullptr, buf);
  ASSERT_EQ(buf.token_count(), s.size());
  const auto first = buf.keys;
  fx.extract(s, nullptr, buf);
  EXPECT_EQ(buf.keys, first);
  for (std::size_t i = 0; i < s.size(); ++i) EXPECT_GE(buf.offsets[i + 1] - buf.offsets[i], 20u);
}

TEST_F(FeaturesTest, SameWordInSameContextGivesSameKeys) {
  const feature_extractor fx(gaz, feature_options{});
  fx.extract({"He", "saw", "Paris", "today"}, nullptr, buf);
  const auto a = keys_of(buf, 2);
  fx.extract({"She", "saw", "Paris", "today"}, nullptr, buf);
  const auto b = keys_of(buf, 2);
  // Only the features that look two tokens to the left may differ.
  EXPECT_GE(shared(a, b), a.size() - 3);
  EXPECT_NE(a, b);
}

TEST_F(FeaturesTest, CasingChangesWordAndShapeKeysButNotLowerCaseKeys) {
  const feature_extractor fx(gaz, feature_options{});
  fx.extract({"x", "Apple", "y"}, nullptr, buf);
  const auto title = keys_of(buf, 1);
  fx.extract({"x", "apple", "y"}, nullptr, buf);
  const auto lower = keys_of(buf, 1);
  EXPECT_GT(shared(title, lower), 10u);  // lower-case form, affixes, context words
  EXPECT_LT(shared(title, lower), title.size());
}

TEST_F(FeaturesTest, GazetteerMembershipAddsFeatures) {
  ASSERT_TRUE(gaz.add_list("city", {"Paris"}));
  const feature_extractor with(gaz, feature_options{});
  feature_options off;
  off.gazetteer = false;
  const feature_extractor without(gaz, off);
  with.extract({"in", "Paris"}, nullptr, buf);
  const std::size_t n_with = keys_of(buf, 1).size();
  without.extract({"in", "Paris"}, nullptr, buf);
  EXPECT_GT(n_with, keys_of(buf, 1).size());
}

TEST_F(FeaturesTest, DocumentContextAddsHistoryFeatures) {
  const feature_extractor fx(gaz, feature_options{});
  const std::vector<std::string_view> s = {"Smith", "scored", "twice", "."};
  fx.extract(s, nullptr, buf);
  const auto alone = keys_of(buf, 0);
  document_context doc;
  doc.observe(s);
  doc.record({"John", "Smith"}, {label{entity_type::per, true}, label{entity_type::per, false}});
  fx.extract(s, &doc, buf);
  const auto in_doc = keys_of(buf, 0);
  EXPECT_GT(in_doc.size(), alone.size());
  EXPECT_EQ(shared(alone, in_doc), alone.size());
}

}  // namespace
}  // namespace wirefeed::ner
