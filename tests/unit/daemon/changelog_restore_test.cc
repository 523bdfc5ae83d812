// What the restore says about a changelog topic that is not what the story state needs.
#include "daemon/changelog_restore.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wirefeed::kafka {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

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

}  // namespace
}  // namespace wirefeed::kafka
