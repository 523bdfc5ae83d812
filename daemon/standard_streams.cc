#include "daemon/standard_streams.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace wirefeed {
namespace {

bool closed_at_start[3] = {false, false, false};

}  // namespace

void hold_closed_standard_streams() {
  for (int fd = 0; fd < 3; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    closed_at_start[fd] = true;
    // The lowest free number is `fd` itself: the lower ones are open by now.
    if (::open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd) return;
  }
}

bool standard_stream_was_closed(int fd) { return fd >= 0 && fd < 3 && closed_at_start[fd]; }

}  // namespace wirefeed
