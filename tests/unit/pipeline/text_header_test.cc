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

TEST(TextHeaderTest, ClassifiesHeaderLines) {
  EXPECT_EQ(classify_header_line("https://example.com/a"), header_line_kind::url);
  EXPECT_EQ(classify_header_line("20220207"), header_line_kind::date);
  EXPECT_EQ(classify_header_line("date 2022-02-08"), header_line_kind::date);
  EXPECT_EQ(classify_header_line("Published: Feb 7, 2022"), header_line_kind::date);
  EXPECT_EQ(classify_header_line("Macron heads to Moscow"), header_line_kind::title);
  EXPECT_EQ(header_line_time_ms("date 2022-02-08"), 1644278400000);
}

}  // namespace
}  // namespace wirefeed
