#include "pipeline/iso_time.h"

#include <cctype>
#include <ctime>

namespace wirefeed {
namespace {

// Reads exactly `n` digits at `pos`.
std::optional<int> digits(std::string_view s, std::size_t& pos, int n) {
  if (pos + static_cast<std::size_t>(n) > s.size()) return std::nullopt;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    const char c = s[pos + static_cast<std::size_t>(i)];
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  pos += static_cast<std::size_t>(n);
  return v;
}

bool take(std::string_view s, std::size_t& pos, char c) {
  if (pos < s.size() && s[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

}  // namespace

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

namespace {

// parse_iso8601_ms, a time finer than a millisecond cut to it, or taken up to the next.
std::optional<std::int64_t> parse_iso8601(std::string_view s, bool round_up) {
  std::size_t pos = 0;
  auto year = digits(s, pos, 4);
  if (!year) return std::nullopt;
  const bool compact = pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]));
  if (!compact && !take(s, pos, '-')) return std::nullopt;
  auto month = digits(s, pos, 2);
  if (!month || (!compact && !take(s, pos, '-'))) return std::nullopt;
  auto day = digits(s, pos, 2);
  if (!day || *month < 1 || *month > 12 || *day < 1 || *day > 31) return std::nullopt;
  // A day the month does not have ("2024-02-30") is no date (it would be read as 1 March).
  if (civil_from_days(days_from_civil(*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day))).d !=
      static_cast<unsigned>(*day)) {
    return std::nullopt;
  }

  int hour = 0, minute = 0, second = 0, millis = 0, zone_minutes = 0;
  bool finer = false;  // digits past the millisecond that are not all 0
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == 't' || s[pos] == ' ')) {
    ++pos;
    auto h = digits(s, pos, 2);
    // The basic format ("T101530") writes the time without colons, as it writes the date.
    const bool compact_time = pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]));
    if (!h || (!compact_time && !take(s, pos, ':'))) return std::nullopt;
    auto m = digits(s, pos, 2);
    if (!m) return std::nullopt;
    hour = *h;
    minute = *m;
    const bool has_seconds =
        compact_time ? pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos])) : take(s, pos, ':');
    if (has_seconds) {
      auto sec = digits(s, pos, 2);
      if (!sec) return std::nullopt;
      second = *sec;
      if (take(s, pos, '.') || take(s, pos, ',')) {
        int scale = 100;
        bool any = false;
        while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
          millis += (s[pos] - '0') * scale;
          if (scale == 0 && s[pos] != '0') finer = true;
          scale /= 10;
          ++pos;
          any = true;
        }
        if (!any) return std::nullopt;
      }
    }
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
    if (take(s, pos, 'Z') || take(s, pos, 'z')) {
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
      const int sign = s[pos] == '-' ? -1 : 1;
      ++pos;
      auto zh = digits(s, pos, 2);
      if (!zh) return std::nullopt;
      const bool colon = take(s, pos, ':');
      auto zm = digits(s, pos, 2);
      if (colon && !zm) return std::nullopt;                   // "+01:" is cut short
      if (*zh > 23 || (zm && *zm > 59)) return std::nullopt;  // "+99:99" is no zone
      zone_minutes = sign * (*zh * 60 + (zm ? *zm : 0));
    }
  }
  if (pos != s.size()) return std::nullopt;
  const std::int64_t days = days_from_civil(*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day));
  const std::int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - zone_minutes * 60;
  return secs * 1000 + millis + (round_up && finer ? 1 : 0);
}

}  // namespace

std::optional<std::int64_t> parse_iso8601_ms(std::string_view text) { return parse_iso8601(text, false); }
std::optional<std::int64_t> parse_iso8601_ms_up(std::string_view text) { return parse_iso8601(text, true); }

}  // namespace wirefeed
