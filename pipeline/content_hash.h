#pragma once

#include <string>
#include <string_view>

namespace wirefeed {

// A stable 128-bit hash of `bytes` (MurmurHash3 x64/128, seed 0) as 32 lower-case hex digits.
// Stable across platforms, builds and releases: it names articles that carry no id, so changing
// it would change their uris.
std::string content_hash_hex(std::string_view bytes);

}  // namespace wirefeed
