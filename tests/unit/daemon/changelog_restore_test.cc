// What the restore says about a changelog topic that is not what the story state needs, and about
// records it cannot restore.
#include "daemon/changelog_restore.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wirefeed::kafka {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

TEST(ChangelogTopicTest, ACompactedTopicOfOnePartitionIsRight) {
  EXPECT_THAT(changelog_topic_problems("wire.stories.changelog", "compact", 1), IsEmpty());
  EXPECT_THAT(changelog_topic_problems("wire.stories.changelog", "compact,delete", 1), IsEmpty());
}

// Not compacted: every restart reads every update; several partitions: the write order is lost.
TEST(ChangelogTopicTest, ADeleteOnlyTopicOrSeveralPartitionsAreNamedWithTheFix) {
  EXPECT_THAT(changelog_topic_problems("state", "delete", 1),
              ElementsAre(AllOf(HasSubstr("topics.changelog 'state' has cleanup.policy=delete, not compact"),
                                HasSubstr("recreate it with cleanup.policy=compact"))));
  EXPECT_THAT(changelog_topic_problems("state", "compact", 3),
              ElementsAre(AllOf(HasSubstr("has 3 partitions: the restore needs one"), HasSubstr("recreate it with one"))));
  EXPECT_EQ(changelog_topic_problems("state", "delete", 2).size(), 2u);
}

// The first unreadable key by offset, how many more, and the tombstone that gets past it.
TEST(UnreadableChangelogTest, TheMessageNamesTheFirstKeyAndTheTombstoneThatDropsIt) {
  const auto message = unreadable_changelog_message(
      "127.0.0.1:9092", "wire.stories.changelog",
      {{"story-b", 0, 70, "cluster: bad_changelog_record: ..."}, {"story-a", 0, 12, "cluster: bad_changelog_record: x"}});
  EXPECT_THAT(message, AllOf(HasSubstr("the latest record of key 'story-a' (partition 0, offset 12) does not restore: "
                                       "cluster: bad_changelog_record: x; and 1 more key(s)"),
                             HasSubstr("`printf '%s\\t\\n' 'story-a' | kcat -P -b 127.0.0.1:9092 -t "
                                       "wire.stories.changelog -K '\\t' -Z`"),
                             HasSubstr("cluster.restore=false")));
  // A key with ':' (kcat -K: split there) and a quote.
  EXPECT_THAT(unreadable_changelog_message("b:9092", "t", {{"fingerprint:urn:x'y", 0, 1, "why"}}),
              HasSubstr("`printf '%s\\t\\n' 'fingerprint:urn:x'\\''y' | kcat -P -b b:9092 -t t -K '\\t' -Z`"));
  EXPECT_THAT(unreadable_changelog_message("b:9092", "t", {{"k", 0, 1, "why"}}), Not(HasSubstr("more key")));
}

}  // namespace
}  // namespace wirefeed::kafka
