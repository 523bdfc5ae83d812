#pragma once

namespace wirefeed {

// A process started with a standard stream closed (`wirefeed process <&-`, `>&-`) would give its
// number to the next file it opens (the signal watcher's eventfd, a Kafka socket), which would then
// be read as stdin or written as stdout. Called first thing in main: puts /dev/null in the place
// of each of stdin, stdout and stderr that is closed, and remembers which were.
void hold_closed_standard_streams();

// Whether `fd` (0, 1 or 2) was closed when the process started.
bool standard_stream_was_closed(int fd);

}  // namespace wirefeed
