#include "pipeline/quote_extractor.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "extract_support.h"
#include "pipeline/name_gender.h"

namespace wirefeed {
namespace {

using testing::extracted;
using testing::normalized;
using testing::speaker_of;
using testing::text_of;

// "She said" is no man's and "he said" no woman's, as the text makes them (an honorific, a word
// of one sex before the name, a role, a given name): the last person before it who may be meant,
// else no one.
TEST(QuoteExtractorTest, APronounsSpeakerIsOfItsSex) {
  article a = extracted(
      "Mark Felt told the story. His daughter Joan Felt persuaded him.\n\n\"We could pay the bills,\" she told "
      "her father.");
  ASSERT_EQ(a.quotes.size(), 1u);
  EXPECT_EQ(speaker_of(a, a.quotes[0]), "Joan Felt");
  a = extracted(
      "Josh Moore, a defense lawyer, spoke first. Then prosecutor Kellie Hill asked the judge to act.\n\n"
      "\"The law shows no preference,\" he said.");
  ASSERT_EQ(a.quotes.size(), 1u);
  EXPECT_EQ(speaker_of(a, a.quotes[0]), "Josh Moore");
  a = extracted("Mrs Palin spoke to the church. \"We are grateful,\" he said.");
  ASSERT_EQ(a.quotes.size(), 1u);
  EXPECT_FALSE(a.quotes[0].speaker);  // no man named: no one
  a = extracted("Kremlin spokesman Dmitry Peskov met reporters. \"Nothing has changed,\" he said.");
  ASSERT_EQ(a.quotes.size(), 1u);
  EXPECT_EQ(speaker_of(a, a.quotes[0]), "Dmitry Peskov");
  // AP's "Chairman" is a woman's title too; "Joan" a Catalan man's name.
  a = extracted("Fed Chairman Janet Yellen spoke on Monday.\n\n\"Inflation remains low,\" she said.");
  ASSERT_EQ(a.quotes.size(), 1u);
  EXPECT_EQ(speaker_of(a, a.quotes[0]), "Janet Yellen");
  a = extracted("Barcelona president Joan Laporta met the players.\n\n\"We will win,\" he said.");
  ASSERT_EQ(a.quotes.size(), 1u);
  EXPECT_EQ(speaker_of(a, a.quotes[0]), "Joan Laporta");
}

TEST(QuoteExtractorTest, GivenNamesOfOneSex) {
  EXPECT_EQ(gender_of_first_name("Sarah"), name_gender::female);
  EXPECT_EQ(gender_of_first_name("HUGH"), name_gender::male);
  EXPECT_EQ(gender_of_first_name("james"), name_gender::male);  // 0.01% of women: a man's name
  for (const char* either : {"Leslie", "Jordan", "Andrea", "Dmitry", "Yuri", "Joan", "", "J.", "Jean-Luc"}) {
    EXPECT_EQ(gender_of_first_name(either), name_gender::unknown) << either;
  }
}

TEST(QuoteExtractorTest, TakesTheSpeakerNamedAfterTheReportingVerb) {
  const article a = extracted("\"There will be a very high price,\" said Scholz, who will visit Kyiv.");
  ASSERT_EQ(a.quotes.size(), 1u);
  EXPECT_EQ(text_of(a, a.quotes[0].text), "There will be a very high price");
  EXPECT_EQ(speaker_of(a, a.quotes[0]), "Scholz");
  EXPECT_EQ(a.quotes[0].verb, "said");
  EXPECT_EQ(a.quotes[0].how, attribution::direct);
  EXPECT_FALSE(a.quotes[0].partial);
}

// "said resident Ahmet Kaya": a word describing the person before the name is no speaker.
TEST(QuoteExtractorTest, TakesTheNameAfterADescriptiveWord) {
  const article a = extracted("\"We lost everything,\" said resident Ahmet Kaya, 54, outside his home in Antakya.");
  ASSERT_EQ(a.quotes.size(), 1u);
  EXPECT_EQ(speaker_of(a, a.quotes[0]), "Ahmet Kaya");
}

// Verbs of speaking beyond "said": "repeated", "whispered", "texted".
TEST(QuoteExtractorTest, ReadsLessCommonVerbsOfSpeaking) {
  for (const std::string verb : {"repeated", "whispered", "texted"}) {
    const article a = extracted("Kremlin spokesman Dmitry Peskov met reporters. \"Nothing has changed,\" Peskov " + verb + ".");
    ASSERT_EQ(a.quotes.size(), 1u) << verb;
    EXPECT_EQ(speaker_of(a, a.quotes[0]), "Dmitry Peskov") << verb;
    EXPECT_EQ(a.quotes[0].verb, verb);
  }
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

// "Hillis added 101 yards": no words said, so "he" is not Hillis.
TEST(QuoteExtractorTest, AddingYardsIsNoSpeech) {
  const article a = extracted(
      "Peyton Hillis added 101 yards on the ground for the Chiefs.\n\n"
      "A big reason why was Brady Quinn, who was just 10 of 22 for 162 yards.\n\n"
      "\"This game was without a doubt, 100 percent on my shoulders,\" he said.");
  ASSERT_EQ(a.quotes.size(), 1u);
  EXPECT_EQ(speaker_of(a, a.quotes[0]), "Brady Quinn");
}

// A person named in the quote's own paragraph is who "he" is, over one who "said" something a
// paragraph before; one who "said" in the same paragraph still wins over one named there.
TEST(QuoteExtractorTest, ResolvesHeToThePersonNamedInItsParagraph) {
  const article a = extracted(
      "WASHINGTON (AP) \u2014 \"We will act quickly,\" Biden said.\n\n"
      "Senate Republican leader Mitch McConnell criticized the plan. \"It is a mistake,\" he said.\n\n"
      "Chuck Schumer said he met Mitch McConnell. \"We disagree,\" he said.");
  ASSERT_EQ(a.quotes.size(), 3u);
  EXPECT_EQ(speaker_of(a, a.quotes[1]), "Mitch McConnell");
  EXPECT_EQ(a.quotes[1].how, attribution::pronoun);
  EXPECT_EQ(speaker_of(a, a.quotes[2]), "Chuck Schumer");
}

TEST(QuoteExtractorTest, ContinuesTheSpeakerOfThePreviousQuoteInTheParagraph) {
  const article a = extracted(
      "\u201CIt\u2019s not us moving toward NATO,\u201D Putin said overnight. "
      "\u201CIt\u2019s NATO moving toward us.\u201D");
  ASSERT_EQ(a.quotes.size(), 2u);
  EXPECT_EQ(speaker_of(a, a.quotes[1]), "Putin");
  EXPECT_EQ(a.quotes[1].how, attribution::continuation);
}

// A paragraph that is all quote, unattributed, after a paragraph whose last quote is attributed:
// the same speaker going on. Not after a paragraph without an attributed quote, nor when the
// paragraph holds more than the quote.
TEST(QuoteExtractorTest, AQuotedParagraphAfterAnAttributedOneGoesOnWithItsSpeaker) {
  const article a = extracted(
      "\"I got caught but I'm OK,\" Thompson said after the game.\n\n"
      "\"He's strong and he hit me hard.\"\n\n"
      "The coach did not comment.\n\n"
      "\"We move on.\"\n\n"
      "\"It was a long night,\" Smith said.\n\n"
      "\"Nobody expected it\" was the headline the next day.");
  ASSERT_EQ(a.quotes.size(), 5u);
  EXPECT_EQ(speaker_of(a, a.quotes[1]), "Thompson");
  EXPECT_EQ(a.quotes[1].how, attribution::continuation);
  EXPECT_EQ(a.quotes[2].how, attribution::none);  // after a paragraph without a quote
  EXPECT_NE(a.quotes[4].how, attribution::continuation);  // the paragraph holds more than the quote
  // Nor when someone else speaks after the attributed quote, nor after a fragment.
  for (const char* body : {
           "\"We will not back down,\" said Senator John Smith. His rival Mary Jones replied in a statement.\n\n"
           "\"He has been wrong on every count.\"",
           "\"We will not back down,\" said Senator John Smith. Mary Jones disagreed:\n\n\"This bill saves lives.\"",
           "Senator John Smith called the bill \"reckless and unaffordable.\"\n\n\"This bill saves lives.\""}) {
    const article b = extracted(body);
    ASSERT_EQ(b.quotes.size(), 2u) << body;
    EXPECT_NE(b.quotes[1].how, attribution::continuation) << body;
  }
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
  // A title ending the sentence keeps its full stop inside the marks; a longer title is one too.
  EXPECT_TRUE(extracted("Director Gary Ross was paid $3 million to write and direct \"The Hunger Games.\"").quotes.empty());
  EXPECT_TRUE(extracted("She starred in \"Take Me Out to the Ball Game\" in 1949.").quotes.empty());
  EXPECT_EQ(extracted("\"Yes.\" Smith said.").quotes.size(), 1u);
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

// A title before the name set off by commas ("Cardinal"); an office of a named person speaks as
// "Zelenskyy's office", not "office".
TEST(QuoteExtractorTest, TakesATitledNameInAppositionAndAnOfficeWithItsOwner) {
  const article a = extracted(
      "\"We are ready to help,\" the Vatican's top diplomat, Cardinal Pietro Parolin, told reporters.\n\n"
      "Ukrainian President Volodymyr Zelenskyy met him. \"Nothing has changed,\" Zelenskyy's office said in a statement.");
  ASSERT_EQ(a.quotes.size(), 2u);
  EXPECT_EQ(speaker_of(a, a.quotes[0]), "Pietro Parolin");
  ASSERT_TRUE(a.quotes[1].speaker_span.has_value());
  EXPECT_EQ(text_of(a, *a.quotes[1].speaker_span), "Zelenskyy's office");
}

// A name set off by commas after a description ("the minister, Dmytro Kuleba, said") is the
// speaker; a description set off after a name ("Jens Stoltenberg, NATO's secretary general,
// said") leaves the name the speaker.
TEST(QuoteExtractorTest, TakesTheNameInAppositionAsTheSpeaker) {
  const article a = extracted(
      "\u201CIt is a very dangerous moment,\u201D the Ukrainian foreign minister, Dmytro Kuleba, said in a "
      "statement.\n\n"
      "Jens Stoltenberg, NATO's secretary general, said: \u201CWe are ready for dialogue but we will defend every "
      "inch of allied territory.\u201D");
  ASSERT_EQ(a.quotes.size(), 2u);
  EXPECT_EQ(speaker_of(a, a.quotes[0]), "Dmytro Kuleba");
  EXPECT_EQ(a.quotes[0].how, attribution::direct);
  EXPECT_EQ(speaker_of(a, a.quotes[1]), "Jens Stoltenberg");
  // A name set off after a role related to it is not the speaker.
  const article b = extracted(
      "\u201CThe talks were useful,\u201D a spokesman for the Russian president, Vladimir Putin, said.\n\n"
      "\u201CShe did not know,\u201D the widow of the opposition leader, Alexei Navalny, said.");
  ASSERT_EQ(b.quotes.size(), 2u);
  EXPECT_NE(speaker_of(b, b.quotes[0]), "Vladimir Putin");
  EXPECT_NE(speaker_of(b, b.quotes[1]), "Alexei Navalny");
}

TEST(QuoteExtractorTest, ResolvesADescriptionByTheRoleOfAPerson) {
  const article a = extracted(
      "Macron met Russian President Vladimir Putin in the Kremlin.\n\n"
      "\u201CWe share our concern,\u201D said the Russian leader facing Macron.");
  ASSERT_EQ(a.quotes.size(), 1u);
  EXPECT_EQ(speaker_of(a, a.quotes[0]), "Vladimir Putin");
  EXPECT_EQ(a.quotes[0].how, attribution::description);
}

// "the prime minister", "the president": the role's last words, in any case.
TEST(QuoteExtractorTest, ResolvesADescriptionByTheEndOfARole) {
  const article a = extracted(
      "British Prime Minister Rishi Sunak visited Kyiv on Monday.\n\n"
      "\u201CWe will keep going,\u201D the prime minister said.");
  ASSERT_EQ(a.quotes.size(), 1u);
  EXPECT_EQ(speaker_of(a, a.quotes[0]), "Rishi Sunak");
  EXPECT_EQ(a.quotes[0].how, attribution::description);
  const article b = extracted(
      "Russian President Vladimir Putin spoke first. U.S. President Joe Biden answered him.\n\n"
      "\u201CWe are ready,\u201D the president said.");
  ASSERT_EQ(b.quotes.size(), 1u);
  EXPECT_EQ(speaker_of(b, b.quotes[0]), "Joe Biden");  // the last named to carry the title
  // Not a vice president or a deputy; and the one whose role is the very words first.
  const article c = extracted(
      "President Joe Biden was joined by Vice President Kamala Harris.\n\n"
      "\u201CNobody should have to choose,\u201D the president said.\n\n"
      "Prime Minister Rishi Sunak met Deputy Prime Minister Dominic Raab.\n\n"
      "\u201CWe will not be deterred,\u201D the prime minister said.\n\n"
      "President Joe Biden spoke with French President Emmanuel Macron.\n\n"
      "\u201CWe agreed,\u201D the president said.");
  ASSERT_EQ(c.quotes.size(), 3u);
  EXPECT_EQ(speaker_of(c, c.quotes[0]), "Joe Biden");
  EXPECT_EQ(speaker_of(c, c.quotes[1]), "Rishi Sunak");
  EXPECT_EQ(speaker_of(c, c.quotes[2]), "Joe Biden");
}

// AP's "Sen. Joe Manchin of West Virginia" and "Sen. Susan Collins, R-Maine,": the person speaks.
TEST(QuoteExtractorTest, TakesThePersonBeforeTheirStateAsTheSpeaker) {
  const article a = extracted(
      "Sen. Joe Manchin of West Virginia said the deal was \"a good start.\"\n\n"
      "Gov. Ron DeSantis of Florida said, \"This is a disaster for taxpayers.\"\n\n"
      "Sen. Susan Collins, R-Maine, said the bill was \"a betrayal.\"");
  ASSERT_EQ(a.quotes.size(), 3u);
  EXPECT_EQ(speaker_of(a, a.quotes[0]), "Joe Manchin");
  EXPECT_EQ(speaker_of(a, a.quotes[1]), "Ron DeSantis");
  EXPECT_EQ(speaker_of(a, a.quotes[2]), "Susan Collins");
}

TEST(QuoteExtractorTest, KeepsANounPhraseSpeakerAsWritten) {
  const article a = extracted("An advisor to Zelensky said the chance was \u201Csubstantially higher\u201D than war.");
  ASSERT_EQ(a.quotes.size(), 1u);
  EXPECT_FALSE(a.quotes[0].speaker.has_value());
  EXPECT_EQ(a.quotes[0].speaker_text, "An advisor to Zelensky");
  const article police = extracted("Local police said the man was \u201Cextremely dangerous\u201D on Monday.");
  ASSERT_EQ(police.quotes.size(), 1u);
  EXPECT_EQ(police.quotes[0].speaker_text, "Local police");
  const article airline = extracted("\"We will fly again,\" the airline said.");
  ASSERT_EQ(airline.quotes.size(), 1u);
  EXPECT_EQ(airline.quotes[0].speaker_text, "the airline");
}

// A noun phrase that names no one who can speak is no speaker ("make contact"); an organisation
// and a job before a person's name ("said Microsoft security chief Christopher Budd") name the person.
TEST(QuoteExtractorTest, TakesNoPhraseThatNamesNoOneAndThePersonAfterAnOrganisation) {
  const article a = extracted(
      "Officers tried to make contact, but Anthony LaSalle refused to come out, saying officers \"would need to kill\" him.");
  ASSERT_EQ(a.quotes.size(), 1u);
  EXPECT_NE(a.quotes[0].speaker_text, "make contact");
  const article b = extracted(
      "\"Microsoft encourages all customers to deploy this update as soon as possible,\" said Microsoft security "
      "response communications head Christopher Budd.");
  ASSERT_EQ(b.quotes.size(), 1u);
  EXPECT_EQ(speaker_of(b, b.quotes[0]), "Christopher Budd");
}

// The work quote_extractor::find reports for `body` (normalized, no entities), per token.
double work_per_token(const std::string& body, std::size_t* quotes = nullptr) {
  const article a = normalized(body);
  const extract_context c(a);
  std::uint64_t work = 0;
  const std::vector<quote> found = quote_extractor().find(c, {}, &work);
  if (quotes != nullptr) *quotes = found.size();
  return static_cast<double>(work) / static_cast<double>(c.size());
}

std::string repeated(std::string_view s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

// A paragraph of many quotes: each quote used to walk every later quote of its sentence (after
// the quote) or every earlier token of its paragraph (a "he" with no one before it, the
// sentence's first person): quadratic. The work per token must not grow with the count (it stays
// near 10 steps a token; the quadratic walks did thousands at these sizes).
TEST(QuoteExtractorTest, WorkStaysLinearInTheNumberOfQuotesInAParagraph) {
  const std::vector<std::string_view> units = {
      "\"a\" ",                            // one sentence of quotes, each skipping every later one
      "\u00AB a \u00BB ",                  // guillemets
      "\u201Ca,\u201D he said. ",          // "he" with no one before it
      "\"a\", ",                           // quotes joined by commas
      "said \"a\" ",                       // a verb before with no subject: the sentence's first person
  };
  for (const std::string_view unit : units) {
    std::size_t small_quotes = 0, large_quotes = 0;
    const double small = work_per_token(repeated(unit, 1'000), &small_quotes);
    const double large = work_per_token(repeated(unit, 8'000), &large_quotes);
    EXPECT_EQ(small_quotes, 1'000u) << unit;
    EXPECT_EQ(large_quotes, 8'000u) << unit;
    EXPECT_LT(large, 40.0) << unit;
    EXPECT_LT(large, 2 * small + 1) << unit;
  }
}

// 20,000 quotes in one paragraph are all found, each with its own speaker.
TEST(QuoteExtractorTest, FindsAndAttributesEveryOneOfManyQuotes) {
  const article a = extracted(repeated("\"a,\" Scholz said. ", 20'000));
  ASSERT_EQ(a.quotes.size(), 20'000u);
  std::size_t attributed = 0;
  for (const quote& q : a.quotes) {
    if (text_of(a, q.text) == "a" && speaker_of(a, q) == "Scholz" && q.verb == "said" &&
        q.how == attribution::direct) {
      ++attributed;
    }
  }
  EXPECT_EQ(attributed, 20'000u);
}

}  // namespace
}  // namespace wirefeed
