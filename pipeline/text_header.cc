#include "pipeline/text_header.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include "pipeline/feed_time.h"
#include "pipeline/text_fold.h"
#include "pipeline/word_set.h"

namespace wirefeed {
namespace {

constexpr std::size_t k_max_header_lines = 12;
constexpr std::size_t k_max_title_bytes = 300;

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool starts_with_icase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

bool is_url_line(std::string_view line) {
  if (!starts_with_icase(line, "http://") && !starts_with_icase(line, "https://")) return false;
  return line.find_first_of(" \t") == std::string_view::npos && line.size() > 10;
}

struct label {
  std::string_view name;  // lower case
  header_line_kind kind;
};

constexpr std::array<label, 32> k_labels{{
    {"title", header_line_kind::title},        {"headline", header_line_kind::title},
    {"subject", header_line_kind::title},      {"url", header_line_kind::url},
    {"link", header_line_kind::url},           {"permalink", header_line_kind::url},
    {"date", header_line_kind::date},          {"published", header_line_kind::date},
    {"updated", header_line_kind::date},       {"posted", header_line_kind::date},
    {"pubdate", header_line_kind::date},       {"source", header_line_kind::source},
    {"agency", header_line_kind::source},      {"publisher", header_line_kind::source},
    {"provider", header_line_kind::source},    {"by", header_line_kind::byline},
    {"byline", header_line_kind::byline},      {"author", header_line_kind::byline},
    {"authors", header_line_kind::byline},     {"language", header_line_kind::language},
    {"lang", header_line_kind::language},      {"slug", header_line_kind::other},
    {"keywords", header_line_kind::other},     {"tags", header_line_kind::other},
    {"category", header_line_kind::other},     {"section", header_line_kind::other},
    {"id", header_line_kind::other},           {"priority", header_line_kind::other},
    // A wire delivered by e-mail: "From: newsdesk@...", "Sent: Monday, February 7, 2022 10:15 AM".
    {"from", header_line_kind::other},         {"to", header_line_kind::other},
    {"cc", header_line_kind::other},           {"sent", header_line_kind::date},
}};

// A sentence, not a name or a title: five words or more ending in a full stop that ends no
// abbreviation ("Reuters said the talks had failed."; not "The New York Times Co.", "Robert F.
// Kennedy Jr."), or six words or more from a word in lower case with a comma or a full stop
// ("a senior official said the talks had failed.", "the end of the week, Russia had ..."; not
// "dpa", "staff and wire reports", "van der Berg, Jan", "de Blasio to run for Congress").
bool sentence_like(std::string_view v) {
  static constexpr std::array<std::string_view, 9> abbreviations{"Jr.", "Sr.", "Co.", "Inc.", "Ltd.", "Corp.", "Bros.", "Cie.", "Ltda."};
  const std::size_t words = count_words(v);
  const std::string_view last = v.substr(v.rfind(' ') + 1);
  const bool stop = v.ends_with('.') && std::find(abbreviations.begin(), abbreviations.end(), last) == abbreviations.end() &&
                    !(last.size() == 2 && std::isupper(static_cast<unsigned char>(last[0]))) && !last.ends_with(".S.");
  if (stop && words >= 5) return true;
  const std::string_view first = v.substr(0, v.find(' '));
  const bool lower = std::islower(static_cast<unsigned char>(first.front())) &&
                     std::none_of(first.begin(), first.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
  return lower && words >= 6 && (stop || v.find(',') != std::string_view::npos);
}

// The label of "Title: ...", if it is one of k_labels.
const label* label_of(std::string_view line) {
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon > 12) return nullptr;
  const std::string_view name = trim(line.substr(0, colon));
  const auto l = std::find_if(k_labels.begin(), k_labels.end(),
                              [&](const label& x) { return x.name.size() == name.size() && starts_with_icase(name, x.name); });
  return l == k_labels.end() ? nullptr : &*l;
}

// "Title: Quake hits Chile": the field, when the label is one of k_labels and the value of its kind.
std::optional<header_field> labelled(std::string_view line) {
  const label* l = label_of(line);
  if (l == nullptr) return std::nullopt;
  const std::string_view value = trim(line.substr(line.find(':') + 1));
  if (value.empty()) return std::nullopt;
  bool fits = false;
  switch (l->kind) {
    case header_line_kind::title: fits = value.size() <= k_max_title_bytes && !sentence_like(value); break;
    case header_line_kind::url: fits = is_url_line(value); break;
    case header_line_kind::date: fits = parse_feed_time_ms(value).has_value(); break;
    case header_line_kind::source: fits = value.size() <= 80 && !sentence_like(value); break;
    case header_line_kind::byline: fits = value.size() <= 120 && !sentence_like(value); break;
    case header_line_kind::language:
      // One word declares it (normalize drops what is no language tag: "English"); a few are a
      // line to drop ("Brazilian Portuguese").
      if (value.size() <= 35 && count_words(value) == 1) return header_field{l->kind, value};
      if (value.size() <= 40 && count_words(value) <= 3) return header_field{header_line_kind::other, value};
      return std::nullopt;
    case header_line_kind::other: fits = value.size() <= 300; break;
  }
  if (!fits) return std::nullopt;
  return header_field{l->kind, value};
}

// "Updated 2:34 PM EST, October 1, 2023", "Posted on February 7, 2022", "date 2022-02-08": a date
// label without its colon, the date; "UPDATED 10:32 GMT": a time alone, an update stamp (other).
std::optional<header_field> stamp(std::string_view line) {
  const std::size_t space = line.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const label* l = label_of(std::string(line.substr(0, space)) + ":");
  if (l == nullptr || l->kind != header_line_kind::date) return std::nullopt;
  std::string_view value = trim(line.substr(space + 1));
  if (starts_with_icase(value, "on ") || starts_with_icase(value, "at ")) value = trim(value.substr(3));
  if (parse_feed_time_ms(value)) return header_field{header_line_kind::date, value};
  // A time of day: what parse_feed_time_ms reads after a date.
  if (!value.empty() && std::isdigit(static_cast<unsigned char>(value.front())) &&
      parse_feed_time_ms("January 1, 2000 " + std::string(value))) {
    return header_field{header_line_kind::other, value};
  }
  return std::nullopt;
}

// A whole header line: a URL, a date ("20220207", "date 2022-02-08", "Updated ..."), or a
// labelled line.
std::optional<header_field> field_of(std::string_view line) {
  if (is_url_line(line)) return header_field{header_line_kind::url, line};
  if (parse_feed_time_ms(line)) return header_field{header_line_kind::date, line};
  if (auto f = stamp(line)) return f;
  return labelled(line);
}

// "date 2022-02-08 Emerging from ...": the length of the "date <date>" prefix, or 0.
std::size_t date_prefix_length(std::string_view line) {
  if (!starts_with_icase(line, "date ")) return 0;
  std::size_t pos = 5;
  while (pos < line.size() && line[pos] == ' ') ++pos;
  const std::size_t start = pos;
  while (pos < line.size() && line[pos] != ' ') ++pos;
  if (!parse_feed_time_ms(line.substr(start, pos - start))) return 0;
  return pos;
}

struct line_ref {
  std::size_t begin = 0;  // in the text
  std::string_view text;  // trimmed
};

// The next non-blank line at or after `pos`.
std::optional<line_ref> next_line(std::string_view text, std::size_t& pos) {
  while (pos < text.size()) {
    const std::size_t begin = pos;
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    pos = end + 1;
    const std::string_view raw = text.substr(begin, end - begin);
    const std::string_view t = trim(raw);
    if (!t.empty()) return line_ref{begin + static_cast<std::size_t>(t.data() - raw.data()), t};
  }
  return std::nullopt;
}

}  // namespace

text_header split_text_header(std::string_view text) {
  text_header h;
  std::size_t pos = 0;
  for (std::size_t n = 0; n < k_max_header_lines; ++n) {
    const auto line = next_line(text, pos);
    if (!line) break;
    if (field_of(line->text)) {
      h.lines.emplace_back(line->text);
      h.body_offset = std::min(pos, text.size());
      continue;
    }
    if (const std::size_t prefix = date_prefix_length(line->text); prefix > 0) {
      h.lines.emplace_back(line->text.substr(0, prefix));
      std::size_t body = line->begin + prefix;
      while (body < text.size() && text[body] == ' ') ++body;
      h.body_offset = body;
      break;
    }
    if (n == 0) {
      std::size_t after = pos;
      const auto next = next_line(text, after);
      if (next && field_of(next->text) && line->text.size() <= k_max_title_bytes && !label_of(line->text)) {
        h.lines.emplace_back(line->text);
        h.body_offset = std::min(pos, text.size());
        continue;
      }
    }
    break;
  }
  return h;
}

std::optional<header_field> dated_line(std::string_view line) {
  line = trim(line);
  if (parse_feed_time_ms(line)) return header_field{header_line_kind::date, line};
  if (auto f = stamp(line)) return f;
  const auto f = labelled(line);
  if (f && f->kind == header_line_kind::date) return f;
  return std::nullopt;
}

stamp_kind stamp_line(std::string_view line) {
  static const word_set labels{"posted", "published", "updated", "modified", "created", "story", "first", "last",
                               "time", "date", "on", "at", "|", "@", "-", "/", "–", "—", ","};
  static const word_set zones{"am",  "pm",  "a.m.", "p.m.", "a.",  "p.",  "m.",   "et",   "pt",   "ct",   "mt",
                              "est", "edt", "pst",  "pdt",  "cst", "cdt", "mst",  "mdt",  "akst", "akdt", "hst",
                              "gmt", "utc", "bst",  "cet",  "cest", "eet", "eest", "ist", "hkt",  "aest", "aedt",
                              "sast", "uk"};
  static const word_set weekdays{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                                 "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"};
  if (line.size() > 100) return stamp_kind::none;
  std::size_t tokens = 0;
  bool date = false, clock = false, labelled = false, numeric_date = false;
  std::size_t pos = 0;
  while (pos < line.size()) {
    const std::size_t end = std::min(line.find(' ', pos), line.size());
    std::string word = ascii_lower(line.substr(pos, end - pos));
    pos = end + 1;
    while (!word.empty() && (word.back() == ',' || word.back() == ':' || word.back() == '|' || word.back() == ')')) {
      word.pop_back();
    }
    if (!word.empty() && word.front() == '(') word.erase(0, 1);
    if (word.empty()) continue;
    ++tokens;
    // "pm.", "Fri.": also without the full stop.
    const std::string bare = word.size() > 1 && word.back() == '.' ? word.substr(0, word.size() - 1) : word;
    if (labels.contains(word) || zones.contains(word) || zones.contains(bare)) {
      clock = clock || (word != "uk" && !labels.contains(word));
      // Only a verb of publishing labels a stamp ("Last Friday" after a sentence is the text's).
      labelled = labelled || word == "posted" || word == "published" || word == "updated" || word == "modified" ||
                 word == "created";
      continue;
    }
    // "GMT+01", "UTC-5"
    if ((bare.starts_with("gmt") || bare.starts_with("utc")) && bare.size() > 3 && (bare[3] == '+' || bare[3] == '-')) {
      clock = true;
      continue;
    }
    if (month_from_name(word) > 0 || weekdays.contains(bare)) {
      date = true;
      continue;
    }
    // Digits with the separators of dates and times, perhaps an ordinal's or a clock's ending:
    // "07", "2012", "8/2", "12/23/12", "7:40", "2013-4:45pm", "09th", "00pm", "08."
    std::string_view w = word;
    bool meridiem = false;
    for (const std::string_view end_word : {"am", "pm", "st", "nd", "rd", "th"}) {
      if (w.size() > end_word.size() && w.ends_with(end_word)) {
        w.remove_suffix(end_word.size());
        meridiem = end_word == "am" || end_word == "pm";
        break;
      }
    }
    if (w.empty() || !std::isdigit(static_cast<unsigned char>(w.front())) ||
        w.find_first_not_of("0123456789/:.-") != std::string_view::npos) {
      return stamp_kind::none;
    }
    numeric_date = numeric_date || std::count(w.begin(), w.end(), '/') == 2 || std::count(w.begin(), w.end(), '-') == 2;
    date = date || w.find('/') != std::string_view::npos || (w.find('-') != std::string_view::npos && w.size() >= 6) ||
           (w.size() == 4 && w.find_first_not_of("0123456789") == w.npos);
    clock = clock || w.find(':') != std::string_view::npos || meridiem;
  }
  if (!(tokens >= 2 || (tokens == 1 && numeric_date)) || !(date || clock)) return stamp_kind::none;
  return clock || labelled ? stamp_kind::stamped : stamp_kind::date;
}

header_field classify_header_line(std::string_view line) {
  line = trim(line);
  if (auto f = field_of(line)) return *f;
  if (const std::size_t prefix = date_prefix_length(line); prefix > 0) {
    return {header_line_kind::date, trim(line.substr(5, prefix - 5))};
  }
  return {header_line_kind::title, line};
}

}  // namespace wirefeed
