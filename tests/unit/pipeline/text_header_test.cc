#include "pipeline/text_header.h"

#include <gtest/gtest.h>

namespace wirefeed {
namespace {

TEST(TextHeaderTest, SplitsTitleDateAndUrlLinesOffTheBody) {
  const std::string text =
      "Macron heads to Moscow\n20220207\nhttps://ewn.co.za/2022/02/07/macron\nMoscow has accused the West.\n";
  const auto h = split_text_header(text);
  EXPECT_EQ(h.lines, (std::vector<std::string>{"Macron heads to Moscow", "20220207", "https://ewn.co.za/2022/02/07/macron"}));
  EXPECT_EQ(text.substr(h.body_offset), "Moscow has accused the West.\n");
}

TEST(TextHeaderTest, SplitsADatePrefixOffTheFirstBodyLine) {
  const std::string text = " date 2022-02-08 Emerging from a five-hour meeting, Putin said.\nMore.";
  const auto h = split_text_header(text);
  EXPECT_EQ(h.lines, (std::vector<std::string>{"date 2022-02-08"}));
  EXPECT_EQ(text.substr(h.body_offset), "Emerging from a five-hour meeting, Putin said.\nMore.");
}

// Web pages and e-mail as text: a date label without its colon, an update stamp of a time alone,
// an e-mail's From and Subject (its subject is the title; "From:" was).
TEST(TextHeaderTest, SplitsStampsAndEmailHeadersOffTheBody) {
  for (const std::string stamp : {"Updated 2:34 PM EST, October 1, 2023", "Posted on February 7, 2022", "UPDATED 10:32 GMT",
                                   "Published: 06.02.2023, 14:35 Uhr"}) {
    const std::string text = stamp + "\n\nMOSCOW (Reuters) - Talks began.";
    const auto h = split_text_header(text);
    EXPECT_EQ(h.lines, std::vector<std::string>{stamp});
    EXPECT_EQ(text.substr(h.body_offset), "\nMOSCOW (Reuters) - Talks began.");
  }
  EXPECT_EQ(classify_header_line("Updated 2:34 PM EST, October 1, 2023").kind, header_line_kind::date);
  EXPECT_EQ(classify_header_line("Updated 2:34 PM EST, October 1, 2023").value, "2:34 PM EST, October 1, 2023");
  EXPECT_EQ(classify_header_line("UPDATED 10:32 GMT").kind, header_line_kind::other);
  const std::string mail = "From: newsdesk@example.com\nSubject: Mexico City mayor unveils water plan\n\nMEXICO CITY (AP) - Text.";
  const auto m = split_text_header(mail);
  ASSERT_EQ(m.lines.size(), 2u);
  EXPECT_EQ(classify_header_line(m.lines[0]).kind, header_line_kind::other);
  EXPECT_EQ(classify_header_line(m.lines[1]).kind, header_line_kind::title);
  // Sentences that open with the words stay body.
  for (const std::string line : {"Updated figures show 2,300 dead.", "Published on March 3, 2022, the report said."}) {
    EXPECT_TRUE(split_text_header(line + "\nMore.").lines.empty()) << line;
    EXPECT_FALSE(dated_line(line)) << line;
  }
}

TEST(TextHeaderTest, LeavesTextWithoutHeaderLinesAlone) {
  const std::string text = "MOSCOW (AP) — Talks began.\n\nMore text.";
  const auto h = split_text_header(text);
  EXPECT_TRUE(h.lines.empty());
  EXPECT_EQ(h.body_offset, 0u);
}

TEST(TextHeaderTest, TakesAFirstLineAsTitleOnlyWhenADateOrUrlFollows) {
  const auto h = split_text_header("Short first line\nA body line that is not a date.\n");
  EXPECT_TRUE(h.lines.empty());
}

TEST(TextHeaderTest, SplitsLabelledHeaderLinesOffTheBody) {
  const std::string text =
      "Title: Quake hits central Chile\nURL: https://example.com/quake\nSource: Reuters\nDate: 2022-02-07\n"
      "Keywords: earthquake, Chile\n\nSANTIAGO (Reuters) - A strong earthquake hit central Chile.\n";
  const auto h = split_text_header(text);
  EXPECT_EQ(h.lines, (std::vector<std::string>{"Title: Quake hits central Chile", "URL: https://example.com/quake",
                                               "Source: Reuters", "Date: 2022-02-07", "Keywords: earthquake, Chile"}));
  EXPECT_EQ(text.substr(h.body_offset), "\nSANTIAGO (Reuters) - A strong earthquake hit central Chile.\n");
}

TEST(TextHeaderTest, TakesAFirstLineAsTitleWhenALabelledLineFollows) {
  const auto h = split_text_header("Quake hits central Chile\nAuthor: Jane Doe\nA strong earthquake hit Chile.\n");
  EXPECT_EQ(h.lines, (std::vector<std::string>{"Quake hits central Chile", "Author: Jane Doe"}));
  // Not a first line longer than any title: it is the body's.
  const std::string long_line(400, 'x');
  EXPECT_EQ(split_text_header(long_line + "\nSource: Reuters\nMore.\n").body_offset, 0u);
}

TEST(TextHeaderTest, KeepsABodyLineThatOnlyLooksLikeALabel) {
  for (const std::string text : {
           "Moscow: French President Emmanuel Macron was in Moscow on Monday.\nMore.",
           "Source: a senior official said the talks had failed after ten hours of argument over the text of the deal.\n",
           "Updated: the talks will go on tomorrow.\nMore.",
           "Link: see the full report on our website.\nMore.",
           "Language: the two sides could not agree on the wording of the final statement.\nMore.",
           "Breaking: quake hits Chile\nMore.",
           "Source: a senior official said the talks had failed.\nMore.",
           "By: the end of the week, Russia had moved more troops\nMore.",
           "Subject: the talks were about Ukraine, said Peskov.\nMore.",
           "Source: Reuters said the talks had failed.\nMore.",
           "Title: the talks were about Ukraine, said Peskov.\nSource: Reuters\nMore.",
       }) {
    const auto h = split_text_header(text);
    EXPECT_TRUE(h.lines.empty()) << text;
    EXPECT_EQ(h.body_offset, 0u) << text;
  }
}

TEST(TextHeaderTest, ClassifiesHeaderLines) {
  EXPECT_EQ(classify_header_line("https://example.com/a").kind, header_line_kind::url);
  EXPECT_EQ(classify_header_line("20220207").kind, header_line_kind::date);
  EXPECT_EQ(classify_header_line("date 2022-02-08").kind, header_line_kind::date);
  EXPECT_EQ(classify_header_line("date 2022-02-08").value, "2022-02-08");
  EXPECT_EQ(classify_header_line("Published: Feb 7, 2022").kind, header_line_kind::date);
  EXPECT_EQ(classify_header_line("Macron heads to Moscow").kind, header_line_kind::title);
  EXPECT_EQ(classify_header_line("Macron heads to Moscow").value, "Macron heads to Moscow");
  const std::vector<std::pair<std::string, header_field>> labelled{
      {"HEADLINE: Quake hits Chile", {header_line_kind::title, "Quake hits Chile"}},
      {"Link:  https://example.com/a ", {header_line_kind::url, "https://example.com/a"}},
      {"Posted: 2022-02-07T10:00:00Z", {header_line_kind::date, "2022-02-07T10:00:00Z"}},
      {"Agency: AFP", {header_line_kind::source, "AFP"}},
      {"By: Jane Doe", {header_line_kind::byline, "Jane Doe"}},
      {"Lang: fr-FR", {header_line_kind::language, "fr-FR"}},
      {"Slug: CHILE-QUAKE/", {header_line_kind::other, "CHILE-QUAKE/"}},
      {"Language: English", {header_line_kind::language, "English"}},  // normalize drops what is no tag
      {"Language: Brazilian Portuguese", {header_line_kind::other, "Brazilian Portuguese"}},
      {"Source: dpa", {header_line_kind::source, "dpa"}},
      {"Source: Dow Jones & Co.", {header_line_kind::source, "Dow Jones & Co."}},
      {"Author: Robert F. Kennedy Jr.", {header_line_kind::byline, "Robert F. Kennedy Jr."}},
      {"Title: eBay to cut 1,000 jobs", {header_line_kind::title, "eBay to cut 1,000 jobs"}},
      {"Title: de Blasio to run for Congress", {header_line_kind::title, "de Blasio to run for Congress"}},
      {"Author: van der Berg, Jan", {header_line_kind::byline, "van der Berg, Jan"}},
      {"Source: staff and wire reports", {header_line_kind::source, "staff and wire reports"}},
      {"Publisher: The New York Times Co.", {header_line_kind::source, "The New York Times Co."}},
      {"Byline: Jane Doe and Robert F. Kennedy Jr.", {header_line_kind::byline, "Jane Doe and Robert F. Kennedy Jr."}},
      {"language: zh_Hant_TW", {header_line_kind::language, "zh_Hant_TW"}},
  };
  for (const auto& [line, want] : labelled) {
    const header_field f = classify_header_line(line);
    EXPECT_EQ(f.kind, want.kind) << line;
    EXPECT_EQ(f.value, want.value) << line;
  }
  EXPECT_EQ(classify_header_line("Title: 2022-02-08").kind, header_line_kind::title);
}

}  // namespace
}  // namespace wirefeed
