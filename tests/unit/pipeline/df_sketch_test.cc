// The online document frequencies (count-min sketch): estimates never below the truth, halving,
// and the checkpoint the cluster stage writes to its changelog coming back exactly.
#include "pipeline/df_sketch.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <vector>

namespace wirefeed {
namespace {

std::vector<std::vector<std::uint64_t>> random_documents(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::vector<std::vector<std::uint64_t>> docs(n);
  for (auto& d : docs) {
    for (int i = 0; i < 20; ++i) d.push_back(random() % 5000);  // 5,000 distinct terms, some repeated
    std::sort(d.begin(), d.end());
    d.erase(std::unique(d.begin(), d.end()), d.end());
  }
  return docs;
}

TEST(DfSketchTest, EstimatesAreNeverBelowTheTrueCountAndHalve) {
  df_sketch df(1 << 12, 1000);
  std::map<std::uint64_t, std::uint32_t> truth;
  for (const auto& d : random_documents(999, 1)) {
    df.add_document(d);
    for (const auto h : d) ++truth[h];
  }
  EXPECT_EQ(df.documents(), 999);
  for (const auto& [h, n] : truth) ASSERT_GE(df.estimate(h), n) << h;
  EXPECT_EQ(df.estimate(std::uint64_t{1} << 40), 0u);
  df.add_document({});  // the 1000th document: every count halves
  EXPECT_EQ(df.documents(), 500);
  EXPECT_EQ(df.since_halving(), 0u);
}

TEST(DfSketchTest, ACheckpointInPartsRestoresTheSameSketch) {
  const auto docs = random_documents(1500, 2);
  df_sketch original(1 << 12, 1000);
  for (std::size_t i = 0; i < 700; ++i) original.add_document(docs[i]);

  df_sketch restored(1 << 12, 1000);
  const auto& counters = original.counters();
  for (std::size_t from = 0; from < counters.size(); from += 1000) {
    const std::vector<std::uint32_t> part(counters.begin() + static_cast<std::ptrdiff_t>(from),
                                          counters.begin() + static_cast<std::ptrdiff_t>(std::min(counters.size(), from + 1000)));
    ASSERT_TRUE(restored.restore(from, part, original.documents(), original.since_halving()));
  }
  // The same from here on, halving (at 1000 documents) included.
  for (std::size_t i = 700; i < docs.size(); ++i) {
    original.add_document(docs[i]);
    restored.add_document(docs[i]);
  }
  EXPECT_EQ(restored.counters(), original.counters());
  EXPECT_EQ(restored.documents(), original.documents());
  for (std::uint64_t h = 0; h < 5000; h += 7) ASSERT_EQ(restored.idf(h), original.idf(h)) << h;
}

TEST(DfSketchTest, APartThatDoesNotFitChangesNothing) {
  df_sketch df(1 << 12, 1000);
  df.add_document({1, 2, 3});
  const auto before = df.counters();
  EXPECT_FALSE(df.restore(before.size() - 1, {5, 5}, 10, 0));
  EXPECT_FALSE(df.restore(before.size() + 1, {}, 10, 0));
  EXPECT_FALSE(df.restore(0, {5}, -1, 0));
  EXPECT_EQ(df.counters(), before);
  EXPECT_EQ(df.documents(), 1);
}

}  // namespace
}  // namespace wirefeed
