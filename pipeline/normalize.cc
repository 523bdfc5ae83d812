#include "pipeline/normalize.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <array>
#include <string_view>

#include "pipeline/dateline.h"
#include "pipeline/feed_time.h"
#include "pipeline/html_text.h"
#include "pipeline/language_id.h"
#include "pipeline/sentence_splitter.h"
#include "pipeline/text_cleanup.h"
#include "pipeline/text_fold.h"
#include "pipeline/text_header.h"
#include "pipeline/tokenizer.h"
#include "pipeline/url_host.h"
#include "pipeline/utf8_cursor.h"
#include "pipeline/word_set.h"
#include "pipeline/word_table.h"

namespace wirefeed {

struct normalizer::impl {
  boilerplate_lexicon lexicon;
  sentence_splitter sentences;
  tokenizer tokens;
  language_detector language;
  std::size_t max_body_chars;
};

namespace {

constexpr std::string_view stage_name = "normalize";
constexpr std::size_t k_language_sample_words = 300;
constexpr std::size_t k_max_title_chars = 150;
constexpr std::size_t k_max_title_words = 20;
constexpr std::size_t k_max_byline_chars = 100;
constexpr std::int64_t k_day_ms = 86'400'000;

stage_error reject(std::string reason, std::string message) {
  return stage_error{std::string(stage_name), std::move(reason), std::move(message)};
}

// ---- paragraphs -------------------------------------------------------------------------------

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (true) {
    const auto nl = text.find('\n');
    lines.push_back(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

bool ends_sentence(std::string_view line) {
  if (line.empty()) return false;
  const char c = line.back();
  return c == '.' || c == '!' || c == '?' || c == ':' || c == '"' || c == '\'' || c == ')' ||
         line.ends_with("\xE2\x80\x9D") || line.ends_with("\xE2\x80\x99");  // ” ’
}

// The width text is wrapped at (e-mail style, or wire copy wrapped at 69 columns with its
// paragraphs only indented, the indentation gone by now), or 0 if it is not: no line is over 120
// bytes, and most full lines (within a fifth of the longest, and 40 bytes or more) followed by
// another line of the same block do not end a sentence. A paragraph's last line is shorter and
// ends one: counted, it made three-line paragraphs look unwrapped (2 of 3 lines).
std::size_t wrap_width(const std::vector<std::string_view>& lines) {
  std::size_t longest = 0;
  for (const auto l : lines) longest = std::max(longest, l.size());
  if (longest > 120) return 0;
  const std::size_t full = std::max<std::size_t>(40, longest - longest / 5);
  std::size_t pairs = 0, wrapped = 0;
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    if (lines[i].size() < full || lines[i + 1].empty()) continue;
    ++pairs;
    if (!ends_sentence(lines[i])) ++wrapped;
  }
  return pairs >= 3 && wrapped * 10 >= pairs * 7 ? full : 0;
}

// The paragraphs of clean text: its non-empty lines, or for hard-wrapped text its blocks with the
// lines joined, a block ending at a blank line or at a short line that ends a sentence (the last
// line of a paragraph). Views into `text` or into `storage`.
std::vector<std::string_view> split_paragraphs(std::string_view text, std::string& storage) {
  std::vector<std::string_view> lines = split_lines(text);
  std::vector<std::string_view> out;
  const std::size_t full = wrap_width(lines);
  if (full == 0) {
    for (auto l : lines) {
      if (!l.empty()) out.push_back(l);
    }
    return out;
  }
  storage.clear();
  storage.reserve(text.size());
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  std::size_t start = std::string::npos;
  for (std::size_t i = 0; i <= lines.size(); ++i) {
    const bool blank = i == lines.size() || lines[i].empty();
    if (blank) {
      if (start != std::string::npos) ranges.emplace_back(start, storage.size());
      start = std::string::npos;
      continue;
    }
    if (start == std::string::npos) {
      start = storage.size();
    } else {
      storage += ' ';
    }
    storage += lines[i];
    if (lines[i].size() < full && ends_sentence(lines[i])) {
      ranges.emplace_back(start, storage.size());
      start = std::string::npos;
    }
  }
  for (auto [b, e] : ranges) out.push_back(std::string_view(storage).substr(b, e - b));
  return out;
}

// ---- title and byline -------------------------------------------------------------------------

bool starts_upper(std::string_view s) {
  if (s.empty()) return false;
  std::size_t i = 0;
  return u_isupper(static_cast<UChar32>(utf8::next(s, i)));
}

// A wire's flags of an urgent item, "FLASH: Putin says ...": alone, such a line is a headline.
constexpr std::array<std::string_view, 5> k_flash_flags{"FLASH: ", "BREAKING: ", "BREAKING NEWS: ", "URGENT: ", "ALERT: "};

// The headline without the wire's service flags in front: "UPDATE 2-", "REFILE-", "EXCLUSIVE-",
// "WRAPUP 1-", "FLASH: ", "BREAKING: ", "URGENT: " (Reuters and AP slugs), which say how the item
// was filed, not what it is about; several in a row too ("REFILE-UPDATE 1-"). Unchanged if nothing
// would be left.
std::string without_service_flags(std::string headline) {
  static constexpr std::array<std::string_view, 6> dashed{"UPDATE", "REFILE", "CORRECTED", "EXCLUSIVE", "RPT", "WRAPUP"};
  std::string_view rest = headline;
  for (bool more = true; more;) {
    more = false;
    for (const auto flag : dashed) {
      if (!rest.starts_with(flag)) continue;
      std::size_t i = flag.size();
      if (i < rest.size() && rest[i] == ' ') ++i;
      while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') ++i;
      if (i < rest.size() && rest[i] == '-' && (i == flag.size() || rest[flag.size()] != ' ' || i > flag.size() + 1)) {
        rest.remove_prefix(i + 1);
        more = true;
      }
    }
    for (const auto flag : k_flash_flags) {
      if (rest.starts_with(flag) && rest.size() > flag.size()) {
        rest.remove_prefix(flag.size());
        more = true;
      }
    }
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  }
  return rest.empty() ? headline : std::string(rest);
}

// The lower-case ASCII letters and digits of `s`: the form in which a site's name is compared
// ("Example News", "www.example-news.com" -> "examplenews", "wwwexamplenewscom").
std::string site_key(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out += c;
  }
  return out;
}

// The names a site goes by, as site_key()s: its publisher's, its host's, its host's first label
// but "www", "m" and "amp", and the label before the host's public suffix ("com", "co.uk",
// "net.au": a last label, and one of two or three letters before it): "bbc" of "www.bbc.co.uk",
// "edition" and "cnn" of "edition.cnn.com", "abc" of "www.abc.net.au" (not "net"). Empty ones
// left out.
std::vector<std::string> site_keys(std::string_view publisher, std::string_view url) {
  std::vector<std::string> keys;
  const auto add = [&](std::string_view name) {
    if (std::string k = site_key(name); !k.empty()) keys.push_back(std::move(k));
  };
  add(publisher);
  std::string_view host = url_host(url);
  add(host);
  std::vector<std::string_view> labels;
  for (std::size_t from = 0; from <= host.size();) {
    const std::size_t dot = std::min(host.find('.', from), host.size());
    labels.push_back(host.substr(from, dot - from));
    from = dot + 1;
  }
  if (labels.size() < 2) return keys;
  std::size_t first = 0;
  while (first + 2 < labels.size() && (labels[first] == "www" || labels[first] == "m" || labels[first] == "amp")) ++first;
  add(labels[first]);
  std::size_t suffix = labels.size() - 1;  // the public suffix starts here
  if (suffix >= 2 && labels[suffix - 1].size() <= 3 && labels[suffix].size() == 2) --suffix;  // "co.uk", "com.au"
  if (suffix >= 1 && suffix - 1 != first) add(labels[suffix - 1]);
  return keys;
}

// Whether a part of a title is the site's name: its site_key() equals one of `keys`, or one holds
// the other, the shorter of 3 characters or more, and the part has at most three words or the
// key makes most of it ("Example News" and "www.example-news.com", "BBC News" and "bbc", "CNN
// Politics" and "cnn", "The New Indian Express" and "newindianexpress"; not "Fox News host fired
// after lawsuit" and "foxnews").
bool names_site(std::string_view part, const std::vector<std::string>& keys) {
  const std::string k = site_key(part);
  if (k.empty()) return false;
  const bool short_part = count_words(part) <= 3;
  return std::any_of(keys.begin(), keys.end(), [&](const std::string& key) {
    if (k == key) return true;
    const std::string& shorter = k.size() < key.size() ? k : key;
    const std::string& longer = k.size() < key.size() ? key : k;
    return shorter.size() >= 3 && longer.find(shorter) != std::string::npos &&
           (short_part || 10 * shorter.size() >= 6 * longer.size());
  });
}

// Markup in a headline whose body is plain ("<b>Quake</b> hits <em>Chile</em>"): a tag of text
// formatting, opened or closed, with its '>' ("<span class=x>"). "5 <7" is text.
bool has_inline_tags(std::string_view s) {
  static constexpr std::array<std::string_view, 21> names{"a",   "b",    "i",    "u",    "em",   "strong", "span",
                                                          "sup", "sub",  "br",   "font", "small", "mark", "q",
                                                          "cite", "abbr", "p",   "div",  "h1",   "h2",   "h3"};
  for (std::size_t at = s.find('<'); at != std::string_view::npos; at = s.find('<', at + 1)) {
    std::size_t k = at + 1;
    if (k < s.size() && s[k] == '/') ++k;
    const std::size_t name_at = k;
    while (k < s.size() && std::isalnum(static_cast<unsigned char>(s[k]))) ++k;
    std::string name(s.substr(name_at, k - name_at));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // Its '>' right after the name, or attributes first (a name and '=': "<span class=x>").
    std::size_t attribute = k;
    while (attribute < s.size() && s[attribute] == ' ') ++attribute;
    const std::size_t equals = attribute;
    while (attribute < s.size() && (std::isalpha(static_cast<unsigned char>(s[attribute])) || s[attribute] == '-')) ++attribute;
    const bool attributes = attribute > equals && equals > k && attribute < s.size() && s[attribute] == '=' &&
                            s.find('>', attribute) < s.find('<', attribute);
    const bool closes = k < s.size() && (s[k] == '>' || (s[k] == '/' && k + 1 < s.size() && s[k + 1] == '>') || attributes);
    if (closes && std::find(names.begin(), names.end(), name) != names.end()) return true;
  }
  return false;
}

// A page's <title> as a headline: without the site's name after or before it ("Quake hits Chile |
// Example News", "Example News - Quake hits Chile"). The part after the title's last " | ",
// " - ", " – ", " — " or " :: " is cut when it is the site's, else the part before its first:
// a part is the site's when it names the publisher or the URL's host (names_site), or when it is
// set off by " | " or " :: ", both parts start with a capital or a digit, and it is short: after
// the title, at most 5 words and shorter than the rest; before it, at most 3 words and at most
// half the rest ("BBC :: Quake hits Chile"; not "Putin meets Macron | Ukraine crisis live"). A
// " - " alone never marks a site: "Biden - Putin summit ends" is one headline. "" when what is
// left has fewer than 3 words ("Home", "AP News": no headline).
std::string title_headline(std::string_view title, std::string_view publisher, std::string_view url) {
  static constexpr std::array<std::string_view, 5> separators{" | ", " :: ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 "};
  constexpr std::size_t k_strong_separators = 2;  // " | " and " :: "
  constexpr std::size_t k_max_site_words = 5;
  constexpr std::size_t k_min_headline_words = 3;
  std::size_t last = std::string_view::npos, last_sep = 0;
  std::size_t first = std::string_view::npos, first_sep = 0;
  for (std::size_t k = 0; k < separators.size(); ++k) {
    if (const auto at = title.rfind(separators[k]); at != std::string_view::npos && (last == std::string_view::npos || at > last)) {
      last = at;
      last_sep = k;
    }
    if (const auto at = title.find(separators[k]); at < first) {
      first = at;
      first_sep = k;
    }
  }
  const auto named = [](std::string_view part) {
    std::size_t i = 0;
    return !part.empty() && !u_islower(static_cast<UChar32>(utf8::next(part, i)));
  };
  const std::vector<std::string> keys = site_keys(publisher, url);
  const auto set_off = [&](std::string_view site, std::size_t sep, std::string_view rest) {
    return sep < k_strong_separators && named(site) && named(rest);
  };
  std::string_view headline = title;
  if (last != std::string_view::npos) {
    const std::string_view before = title.substr(0, last), after = title.substr(last + separators[last_sep].size());
    const std::string_view site = title.substr(0, first), rest = title.substr(first + separators[first_sep].size());
    if (names_site(after, keys) || (set_off(after, last_sep, before) && count_words(after) <= k_max_site_words &&
                                    utf8::count_code_points(after) < utf8::count_code_points(before))) {
      headline = before;
    } else if (names_site(site, keys) || (set_off(site, first_sep, rest) && count_words(site) <= 3 &&
                                          2 * utf8::count_code_points(site) <= utf8::count_code_points(rest))) {
      headline = rest;
    }
  }
  return count_words(headline) >= k_min_headline_words ? std::string(headline) : std::string();
}

// A headline standing alone at the top of a raw-text body: short, capitalised or opening with a
// number ("5 Thoughts on Why ..."), not a sentence. `expected` when the item's headline field held
// only a date stamp: its title is then the body's first line, even one ending in a full stop
// ("Palin appointee under federal indictment."), as long as it is a single short sentence of
// one clause.
bool looks_like_title(std::string_view s, std::size_t chars, bool expected = false) {
  if (s.empty() || chars > k_max_title_chars || count_words(s) > k_max_title_words) return false;
  if (!starts_upper(s) && !(s[0] >= '0' && s[0] <= '9')) return false;
  const char last = s.back();
  // Ending in a full stop: a headline's few words, not a sentence's clauses ("According to
  // Michael Silverman of the Boston Herald, the Red Sox made an offer.").
  if (last == '.' && expected) {
    if (count_words(s) > 10 || s.find(", ") != std::string_view::npos) return false;
    for (std::size_t at = s.find(". "); at != std::string_view::npos; at = s.find(". ", at + 1)) {
      if (at + 2 < s.size() && !(s[at + 2] >= '0' && s[at + 2] <= '9')) return false;  // "5. 9" is a number
    }
    return s.size() < 2 || s[s.size() - 2] != '.';
  }
  return last != '.' && last != ',' && last != ';' && last != ':' && !s.ends_with("\xE2\x80\x9D") && last != '"';
}

// A line that tells what happened as a report's sentence does, not as a headline: a verb in the
// past after its first word ("The Senate passed the bill", "Police arrested two men") or a day
// ("... on Monday", "yesterday"). Headlines speak in the present ("Senate passes bill").
bool reads_like_a_report(std::string_view s) {
  static constexpr std::array<std::string_view, 10> days{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                                         "Saturday", "Sunday", "yesterday", "today", "tonight"};
  bool first = true;
  for (std::size_t at = 0; at < s.size();) {
    const std::size_t from = s.find_first_not_of(' ', at);
    if (from == std::string_view::npos) break;
    const std::size_t end = std::min(s.find(' ', from), s.size());
    std::string_view word = s.substr(from, end - from);
    while (!word.empty() && (word.back() == '.' || word.back() == ',')) word.remove_suffix(1);
    if (!first && ((word.size() > 4 && word.ends_with("ed")) ||
                   std::find(days.begin(), days.end(), word) != days.end())) {
      return true;
    }
    first = false;
    at = end;
  }
  return false;
}

// A byline's second line: who the writer writes for, "Associated Press Writer", "Reuters", "AP
// Science Writer", "Staff Correspondent": a few capitalised words, no full stop, an agency's name
// or a writer's title last.
bool is_credit_title(std::string_view s) {
  static constexpr std::array<std::string_view, 12> whole{
      "Associated Press", "The Associated Press", "AP", "Reuters", "AFP", "Agence France-Presse",
      "Bloomberg", "Bloomberg News", "dpa", "EFE", "ANSA", "Kyodo"};
  static constexpr std::array<std::string_view, 8> titles{"Writer", "Writers", "Correspondent", "Correspondents",
                                                          "Reporter", "Reporters", "Staff", "Editor"};
  if (s.empty() || s.size() > 60 || s.find('.') != std::string_view::npos || count_words(s) > 6) return false;
  if (std::find(whole.begin(), whole.end(), s) != whole.end()) return true;
  if (!starts_upper(s)) return false;
  const std::string_view last = s.substr(s.rfind(' ') + 1);
  return std::any_of(titles.begin(), titles.end(), [&](std::string_view t) {
    return last.size() == t.size() && std::equal(last.begin(), last.end(), t.begin(), [](char x, char y) {
             return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
  });
}

// "By Jane Doe" / "BY JANE DOE AND JOHN ROE, Associated Press" / AFP's "by Daniel AVIS": the
// names, or "".
std::string_view byline_of(std::string_view s, std::size_t chars) {
  if (chars > k_max_byline_chars || count_words(s) > 14) return {};
  if (!s.starts_with("By ") && !s.starts_with("BY ") && !s.starts_with("by ")) return {};
  std::string_view names = s.substr(3);
  while (!names.empty() && names.front() == ' ') names.remove_prefix(1);
  if (!starts_upper(names) || names.ends_with(".")) return {};
  // A time or a sentence, not names: "By Saturday morning the death toll had risen to 40", "By
  // 2030", "By Then ..." (names have no digits, and few words in lower case: "By Bethan McKernan
  // in Antakya", "By Jane Doe, staff writer").
  static const word_set not_a_name{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                                   "january", "february", "march", "april", "june", "july", "august", "september",
                                   "october", "november", "december", "this", "that", "then", "now", "noon",
                                   "midnight", "dawn", "nightfall", "late", "early", "mid", "next", "last", "tonight",
                                   "today", "tomorrow", "morning", "evening", "afternoon", "contrast", "comparison"};
  if (not_a_name.contains(ascii_lower(names.substr(0, names.find_first_of(" ,"))))) return {};
  if (names.find_first_of("0123456789") != std::string_view::npos) return {};
  // Words in lower case a byline has: links of names and places, staff titles.
  static const word_set byline_words{"and", "de", "da", "del", "la", "le", "van", "von", "der", "y", "in", "of", "for",
                                     "at", "the", "with", "staff", "writer", "writers", "reporter", "reporters",
                                     "correspondent", "correspondents", "editor", "editors", "contributor"};
  std::size_t lower = 0;
  for (std::size_t start = 0; start < names.size();) {
    std::size_t end = names.find(' ', start);
    if (end == std::string_view::npos) end = names.size();
    std::string_view w = names.substr(start, end - start);
    while (!w.empty() && (w.back() == ',' || w.back() == ';')) w.remove_suffix(1);
    if (!w.empty() && w[0] >= 'a' && w[0] <= 'z' && !byline_words.contains(w)) ++lower;
    start = end + 1;
  }
  if (lower >= 2) return {};
  // A full stop inside is a sentence's ("By the end. Then..."), unless it ends an initial
  // ("By J. Scott Applewhite", "BY E. EDUARDO CASTILLO"); then every word is a name's
  // (capitalised, or a link: "and", "de", "van"), so "By J. Edgar Hoover's own account" is none.
  bool initials = false;
  for (std::size_t dot = names.find(". "); dot != std::string_view::npos; dot = names.find(". ", dot + 1)) {
    const bool initial = dot >= 1 && names[dot - 1] >= 'A' && names[dot - 1] <= 'Z' && (dot == 1 || names[dot - 2] == ' ');
    if (!initial) return {};
    initials = true;
  }
  if (initials) {
    static constexpr std::array<std::string_view, 10> links{"and", "de", "da", "del", "van", "von", "der", "la", "le", "y"};
    for (std::size_t start = 0; start < names.size();) {
      std::size_t end = names.find(' ', start);
      if (end == std::string_view::npos) end = names.size();
      const std::string_view w = names.substr(start, end - start);
      if (!w.empty() && !starts_upper(w) && std::find(links.begin(), links.end(), w) == links.end()) return {};
      if (w.ends_with("'s") || w.ends_with("\xE2\x80\x99s") || w.ends_with('!') || w.ends_with('?')) return {};
      start = end + 1;
    }
  }
  return names;
}

// Words a text declared English must have before a detected language replaces the declaration.
constexpr std::size_t k_min_words_against_declared = 12;

// ---- published time -----------------------------------------------------------------------------

// Midnight UTC of month/day in the year that puts it closest before (or shortly after) `reference_ms`.
std::optional<std::int64_t> date_near(int month, int day, std::int64_t reference_ms) {
  const std::int64_t days = reference_ms / k_day_ms;
  // Civil year of the reference (Hinnant's civil_from_days, year only).
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int year = static_cast<int>(yoe + era * 400 + (m <= 2));
  for (int y : {year, year - 1}) {
    const auto t = civil_date_ms(y, month, day);
    if (t && *t <= reference_ms + 2 * k_day_ms) return t;
  }
  return std::nullopt;
}

// ---- per-thread scratch -------------------------------------------------------------------------

struct paragraph_work {
  std::string_view text;
  std::uint32_t folded_begin = 0, folded_end = 0;  // into scratch::folded
  std::uint32_t token_begin = 0, token_end = 0;    // into scratch::tokens
  std::size_t chars = 0;
  std::optional<removal_kind> removed;
};

struct scratch {
  std::string folded;
  std::vector<token> tokens;
  std::vector<word_table::mask> masks;
  std::vector<paragraph_work> paragraphs;
  std::string joined;  // hard-wrapped paragraphs re-joined

  void clear() {
    folded.clear();
    tokens.clear();
    masks.clear();
    paragraphs.clear();
    joined.clear();
  }
};

std::string_view folded_of(const scratch& s, const paragraph_work& p) {
  return std::string_view(s.folded).substr(p.folded_begin, p.folded_end - p.folded_begin);
}

}  // namespace

result<normalizer> normalizer::create(const normalize_options& options) {
  std::optional<boilerplate_lexicon> lexicon = options.lexicon;
  if (!lexicon) {
    auto shipped = boilerplate_lexicon::parse(boilerplate_lexicon::shipped_text(), "<shipped config/boilerplate.yaml>");
    if (!shipped) return shipped.error();
    lexicon = std::move(shipped.value());
  }
  auto splitter = sentence_splitter::create(options.abbreviations);
  if (!splitter) return splitter.error();
  if (options.language_detect_bytes < 16) {
    return reject("bad_option", "normalize.language_detect_bytes must be at least 16");
  }
  return normalizer(std::make_shared<impl>(impl{std::move(*lexicon), std::move(splitter.value()),
                                                tokenizer(options.abbreviations),
                                                language_detector(options.language_detect_bytes),
                                                options.max_body_chars}));
}

namespace {

// Tokenizes and folds `pieces` into `s` (anything there before is dropped) and classifies each
// paragraph by the lexicon; a verbatim copy of the paragraph before it no rule claims is a duplicate.
void classify_paragraphs(const boilerplate_lexicon& lexicon, const tokenizer& tokens,
                         const std::vector<std::string_view>& pieces, scratch& s) {
  s.folded.clear();
  s.tokens.clear();
  s.masks.clear();
  s.paragraphs.clear();
  for (std::string_view p : pieces) {
    paragraph_work w;
    w.text = p;
    w.chars = utf8::count_code_points(p);
    w.folded_begin = static_cast<std::uint32_t>(s.folded.size());
    w.token_begin = static_cast<std::uint32_t>(s.tokens.size());
    tokens.tokenize(p, 0, s.folded, s.tokens, &s.masks);
    w.folded_end = static_cast<std::uint32_t>(s.folded.size());
    w.token_end = static_cast<std::uint32_t>(s.tokens.size());
    s.paragraphs.push_back(w);
  }
  auto& ps = s.paragraphs;
  for (std::size_t i = 0; i < ps.size(); ++i) {
    const std::string_view f = folded_of(s, ps[i]);
    const bool same_as_previous = i > 0 && folded_of(s, ps[i - 1]) == f;
    const bool same_as_next = i + 1 < ps.size() && folded_of(s, ps[i + 1]) == f;
    ps[i].removed = lexicon.classify(
        {ps[i].text, f, ps[i].chars, same_as_previous || same_as_next,
         std::span<const token>(s.tokens.data() + ps[i].token_begin, ps[i].token_end - ps[i].token_begin),
         ps[i].folded_begin});
    if (!ps[i].removed && same_as_previous) ps[i].removed = removal_kind::duplicate;
  }
}

// The start of a copyright or credit footer as no sentence of news reads: "© 2022 AFP",
// "Copyright 2022 The Associated Press.", "All rights reserved worldwide.", "(Reporting by ...;
// Editing by ...)", "Reporting by ...; Editing by ...", "(Additional reporting by ...)", "...
// contributed to this report.", "Associated Press writer Jane Doe contributed." (not "Germany and
// France contributed.", "CNN reported from the scene that ...", "Reporting by the state news
// agency could not be verified.", "All rights reserved by the photographer were upheld").
bool plain_footer(std::string_view s) {
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  const std::string lower = ascii_lower(s);
  const auto has = [&](std::string_view x) { return lower.find(x) != std::string::npos; };
  if (s.starts_with("\xC2\xA9") || lower.starts_with("(c) ") || lower.starts_with("copyright ")) return true;
  if (lower.starts_with("all rights reserved") && s.size() <= 32) return true;
  if ((has("reporting by") || has("writing by") || has("editing by")) &&
      (s.starts_with('(') || s.find(';') != std::string_view::npos || has("editing by"))) {
    return true;
  }
  if (has("contributed to this report") || has("contributed to this story") || has("contributed to this article") ||
      has("contributed reporting")) {
    return true;
  }
  return lower.ends_with("contributed.") &&
         (has(" writer") || has("reporter") || has("correspondent") || has("associated press") || has("reuters"));
}

// Splits off a paragraph's boilerplate tail, its last sentences (up to three), when the lexicon
// removes the tail and keeps the sentences before it. In a paragraph the lexicon removed for its
// tail (a caption only when it is news with a credit run on, below): sentences each of that kind.
// In the body's last kept paragraph, where a copyright or credit line runs on after the last
// sentence ("... the Kremlin said. Copyright 2022 The Associated Press. All rights reserved.",
// "... said. (Reporting by ...; Editing by ...)", "... said. © 2022 AFP"): a copyright or
// contributor tail that starts as a plain footer does (plain_footer). True if any paragraph was
// split.
bool split_trailing_boilerplate(const boilerplate_lexicon& lexicon, const tokenizer& tokenize,
                                const sentence_splitter& splitter, std::vector<std::string_view>& pieces,
                                const scratch& s) {
  constexpr std::size_t longest_tail = 3;  // sentences
  std::vector<std::string_view> out;
  std::vector<text_span> sentences;
  std::string folded;
  std::vector<token> tokens;
  std::size_t last_kept = pieces.size();
  for (std::size_t i = pieces.size(); i-- > 0;) {
    if (!s.paragraphs[i].removed) {
      last_kept = i;
      break;
    }
  }
  const auto classify = [&](std::string_view text) {
    folded.clear();
    tokens.clear();
    tokenize.tokenize(text, 0, folded, tokens, nullptr);
    return lexicon.classify({text, folded, utf8::count_code_points(text), false, tokens, 0});
  };
  bool split = false;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    const paragraph_work& p = s.paragraphs[i];
    // A caption goes whole: its credit ends it ("A man walks past ... 2023. (AP Photo/...)"). Not
    // news with a photo credit run on ("BEIJING, Feb. 7 (Xinhua) -- China will send ... (Photo by
    // Li Ming/Xinhua)"): a paragraph of three sentences or more before the credit, or with a dateline.
    if ((p.removed && *p.removed != removal_kind::duplicate) || i == last_kept) {
      sentences.clear();
      splitter.split(p.text, 0, sentences);
      if (p.removed == removal_kind::caption && sentences.size() <= 3 && !find_dateline(p.text, false)) {
        out.push_back(pieces[i]);
        continue;
      }
      const auto footer = [&](std::optional<removal_kind> kind) {
        if (!kind) return false;
        if (p.removed) return kind == p.removed;
        return *kind == removal_kind::copyright || *kind == removal_kind::contributor;
      };
      // The tail, from sentence `from`. In a removed paragraph: the last sentences that are
      // boilerplate each, then shorter while the lexicon does not take them whole. In a kept one:
      // the longest the lexicon takes whole whose first sentence is a plain footer ("Copyright
      // 2022 Reuters. Click For Restrictions."; "(Reporting by J. Doe; ...)", which the splitter
      // cuts at the initial).
      std::size_t from = sentences.size();
      const auto tail_from = [&](std::size_t k) { return p.text.substr(sentences[k].begin); };
      if (p.removed) {
        while (from > 1 && sentences.size() - from < longest_tail &&
               footer(classify(p.text.substr(sentences[from - 1].begin, sentences[from - 1].size())))) {
          --from;
        }
        while (from < sentences.size() && !footer(classify(tail_from(from)))) ++from;
      } else {
        for (std::size_t k = sentences.size() > longest_tail ? sentences.size() - longest_tail : 1; k < sentences.size(); ++k) {
          if (plain_footer(p.text.substr(sentences[k].begin, sentences[k].size())) && footer(classify(tail_from(k)))) {
            from = k;
            break;
          }
        }
      }
      if (from < sentences.size()) {
        std::string_view rest = p.text.substr(0, sentences[from].begin);
        while (!rest.empty() && rest.back() == ' ') rest.remove_suffix(1);
        if (!classify(rest)) {
          out.push_back(rest);
          out.push_back(p.text.substr(sentences[from].begin));
          split = true;
          continue;
        }
      }
    }
    out.push_back(pieces[i]);
  }
  if (split) pieces = std::move(out);
  return split;
}

}  // namespace

status normalizer::process(article& a) const {
  const impl& x = *impl_;
  thread_local scratch s;
  s.clear();

  // 1. Display text.
  a.headline = clean_text(a.body_is_html || has_inline_tags(a.headline) ? html_to_text(a.headline).text
                                                                       : decode_html_entities(a.headline),
                          true);
  // A headline that is only a date line ("Thursday, December 11, 2008", "Updated 2:34 PM EST,
  // October 1, 2023", "11/28/05"): a scrape's stamp in the headline field. No headline: a title at the top of
  // the body is taken instead (below), or none.
  const auto dated_headline = [&] {
    const auto f = dated_line(a.headline);
    return (f && f->kind == header_line_kind::date) || stamp_line(a.headline) != stamp_kind::none;  // "11/28/05" too
  };
  const bool stamped_headline = !a.headline.empty() && dated_headline();
  if (stamped_headline) a.removed.push_back({removal_kind::header, std::exchange(a.headline, std::string())});
  const bool had_body = !a.body.empty();
  std::string clean;
  std::optional<std::int64_t> page_time;  // the time an HTML page states for itself
  std::string page_title;                 // an HTML page's <title>
  if (a.body_is_html) {
    html_text html = html_to_text(a.body);
    for (const std::string& time : html.published) {
      if ((page_time = parse_feed_time_ms(time))) break;
    }
    page_title = clean_text(html.title, true);
    for (auto& caption : html.captions) {
      std::string c = clean_text(caption, true);
      if (!c.empty()) a.removed.push_back({removal_kind::caption, std::move(c)});
    }
    // A <time> standing as a paragraph of its own at the top ("Feb 7" under the headline) is the
    // page's date line, not the article's text.
    for (auto& date : html.dates) {
      std::string d = clean_text(date, true);
      if (!d.empty()) a.removed.push_back({removal_kind::header, std::move(d)});
    }
    // Escaped twice by its feed ("3%&amp;nbsp;on", "company&amp;rsquo;s"): references are left in
    // the text, which no article means to show.
    if (html.text.find('&') != std::string::npos) html.text = decode_html_entities(html.text, /*strict=*/true);
    clean = clean_text(html.text, false);
    a.body_is_html = false;
    if (const auto chars = clean.size() > x.max_body_chars ? utf8::count_code_points(clean) : 0;
        chars > x.max_body_chars) {
      return reject("body_too_long", "body of " + std::to_string(chars) +
                                         " characters once its HTML is removed exceeds max_body_chars " +
                                         std::to_string(x.max_body_chars));
    }
  } else if (a.body.find('&') != std::string::npos) {
    // A plain body with HTML character references ("AT&amp;T", "&#8212;", "&rsquo;"): a feed that
    // escaped its text for HTML. Decoded as the headline's are.
    clean = clean_text(decode_html_entities(a.body, /*strict=*/true), false);
  } else {
    clean = clean_text(a.body, false);
  }

  // 2. Header lines.
  std::optional<std::int64_t> header_time;
  for (const auto& line : a.header_lines) {
    std::string text = clean_text(line, true);
    const header_field f = classify_header_line(text);
    switch (f.kind) {
      case header_line_kind::title:
        if (a.headline.empty()) a.headline = f.value;
        break;
      case header_line_kind::url:
        if (a.url.empty()) a.url = f.value;
        break;
      case header_line_kind::date:
        if (!header_time) header_time = parse_feed_time_ms(f.value);
        break;
      case header_line_kind::source:  // decode took these in (it gives them their place among the fallbacks)
      case header_line_kind::byline:
      case header_line_kind::language:
      case header_line_kind::other:
        break;
    }
    if (!text.empty()) a.removed.push_back({removal_kind::header, std::move(text)});
  }

  // 3. Paragraphs, tokenized and folded once; then boilerplate.
  std::vector<std::string_view> pieces = split_paragraphs(clean, s.joined);
  classify_paragraphs(x.lexicon, x.tokens, pieces, s);
  // A paragraph the lexicon removes for its last sentences ("... the Kremlin said. Jill Lawless in
  // London contributed to this report.": one line of a raw-text feed) loses those only; so does
  // the last kept paragraph when a footer runs on after its last sentence.
  if (split_trailing_boilerplate(x.lexicon, x.tokens, x.sentences, pieces, s)) {
    classify_paragraphs(x.lexicon, x.tokens, pieces, s);
  }
  auto& ps = s.paragraphs;
  std::size_t title_index = ps.size();
  std::size_t byline_index = ps.size();
  bool flash = false;  // the body's one paragraph is the headline
  {
    std::vector<std::size_t> kept;
    for (std::size_t i = 0; i < ps.size() && kept.size() < 4; ++i) {
      if (!ps[i].removed) kept.push_back(i);
    }
    // Without a headline, a stamp first ("Updated 11/27/2005 3: 41 PM") is no title: it goes, and
    // the title may follow it.
    while (a.headline.empty() && kept.size() >= 2 && stamp_line(ps[kept[0]].text) != stamp_kind::none) {
      ps[kept[0]].removed = removal_kind::header;
      kept.erase(kept.begin());
    }
    std::size_t next = 0;
    // A title before the body; or, alone, a flash: "FLASH: Putin says ..." is a headline whose
    // body comes later (in the item's next version).
    const auto flagged = [](std::string_view t) {
      return std::any_of(k_flash_flags.begin(), k_flash_flags.end(), [&](std::string_view f) { return t.starts_with(f); });
    };
    // A headline field holding only a stamp says the item has a title: the body's first line
    // (ending in a full stop too, when more follows), alone too when it is no sentence (a video
    // page's caption, "Esther Williams, swimming star, dies at 91"; not "Talks began."), unless it
    // reads as a report's sentence ("The Senate passed the bill on Monday.").
    const bool stamped_title = stamped_headline && !kept.empty() && !reads_like_a_report(ps[kept[0]].text);
    if (a.headline.empty() && !kept.empty() && (kept.size() >= 2 || stamped_title || flagged(ps[kept[0]].text)) &&
        looks_like_title(ps[kept[0]].text, ps[kept[0]].chars, stamped_title && kept.size() >= 2) &&
        byline_of(ps[kept[0]].text, ps[kept[0]].chars).empty() && !find_dateline(ps[kept[0]].text, true)) {
      title_index = kept[0];
      flash = kept.size() == 1;
      a.headline = std::string(ps[kept[0]].text);
      next = 1;
    }
    for (std::size_t k = next; k < kept.size() && k < next + 2; ++k) {
      if (const auto names = byline_of(ps[kept[k]].text, ps[kept[k]].chars); !names.empty()) {
        byline_index = kept[k];
        if (a.byline.empty()) a.byline = std::string(names);
        // "By KEVIN FREKING" / "Associated Press Writer": the byline's second line.
        if (k + 1 < kept.size() && is_credit_title(ps[kept[k + 1]].text)) ps[kept[k + 1]].removed = removal_kind::byline;
        break;
      }
    }
    // A date line under the title or the byline, as web pages print it ("Updated 2:34 PM EST,
    // October 1, 2023"): a header line, and, in a page's text (raw text or HTML), the publication
    // time if the input gave none. Not in a JSON input's body, which has fields for its time: a
    // scrape's date lines there (half of ECB+'s bodies open with "Published: August 7, 2012", in
    // no order of time) moved the cluster stage's clock of `wirefeed process` years back and
    // forth and expired its stories (BCubed F1 0.883 -> 0.693).
    // The Guardian's byline has no "By" ("Bethan McKernan in Antakya") and a standfirst may come
    // first: lines that are no sentence (no full stop, a dozen words at most) may stand between.
    // Scraped pages also print stamps no time is read from (stamp_line), two in a row ("Posted:
    // ..." / "Updated: ..."), and after a standfirst: in the first four paragraphs all go (after a
    // sentence only with a clock time or a label: a date alone there is a timeline's); the time
    // comes from the first date line that reads as one before any sentence.
    bool header = true;  // no sentence yet
    for (std::size_t k = next; k < kept.size() && k < next + 4; ++k) {
      if (kept[k] == byline_index) continue;
      const paragraph_work& p = ps[kept[k]];
      if (const auto f = header ? dated_line(p.text) : std::nullopt) {
        ps[kept[k]].removed = removal_kind::header;
        if (f->kind == header_line_kind::date && !header_time && a.format == feed_format::text) {
          header_time = parse_feed_time_ms(f->value);
        }
      } else if (const stamp_kind stamp = stamp_line(p.text);
                 stamp == stamp_kind::stamped || (header && stamp == stamp_kind::date)) {
        ps[kept[k]].removed = removal_kind::header;
      } else if (count_words(p.text) > 12 || p.text.ends_with('.')) {
        header = false;
      }
    }
  }
  // An HTML page's <title> is the last resort: it often names the site too.
  if (a.headline.empty() && !page_title.empty()) {
    if (std::string h = title_headline(page_title, a.publisher, a.url); !h.empty()) {
      a.headline = std::move(h);
      a.removed.push_back({removal_kind::header, std::move(page_title)});
    }
  }

  // 4. Assemble the body from what is kept.
  std::string body;
  body.reserve(clean.size());
  a.folded.clear();
  a.folded.reserve(s.folded.size());
  a.paragraphs.clear();
  a.paragraphs.reserve(ps.size());
  a.tokens.clear();
  a.tokens.reserve(s.tokens.size());
  std::vector<word_table::mask> masks;
  masks.reserve(s.masks.size());
  for (std::size_t i = 0; i < ps.size(); ++i) {
    const paragraph_work& p = ps[i];
    if (i == title_index) {
      a.removed.push_back({removal_kind::header, std::string(p.text)});
      continue;
    }
    if (i == byline_index) {
      a.removed.push_back({removal_kind::byline, std::string(p.text)});
      continue;
    }
    if (p.removed) {
      a.removed.push_back({*p.removed, std::string(p.text)});
      continue;
    }
    if (!body.empty()) {
      body += "\n\n";
      a.folded += "\n\n";
    }
    const auto text_base = static_cast<std::uint32_t>(body.size());
    const auto folded_base = static_cast<std::uint32_t>(a.folded.size());
    body += p.text;
    a.folded += folded_of(s, p);
    a.paragraphs.push_back({{text_base, static_cast<std::uint32_t>(body.size())},
                            {folded_base, static_cast<std::uint32_t>(a.folded.size())}});
    const std::size_t first = a.tokens.size();
    a.tokens.insert(a.tokens.end(), s.tokens.begin() + p.token_begin, s.tokens.begin() + p.token_end);
    masks.insert(masks.end(), s.masks.begin() + p.token_begin, s.masks.begin() + p.token_end);
    const std::uint32_t folded_shift = folded_base - p.folded_begin;  // unsigned wrap-around is fine
    for (std::size_t t = first; t < a.tokens.size(); ++t) {
      token& tok = a.tokens[t];
      tok.text.begin += text_base;
      tok.text.end += text_base;
      tok.folded.begin += folded_shift;
      tok.folded.end += folded_shift;
    }
  }
  a.body = std::move(body);
  if (a.body.empty() && had_body && !ps.empty() && !flash) {
    return reject("no_body_after_normalize",
                  "every paragraph of the body was removed as boilerplate (" + std::to_string(ps.size()) +
                      " paragraph(s); see the lexicon)");
  }
  if (a.body.empty() && a.headline.empty()) {
    return reject("no_body_after_normalize", "no headline and no body text once cleaned");
  }
  a.headline = without_service_flags(std::move(a.headline));

  // 5. Dateline: the first paragraph (any form), else the first strong one.
  a.dateline.reset();
  std::optional<std::int64_t> dateline_time;
  for (std::size_t i = 0; i < a.paragraphs.size(); ++i) {
    const text_span span = a.paragraphs[i].text;
    if (auto d = find_dateline(std::string_view(a.body).substr(span.begin, span.size()), i == 0)) {
      std::size_t length = d->length;
      while (length > 0 && a.body[span.begin + length - 1] == ' ') --length;
      const auto at = [&](std::size_t offset, std::size_t size) {
        return size == 0 ? text_span{} : text_span{span.begin + static_cast<std::uint32_t>(offset),
                                                   span.begin + static_cast<std::uint32_t>(offset + size)};
      };
      a.dateline = dateline_info{std::move(d->place), std::move(d->agency), at(0, length),
                                 at(d->place_at, d->place_length), at(d->region_at, d->region_length)};
      // The year as written, else the one that puts the day closest before the record's time: a
      // backfill of 2023 copy written to Kafka in 2024 keeps its 2023.
      if (d->month != 0 && d->year >= 1970 && d->year <= 2100) {
        dateline_time = civil_date_ms(d->year, d->month, d->day);
      } else if (d->month != 0 && a.source.timestamp_ms > 0) {
        dateline_time = date_near(d->month, d->day, a.source.timestamp_ms);
      }
      break;
    }
  }
  if (a.located.empty() && a.dateline) a.located = a.dateline->place;

  // 6. Language, then stopwords.
  std::size_t words = 0, markers = 0;
  for (std::size_t t = 0; t < a.tokens.size() && words < k_language_sample_words; ++t) {
    if (a.tokens[t].kind != token_kind::word) continue;
    ++words;
    if (masks[t] & word_table::english_marker) ++markers;
  }
  std::string declared = a.language.empty() ? std::string() : canonical_language_tag(a.language);
  // "und" (undetermined), "mul" (several), "zxx" (no language) and "mis" say nothing of the text,
  // and neither does what is no language tag ("english": a primary subtag of two or three letters
  // expected): detected instead.
  {
    const std::string_view primary = std::string_view(declared).substr(0, declared.find('-'));
    if (primary.size() > 3 || primary == "und" || primary == "mul" || primary == "zxx" || primary == "mis") declared.clear();
  }
  if (!declared.empty()) {
    a.language = declared;
    a.language_from = language_source::declared;
    // The free check; CLD2 only when a text declared English does not look it (feeds that
    // declare "en" whatever they send), so the wrong declaration shows in language_detected.
    if (language_detector::looks_english(words, markers)) {
      a.language_detected = language_guess{"en", true, "function_words"};
    } else if (declared == "en" || declared.starts_with("en-")) {
      a.language_detected = x.language.detect(a.headline, a.body, words, markers);
      // Not English by its function words, and reliably another language by CLD2 over a dozen
      // words or more: that language (else the English extractors read a French text as English:
      // "Selon l'Élysée" a person, "100.000 soldats" 100).
      const language_guess& g = a.language_detected;
      if (g.reliable && words >= k_min_words_against_declared && g.code != "und" && g.code != "en" && !g.code.starts_with("en-")) {
        a.language = g.code;
        a.language_from = language_source::detected;
      }
    } else {
      a.language_detected = language_guess{};
    }
  } else {
    a.language_detected = x.language.detect(a.headline, a.body, words, markers);
    if (a.language_detected.code != "und") {
      a.language = a.language_detected.code;
      a.language_from = language_source::detected;
    } else {
      a.language.clear();
      a.language_from = language_source::none;
    }
  }
  const word_table::mask stop_bit = word_table::stopword_bit(a.language);
  for (std::size_t t = 0; t < a.tokens.size(); ++t) a.tokens[t].is_stopword = (masks[t] & stop_bit) != 0;

  // 7. Sentences.
  a.sentences.clear();
  a.sentences.reserve(a.paragraphs.size() * 2);
  for (const paragraph& p : a.paragraphs) {
    x.sentences.split(std::string_view(a.body).substr(p.text.begin, p.text.size()), p.text.begin, a.sentences,
                      a.language);
  }

  // 8. Published time, best source first.
  if (auto t = parse_feed_time_ms(a.published)) {
    a.published_ms = t;
    a.published_from = published_source::feed;
  } else if (page_time) {
    a.published_ms = page_time;
    a.published_from = published_source::html_meta;
  } else if (header_time) {
    a.published_ms = header_time;
    a.published_from = published_source::header;
  } else if (dateline_time) {
    a.published_ms = dateline_time;
    a.published_from = published_source::dateline;
  } else if (a.source.timestamp_ms > 0) {
    a.published_ms = a.source.timestamp_ms;
    a.published_from = published_source::record_timestamp;
  } else {
    a.published_ms.reset();
    a.published_from = published_source::none;
  }
  a.first_created_ms = parse_feed_time_ms(a.first_created);
  return ok_status();
}

}  // namespace wirefeed
