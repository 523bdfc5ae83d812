#include "daemon/signal_watcher.h"

#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdlib>

namespace wirefeed {

namespace {

// Whether `signo` was ignored when the process started (nohup ignores SIGHUP).
bool ignored_from_the_start(int signo) {
  struct sigaction current {};
  return ::sigaction(signo, nullptr, &current) == 0 && current.sa_handler == SIG_IGN;
}

}  // namespace

// SIGHUP too: a closed terminal, or an operator used to "reload", gets the clean stop (there is no
// reload; under systemd the unit starts again with the new configuration) instead of the default
// exit without a drain or a word in the log. Unless it is ignored from the start: `nohup wirefeed
// replay ...` must outlive the terminal.
signal_watcher::signal_watcher() : signals_(io_, SIGINT, SIGTERM) {
  if (!ignored_from_the_start(SIGHUP)) signals_.add(SIGHUP);
  wait();
  thread_ = std::thread([this] { io_.run(); });
}

signal_watcher::~signal_watcher() {
  io_.stop();
  thread_.join();
}

signal_watcher::binding signal_watcher::bind(std::function<void()> on_first) {
  set_action(std::move(on_first));
  return binding(*this);
}

bool signal_watcher::stop_requested() {
  std::lock_guard lock(mu_);
  return stop_requested_;
}

void signal_watcher::set_action(std::function<void()> action) {
  std::lock_guard lock(mu_);
  action_ = std::move(action);
  if (action_ && stop_requested_) action_();
}

void signal_watcher::wait() {
  signals_.async_wait([this](const boost::system::error_code& ec, int signo) {
    if (ec) return;
    const auto now = std::chrono::steady_clock::now();
    if (++received_ == 1) {
      first_at_ = now;
      spdlog::info("signal {}: shutting down (another signal a second or more later exits at once)", signo);
      std::lock_guard lock(mu_);
      stop_requested_ = true;
      if (action_) action_();
      wait();
      return;
    }
    // The same stop told twice: `timeout` signals the process, then its process group, and a
    // supervisor may signal both the process and its group too.
    if (now - first_at_ < repeat_window) {
      spdlog::info("signal {}: already shutting down", signo);
      wait();
      return;
    }
    spdlog::warn("signal {}: exiting at once", signo);
    std::_Exit(130);
  });
}

}  // namespace wirefeed
