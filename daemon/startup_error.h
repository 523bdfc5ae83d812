#pragma once

#include <stdexcept>

namespace wirefeed {

// Thrown only while the daemon is being put together (bad config, unreachable broker, missing
// topic); main prints it and exits non-zero. Never thrown once messages flow.
class startup_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A startup_error caused by how the command was called (a bad option value): exit code 2.
class usage_error : public startup_error {
 public:
  using startup_error::startup_error;
};

// A signal stopped the start-up while it waited (for a broker that does not answer): the command
// ends cleanly, exit 0.
class startup_stopped : public std::runtime_error {
 public:
  startup_stopped() : std::runtime_error("stopped by a signal during start-up") {}
};

}  // namespace wirefeed
