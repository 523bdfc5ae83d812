#include "pipeline/dateline.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include "pipeline/feed_time.h"
#include "pipeline/month_names.h"
#include "pipeline/text_fold.h"
#include "pipeline/utf8_cursor.h"

namespace wirefeed {
namespace {

constexpr std::size_t k_max_place_bytes = 60;
constexpr std::size_t k_max_stamp_bytes = 40;

struct word {
  std::size_t begin = 0;
  std::size_t end = 0;
  bool all_caps = false;   // every letter upper case, at least two letters or one letter + '.'
  bool title = false;      // first letter upper case
};

// The word at `pos`: letters plus the inner punctuation place names use (. ' ’ -).
std::optional<word> read_word(std::string_view s, std::size_t pos) {
  word w;
  w.begin = pos;
  std::size_t i = pos;
  std::size_t letters = 0, upper = 0;
  bool first = true;
  while (i < s.size()) {
    std::size_t next = i;
    const char32_t cp = utf8::next(s, next);
    if (u_isalpha(static_cast<UChar32>(cp))) {
      ++letters;
      if (u_isupper(static_cast<UChar32>(cp))) {
        ++upper;
        if (first) w.title = true;
      }
    } else if (!(cp == '.' || cp == '\'' || cp == 0x2019 || (cp == '-' && next < s.size() && s[next] != ' '))) {
      break;
    }
    first = false;
    i = next;
  }
  if (letters == 0) return std::nullopt;
  w.end = i;
  w.all_caps = upper == letters && (letters >= 2 || (i > pos + 1 && s[i - 1] == '.'));
  return w;
}

std::size_t skip_spaces(std::string_view s, std::size_t i) {
  while (i < s.size() && (s[i] == ' ' || s.substr(i, 2) == "\xC2\xA0")) i += s[i] == ' ' ? 1 : 2;
  return i;
}

// The dash or colon separator at `i` and the spaces after it; 0 if there is none.
// `colon` reports whether it was a colon.
std::size_t separator_at(std::string_view s, std::size_t i, bool& colon) {
  colon = false;
  std::size_t len = 0;
  if (s.substr(i, 3) == "\xE2\x80\x94" || s.substr(i, 3) == "\xE2\x80\x93") len = 3;  // — –
  else if (s.substr(i, 2) == "--" || s.substr(i, 2) == ".-") len = 2;  // ".-": EFE's "(EFE).- "
  else if (s.substr(i, 1) == "-") len = 1;
  else if (s.substr(i, 1) == ":") {
    len = 1;
    colon = true;
  }
  if (len == 0) return 0;
  const std::size_t after = skip_spaces(s, i + len);
  if (after == i + len || after >= s.size()) return 0;  // needs a space, then text
  return after - i;
}

// "(AP)" at `i`: the agency and the position after ')'.
std::optional<std::pair<std::string, std::size_t>> agency_at(std::string_view s, std::size_t i) {
  if (i >= s.size() || s[i] != '(') return std::nullopt;
  const std::size_t close = s.find(')', i);
  if (close == std::string_view::npos || close - i - 1 == 0 || close - i - 1 > 30) return std::nullopt;
  const std::string_view inside = s.substr(i + 1, close - i - 1);
  std::size_t k = 0;
  const char32_t first = utf8::next(inside, k);
  if (!u_isalpha(static_cast<UChar32>(first))) return std::nullopt;
  for (char c : inside) {
    if (c == ',' || c == ';' || c == ':') return std::nullopt;
  }
  // A full stop inside is an instrument code of a Reuters list ("BP (BP.L): ..."), no agency.
  if (inside.find('.') < inside.size() - 1) return std::nullopt;
  return std::pair{std::string(inside), close + 1};
}

// Lower-case words inside a place's name ("Frankfurt am Main", "Rio de Janeiro").
bool is_place_particle(std::string_view w) {
  static constexpr std::array<std::string_view, 17> words{"am", "an", "der", "den", "de", "del", "di", "da", "do",
                                                          "dos", "das", "la", "le", "im", "sur", "van", "von"};
  return std::ranges::find(words, w) != words.end();
}

// "MOSCOW" -> "Moscow", "NEW YORK" -> "New York", "ST. LOUIS" -> "St. Louis"; after an apostrophe
// a capital stays only behind one letter ("N'DJAMENA" -> "N'Djamena", "EDITOR'S" -> "Editor's");
// a particle inside a name is in lower case ("RIO DE JANEIRO" -> "Rio de Janeiro", "FRANKFURT AM
// MAIN" -> "Frankfurt am Main"); words not in capitals are kept.
std::string title_case(std::string_view caps) {
  std::string out;
  out.reserve(caps.size());
  bool word_start = true;
  std::size_t letters = 0;  // of the word so far
  std::size_t i = 0;
  while (i < caps.size()) {
    const char32_t cp = utf8::next(caps, i);
    const bool letter = u_isalpha(static_cast<UChar32>(cp));
    utf8::append(out, letter && !word_start ? static_cast<char32_t>(u_tolower(static_cast<UChar32>(cp))) : cp);
    const bool apostrophe = cp == '\'' || cp == 0x2019;
    word_start = (!letter && !apostrophe) || (apostrophe && letters == 1);
    letters = letter ? letters + 1 : apostrophe ? letters : 0;
  }
  // Particles: a whole word of the list, neither first nor last.
  for (std::size_t at = out.find(' '); at != std::string::npos; at = out.find(' ', at + 1)) {
    const std::size_t end = out.find(' ', at + 1);
    if (end == std::string::npos) break;
    std::string word = out.substr(at + 1, end - at - 1);
    for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (is_place_particle(word)) out.replace(at + 1, word.size(), word);
  }
  return out;
}

// The first word of a label that opens a page or a paragraph, in capitals or not ("EDITOR'S NOTE —",
// "BREAKING —", "FILE - In this photo", "ATTENTION - ADDS quotes", "Eds: UPDATES ..."), title-cased and
// without a possessive "'s"; none names a place.
bool is_label_word(std::string_view w) {
  static constexpr std::array<std::string_view, 40> words{
      "Update",     "Updated",    "Updates",     "Breaking",  "Watch",      "Listen",        "Read",
      "Editor",     "Editors",    "Eds",         "Note",      "Analysis",   "Opinion",       "Exclusive",
      "Live",       "Photo",      "Photos",      "Video",     "File",       "Factbox",       "Explainer",
      "Correction", "Corrects",   "Corrected",   "Clarification", "Comment", "Review",       "Interview",
      "Summary",    "Related",    "Advertisement", "Attention", "Advisory", "Urgent",        "Flash",
      "Bulletin",   "Repeat",     "Posted",      "Published", "First"};  // "First Published: Dec. 19"
  return std::ranges::find(words, w) != words.end();
}

// Words that open sentences rather than name a place, in title case only: "THE HAGUE" is a place.
bool is_sentence_word(std::string_view w) {
  static constexpr std::array<std::string_view, 14> words{"The", "A",  "An", "In", "On",   "At", "But",
                                                          "And", "It", "He", "She", "They", "We", "This"};
  return std::ranges::find(words, w) != words.end();
}


// The word at `k` in lower case (letters only) and the position after it.
std::pair<std::string, std::size_t> lower_word_at(std::string_view s, std::size_t k) {
  std::string out;
  while (k < s.size()) {
    std::size_t next = k;
    const char32_t cp = utf8::next(s, next);
    if (!u_isalpha(static_cast<UChar32>(cp))) break;
    utf8::append(out, static_cast<char32_t>(u_tolower(static_cast<UChar32>(cp))));
    k = next;
  }
  return {out, k};
}

// ", 7 février", ", 7. Februar", ", 7 feb", ", 7 de febrero" at `i` (after the ','): the day
// first, as AFP's French, dpa's and EFE's datelines write it, and an optional year. Unless the
// agency came first (`agency_read`: ANSA's "(ANSA) - ROMA, 06 FEB -"), an agency must follow.
// A dateline's date: month, day, the year when written (0 when not), and the position after it.
struct date_read {
  int month = 0, day = 0, year = 0;
  std::size_t end = 0;
};

// The four digits of a year at `y`, or 0.
int year_at(std::string_view s, std::size_t y) {
  std::size_t e = y;
  int year = 0;
  while (e < s.size() && s[e] >= '0' && s[e] <= '9' && e - y < 5) year = year * 10 + (s[e++] - '0');
  return e - y == 4 && (e == s.size() || !(s[e] >= '0' && s[e] <= '9')) ? year : 0;
}

std::optional<date_read> day_first_date_at(std::string_view s, std::size_t k, bool agency_read) {
  int day = 0;
  const std::size_t digits = k;
  while (k < s.size() && s[k] >= '0' && s[k] <= '9' && k - digits < 2) day = day * 10 + (s[k++] - '0');
  if (k == digits || day < 1 || day > 31) return std::nullopt;
  if (k < s.size() && s[k] == '.') ++k;  // "7. Februar"
  std::size_t after_day = skip_spaces(s, k);
  if (after_day == k) return std::nullopt;
  if (s.substr(after_day, 3) == "de ") after_day = skip_spaces(s, after_day + 3);  // "7 de febrero"
  auto [name, end] = lower_word_at(s, after_day);
  if (end < s.size() && s[end] == '.') ++end;
  int month = month_from_name(name);  // English too: "LONDON, 7 October (Reuters) -"
  if (month == 0) month = foreign_month(name);
  if (month == 0) return std::nullopt;
  k = end;
  // " 2022", " de 2022", ", 2022" after the month.
  std::size_t y = k < s.size() && s[k] == ',' ? k + 1 : k;
  y = skip_spaces(s, y);
  if (s.substr(y, 3) == "de ") y = skip_spaces(s, y + 3);
  const int year = year_at(s, y);
  if (year != 0) k = y + 4;
  // Then the agency: the day-first form is the agencies' ("NEW YORK, 3 set - ..." is a sentence).
  if (const std::size_t agency = skip_spaces(s, k); !agency_read && (agency >= s.size() || s[agency] != '(')) {
    return std::nullopt;
  }
  return date_read{month, day, year, k};
}

// ", Feb 7" / ", Feb. 7" at `i`, or the day first in another language (day_first_date_at):
// month, day and the position after it.
std::optional<date_read> date_at(std::string_view s, std::size_t i, bool agency_read) {
  if (i >= s.size() || s[i] != ',') return std::nullopt;
  std::size_t k = skip_spaces(s, i + 1);
  if (k < s.size() && s[k] >= '0' && s[k] <= '9') return day_first_date_at(s, k, agency_read);
  const std::size_t name_start = k;
  while (k < s.size() && ((s[k] >= 'A' && s[k] <= 'Z') || (s[k] >= 'a' && s[k] <= 'z'))) ++k;
  if (k < s.size() && s[k] == '.') ++k;
  const int month = month_from_name(s.substr(name_start, k - name_start));
  if (month == 0) return std::nullopt;
  k = skip_spaces(s, k);
  int day = 0;
  const std::size_t digits = k;
  while (k < s.size() && s[k] >= '0' && s[k] <= '9' && k - digits < 2) day = day * 10 + (s[k++] - '0');
  if (k == digits || day < 1 || day > 31) return std::nullopt;
  // ", 2023" after the day (AFP: "ANKARA, Feb 6, 2023 (AFP) -").
  int year = 0;
  if (k < s.size() && s[k] == ',') {
    const std::size_t y = skip_spaces(s, k + 1);
    year = year_at(s, y);
    if (year != 0) k = y + 4;
  }
  return date_read{month, day, year, k};
}

// The label's word as is_label_word reads it: "EDITOR’S" -> "Editor".
std::string label_form(std::string_view w) {
  std::string t = title_case(w);
  for (std::string_view tail : {"'s", "\xE2\x80\x99s", "'", "\xE2\x80\x99"}) {
    if (t.ends_with(tail)) {
      t.resize(t.size() - tail.size());
      break;
    }
  }
  return t;
}

// Whether every word that starts with a letter starts with a capital, three words at least: a
// headline's style ("Sox Make Offer To Teixeira"), not a sentence's ("Macron was in Moscow").
bool title_cased(std::string_view s) {
  std::size_t words = 0;
  for (std::size_t start = 0; start < s.size();) {
    std::size_t end = s.find(' ', start);
    if (end == std::string_view::npos) end = s.size();
    std::string_view w = s.substr(start, end - start);
    start = end + 1;
    while (!w.empty() && (w.front() == '(' || w.front() == '"' || w.front() == '\'')) w.remove_prefix(1);
    if (w.empty() || !std::isalpha(static_cast<unsigned char>(w.front()))) continue;
    if (!std::isupper(static_cast<unsigned char>(w.front()))) return false;
    ++words;
  }
  return words >= 3;
}

// Whether the paragraph ends with '.', '!', '?' or '…', closing quotes and brackets after it
// read past.
bool ends_like_a_sentence(std::string_view s) {
  while (!s.empty()) {
    const unsigned char c = static_cast<unsigned char>(s.back());
    if (c == ' ' || c == '\n' || c == '\t' || c == '"' || c == '\'' || c == ')') {
      s.remove_suffix(1);
    } else if (s.ends_with("\xE2\x80\x9D") || s.ends_with("\xE2\x80\x99") || s.ends_with("\xC2\xBB")) {  // ” ’ »
      s.remove_suffix(s.ends_with("\xC2\xBB") ? 2 : 3);
    } else {
      break;
    }
  }
  return s.ends_with('.') || s.ends_with('!') || s.ends_with('?') || s.ends_with("\xE2\x80\xA6");
}

// The place form at `start`: PLACE[, Region][, Date] [(Agency)] SEP. `agency_read`: the agency came
// first and was read ("(ANSA) - ROMA, 06 FEB - "): none may follow and the place is in capitals.
std::optional<dateline_match> place_form(std::string_view s, std::size_t start, bool allow_weak, bool agency_read) {
  dateline_match m;
  bool colon = false;

  // The place: words up to a ',', '(' or the separator; cities joined by '/' ("ISTANBUL/DAMASCUS",
  // "Frankfurt/Main") are one place, named by the first.
  std::vector<word> words;
  std::size_t first_city_end = 0;
  std::size_t i = start;
  while (i < s.size() && i - start < k_max_place_bytes && words.size() < 5) {
    const auto w = read_word(s, i);
    if (!w) break;
    words.push_back(*w);
    if (w->end + 1 < s.size() && s[w->end] == '/') {
      if (first_city_end == 0) first_city_end = w->end;
      i = w->end + 1;
      continue;
    }
    const std::size_t next = skip_spaces(s, w->end);
    if (next == w->end || next >= s.size()) {
      i = w->end;
      break;
    }
    if (s[next] == '(' || s[next] == ',' || separator_at(s, next, colon) > 0) {
      i = w->end;
      break;
    }
    i = next;
  }
  if (words.empty()) return std::nullopt;
  const std::size_t place_end = words.back().end;
  bool caps = true, title = true;
  for (std::size_t n = 0; n < words.size(); ++n) {
    const word& w = words[n];
    caps &= w.all_caps;
    const bool inner = n > 0 && n + 1 < words.size();
    title &= w.title || (inner && is_place_particle(s.substr(w.begin, w.end - w.begin)));
  }
  if (!caps && !title) return std::nullopt;
  if (agency_read && !caps) return std::nullopt;
  const std::string first = label_form(s.substr(words.front().begin, words.front().end - words.front().begin));
  if (!caps && is_sentence_word(first)) return std::nullopt;

  std::size_t pos = place_end;
  std::size_t region_start = 0, region_end = 0;
  // ", Region" (one to three title-case words) and/or ", Mon D".
  for (int round = 0; round < 2 && pos < s.size() && s[pos] == ','; ++round) {
    if (auto date = date_at(s, pos, agency_read)) {
      m.month = date->month;
      m.day = date->day;
      m.year = date->year;
      pos = date->end;
      continue;
    }
    if (!caps || region_end != 0) break;
    std::size_t k = skip_spaces(s, pos + 1);
    const std::size_t region_begin = k;
    for (int n = 0; n < 3; ++n) {
      const auto w = read_word(s, k);
      if (!w || !w->title) break;
      region_end = w->end;
      k = skip_spaces(s, w->end);
      if (k < s.size() && (s[k] == '(' || s[k] == ',' || separator_at(s, k, colon) > 0)) break;
    }
    if (region_end == 0) break;
    region_start = region_begin;
    pos = region_end;
  }
  std::size_t after = skip_spaces(s, pos);
  if (!agency_read) {
    if (auto agency = agency_at(s, after)) {
      m.agency = agency->first;
      after = skip_spaces(s, agency->second);
    }
  }
  const std::size_t sep = separator_at(s, after, colon);
  if (sep == 0) return std::nullopt;
  // A colon ends only a title-case place without an agency ("Moscow: French President ..."): after
  // capitals it ends a heading ("UPDATE: ..."), after a parenthesis a list's item ("BP (BP.L): ...").
  if (colon && (caps || !m.agency.empty())) return std::nullopt;
  // A label carries no agency ("LIVE OAK, Fla. (AP) —" is a place).
  if (m.agency.empty() && is_label_word(first)) return std::nullopt;
  const std::size_t text_start = after + sep;

  const std::size_t name_end = first_city_end != 0 ? first_city_end : place_end;
  const std::string_view place = s.substr(start, name_end - start);
  if (caps) {
    m.place = title_case(place);
    if (region_end != 0) m.place += ", " + std::string(s.substr(region_start, region_end - region_start));
  } else {
    // An agency makes it sure ("Paris (AFP) -", "Berlin (dpa) -", "Ankara, Feb 6 (AFP) -").
    if (!allow_weak || words.size() > 3 || (m.agency.empty() && m.month != 0)) return std::nullopt;
    // The text must go on with a capital letter, like a sentence.
    std::size_t k = text_start;
    const char32_t next = utf8::next(s, k);
    if (!u_isupper(static_cast<UChar32>(next))) return std::nullopt;
    // And after a colon end like one, or be longer than a headline: "Lawyer: Lindsay Lohan
    // checks into rehab facility" is a kicker and a headline.
    if (colon && !ends_like_a_sentence(s) && count_words(s) < 12) return std::nullopt;
    // Nor after a colon in title case: "Herald: Sox Make Offer To Teixeira (8 Years?)".
    if (colon && title_cased(s.substr(text_start))) return std::nullopt;
    m.place = std::string(place);
  }
  m.place_at = start;
  m.place_length = place.size();
  if (region_end != 0) {
    m.region_at = region_start;
    m.region_length = region_end - region_start;
  }
  m.length = text_start;
  return m;
}

}  // namespace

std::optional<dateline_match> find_dateline(std::string_view s, bool allow_weak) {
  // An update stamp in brackets before the dateline is part of it: "[UPDATED 10:32 GMT] MOSCOW (Reuters) -".
  if (s.starts_with('[')) {
    const std::size_t close = s.find(']');
    if (close == std::string_view::npos || close > k_max_stamp_bytes) return std::nullopt;
    const std::size_t start = skip_spaces(s, close + 1);
    if (start == close + 1 || start >= s.size() || s[start] == '[') return std::nullopt;
    auto m = find_dateline(s.substr(start), allow_weak);
    if (m) {
      m->length += start;
      if (m->place_length != 0) m->place_at += start;
      if (m->region_length != 0) m->region_at += start;
    }
    return m;
  }
  // Quick rejects on ASCII (most paragraphs): a dateline opens with '(' or a capital letter, and
  // "Ab..." can only be the weak form.
  if (s.size() < 4) return std::nullopt;
  const auto b0 = static_cast<unsigned char>(s[0]);
  const auto b1 = static_cast<unsigned char>(s[1]);
  if (b0 < 0x80 && b0 != '(' && !(b0 >= 'A' && b0 <= 'Z')) return std::nullopt;
  if (!allow_weak && b0 >= 'A' && b0 <= 'Z' && b1 >= 'a' && b1 <= 'z') return std::nullopt;

  // The agency first: "(AP) — ", or ANSA's "(ANSA) - ROMA, 06 FEB - " with the place after it.
  if (auto agency = agency_at(s, 0)) {
    bool colon = false;
    const std::size_t sep = separator_at(s, skip_spaces(s, agency->second), colon);
    if (sep == 0 || colon) return std::nullopt;
    const std::size_t text_start = skip_spaces(s, agency->second) + sep;
    if (auto placed = place_form(s, text_start, false, true)) {
      placed->agency = std::move(agency->first);
      return placed;
    }
    dateline_match m;
    m.agency = std::move(agency->first);
    m.length = text_start;
    return m;
  }
  return place_form(s, 0, allow_weak, false);
}

}  // namespace wirefeed
