// name_anchors: the names and numbers two versions of a story in different languages share.
#include <gtest/gtest.h>

#include "pipeline/name_anchors.h"
#include "pipeline/ner/feature_hash.h"

namespace wirefeed {
namespace {

std::size_t shared(const std::vector<std::uint64_t>& x, const std::vector<std::uint64_t>& y) {
  std::size_t n = 0;
  for (const auto h : x) n += std::binary_search(y.begin(), y.end(), h) ? 1 : 0;
  return n;
}

bool holds(const std::vector<std::uint64_t>& anchors, std::string_view key) {
  return std::binary_search(anchors.begin(), anchors.end(), ner::hash_bytes(key));
}

TEST(NameAnchorsTest, CapitalisedWordsInsideASentenceAndNumbersOfTwoDigitsOrMore) {
  const auto a = name_anchors("", "Officials said Emmanuel Macron met 12 leaders and 3 envoys in Paris.");
  EXPECT_TRUE(holds(a, "emmanuel"));
  EXPECT_TRUE(holds(a, "macron"));
  EXPECT_TRUE(holds(a, "paris"));
  EXPECT_TRUE(holds(a, "#12"));
  EXPECT_FALSE(holds(a, "officials"));  // opens the sentence
  EXPECT_FALSE(holds(a, "leaders"));
  EXPECT_FALSE(holds(a, "#3"));
  EXPECT_EQ(a.size(), 4u);
}

TEST(NameAnchorsTest, ASentenceOpensAfterAFullStopALineBreakOrAColon) {
  const auto a = name_anchors("Talks End", "They met. Then Putin left.\nLater Scholz spoke: Nothing changed, “Biden” said.");
  EXPECT_TRUE(holds(a, "end"));
  EXPECT_FALSE(holds(a, "talks"));
  EXPECT_FALSE(holds(a, "then"));
  EXPECT_FALSE(holds(a, "later"));
  EXPECT_FALSE(holds(a, "nothing"));
  EXPECT_TRUE(holds(a, "putin"));
  EXPECT_TRUE(holds(a, "scholz"));
  EXPECT_TRUE(holds(a, "biden"));  // quotation marks do not open a sentence
}

TEST(NameAnchorsTest, ThousandsSeparatorsOfEveryConventionGiveOneNumber) {
  for (const char* text : {"some 100,000 troops", "quelque 100 000 soldats", "unos 100.000 soldados",
                           "etwa 100\u00a0000 Soldaten", "environ 100\u202f000 soldats"}) {
    EXPECT_TRUE(holds(name_anchors("", text), "#100000")) << text;
  }
  const auto decimal = name_anchors("", "a 2.5 percent rise, 1,5 million and 10,50 euros");
  EXPECT_FALSE(holds(decimal, "#25"));
  EXPECT_FALSE(holds(decimal, "#15"));
  EXPECT_TRUE(holds(decimal, "#10"));
  EXPECT_TRUE(holds(decimal, "#50"));
}

TEST(NameAnchorsTest, AccentsAndCaseAreFolded) {
  const auto a = name_anchors("", "le président Erdoğan et Élisabeth Borne à l'Élysée");
  EXPECT_TRUE(holds(a, "erdogan"));
  EXPECT_TRUE(holds(a, "elisabeth"));
  EXPECT_TRUE(holds(a, "borne"));
  EXPECT_TRUE(holds(a, "elysee"));  // after an apostrophe
  EXPECT_EQ(a, name_anchors("", "le président Erdogan et Elisabeth Borne à l'Elysee"));
}

TEST(NameAnchorsTest, AnEnglishAndAFrenchSentenceShareTheirNamesAndNumbers) {
  const auto en = name_anchors("", "On Monday French President Emmanuel Macron met Vladimir Putin at the Kremlin, "
                                   "as more than 100,000 Russian troops massed near Ukraine.");
  const auto fr = name_anchors("", "Lundi, le président français Emmanuel Macron a rencontré Vladimir Poutine au Kremlin, "
                                   "alors que plus de 100 000 soldats russes sont massés près de l'Ukraine.");
  EXPECT_EQ(shared(fr, en), 6u);  // emmanuel, macron, vladimir, kremlin, 100000, ukraine
  EXPECT_EQ(fr.size(), 7u);       // and poutine
}

TEST(NameAnchorsTest, SortedAndDistinct) {
  const auto a = name_anchors("Macron Meets Putin", "Then Macron and Putin met Macron's aides, 1,000 of them; 1000 in all.");
  EXPECT_TRUE(std::is_sorted(a.begin(), a.end()));
  EXPECT_EQ(std::adjacent_find(a.begin(), a.end()), a.end());
  EXPECT_EQ(a.size(), 4u);  // meets, putin, macron (twice, and once more before "'s"), #1000 (twice)
}

TEST(NameAnchorsTest, NothingFromTextWithoutCapitalsOrNumbers) {
  EXPECT_TRUE(name_anchors("", "").empty());
  EXPECT_TRUE(name_anchors("", "lower case words only, and 7 things.").empty());
  EXPECT_TRUE(name_anchors("東京", "東京で会談が行われた。").empty());
}

}  // namespace
}  // namespace wirefeed
