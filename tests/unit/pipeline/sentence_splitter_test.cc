#include "pipeline/sentence_splitter.h"

#include <gtest/gtest.h>

#include "config/config.h"

namespace wirefeed {
namespace {

class SentenceSplitterTest : public ::testing::Test {
 protected:
  std::vector<std::string> sentences_of(std::string_view text, std::string_view language = {}) {
    std::vector<text_span> spans;
    splitter_.split(text, 0, spans, language);
    std::vector<std::string> out;
    for (const auto& s : spans) out.emplace_back(text.substr(s.begin, s.size()));
    return out;
  }
  sentence_splitter splitter_ = sentence_splitter::create(cfg::config{}.normalize.abbreviations).value();
};

using strings = std::vector<std::string>;

TEST_F(SentenceSplitterTest, SplitsSentences) {
  EXPECT_EQ(sentences_of("Talks began. They ended late! Why?"), (strings{"Talks began.", "They ended late!", "Why?"}));
}

TEST_F(SentenceSplitterTest, DoesNotSplitAfterListedAbbreviations) {
  EXPECT_EQ(sentences_of("U.S. President Joe Biden met Gen. Mark Milley on Feb. 7 at 7 p.m. Monday. Then he left."),
            (strings{"U.S. President Joe Biden met Gen. Mark Milley on Feb. 7 at 7 p.m. Monday.", "Then he left."}));
}

TEST_F(SentenceSplitterTest, DoesNotSplitAfterAnAbbreviationInBracketsOrAfterAHyphen) {
  EXPECT_EQ(sentences_of("He climbed Aoraki-Mt. Cook (Mt. Cook) alone."), (strings{"He climbed Aoraki-Mt. Cook (Mt. Cook) alone."}));
}

// A name's middle initial and a dateline in capitals: "Robert F." and "ST." broke a name into
// two sentences (and two entities, "Robert F." and "Kennedy Jr.").
TEST_F(SentenceSplitterTest, DoesNotSplitAfterAMiddleInitialOrAnAbbreviationInCapitals) {
  EXPECT_EQ(sentences_of("ST. LOUIS (AP) — Actor Michael J. Fox and Robert F. Kennedy Jr. spoke. Then they left."),
            (strings{"ST. LOUIS (AP) — Actor Michael J. Fox and Robert F. Kennedy Jr. spoke.", "Then they left."}));
  // Not an initial after a lower-case word; not an abbreviation when not all in capitals.
  EXPECT_EQ(sentences_of("They topped group B. Then they left."), (strings{"They topped group B.", "Then they left."}));
  // A first initial after a word that names a person next: credit lines stay one sentence.
  EXPECT_EQ(sentences_of("Reporting by A. Bruce; editing by B. Smith"), (strings{"Reporting by A. Bruce; editing by B. Smith"}));
  EXPECT_EQ(sentences_of("Associated Press writer Z. Garcia contributed. Then they left."),
            (strings{"Associated Press writer Z. Garcia contributed.", "Then they left."}));
  EXPECT_EQ(sentences_of("They chose plan B. Then they left."), (strings{"They chose plan B.", "Then they left."}));
  EXPECT_EQ(sentences_of("Associated Press writers J. Scott Applewhite and B. Smith contributed."),
            (strings{"Associated Press writers J. Scott Applewhite and B. Smith contributed."}));
  EXPECT_EQ(sentences_of("The vaccine protects against hepatitis A and B. It is given at birth."),
            (strings{"The vaccine protects against hepatitis A and B.", "It is given at birth."}));
  EXPECT_EQ(sentences_of("He saw the sT. Then he left."), (strings{"He saw the sT.", "Then he left."}));
}

// Initials that begin a name after any word: "succeed J. Edgar Hoover", "A.J. Smith", "the L.A.
// Times"; titles of the police and the clergy.
TEST_F(SentenceSplitterTest, DoesNotSplitAfterInitialsThatBeginAName) {
  EXPECT_EQ(sentences_of("He was named to succeed J. Edgar Hoover at the bureau. Then he left."),
            (strings{"He was named to succeed J. Edgar Hoover at the bureau.", "Then he left."}));
  EXPECT_EQ(sentences_of("General manager A.J. Smith told the L.A. Times that Const. Fanning and Msgr. Kelly met."),
            (strings{"General manager A.J. Smith told the L.A. Times that Const. Fanning and Msgr. Kelly met."}));
  EXPECT_EQ(sentences_of("He passed to T. Y. Hilton, and the U. S. Geological Survey said so. Vancouver police Const. Tim Fanning agreed."),
            (strings{"He passed to T. Y. Hilton, and the U. S. Geological Survey said so.", "Vancouver police Const. Tim Fanning agreed."}));
  EXPECT_EQ(sentences_of("It was traced to hepatitis C. Health Secretary Matt Hancock said so. It dates from 300 B.C. Archaeologists agree."),
            (strings{"It was traced to hepatitis C.", "Health Secretary Matt Hancock said so.", "It dates from 300 B.C.",
                     "Archaeologists agree."}));
  EXPECT_EQ(sentences_of("They chose plan B. Officials said so. He moved to L.A. He stayed."),
            (strings{"They chose plan B.", "Officials said so.", "He moved to L.A.", "He stayed."}));
}

TEST_F(SentenceSplitterTest, DoesNotSplitAfterFrenchMonsieur) {
  EXPECT_EQ(sentences_of("PARIS (AFP) - M. Macron a reçu MM. Scholz et Draghi lundi. Ils ont parlé."),
            (strings{"PARIS (AFP) - M. Macron a reçu MM. Scholz et Draghi lundi.", "Ils ont parlé."}));
}

TEST_F(SentenceSplitterTest, DoesNotSplitAfterAGermanOrdinal) {
  EXPECT_EQ(sentences_of("Am 3. Oktober feiert Deutschland. Der 1. FC Köln gewann am 12. März, seit 1. Januar zum 4. Mal.", "de"),
            (strings{"Am 3. Oktober feiert Deutschland.", "Der 1. FC Köln gewann am 12. März, seit 1. Januar zum 4. Mal."}));
  // A number that ends a sentence still ends it; so does a year or a count of three digits.
  EXPECT_EQ(sentences_of("Die Zahl der Toten stieg auf 12. Die Polizei ermittelt. Das war 1989. Der Rest folgt.", "de-AT"),
            (strings{"Die Zahl der Toten stieg auf 12.", "Die Polizei ermittelt.", "Das war 1989.", "Der Rest folgt."}));
  EXPECT_EQ(sentences_of("Die Läden sind von 8 bis 20. Sonntags bleiben sie zu. Es tagt ab 9. Die Sitzung ist offen.", "de"),
            (strings{"Die Läden sind von 8 bis 20.", "Sonntags bleiben sie zu.", "Es tagt ab 9.", "Die Sitzung ist offen."}));
  // Not in other languages: a month after a number there starts a sentence.
  EXPECT_EQ(sentences_of("He was ranked No. 3. The rest followed.", "en"), (strings{"He was ranked No. 3.", "The rest followed."}));
  EXPECT_EQ(sentences_of("Openings rose to 11. April figures are due next month.", "en"),
            (strings{"Openings rose to 11.", "April figures are due next month."}));
  EXPECT_EQ(sentences_of("Am 3. Oktober feiert Deutschland."), (strings{"Am 3.", "Oktober feiert Deutschland."}));
}

// German abbreviations written with a space ("z. B.", "d. h.", "u. a.") and "Mrd.", "Mio.".
TEST_F(SentenceSplitterTest, DoesNotSplitInsideAGermanAbbreviation) {
  EXPECT_EQ(sentences_of("Die EU hat z. B. Sanktionen vorbereitet, d. h. Kosten von 1,2 Mrd. Euro. Das reicht.", "de"),
            (strings{"Die EU hat z. B. Sanktionen vorbereitet, d. h. Kosten von 1,2 Mrd. Euro.", "Das reicht."}));
  EXPECT_EQ(sentences_of("Sie sprach u. a. mit Scholz. Er schwieg."), (strings{"Sie sprach u. a. mit Scholz.", "Er schwieg."}));
}

TEST_F(SentenceSplitterTest, KeepsClosingQuotesWithTheirSentence) {
  EXPECT_EQ(sentences_of("\xE2\x80\x9CWe are ready.\xE2\x80\x9D Sullivan said so."),
            (strings{"\xE2\x80\x9CWe are ready.\xE2\x80\x9D", "Sullivan said so."}));
}

// A quoted question or exclamation and its attribution are one sentence (the quote extractor finds
// its speaker there); a new sentence after the quote still starts one.
TEST_F(SentenceSplitterTest, KeepsAQuotedQuestionWithItsAttribution) {
  EXPECT_EQ(sentences_of("\xE2\x80\x9CWhy now?\xE2\x80\x9D he asked. Nobody answered."),
            (strings{"\xE2\x80\x9CWhy now?\xE2\x80\x9D he asked.", "Nobody answered."}));
  EXPECT_EQ(sentences_of("\"Is it over?\" asked Sen. Mitt Romney, R-Utah. \"Never!\" Schumer said."),
            (strings{"\"Is it over?\" asked Sen. Mitt Romney, R-Utah.", "\"Never!\"", "Schumer said."}));
  EXPECT_EQ(sentences_of("\xE2\x80\x9EWarum?\xE2\x80\x9C fragte er. Keiner antwortete."),
            (strings{"\xE2\x80\x9EWarum?\xE2\x80\x9C fragte er.", "Keiner antwortete."}));
  EXPECT_EQ(sentences_of("\xC2\xAB Pourquoi\xC2\xA0? \xC2\xBB a-t-il demand\xC3\xA9. Personne."),
            (strings{"\xC2\xAB Pourquoi\xC2\xA0? \xC2\xBB a-t-il demand\xC3\xA9.", "Personne."}));
}

TEST_F(SentenceSplitterTest, TreatsAParagraphWithOnlyATrailingTerminatorAsOneSentence) {
  EXPECT_EQ(sentences_of("One sentence with no inner stop.\xE2\x80\x9D  "), (strings{"One sentence with no inner stop.\xE2\x80\x9D"}));
  EXPECT_EQ(sentences_of("A heading without a stop"), (strings{"A heading without a stop"}));
}

TEST_F(SentenceSplitterTest, FollowsUax29AtAStopWithoutASpace) {
  // SB7: a letter, '.', a capital: no break ("Zelensky.Visits" in the EWN copy stays one sentence).
  EXPECT_EQ(sentences_of("Putin and Zelensky.Visits are expected."), (strings{"Putin and Zelensky.Visits are expected."}));
  EXPECT_EQ(sentences_of("It ended.\xE2\x80\x9DThen more."), (strings{"It ended.\xE2\x80\x9D", "Then more."}));
}

TEST_F(SentenceSplitterTest, MapsOffsetsBackThroughNonBmpCharacters) {
  const std::string text = "Emoji \xF0\x9F\x98\x80 here. Next one.";
  std::vector<text_span> spans;
  splitter_.split(text, 10, spans);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0], (text_span{10, 10 + 16}));
  EXPECT_EQ(text.substr(spans[1].begin - 10, spans[1].size()), "Next one.");
}

TEST_F(SentenceSplitterTest, SplitsNonLatinTerminators) {
  EXPECT_EQ(sentences_of("\xE4\xBB\x8A\xE5\xA4\xA9\xE3\x80\x82\xE6\x98\x8E\xE5\xA4\xA9\xE3\x80\x82"),
            (strings{"\xE4\xBB\x8A\xE5\xA4\xA9\xE3\x80\x82", "\xE6\x98\x8E\xE5\xA4\xA9\xE3\x80\x82"}));
}

TEST(SentenceSplitterCreateTest, RefusesAnAbbreviationWithoutAFinalPeriod) {
  const auto s = sentence_splitter::create({"Gen"});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().reason, "bad_abbreviation");
}

}  // namespace
}  // namespace wirefeed
