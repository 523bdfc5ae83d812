#include "pipeline/offset_tracker.h"

#include <gtest/gtest.h>

namespace wirefeed {
namespace {

TEST(OffsetTrackerTest, HasNoPositionBeforeAnythingIsTracked) {
  offset_tracker t;
  EXPECT_FALSE(t.commit_position().has_value());
}

TEST(OffsetTrackerTest, PositionStaysAtLowestIncompleteWhenLaterOffsetsFinishFirst) {
  offset_tracker t;
  for (int o = 10; o < 15; ++o) t.track(offset{o});
  EXPECT_TRUE(t.complete(offset{12}));
  EXPECT_TRUE(t.complete(offset{14}));
  EXPECT_EQ(t.commit_position()->value, 10);
  EXPECT_TRUE(t.complete(offset{10}));
  EXPECT_EQ(t.commit_position()->value, 11);
  EXPECT_TRUE(t.complete(offset{11}));
  EXPECT_EQ(t.commit_position()->value, 13);
  EXPECT_TRUE(t.complete(offset{13}));
  EXPECT_EQ(t.commit_position()->value, 15);
  EXPECT_EQ(t.in_flight(), 0u);
}

TEST(OffsetTrackerTest, GapsInOffsetsDoNotBlockThePosition) {
  offset_tracker t;
  t.track(offset{3});
  t.track(offset{7});  // 4..6 compacted away or transaction markers
  t.complete(offset{3});
  EXPECT_EQ(t.commit_position()->value, 7);
  t.complete(offset{7});
  EXPECT_EQ(t.commit_position()->value, 8);
}

TEST(OffsetTrackerTest, CompletingTwiceOrUnknownOffsetIsRejected) {
  offset_tracker t;
  t.track(offset{1});
  EXPECT_FALSE(t.complete(offset{2}));
  EXPECT_TRUE(t.complete(offset{1}));
  EXPECT_FALSE(t.complete(offset{1}));
}

TEST(OffsetTrackerTest, ReverseCompletionOfManyOffsetsEndsPastTheLast) {
  offset_tracker t;
  for (int o = 0; o < 1000; ++o) t.track(offset{o});
  for (int o = 999; o >= 1; --o) {
    t.complete(offset{o});
    ASSERT_EQ(t.commit_position()->value, 0);
  }
  t.complete(offset{0});
  EXPECT_EQ(t.commit_position()->value, 1000);
}

// A log truncated (an unclean leader election) or recreated under the consumer: offsets start
// again lower, with records of the old log still in flight. The commit position follows the new
// log, instead of staying at the old one's lowest incomplete offset while the window grows.
TEST(OffsetTrackerTest, AnOffsetBelowTheTrackedOnesStartsTheTrackingAfresh) {
  offset_tracker t;
  t.track(offset{100});
  t.track(offset{101});
  t.track(offset{0});
  t.track(offset{1});
  EXPECT_EQ(t.in_flight(), 2u);
  EXPECT_FALSE(t.complete(offset{100}));  // of the old log: unknown now
  EXPECT_EQ(t.commit_position()->value, 0);
  EXPECT_TRUE(t.complete(offset{0}));
  EXPECT_EQ(t.commit_position()->value, 1);
  EXPECT_TRUE(t.complete(offset{1}));
  EXPECT_EQ(t.commit_position()->value, 2);
  EXPECT_EQ(t.in_flight(), 0u);
}

}  // namespace
}  // namespace wirefeed
