#include "pipeline/paragraph_index.h"

#include <gtest/gtest.h>

#include <vector>

namespace wirefeed {
namespace {

using paragraphs = std::vector<std::vector<std::uint32_t>>;

TEST(ParagraphIndexTest, ReorderedParagraphsAlignCompletely) {
  const paragraphs article{{1, 2, 3, 4}, {10, 11, 12, 13, 14, 15}, {20, 21}};
  const paragraph_index index(article);
  paragraph_index::scratch scratch;
  EXPECT_EQ(index.paragraphs(), 3u);
  EXPECT_DOUBLE_EQ(index.alignment({{20, 21}, {1, 2, 3, 4}, {10, 11, 12, 13, 14, 15}}, 0.35, scratch), 1.0);
  EXPECT_DOUBLE_EQ(index.alignment({{100, 101}, {102}}, 0.35, scratch), 0.0);
}

TEST(ParagraphIndexTest, CountsTheWordsOfTheParagraphsThatMatchEnough) {
  const paragraph_index index(paragraphs{{1, 2, 3, 4}, {10, 11, 12, 13, 14, 15}});
  paragraph_index::scratch scratch;
  // {1, 2, 9}: 2 shared of 5 distinct, Jaccard 0.4, matches the first paragraph (4 of 10 words).
  EXPECT_DOUBLE_EQ(index.alignment({{1, 2, 9}}, 0.35, scratch), 0.4);
  // The same at a stricter threshold: nothing.
  EXPECT_DOUBLE_EQ(index.alignment({{1, 2, 9}}, 0.5, scratch), 0.0);
  // One candidate paragraph holding words of both: Jaccard 2/11 and 2/9 with them, below 0.35.
  EXPECT_DOUBLE_EQ(index.alignment({{1, 2, 10, 11, 30}}, 0.35, scratch), 0.0);
  // The scratch carries nothing from one call to the next.
  EXPECT_DOUBLE_EQ(index.alignment({{10, 11, 12, 13, 14, 15}}, 0.35, scratch), 0.6);
}

TEST(ParagraphIndexTest, NothingIndexedAlignsNothing) {
  paragraph_index::scratch scratch;
  EXPECT_DOUBLE_EQ(paragraph_index().alignment({{1, 2}}, 0.35, scratch), 0.0);
  EXPECT_DOUBLE_EQ(paragraph_index(paragraphs{{}, {}}).alignment({{1, 2}}, 0.35, scratch), 0.0);
}

}  // namespace
}  // namespace wirefeed
