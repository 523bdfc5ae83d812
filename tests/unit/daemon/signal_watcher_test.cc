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
