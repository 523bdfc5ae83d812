#include "pipeline/paragraph_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <random>
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

// The plain way: every pair of paragraphs, their shared words by a sorted merge.
double pairwise_alignment(const paragraphs& own, const paragraphs& other, double min_jaccard) {
  std::size_t total = 0, aligned = 0;
  for (const auto& p : own) {
    total += p.size();
    for (const auto& q : other) {
      std::vector<std::uint32_t> shared;
      std::set_intersection(p.begin(), p.end(), q.begin(), q.end(), std::back_inserter(shared));
      const double c = static_cast<double>(shared.size());
      if (c > 0 && c >= min_jaccard * (static_cast<double>(p.size() + q.size()) - c)) {
        aligned += p.size();
        break;
      }
    }
  }
  return total == 0 ? 0 : static_cast<double>(aligned) / static_cast<double>(total);
}

TEST(ParagraphIndexTest, AlignsAsComparingEveryPairOfParagraphs) {
  std::mt19937 rng(7);
  paragraph_index::scratch scratch;  // shared by all cases, as on the strand
  const auto random_paragraphs = [&](std::uint32_t vocabulary) {
    paragraphs out(rng() % 40);
    for (auto& p : out) {
      for (std::size_t n = rng() % 30; n > 0; --n) p.push_back(static_cast<std::uint32_t>(rng() % vocabulary));
      std::sort(p.begin(), p.end());
      p.erase(std::unique(p.begin(), p.end()), p.end());
    }
    return out;
  };
  for (int i = 0; i < 300; ++i) {
    // A small vocabulary: words recur across paragraphs and on both sides.
    const std::uint32_t vocabulary = 20 + static_cast<std::uint32_t>(rng() % 200);
    const paragraphs own = random_paragraphs(vocabulary);
    const paragraphs other = random_paragraphs(vocabulary);
    for (const double j : {0.1, 0.35}) {
      EXPECT_DOUBLE_EQ(paragraph_index(own).alignment(other, j, scratch), pairwise_alignment(own, other, j))
          << "case " << i << " threshold " << j;
    }
  }
}

}  // namespace
}  // namespace wirefeed
