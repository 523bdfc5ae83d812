#include "pipeline/article_edit.h"

#include <gtest/gtest.h>

#include "normalize_test_support.h"
#include "pipeline/cluster.h"

namespace wirefeed {
namespace {

using testing::decode_and_normalize;
using testing::raw_record;
using testing::text_of;

// Every span still points at text that makes sense: tokens at their folded forms, sentences
// inside paragraphs.
void expect_consistent(const article& a) {
  for (const auto& t : a.tokens) {
    ASSERT_LE(t.text.end, a.body.size());
    ASSERT_LE(t.folded.end, a.folded.size());
    const std::string display = text_of(a, t.text);
    const std::string folded = a.folded.substr(t.folded.begin, t.folded.size());
    if (display.size() == 1 && display[0] >= 'A' && display[0] <= 'z') {
      EXPECT_EQ(folded[0], display[0] | 0x20);
    }
  }
  for (const auto& s : a.sentences) {
    bool inside = false;
    for (const auto& p : a.paragraphs) inside |= s.begin >= p.text.begin && s.end <= p.text.end;
    EXPECT_TRUE(inside) << text_of(a, s);
  }
}

class ArticleEditTest : public ::testing::Test {
 protected:
  article a_ = decode_and_normalize(raw_record("MOSCOW (AP) \xE2\x80\x94 First paragraph. It has two sentences.\n"
                                               "Second paragraph here.\n"
                                               "Third and last paragraph.\n"))
                   .value();
};

TEST_F(ArticleEditTest, ErasingTheFirstParagraphShiftsEverythingAndDropsTheDateline) {
  ASSERT_TRUE(a_.dateline);
  erase_paragraph(a_, 0);
  EXPECT_EQ(a_.body, "Second paragraph here.\n\nThird and last paragraph.");
  EXPECT_FALSE(a_.dateline);
  ASSERT_EQ(a_.sentences.size(), 2u);
  EXPECT_EQ(text_of(a_, a_.sentences[0]), "Second paragraph here.");
  EXPECT_EQ(text_of(a_, a_.tokens.front().text), "Second");
  EXPECT_EQ(a_.folded.substr(a_.tokens.front().folded.begin, a_.tokens.front().folded.size()), "second");
  expect_consistent(a_);
}

TEST_F(ArticleEditTest, ErasingAMiddleParagraphKeepsTheOthersIntact) {
  erase_paragraph(a_, 1);
  EXPECT_EQ(a_.body, "MOSCOW (AP) \xE2\x80\x94 First paragraph. It has two sentences.\n\nThird and last paragraph.");
  ASSERT_EQ(a_.paragraphs.size(), 2u);
  EXPECT_EQ(text_of(a_, a_.paragraphs[1].text), "Third and last paragraph.");
  EXPECT_EQ(text_of(a_, a_.sentences.back()), "Third and last paragraph.");
  EXPECT_EQ(text_of(a_, a_.tokens.back().text), ".");
  ASSERT_TRUE(a_.dateline);
  EXPECT_EQ(text_of(a_, a_.dateline->text), "MOSCOW (AP) \xE2\x80\x94");
  expect_consistent(a_);
}

TEST_F(ArticleEditTest, ErasingAParagraphBeforeTheDatelineShiftsItsPlaceAndRegion) {
  article a = decode_and_normalize(raw_record("Officials said the talks would go on for a second day.\n"
                                              "KYIV, Ukraine (AP) \xE2\x80\x94 Talks began on Monday.\n"
                                              "Third and last paragraph.\n"))
                  .value();
  ASSERT_TRUE(a.dateline);
  erase_paragraph(a, 0);
  ASSERT_TRUE(a.dateline);
  EXPECT_EQ(text_of(a, a.dateline->text), "KYIV, Ukraine (AP) \xE2\x80\x94");
  EXPECT_EQ(text_of(a, a.dateline->place_text), "KYIV");
  EXPECT_EQ(text_of(a, a.dateline->region_text), "Ukraine");
  expect_consistent(a);
}

TEST_F(ArticleEditTest, ErasingTheLastParagraphTakesTheSeparatorBeforeIt) {
  erase_paragraph(a_, 2);
  EXPECT_EQ(a_.body, "MOSCOW (AP) \xE2\x80\x94 First paragraph. It has two sentences.\n\nSecond paragraph here.");
  EXPECT_EQ(a_.folded.substr(a_.folded.size() - 22), "second paragraph here.");
  expect_consistent(a_);
}

TEST_F(ArticleEditTest, ErasingEveryParagraphLeavesNothing) {
  while (!a_.paragraphs.empty()) erase_paragraph(a_, 0);
  EXPECT_EQ(a_.body, "");
  EXPECT_EQ(a_.folded, "");
  EXPECT_TRUE(a_.tokens.empty());
  EXPECT_TRUE(a_.sentences.empty());
}

// The cluster stage's prepared input is derived from the entities and quotes cut here: it must not
// outlive them.
TEST_F(ArticleEditTest, DropsTheClusterStagesPreparedInput) {
  a_.cluster_input = cluster_stage::prepare(a_);
  erase_paragraph(a_, 5);  // past the end: nothing changes
  EXPECT_TRUE(a_.cluster_input);
  erase_paragraph(a_, 1);
  EXPECT_FALSE(a_.cluster_input);
}

TEST_F(ArticleEditTest, IgnoresAnIndexPastTheEnd) {
  const std::string before = a_.body;
  erase_paragraph(a_, 3);
  EXPECT_EQ(a_.body, before);
}

}  // namespace
}  // namespace wirefeed
