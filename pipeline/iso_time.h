#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace wirefeed {

// Howard Hinnant's civil calendar algorithms (proleptic Gregorian): days since 1970-01-01 of a
// date, and the date of such a day.
struct civil {
  std::int64_t y = 0;
  unsigned m = 1;  // 1..12
  unsigned d = 1;  // 1..31
};
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d);
civil civil_from_days(std::int64_t days);

// Parses an ISO 8601 / RFC 3339 date or date-time into Unix milliseconds (UTC):
// "2022-02-07", "2022-02-07T10:15", "2022-02-07T10:15:30Z", "2022-02-07 10:15:30.250+01:00",
// "20220207". A time without a zone is taken as UTC. Nothing on anything else.
std::optional<std::int64_t> parse_iso8601_ms(std::string_view text);  // finer than 1 ms: cut to it
// The same, a time finer than a millisecond ("...:21.1795Z") taken up to the next: the first Kafka
// timestamp (whole milliseconds) at or after it.
std::optional<std::int64_t> parse_iso8601_ms_up(std::string_view text);

}  // namespace wirefeed
