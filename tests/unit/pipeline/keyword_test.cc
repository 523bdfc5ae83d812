#include <gtest/gtest.h>

#include <algorithm>

#include "extract_support.h"
#include "pipeline/checkpoint.h"
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

// "New" and "Los" are no terms alone, but start a name's pair, counted from its first time.
TEST(KeywordExtractorTest, NewAndLosStartTheNamesTheyArePartOf) {
  const article a = extracted("The talks in New Zealand end. Police in Los Angeles made a new arrest.");
  EXPECT_EQ(count_of(a, "new zealand"), 1u);
  EXPECT_EQ(count_of(a, "los angeles"), 1u);
  EXPECT_EQ(count_of(a, "new"), 0u);
  EXPECT_EQ(count_of(a, "new arrest"), 0u);
  EXPECT_EQ(count_of(a, "zealand"), 1u);
  const article b = extracted("He read The New York Times. Police in Los Angeles County said so. The New York Times "
                              "and Los Angeles County agreed. New Apple products sold well.");
  EXPECT_EQ(count_of(b, "new york"), 2u);
  EXPECT_EQ(count_of(b, "york times"), 0u);
  EXPECT_EQ(count_of(b, "angeles county"), 0u);
  EXPECT_EQ(count_of(b, "new apple"), 0u);
}

// The reporting words of the other languages with stopword lists are no keywords either.
TEST(KeywordExtractorTest, ReportingWordsOfOtherLanguagesAreNoTerms) {
  const article de = extracted("Die Pipeline ist fertig, sagte Scholz. Die Pipeline bleibt zu, sagte er. Die Pipeline kostet viel, "
                               "sagte der Minister.");
  EXPECT_EQ(de.language, "de");
  EXPECT_EQ(count_of(de, "pipeline"), 3u);
  EXPECT_EQ(count_of(de, "sagte"), 0u);
  const article fr = extracted("Le gazoduc est fini, selon Paris. Le gazoduc restera ferm\u00e9, a-t-il d\u00e9clar\u00e9. "
                               "Le gazoduc co\u00fbte cher, selon le ministre, car il est long.");
  EXPECT_EQ(fr.language, "fr");
  EXPECT_EQ(count_of(fr, "gazoduc"), 3u);
  for (const char* w : {"selon", "car", "a-t-il", "d\u00e9clar\u00e9"}) EXPECT_EQ(count_of(fr, w), 0u) << w;
}

// A run without spaces (a Thai or Chinese clause, a 100 KB string) is no keyword: it would be
// written into every record that lists keywords (the article's, its story's).
TEST(KeywordExtractorTest, ARunTooLongForAWordIsNoTerm) {
  const std::string run(65, 'x');
  const std::string thai = "\xE0\xB8\x81\xE0\xB8\xB2\xE0\xB8\xA3";  // three Thai letters, 9 bytes
  std::string clause;
  for (int i = 0; i < 8; ++i) clause += thai;  // 72 bytes, no space
  const article a = extracted("Sanctions hit " + run + " twice, " + run + ". " + clause + " " + clause + ".");
  EXPECT_EQ(count_of(a, "sanctions"), 1u);
  EXPECT_EQ(count_of(a, run), 0u);
  EXPECT_EQ(count_of(a, clause), 0u);
  for (const term_count& t : a.terms) EXPECT_LE(t.term.size(), 64u) << t.term;
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

// A ranker restored from its checkpoint (checkpoint.h) weighs the next article's terms as the one
// that wrote it; a new one, knowing no frequencies, ranks them by their counts.
TEST(KeywordRankerTest, ARestoredRankerRanksAsTheOneItWasCheckpointedFrom) {
  keyword_ranker ranker({});
  for (int i = 0; i < 20; ++i) {
    article earlier;
    earlier.terms = {{"ukraine", 3}, {"talks", 1}};
    ranker.process(earlier);
  }
  std::vector<output_record> records;
  write_sketch_parts(ranker.frequencies(), 20, keywords_key_prefix, records);
  ASSERT_EQ(records.size(), 16u);  // 4 rows x 65,536 counters in parts of 16,384
  keyword_ranker restored({}), fresh({});
  for (const auto& r : records) {
    auto part = parse_sketch_part(r.value, restored.frequencies().counters().size());
    ASSERT_TRUE(part.ok() && *part) << r.key;
    EXPECT_EQ((*part)->articles, 20u);
    ASSERT_TRUE(restore_sketch_part(restored.frequencies(), **part));
  }
  EXPECT_EQ(restored.document_frequency("ukraine"), 20u);
  EXPECT_EQ(restored.articles(), 20);
  const auto keywords = [](keyword_ranker& r) {
    article a;
    a.terms = {{"ukraine", 3}, {"pipeline", 2}};
    r.process(a);
    return a.keywords.at(0).term;
  };
  EXPECT_EQ(keywords(ranker), "pipeline");
  EXPECT_EQ(keywords(restored), "pipeline");
  EXPECT_EQ(keywords(fresh), "ukraine");
  // A part of a sketch of another size is skipped; one that does not fit is an error.
  keyword_ranker narrower({10, 1024, 100});
  auto other = parse_sketch_part(records[0].value, narrower.frequencies().counters().size());
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(*other);
  EXPECT_FALSE(parse_sketch_part(R"({"size":262144,"from":262144,"documents":1,"since_halving":1,"counters":[1]})", 262144).ok());
  EXPECT_FALSE(parse_sketch_part(R"({"size":262144,"from":0,"documents":1,"since_halving":1,"counters":[1,2]})", 262144).ok());
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

// "red" and "line" ranked above "red line" (ties go alphabetically, and a word is in at least as
// many articles as its pair): the pair takes their place, and the list fills up after it.
TEST(KeywordRankerTest, APairTakesThePlaceOfItsWordsChosenBeforeIt) {
  keyword_ranker ranker({3, 1024, 1000});
  article a;
  a.terms = {{"line", 3}, {"red", 3}, {"red line", 3}, {"kremlin", 1}, {"talks", 1}};
  ranker.process(a);
  std::vector<std::string> terms;
  for (const keyword& k : a.keywords) terms.push_back(k.term);
  EXPECT_EQ(terms, (std::vector<std::string>{"red line", "kremlin", "talks"}));
}

TEST(KeywordRankerTest, MonthsAndAgesAreNoKeywords) {
  keyword_ranker ranker({});
  article a;
  a.terms = {{"april", 5}, {"28-year-old", 4}, {"11-year old", 3}, {"59-year", 3}, {"covid-19", 2}, {"pirates", 1}};
  ranker.process(a);
  std::vector<std::string> terms;
  for (const keyword& k : a.keywords) terms.push_back(k.term);
  EXPECT_EQ(terms, (std::vector<std::string>{"covid-19", "pirates"}));
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
