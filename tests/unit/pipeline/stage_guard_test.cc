#include "pipeline/stage_guard.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

namespace wirefeed {
namespace {

struct counting_probe : probe {
  std::vector<stage_id> done;
  void on_stage_done(stage_id stage, double /*seconds*/) override { done.push_back(stage); }
};

// A stage that throws (a bug, an allocation failure) fails the record, not the daemon: the
// record's dead letter says which stage and what was thrown.
TEST(StageGuardTest, AnExceptionEscapingAStageIsThatStagesInternalError) {
  counting_probe p;
  const auto failed = timed(p, stage_id::cluster, []() -> int { throw std::runtime_error("index out of range"); });
  ASSERT_EQ(failed.index(), 1u);
  const stage_error& e = std::get<1>(failed);
  EXPECT_EQ(e.stage, "cluster");
  EXPECT_EQ(e.reason, "internal_error");
  EXPECT_EQ(e.message, "unexpected failure: index out of range");
  EXPECT_TRUE(p.done.empty());  // no duration for a failed run

  const auto odd = guarded(stage_id::normalize, []() -> int { throw 42; });
  ASSERT_EQ(odd.index(), 1u);
  EXPECT_EQ(std::get<1>(odd).stage, "normalize");
  EXPECT_EQ(std::get<1>(odd).message, "unexpected failure: non-standard exception");

  const auto fine = timed(p, stage_id::extract, [] { return 7; });
  ASSERT_EQ(fine.index(), 0u);
  EXPECT_EQ(std::get<0>(fine), 7);
  EXPECT_EQ(p.done, std::vector<stage_id>{stage_id::extract});
}

}  // namespace
}  // namespace wirefeed
