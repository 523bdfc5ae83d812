// signal_watcher: a SIGTERM is a stop request from the watcher's construction on, also before the
// daemon has anything to stop (the changelog restore), and never after the binding is gone.
#include "daemon/signal_watcher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <thread>

namespace wirefeed {
namespace {

bool eventually(const std::atomic<int>& n, int want) {
  for (int i = 0; i < 500 && n != want; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return n == want;
}

TEST(SignalWatcherTest, ASignalBeforeTheBindingStopsWhatIsBoundLater) {
  signal_watcher signals;
  EXPECT_FALSE(signals.stop_requested());
  std::raise(SIGTERM);  // while "restoring": the process must not die of it
  for (int i = 0; i < 500 && !signals.stop_requested(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(signals.stop_requested());  // what `run` asks before it starts a run afresh
  std::atomic<int> stops = 0;
  const auto binding = signals.bind([&] { ++stops; });
  EXPECT_TRUE(eventually(stops, 1));
}

TEST(SignalWatcherTest, ASignalCallsTheBoundActionOnce) {
  signal_watcher signals;
  std::atomic<int> stops = 0;
  const auto binding = signals.bind([&] { ++stops; });
  std::raise(SIGINT);
  EXPECT_TRUE(eventually(stops, 1));
}

// `timeout` signals the process and then its process group: the same stop, not a second one.
TEST(SignalWatcherTest, ASignalRepeatedAtOnceIsTheSameStop) {
  signal_watcher signals;
  std::atomic<int> stops = 0;
  const auto binding = signals.bind([&] { ++stops; });
  std::raise(SIGTERM);
  std::raise(SIGTERM);
  EXPECT_TRUE(eventually(stops, 1));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(stops, 1);
}

// Another signal a second or more after the first exits at once (130), without a drain.
TEST(SignalWatcherTest, ASignalASecondAfterTheFirstExitsAtOnce) {
  // In a process of its own (the binary run again for this test alone): the watcher's signal
  // state is the process's.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        signal_watcher again;
        const auto bound = again.bind([] {});
        std::raise(SIGTERM);
        std::raise(SIGTERM);
        std::this_thread::sleep_for(std::chrono::milliseconds(1200));
        std::raise(SIGTERM);
        std::this_thread::sleep_for(std::chrono::seconds(5));
        std::exit(0);
      },
      testing::ExitedWithCode(130), "");
}

TEST(SignalWatcherTest, ASighupIsAStopToo) {  // not the default exit, without a drain or a log line
  signal_watcher signals;
  std::atomic<int> stops = 0;
  const auto binding = signals.bind([&] { ++stops; });
  std::raise(SIGHUP);
  EXPECT_TRUE(eventually(stops, 1));
}

// Under nohup (SIGHUP ignored from the start) a closed terminal stops nothing: a backfill started
// that way outlives the session.
TEST(SignalWatcherTest, ASighupIgnoredFromTheStartStaysIgnored) {
  std::signal(SIGHUP, SIG_IGN);
  {
    signal_watcher signals;
    std::atomic<int> stops = 0;
    const auto binding = signals.bind([&] { ++stops; });
    std::raise(SIGHUP);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(stops, 0);
  }
  std::signal(SIGHUP, SIG_DFL);
}

TEST(SignalWatcherTest, NothingIsCalledOnceTheBindingIsGone) {
  signal_watcher signals;
  std::atomic<int> stops = 0;
  { const auto binding = signals.bind([&] { ++stops; }); }
  std::raise(SIGTERM);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(stops, 0);
}

}  // namespace
}  // namespace wirefeed
