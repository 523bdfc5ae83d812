#include <gtest/gtest.h>

#include <string_view>
#include <vector>

#include "pipeline/ner/gazetteer.h"
#include "pipeline/ner/word_shape.h"

namespace wirefeed::ner {
namespace {

std::vector<std::uint8_t> match(const gazetteer& g, const std::vector<std::string_view>& tokens) {
  std::vector<std::uint64_t> hashes;
  for (auto t : tokens) hashes.push_back(hash_lower(t));
  std::vector<std::uint8_t> out(tokens.size() * g.list_count());
  g.match(hashes.data(), hashes.size(), out.data());
  return out;
}

TEST(GazetteerTest, MatchesLongestPhraseCaseInsensitively) {
  gazetteer g;
  ASSERT_TRUE(g.add_list("city", {"New York", "York", "New York City"}));
  const auto out = match(g, {"in", "NEW", "york", "city", "and", "York"});
  const std::vector<std::uint8_t> expected = {gazetteer::none, gazetteer::begin, gazetteer::inside,
                                              gazetteer::last, gazetteer::none, gazetteer::unit};
  EXPECT_EQ(out, expected);
}

TEST(GazetteerTest, MatchesEachListIndependently) {
  gazetteer g;
  ASSERT_TRUE(g.add_list("country", {"Sri Lanka"}));
  ASSERT_TRUE(g.add_list("first_name", {"Lanka"}));
  const auto out = match(g, {"Sri", "Lanka"});
  // token-major: [token][list]
  const std::vector<std::uint8_t> expected = {gazetteer::begin, gazetteer::none, gazetteer::last, gazetteer::unit};
  EXPECT_EQ(out, expected);
}

TEST(GazetteerTest, RoundTripsThroughBytes) {
  gazetteer g;
  ASSERT_TRUE(g.add_list("city", {"Paris", "  Buenos   Aires ", "paris"}));
  EXPECT_EQ(g.phrase_count(0), 2u);
  byte_writer w;
  g.write(w);
  byte_reader r(w.bytes());
  const auto back = gazetteer::read(r);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->list_name(0), "city");
  EXPECT_EQ(match(*back, {"buenos", "aires"}), match(g, {"buenos", "aires"}));
}

TEST(GazetteerTest, RefusesMoreThanMaxLists) {
  gazetteer g;
  for (std::size_t i = 0; i < gazetteer::max_lists; ++i) ASSERT_TRUE(g.add_list("l", {"x"}));
  EXPECT_FALSE(g.add_list("one too many", {"y"}));
}

}  // namespace
}  // namespace wirefeed::ner
