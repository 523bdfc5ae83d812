#pragma once

#include <functional>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

namespace wirefeed {

// Watches SIGINT and SIGTERM on a thread it owns. The first signal calls `on_first`; a second one
// ends the process at once with exit code 130 (nothing more is committed: offsets only ever
// cover delivered work). Stops and joins in the destructor.
class signal_watcher {
 public:
  explicit signal_watcher(std::function<void()> on_first);
  ~signal_watcher();
  signal_watcher(const signal_watcher&) = delete;
  signal_watcher& operator=(const signal_watcher&) = delete;

 private:
  void wait();
  boost::asio::io_context io_;
  boost::asio::signal_set signals_;
  std::function<void()> on_first_;
  int received_ = 0;
  std::thread thread_;
};

}  // namespace wirefeed
