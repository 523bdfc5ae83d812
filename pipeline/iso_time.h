#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace wirefeed {

// Parses an ISO 8601 / RFC 3339 date or date-time into Unix milliseconds (UTC):
// "2022-02-07", "2022-02-07T10:15", "2022-02-07T10:15:30Z", "2022-02-07 10:15:30.250+01:00",
// "20220207". A time without a zone is taken as UTC. Nothing on anything else.
std::optional<std::int64_t> parse_iso8601_ms(std::string_view text);

}  // namespace wirefeed
