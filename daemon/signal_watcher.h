#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

namespace wirefeed {

// Watches SIGINT, SIGTERM and SIGHUP on a thread it owns, from its construction on: a signal that comes
// during start-up (a changelog restore, say) is a stop request, not the default kill. The first
// signal calls the bound action, at once when it is bound if the signal came before; another one
// a second or more after it ends the process at once with exit code 130 (nothing more is
// committed: offsets only ever cover delivered work), one sooner is the same stop told twice.
// Stops and joins in the destructor.
class signal_watcher {
 public:
  signal_watcher();
  ~signal_watcher();
  signal_watcher(const signal_watcher&) = delete;
  signal_watcher& operator=(const signal_watcher&) = delete;

  // The action is bound while the returned binding lives (it unbinds in its destructor, before
  // whatever the action refers to goes away).
  class binding {
   public:
    explicit binding(signal_watcher& w) : w_(&w) {}
    ~binding() { w_->set_action(nullptr); }
    binding(const binding&) = delete;
    binding& operator=(const binding&) = delete;

   private:
    signal_watcher* w_;
  };
  [[nodiscard]] binding bind(std::function<void()> on_first);
  // Whether a signal has come (a stop was asked for).
  bool stop_requested();

 private:
  void wait();
  void set_action(std::function<void()> action);
  boost::asio::io_context io_;
  boost::asio::signal_set signals_;
  std::mutex mu_;  // guards action_ and stop_requested_ (the watcher's thread and the caller's)
  std::function<void()> action_;
  bool stop_requested_ = false;
  int received_ = 0;
  std::chrono::steady_clock::time_point first_at_;  // when the first signal came
  static constexpr std::chrono::seconds repeat_window{1};
  std::thread thread_;
};

}  // namespace wirefeed
