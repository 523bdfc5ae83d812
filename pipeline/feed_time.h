#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace wirefeed {

// Parses the publication times found in feeds into Unix milliseconds (UTC). Tried in order:
//   ISO 8601 / RFC 3339 and compact dates (parse_iso8601_ms): "2022-02-07T10:15:00Z", "20220207";
//   ISO 8601 with a space and " UTC" / " GMT": "2022-02-07 10:15:00 UTC";
//   RFC 2822 / RFC 1123 (e-mail, RSS): "Mon, 07 Feb 2022 10:15:00 +0000", "7 Feb 2022 10:15 GMT",
//     zones Z, UT, GMT, the US zones (EST, EDT, ...), BST, WET/WEST, CET/CEST, EET/EEST, MSK,
//     JST, AEST, GMT+1 / UTC-05:00, +hhmm / -hh:mm; no zone = UTC (not ET or PT: standard or
//     daylight time by the date);
//   written dates: "February 7, 2022", "Feb. 7, 2022", "7 February 2022", "Monday, February 7,
//     2022" (midnight UTC), a time after them ("at 3:45 p.m. EST", the Guardian's "14.34 BST"),
//     or before them (AP's "2:34 PM EST, October 1, 2023");
//   numeric dates day first: "06.02.2023, 14:35 Uhr", and "06/02/2023" only when a part above 12
//     says which is the day; a time of day with "Uhr" and no zone is German time (CET, CEST by the
//     date), German zone names MEZ and MESZ;
//   "2023-10-01 14:34 CEST": an ISO date and time with a named zone;
//   Unix time as digits: 10 digits = seconds, 13 digits = milliseconds.
// Leading/trailing spaces are ignored. Years outside 1900..2200 are refused. Nothing on anything
// else; never throws.
std::optional<std::int64_t> parse_feed_time_ms(std::string_view text);

// 1..12 for an English month name or abbreviation ("Feb", "feb.", "February", "Sept"), else 0.
int month_from_name(std::string_view name);

// Unix milliseconds of midnight UTC of a proleptic Gregorian date; nothing if it does not exist.
std::optional<std::int64_t> civil_date_ms(int year, int month, int day);

}  // namespace wirefeed
