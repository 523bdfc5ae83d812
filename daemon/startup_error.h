#pragma once

#include <stdexcept>

namespace wirefeed {

// Thrown only while the daemon is being put together (bad config, unreachable broker, missing
// topic); main prints it and exits non-zero. Never thrown once messages flow.
class startup_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace wirefeed
