#include "pipeline/boilerplate_learner.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "normalize_test_support.h"
#include "pipeline/checkpoint.h"
#include "pipeline/minhash.h"

namespace wirefeed {
namespace {

using testing::decode_and_normalize;
using testing::raw_record;

constexpr const char* k_footer = "Daily Example is published every weekday by the Example Media Group";

// A normalized article from `publisher` with a unique story and, optionally, the footer line.
article story(int n, const std::string& publisher = "Daily Example", bool footer = true) {
  std::string text = "Story number " + std::to_string(n) + " has its own headline\n20220207\nhttps://example.com/" +
                     std::to_string(n) + "\nThe first paragraph of story " + std::to_string(n) +
                     " says something new.\nA second paragraph of story " + std::to_string(n) + " adds detail.\n";
  if (footer) text += std::string(k_footer) + "\n";
  auto a = decode_and_normalize(raw_record(text, 0, {{"source", publisher}}));
  EXPECT_TRUE(a.ok());
  return std::move(a.value());
}

bool has_footer(const article& a) { return a.body.find(k_footer) != std::string::npos; }

boilerplate_learner_options options(std::size_t min_articles) {
  boilerplate_learner_options o;
  o.min_articles = min_articles;
  return o;
}

TEST(BoilerplateLearnerTest, RemovesALineOnceItsSourceRepeatedItInEnoughArticles) {
  boilerplate_learner learner(options(5));
  int first_removed = -1;
  for (int n = 1; n <= 12; ++n) {
    article a = story(n);
    ASSERT_TRUE(learner.process(a).ok());
    if (!has_footer(a) && first_removed < 0) first_removed = n;
  }
  EXPECT_GE(first_removed, 5);
  EXPECT_LE(first_removed, 7);  // a 128-bit sketch: a collision or two may delay it
}

TEST(BoilerplateLearnerTest, ListsWhatItRemovedAsLearned) {
  boilerplate_learner learner(options(3));
  article a;
  for (int n = 1; n <= 6; ++n) {
    a = story(n);
    ASSERT_TRUE(learner.process(a).ok());
  }
  ASSERT_FALSE(a.removed.empty());
  EXPECT_EQ(a.removed.back().kind, removal_kind::learned);
  EXPECT_EQ(a.removed.back().text, k_footer);
  EXPECT_FALSE(has_footer(a));
  EXPECT_NE(a.body.find("A second paragraph of story 6"), std::string::npos);
}

// A learner restored from its checkpoint (checkpoint.h) removes what the one that wrote it had
// learned, and counts on from the same slots and clock; a new one has to learn it again.
TEST(BoilerplateLearnerTest, ARestoredLearnerRemovesWhatItHadLearned) {
  boilerplate_learner learner(options(5));
  for (int n = 1; n <= 8; ++n) {
    article a = story(n);
    ASSERT_TRUE(learner.process(a).ok());
  }
  std::vector<output_record> records;
  write_learner_parts(learner, 8, records);
  ASSERT_EQ(records.size(), 16u);  // 65,536 slots in parts of 4,096
  boilerplate_learner restored(options(5)), fresh(options(5));
  for (const auto& r : records) {
    EXPECT_TRUE(r.key.starts_with(learner_key_prefix));
    const auto taken = restore_learner_part(restored, r.value);
    ASSERT_TRUE(taken.ok()) << r.key;
    EXPECT_EQ(*taken, part_restored::taken) << r.key;
  }
  EXPECT_EQ(restored.slot_words(0, restored.capacity()), learner.slot_words(0, learner.capacity()));
  EXPECT_EQ(restored.clock(), learner.clock());
  article a = story(9), b = story(9), c = story(9);
  ASSERT_TRUE(learner.process(a).ok());
  ASSERT_TRUE(restored.process(b).ok());
  ASSERT_TRUE(fresh.process(c).ok());
  EXPECT_FALSE(has_footer(a));
  EXPECT_FALSE(has_footer(b));
  EXPECT_TRUE(has_footer(c));

  // A part of a table of another capacity is skipped; one that does not fit is an error.
  boilerplate_learner_options small = options(5);
  small.capacity = 1024;
  boilerplate_learner smaller(small);
  const auto taken = restore_learner_part(smaller, records[0].value);
  ASSERT_TRUE(taken.ok());
  EXPECT_EQ(*taken, part_restored::skipped);
  const auto words = smaller.slot_words(0, smaller.capacity());
  EXPECT_TRUE(std::all_of(words.begin(), words.end(), [](std::uint32_t w) { return w == 0; }));
  const std::string one_slot = std::string(43, 'A') + "=";  // 32 zero bytes
  EXPECT_TRUE(restore_learner_part(restored, R"({"capacity":65536,"from":65535,"clock":1,"slots":")" + one_slot + "\"}").ok());
  EXPECT_FALSE(restore_learner_part(restored, R"({"capacity":65536,"from":65536,"clock":1,"slots":")" + one_slot + "\"}").ok());
  EXPECT_FALSE(restore_learner_part(restored, R"({"capacity":65536,"from":0,"clock":1,"slots":"!!"})").ok());
}

TEST(BoilerplateLearnerTest, CountsTheVersionsOfOneStoryOnce) {
  boilerplate_learner learner(options(3));
  for (int k = 0; k < 20; ++k) {
    article a = story(1);  // same headline every time
    ASSERT_TRUE(learner.process(a).ok());
    EXPECT_TRUE(has_footer(a));
  }
}

// What the extract stage adds before the learner runs in the chain: the text's MinHash.
article fingerprinted(article a) {
  a.minhash = minhash::of(a).signature;
  return a;
}

// Wire services re-send a story under a new headline at each update ("UPDATE 3: ..."): its
// paragraphs repeat in every version, and are not boilerplate however many versions come.
TEST(BoilerplateLearnerTest, CountsTheVersionsOfOneStoryOnceWhateverTheirHeadlines) {
  boilerplate_learner learner(options(3));
  for (int k = 0; k < 12; ++k) {
    auto a = decode_and_normalize(raw_record(R"({"uri":"ap-123-v)" + std::to_string(k) + R"(","headline":"UPDATE )" +
                                             std::to_string(k) + R"(: Macron and Putin hold talks",)"
                                             R"("body":"MOSCOW (AP) — Macron held talks with Putin on Monday.\n\n)"
                                             R"(The meeting lasted more than five hours, the Kremlin said.\n\n)"
                                             R"(“We must avoid a war,” Macron told reporters."})"));
    ASSERT_TRUE(a.ok());
    article v = fingerprinted(std::move(*a));
    ASSERT_TRUE(learner.process(v).ok()) << k;
    EXPECT_TRUE(v.removed.empty()) << k;
  }
}

// Counted by text, different stories sharing a footer are still different articles.
TEST(BoilerplateLearnerTest, CountedByTextStoriesWithTheSameFooterAreDifferentArticles) {
  boilerplate_learner learner(options(3));
  article a;
  for (int n = 1; n <= 8; ++n) {
    a = fingerprinted(story(n));
    ASSERT_TRUE(learner.process(a).ok());
  }
  EXPECT_FALSE(has_footer(a));
}

TEST(BoilerplateLearnerTest, KeepsSourcesApart) {
  boilerplate_learner learner(options(4));
  for (int n = 1; n <= 12; ++n) {
    article a = story(n, "Source " + std::to_string(n % 4 + 1));  // each source sees it three times
    ASSERT_TRUE(learner.process(a).ok());
    EXPECT_TRUE(has_footer(a)) << n;
  }
}

TEST(BoilerplateLearnerTest, NeverCountsLongParagraphs) {
  boilerplate_learner_options o = options(2);
  o.max_line_chars = 20;
  boilerplate_learner learner(o);
  for (int n = 1; n <= 6; ++n) {
    article a = story(n);
    ASSERT_TRUE(learner.process(a).ok());
    EXPECT_TRUE(has_footer(a));
  }
}

TEST(BoilerplateLearnerTest, DoesNothingWhenDisabled) {
  boilerplate_learner_options o = options(2);
  o.enabled = false;
  boilerplate_learner learner(o);
  for (int n = 1; n <= 6; ++n) {
    article a = story(n);
    ASSERT_TRUE(learner.process(a).ok());
    EXPECT_TRUE(has_footer(a));
  }
}

TEST(BoilerplateLearnerTest, StaysWithinItsCapacityAndKeepsWorking) {
  boilerplate_learner_options o = options(3);
  o.capacity = 16;  // far fewer slots than lines: old lines are forgotten, recent ones still learned
  boilerplate_learner learner(o);
  article a;
  for (int n = 1; n <= 200; ++n) {
    a = story(n);
    ASSERT_TRUE(learner.process(a).ok());
  }
  EXPECT_FALSE(has_footer(a));
}

TEST(BoilerplateLearnerTest, IsDeterministicForTheSameInputOrder) {
  const auto run = [] {
    boilerplate_learner learner(options(4));
    std::vector<std::string> bodies;
    for (int n = 1; n <= 30; ++n) {
      article a = story(n, n % 2 ? "A" : "B", n % 3 != 0);
      EXPECT_TRUE(learner.process(a).ok());
      bodies.push_back(a.body);
    }
    return bodies;
  };
  EXPECT_EQ(run(), run());
}

TEST(BoilerplateLearnerTest, RejectsAnArticleThatWouldBeLeftEmpty) {
  boilerplate_learner learner(options(2));
  status last = ok_status();
  for (int n = 1; n <= 8 && last.ok(); ++n) {
    auto a = decode_and_normalize(raw_record("Headline " + std::to_string(n) + "\n20220207\n" + k_footer + "\n"));
    ASSERT_TRUE(a.ok());
    last = learner.process(*a);
  }
  ASSERT_FALSE(last.ok());
  EXPECT_EQ(last.error().reason, "no_body_after_normalize");
}

}  // namespace
}  // namespace wirefeed
