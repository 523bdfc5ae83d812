#include "pipeline/quote_extractor.h"

#include <gtest/gtest.h>

#include "extract_support.h"

namespace wirefeed {
namespace {

using testing::extracted;
using testing::speaker_of;
using testing::text_of;

TEST(QuoteExtractorTest, TakesTheSpeakerNamedAfterTheReportingVerb) {
  const article a = extracted("\"There will be a very high price,\" said Scholz, who will visit Kyiv.");
  ASSERT_EQ(a.quotes.size(), 1u);
  EXPECT_EQ(text_of(a, a.quotes[0].text), "There will be a very high price");
  EXPECT_EQ(speaker_of(a, a.quotes[0]), "Scholz");
  EXPECT_EQ(a.quotes[0].verb, "said");
  EXPECT_EQ(a.quotes[0].how, attribution::direct);
  EXPECT_FALSE(a.quotes[0].partial);
}

TEST(QuoteExtractorTest, TakesTheSpeakerNamedBeforeTheVerbAfterTheQuote) {
  const article a = extracted(
      "\u201CThe situation is too complex to expect decisive breakthroughs,\u201D Kremlin spokesman Dmitry Peskov "
      "told reporters.");
  ASSERT_EQ(a.quotes.size(), 1u);
  EXPECT_EQ(speaker_of(a, a.quotes[0]), "Dmitry Peskov");
  EXPECT_EQ(a.quotes[0].verb, "told");
}

TEST(QuoteExtractorTest, TakesTheSubjectOfTheVerbBeforeTheQuote) {
  const article a = extracted(
      "Macron, before leaving Paris, told Le Journal du Dimanche, \"We have to be very realistic.\"");
  ASSERT_EQ(a.quotes.size(), 1u);
  EXPECT_EQ(speaker_of(a, a.quotes[0]), "Macron");
  EXPECT_EQ(a.quotes[0].verb, "told");
}

TEST(QuoteExtractorTest, TakesTheSourceOfAccordingTo) {
  const article a = extracted(
      "Macron spoke with Biden about \u201Congoing diplomatic efforts\u201D, according to the White House.");
  ASSERT_EQ(a.quotes.size(), 1u);
  EXPECT_EQ(speaker_of(a, a.quotes[0]), "White House");
  EXPECT_EQ(a.quotes[0].verb, "according to");
  EXPECT_TRUE(a.quotes[0].partial);
}

TEST(QuoteExtractorTest, ResolvesHeToThePersonLastReportedSpeaking) {
  const article a = extracted(
      "Alexander Khodakovsky said the separatists had 30,000 fighters.\n\n"
      "\"We need to have at least 40,000,\" he told Reuters.");
  ASSERT_EQ(a.quotes.size(), 1u);
  EXPECT_EQ(speaker_of(a, a.quotes[0]), "Alexander Khodakovsky");
  EXPECT_EQ(a.quotes[0].how, attribution::pronoun);
}

TEST(QuoteExtractorTest, ContinuesTheSpeakerOfThePreviousQuoteInTheParagraph) {
  const article a = extracted(
      "\u201CIt\u2019s not us moving toward NATO,\u201D Putin said overnight. "
      "\u201CIt\u2019s NATO moving toward us.\u201D");
  ASSERT_EQ(a.quotes.size(), 2u);
  EXPECT_EQ(speaker_of(a, a.quotes[1]), "Putin");
  EXPECT_EQ(a.quotes[1].how, attribution::continuation);
}

TEST(QuoteExtractorTest, MarksAFragmentInTheWritersSentenceAsPartial) {
  const article a = extracted("Peskov called the visit \u201Cvery important\u201D but sought to temper expectations.");
  ASSERT_EQ(a.quotes.size(), 1u);
  EXPECT_TRUE(a.quotes[0].partial);
  EXPECT_EQ(text_of(a, a.quotes[0].text), "very important");
  EXPECT_EQ(speaker_of(a, a.quotes[0]), "Peskov");
}

TEST(QuoteExtractorTest, PairsAStraightMarkWithATypographicOne) {
  const article a = extracted("Putin said there would be \u201Cno winners\" if war broke out.");
  ASSERT_EQ(a.quotes.size(), 1u);
  EXPECT_EQ(text_of(a, a.quotes[0].text), "no winners");
}

TEST(QuoteExtractorTest, ReadsSingleQuotationMarks) {
  const article a = extracted("Peskov said the talks were \u2018very important\u2019 for Russia.");
  ASSERT_EQ(a.quotes.size(), 1u);
  EXPECT_EQ(text_of(a, a.quotes[0].text), "very important");
}

TEST(QuoteExtractorTest, SkipsTitlesInQuotationMarks) {
  const article a = extracted("Sullivan told NBC's \u201CMeet the Press\u201D show that Russia could act.");
  EXPECT_TRUE(a.quotes.empty());
}

TEST(QuoteExtractorTest, RunsAQuoteLeftOpenToTheEndOfItsParagraph) {
  const article a = extracted(
      "\"We are ready for any development, and our allies are ready too.\n\n"
      "\"We will defend ourselves,\" Kuleba said.");
  ASSERT_EQ(a.quotes.size(), 2u);
  EXPECT_EQ(speaker_of(a, a.quotes[0]), "Kuleba");
  EXPECT_EQ(a.quotes[0].how, attribution::continuation);
}

TEST(QuoteExtractorTest, SkipsAClauseBetweenTheSpeakerAndTheVerb) {
  const article a = extracted(
      "Makron, who will continue to Kyiv for talks with Ukrainian President Volodymyr Zelensky, told reporters "
      "that he was \u201Cquite\u201D optimistic.");
  ASSERT_EQ(a.quotes.size(), 1u);
  EXPECT_NE(speaker_of(a, a.quotes[0]), "Volodymyr Zelensky");
  EXPECT_EQ(a.quotes[0].verb, "told");
}

TEST(QuoteExtractorTest, ResolvesADescriptionByTheRoleOfAPerson) {
  const article a = extracted(
      "Macron met Russian President Vladimir Putin in the Kremlin.\n\n"
      "\u201CWe share our concern,\u201D said the Russian leader facing Macron.");
  ASSERT_EQ(a.quotes.size(), 1u);
  EXPECT_EQ(speaker_of(a, a.quotes[0]), "Vladimir Putin");
  EXPECT_EQ(a.quotes[0].how, attribution::description);
}

TEST(QuoteExtractorTest, KeepsANounPhraseSpeakerAsWritten) {
  const article a = extracted("An advisor to Zelensky said the chance was \u201Csubstantially higher\u201D than war.");
  ASSERT_EQ(a.quotes.size(), 1u);
  EXPECT_FALSE(a.quotes[0].speaker.has_value());
  EXPECT_EQ(a.quotes[0].speaker_text, "An advisor to Zelensky");
}

}  // namespace
}  // namespace wirefeed
