#include "pipeline/tokenizer.h"

#include <gtest/gtest.h>

#include "config/config.h"

namespace wirefeed {
namespace {

class TokenizerTest : public ::testing::Test {
 protected:
  // The display forms of the tokens of `text`.
  std::vector<std::string> tokens_of(std::string_view text) {
    folded_.clear();
    tokens_.clear();
    masks_.clear();
    tok_.tokenize(text, 0, folded_, tokens_, &masks_);
    std::vector<std::string> out;
    for (const auto& t : tokens_) out.emplace_back(text.substr(t.text.begin, t.text.size()));
    return out;
  }
  std::vector<std::string> folded_forms() const {
    std::vector<std::string> out;
    for (const auto& t : tokens_) out.push_back(folded_.substr(t.folded.begin, t.folded.size()));
    return out;
  }

  tokenizer tok_{cfg::config{}.normalize.abbreviations};
  std::string folded_;
  std::vector<token> tokens_;
  std::vector<word_table::mask> masks_;
};

using strings = std::vector<std::string>;

TEST_F(TokenizerTest, SplitsPunctuationOff) {
  EXPECT_EQ(tokens_of("Hello, world!"), (strings{"Hello", ",", "world", "!"}));
}

TEST_F(TokenizerTest, SplitsClitics) {
  EXPECT_EQ(tokens_of("France\xE2\x80\x99s role, don't"), (strings{"France", "\xE2\x80\x99s", "role", ",", "do", "n't"}));
}

TEST_F(TokenizerTest, KeepsAbbreviationsInitialsAndDottedLettersWhole) {
  EXPECT_EQ(tokens_of("U.S. Gen. John F. Kennedy on Feb. 7"),
            (strings{"U.S.", "Gen.", "John", "F.", "Kennedy", "on", "Feb.", "7"}));
}

TEST_F(TokenizerTest, KeepsTheSentenceFinalPeriodApartFromOrdinaryWords) {
  EXPECT_EQ(tokens_of("He said no."), (strings{"He", "said", "no", "."}));
}

TEST_F(TokenizerTest, KeepsNumbersWithSeparatorsAndHyphenatedWordsWhole) {
  EXPECT_EQ(tokens_of("100,000 troops, 5.30 p.m., 14-15 de-escalation 82nd $500"),
            (strings{"100,000", "troops", ",", "5.30", "p.m.", ",", "14-15", "de-escalation", "82nd", "$", "500"}));
}

TEST_F(TokenizerTest, KeepsUrlsTagsAndNamesWithApostrophesWhole) {
  EXPECT_EQ(tokens_of("See https://ewn.co.za/a?b=1. #Ukraine @AP O'Brien"),
            (strings{"See", "https://ewn.co.za/a?b=1", ".", "#Ukraine", "@AP", "O'Brien"}));
  // A company named by its domain is one name; a sentence that ends before "com..." is not.
  EXPECT_EQ(tokens_of("Amazon.com Inc rose, as did Booking.com."),
            (strings{"Amazon.com", "Inc", "rose", ",", "as", "did", "Booking.com", "."}));
  EXPECT_EQ(tokens_of("It rose.Commentators said"), (strings{"It", "rose", ".", "Commentators", "said"}));
}

TEST_F(TokenizerTest, SplitsFrenchElisions) {
  EXPECT_EQ(tokens_of("l'\xC3\x89lys\xC3\xA9" "e"), (strings{"l'", "\xC3\x89lys\xC3\xA9" "e"}));
}

TEST_F(TokenizerTest, KeepsRunsOfDotsAndDashesTogether) {
  EXPECT_EQ(tokens_of("wait... -- no \xE2\x80\x94 yes"), (strings{"wait", "...", "--", "no", "\xE2\x80\x94", "yes"}));
}

TEST_F(TokenizerTest, WritesFoldedFormsAndOffsets) {
  tokens_of("\xE2\x80\x9C" "Dialogue\xE2\x80\x9D IS Necessary");
  EXPECT_EQ(folded_forms(), (strings{"\"", "dialogue", "\"", "is", "necessary"}));
  EXPECT_EQ(folded_, "\"dialogue\" is necessary");
  EXPECT_EQ(tokens_[1].kind, token_kind::word);
  EXPECT_EQ(tokens_[0].kind, token_kind::punct);
}

TEST_F(TokenizerTest, OffsetsAddTheBase) {
  std::string folded;
  std::vector<token> tokens;
  tok_.tokenize("ab cd", 100, folded, tokens, nullptr);
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[1].text, (text_span{103, 105}));
}

TEST_F(TokenizerTest, LooksWordsUpInTheWordTable) {
  tokens_of("The Kremlin");
  ASSERT_EQ(masks_.size(), 2u);
  EXPECT_NE(masks_[0] & word_table::stopword_bit("en"), 0);
  EXPECT_NE(masks_[0] & word_table::english_marker, 0);
  EXPECT_EQ(masks_[1], 0);
}

TEST_F(TokenizerTest, ClassifiesNumbers) {
  tokens_of("2022 troops");
  EXPECT_EQ(tokens_[0].kind, token_kind::number);
  EXPECT_EQ(tokens_[1].kind, token_kind::word);
}

TEST(WordTableTest, LooksUpStopwordsOfEachLanguage) {
  const auto& t = word_table::instance();
  EXPECT_NE(t.lookup("the") & word_table::stopword_bit("en"), 0);
  EXPECT_NE(t.lookup("les") & word_table::stopword_bit("fr"), 0);
  EXPECT_NE(t.lookup("und") & word_table::stopword_bit("de-AT"), 0);
  EXPECT_NE(t.lookup("los") & word_table::stopword_bit("es"), 0);
  EXPECT_EQ(t.lookup("kremlin"), 0);
  EXPECT_EQ(word_table::stopword_bit("ja"), 0);
}

TEST(WordTableTest, PaddedLookupAgreesWithTheOrdinaryOne) {
  const auto& t = word_table::instance();
  for (std::string w : {"the", "which", "und", "a", "dass", "ourselves", "ukraine", "zwischen", "x"}) {
    std::string padded = w + std::string(16, 'q');
    EXPECT_EQ(t.lookup_padded(padded.data(), w.size()), t.lookup(w)) << w;
  }
}

}  // namespace
}  // namespace wirefeed
