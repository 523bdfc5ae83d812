#include "pipeline/feed_time.h"

#include <array>
#include <cctype>
#include <string>

#include "pipeline/iso_time.h"
#include "pipeline/text_fold.h"

namespace wirefeed {
namespace {

constexpr std::int64_t k_day_ms = 86'400'000;
constexpr int k_min_year = 1900;
constexpr int k_max_year = 2200;

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// A small cursor over the text: words, numbers and separators.
class scanner {
 public:
  explicit scanner(std::string_view s) : s_(s) {}

  bool done() const { return pos_ >= s_.size(); }
  void skip_separators() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == ',' || s_[pos_] == '\t')) ++pos_;
  }
  std::string_view word() {
    const std::size_t start = pos_;
    while (pos_ < s_.size() && is_alpha(s_[pos_])) ++pos_;
    std::string_view w = s_.substr(start, pos_ - start);
    if (!w.empty() && pos_ < s_.size() && s_[pos_] == '.') ++pos_;  // "Feb."
    return w;
  }
  std::optional<int> number(std::size_t min_digits, std::size_t max_digits) {
    const std::size_t start = pos_;
    int v = 0;
    while (pos_ < s_.size() && is_digit(s_[pos_]) && pos_ - start < max_digits) v = v * 10 + (s_[pos_++] - '0');
    if (pos_ - start < min_digits || (pos_ < s_.size() && is_digit(s_[pos_]))) {
      pos_ = start;
      return std::nullopt;
    }
    return v;
  }
  bool take(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  std::string_view rest() const { return s_.substr(pos_); }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

int full_year(int y, std::size_t digits) {
  if (digits == 4) return y;
  return y < 50 ? 2000 + y : 1900 + y;  // RFC 2822 section 4.3
}

// Minutes east of UTC of an RFC 2822 zone, or nothing if it is not one.
std::optional<int> zone_minutes(std::string_view z) {
  if (z.empty()) return 0;
  if (z.front() == '+' || z.front() == '-') {
    const int sign = z.front() == '-' ? -1 : 1;
    std::string digits;
    for (char c : z.substr(1)) {
      if (is_digit(c)) digits += c;
      else if (c != ':') return std::nullopt;
    }
    if (digits.size() != 4 && digits.size() != 2) return std::nullopt;
    const int hh = (digits[0] - '0') * 10 + (digits[1] - '0');
    const int mm = digits.size() == 4 ? (digits[2] - '0') * 10 + (digits[3] - '0') : 0;
    if (hh > 23 || mm > 59) return std::nullopt;
    return sign * (hh * 60 + mm);
  }
  // "GMT+1", "UTC-05:00": the offset after the name.
  if (z.size() > 3 && (z[3] == '+' || z[3] == '-') && (ascii_iequals(z.substr(0, 3), "gmt") || ascii_iequals(z.substr(0, 3), "utc"))) {
    const int sign = z[3] == '-' ? -1 : 1;
    scanner s(z.substr(4));
    const auto hh = s.number(1, 2);
    if (!hh || *hh > 23) return std::nullopt;
    int mm = 0;
    if (s.take(':')) {
      const auto m = s.number(2, 2);
      if (!m || *m > 59) return std::nullopt;
      mm = *m;
    }
    if (!s.done()) return std::nullopt;
    return sign * (*hh * 60 + mm);
  }
  // North American zones (RFC 2822), and the European and other zones wire copy names. Not "ET"
  // or "PT", which mean standard or daylight time by the date.
  constexpr std::array<std::pair<std::string_view, int>, 24> named{{
      {"z", 0},       {"ut", 0},      {"utc", 0},     {"gmt", 0},     {"est", -300},  {"edt", -240},
      {"cst", -360},  {"cdt", -300},  {"mst", -420},  {"mdt", -360},  {"pst", -480},  {"pdt", -420},
      {"bst", 60},    {"wet", 0},     {"west", 60},   {"cet", 60},    {"cest", 120},  {"eet", 120},
      {"eest", 180},  {"msk", 180},   {"jst", 540},   {"aest", 600},  {"mez", 60},    {"mesz", 120},
  }};
  for (const auto& [name, minutes] : named) {
    if (ascii_iequals(z, name)) return minutes;
  }
  return std::nullopt;
}

std::optional<std::int64_t> clock_time(scanner& s, int year, int month, int day);

// Unix milliseconds of midnight UTC of the month's last Sunday.
std::int64_t last_sunday_ms(int year, int month) {
  const int next_year = month == 12 ? year + 1 : year, next_month = month % 12 + 1;
  const std::int64_t last_day = days_from_civil(next_year, static_cast<unsigned>(next_month), 1) - 1;
  const std::int64_t weekday = ((last_day + 4) % 7 + 7) % 7;  // 1970-01-01 was a Thursday; 0 = Sunday
  return (last_day - weekday) * k_day_ms;
}

// UTC of a German wall-clock time (`local`: the time as if it were UTC): Central European Time,
// summer time (+2) from the last Sunday of March to the last of October, 01:00 UTC (the EU's rule
// since 1996; the last Sunday of September from 1981 to 1995; 6 April to 28 September in 1980,
// its first year; none before). An hour the autumn change repeats is taken as the first (summer
// time). As tzdata's Europe/Berlin from 1976 to 2037, checked every 15 minutes (a review).
std::int64_t german_time_ms(std::int64_t local, int year) {
  constexpr std::int64_t hour = 3'600'000;
  if (year >= 1980) {
    const std::int64_t starts = year == 1980 ? *civil_date_ms(1980, 4, 6) + hour : last_sunday_ms(year, 3) + hour;
    const std::int64_t ends = last_sunday_ms(year, year >= 1996 ? 10 : 9) + hour;
    if (local - 2 * hour >= starts && local - 2 * hour < ends) return local - 2 * hour;
  }
  return local - hour;
}

// "[Mon,] 07 Feb 2022 [10:15[:30]] [zone]" and "February 7, 2022 [10:15 zone]".
std::optional<std::int64_t> parse_written(std::string_view text) {
  scanner s(text);
  int day = 0, month = 0, year = 0;
  std::string_view first = s.word();
  if (!first.empty()) {
    month = month_from_name(first);
    if (month == 0) {
      // A weekday: "Mon," then the day, or "Monday, February 7, 2022" (the month).
      if (first.size() < 3) return std::nullopt;
      s.skip_separators();
      scanner after = s;
      if (const int m = month_from_name(after.word())) {
        month = m;
        s = after;
      }
    }
  }
  s.skip_separators();
  if (month == 0) {
    const auto d = s.number(1, 2);
    if (!d) return std::nullopt;
    day = *d;
    s.skip_separators();
    month = month_from_name(s.word());
    if (month == 0) return std::nullopt;
  } else {
    const auto d = s.number(1, 2);
    if (!d) return std::nullopt;
    day = *d;
    // "7th"
    if (is_alpha(s.peek())) {
      const auto suffix = s.word();
      if (!ascii_iequals(suffix, "st") && !ascii_iequals(suffix, "nd") && !ascii_iequals(suffix, "rd") && !ascii_iequals(suffix, "th")) {
        return std::nullopt;
      }
    }
  }
  s.skip_separators();
  const std::string_view before_year = s.rest();
  const auto y = s.number(2, 4);
  if (!y) return std::nullopt;
  const std::size_t year_digits = before_year.size() - s.rest().size();
  if (year_digits == 3) return std::nullopt;
  year = full_year(*y, year_digits);

  return clock_time(s, year, month, day);
}

// The time of day after a date, "[at] 10:15[:30] [p.m.] [Uhr] [zone]" (the Guardian's "14.34
// BST" too), and the zone, from `s`; the date given. Nothing if the rest is not that.
std::optional<std::int64_t> clock_time(scanner& s, int year, int month, int day) {
  int hour = 0, minute = 0, second = 0;
  bool german = false;  // "Uhr": German time unless a zone follows
  s.skip_separators();
  if (scanner at = s; ascii_iequals(at.word(), "at")) {
    s = at;
    s.skip_separators();
  }
  if (!s.done() && is_digit(s.peek())) {
    const auto h = s.number(1, 2);
    if (!h || !(s.take(':') || s.take('.'))) return std::nullopt;
    const auto m = s.number(2, 2);
    if (!m) return std::nullopt;
    hour = *h;
    minute = *m;
    if (s.take(':')) {
      const auto sec = s.number(2, 2);
      if (!sec) return std::nullopt;
      second = *sec;
    }
    // "3:45 PM", "3:45 p.m.": a twelve-hour clock.
    s.skip_separators();
    scanner meridiem = s;
    const std::string_view half = meridiem.word();  // "PM", or "p" of "p.m." (its '.' taken)
    // "a.m." / "A.M." / "p.m" (word() took the '.' after the "a"): the 'm', then maybe a '.'.
    const auto dotted = [&meridiem] {
      if (!meridiem.take('m') && !meridiem.take('M')) return false;
      meridiem.take('.');
      return true;
    };
    const bool am = ascii_iequals(half, "am") || (ascii_iequals(half, "a") && dotted());
    const bool pm = !am && (ascii_iequals(half, "pm") || (ascii_iequals(half, "p") && dotted()));
    if (am || pm) {
      if (hour < 1 || hour > 12) return std::nullopt;
      hour = hour % 12 + (pm ? 12 : 0);
      s = meridiem;
    } else if (ascii_iequals(half, "uhr")) {  // "14:35 Uhr"
      s = meridiem;
      german = true;
    }
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  }
  s.skip_separators();
  const std::string_view zone_text = trim(s.rest());
  const auto zone = zone_minutes(zone_text);
  if (!zone) return std::nullopt;
  const auto midnight = civil_date_ms(year, month, day);
  if (!midnight) return std::nullopt;
  const std::int64_t local = *midnight + (static_cast<std::int64_t>(hour) * 3600 + minute * 60 + second) * 1000;
  if (german && zone_text.empty()) return german_time_ms(local, year);
  return local - static_cast<std::int64_t>(*zone) * 60'000;
}

// Numeric dates as German and other European sites print them, day first: "06.02.2023, 14:35
// Uhr", "6.2.2023 14:35"; with slashes or dashes ("06/02/2023 14:35") only when the order is
// certain (a day above 12), as the US writes the month first. Then a time as parse_written takes.
std::optional<std::int64_t> parse_numeric(std::string_view text) {
  scanner s(text);
  const auto a = s.number(1, 2);
  const char sep = s.peek();
  if (!a || (sep != '.' && sep != '/' && sep != '-') || !s.take(sep)) return std::nullopt;
  const auto b = s.number(1, 2);
  if (!b || !s.take(sep)) return std::nullopt;
  const auto y = s.number(4, 4);
  if (!y) return std::nullopt;
  const bool month_first = sep != '.' && *b > 12;
  if (sep != '.' && (*a > 12) == (*b > 12)) return std::nullopt;  // both could be the month, or neither
  return month_first ? clock_time(s, *y, *a, *b) : clock_time(s, *y, *b, *a);
}

// "2023-10-01 14:34 CEST": an ISO 8601 date and time with a space and a named zone.
std::optional<std::int64_t> parse_iso_with_zone(std::string_view text) {
  scanner s(text);
  const auto y = s.number(4, 4);
  if (!y || !s.take('-')) return std::nullopt;
  const auto m = s.number(2, 2);
  if (!m || !s.take('-')) return std::nullopt;
  const auto d = s.number(2, 2);
  if (!d || s.peek() != ' ') return std::nullopt;
  return clock_time(s, *y, *m, *d);
}

// AP's "2:34 PM EST, October 1, 2023": the time first, then the date.
std::optional<std::int64_t> parse_time_first(std::string_view text) {
  const auto comma = text.find(',');
  if (comma == std::string_view::npos || text.empty() || !is_digit(text.front())) return std::nullopt;
  const std::string_view time = trim(text.substr(0, comma));
  if (time.find(':') == std::string_view::npos) return std::nullopt;
  return parse_written(std::string(trim(text.substr(comma + 1))) + " " + std::string(time));
}

std::optional<std::int64_t> parse_epoch(std::string_view text) {
  if (text.size() != 10 && text.size() != 13) return std::nullopt;
  std::int64_t v = 0;
  for (char c : text) {
    if (!is_digit(c)) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return text.size() == 10 ? v * 1000 : v;
}

bool year_in_range(std::int64_t ms) {
  // 1900-01-01 and 2201-01-01.
  return ms >= -2'208'988'800'000LL && ms < 7'289'654'400'000LL;
}

}  // namespace

int month_from_name(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.size() < 3) return 0;
  constexpr std::array<std::string_view, 12> months{"january", "february", "march",     "april",   "may",      "june",
                                                    "july",    "august",   "september", "october", "november", "december"};
  for (std::size_t i = 0; i < months.size(); ++i) {
    const std::string_view m = months[i];
    if (name.size() > m.size()) continue;
    if (ascii_iequals(name, m.substr(0, name.size())) && (name.size() == 3 || name.size() == m.size() ||
                                                    (i == 8 && name.size() == 4))) {  // "Sept"
      return static_cast<int>(i) + 1;
    }
  }
  return 0;
}

std::optional<std::int64_t> civil_date_ms(int year, int month, int day) {
  if (year < k_min_year || year > k_max_year || month < 1 || month > 12 || day < 1) return std::nullopt;
  constexpr std::array<int, 12> days_in{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day > days_in[static_cast<std::size_t>(month - 1)] || (month == 2 && day == 29 && !leap)) return std::nullopt;
  return days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * k_day_ms;
}

std::optional<std::int64_t> parse_feed_time_ms(std::string_view text) {
  text = trim(text);
  if (text.empty() || text.size() > 64) return std::nullopt;
  std::optional<std::int64_t> ms;
  if (auto epoch = parse_epoch(text)) {
    ms = epoch;
  } else if (auto iso = parse_iso8601_ms(text)) {
    ms = iso;
  } else if (const auto space = text.rfind(' '); space != std::string_view::npos && text.size() - space <= 4 &&
                                                 (ascii_iequals(text.substr(space + 1), "UTC") || ascii_iequals(text.substr(space + 1), "GMT")) &&
                                                 !text.substr(0, space).ends_with('Z')) {
    // "2024-05-02 09:15:00 UTC"
    ms = parse_iso8601_ms(std::string(text.substr(0, space)) + "Z");
    if (!ms) ms = parse_written(text);
    if (!ms) ms = parse_numeric(text);  // "07.02.2022 14:35 UTC"
  } else if (auto written = parse_written(text)) {
    ms = written;
  } else if (auto numeric = parse_numeric(text)) {
    ms = numeric;
  } else if (auto iso_zone = parse_iso_with_zone(text)) {
    ms = iso_zone;
  } else {
    ms = parse_time_first(text);
  }
  if (!ms || !year_in_range(*ms)) return std::nullopt;
  return ms;
}

}  // namespace wirefeed
