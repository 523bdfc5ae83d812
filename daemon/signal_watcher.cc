#include "daemon/signal_watcher.h"

#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdlib>

namespace wirefeed {

signal_watcher::signal_watcher(std::function<void()> on_first)
    : signals_(io_, SIGINT, SIGTERM), on_first_(std::move(on_first)) {
  wait();
  thread_ = std::thread([this] { io_.run(); });
}

signal_watcher::~signal_watcher() {
  io_.stop();
  thread_.join();
}

void signal_watcher::wait() {
  signals_.async_wait([this](const boost::system::error_code& ec, int signo) {
    if (ec) return;
    if (++received_ == 1) {
      spdlog::info("signal {}: shutting down (a second signal exits at once)", signo);
      on_first_();
      wait();
      return;
    }
    spdlog::warn("signal {}: exiting at once", signo);
    std::_Exit(130);
  });
}

}  // namespace wirefeed
