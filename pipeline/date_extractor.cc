#include "pipeline/date_extractor.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "pipeline/iso_time.h"
#include "pipeline/language_id.h"
#include "pipeline/month_names.h"
#include "pipeline/number_words.h"
#include "pipeline/word_set.h"

namespace wirefeed {
namespace {

constexpr std::int64_t k_day_ms = 86'400'000;

// 0 = Sunday .. 6 = Saturday.
int weekday_of(std::int64_t days) { return static_cast<int>(days >= -4 ? (days + 4) % 7 : (days + 5) % 7 + 6); }

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr std::array<unsigned, 12> k{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : k[m - 1];
}

std::string iso_day(std::int64_t days) {
  const civil c = civil_from_days(days);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(c.y), c.m, c.d);
  return buf;
}

std::string iso_month(std::int64_t y, unsigned m) {
  char buf[24];
  if (y <= 0) std::snprintf(buf, sizeof buf, "XXXX-%02u", m);
  else std::snprintf(buf, sizeof buf, "%04lld-%02u", static_cast<long long>(y), m);
  return buf;
}

std::string iso_year(std::int64_t y) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04lld", static_cast<long long>(y));
  return buf;
}

std::string iso_month_day(std::int64_t y, unsigned m, unsigned d) {
  if (y > 0) return iso_day(days_from_civil(y, m, d));
  char buf[24];
  std::snprintf(buf, sizeof buf, "XXXX-%02u-%02u", m, d);
  return buf;
}

// Month of a folded token: full names, abbreviations with or without their period ("jan", Reuters
// style) and "sept"; 0 otherwise.
int month_of(std::string_view f) {
  static constexpr std::array<std::string_view, 12> full{"january", "february", "march",    "april",
                                                         "may",     "june",     "july",     "august",
                                                         "september", "october", "november", "december"};
  static constexpr std::array<std::string_view, 12> dotted{"jan.", "feb.", "mar.", "apr.", "may.", "jun.",
                                                           "jul.", "aug.", "sep.", "oct.", "nov.", "dec."};
  for (std::size_t i = 0; i < 12; ++i) {
    if (full[i] == f || dotted[i] == f || dotted[i].substr(0, 3) == f) return static_cast<int>(i + 1);
  }
  if (f == "sept." || f == "sept") return 9;
  return 0;
}

int weekday_named(std::string_view f) {
  static constexpr std::array<std::string_view, 7> names{"sunday",   "monday", "tuesday", "wednesday",
                                                         "thursday", "friday", "saturday"};
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == f) return static_cast<int>(i);
  }
  return -1;
}

const word_set& month_prepositions() {
  static const word_set s{"in",  "since",  "until", "till",    "by",     "early",  "late",  "mid",
                          "of",  "from",   "through", "before", "after", "during", "last",  "next",
                          "this", "between", "to",   "and",     "or",     "throughout", "on", "end"};
  return s;
}

const word_set& year_prepositions() {
  static const word_set s{"in",     "since", "until",  "till",   "by",    "from",  "before", "after",
                          "of",     "the",   "early",  "late",   "mid",   "between", "and", "to",
                          "during", "through", "throughout", "'s", "around", "circa", "year"};
  return s;
}

// "next" is none: "the next night" tells a story in the past as often as it looks ahead.
const word_set& future_cues() {
  static const word_set s{"will",     "'ll",   "would",   "shall",  "wo",       "due",
                          "expected", "scheduled", "plans", "planned", "planning", "plan", "upcoming",
                          "intends",  "going", "hopes",  "aims"};
  return s;
}

// Past forms the "-ed" rule does not see (irregular, or short: "died").
const word_set& past_cues() {
  static const word_set s{"said",   "was",    "were",   "had",   "did",    "met",     "held",    "spoke",
                          "told",   "took",   "gave",   "made",  "came",   "went",    "began",   "saw",
                          "left",   "ago",    "wrote",  "sent",  "found",  "won",     "lost",    "last",
                          "earlier", "died",  "shot",   "bought", "fled",  "struck",  "fell",    "ran",
                          "led",    "paid",   "sold",   "kept",  "felt",   "heard",   "stood",   "caught",
                          "brought", "thought", "fought", "built", "spent", "broke",  "chose",   "stole",
                          "threw",  "grew",   "knew",   "drew",  "flew",   "rode",    "drove",
                          "slew",   "sank",   "sat",    "arrived", "became"};
  return s;
}

enum class tense { none, past, future };

tense tense_near(const extract_context& c, std::uint32_t at) {
  const token_range s = c.sentence(c.sentence_of(at));
  const auto cue = [&](std::uint32_t j) {
    const std::string_view f = c.folded(j);
    if (future_cues().contains(f)) return tense::future;
    // "is set to", "set for": ahead; "set out": none.
    if (f == "set" && j + 1 < s.end && (c.folded(j + 1) == "to" || c.folded(j + 1) == "for")) return tense::future;
    const bool past = past_cues().contains(f) || (c.is_word(j) && f.size() > 4 && f.ends_with("ed"));
    // A name's word in the middle of a sentence is no verb ("The Fed meets Wednesday").
    if (!past || (j > s.begin && c.capitalized(j))) return tense::none;
    if (j == s.begin || c.folded(j - 1) != "be") return tense::past;
    // A passive after "to be" or "will be" looks ahead ("is to be voted", "will be paid"); after
    // another "be" it tells nothing ("could not be reached").
    const std::string_view before = j - 1 > s.begin ? c.folded(j - 2) : std::string_view();
    return before == "to" || before == "will" || before == "'ll" || before == "shall" ? tense::future : tense::none;
  };
  for (std::uint32_t j = at; j > s.begin && at - j < 12;) {
    --j;
    if (const tense t = cue(j); t != tense::none) return t;
  }
  // After the weekday only when it opens the sentence: "On Monday, Macron met Putin" (later
  // verbs may belong to another clause: "Macron, who travels on Tuesday, spoke with Biden").
  if (at - s.begin > 2) return tense::none;
  for (std::uint32_t j = at + 1; j < s.end && j - at < 6; ++j) {
    if (const tense t = cue(j); t != tense::none) return t;
  }
  return tense::none;
}

std::optional<int> day_number(std::string_view f) {
  const bool plain = f.find('.') == std::string_view::npos && f.find(',') == std::string_view::npos;
  if (const auto v = number_words::parse_digits(f); plain && v && *v >= 1 && *v <= 31 && *v == static_cast<int>(*v)) {
    return static_cast<int>(*v);
  }
  if (const auto o = number_words::parse_ordinal(f); o && *o >= 1 && *o <= 31) return *o;
  return std::nullopt;
}

std::optional<int> year_number(std::string_view f) {
  if (f.size() != 4) return std::nullopt;
  int y = 0;
  for (const char ch : f) {
    if (ch < '0' || ch > '9') return std::nullopt;
    y = y * 10 + (ch - '0');
  }
  if (y < 1900 || y > 2100) return std::nullopt;
  return y;
}

// "2022-02-08" as one token.
std::optional<civil> iso_date_token(std::string_view f) {
  if (f.size() != 10 || f[4] != '-' || f[7] != '-') return std::nullopt;
  const auto y = year_number(f.substr(0, 4));
  const auto m = number_words::parse_digits(f.substr(5, 2));
  const auto d = number_words::parse_digits(f.substr(8, 2));
  if (!y || !m || !d || *m < 1 || *m > 12 || *d < 1) return std::nullopt;
  if (*d > days_in_month(*y, static_cast<unsigned>(*m))) return std::nullopt;
  return civil{*y, static_cast<unsigned>(*m), static_cast<unsigned>(*d)};
}

// Whether the article's language writes a numeric date month first (US English: "2/7/2022" is
// February 7): English without a region or with US; everywhere else the day comes first.
bool month_first(std::string_view language) {
  if (language != "en" && !language.starts_with("en-")) return false;
  return language == "en" || language.substr(3).starts_with("US");
}

// "07/02/2022", "7.2.2022", "07-02-2022" as one token (the tokenizer keeps digits joined by '/',
// '.' or '-' together): day and month in the order the token makes certain (a part above 12 is
// the day; dots put the day first), else in English the reading within 60 days of the
// publication date when only one is, else the language's order (month_first). Four-digit years
// only ("3/4/22" may be anything).
std::optional<civil> numeric_date_token(std::string_view f, std::string_view language,
                                        std::optional<std::int64_t> pub_days) {
  if (f.size() < 8 || f.size() > 10) return std::nullopt;
  const char sep = f[f.size() - 5];
  if (sep != '/' && sep != '.' && sep != '-') return std::nullopt;
  const auto y = year_number(f.substr(f.size() - 4));
  const std::string_view rest = f.substr(0, f.size() - 5);
  const std::size_t mid = rest.find(sep);
  if (!y || mid == std::string_view::npos || mid == 0 || mid > 2 || rest.size() - mid - 1 < 1 ||
      rest.size() - mid - 1 > 2) {
    return std::nullopt;
  }
  const auto a = number_words::parse_digits(rest.substr(0, mid));
  const auto b = number_words::parse_digits(rest.substr(mid + 1));
  if (!a || !b) return std::nullopt;
  const auto valid = [&](double m, double d) {
    return m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(*y, static_cast<unsigned>(m));
  };
  const bool day_month = valid(*b, *a), month_day = valid(*a, *b);
  const auto as = [&](double m, double d) { return civil{*y, static_cast<unsigned>(m), static_cast<unsigned>(d)}; };
  if (!day_month && !month_day) return std::nullopt;
  if (day_month != month_day) return day_month ? as(*b, *a) : as(*a, *b);
  if (*a == *b || sep == '.') return as(*b, *a);
  // English writes both orders (US and British wires); every other language the day first.
  if (pub_days && english_or_unknown(language)) {
    const auto near = [&](const civil& c) { return std::llabs(days_from_civil(c.y, c.m, c.d) - *pub_days) <= 60; };
    const bool dm = near(as(*b, *a)), md = near(as(*a, *b));
    if (dm != md) return dm ? as(*b, *a) : as(*a, *b);
  }
  return month_first(language) ? as(*a, *b) : as(*b, *a);
}

struct found {
  token_range tokens;
  std::string value;
  bool relative = false;
  bool day_grain = false;  // a single day (a time in the same sentence may use it)
};

class scanner {
 public:
  scanner(const extract_context& c, std::optional<std::int64_t> published_ms)
      : c_(c), english_(english_or_unknown(c.doc().language)) {
    if (published_ms) {
      std::int64_t ms = *published_ms;
      pub_days_ = ms >= 0 ? ms / k_day_ms : -((-ms + k_day_ms - 1) / k_day_ms);
      pub_ = civil_from_days(*pub_days_);
    }
  }

  std::vector<found> run() {
    std::vector<found> out;
    const std::uint32_t n = c_.size();
    for (std::uint32_t i = 0; i < n;) {
      found f;
      if (match(i, f)) {
        i = f.tokens.end;
        out.push_back(std::move(f));
      } else {
        ++i;
      }
    }
    return out;
  }

  // Times: "10:15", "10:15 a.m.", "9 p.m.", on the day named in the same sentence.
  void add_times(std::vector<found>& dates, const std::vector<bool>& taken) const {
    if (!english_) return;  // "10h15", "à 10 heures": not read
    std::vector<found> times;
    for (std::uint32_t i = 0; i < c_.size(); ++i) {
      if (taken[i] || !c_.is_number(i)) continue;
      const std::string_view f = c_.folded(i);
      // The minutes of a spaced time ("8: 12 PM") whose hour was no time: no hour of their own.
      if (i >= 2 && is(i - 1, ":") && same(i - 2, i) && c_.is_number(i - 2)) continue;
      int hour = -1, minute = 0;
      std::uint32_t end = i + 1;
      const auto colon = f.find(':');
      const auto two_digits = [](std::string_view x) { return x.size() == 2 && x.find_first_not_of("0123456789") == x.npos; };
      if (colon != std::string_view::npos && colon > 0 && colon <= 2 && f.size() == colon + 3) {
        const auto h = number_words::parse_digits(f.substr(0, colon));
        const auto m = number_words::parse_digits(f.substr(colon + 1));
        if (!h || !m || *h > 23 || *m > 59) continue;
        hour = static_cast<int>(*h);
        minute = static_cast<int>(*m);
      } else if (is(i + 1, ":") && same(i, i + 2) && f.size() <= 2 && two_digits(c_.folded(i + 2))) {
        // Spaced out, as some sites print times: "8: 12 PM".
        const auto h = number_words::parse_digits(f);
        const auto m = number_words::parse_digits(c_.folded(i + 2));
        if (!h || !m || *h > 23 || *m > 59) continue;
        hour = static_cast<int>(*h);
        minute = static_cast<int>(*m);
        end = i + 3;
      } else {
        const auto h = number_words::parse_digits(f);
        if (!h || *h < 1 || *h > 12 || *h != static_cast<int>(*h)) continue;
        hour = static_cast<int>(*h);
      }
      const auto meridiem = meridiem_at(i, end);
      if (meridiem) {
        if (hour > 12 || hour == 0) continue;
        hour = hour % 12 + (meridiem->pm ? 12 : 0);
        end = meridiem->end;
      } else if (end != i + 1 || colon == std::string_view::npos) {
        continue;  // a number alone, or spaced out without its "a.m." ("John 3: 16")
      } else if (game_clock(end)) {
        continue;
      }
      char hm[16];
      std::snprintf(hm, sizeof hm, "T%02d:%02d", hour, minute);
      found t;
      t.tokens = {i, end};
      const found* day = nullptr;
      for (const found& d : dates) {
        if (d.day_grain && c_.sentence_of(d.tokens.begin) == c_.sentence_of(i)) day = &d;
      }
      if (day != nullptr) {
        t.value = day->value + hm;
        t.relative = day->relative;
      } else if (pub_days_) {
        t.value = iso_day(*pub_days_) + hm;
        t.relative = true;
      } else {
        t.value = hm;
        t.relative = true;
      }
      times.push_back(std::move(t));
      i = end - 1;
    }
    dates.insert(dates.end(), times.begin(), times.end());
  }

 private:
  // "a.m.", "pm", also spaced out, "a. m.", at token `at` after a time starting at token i.
  struct meridiem {
    bool pm;
    std::uint32_t end;
  };
  std::optional<meridiem> meridiem_at(std::uint32_t i, std::uint32_t at) const {
    if (!same(i, at)) return std::nullopt;
    const std::string_view f = c_.folded(at);
    if (f == "a.m." || f == "p.m." || f == "am" || f == "pm") return meridiem{f.front() == 'p', at + 1};
    if (f != "a" && f != "p" && f != "a." && f != "p.") return std::nullopt;
    const std::uint32_t m = f.size() == 1 && is(at + 1, ".") ? at + 2 : at + 1;
    if (!same(i, m) || !(is(m, "m") || is(m, "m."))) return std::nullopt;
    return meridiem{f.front() == 'p', is(m, "m") && same(i, m + 1) && is(m + 1, ".") ? m + 2 : m + 1};
  }

  // A game's clock, not a time of day: "the 2:15 mark", "with 7:42 left", "with 1:10 to play" (the
  // time at token `after` - 1; "woke at 6:30 to go to work" is a time).
  bool game_clock(std::uint32_t after) const {
    if (after >= c_.size() || !same(after - 1, after)) return false;
    const std::string_view w = c_.folded(after);
    if (w == "mark" || w == "into") return true;
    const bool with = after >= 2 && same(after - 2, after) && (is(after - 2, "with") || is(after - 2, "the"));
    if (w == "left" || w == "remaining" || w == "elapsed") return with;
    return with && w == "to" && same(after, after + 1) && (is(after + 1, "play") || is(after + 1, "go"));
  }

  bool same(std::uint32_t i, std::uint32_t j) const {
    return j < c_.size() && c_.sentence_of(i) == c_.sentence_of(j);
  }
  bool is(std::uint32_t i, std::string_view f) const { return i < c_.size() && c_.folded(i) == f; }

  // The year that puts month/day nearest the publication date; 0 when there is none.
  std::int64_t nearest_year(unsigned m, unsigned d) const {
    if (!pub_days_) return 0;
    std::int64_t best = pub_.y;
    std::int64_t best_distance = -1;
    for (std::int64_t y = pub_.y - 1; y <= pub_.y + 1; ++y) {
      const unsigned day = d == 0 ? 15 : std::min(d, days_in_month(y, m));
      const std::int64_t distance = std::llabs(days_from_civil(y, m, day) - *pub_days_);
      if (best_distance < 0 || distance < best_distance) {
        best_distance = distance;
        best = y;
      }
    }
    return best;
  }

  bool month_token(std::uint32_t i) const {
    const int m = month_of(c_.folded(i));
    if (m == 0 || !c_.capitalized(i)) return false;
    const std::string_view w = c_.folded(i);
    if (w.back() == '.') return true;
    // "Jan", "Mar", "Dec" without a period are also names and words: only with a day or a year.
    // "May" and "March" also are a verb: only with a day (a range too), a year or a preposition.
    const bool bare = w.size() == 3 && m != 5;
    if (!bare && m != 3 && m != 5) return true;
    if (same(i, i + 1)) {
      const std::string_view next = c_.folded(i + 1);
      if (day_number(next) || year_number(next)) return true;
      if (const auto range = number_words::parse_digit_range(next); range && range->first >= 1 && range->second <= 31) {
        return true;
      }
    }
    if (i > 0 && same(i - 1, i) && day_number(c_.folded(i - 1))) return true;  // "5 Jan", "on 1 May"
    return !bare && i > 0 && same(i - 1, i) && month_prepositions().contains(c_.folded(i - 1));
  }

  // Words that can start a date expression (besides numbers and "mid-February"-like compounds).
  static const word_set& starters() {
    static const word_set s{
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "jan.", "feb.", "mar.", "apr.", "may.", "jun.", "jul.", "aug.", "sep.", "sept.",
        "sept", "oct.", "nov.", "dec.", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "oct", "nov",
        "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
        "sunday", "today", "yesterday", "tomorrow", "tonight", "this", "next", "last", "past", "coming", "the",
        "over", "a", "an", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
        "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "one", "dozen", "hundred"};
    return s;
  }

  bool match(std::uint32_t i, found& f) {
    const std::string_view w = c_.folded(i);
    if (!english_) {
      if (!has_foreign_months(c_.doc().language)) return c_.is_number(i) && match_numeric(i, f);
      return c_.is_number(i) ? match_numeric(i, f) || match_day_first(i, f)
                             : (w == "1er" || w == "1re" || w == "1\xC2\xBA") && match_day_first(i, f);  // "1er mars", "1º de maio"
    }
    if (const auto d = decade(i)) {
      f = std::move(*d);
      return true;
    }
    // "6th June": an ordinal in digits reads as a day.
    if (c_.is_number(i) || (!w.empty() && w[0] >= '0' && w[0] <= '9' && number_words::parse_ordinal(w))) {
      return match_number(i, f);
    }
    if (!c_.is_word(i)) return false;
    if (!starters().contains(w) && w.find('-') == std::string_view::npos) return false;  // most words
    if (month_token(i)) return match_month(i, i, f);
    // "mid-February", "early-March", "late-2021"
    for (const std::string_view prefix : {"mid-", "early-", "late-"}) {
      if (!w.starts_with(prefix)) continue;
      const std::string_view rest = w.substr(prefix.size());
      if (const int m = month_of(rest)) {
        const bool with_year = same(i, i + 1) && year_number(c_.folded(i + 1));
        const std::int64_t y = with_year ? *year_number(c_.folded(i + 1)) : nearest_year(static_cast<unsigned>(m), 0);
        f = {{i, with_year ? i + 2 : i + 1}, iso_month(y, static_cast<unsigned>(m)), false, false};
        return true;
      }
      if (const auto y = year_number(rest)) {
        f = {{i, i + 1}, iso_year(*y), false, false};
        return true;
      }
    }
    if (const int wd = weekday_named(w); wd >= 0 && c_.capitalized(i) && !names_a_day(i)) return match_weekday(i, wd, f);
    if (w == "today" || w == "yesterday" || w == "tomorrow" || w == "tonight") {
      const int offset = w == "yesterday" ? -1 : w == "tomorrow" ? 1 : 0;
      f = {{i, i + 1}, pub_days_ ? iso_day(*pub_days_ + offset) : std::string(), true, true};
      return true;
    }
    if (w == "this" || w == "next" || w == "last" || w == "past" || w == "coming") return match_relative_period(i, f);
    if ((w == "the" || w == "over") && same(i, i + 1)) {
      if (w == "over" && is(i + 1, "the") && same(i, i + 2) && is(i + 2, "weekend")) {
        f = {{i + 1, i + 3}, weekend(0, i), true, false};
        return true;
      }
      if (w == "the" && is(i + 1, "weekend")) {
        f = {{i, i + 2}, weekend(0, i), true, false};
        return true;
      }
      // "the past year", "over the last month": the days up to the publication date.
      if (w == "the" && (is(i + 1, "past") || is(i + 1, "last")) && match_relative_period(i + 1, f, true)) {
        f.tokens.begin = i;
        return true;
      }
    }
    if (w == "a" || w == "an") return match_ago(i, 1.0, f);
    if (const auto n = number_words::parse_word(w)) return match_ago(i, *n, f);
    return false;
  }

  // A decade, as its ten years: "the 1950s", "the 1980's", "the mid-1960s", "the late '90s" (two
  // digits only with an apostrophe: "highs in the mid 70s" are temperatures, "in his late 50s" an
  // age).
  std::optional<found> decade(std::uint32_t i) const {
    std::string_view w = c_.folded(i);
    for (const std::string_view prefix : {"mid-", "early-", "late-"}) {
      if (w.starts_with(prefix)) w.remove_prefix(prefix.size());
    }
    std::uint32_t begin = i, end = i + 1;
    bool apostrophe = false;
    for (const std::string_view mark : {"'", "\xE2\x80\x99"}) {
      if (w.starts_with(mark)) {
        w.remove_prefix(mark.size());
        apostrophe = true;
      }
    }
    // The apostrophe as a token of its own, right before.
    const auto& tokens = c_.doc().tokens;
    if (!apostrophe && i > 0 && same(i - 1, i) && (c_.is(i - 1, "'") || c_.is(i - 1, "\xE2\x80\x99")) &&
        tokens[i - 1].folded.end == tokens[i].folded.begin) {
      apostrophe = true;
      begin = i - 1;
    }
    if (w.ends_with("'s")) {
      w.remove_suffix(2);
    } else if (w.ends_with("\xE2\x80\x99s")) {
      w.remove_suffix(4);
    } else if (w.ends_with("s")) {
      w.remove_suffix(1);
    } else if (same(i, i + 1) && (c_.is(i + 1, "'s") || c_.is(i + 1, "\xE2\x80\x99s"))) {
      end = i + 2;
    } else {
      return std::nullopt;
    }
    if (w.empty() || w.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
    std::int64_t first = 0;
    if (const auto y = year_number(w); y && *y % 10 == 0) {
      first = *y;
    } else if (w.size() == 2 && w[1] == '0') {
      const int d = (w[0] - '0') * 10;
      if (!apostrophe || (d != 0 && d < 20)) return std::nullopt;
      first = d == 0 ? 2000 : 1900 + d;
    } else {
      return std::nullopt;
    }
    return found{{begin, end}, iso_year(first) + "/" + iso_year(first + 9), false, false};
  }

  // "2022-02-07", "07/02/2022" as one token.
  bool match_numeric(std::uint32_t i, found& f) const {
    const std::string_view w = c_.folded(i);
    auto date = iso_date_token(w);
    if (!date) date = numeric_date_token(w, c_.doc().language, pub_days_);
    if (!date) return false;
    f = {{i, i + 1}, iso_day(days_from_civil(date->y, date->m, date->d)), false, true};
    return true;
  }

  // The day first in another language (month_names.h): "7 février 2022", "1er mars", "7. Februar
  // 2022", "7 de febrero de 2022", "1º de maio"; without a year, the one nearest the publication date.
  bool match_day_first(std::uint32_t i, found& f) const {
    std::string_view w = c_.folded(i);
    if (w == "1er" || w == "1re") w = "1";
    if (w.ends_with("\xC2\xBA")) w.remove_suffix(2);  // "1º de maio", "1º de mayo"
    const auto d = number_words::parse_digits(w);
    if (!d || *d < 1 || *d > 31 || *d != static_cast<int>(*d) || w.size() > 2) return false;
    std::uint32_t j = i + 1;
    if (is(j, ".") && same(i, j)) ++j;  // "7. Februar"
    if ((is(j, "\xC2\xBA") || is(j, "\xC2\xB0")) && same(i, j)) ++j;  // "1.º de Maio", "1° de mayo"
    if (is(j, "de") && same(i, j)) ++j;  // "7 de febrero"
    if (!same(i, j) || !c_.is_word(j)) return false;
    const std::string_view language = c_.doc().language;
    const int month = foreign_month(c_.folded(j), false, language);
    if (month == 0) return false;
    // A month cut short is also a word ("vinto in 3 set", "a 5 mar"): with a year only.
    const bool whole = foreign_month(c_.folded(j), true, language) != 0;
    const auto m = static_cast<unsigned>(month), day = static_cast<unsigned>(*d);
    if (day > days_in_month(2000, m)) return false;
    std::uint32_t end = j + 1;
    std::uint32_t y_at = end;
    if (is(y_at, ".") && same(i, y_at)) ++y_at;  // "févr. 2022" as two tokens
    if (is(y_at, "de") && same(i, y_at)) ++y_at;  // "de 2022"
    std::int64_t y = 0;
    if (same(i, y_at) && year_number(c_.folded(y_at))) {
      y = *year_number(c_.folded(y_at));
      end = y_at + 1;
    } else {
      if (!whole) return false;
      y = nearest_year(m, day);
    }
    if (y > 0 && day > days_in_month(y, m)) return false;
    f = {{i, end}, iso_month_day(y, m, day), false, y > 0};
    return true;
  }

  bool match_number(std::uint32_t i, found& f) {
    const std::string_view w = c_.folded(i);
    if (match_numeric(i, f)) return true;
    // "7 February 2022", and a range of days, "15-16 June"
    std::optional<std::pair<unsigned, unsigned>> days;
    if (const auto d = day_number(w)) {
      days = std::pair{static_cast<unsigned>(*d), static_cast<unsigned>(*d)};
    } else if (const auto r = number_words::parse_digit_range(w);
               r && r->first >= 1 && r->second <= 31 && r->first < r->second && r->first == static_cast<int>(r->first) &&
               r->second == static_cast<int>(r->second)) {
      days = std::pair{static_cast<unsigned>(r->first), static_cast<unsigned>(r->second)};
    }
    // The month after it, or after "of" ("the 18th of September").
    const std::uint32_t month_at = is(i + 1, "of") && same(i, i + 2) && month_token(i + 2) ? i + 2 : i + 1;
    if (days && same(i, month_at) && month_token(month_at)) {
      const auto [lo, hi] = *days;
      const auto m = static_cast<unsigned>(month_of(c_.folded(month_at)));
      if (hi > days_in_month(2000, m)) return false;
      std::uint32_t end = month_at + 1;
      std::int64_t y = 0;
      if (same(i, end) && year_number(c_.folded(end))) {
        y = *year_number(c_.folded(end));
        ++end;
      } else {
        y = nearest_year(m, lo);
      }
      if (y > 0 && hi > days_in_month(y, m)) return false;
      std::string value = iso_month_day(y, m, lo);
      if (hi != lo) value += "/" + iso_month_day(y, m, hi);
      f = {{i, end}, std::move(value), false, y > 0 && hi == lo};
      return true;
    }
    if (match_ago(i, number_words::parse_digits(w).value_or(-1), f)) return true;
    // A year: "in 2015", "the 2015 deal", "2014."
    if (const auto y = year_number(w)) {
      const bool after_word = i > 0 && same(i - 1, i) && year_prepositions().contains(c_.folded(i - 1));
      const bool before_punct = !same(i, i + 1) || (c_.is_punct(i + 1) && !c_.is(i + 1, "%"));
      const bool money = i > 0 && same(i - 1, i) && c_.is_punct(i - 1) && !c_.is(i - 1, ",") && !c_.is(i - 1, "(");
      if ((after_word || before_punct) && !money) {
        f = {{i, i + 1}, iso_year(*y), false, false};
        // "from 1974 to 1978", "between 1991 and 1998"
        const std::string_view before = after_word ? c_.folded(i - 1) : std::string_view();
        const std::string_view joint = same(i, i + 2) ? c_.folded(i + 1) : std::string_view();
        if ((before == "from" || before == "between") &&
            (joint == "to" || joint == "and" || joint == "through" || joint == "until")) {
          if (const auto to = year_number(c_.folded(i + 2)); to && *to > *y) {
            f = {{i, i + 3}, iso_year(*y) + "/" + iso_year(*to), false, false};
          }
        }
        return true;
      }
    }
    return false;
  }

  bool match_month(std::uint32_t start, std::uint32_t i, found& f) {
    const auto m = static_cast<unsigned>(month_of(c_.folded(i)));
    std::uint32_t j = i + 1;
    if (same(i, j)) {
      const std::string_view next = c_.folded(j);
      std::optional<std::pair<double, double>> range = number_words::parse_digit_range(next);
      const std::optional<int> d = day_number(next);
      if (range && (range->first < 1 || range->second > 31 || range->first != static_cast<int>(range->first) ||
                    range->second != static_cast<int>(range->second))) {
        range.reset();
      }
      if (d || range) {
        const unsigned lo = d ? static_cast<unsigned>(*d) : static_cast<unsigned>(range->first);
        const unsigned hi = d ? lo : static_cast<unsigned>(range->second);
        std::uint32_t end = j + 1;
        std::int64_t y = 0;
        if (same(i, end) && c_.is(end, ",") && same(i, end + 1) && year_number(c_.folded(end + 1))) {
          y = *year_number(c_.folded(end + 1));
          end += 2;
        } else if (same(i, end) && year_number(c_.folded(end))) {
          y = *year_number(c_.folded(end));
          end += 1;
        } else {
          y = nearest_year(m, lo);
        }
        const unsigned max_day = days_in_month(y > 0 ? y : 2000, m);
        if (hi > max_day) return false;
        std::string value = iso_month_day(y, m, lo);
        if (hi != lo) value += "/" + iso_month_day(y, m, hi);
        f = {{start, end}, std::move(value), false, y > 0 && hi == lo};
        return true;
      }
      if (const auto y = year_number(next)) {
        f = {{start, j + 1}, iso_month(*y, m), false, false};
        return true;
      }
      // "February, 2003", "January of 1955" (not "By March, 2021 had become ...": a clause's subject)
      static const word_set verbs{"had", "has", "have", "was", "were", "is", "are", "saw", "became", "will", "would", "brought"};
      if ((next == "," || next == "of") && same(i, j + 1) && !(next == "," && same(i, j + 2) && verbs.contains(c_.folded(j + 2)))) {
        if (const auto y = year_number(c_.folded(j + 1))) {
          f = {{start, j + 2}, iso_month(*y, m), false, false};
          return true;
        }
      }
    }
    f = {{start, i + 1}, iso_month(nearest_year(m, 0), m), false, false};
    return true;
  }

  // Whether a verb of putting off comes before token `i` in its sentence.
  bool puts_off(std::uint32_t i) const {
    for (std::uint32_t j = c_.sentence(c_.sentence_of(i)).begin; j < i; ++j) {
      const std::string_view w = c_.folded(j);
      for (const std::string_view stem : {"postpon", "adjourn", "delay", "defer", "recess", "extend", "suspend"}) {
        if (w.starts_with(stem)) return true;
      }
    }
    return false;
  }

  // The weekday of a name that is no day of the week around it: "Patch Tuesday", "Fox News Sunday",
  // "Bloody Sunday" ("Easter Sunday", "Black Friday", "NBC News Sunday" are days).
  bool names_a_day(std::uint32_t i) const {
    if (i == 0 || !same(i - 1, i) || !c_.capitalized(i - 1)) return false;
    const std::string_view before = c_.folded(i - 1);
    return before == "patch" || before == "bloody" || (before == "news" && i >= 2 && is(i - 2, "fox"));
  }

  bool match_weekday(std::uint32_t i, int wd, found& f) {
    std::uint32_t start = i;
    int mode = 0;  // -2 last, +2 next, 0 by tense, 3 ahead ("until Friday")
    if (i > 0 && same(i - 1, i)) {
      const std::string_view before = c_.folded(i - 1);
      if (before == "last" || before == "past") mode = -2;
      else if (before == "next" || before == "coming") mode = 2;
      else if (before == "this") mode = 1;
      if (mode != 0) start = i - 1;
      if (before == "until" || before == "till") mode = 3;
    }
    // A date after it is the day it names: "Saturday, Jan. 15", "Tuesday, Oct. 10, 1972",
    // "Saturday 8 June 2013", "until Friday, Feb. 11".
    {
      const std::uint32_t j = same(i, i + 1) && c_.is(i + 1, ",") ? i + 2 : i + 1;
      found day;
      if (same(i, j) && ((month_token(j) && match_month(i, j, day)) || (c_.is_number(j) && match_number(j, day))) &&
          day.day_grain) {
        day.tokens.begin = start;
        f = std::move(day);
        return true;
      }
    }
    if (!pub_days_) {
      f = {{start, i + 1}, std::string(), true, true};
      return true;
    }
    const int today = weekday_of(*pub_days_);
    const int ahead = (wd - today + 7) % 7;  // 0..6
    const int behind = (today - wd + 7) % 7;
    int offset = 0;
    if (mode == -2) {
      offset = -(behind == 0 ? 7 : behind);
    } else if (mode == 2) {
      offset = ahead == 0 ? 7 : ahead;
    } else {
      tense t = mode == 1 ? tense::none : tense_near(c_, i);
      // "until Friday": ahead after a verb of putting off ("postponed the hearing until Friday"),
      // else by the tense ("remained in hiding until Friday, when police found him").
      if (mode == 3 && (t == tense::none || puts_off(i))) t = tense::future;
      if (t == tense::future) offset = ahead;
      else if (t == tense::past) offset = -behind;
      else offset = ahead <= 3 ? ahead : -behind;
    }
    f = {{start, i + 1}, iso_day(*pub_days_ + offset), true, true};
    return true;
  }

  // The weekend: `which` -1 = last weekend, +1 = next weekend, 0 = "this/the weekend" named at
  // token `at`: by the tense around it (the one under way counts either way), else the one just
  // past from Monday to Wednesday and the coming one from Thursday.
  std::string weekend(int which, std::uint32_t at) const {
    if (!pub_days_) return {};
    const int wd = weekday_of(*pub_days_);  // 0 Sunday .. 6 Saturday
    std::int64_t saturday = 0;
    if (which == 0) {
      const tense t = tense_near(c_, at);
      if (wd == 0) saturday = *pub_days_ - 1;
      else if (t == tense::past || (t == tense::none && wd <= 3)) saturday = *pub_days_ - (wd + 1) % 7;
      else saturday = *pub_days_ + (6 - wd);
    } else if (which < 0) {
      int back = (wd + 1) % 7;
      if (back == 0) back = 7;
      if (wd == 0) back = 8;
      saturday = *pub_days_ - back;
    } else {
      saturday = *pub_days_ + (wd == 0 ? 6 : wd == 6 ? 7 : 6 - wd);
    }
    return iso_day(saturday) + "/" + iso_day(saturday + 1);
  }

  // "last week", "next month", "this year" at token i; `rolling` for "the past/last year", the days
  // up to the publication date ("past" alone is always so).
  bool match_relative_period(std::uint32_t i, found& f, bool rolling = false) {
    if (!same(i, i + 1)) return false;
    const std::string_view w = c_.folded(i);
    const std::string_view unit = c_.folded(i + 1);
    // "the last year of his term", "the last week of March", "the last year before the war",
    // "the last year that the plant made a profit": a final one, no date known.
    if (w == "last" && i > 0 && is(i - 1, "the") && same(i, i + 2) &&
        (is(i + 2, "of") || is(i + 2, "before") || is(i + 2, "that") || is(i + 2, "when") || is(i + 2, "until") ||
         is(i + 2, "ahead"))) {
      return false;
    }
    const int dir = w == "next" || w == "coming" ? 1 : (w == "last" || w == "past") ? -1 : 0;
    if (unit == "weekend") {
      f = {{i, i + 2}, weekend(dir, i), true, false};
      return true;
    }
    // "last October": the one before the publication's month; "next March" the one after it.
    if (const int month = month_of(unit); month > 0 && w != "past" && month_token(i + 1)) {
      const auto m = static_cast<unsigned>(month);
      const std::int64_t y = !pub_days_ ? 0
                             : dir < 0  ? (m < pub_.m ? pub_.y : pub_.y - 1)
                             : dir > 0  ? (m > pub_.m ? pub_.y : pub_.y + 1)
                                        : pub_.y;
      // "last October 12": the day in that month.
      const std::optional<int> d = same(i, i + 2) ? day_number(c_.folded(i + 2)) : std::nullopt;
      if (d && static_cast<unsigned>(*d) <= days_in_month(y > 0 ? y : 2000, m)) {
        f = {{i, i + 3}, pub_days_ ? iso_month_day(y, m, static_cast<unsigned>(*d)) : std::string(), true, true};
        return true;
      }
      f = {{i, i + 2}, pub_days_ ? iso_month(y, m) : std::string(), true, false};
      return true;
    }
    if (unit != "week" && unit != "month" && unit != "year") return false;
    f.tokens = {i, i + 2};
    f.relative = true;
    if (!pub_days_) return true;
    if (rolling || w == "past") {  // the days up to the publication date: "the past week", "the past year"
      const int days = unit == "week" ? 7 : unit == "month" ? 31 : 365;
      f.value = iso_day(*pub_days_ - days) + "/" + iso_day(*pub_days_ - 1);
    } else if (unit == "week") {
      const std::int64_t monday = *pub_days_ - (weekday_of(*pub_days_) + 6) % 7 + 7 * dir;
      f.value = iso_day(monday) + "/" + iso_day(monday + 6);
    } else if (unit == "month") {
      std::int64_t y = pub_.y;
      int m = static_cast<int>(pub_.m) + dir;
      if (m < 1) m += 12, --y;
      if (m > 12) m -= 12, ++y;
      f.value = iso_month(y, static_cast<unsigned>(m));
    } else {
      f.value = iso_year(pub_.y + dir);
    }
    return true;
  }

  // "two months ago", "5 days ago", "a year ago" starting at token i, with `count` read there.
  bool match_ago(std::uint32_t i, double count, found& f) {
    if (count <= 0 || count > 1000 || count != static_cast<int>(count) || !same(i, i + 2) || !is(i + 2, "ago")) {
      return false;
    }
    const std::string_view unit = c_.folded(i + 1);
    const auto n = static_cast<std::int64_t>(count);
    f.tokens = {i, i + 3};
    f.relative = true;
    if (unit == "day" || unit == "days") {
      f.day_grain = true;
      if (pub_days_) f.value = iso_day(*pub_days_ - n);
    } else if (unit == "week" || unit == "weeks") {
      if (pub_days_) f.value = iso_day(*pub_days_ - 7 * n);
    } else if (unit == "month" || unit == "months") {
      if (pub_days_) {
        const std::int64_t months = pub_.y * 12 + (pub_.m - 1) - n;
        f.value = iso_month(months / 12, static_cast<unsigned>(months % 12) + 1);
      }
    } else if (unit == "year" || unit == "years") {
      if (pub_days_) f.value = iso_year(pub_.y - n);
    } else {
      return false;
    }
    return true;
  }

  const extract_context& c_;
  bool english_;  // else only numeric dates and the day-first forms of other languages
  std::optional<std::int64_t> pub_days_;
  civil pub_;
};

}  // namespace

std::vector<date_mention> date_extractor::find(extract_context& c) const {
  scanner s(c, c.doc().published_ms);
  std::vector<found> found_dates = s.run();
  for (const found& f : found_dates) {
    for (std::uint32_t i = f.tokens.begin; i < f.tokens.end; ++i) c.in_date[i] = true;
  }
  s.add_times(found_dates, c.in_date);
  std::vector<date_mention> out;
  out.reserve(found_dates.size());
  for (const found& f : found_dates) {
    for (std::uint32_t i = f.tokens.begin; i < f.tokens.end; ++i) c.in_date[i] = true;
    out.push_back({c.span(f.tokens), f.value, f.relative});
  }
  std::sort(out.begin(), out.end(),
            [](const date_mention& a, const date_mention& b) { return a.text.begin < b.text.begin; });
  return out;
}

}  // namespace wirefeed
