#include "pipeline/boilerplate_lexicon.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline/text_fold.h"
#include "pipeline/utf8_cursor.h"

#ifndef WIREFEED_SOURCE_DIR
#define WIREFEED_SOURCE_DIR "."
#endif

namespace wirefeed {
namespace {

using ::testing::HasSubstr;

// A paragraph view of `text` with its folded form (spaces already single in test input).
struct view_of {
  explicit view_of(std::string t, bool repeated = false) : text(std::move(t)), folded(fold_text(text)) {
    view = {text, folded, utf8::count_code_points(text), repeated, {}, 0};
  }
  std::string text, folded;
  boilerplate_lexicon::paragraph_view view;
};

boilerplate_lexicon lexicon(const std::string& yaml) {
  auto l = boilerplate_lexicon::parse(yaml, "<test>");
  EXPECT_TRUE(l.ok()) << (l.ok() ? "" : l.error().message);
  return l.value();
}

std::optional<removal_kind> classify(const boilerplate_lexicon& l, const std::string& text, bool repeated = false) {
  view_of v(text, repeated);
  return l.classify(v.view);
}

class ShippedLexiconTest : public ::testing::Test {
 protected:
  boilerplate_lexicon lex_ = boilerplate_lexicon::parse(boilerplate_lexicon::shipped_text(), "<shipped>").value();
};

TEST_F(ShippedLexiconTest, TheCompiledInCopyEqualsTheFileInConfig) {
  auto from_file = boilerplate_lexicon::load_file(std::string(WIREFEED_SOURCE_DIR) + "/config/boilerplate.yaml");
  ASSERT_TRUE(from_file.ok()) << from_file.error().message;
  EXPECT_EQ(from_file->rule_count(), lex_.rule_count());
}

TEST_F(ShippedLexiconTest, RemovesNavigationLinesOfTheSampleFeed) {
  EXPECT_EQ(classify(lex_, "Accessibility links"), removal_kind::navigation);
  EXPECT_EQ(classify(lex_, "Breaking News"), removal_kind::navigation);
  EXPECT_EQ(classify(lex_, "BREAKING NEWS:"), removal_kind::navigation);
}

TEST_F(ShippedLexiconTest, RemovesCartoonTeasers) {
  EXPECT_EQ(classify(lex_, "Political cartoons about world leaders"), removal_kind::teaser);
  EXPECT_EQ(classify(lex_, "political cartoons"), removal_kind::teaser);
  EXPECT_EQ(classify(lex_, "Read more: Macron and Putin meet"), removal_kind::teaser);
}

TEST_F(ShippedLexiconTest, RemovesCopyrightFooters) {
  EXPECT_EQ(classify(lex_, "Copyright 2022 The Associated Press. All rights reserved. This material may not be "
                           "published, broadcast, rewritten or redistributed."),
            removal_kind::copyright);
  EXPECT_EQ(classify(lex_, "\xC2\xA9 2022 AFP"), removal_kind::copyright);
  EXPECT_EQ(classify(lex_, "All rights reserved."), removal_kind::copyright);
}

TEST_F(ShippedLexiconTest, RemovesCopyrightFootersInFrenchGermanAndSpanish) {
  EXPECT_EQ(classify(lex_, "\xC2\xA9 2022 AFP. Tous droits r\xC3\xA9serv\xC3\xA9s."), removal_kind::copyright);
  EXPECT_EQ(classify(lex_, "Alle Rechte vorbehalten."), removal_kind::copyright);
  EXPECT_EQ(classify(lex_, "Copyright \xC2\xA9 2022 dpa. Alle Rechte vorbehalten"), removal_kind::copyright);
  EXPECT_EQ(classify(lex_, "Todos los derechos reservados."), removal_kind::copyright);
}

// Agency footers without a year right after the symbol (found by a review, 2026-12-06).
TEST_F(ShippedLexiconTest, RemovesAgencyCopyrightLinesWithoutAYear) {
  for (const char* p : {"\xC2\xA9 Agence France-Presse", "(c) Agencia EFE", "\xC2\xA9 dpa-infocom, dpa:220207-99-12345/3",
                        "Copyright The Associated Press", "\xC2\xA9 Thomson Reuters 2024",
                        "(c) Copyright Thomson Reuters 2024. Click For Restrictions - "
                        "https://agency.reuters.com/en/copyright.html",
                        "Tous droits r\xC3\xA9serv\xC3\xA9s \xC2\xA9 AFP 2024"}) {
    EXPECT_EQ(classify(lex_, p), removal_kind::copyright) << p;
  }
  // A list item "(c)" is no footer, nor are sentences that open like one.
  for (const char* p : {"(c) the right to appeal the court's decision within 30 days.",
                        "Copyright Reuters has sued the company over the photographs.",
                        "Tous droits r\xC3\xA9serv\xC3\xA9s, a-t-il dit, mais le texte continue."}) {
    EXPECT_EQ(classify(lex_, p), std::nullopt) << p;
  }
}

TEST_F(ShippedLexiconTest, KeepsSentencesThatMerelyTalkAboutCopyright) {
  EXPECT_EQ(classify(lex_, "Copyright lawsuits against AI companies are multiplying."), std::nullopt);
}

TEST_F(ShippedLexiconTest, RemovesContributorLines) {
  EXPECT_EQ(classify(lex_, "Associated Press writers Aamer Madhani in Washington, Lorne Cook in Brussels, and Jill "
                           "Lawless in London contributed."),
            removal_kind::contributor);
  EXPECT_EQ(classify(lex_, "Pannett reported from Sydney. Dixon reported from Moscow. Missy Ryan in Washington and "
                           "Rick Noack in Paris contributed to this report."),
            removal_kind::contributor);
  EXPECT_EQ(classify(lex_, "Pannett reported from Sydney. Dixon reported from Moscow."), removal_kind::contributor);
  EXPECT_EQ(classify(lex_, "(Reporting by Dmitry Antonov; Editing by Alex Richardson)"), removal_kind::contributor);
  EXPECT_EQ(classify(lex_, "Associated Press writer Mary Smith contributed to this report from New York."),
            removal_kind::contributor);
  EXPECT_EQ(classify(lex_, "The rest of the money was contributed from private donors."), std::nullopt);
}

// A Reuters credit is names, places and credit words; a sentence that opens with the same words
// is news ("$300 million" and "0.4%" were lost with them).
TEST_F(ShippedLexiconTest, RemovesReutersCreditsButNotSentencesOpeningLikeThem) {
  EXPECT_EQ(classify(lex_, "Reporting by Ju-min Park in Seoul and Sarah O'Brien; additional reporting by Hyonhee "
                           "Shin; Writing by Josh Smith; Editing by Robert Birsel."),
            removal_kind::contributor);
  EXPECT_EQ(classify(lex_, "Compiled by Michael J. Doe."), removal_kind::contributor);
  EXPECT_EQ(classify(lex_, "Reporting by The New York Times found the company hid losses of $300 million."),
            std::nullopt);
  EXPECT_EQ(classify(lex_, "Compiled by the Labor Department, the index rose 0.4% in March."), std::nullopt);
  EXPECT_EQ(classify(lex_, "Editing by a single producer was blamed for the errors."), std::nullopt);
}

// Agency footers, update notes, sign-offs and separators; the sentences they resemble stay.
TEST_F(ShippedLexiconTest, RemovesAgencyFootersUpdateNotesSignOffsAndSeparators) {
  EXPECT_EQ(classify(lex_, "Follow AP's coverage of the elections at https://apnews.com/hub/election-2024"),
            removal_kind::promo);
  EXPECT_EQ(classify(lex_, "Our Standards: The Thomson Reuters Trust Principles."), removal_kind::promo);
  EXPECT_EQ(classify(lex_, "(Adds analyst comment, updates prices)"), removal_kind::source_note);
  EXPECT_EQ(classify(lex_, "(CORRECTS paragraph 3 to say 2,300, not 2,600)"), removal_kind::source_note);
  EXPECT_EQ(classify(lex_, "(UPDATES with new toll, quotes)"), removal_kind::source_note);
  EXPECT_EQ(classify(lex_, "burs-jj/ach"), removal_kind::contributor);
  EXPECT_EQ(classify(lex_, "bur-sjw/tw"), removal_kind::contributor);
  EXPECT_EQ(classify(lex_, "___"), removal_kind::navigation);
  EXPECT_EQ(classify(lex_, "* * *"), removal_kind::navigation);
  EXPECT_EQ(classify(lex_, "(Adds to the pressure on the government, the report said.) Then it fell."), std::nullopt);
  EXPECT_EQ(classify(lex_, "Burundi said it would send troops."), std::nullopt);
  EXPECT_EQ(classify(lex_, "da/bgs"), removal_kind::contributor);
  EXPECT_EQ(classify(lex_, "dpa-AFX/jk/DP/he"), removal_kind::contributor);
  EXPECT_EQ(classify(lex_, "RIPRODUZIONE RISERVATA \xC2\xA9 Copyright ANSA"), removal_kind::copyright);
  EXPECT_EQ(classify(lex_, "The Associated Press receives support from several private foundations to enhance its "
                           "explanatory coverage of elections. AP is solely responsible for all content."),
            removal_kind::source_note);
  EXPECT_EQ(classify(lex_, "Find AP\xE2\x80\x99s full coverage of the Turkey-Syria earthquake."), removal_kind::promo);
  EXPECT_EQ(classify(lex_, "This is a breaking news update. AP\xE2\x80\x99s earlier story follows below."),
            removal_kind::source_note);
  EXPECT_EQ(classify(lex_, "This article is more than 1 year old"), removal_kind::navigation);
  EXPECT_EQ(classify(lex_, "Reuse this content"), removal_kind::navigation);
  EXPECT_EQ(classify(lex_, "Story continues below advertisement"), removal_kind::navigation);
  EXPECT_EQ(classify(lex_, "This article is more than a summary of the talks, officials said."), std::nullopt);
  EXPECT_EQ(classify(lex_, "dpa reported the talks had failed."), std::nullopt);
}

// AP's credit names a person (two capitalised words in a row) or a writer's title; a paragraph of
// countries or a sentence that ends with the word is news.
TEST_F(ShippedLexiconTest, KeepsSentencesThatEndWithContributed) {
  EXPECT_EQ(classify(lex_, "Germany said it had not yet decided how much it contributed."), std::nullopt);
  EXPECT_EQ(classify(lex_, "Germany and France contributed."), std::nullopt);
  EXPECT_EQ(classify(lex_, "Jane Doe contributed."), removal_kind::contributor);
  EXPECT_EQ(classify(lex_, "Staff writers contributed."), removal_kind::contributor);
  EXPECT_EQ(classify(lex_, "AP writer Doe in Kyiv contributed."), removal_kind::contributor);
}

TEST_F(ShippedLexiconTest, RemovesSourceNotes) {
  EXPECT_EQ(classify(lex_, "Some information for this report came from The Associated Press and Reuters."),
            removal_kind::source_note);
  EXPECT_EQ(classify(lex_, "Con informaci\xC3\xB3n de EFE y Reuters."), removal_kind::source_note);
  EXPECT_EQ(classify(lex_, "(avec AFP)"), removal_kind::source_note);
}

TEST_F(ShippedLexiconTest, RemovesRepeatedCaptionsAndPhotoCredits) {
  const std::string caption = "French President Emmanuel Macron (R) meets with Russian President Vladimir Putin (L).";
  EXPECT_EQ(classify(lex_, caption, /*repeated=*/true), removal_kind::caption);
  EXPECT_EQ(classify(lex_, caption, /*repeated=*/false), std::nullopt);
  EXPECT_EQ(classify(lex_, "Putin speaks in Moscow. (AP Photo/Alexander Zemlianichenko)"), removal_kind::caption);
  EXPECT_EQ(classify(lex_, "Rescuers search the rubble in Kahramanmaras. (EPA/SEDAT SUNA)"), removal_kind::caption);
  // Credits without parentheses, and the BBC's caption labels.
  EXPECT_EQ(classify(lex_, "Rescuers search the rubble in Antakya. REUTERS/Umit Bektas"), removal_kind::caption);
  EXPECT_EQ(classify(lex_, "A woman reacts in Antakya. Photograph: B\xC3\xBClent K\xC4\xB1l\xC4\xB1\xC3\xA7/AFP/Getty Images"),
            removal_kind::caption);
  EXPECT_EQ(classify(lex_, "Rescuers search the rubble in Antakya. Photo: AFP"), removal_kind::caption);
  EXPECT_EQ(classify(lex_, "Image source, Getty Images"), removal_kind::caption);
  EXPECT_EQ(classify(lex_, "Image caption, A woman reacts as rescuers search the rubble"), removal_kind::caption);
  EXPECT_EQ(classify(lex_, "Reuters/Ipsos polling showed support falling."), std::nullopt);
  EXPECT_EQ(classify(lex_, "The photograph: a man in the rubble, was shared widely."), std::nullopt);
  // The agency's name at a sentence's end is no photo credit.
  EXPECT_EQ(classify(lex_, "The new limits on power plant emissions were issued Thursday by the Environmental "
                           "Protection Agency (EPA)."),
            std::nullopt);
}

TEST_F(ShippedLexiconTest, KeepsOrdinaryNewsParagraphs) {
  for (const char* p : {
           "Macron called for de-escalation as he began talks with Russian President Vladimir Putin in the Kremlin.",
           "The Kremlin had said ahead of the talks that it did not expect any immediate resolution.",
           "\xE2\x80\x9CWhatever actions Russia takes next, America is ready,\xE2\x80\x9D Sullivan said.",
           "The conversation is \xE2\x80\x98very important\xE2\x80\x99",
           "Search and rescue teams worked through the night.",
           // Openings a promotion, a credit or a source note can have too.
           "Get the latest booster shot before winter, health officials urged residents on Monday.",
           "Join our fight for fair pay, the union leader told the crowd.",
           "Follow our lead on climate, Macron told the other leaders.",
           "Smith and Jones reported from Kyiv that the shelling continued overnight.",
           "Originally published in 1851, the newspaper is the oldest in the state.",
       }) {
    EXPECT_EQ(classify(lex_, p), std::nullopt) << p;
  }
  EXPECT_EQ(classify(lex_, "Get the latest news delivered to your inbox every morning."), removal_kind::promo);
  EXPECT_EQ(classify(lex_, "Join our WhatsApp channel for breaking news."), removal_kind::promo);
  EXPECT_EQ(classify(lex_, "Follow our live coverage at https://example.com/live"), removal_kind::promo);
  EXPECT_EQ(classify(lex_, "Originally published on Jan. 5, 2023."), removal_kind::source_note);
  EXPECT_EQ(classify(lex_, "Originally published by The Conversation."), removal_kind::source_note);
  for (const char* p : {"Join our mailing list.", "Follow our live blog here.", "Get the latest on the war in Ukraine."}) {
    EXPECT_EQ(classify(lex_, p), removal_kind::promo) << p;
  }
  for (const char* p : {"Originally published by The Conversation, an independent source of news.",
                        "Originally published at ProPublica, a nonprofit newsroom."}) {
    EXPECT_EQ(classify(lex_, p), removal_kind::source_note) << p;
  }
}

TEST(BoilerplateLexiconTest, MatchesLinesIgnoringCaseQuotesAndFinalPunctuation) {
  const auto l = lexicon("version: 1\nrules:\n  - kind: navigation\n    lines: [\"Editor's picks\"]\n");
  EXPECT_EQ(classify(l, "EDITOR\xE2\x80\x99S PICKS:"), removal_kind::navigation);
  EXPECT_EQ(classify(l, "Editor's picks of the week"), std::nullopt);
}

TEST(BoilerplateLexiconTest, MatchesPrefixesAndSuffixesAtWordBoundaries) {
  const auto l = lexicon(
      "version: 1\nrules:\n  - kind: promo\n    prefixes: [Sign up]\n  - kind: contributor\n    suffixes: [contributed]\n");
  EXPECT_EQ(classify(l, "Sign up for our newsletter"), removal_kind::promo);
  EXPECT_EQ(classify(l, "Signups rose."), std::nullopt);
  EXPECT_EQ(classify(l, "Jane Doe contributed."), removal_kind::contributor);
  EXPECT_EQ(classify(l, "It was uncontributed."), std::nullopt);
}

TEST(BoilerplateLexiconTest, MatchesContainsAtWordStarts) {
  const auto l = lexicon("version: 1\nrules:\n  - kind: caption\n    contains: [\"(AP Photo\"]\n");
  EXPECT_EQ(classify(l, "Putin in Moscow (AP Photo/Evan Vucci)"), removal_kind::caption);
  EXPECT_EQ(classify(l, "No credit here"), std::nullopt);
}

TEST(BoilerplateLexiconTest, RequiresThePatternToConfirmALiteralHit) {
  const auto l = lexicon(
      "version: 1\nrules:\n  - kind: copyright\n    prefixes: [Copyright]\n    pattern: '^copyright \\d{4}'\n");
  EXPECT_EQ(classify(l, "Copyright 2022 AP"), removal_kind::copyright);
  EXPECT_EQ(classify(l, "Copyright law is complex"), std::nullopt);
}

TEST(BoilerplateLexiconTest, TriesAPatternAloneOnShortParagraphs) {
  const auto l = lexicon("version: 1\nrules:\n  - kind: promo\n    pattern: 'newsletter$'\n    max_chars: 30\n");
  EXPECT_EQ(classify(l, "Get our newsletter"), removal_kind::promo);
  EXPECT_EQ(classify(l, "A long paragraph that mentions the newsletter"), std::nullopt);
}

TEST(BoilerplateLexiconTest, HonoursCaseSensitivePatterns) {
  const auto l = lexicon(
      "version: 1\nrules:\n  - kind: teaser\n    prefixes: [watch]\n    pattern: '^WATCH'\n    case_sensitive: true\n");
  EXPECT_EQ(classify(l, "WATCH the video"), removal_kind::teaser);
  EXPECT_EQ(classify(l, "Watch the video"), std::nullopt);
}

TEST(BoilerplateLexiconTest, AppliesTheFirstMatchingRule) {
  const auto l = lexicon(
      "version: 1\nrules:\n  - kind: teaser\n    prefixes: [More]\n  - kind: promo\n    lines: [More news]\n");
  EXPECT_EQ(classify(l, "More news"), removal_kind::teaser);
}

TEST(BoilerplateLexiconTest, ReportsEveryProblemWithItsRule) {
  const auto l = boilerplate_lexicon::parse(
      "version: 1\nrules:\n"
      "  - kind: bogus\n    lines: [x]\n"
      "  - kind: teaser\n    pattern: '(unclosed'\n"
      "  - kind: teaser\n"
      "  - kind: teaser\n    lines: [x]\n    colour: red\n",
      "<test>");
  ASSERT_FALSE(l.ok());
  EXPECT_EQ(l.error().reason, "bad_lexicon");
  EXPECT_THAT(l.error().message, HasSubstr("4 problem(s)"));
  EXPECT_THAT(l.error().message, HasSubstr("rule 1 (line 3): kind must be one of"));
  EXPECT_THAT(l.error().message, HasSubstr("rule 2 (line 5): pattern does not compile"));
  EXPECT_THAT(l.error().message, HasSubstr("rule 3 (line 7): a rule needs at least one of"));
  EXPECT_THAT(l.error().message, HasSubstr("unknown key \"colour\""));
}

TEST(BoilerplateLexiconTest, RefusesBadYamlAndAWrongVersion) {
  EXPECT_THAT(boilerplate_lexicon::parse("rules: [", "<test>").error().message, HasSubstr("YAML syntax error"));
  EXPECT_THAT(boilerplate_lexicon::parse("version: 2\nrules: []\n", "<test>").error().message,
              HasSubstr("version: 1"));
  EXPECT_THAT(boilerplate_lexicon::load_file("/nonexistent/lexicon.yaml").error().message,
              HasSubstr("cannot be read"));
}

}  // namespace
}  // namespace wirefeed
