#include "pipeline/minhash.h"

#include <gtest/gtest.h>

#include "extract_support.h"

namespace wirefeed {
namespace {

using testing::normalized;

const std::string k_story =
    "Moscow has deployed more than 100,000 troops along Ukraine's eastern border with Russia and in its ally "
    "Belarus, with the West fearing that Putin could at any time order an invasion of the former Soviet "
    "republic. France, the United States and their NATO allies have rejected Moscow's demand that they rule out "
    "possible Ukraine membership in the Western military alliance.";

TEST(MinhashTest, GivesEqualBodiesEqualFingerprints) {
  const auto a = minhash::of(normalized(k_story));
  const auto b = minhash::of(normalized(k_story));
  ASSERT_EQ(a.signature.size(), minhash::signature_size);
  EXPECT_EQ(a.signature, b.signature);
  EXPECT_EQ(a.simhash, b.simhash);
}

TEST(MinhashTest, FindsANearDuplicateMoreSimilarThanAnUnrelatedBody) {
  const auto original = minhash::of(normalized(k_story));
  const auto edited = minhash::of(normalized(k_story + " The Kremlin denied it."));
  const auto other = minhash::of(normalized(
      "The central bank raised interest rates by half a point on Thursday, citing inflation that has run above "
      "its target for a year, and signalled more increases to come as energy prices keep climbing."));
  EXPECT_GT(minhash::similarity(original.signature, edited.signature), 0.6);
  EXPECT_LT(minhash::similarity(original.signature, other.signature), 0.2);
  const int near = __builtin_popcountll(*original.simhash ^ *edited.simhash);
  const int far = __builtin_popcountll(*original.simhash ^ *other.simhash);
  EXPECT_LT(near, far);
}

TEST(MinhashTest, GivesABodyWithoutWordsNoFingerprint) {
  article a;
  const auto fp = minhash::of(a);
  EXPECT_TRUE(fp.signature.empty());
  EXPECT_FALSE(fp.simhash.has_value());
}

}  // namespace
}  // namespace wirefeed
