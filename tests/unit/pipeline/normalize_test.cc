#include "pipeline/normalize.h"
#include "pipeline/text_header.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "normalize_test_support.h"

namespace wirefeed {
namespace {

using testing::decode_and_normalize;
using testing::raw_record;
using testing::text_of;
using ::testing::ElementsAre;

constexpr std::int64_t k_record_time = 1644220800000;  // 2022-02-07T08:00:00Z

article normalized(const std::string& text, std::int64_t timestamp_ms = 0, headers hdrs = {}) {
  auto a = decode_and_normalize(raw_record(text, timestamp_ms, std::move(hdrs)));
  EXPECT_TRUE(a.ok()) << (a.ok() ? "" : a.error().message);
  return a.ok() ? std::move(a.value()) : article{};
}

std::vector<std::string> removed_kinds(const article& a) {
  std::vector<std::string> out;
  for (const auto& r : a.removed) out.emplace_back(to_string(r.kind));
  return out;
}

std::vector<std::string> sentences_of(const article& a) {
  std::vector<std::string> out;
  for (const auto& s : a.sentences) out.push_back(text_of(a, s));
  return out;
}

TEST(NormalizeTest, StripsCopyrightFooter) {
  const auto a = normalized(
      "MOSCOW (AP) \xE2\x80\x94 Talks began.\n\nCopyright 2022 The Associated Press. All rights reserved. This material "
      "may not be published, broadcast, rewritten or redistributed.");
  EXPECT_EQ(a.body, "MOSCOW (AP) \xE2\x80\x94 Talks began.");
  EXPECT_THAT(removed_kinds(a), ElementsAre("copyright"));
}

TEST(NormalizeTest, StripsContributorAndSourceNoteLines) {
  const auto a = normalized(
      "Putin said there would be no winners.\nPannett reported from Sydney. Dixon reported from Moscow. Missy Ryan in "
      "Washington contributed to this report.\nSome information for this report came from Reuters.");
  EXPECT_EQ(a.body, "Putin said there would be no winners.");
  EXPECT_THAT(removed_kinds(a), ElementsAre("contributor", "source_note"));
}

// A one-line raw-text article ending with its credit: the credit goes, the news stays (it took the
// whole paragraph, and the article with it, as no_body_after_normalize).
TEST(NormalizeTest, StripsACreditThatEndsTheParagraphOfTheNews) {
  const auto a = normalized(
      "MOSCOW (AP) \xE2\x80\x94 Macron met Putin on Monday for five hours, the Kremlin said. Jill Lawless in London "
      "contributed to this report.");
  EXPECT_EQ(a.body, "MOSCOW (AP) \xE2\x80\x94 Macron met Putin on Monday for five hours, the Kremlin said.");
  ASSERT_EQ(a.removed.size(), 1u);
  EXPECT_EQ(a.removed[0].kind, removal_kind::contributor);
  EXPECT_EQ(a.removed[0].text, "Jill Lawless in London contributed to this report.");
}

// Footers that run on after the last sentence of the body: the longest boilerplate tail of up to
// three sentences goes; a closing sentence of news that only starts like one stays.
TEST(NormalizeTest, StripsAFooterOnTheLineOfTheLastSentence) {
  const std::string news = "MOSCOW (AP) - Putin met Macron on Monday.\n\nThe talks lasted five hours, the Kremlin said.";
  for (const auto& [footer, kind] : std::vector<std::pair<std::string, std::string>>{
           {"Copyright 2022 The Associated Press. All rights reserved.", "copyright"},
           {"(Reporting by Dmitry Antonov; Editing by Mark Heinrich)", "contributor"},
           {"\xC2\xA9 2022 AFP", "copyright"},
           {"Jill Lawless in London contributed to this report.", "contributor"},
           {"Associated Press writer Jane Doe in Kyiv contributed.", "contributor"},
           {"(Additional reporting by Jane Doe in Kyiv)", "contributor"},
           {"Reporting by Jane Doe; Editing by John Smith", "contributor"},
           {"(Reporting by J. Doe; Editing by John Smith)", "contributor"},
           {"Associated Press writer Z. Garcia in Lima, Peru, contributed to this report.", "contributor"},
           {"Associated Press writers J. Scott Applewhite and B. Smith contributed.", "contributor"},
           {"Reporting by A. Bruce; editing by B. Smith", "contributor"},
           {"Copyright 2022 Reuters. Click For Restrictions.", "copyright"},
       }) {
    const auto a = normalized(news + " " + footer);
    EXPECT_EQ(a.body, news) << footer;
    ASSERT_EQ(a.removed.size(), 1u) << footer;
    EXPECT_EQ(to_string(a.removed[0].kind), kind) << footer;
    EXPECT_EQ(a.removed[0].text, footer);
  }
  for (const std::string last : {"Read more about the decision in the report, officials said.",
                                 "Sign up for the draft was slow, the ministry said.",
                                 "All rights groups condemned the move.", "Copyright law was not discussed.",
                                 "Originally published in 1962, her first novel sold 30 million copies.",
                                 "Get the latest opening times at https://museum.org.uk before visiting, it said.",
                                 "CNN reported from the scene that two more people died overnight.",
                                 "Germany and France contributed.",
                                 "All rights reserved by the photographer were upheld, the judge said."}) {
    EXPECT_EQ(normalized(news + " " + last).body, news + " " + last);
  }
  // Only the footer's own sentences go, not the news before it on the line.
  const std::string line = "Macron flew to Kyiv afterwards. Zelenskyy welcomed him at the airport.";
  for (const std::string footer : {"Jill Lawless in London contributed to this report.",
                                   "Copyright 2022 The Associated Press. All rights reserved."}) {
    const auto a = normalized(news + " " + line + " " + footer);
    EXPECT_EQ(a.body, news + " " + line) << footer;
    ASSERT_EQ(a.removed.size(), 1u) << footer;
    EXPECT_EQ(a.removed[0].text, footer);
  }
  // So in a paragraph the lexicon removes for its credit: the two sentences of news stay.
  const auto credited = normalized("MOSCOW (AP) - Putin met Macron on Monday.\n\n" + line + " Jill Lawless in London "
                                   "contributed to this report.");
  EXPECT_EQ(credited.body, "MOSCOW (AP) - Putin met Macron on Monday.\n\n" + line);
}

TEST(NormalizeTest, StripsNavigationAndTakesTheTitleThatFollowsAsHeadline) {
  const auto a = normalized(
      "Accessibility links\n\nBreaking News\n\nMacron, Putin Meeting on Ukraine Crisis\n\nFrench President Emmanuel "
      "Macron was meeting in Moscow with Russian President Vladimir Putin on Monday.\n\nThe Kremlin said it expected "
      "nothing.");
  EXPECT_EQ(a.headline, "Macron, Putin Meeting on Ukraine Crisis");
  EXPECT_THAT(removed_kinds(a), ElementsAre("navigation", "navigation", "header"));
  EXPECT_EQ(a.body.substr(0, 16), "French President");
}

TEST(NormalizeTest, KeepsAShortFirstParagraphWhenTheInputHasAHeadline) {
  auto a = decode_and_normalize(raw_record(R"({"uri":"u","headline":"H","body":"A short line\nThe rest of the story."})"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->headline, "H");
  EXPECT_EQ(a->body, "A short line\n\nThe rest of the story.");
}

// A web page's date line under its title and byline is a header line, and the publication time.
TEST(NormalizeTest, TakesADateLineUnderTheTitleAndBylineAsTheTime) {
  const auto a = normalized("Biden signs stopgap bill, averting shutdown\n\nBy JOSH BOAK and ZEKE MILLER\n\nUpdated 2:34 PM "
                            "EST, October 1, 2023\n\nWASHINGTON (AP) - President Joe Biden signed a stopgap bill late "
                            "Saturday.\n\nThe measure funds the government until Nov. 17.");
  EXPECT_EQ(a.headline, "Biden signs stopgap bill, averting shutdown");
  EXPECT_EQ(a.body.substr(0, 15), "WASHINGTON (AP)");
  ASSERT_TRUE(a.published_ms.has_value());
  EXPECT_EQ(*a.published_ms, 1696188840000);  // 2023-10-01T19:34:00Z
  EXPECT_THAT(removed_kinds(a), ElementsAre("header", "byline", "header"));
  // The Guardian's: a standfirst and a byline without "By" before the date line.
  const auto g = normalized("Turkey earthquake: death toll passes 5,000\n\nRescuers race against time in freezing "
                            "conditions\n\nBethan McKernan in Antakya\n\nTue 7 Feb 2023 14.34 GMT\n\nThe death toll "
                            "passed 5,000 on Tuesday, officials said.\n\nRescuers worked through the night.");
  ASSERT_TRUE(g.published_ms.has_value());
  EXPECT_EQ(*g.published_ms, 1675780440000);
  // In a JSON input's body the line goes, but its time is not read: the input has fields for it.
  const auto json = decode_and_normalize(raw_record(
      R"({"uri":"u","headline":"H","body":"Published: August 7, 2012\n\nThe talks began on Monday, officials said."})"));
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(json->body, "The talks began on Monday, officials said.");
  EXPECT_FALSE(json->published_ms.has_value());
}

// Stamps of scraped pages that read as no time go too: spaced-out clocks, zones such as "ET", US
// numeric dates, two in a row, and after a standfirst; a sentence that names a time stays.
TEST(NormalizeTest, RemovesTheStampsOfScrapedPages) {
  for (const std::string stamps : {"Posted: 08/02/2013 11: 10 am EDT",
                                   "Posted: Jul 07, 2012 7: 40 PM ET\\nLast Updated: Jul 07, 2012 8: 44 PM ET",
                                   "Friday, Sep 10, 2010 | Updated 9: 28 AM EDT", "12/23/12 06: 03 PM ET EST",
                                   "Police say a gunman opened fire on the crowd outside the arena\\nPUBLISHED: WEDNESDAY, "
                                   "MARCH 13, 2013, 12: 38 AM\\nUPDATED: WEDNESDAY, MARCH 13, 2013, 2: 30 AM",
                                   "Posted on November 15, 2011 6: 07: 15 PM GMT+01: 0", "Fri., May. 3, 2013 11: 45 AM PDT"}) {
    const auto a = decode_and_normalize(raw_record(R"({"uri":"u","headline":"H","body":")" + stamps +
                                                   R"(\nThe talks began on Monday at 9: 30 AM, officials said."})"));
    ASSERT_TRUE(a.ok()) << stamps;
    EXPECT_EQ(a->body.substr(a->body.rfind('\n') + 1), "The talks began on Monday at 9: 30 AM, officials said.") << stamps;
    EXPECT_EQ(a->body.find("Posted"), std::string::npos) << stamps;
    EXPECT_EQ(a->body.find("PUBLISHED"), std::string::npos) << stamps;
    EXPECT_EQ(a->body.find("Sep 10"), std::string::npos) << stamps;
    EXPECT_EQ(a->body.find("PM"), std::string::npos) << stamps;
  }
  EXPECT_EQ(stamp_line("8: 44AM BST 16 Sep 2013"), stamp_kind::stamped);
  EXPECT_EQ(stamp_line("published: 2012-04-04 11: 47: 35"), stamp_kind::stamped);
  EXPECT_EQ(stamp_line("March 11, 2020"), stamp_kind::date);
  EXPECT_EQ(stamp_line("09th June 2013"), stamp_kind::date);
  EXPECT_EQ(stamp_line("7: 00pm UK, Wednesday 05 May 2010"), stamp_kind::stamped);
  EXPECT_EQ(stamp_line("11/28/05"), stamp_kind::date);
  EXPECT_EQ(stamp_line("9/11"), stamp_kind::none);
  EXPECT_EQ(stamp_line("24/7"), stamp_kind::none);
  const auto dated = decode_and_normalize(raw_record(
      R"({"uri":"u","headline":"11/28/05","body":"Aftershocks jolt Iran's Qeshm island, death toll rises to 10\nTEHRAN (Reuters) - Aftershocks jolted the island on Monday, officials said."})"));
  ASSERT_TRUE(dated.ok());
  EXPECT_EQ(dated->headline, "Aftershocks jolt Iran's Qeshm island, death toll rises to 10");
  const auto stamped = decode_and_normalize(raw_record(
      R"({"uri":"u","headline":"Posted 11/27/2005 7: 21 AM","body":"Updated 11/27/2005 3: 41 PM\nQuake jolts Qeshm island\nTEHRAN (Reuters) - A quake jolted the island on Sunday, officials said."})"));
  ASSERT_TRUE(stamped.ok());
  EXPECT_EQ(stamped->headline, "Quake jolts Qeshm island");
  EXPECT_EQ(stamp_line("Voting will close at 6: 00 p.m. local time (1300 GMT) Sunday."), stamp_kind::none);
  EXPECT_EQ(stamp_line("Monday"), stamp_kind::none);
  EXPECT_EQ(stamp_line("The 2012 season"), stamp_kind::none);
  EXPECT_EQ(stamp_line("WASHINGTON (AP) \xE2\x80\x94"), stamp_kind::none);
}

// Rules that would take news for boilerplate: a lead printed twice is no caption (its second copy
// goes as a duplicate), "X reported from" is a contributor line only as the whole paragraph, and
// "By" before a time starts no byline.
TEST(NormalizeTest, KeepsNewsThatStartsLikeBoilerplate) {
  const auto twice = normalized("WASHINGTON (AP) \xE2\x80\x94 The Senate passed the spending bill on Monday.\n\nWASHINGTON (AP) "
                                "\xE2\x80\x94 The Senate passed the spending bill on Monday.\n\nThe House votes next.");
  EXPECT_EQ(twice.body, "WASHINGTON (AP) \xE2\x80\x94 The Senate passed the spending bill on Monday.\n\nThe House votes next.");
  EXPECT_THAT(removed_kinds(twice), ElementsAre("duplicate"));
  const auto reported = normalized("CNN reported from the scene. Police said three people were killed in the blast.\n\nMore follows.");
  EXPECT_TRUE(reported.body.starts_with("CNN reported from the scene.")) << reported.body;
  const auto credit = normalized("Police said three people were killed.\n\nPannett reported from Sydney. Dixon reported from Moscow.");
  EXPECT_THAT(removed_kinds(credit), ElementsAre("contributor"));
  const auto by = normalized("Quake toll rises\n\nBy Saturday morning the death toll had risen to 40\n\nRescuers kept digging.");
  EXPECT_TRUE(by.byline.empty()) << by.byline;
  EXPECT_NE(by.body.find("By Saturday morning"), std::string::npos) << by.body;
  const auto named = normalized("Quake toll rises\n\nBy Bethan McKernan in Antakya\n\nRescuers kept digging.");
  EXPECT_EQ(named.byline, "Bethan McKernan in Antakya");
  for (const std::string line : {"By The Associated Press", "By Jane Doe and John Roe, staff writers",
                                 "By Jose de la Cruz and Maria Sanchez", "By Bethan McKernan in Antakya and Jason Burke in Jerusalem"}) {
    const auto b = normalized("Quake toll rises\n\n" + line + "\n\nRescuers kept digging.");
    EXPECT_EQ(b.byline, line.substr(3)) << line;
  }
  // After a sentence, a date with no clock and no verb of publishing is the text's.
  const auto last = normalized("Quake toll rises\n\nThe city shut its schools.\n\nLast Friday\n\nTeachers said so.");
  EXPECT_NE(last.body.find("Last Friday"), std::string::npos) << last.body;
}

// A caption goes whole, its description with its credit: the description is no news.
TEST(NormalizeTest, RemovesACaptionWithItsCredit) {
  for (const std::string caption : {"A man walks past a collapsed building in Antakya, Turkey, Tuesday, Feb. 7, 2023. (AP Photo/Khalil Hamra)",
                                    "FILE - Rescuers search the rubble in Antakya, Turkey, Feb. 7, 2023. (AP Photo/Khalil Hamra, File)",
                                    "Rescuers search the rubble in Antakya, February 7, 2023. (Photo by OZAN KOSE / AFP)",
                                    "Rescuers search the rubble in Antakya on February 7, 2023. REUTERS/Umit Bektas"}) {
    const auto a = normalized("Rescuers dug through the rubble on Tuesday.\n\n" + caption + "\n\nThe quake was the strongest since 1939.");
    EXPECT_EQ(a.body, "Rescuers dug through the rubble on Tuesday.\n\nThe quake was the strongest since 1939.") << caption;
    ASSERT_EQ(a.removed.size(), 1u) << caption;
    EXPECT_EQ(a.removed[0].kind, removal_kind::caption);
    EXPECT_EQ(a.removed[0].text, caption);
  }
  // News with a photo credit run on keeps its news: only the credit goes.
  const std::string news = "BEIJING, Feb. 7 (Xinhua) -- China will send a rescue team to Turkey, the ministry said on "
                           "Tuesday. The team arrived in Adana on Wednesday morning.";
  const auto x = normalized(news + " (Photo by Li Ming/Xinhua)\n\nChina also pledged aid, officials said.");
  EXPECT_EQ(x.body, news + "\n\nChina also pledged aid, officials said.");
  ASSERT_TRUE(x.dateline);
  ASSERT_EQ(x.removed.size(), 1u);
  EXPECT_EQ(x.removed[0].text, "(Photo by Li Ming/Xinhua)");
}

TEST(NormalizeTest, RemovesBothCopiesOfARepeatedCaption) {
  const std::string caption = "French President Emmanuel Macron (R) meets with Russian President Vladimir Putin (L).";
  const auto a = normalized("First paragraph of the story.\n\n" + caption + "\n" + caption + "\n\nLast paragraph.");
  EXPECT_EQ(a.body, "First paragraph of the story.\n\nLast paragraph.");
  EXPECT_THAT(removed_kinds(a), ElementsAre("caption", "caption"));
}

TEST(NormalizeTest, RemovesLaterCopiesOfARepeatedParagraphAsDuplicates) {
  const auto a = normalized("Talks began on Monday.\nThe Kremlin said it expected nothing.\nThe Kremlin said it expected nothing.");
  EXPECT_EQ(a.body, "Talks began on Monday.\n\nThe Kremlin said it expected nothing.");
  EXPECT_THAT(removed_kinds(a), ElementsAre("duplicate"));
}

TEST(NormalizeTest, KeepsTheDatelineInTheBodyAndRecordsPlaceAndAgency) {
  const auto a = normalized("MOSCOW (AP) \xE2\x80\x94 International efforts intensified on Monday.");
  ASSERT_TRUE(a.dateline);
  EXPECT_EQ(a.dateline->place, "Moscow");
  EXPECT_EQ(a.dateline->agency, "AP");
  EXPECT_EQ(text_of(a, a.dateline->text), "MOSCOW (AP) \xE2\x80\x94");
  EXPECT_EQ(a.located, "Moscow");
  EXPECT_EQ(a.body.substr(0, 6), "MOSCOW");
}

// "EDITOR'S NOTE —", "BREAKING —", "FILE - In this photo": a label, no dateline; the next paragraph's wins.
TEST(NormalizeTest, TakesTheDatelineAfterAParagraphThatOpensWithALabel) {
  for (const char* label : {"EDITOR\xE2\x80\x99S NOTE \xE2\x80\x94 This story contains graphic descriptions of violence.",
                            "BREAKING \xE2\x80\x94 Police say the suspect has been arrested.",
                            "FILE - In this Feb. 6, 2023, file photo, rescuers search for people in Antakya, Turkey."}) {
    const auto a = normalized(std::string(label) +
                              "\n\nCHICAGO (AP) \xE2\x80\x94 Police arrested a man on Monday after a shooting, officials said.");
    ASSERT_TRUE(a.dateline) << label;
    EXPECT_EQ(a.dateline->place, "Chicago") << label;
    EXPECT_EQ(text_of(a, a.dateline->text), "CHICAGO (AP) \xE2\x80\x94") << label;
    EXPECT_EQ(a.located, "Chicago") << label;
  }
}

TEST(NormalizeTest, RecordsWhereTheDatelinesPlaceIsWrittenPastAnUpdateStamp) {
  const auto a = normalized("[UPDATED 10:32 GMT] MOSCOW (Reuters) - Russian President Vladimir Putin said on Monday.");
  ASSERT_TRUE(a.dateline);
  EXPECT_EQ(a.dateline->place, "Moscow");
  EXPECT_EQ(text_of(a, a.dateline->text), "[UPDATED 10:32 GMT] MOSCOW (Reuters) -");
  EXPECT_EQ(text_of(a, a.dateline->place_text), "MOSCOW");
  EXPECT_EQ(a.dateline->region_text, text_span{});
  EXPECT_EQ(a.located, "Moscow");
}

TEST(NormalizeTest, FindsTheDatelineOfAReorderedCopyInALaterParagraph) {
  const auto a = normalized(
      "Moscow has accused the West of ignoring its concerns.\nMacron is expected to push a stalled peace plan.\n"
      "PARIS - French President Emmanuel Macron was headed to Moscow on Monday.");
  ASSERT_TRUE(a.dateline);
  EXPECT_EQ(a.dateline->place, "Paris");
  EXPECT_EQ(text_of(a, a.dateline->text), "PARIS -");
}

TEST(NormalizeTest, TakesHeaderLinesForHeadlineUrlAndPublishedTime) {
  const auto a = normalized(
      "Macron heads to Moscow in bid to ease Ukraine tensions\n20220207\nhttps://ewn.co.za/2022/02/07/macron\n"
      "Moscow has accused the West.\n",
      k_record_time);
  EXPECT_EQ(a.headline, "Macron heads to Moscow in bid to ease Ukraine tensions");
  EXPECT_EQ(a.url, "https://ewn.co.za/2022/02/07/macron");
  EXPECT_EQ(a.published_ms, 1644192000000);
  EXPECT_EQ(a.published_from, published_source::header);
  EXPECT_THAT(removed_kinds(a), ElementsAre("header", "header", "header"));
  EXPECT_EQ(a.body, "Moscow has accused the West.");
}

TEST(NormalizeTest, TakesLabelledHeaderLinesForWhatTheyName) {
  const auto a = normalized(
      "Title: Quake hits central Chile\nURL: https://example.com/quake\nSource: Reuters\nAuthor: By Jane Doe\n"
      "Language: en\nDate: 2022-02-07 10:00 UTC\n\nSANTIAGO (Reuters) - A strong earthquake hit central Chile on Monday, "
      "officials said.\n",
      k_record_time, {{"source", "Example Wire"}});
  EXPECT_EQ(a.headline, "Quake hits central Chile");
  EXPECT_EQ(a.url, "https://example.com/quake");
  EXPECT_EQ(a.publisher, "Reuters");  // the text's own label before the record's header
  EXPECT_EQ(a.byline, "Jane Doe");
  EXPECT_EQ(a.language_from, language_source::declared);
  EXPECT_EQ(a.published_ms, 1644228000000);
  EXPECT_EQ(a.published_from, published_source::header);
  EXPECT_THAT(removed_kinds(a), ElementsAre("header", "header", "header", "header", "header", "header"));
  ASSERT_TRUE(a.dateline);
  EXPECT_EQ(a.dateline->place, "Santiago");
  EXPECT_EQ(a.body.substr(0, 8), "SANTIAGO");
}

TEST(NormalizeTest, TakesALoneFlashAsAHeadlineWithoutABody) {
  const auto a = normalized("FLASH: Putin says Russia has no plans to invade Ukraine\n");
  EXPECT_EQ(a.headline, "Putin says Russia has no plans to invade Ukraine");
  EXPECT_EQ(a.body, "");
  EXPECT_THAT(removed_kinds(a), ElementsAre("header"));
  // Without a flag, or written as a sentence, one line is the body.
  EXPECT_EQ(normalized("Putin says Russia has no plans to invade Ukraine\n").body, "Putin says Russia has no plans to invade Ukraine");
  EXPECT_EQ(normalized("URGENT: Putin says Russia has no plans to invade Ukraine.").headline, "");
  // A service flag of another kind makes no flash: that line is the body.
  EXPECT_EQ(normalized("UPDATE 2-Oil prices jump as Russia recognises breakaway regions").body,
            "UPDATE 2-Oil prices jump as Russia recognises breakaway regions");
  // A title and a byline with nothing after them are no article.
  const auto none = decode_and_normalize(raw_record("Quake hits central Chile\n\nBy Jane Doe"));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().reason, "no_body_after_normalize");
}

TEST(NormalizeTest, TakesTheDatePrefixOfTheFirstLine) {
  const auto a = normalized(" date 2022-02-08 Emerging from a five-hour meeting, Putin spoke.\nMore text.", k_record_time);
  EXPECT_EQ(a.published_ms, 1644278400000);
  EXPECT_EQ(a.published_from, published_source::header);
  EXPECT_EQ(a.body.substr(0, 8), "Emerging");
}

TEST(NormalizeTest, PrefersTheFeedTimeToEverythingElse) {
  auto a = decode_and_normalize(
      raw_record(R"({"uri":"u","body":"MOSCOW, Feb 5 (Reuters) - Talks.","versioncreated":"Mon, 07 Feb 2022 10:00:00 +0000"})",
                 k_record_time));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->published_ms, 1644228000000);
  EXPECT_EQ(a->published_from, published_source::feed);
}

TEST(NormalizeTest, FallsBackToTheDatelineDateThenTheRecordTimestamp) {
  const auto dated = normalized("MOSCOW, Feb 5 (Reuters) - Talks began.", k_record_time);
  EXPECT_EQ(dated.published_ms, 1644019200000);  // 2022-02-05, year of the record
  EXPECT_EQ(dated.published_from, published_source::dateline);
  // A year in the dateline is the year, whatever the record's time (a backfill of old copy); and
  // a date, without a record time.
  const auto old_copy = normalized("ANKARA, Feb 6, 2020 (AFP) - Rescuers searched.", k_record_time);
  EXPECT_EQ(old_copy.published_ms, 1580947200000);  // 2020-02-06
  EXPECT_EQ(old_copy.published_from, published_source::dateline);
  EXPECT_EQ(normalized("ANKARA, Feb 6, 2020 (AFP) - Rescuers searched.").published_ms, 1580947200000);
  const auto undated = normalized("MOSCOW (AP) \xE2\x80\x94 Talks began.", k_record_time);
  EXPECT_EQ(undated.published_ms, k_record_time);
  EXPECT_EQ(undated.published_from, published_source::record_timestamp);
}

TEST(NormalizeTest, TakesThePublishedTimeAnHtmlPageStatesWhenTheFeedGivesNone) {
  const std::string page =
      R"(<html><head><meta property=\"article:published_time\" content=\"2022-02-07T10:00:00Z\"></head><body><p>MOSCOW, Feb 5 (Reuters) - Talks began.</p></body></html>)";
  auto a = decode_and_normalize(raw_record(R"({"uri":"u","body":")" + page + R"("})", k_record_time));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->published_ms, 1644228000000);
  EXPECT_EQ(a->published_from, published_source::html_meta);
  // The feed's own time first.
  a = decode_and_normalize(
      raw_record(R"({"uri":"u","versioncreated":"2022-02-06T09:00:00Z","body":")" + page + R"("})", k_record_time));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->published_ms, 1644138000000);
  EXPECT_EQ(a->published_from, published_source::feed);
  // A <time datetime> when no meta says it.
  a = decode_and_normalize(raw_record(
      R"({"uri":"u","body":"<p><time datetime='2022-02-07T10:00:00Z'>Feb 7</time></p><p>Talks began.</p>"})"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->published_ms, 1644228000000);
  EXPECT_EQ(a->published_from, published_source::html_meta);
  // What is no time is passed over: the dateline's date then.
  a = decode_and_normalize(raw_record(
      R"({"uri":"u","body":"<meta name=\"date\" content=\"yesterday\"><p>MOSCOW, Feb 5 (Reuters) - Talks began.</p>"})",
      k_record_time));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->published_ms, 1644019200000);
  EXPECT_EQ(a->published_from, published_source::dateline);
}

// Of the times a page states, the first that parses; a <time> only as the page's date line.
TEST(NormalizeTest, TakesTheFirstTimeAnHtmlPageStatesThatParses) {
  const auto published = [](const std::string& body) {
    auto a = decode_and_normalize(raw_record(R"({"uri":"u","body":")" + body + R"("})", k_record_time));
    EXPECT_TRUE(a.ok()) << (a.ok() ? "" : a.error().message);
    return a.ok() ? std::make_pair(a->published_ms, a->published_from) : std::make_pair(std::optional<std::int64_t>(), published_source::none);
  };
  const auto page_time = std::make_pair(std::optional<std::int64_t>(1644228000000), published_source::html_meta);
  EXPECT_EQ(published(R"(<meta name=\"date\" content=\"Monday, February 7\"><meta property=\"article:published_time\" content=\"2022-02-07T10:00:00Z\"><p>Talks began.</p>)"),
            page_time);
  EXPECT_EQ(published(R"(<h1>Talks</h1><p><time datetime=\"10:00\">10:00</time></p><p><time datetime=\"2022-02-07T10:00:00Z\">Feb 7</time></p><p>Talks began.</p>)"),
            page_time);
  // A <time> in running text, a list or a later paragraph is no time of the page's.
  const auto dateline = std::make_pair(std::optional<std::int64_t>(1644019200000), published_source::dateline);
  EXPECT_EQ(published(R"(<p>MOSCOW, Feb 5 (Reuters) - Talks began.</p><p>Related story <time datetime=\"2019-05-01\">2019</time></p>)"),
            dateline);
  EXPECT_EQ(published(R"(<p>MOSCOW, Feb 5 (Reuters) - Talks began.</p><ul><li><time datetime=\"2020-03-01\">March 1</time></li></ul>)"),
            dateline);
  EXPECT_EQ(published(R"(<p>Talks began.</p><p><time datetime=\"2020-03-01\">March 1</time></p>)"),
            std::make_pair(std::optional<std::int64_t>(k_record_time), published_source::record_timestamp));
}

TEST(NormalizeTest, TakesLastYearForADatelineDateAfterTheRecordTime) {
  const auto a = normalized("MOSCOW, Dec 30 (Reuters) - Talks began.", k_record_time);
  EXPECT_EQ(a.published_ms, 1640822400000);  // 2021-12-30
}

TEST(NormalizeTest, RecordsNoPublishedTimeWhenNothingSaysIt) {
  const auto a = normalized("Talks began.");
  EXPECT_FALSE(a.published_ms);
  EXPECT_EQ(a.published_from, published_source::none);
}

// A headline that is only a date line (a scrape's stamp in the headline field) is none: the title
// at the top of the body is taken instead; a headline that mentions a date stays.
TEST(NormalizeTest, AHeadlineThatIsOnlyADateIsNone) {
  auto a = decode_and_normalize(raw_record(
      R"({"uri":"u","headline":"Thursday, December 11, 2008","body":"Prediction: Red Sox Will Nab Teixeira\n\nESPN is )"
      R"(reporting that the Nationals have offered Mark Teixeira a contract.\n\nMore talks are due."})"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->headline, "Prediction: Red Sox Will Nab Teixeira");
  EXPECT_THAT(removed_kinds(*a), ElementsAre("header", "header"));
  EXPECT_EQ(a->removed[0].text, "Thursday, December 11, 2008");
  EXPECT_EQ(a->body.substr(0, 4), "ESPN");
  a = decode_and_normalize(raw_record(R"({"uri":"u","headline":"Updated 2:34 PM EST, October 1, 2023","body":"Talks began."})"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->headline, "");
  a = decode_and_normalize(raw_record(R"({"uri":"u","headline":"Talks end on February 7, 2022","body":"Talks began."})"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->headline, "Talks end on February 7, 2022");
}

// With a stamp in the headline field the body's first line is the title also when it opens with
// a number or ends in a full stop (a single sentence, more following it), and alone when it is
// no sentence.
TEST(NormalizeTest, AStampedHeadlineGivesWayToTheBodysFirstLine) {
  const auto headline_and_body = [](const std::string& body) {
    auto a = decode_and_normalize(raw_record(R"({"uri":"u","headline":"Saturday, August 24, 2013","body":")" + body + R"("})"));
    EXPECT_TRUE(a.ok());
    return a.ok() ? a->headline + "|" + a->body : std::string();
  };
  EXPECT_EQ(headline_and_body(R"(5. 9 Earthquake Jolts Iran\nA 5. 9 magnitude earthquake has leveled seven villages.)"),
            "5. 9 Earthquake Jolts Iran|A 5. 9 magnitude earthquake has leveled seven villages.");
  EXPECT_EQ(headline_and_body(R"(Palin appointee under federal indictment.\nMethinks somebody's milk just went sour.)"),
            "Palin appointee under federal indictment.|Methinks somebody's milk just went sour.");
  EXPECT_EQ(headline_and_body(R"(Esther Williams, swimming star, dies at 91)"), "Esther Williams, swimming star, dies at 91|");
  // Sentences: no title.
  EXPECT_EQ(headline_and_body(R"(Police said. Two men were held.\nThey were freed on Monday.)"),
            "|Police said. Two men were held.\n\nThey were freed on Monday.");
  EXPECT_EQ(headline_and_body(R"(Talks began.)"), "|Talks began.");
  EXPECT_EQ(headline_and_body(R"(According to the Herald, the Red Sox made an offer.\nMore follows.)"),
            "|According to the Herald, the Red Sox made an offer.\n\nMore follows.");
  // A report's sentence (a verb in the past, a day) stays the body's.
  EXPECT_EQ(headline_and_body(R"(The Senate passed the bill on Monday.\nThe vote was 60 to 40.)"),
            "|The Senate passed the bill on Monday.\n\nThe vote was 60 to 40.");
  EXPECT_EQ(headline_and_body(R"(Talks began in Geneva on Monday)"), "|Talks began in Geneva on Monday");
}

// A plain body's headline with inline markup: the markup goes; a "<" of text stays.
TEST(NormalizeTest, RemovesInlineMarkupFromTheHeadlineOfAPlainBody) {
  const auto headline = [](const std::string& h) {
    auto a = decode_and_normalize(raw_record(R"({"uri":"u","headline":")" + h + R"(","body":"Talks began."})"));
    EXPECT_TRUE(a.ok());
    return a.ok() ? a->headline : std::string();
  };
  EXPECT_EQ(headline("<b>Quake</b> hits <em>Chile</em>"), "Quake hits Chile");
  EXPECT_EQ(headline("Quake hits <span class=\\\"loc\\\">Chile</span> &amp; Peru"), "Quake hits Chile & Peru");
  EXPECT_EQ(headline("Inflation <3% for the first time"), "Inflation <3% for the first time");
  EXPECT_EQ(headline("Vote: a <b and c> d"), "Vote: a <b and c> d");
}

TEST(NormalizeTest, TurnsHtmlBodiesIntoParagraphsAndRemovesFigureCaptions) {
  auto a = decode_and_normalize(raw_record(
      R"({"uri":"u","headline":"H &amp; more","body_html":"<p>First &amp; foremost.</p><figure><figcaption>A caption</figcaption></figure><script>x()</script><p>Second.</p>"})"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->body, "First & foremost.\n\nSecond.");
  EXPECT_FALSE(a->body_is_html);
  EXPECT_EQ(a->headline, "H & more");
  EXPECT_THAT(removed_kinds(*a), ElementsAre("caption"));
}

// Wire copy whose lines are wrapped with <br> and paragraphs marked with <br><br>: each paragraph's
// lines joined, as in plain text (every line was a paragraph, sentences cut at its end).
TEST(NormalizeTest, JoinsTheLinesOfAnHtmlBodyWrappedWithBr) {
  auto a = decode_and_normalize(raw_record(
      R"({"uri":"u","body_html":"WASHINGTON (AP) -- The Senate on Tuesday passed a sweeping bill that would<br />\nexpand )"
      R"(health care for millions of veterans exposed to toxic burn pits,<br />\nsending the measure to the president )"
      R"(after a week of delays.<br />\n<br />\nThe vote was 86-11, and the bill now goes to the White House, where<br />\n)"
      R"(the president is expected to sign it into law later this week, an official said.<br />\n"})"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->paragraphs.size(), 2u) << a->body;
  EXPECT_NE(a->body.find("bill that would expand health care"), std::string::npos) << a->body;
  EXPECT_EQ(a->sentences.size(), 2u) << a->body;
}

// A page's date line (a <time> standing alone under the headline) is no text of the article; a
// <time> inside a sentence is.
TEST(NormalizeTest, RemovesAnHtmlPagesDateLineAsAHeader) {
  auto a = decode_and_normalize(raw_record(
      R"({"uri":"u","body_html":"<article><h1>Quake hits Chile</h1><time datetime=\"2022-02-07T10:00:00Z\">Feb 7</time><p>SANTIAGO (Reuters) - A strong earthquake hit central Chile on Monday.</p><p>The vote <time>on Monday</time> was close.</p></article>"})"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->headline, "Quake hits Chile");
  EXPECT_EQ(a->body, "SANTIAGO (Reuters) - A strong earthquake hit central Chile on Monday.\n\nThe vote on Monday was close.");
  EXPECT_THAT(a->removed, ElementsAre(removed_text{removal_kind::header, "Feb 7"},
                                      removed_text{removal_kind::header, "Quake hits Chile"}));
}

// A <time> alone further down (a timeline's dates) is the article's text, not a date line.
TEST(NormalizeTest, KeepsATimeStandingAloneBelowTheArticlesFirstParagraph) {
  auto a = decode_and_normalize(raw_record(
      R"({"uri":"u","body_html":"<p>GENEVA (Reuters) - The virus spread to every continent within weeks.</p><h2>Timeline</h2><p><time datetime=\"2020-03-11\">March 11, 2020</time></p><p>WHO declares a pandemic.</p><ul><li><time>March 13, 2020</time></li></ul>"})"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->body, "GENEVA (Reuters) - The virus spread to every continent within weeks.\n\nTimeline\n\nMarch 11, 2020\n\nWHO "
                     "declares a pandemic.\n\nMarch 13, 2020");
  EXPECT_TRUE(a->removed.empty());
}

// A page laid out in a table: the text in its cell keeps its paragraphs, and the chrome in the
// next cell is a paragraph of its own (removed as such).
TEST(NormalizeTest, ReadsAnHtmlLayoutTableAsParagraphs) {
  auto a = decode_and_normalize(raw_record(
      R"({"uri":"u","body_html":"<table><tr><td>SANTIAGO (Reuters) - A strong earthquake hit central Chile on Monday, officials said.<br><br>Twelve people died in the Maule region.<br><br>Copyright 2022 Reuters. All rights reserved.</td><td>Advertisement</td></tr></table>"})"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->body, "SANTIAGO (Reuters) - A strong earthquake hit central Chile on Monday, officials said.\n\nTwelve people "
                     "died in the Maule region.");
  EXPECT_THAT(removed_kinds(*a), ElementsAre("copyright", "navigation"));
  a = decode_and_normalize(raw_record(
      R"({"uri":"u","body_html":"<table><tr><td>SANTIAGO (Reuters) - A strong earthquake hit central Chile on Monday, then a second one hit the coast an hour later, officials said.</td><td>Image: quake.jpg</td></tr></table>"})"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->paragraphs.size(), 2U);
  EXPECT_EQ(a->body.find(" | "), std::string::npos);
}

// The <title> of an HTML page is its headline when nothing else gives one, without the site's
// name; the input's headline and a title paragraph in the body come first.
TEST(NormalizeTest, TakesAnHtmlPagesTitleAsHeadlineWhenNothingElseGivesOne) {
  const auto headline_of = [](const std::string& input) {
    auto a = decode_and_normalize(raw_record(input));
    EXPECT_TRUE(a.ok()) << (a.ok() ? "" : a.error().message);
    return a.ok() ? a->headline : std::string("<rejected>");
  };
  const std::string body = "<p>SANTIAGO (Reuters) - A strong earthquake hit central Chile on Monday.</p><p>Twelve died.</p>";
  auto a = decode_and_normalize(
      raw_record(R"({"uri":"u","body":"<html><head><title>Quake hits Chile | Example News</title></head><body>)" + body + R"("})"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->headline, "Quake hits Chile");
  EXPECT_EQ(a->body, "SANTIAGO (Reuters) - A strong earthquake hit central Chile on Monday.\n\nTwelve died.");
  EXPECT_THAT(a->removed, ElementsAre(removed_text{removal_kind::header, "Quake hits Chile | Example News"}));

  const auto titled = [&](const std::string& title) {
    return headline_of(R"({"uri":"u","body":"<title>)" + title + R"(</title>)" + body + R"("})");
  };
  EXPECT_EQ(titled("Quake hits central Chile \xE2\x80\x94 Example :: News"), "Quake hits central Chile \xE2\x80\x94 Example");
  EXPECT_EQ(titled("BBC :: Quake hits central Chile"), "Quake hits central Chile");
  EXPECT_EQ(titled("Quake hits Chile"), "Quake hits Chile");
  EXPECT_EQ(titled("Quake hits Chile | Flood hits Congo"), "Quake hits Chile | Flood hits Congo");  // neither part shorter
  // A part in lower case is the headline's own: no site name.
  EXPECT_EQ(titled("Chile quake - death toll rises"), "Chile quake - death toll rises");
  EXPECT_EQ(titled("Quake hits central Chile - live"), "Quake hits central Chile - live");
  // The input's headline, then a title paragraph of the body, come first.
  EXPECT_EQ(headline_of(R"({"uri":"u","headline":"H","body":"<title>Quake | Example News</title>)" + body + R"("})"), "H");
  a = decode_and_normalize(raw_record(
      R"({"uri":"u","body":"<title>Quake | Example News</title><h1>Quake hits Chile</h1>)" + body + R"("})"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->headline, "Quake hits Chile");
  EXPECT_THAT(a->removed, ElementsAre(removed_text{removal_kind::header, "Quake hits Chile"}));
}

// A " - " in a page's <title> marks a site's name only when the part names the publisher or the
// URL's host: elsewhere it is the headline's own ("Biden - Putin summit").
TEST(NormalizeTest, CutsASiteNameAfterADashFromAnHtmlPagesTitleOnlyWhenItNamesTheSite) {
  const std::string body = "<p>SANTIAGO (Reuters) - A strong earthquake hit central Chile on Monday.</p><p>Twelve died.</p>";
  const auto headline_of = [&](const std::string& title, const std::string& fields = "") {
    auto a = decode_and_normalize(raw_record(R"({"uri":"u",)" + fields + R"("body":"<title>)" + title + R"(</title>)" + body + R"("})"));
    EXPECT_TRUE(a.ok()) << (a.ok() ? "" : a.error().message);
    return a.ok() ? a->headline : std::string("<rejected>");
  };
  EXPECT_EQ(headline_of("Biden - Putin summit ends without deal"), "Biden - Putin summit ends without deal");
  EXPECT_EQ(headline_of("Ukraine - Russia: Macron meets Putin"), "Ukraine - Russia: Macron meets Putin");
  EXPECT_EQ(headline_of("Schalke 04 - Bayern M\xC3\xBCnchen 0:3"), "Schalke 04 - Bayern M\xC3\xBCnchen 0:3");
  EXPECT_EQ(headline_of("Example News - Quake hits central Chile", R"("publisher":"Example News",)"), "Quake hits central Chile");
  EXPECT_EQ(headline_of("Example News - Quake hits central Chile", R"("url":"https://www.example-news.com/chile",)"),
            "Quake hits central Chile");
  EXPECT_EQ(headline_of("Quake hits central Chile \xE2\x80\x94 BBC News", R"("url":"https://www.bbc.co.uk/news/1",)"),
            "Quake hits central Chile");
  EXPECT_EQ(headline_of("Example News - Quake hits central Chile", R"("publisher":"Reuters",)"),
            "Example News - Quake hits central Chile");
  // A part that only mentions the site is the headline's own; a short one that names it is the site.
  EXPECT_EQ(headline_of("Tucker Carlson out - Fox News host fired after lawsuit", R"("url":"https://www.foxnews.com/a",)"),
            "Tucker Carlson out - Fox News host fired after lawsuit");
  EXPECT_EQ(headline_of("Reuters - Reuters cuts jobs in newsroom shake-up", R"("publisher":"Reuters",)"),
            "Reuters cuts jobs in newsroom shake-up");
  EXPECT_EQ(headline_of("Trump says he will sue CNN - CNN Politics", R"("url":"https://edition.cnn.com/a",)"),
            "Trump says he will sue CNN");
  EXPECT_EQ(headline_of("Putin meets Macron | Ukraine crisis live"), "Putin meets Macron | Ukraine crisis live");
  // Not a part that merely holds a host's generic label ("net" of abc.net.au); a long site name too.
  EXPECT_EQ(headline_of("Biden meets Netanyahu - Gaza ceasefire talks stall", R"("url":"https://www.abc.net.au/news/x",)"),
            "Biden meets Netanyahu - Gaza ceasefire talks stall");
  EXPECT_EQ(headline_of("House of Commons - MPs vote to approve Brexit deal", R"("url":"https://www.smh.com.au/x",)"),
            "House of Commons - MPs vote to approve Brexit deal");
  EXPECT_EQ(headline_of("Quake hits central Chile - The New Indian Express", R"("url":"https://www.newindianexpress.com/x",)"),
            "Quake hits central Chile");
}

// A page's <title> of fewer than 3 words once the site's name is cut is no headline ("Home").
TEST(NormalizeTest, TakesNoHeadlineFromAnHtmlPagesTitleOfFewerThanThreeWords) {
  for (const std::string title : {"Home", "AP News", "Home | Example News"}) {
    auto a = decode_and_normalize(raw_record(
        R"({"uri":"u","body":"<title>)" + title + R"(</title><p>SANTIAGO (Reuters) - A strong earthquake hit central Chile on Monday.</p><p>Twelve died.</p>"})"));
    ASSERT_TRUE(a.ok()) << a.error().message;
    EXPECT_EQ(a->headline, "") << title;
    EXPECT_TRUE(a->removed.empty()) << title;
  }
}

// A plain body escaped for HTML by its feed gets its character references decoded, as the
// headline does; an ampersand that starts none stays.
TEST(NormalizeTest, DecodesCharacterReferencesInAPlainBody) {
  auto a = decode_and_normalize(raw_record(
      R"({"id":"h2","body":"NEW YORK (Reuters) - AT&amp;T Inc&#39;s shares fell 3% &#8212; R&D spending &amp; Q&A.\n\nThe company&rsquo;s CEO said &quot;we are fine&quot;."})"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->body, "NEW YORK (Reuters) - AT&T Inc's shares fell 3% \xE2\x80\x94 R&D spending & Q&A.\n\nThe "
                     "company\xE2\x80\x99s CEO said \"we are fine\".");
  // Only references ending in ';' and of no control character: a URL's "&lt=2" and "&#1" are text.
  a = decode_and_normalize(raw_record(R"({"id":"h3","body":"See https://e.x/q?a=1&lt=2&amp=3 and code &#1 now."})"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->body, "See https://e.x/q?a=1&lt=2&amp=3 and code &#1 now.");
}

// An HTML body escaped twice by its feed: the references left after the markup are decoded too.
TEST(NormalizeTest, DecodesAnHtmlBodyEscapedTwice) {
  auto a = decode_and_normalize(raw_record(
      R"({"uri":"h1","body_html":"<p>NEW YORK (AP) &mdash; AT&amp;T Inc. shares fell 3%&amp;nbsp;on Tuesday.&amp;nbsp;The company&amp;rsquo;s CEO spoke.</p>"})"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->body, "NEW YORK (AP) \xE2\x80\x94 AT&T Inc. shares fell 3%\xC2\xA0on Tuesday.\xC2\xA0The company\xE2\x80\x99s CEO spoke.");
  EXPECT_EQ(a->sentences.size(), 2u);
  EXPECT_EQ(a->language, "en");
}

// The character limit counts an HTML body's text, not its markup: an inline image of 300 KB in
// an article of a few lines passes; text over the limit does not, markup or none.
TEST(NormalizeTest, AnHtmlBodyIsHeldToTheCharacterLimitByItsTextNotItsMarkup) {
  const std::string image = "<p><img src='data:image/png;base64," + std::string(300000, 'A') + "'></p>";
  auto a = decode_and_normalize(raw_record(R"({"uri":"u","headline":"H","body_html":"<p>MOSCOW (AP) — Short.</p>)" + image + R"("})"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->body, "MOSCOW (AP) — Short.");

  normalize_options o;
  o.max_body_chars = 10;
  const auto strict = normalizer::create(o).value();
  const auto long_text = decode_and_normalize(raw_record(R"({"uri":"u","body_html":"<p>Eleven chars</p>"})"), strict);
  ASSERT_FALSE(long_text.ok());
  EXPECT_EQ(long_text.error().reason, "body_too_long");
  EXPECT_EQ(long_text.error().stage, "normalize");
  const auto short_text = decode_and_normalize(raw_record(R"({"uri":"u","headline":"H","body_html":"<p><b>Ten chars.</b></p>"})"), strict);
  EXPECT_TRUE(short_text.ok()) << short_text.error().message;
}

TEST(NormalizeTest, MovesAByLineIntoTheByline) {
  const auto a = normalized("By Jane Doe and John Roe\nMOSCOW (AP) \xE2\x80\x94 Talks began.\nMore.");
  EXPECT_EQ(a.byline, "Jane Doe and John Roe");
  EXPECT_THAT(removed_kinds(a), ElementsAre("byline"));
  ASSERT_TRUE(a.dateline);
  // Initials are names; a full stop elsewhere is a sentence's.
  EXPECT_EQ(normalized("By J. Scott Applewhite\nMOSCOW (AP) \xE2\x80\x94 Talks began.\nMore.").byline, "J. Scott Applewhite");
  EXPECT_EQ(normalized("BY E. EDUARDO CASTILLO\nMOSCOW (AP) \xE2\x80\x94 Talks began.\nMore.").byline, "E. EDUARDO CASTILLO");
  EXPECT_EQ(normalized("By the end of talks. Nothing\nMOSCOW (AP) \xE2\x80\x94 Talks began.\nMore.").byline, "");
  // AFP writes "by" in lower case.
  EXPECT_EQ(normalized("by Daniel AVIS\nPARIS (AFP) - Talks began.\nMore.").byline, "Daniel AVIS");
  EXPECT_EQ(normalized("by the end of the talks\nPARIS (AFP) - Talks began.\nMore.").byline, "");
  EXPECT_EQ(normalized("By J. Edgar Hoover's own account, the files were secret!\nMOSCOW (AP) \xE2\x80\x94 Talks began.\nMore.")
                .byline,
            "");  // A second line saying whom the writer writes for goes with the byline.
  for (const char* second : {"Associated Press Writer", "Reuters", "AP Science Writer", "Staff Correspondent"}) {
    const auto two = normalized("By KEVIN FREKING\n\n" + std::string(second) + "\n\nMOSCOW (AP) \xE2\x80\x94 Talks began.\n\nMore.");
    EXPECT_EQ(two.byline, "KEVIN FREKING") << second;
    EXPECT_THAT(removed_kinds(two), ElementsAre("byline", "byline")) << second;
    EXPECT_EQ(two.body.substr(0, 6), "MOSCOW") << second;
  }
  // Not a line of the story.
  EXPECT_EQ(normalized("By Jane Doe\n\nThe Writer\u2019s Guild met. It voted.\n\nMore.").body.substr(0, 10), "The Writer");
}

TEST(NormalizeTest, CanonicalisesTheDeclaredLanguage) {
  auto a = decode_and_normalize(raw_record(R"({"uri":"u","language":"EN_us","body":"The talks began on Monday."})"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->language, "en-US");
  EXPECT_EQ(a->language_from, language_source::declared);
}

// "und" and what is no language tag ("English") declare nothing: the text's language is
// detected. A text declared English that does not look it is checked by the detector: reliably
// another language over a dozen words or more, it is that language (a feed that declares "en"
// whatever it sends); fewer, the declaration stands and the detection shows beside it.
TEST(NormalizeTest, ChecksADeclarationThatSaysNothingOrLooksWrong) {
  const std::string french = "Le pr\xC3\xA9sident fran\xC3\xA7" "ais a rencontr\xC3\xA9 son homologue russe lundi \xC3\xA0 Moscou "
                             "pour des discussions sur la crise, a indiqu\xC3\xA9 l'\xC3\x89lys\xC3\xA9" "e dans un communiqu\xC3\xA9.";
  for (const char* tag : {"und", "French", "und-Latn", "mul"}) {
    auto a = decode_and_normalize(raw_record(R"({"uri":"u","language":")" + std::string(tag) + R"(","body":")" + french + R"("})"));
    ASSERT_TRUE(a.ok()) << tag;
    EXPECT_EQ(a->language, "fr") << tag;
    EXPECT_EQ(a->language_from, language_source::detected) << tag;
  }
  auto wrong = decode_and_normalize(raw_record(R"({"uri":"u","language":"en","body":")" + french + R"("})"));
  ASSERT_TRUE(wrong.ok());
  EXPECT_EQ(wrong->language, "fr");
  EXPECT_EQ(wrong->language_from, language_source::detected);
  EXPECT_EQ(wrong->language_detected.code, "fr");
  auto short_one = decode_and_normalize(raw_record(R"({"uri":"u","language":"en","body":"Le pr\u00e9sident a rencontr\u00e9 son homologue."})"));
  ASSERT_TRUE(short_one.ok());
  EXPECT_EQ(short_one->language, "en");  // as declared: too few words to overrule it
  EXPECT_EQ(short_one->language_from, language_source::declared);
}

TEST(NormalizeTest, HonoursTheContentLanguageHeader) {
  const auto a = normalized("Le président a rencontré son homologue.", 0, {{"content-language", "fr"}});
  EXPECT_EQ(a.language, "fr");
  EXPECT_EQ(a.language_from, language_source::declared);
}

TEST(NormalizeTest, DetectsTheLanguageWhenNoneIsDeclared) {
  const auto en = normalized(
      "The talks between the two leaders, which lasted more than five hours, ended after midnight, and the Kremlin "
      "said that they had been useful but that there would be no breakthrough.");
  EXPECT_EQ(en.language, "en");
  EXPECT_EQ(en.language_from, language_source::detected);
  EXPECT_EQ(en.language_detected.method, "function_words");
  const auto fr = normalized(
      "Le président français Emmanuel Macron a rencontré lundi à Moscou son homologue russe Vladimir Poutine, dans "
      "l'espoir de trouver une issue diplomatique à la crise ukrainienne.");
  EXPECT_EQ(fr.language, "fr");
  EXPECT_EQ(fr.language_detected.method, "cld2");
}

TEST(NormalizeTest, FlagsTheStopwordsOfTheArticleLanguage) {
  const auto a = normalized(
      "The talks between the two leaders, which lasted more than five hours, ended after midnight, and the Kremlin "
      "said that they had been useful but that there would be no breakthrough.");
  std::vector<std::string> stop;
  for (const auto& t : a.tokens) {
    if (t.is_stopword) stop.push_back(text_of(a, t.text));
  }
  EXPECT_EQ(stop.front(), "The");
  EXPECT_TRUE(std::find(stop.begin(), stop.end(), "Kremlin") == stop.end());
  EXPECT_TRUE(std::find(stop.begin(), stop.end(), "which") != stop.end());
}

TEST(NormalizeTest, SplitsSentencesWithinParagraphs) {
  const auto a = normalized("U.S. officials met on Feb. 7. They left.\nNo stop in this paragraph\nLast one.");
  EXPECT_THAT(sentences_of(a),
              ElementsAre("U.S. officials met on Feb. 7.", "They left.", "No stop in this paragraph", "Last one."));
}

TEST(NormalizeTest, TokenOffsetsPointIntoTheCleanBodyAndTheFoldedText) {
  const auto a = normalized("Accessibility links\n\xE2\x80\x9C" "Dialogue\xE2\x80\x9D   is NECESSARY.");
  ASSERT_EQ(a.tokens.size(), 6u);  // “ Dialogue ” is NECESSARY .
  EXPECT_EQ(text_of(a, a.tokens[1].text), "Dialogue");
  EXPECT_EQ(a.folded.substr(a.tokens[1].folded.begin, a.tokens[1].folded.size()), "dialogue");
  EXPECT_EQ(a.folded.substr(a.tokens[4].folded.begin, a.tokens[4].folded.size()), "necessary");
  EXPECT_EQ(a.body, "\xE2\x80\x9C" "Dialogue\xE2\x80\x9D is NECESSARY.");
  EXPECT_EQ(a.folded, "\"dialogue\" is necessary.");
}

TEST(NormalizeTest, CleansUnicodeInHeadlineAndBody) {
  auto a = decode_and_normalize(
      raw_record("{\"uri\":\"u\",\"headline\":\"  Caf\\u0065\\u0301\\u200b  talks \",\"body\":\"A\\u0000b\\u00a0c\"}"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->headline, "Caf\xC3\xA9 talks");
  EXPECT_EQ(a->body, "Ab\xC2\xA0" "c");
}

TEST(NormalizeTest, RejectsABodyThatIsAllBoilerplate) {
  auto a = decode_and_normalize(raw_record("Accessibility links\n\nBreaking News\n\nAll rights reserved."));
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().stage, "normalize");
  EXPECT_EQ(a.error().reason, "no_body_after_normalize");
}

TEST(NormalizeTest, KeepsTheTextAfterASelfClosingSvg) {
  auto a = decode_and_normalize(raw_record(
      R"({"uri":"u","headline":"Test","body":"<p>First paragraph here with words.</p><svg viewBox=\"0 0 1 1\"/><p>Second paragraph that must survive.</p>"})"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->body, "First paragraph here with words.\n\nSecond paragraph that must survive.");
}

TEST(NormalizeTest, RejectsABodyOfUnicodeWhiteSpaceOnly) {
  for (const char* input : {R"({"uri":"u","body":"<p>&nbsp;&nbsp;</p>"})",
                            R"({"uri":"u","headline":"\u00a0","body":"<p>&nbsp;</p><p>\u2003</p>"})"}) {
    auto a = decode_and_normalize(raw_record(input));
    ASSERT_FALSE(a.ok()) << input;
    EXPECT_EQ(a.error().stage, "normalize");
    EXPECT_EQ(a.error().reason, "no_body_after_normalize");
  }
  // Fields of white space only are no fields: decode finds neither headline nor body.
  auto a = decode_and_normalize(raw_record(R"({"uri":"u","headline":"\u2003","body":"\u00a0\u3000\u2003"})"));
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().stage, "decode");
  EXPECT_EQ(a.error().reason, "no_content");
}

TEST(NormalizeTest, DropsAHeadlineOrBodyOfUnicodeWhiteSpaceOnly) {
  auto a = decode_and_normalize(raw_record(R"({"uri":"u","headline":"Talks end","body":"<p>&nbsp;&nbsp;</p>"})"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->headline, "Talks end");
  EXPECT_EQ(a->body, "");
  EXPECT_TRUE(a->sentences.empty());
  auto b = decode_and_normalize(raw_record(R"({"uri":"u","headline":"\u00a0","body":"<p>Talks end.</p><p>&nbsp;</p><p>\u3000Both sides left.\u2003</p>"})"));
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(b->headline, "");
  EXPECT_EQ(b->body, "Talks end.\n\nBoth sides left.");
}

TEST(NormalizeTest, KeepsAHeadlineOnlyArticle) {
  auto a = decode_and_normalize(raw_record(R"({"uri":"u","headline":"FLASH: Talks end"})"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->body, "");
  EXPECT_TRUE(a->sentences.empty());
}

TEST(NormalizeTest, RejoinsHardWrappedText) {
  const auto a = normalized(
      "French President Emmanuel Macron was meeting in Moscow with\nRussian President Vladimir Putin on Monday, "
      "trying to curb\nthe threat of a Russian invasion of Ukraine.\n\nThe Kremlin said in advance it does not "
      "expect any\nimmediate resolution of its stalemate with the West, a\nspokesman told reporters on Monday.");
  ASSERT_EQ(a.paragraphs.size(), 2u);
  EXPECT_EQ(text_of(a, a.paragraphs[0].text).substr(0, 70),
            "French President Emmanuel Macron was meeting in Moscow with Russian Pr");
}

// Wire copy wrapped at 69 columns, paragraphs only indented (the indentation is gone by then): a
// paragraph's short last line ends it. Taken as unwrapped, every line was a paragraph and a
// sentence ("...sending it to President Joe" | "Biden, who said...").
TEST(NormalizeTest, RejoinsWrappedParagraphsWithoutBlankLines) {
  const auto a = normalized(
      "   WASHINGTON (AP) -- Congress passed the spending bill late Monday,\n"
      "sending it to President Joe Biden, who said he would sign it before\n"
      "the deadline.\n"
      "   The measure provides $26 billion for disaster relief and extends\n"
      "funding for federal agencies through the end of the fiscal year in\n"
      "September.\n"
      "   Republicans and Democrats both claimed victory after the vote, and\n"
      "leaders in both chambers said more talks would follow in the spring\n"
      "session.\n");
  ASSERT_EQ(a.paragraphs.size(), 3u);
  EXPECT_EQ(text_of(a, a.paragraphs[1].text),
            "The measure provides $26 billion for disaster relief and extends funding for federal agencies "
            "through the end of the fiscal year in September.");
}

// "UPDATE 2-" and "FLASH:" say how the wire filed the item: a story's headline (its first
// member's) read "FLASH: Magnitude 6.8 earthquake strikes eastern Turkey".
TEST(NormalizeTest, DropsTheWiresServiceFlagsFromTheHeadline) {
  const auto headline_of = [](const std::string& h) {
    auto a = decode_and_normalize(raw_record(R"({"uri":"u","headline":")" + h + R"(","body":"Talks began."})"));
    return a.ok() ? a->headline : "(rejected)";
  };
  EXPECT_EQ(headline_of("UPDATE 2-Oil rises as talks stall"), "Oil rises as talks stall");
  EXPECT_EQ(headline_of("REFILE-UPDATE 1-Oil rises"), "Oil rises");
  EXPECT_EQ(headline_of("EXCLUSIVE-Tesla cuts prices"), "Tesla cuts prices");
  EXPECT_EQ(headline_of("FLASH: Magnitude 6.8 earthquake strikes"), "Magnitude 6.8 earthquake strikes");
  EXPECT_EQ(headline_of("BREAKING NEWS: Talks end"), "Talks end");
  EXPECT_EQ(headline_of("UPDATE on the talks"), "UPDATE on the talks");  // no flag
  EXPECT_EQ(headline_of("FLASH:"), "FLASH:");                            // nothing would be left
}

TEST(NormalizeTest, UsesAConfiguredLexicon) {
  normalize_options o;
  o.lexicon = boilerplate_lexicon::parse("version: 1\nrules:\n  - kind: promo\n    lines: [Buy now]\n", "<test>").value();
  const auto n = normalizer::create(o).value();
  auto a = decode_and_normalize(raw_record(R"({"uri":"u","headline":"H","body":"Buy now\nAccessibility links\nThe story."})"), n);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->body, "Accessibility links\n\nThe story.");  // the shipped rules are not in this lexicon
}

TEST(NormalizeTest, RefusesToStartWithABadAbbreviation) {
  normalize_options o;
  o.abbreviations = {"Gen"};
  EXPECT_EQ(normalizer::create(o).error().reason, "bad_abbreviation");
}

TEST(NormalizeTest, GivesTheSameResultOnManyThreads) {
  const std::string text =
      "MOSCOW (AP) \xE2\x80\x94 International efforts intensified on Monday. U.S. officials met.\n\nPolitical cartoons "
      "about world leaders\n\nMacron said: \xE2\x80\x9C" "Dialogue is necessary.\xE2\x80\x9D\n\nCopyright 2022 The "
      "Associated Press. All rights reserved.";
  const article expected = normalized(text);
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int k = 0; k < 50; ++k) {
        const article a = normalized(text);
        if (a.body != expected.body || a.sentences != expected.sentences || a.tokens.size() != expected.tokens.size() ||
            a.removed != expected.removed) {
          ++mismatches;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(mismatches, 0);
}

}  // namespace
}  // namespace wirefeed
