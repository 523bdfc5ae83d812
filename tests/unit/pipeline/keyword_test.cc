#include <gtest/gtest.h>

#include <algorithm>

#include "extract_support.h"
#include "pipeline/keyword_extractor.h"
#include "pipeline/keyword_ranker.h"

namespace wirefeed {
namespace {

using testing::extracted;

std::uint32_t count_of(const article& a, std::string_view term) {
  for (const term_count& t : a.terms) {
    if (t.term == term) return t.count;
  }
  return 0;
}

TEST(KeywordExtractorTest, CountsWordsAndRepeatedPairsButNotStopwordsOrNewsVerbs) {
  const article a = extracted(
      "The pipeline will not open. Sanctions hit the pipeline. The Nord Stream pipeline is finished, Nord Stream "
      "said.");
  EXPECT_EQ(count_of(a, "pipeline"), 3u);
  EXPECT_EQ(count_of(a, "nord stream"), 2u);
  EXPECT_EQ(count_of(a, "the"), 0u);
  EXPECT_EQ(count_of(a, "said"), 0u);
  EXPECT_EQ(count_of(a, "stream pipeline"), 0u) << "a pair seen once is not a term";
}

TEST(KeywordRankerTest, RanksATermRareInEarlierArticlesAboveACommonOne) {
  keyword_ranker ranker({});
  for (int i = 0; i < 20; ++i) {
    article earlier;
    earlier.terms = {{"ukraine", 3}, {"talks", 1}};
    ranker.process(earlier);
  }
  article a;
  a.terms = {{"ukraine", 3}, {"pipeline", 2}};
  ranker.process(a);
  ASSERT_EQ(a.keywords.size(), 2u);
  EXPECT_EQ(a.keywords[0].term, "pipeline");
  EXPECT_GT(a.keywords[0].score, a.keywords[1].score);
}

TEST(KeywordRankerTest, DoesNotRepeatAWordOfAChosenPair) {
  keyword_ranker ranker({});
  article a;
  a.terms = {{"nord stream", 4}, {"stream", 4}, {"pipeline", 1}};
  ranker.process(a);
  std::vector<std::string> terms;
  for (const keyword& k : a.keywords) terms.push_back(k.term);
  EXPECT_EQ(std::count(terms.begin(), terms.end(), "stream"), 0);
  EXPECT_EQ(std::count(terms.begin(), terms.end(), "nord stream"), 1);
}

TEST(KeywordRankerTest, HalvesTheFrequenciesEveryHalfLife) {
  keyword_ranker ranker({10, 1024, 100});
  for (int i = 0; i < 99; ++i) {
    article a;
    a.terms = {{"ukraine", 1}};
    ranker.process(a);
  }
  EXPECT_EQ(ranker.document_frequency("ukraine"), 99u);
  article a;
  a.terms = {{"ukraine", 1}};
  ranker.process(a);
  EXPECT_EQ(ranker.document_frequency("ukraine"), 50u);
  EXPECT_EQ(ranker.articles(), 50);
}

TEST(KeywordRankerTest, KeepsAtMostTheConfiguredNumberOfKeywords) {
  keyword_ranker ranker({2, 1024, 1000});
  article a;
  a.terms = {{"alpha", 3}, {"beta", 2}, {"gamma", 1}};
  ranker.process(a);
  EXPECT_EQ(a.keywords.size(), 2u);
}

}  // namespace
}  // namespace wirefeed
