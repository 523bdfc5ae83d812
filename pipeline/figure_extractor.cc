#include "pipeline/figure_extractor.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <tuple>

#include "pipeline/number_words.h"
#include "pipeline/extract_lexicon.h"
#include "pipeline/word_set.h"

namespace wirefeed {
namespace {

struct named_unit {
  std::string_view word;
  std::string_view unit;
};

// Unit words after a number (folded), and what they are normalised to.
constexpr auto k_units = std::to_array<named_unit>({
    {"%", "percent"},         {"percent", "percent"},     {"pct", "percent"},        {"hour", "hour"},
    {"hours", "hour"},        {"minute", "minute"},       {"minutes", "minute"},     {"second", "second"},
    {"seconds", "second"},    {"day", "day"},             {"days", "day"},           {"week", "week"},
    {"weeks", "week"},        {"month", "month"},         {"months", "month"},       {"year", "year"},
    {"years", "year"},        {"decade", "decade"},       {"decades", "decade"},     {"km", "km"},
    {"kilometre", "km"},      {"kilometres", "km"},       {"kilometer", "km"},       {"kilometers", "km"},
    {"mile", "mile"},         {"miles", "mile"},          {"metre", "m"},            {"metres", "m"},
    {"meter", "m"},           {"meters", "m"},            {"ton", "ton"},            {"tons", "ton"},
    {"tonne", "ton"},         {"tonnes", "ton"},          {"kg", "kg"},              {"kilogram", "kg"},
    {"kilograms", "kg"},      {"barrel", "barrel"},       {"barrels", "barrel"},     {"dollar", "USD"},
    {"dollars", "USD"},       {"euro", "EUR"},            {"euros", "EUR"},          {"pound", "GBP"},
    {"pounds", "GBP"},        {"yen", "JPY"},             {"yuan", "CNY"},           {"ruble", "RUB"},
    {"rubles", "RUB"},        {"rouble", "RUB"},          {"roubles", "RUB"},        {"hryvnia", "UAH"},
    {"hryvnias", "UAH"},      {"mph", "mph"},             {"km/h", "km/h"},          {"sq", "sq"},
    {"acres", "acre"},        {"hectares", "hectare"},    {"rupee", "INR"},          {"rupees", "INR"},
    {"franc", "CHF"},         {"francs", "CHF"},          {"feet", "ft"},
    {"ft", "ft"},             {"inch", "in"},             {"inches", "in"},
});

std::string_view unit_named(std::string_view w) {
  for (const auto& u : k_units) {
    if (u.word == w) return u.unit;
  }
  return {};
}

// A currency named with its country, as Reuters writes them: "Swiss francs", "Indian rupees".
std::string_view national_currency(std::string_view country, std::string_view currency) {
  static constexpr std::array<std::tuple<std::string_view, std::string_view, std::string_view>, 8> k_named{{
      {"swiss", "francs", "CHF"},       {"swiss", "franc", "CHF"},         {"indian", "rupees", "INR"},
      {"canadian", "dollars", "CAD"},   {"australian", "dollars", "AUD"},  {"singapore", "dollars", "SGD"},
      {"taiwan", "dollars", "TWD"},     {"brazilian", "reais", "BRL"},
  }};
  for (const auto& [c, word, code] : k_named) {
    if (c == country && word == currency) return code;
  }
  return {};
}

// A currency sign or code written before the number (folded): "$", "€", "CHF 200 million",
// "Rs 1,000 crore".
std::string_view currency_symbol(std::string_view w) {
  if (w == "$" || w == "us$") return "USD";
  if (w == "€") return "EUR";
  if (w == "£") return "GBP";
  if (w == "¥") return "JPY";
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 10> k_codes{{
      {"usd", "USD"}, {"eur", "EUR"}, {"gbp", "GBP"}, {"jpy", "JPY"}, {"chf", "CHF"},
      {"cny", "CNY"}, {"inr", "INR"}, {"rs", "INR"},  {"rs.", "INR"}, {"rmb", "CNY"},
  }};
  for (const auto& [code, unit] : k_codes) {
    if (code == w) return unit;
  }
  return {};
}

const word_set& prepositions() {
  static const word_set s{"near",   "along",  "within",  "across",  "toward", "towards", "against", "inside",
                          "outside", "around", "amid",   "despite", "during", "via",     "per",     "including",
                          "beyond", "behind", "beside",  "among",   "between", "without", "throughout", "onto",
                          "upon",   "since",  "until",   "till",    "under",  "over",    "like",    "unlike",
                          "after",  "before", "dead",    "injured", "killed", "wounded", "missing", "alive",
                          "aboard", "abroad", "there",   "here",    "so",     "far"};
  return s;
}

// The dollar a letter prefix glued to "$" names: "HK$10", "C$5", "A$2" (folded). Empty: none.
std::string_view dollar_of(std::string_view prefix) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 10> k_dollars{{
      {"us", "USD"}, {"hk", "HKD"}, {"c", "CAD"}, {"ca", "CAD"}, {"a", "AUD"},
      {"au", "AUD"}, {"nz", "NZD"}, {"s", "SGD"}, {"nt", "TWD"}, {"r", "BRL"},
  }};
  for (const auto& [p, code] : k_dollars) {
    if (p == prefix) return code;
  }
  return {};
}

bool is_currency(std::string_view unit) { return unit.size() == 3 && unit[0] >= 'A' && unit[0] <= 'Z'; }

// Qualifiers before a number, longest first.
constexpr auto k_qualifiers = std::to_array<std::string_view>({
    "no more than", "no fewer than", "no less than", "as many as", "as much as", "as few as", "as little as",
    "in excess of", "more than",    "less than",     "fewer than",  "up to",      "at least",   "at most",
    "close to",     "upwards of",   "well over",     "just over",   "just under", "an estimated", "well above",
    "about",        "around",       "roughly",       "nearly",      "almost",     "approximately", "some",
    "over",         "under",        "below",         "above",       "only",       "just",       "estimated",
    "approx.",      "circa",        "exactly",       "precisely",   "barely",     "beyond",       "maximum"});

// Words that end the counted words: adverbs that follow numbers.
const word_set& not_counted() {
  static const word_set s{"already", "also",  "still", "again", "each",   "apiece", "now",     "then",
                          "today",   "ago",   "later", "earlier", "respectively", "altogether", "total",
                          "said",    "says",  "say",   "were",  "are",    "was",    "is",      "have",
                          "had",     "has",   "will",  "would", "could",  "may",    "might",   "times",
                          // a distance's direction: "1,500 kilometers south of the capital"
                          "north",   "south", "east",  "west",  "northeast", "northwest", "southeast", "southwest",
                          "away",    "apart"};
  return s;
}

// A vague multiple: "dozens" .. "billions", with its range.
std::optional<std::pair<double, double>> vague(std::string_view w) {
  if (w == "dozens") return std::pair{24.0, 99.0};
  if (w == "hundreds") return std::pair{200.0, 999.0};
  if (w == "thousands") return std::pair{2000.0, 9999.0};
  if (w == "millions") return std::pair{2e6, 9.999999e6};
  if (w == "billions") return std::pair{2e9, 9.999999999e9};
  return std::nullopt;
}

std::string_view first_word(std::string_view words) { return words.substr(0, words.find(' ')); }

struct amount {
  double value = 0;
  std::optional<double> high;
  std::uint32_t end = 0;  // one past the last token read
  std::string_view unit;
  bool vague = false;
  bool dashed = false;  // two numbers in one word, "14-15"
};

// What a pair of numbers joined by a hyphen counts when it is a result, not a range: "a 9-14
// record", "the 13-13 tie", "the 2009-2010 season".
const word_set& result_words() {
  static const word_set s{"record", "records", "mark",    "tie",     "draw",    "lead",     "start",   "finish",
                          "season", "seasons", "win",     "victory", "loss",    "defeat",   "heading", "overall",
                          "home",   "away",    "road",    "lifetime", "run",    "score",    "margin",  "deficit",
                          "vote",   "decision", "split",  "halftime", "conference", "division", "league", "campaign"};
  return s;
}

class reader {
 public:
  explicit reader(const extract_context& c) : c_(c) {}

  std::vector<figure> run() {
    std::vector<figure> out;
    for (std::uint32_t i = 0; i < c_.size();) {
      figure f;
      std::uint32_t next = i + 1;
      if (read_figure(i, f, next)) out.push_back(std::move(f));
      i = std::max(next, i + 1);
    }
    return out;
  }

 private:
  bool same(std::uint32_t i, std::uint32_t j) const { return j < c_.size() && c_.sentence_of(i) == c_.sentence_of(j); }
  bool is(std::uint32_t i, std::string_view f) const { return c_.is(i, f); }
  bool free(std::uint32_t i) const { return i < c_.size() && !c_.in_date[i] && c_.mention_at[i] < 0; }

  // A sign or point `mark` right before the digits at `i`, not joining them to what comes before:
  // "-5 degrees", "−3.5%" (a hyphen, a dash and U+2212 fold alike), ".5 percent"; not "10-5", not
  // "ended.5".
  bool leading(std::uint32_t i, std::string_view mark) const {
    if (i == 0 || !c_.is_number(i) || !same(i - 1, i) || !is(i - 1, mark)) return false;
    const std::vector<token>& t = c_.doc().tokens;
    return t[i - 1].text.end == t[i].text.begin && (i < 2 || t[i - 2].text.end != t[i - 1].text.begin);
  }

  // ".5": a point right before digits alone ("5"), the number's own.
  bool point_first(std::uint32_t i) const {
    return leading(i, ".") && c_.folded(i).find_first_not_of("0123456789") == std::string_view::npos;
  }

  // A number (with its scale words) starting at token i.
  std::optional<amount> read_amount(std::uint32_t i) const {
    if (!free(i)) return std::nullopt;
    const std::string_view w = c_.folded(i);
    amount a;
    a.end = i + 1;
    if (c_.is_number(i)) {
      if (w.find('/') != std::string_view::npos || w.find(':') != std::string_view::npos) return std::nullopt;
      // "000" (the tail of "100, 000"), "007": digits, no quantity.
      if (w.size() > 1 && w[0] == '0' && w[1] != '.') return std::nullopt;
      if (const auto v = number_words::parse_digits(point_first(i) ? "." + std::string(w) : std::string(w))) {
        a.value = *v;
      } else if (const auto r = number_words::parse_digit_range(w)) {
        a.value = r->first;
        a.high = r->second;
        a.dashed = true;
      } else {
        return std::nullopt;
      }
    } else if (c_.is_word(i)) {
      if (const auto v = number_words::parse_word(w)) {
        a.value = *v;
        if (*v == 1 && !(same(i, i + 1) && (number_words::scale(c_.folded(i + 1)) > 0 || is(i + 1, "hundred")))) {
          return std::nullopt;
        }
      } else if (const auto g = glued(w)) {
        if (const auto metres = race_distance(i, w)) return amount{*metres, std::nullopt, i + 1, "m", false};
        return amount{g->value, std::nullopt, i + 1, g->unit, false};
      } else if (w == "tens" || vague(w)) {
        return read_vague(i);
      } else {
        return std::nullopt;
      }
    } else {
      return std::nullopt;
    }
    // Scale words ("five million", "5.3 billion", "10-20 million") and, after a number word, the
    // number words that go on with it: "two hundred fifty thousand", "nine hundred and ninety-nine".
    const bool words = !c_.is_number(i);
    double total = 0;  // the groups closed by a scale word ("two million") so far
    double last_group = 0;  // the last of them, while a scale word may still multiply it
    while (same(i, a.end) && free(a.end)) {
      const std::string_view s = c_.folded(a.end);
      if (const double factor = s == "hundred" ? 100 : number_words::scale(s); factor > 0) {
        if (a.high) *a.high *= factor;
        if (factor > 100 && last_group > 0 && a.value == 0) {  // "10 lakh crore", "a thousand million"
          total += last_group * (factor - 1);
          last_group *= factor;
          ++a.end;
          continue;
        }
        a.value *= factor;
        if (factor > 100) {
          total += a.value;
          last_group = a.value;
          a.value = 0;
        }
        ++a.end;
        continue;
      }
      last_group = 0;
      if (!words || a.high) break;
      // "and" only between "hundred" (or a scale word) and what follows it.
      const std::uint32_t at = s == "and" && same(i, a.end + 1) && free(a.end + 1) ? a.end + 1 : a.end;
      const auto more = number_words::parse_word(c_.folded(at));
      if (!more || !continues(a.value, *more) || (at != a.end && std::fmod(a.value, 100) != 0)) break;
      a.value += *more;
      a.end = at + 1;
    }
    a.value += total;
    return a;
  }

  // Whether number word `next` goes on from `so_far` in one number: a ten after hundreds or
  // nothing ("two hundred fifty", "two million five"), a unit after a ten ("twenty five").
  static bool continues(double so_far, double next) {
    if (next == 100 || next == 12) return false;  // "hundred" is a scale here; "dozen" no part
    const double rest = std::fmod(so_far, 100);
    if (rest == 0) return next < 100;
    return rest >= 20 && std::fmod(rest, 10) == 0 && next < 10;
  }

  // "5bn", "6,000km", "10kg": digits glued to a scale or a unit.
  struct glued_amount {
    double value;
    std::string_view unit;
  };
  static std::optional<glued_amount> glued(std::string_view w) {
    std::size_t k = 0;
    while (k < w.size() && ((w[k] >= '0' && w[k] <= '9') || w[k] == ',' || w[k] == '.')) ++k;
    if (k == 0 || k == w.size()) return std::nullopt;
    const auto v = number_words::parse_digits(w.substr(0, k));
    if (!v) return std::nullopt;
    const std::string_view suffix = w.substr(k);
    if (const double s = number_words::scale(suffix, true); s > 0) return glued_amount{*v * s, {}};
    // "$140-million": a scale word after a hyphen.
    if (suffix.size() > 1 && suffix[0] == '-') {
      if (const double s = number_words::scale(suffix.substr(1)); s > 0) return glued_amount{*v * s, {}};
    }
    if (const std::string_view u = unit_named(suffix); !u.empty()) return glued_amount{*v, u};
    return std::nullopt;
  }

  // "100m" is 100 million, but in "the 100m final" or "won the 400m" a race: metres. The word
  // after it names the event, or "the" comes before one of the standard distances.
  std::optional<double> race_distance(std::uint32_t i, std::string_view w) const {
    if (w.size() < 2 || w.back() != 'm') return std::nullopt;
    const auto v = number_words::parse_digits(w.substr(0, w.size() - 1));
    if (!v) return std::nullopt;
    static const word_set events{"sprint",     "final",       "finals",  "race",   "hurdles", "freestyle", "butterfly",
                                 "backstroke", "breaststroke", "relay",  "medley", "dash",    "heat",      "heats",
                                 "semifinal",  "semi-final",   "semifinals", "semi-finals", "steeplechase", "title"};
    if (same(i, i + 1) && events.contains(c_.folded(i + 1))) return v;
    constexpr double standard[] = {50, 60, 100, 110, 200, 400, 800, 1500, 3000, 5000, 10000};
    if (i > 0 && same(i - 1, i) && is(i - 1, "the") && std::find(std::begin(standard), std::end(standard), *v) != std::end(standard)) {
      return v;
    }
    return std::nullopt;
  }

  // "tens of thousands", "hundreds of thousands", "thousands", "dozens".
  std::optional<amount> read_vague(std::uint32_t i) const {
    const std::string_view w = c_.folded(i);
    amount a;
    a.vague = true;
    if (w == "tens" || w == "hundreds") {
      const bool of_many = is(i + 2, "thousands") || is(i + 2, "millions") || is(i + 2, "billions");
      if (same(i, i + 2) && is(i + 1, "of") && of_many) {
        const double base = vague(c_.folded(i + 2))->first / 2;  // 1e3, 1e6, 1e9
        a.value = (w == "tens" ? 20 : 200) * base;
        a.high = (w == "tens" ? 100 : 1000) * base - 1;
        a.end = i + 3;
        return a;
      }
      if (w == "tens") return std::nullopt;
    }
    const auto r = vague(w);
    if (!r) return std::nullopt;
    a.value = r->first;
    a.high = r->second;
    a.end = i + 1;
    return a;
  }

  // The qualifier phrase ending right before token `start`, as (first token, text).
  std::pair<std::uint32_t, std::string_view> qualifier_before(std::uint32_t start) const {
    for (const std::string_view q : k_qualifiers) {
      const auto words = static_cast<std::uint32_t>(std::count(q.begin(), q.end(), ' ') + 1);
      if (start < words) continue;
      const std::uint32_t first = start - words;
      if (c_.sentence_of(first) != c_.sentence_of(start)) continue;
      std::string_view rest = q;
      bool ok = true;
      for (std::uint32_t k = first; k < start && ok; ++k) {
        const auto sp = rest.find(' ');
        ok = c_.folded(k) == rest.substr(0, sp);
        rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
      }
      if (ok) return {first, q};
    }
    return {start, {}};
  }

  // The counted words from token j on: lower-case words, capitalised words and entities skipped
  // before the first one.
  std::string counted_from(std::uint32_t j, std::uint32_t sentence_token) const {
    static const word_set determiners{"the", "a", "an", "its", "their", "his", "her", "our", "my", "your",
                                      "all", "this", "that", "these", "those", "which"};
    // Verbs in the past without "-ed" that end the phrase: "a 7.8 magnitude earthquake struck ...".
    static const word_set irregular_verbs{"struck", "hit",  "shook", "left",  "killed", "rocked", "fled",
                                          "took",   "made", "came",  "went",  "gave",   "fell",   "rose",
                                          "sank",   "broke", "found", "held",  "sent",   "led",    "lost",
                                          "won",    "paid", "began", "spent", "brought", "kept",  "ran"};
    std::string out, named_words;
    bool any = false;
    const std::uint32_t limit = j + 6;
    for (std::uint32_t k = j; k < limit && same(sentence_token, k); ++k) {
      const std::string_view f = c_.folded(k);
      if (c_.is_punct(k) || c_.is_number(k)) break;
      if (c_.mention_at[k] >= 0 || c_.capitalized(k)) {
        // "Russian troops", "elite US troops": names are skipped; alone ("100 Royal Engineers")
        // they are what is counted.
        if (!any) {
          if (!named_words.empty()) named_words += ' ';
          named_words.append(f);
        }
        continue;
      }
      // "5 of its last 10 games", "5 other people": what comes before the noun, or before another number.
      static const word_set before_noun{"more", "last", "next", "past", "first", "previous", "final", "other"};
      if (!any && named_words.empty() && (determiners.contains(f) || before_noun.contains(f))) continue;
      const bool first = !any && named_words.empty();
      // A toll and its like: "30 dead", "12 injured", "40 missing", "23 arrested" (words that end
      // the phrase after a noun).
      if (first && casualty_words().contains(f)) return std::string(f);
      if (ends_phrase(f)) break;
      // Right after the number, a verb ("Dozens gathered to pray", "the three met for hours") or
      // what is left ("four minutes left in the game", "48 seconds remaining") is nothing counted;
      // as an adjective before a noun it is kept: "12 loaded magazines", "300 remaining hostages".
      // An adverb there is skipped: "30 newly arrived troops".
      const bool verb_like = (f.size() > 4 && f.ends_with("ed")) || irregular_verbs.contains(f) || f == "remaining";
      if (first && verb_like && !word_at(k + 1, sentence_token)) break;
      if (first && f.size() > 4 && f.ends_with("ly") && word_at(k + 1, sentence_token)) continue;
      if (any && irregular_verbs.contains(f)) break;
      // "troops camping near", "project designed": a participle after the noun ends it; but after
      // an adjective, "-ing" is the noun: "national mourning", "heavy fighting".
      if (any && f.ends_with("ing") && out.find(' ') == std::string::npos && adjective_like(out)) {
        out += ' ';
        out.append(f);
        break;
      }
      if (any && (f.ends_with("ing") || f.ends_with("ed"))) break;
      if (any) out += ' ';
      out.append(f);
      any = true;
      // A plural ends the phrase: "troops", "civilians" (not "gas", "process", "plainclothes").
      if (f.size() > 3 && f.back() == 's' && !f.ends_with("ss") && !f.ends_with("us") && !f.ends_with("is") &&
          f != "plainclothes") {
        break;
      }
    }
    return any ? out : named_words;
  }

  // Words that end the counted words.
  static bool ends_phrase(std::string_view f) {
    return not_counted().contains(f) || extract_lexicon::is_stopword(f) || number_words::parse_word(f) ||
           prepositions().contains(f);
  }

  // Whether token `k` (in the sentence of `sentence_token`) is a word the counted words may go on with.
  bool word_at(std::uint32_t k, std::uint32_t sentence_token) const {
    return same(sentence_token, k) && c_.is_word(k) && !ends_phrase(c_.folded(k));
  }

  static const word_set& casualty_words() {
    static const word_set s{"dead",    "killed",   "injured",   "wounded",     "missing",      "hurt",
                            "arrested", "detained", "trapped",  "rescued",     "evacuated",    "displaced",
                            "stranded", "jailed",   "kidnapped", "hospitalized", "hospitalised", "abducted"};
    return s;
  }

  // A word with an adjective's ending ("national", "heavy", "military", "civilian").
  static bool adjective_like(std::string_view w) {
    for (const std::string_view end : {"al", "ic", "ive", "ous", "ful", "ary", "ern", "ian", "an", "y"}) {
      if (w.size() > end.size() + 2 && w.ends_with(end)) return true;
    }
    return false;
  }

  // Words that can start a figure (besides numbers, currency signs, "40-minute" and "5bn").
  static const word_set& starters() {
    static const word_set s{"one",     "two",      "three",    "four",     "five",      "six",     "seven",
                            "eight",   "nine",     "ten",      "eleven",   "twelve",    "thirteen", "fourteen",
                            "fifteen", "sixteen",  "seventeen", "eighteen", "nineteen", "twenty",  "thirty",
                            "forty",   "fifty",    "sixty",    "seventy",  "eighty",    "ninety",  "dozen",
                            "hundred", "thousand", "million",  "billion",  "trillion",  "tens",    "hundreds",
                            "thousands", "millions", "billions", "dozens"};
    return s;
  }

  // Digits that name rather than count: an index ("S&P 500", "FTSE 100"), a rank ("No. 2"), a
  // clock time ("1400 GMT", and the minutes and hour of one written with spaces: "4: 31 AM",
  // "7 p. m."), a street address ("the 12000 block of Joliet Avenue"), a person's age ("Maria
  // Lopez, 16," after a person's name).
  // An hour ("4" of "4: 31"): one or two digits up to 24, no date's day ("Nov. 12: 40 people").
  bool is_hour(std::uint32_t i) const {
    const std::string_view w = c_.folded(i);
    return c_.is_number(i) && !c_.in_date[i] && w.size() <= 2 && w.find_first_not_of("0123456789") == std::string_view::npos &&
           std::stoi(std::string(w)) <= 24;
  }
  // Minutes ("31" of "4: 31"): two digits up to 59.
  bool is_minutes(std::uint32_t i) const {
    const std::string_view w = c_.folded(i);
    return c_.is_number(i) && w.size() == 2 && w[0] >= '0' && w[0] <= '5' && w[1] >= '0' && w[1] <= '9';
  }

  bool names_something(std::uint32_t i) const {
    if (!c_.is_number(i)) return false;
    if (c_.folded(i) == "911") return true;  // the emergency number: "a 911 call", "called 911"
    if (same(i, i + 1) && (is(i + 1, "inches") || is(i + 1, "inch")) && i >= 2 && same(i - 2, i) &&
        (is(i - 1, "feet") || is(i - 1, "foot")) && c_.is_number(i - 2)) {
      return true;  // the inches of "6 feet 4 inches"
    }
    // A list's number: "1." or "1)" opening its sentence ("1. Rescue teams arrived.").
    if (c_.sentence(c_.sentence_of(i)).begin == i && i + 1 < c_.size() && (is(i + 1, ".") || is(i + 1, ")"))) return true;
    if (i > 0 && same(i - 1, i)) {
      const std::string_view before = c_.folded(i - 1);
      if (before == "s&p" || before == "ftse" || before == "nikkei" || before == "dax" || before == "cac" ||
          before == "stoxx" || before == "no." || before == "nos." || before == "#") {
        return true;
      }
      if (before == "p" && i >= 3 && is(i - 2, "&") && is(i - 3, "s")) return true;  // "S&P" as three tokens
      if (before == ":" && i >= 2 && same(i - 2, i) && is_hour(i - 2) && is_minutes(i)) return true;  // "4: 31"
      // An identifier: "Flight 93", "Category 5", "Interstate 75", "Week 16", "Article 60".
      // Most only capitalised ("earlier this week 40 people", "room for 300 guests"); a storm's
      // category and a road's number also in lower case.
      static const word_set numbered{"flight", "week", "article", "section", "chapter", "version", "room", "gate",
                                     "platform", "channel"};
      static const word_set numbered_lower{"category", "cat", "interstate", "route", "highway"};
      if (numbered_lower.contains(before) || (numbered.contains(before) && c_.capitalized(i - 1))) return true;
      // A year: "a 2008 Bentley", "the 2010 season", "Toyota's 2013 Camry" (written without a comma,
      // after a determiner; "2,000 troops" is a count, and so is "the 2000 troops" in the rare
      // copy that writes one so).
      static const word_set determiners{"a", "an", "the", "his", "her", "their", "its", "this", "that", "my", "our", "your", "'s", "’s"};
      const std::string_view w = c_.folded(i);
      // ... and before a name or a word of what happens in a year: "its 2000 employees" counts.
      static const word_set of_a_year{"season", "election", "elections", "campaign", "model", "census", "edition",
                                      "budget", "draft", "olympics", "games", "tournament", "playoffs", "film",
                                      "law", "report", "survey", "version", "championship", "race", "primary",
                                      "oscars", "emmys", "grammys", "awards", "finals", "midterms", "championships"};
      // A singular noun after it is no count either ("a 1999 incident", "his 2006 memoir"), and a
      // word may stand between ("a gray 2013 Toyota Camry").
      const bool year_like = w.size() == 4 && (w.starts_with("19") || w.starts_with("20")) &&
                             w.find_first_not_of("0123456789") == std::string_view::npos;
      static const word_set plural_without_s{"people", "men", "women", "children", "police", "personnel", "staff",
                                             "cattle", "sheep", "fish", "deer", "crew", "aircraft", "livestock",
                                             "militia", "feet", "teeth", "geese", "mice", "more", "other", "others"};
      const auto plural = [&](std::uint32_t k) {
        const std::string_view n = c_.folded(k);
        return c_.is_word(k) && ((n.ends_with('s') && !n.ends_with("ss")) || plural_without_s.contains(n));
      };
      // A singular noun: a word not plural, and no adjective of a plural after it ("its 2000
      // remaining soldiers").
      const auto singular = [&](std::uint32_t k) {
        const std::string_view n = c_.folded(k);
        return c_.is_word(k) && n.size() > 2 && !plural(k) && !c_.is_number(k) && !determiners.contains(n) &&
               !starters().contains(n) && unit_named(n).empty() && !(same(k, k + 1) && plural(k + 1));
      };
      // A name after it ("a 2008 Bentley"), but not a people's ("an estimated 2000 Palestinians").
      const auto named = [&](std::uint32_t k) { return c_.capitalized(k) && !plural(k); };
      const bool determined = determiners.contains(before) ||
                              (i >= 2 && same(i - 2, i) && determiners.contains(c_.folded(i - 2)) && c_.is_word(i - 1) &&
                               !c_.capitalized(i - 1) && !c_.is_number(i - 1) && !starters().contains(before));
      if (year_like && determined && same(i, i + 1) &&
          (named(i + 1) || of_a_year.contains(c_.folded(i + 1)) || singular(i + 1))) {
        return true;
      }
      // A product's version: "Windows 2000 users", "Windows Server 2008 R2", "Office 2007".
      static const word_set products{"windows", "server", "office", "exchange", "studio", "outlook", "excel",
                                     "powerpoint", "sharepoint", "photoshop", "autocad", "quickbooks"};
      if (year_like && c_.capitalized(i - 1) && products.contains(before)) return true;
    }
    // A phone number's groups: "0845 125 222" (a leading zero, not "0.5"; and the groups after it).
    const auto zero_led = [&](std::uint32_t k) {
      const std::string_view w = c_.folded(k);
      return w.size() >= 3 && w[0] == '0' && w[1] >= '0' && w[1] <= '9';
    };
    if (zero_led(i)) return true;
    for (std::uint32_t k = i; k > 0 && i - k < 3 && same(k - 1, i) && c_.is_number(k - 1); --k) {
      if (zero_led(k - 1)) return true;
    }
    if (same(i, i + 1)) {
      const std::string_view after = c_.folded(i + 1);
      if (after == "gmt" || after == "utc" || after == "et" || after == "edt" || after == "est" || after == "bst" ||
          after == "cet" || after == "cest") {
        return true;
      }
      if (after == ":" && same(i, i + 2) && is_hour(i) && is_minutes(i + 2)) return true;  // the hour of "4: 31"
      // "7 p. m.": "a" or "p", its period, then "m".
      if (after == "a" || after == "p" || after == "a." || after == "p.") {
        const std::uint32_t m = after.size() == 1 && is(i + 2, ".") ? i + 3 : i + 2;
        if (same(i, m) && (is(m, "m") || is(m, "m."))) return true;
      }
      if (after == "block" && same(i, i + 2) && is(i + 2, "of")) return true;
      // A gun's calibre: "a .38 caliber revolver", "a .357 Magnum", "a 12 gauge shotgun".
      if (after == "caliber" || after == "calibre" || after == "magnum" || after == "gauge") return true;
      // A person's height: "6 feet 4 inches tall" (both numbers).
      if ((after == "feet" || after == "foot") && same(i, i + 3) && c_.is_number(i + 2) &&
          (is(i + 3, "inches") || is(i + 3, "inch"))) {
        return true;
      }
    }
    // ", 45," right after a person's name.
    if (i >= 2 && same(i - 2, i + 1) && is(i - 1, ",") && is(i + 1, ",")) {
      const entity_mention* m = c_.mention_ending_at(i - 1);
      if (m && m->type == ner::entity_type::per) return true;
    }
    return false;
  }

  // Whether a word of weight or build comes at most three tokens before token `i`, in its sentence:
  // "weighs 200", "weighing about 200", "5-foot-10, 135", "6 feet tall, 200".
  bool weight_cue_before(std::uint32_t i) const {
    for (std::uint32_t k = i; k > 0 && i - k < 3 && same(k - 1, i); --k) {
      const std::string_view w = c_.folded(k - 1);
      if (w.starts_with("weigh") || w == "tall" || w == "inches" || w.find("-foot") != std::string_view::npos ||
          w.find("-feet") != std::string_view::npos) {
        return true;
      }
    }
    return false;
  }

  // Whether the number starting at token `start` follows "from" after a verb of change: "rose
  // from 36 to 57", "was cut sharply from 5% to 4%" (a change, not a range).
  bool change_from(std::uint32_t start) const {
    static const word_set verbs{
        "rose",     "rise",      "rises",     "risen",      "rising",    "fell",      "fall",     "falls",
        "fallen",   "falling",   "climbed",   "climb",      "climbs",    "climbing",  "increased", "increase",
        "increases", "increasing", "decreased", "decrease",  "decreases", "jumped",    "jump",     "jumps",
        "grew",     "grow",      "grows",     "grown",      "growing",   "dropped",   "drop",     "drops",
        "declined", "decline",   "declines",  "soared",     "surged",    "slipped",   "slid",     "sank",
        "plunged",  "plummeted", "tumbled",   "gained",     "edged",     "raised",    "lowered",  "cut",
        "lifted",   "boosted",   "reduced",   "revised",    "changed",   "moved",     "shrank",   "doubled",
        "tripled",  "swelled",   "widened",   "narrowed",   "eased",     "up",        "down"};
    if (start < 2 || !same(start - 1, start) || !is(start - 1, "from")) return false;
    for (std::uint32_t k = start - 1; k > 0 && start - k <= 3 && same(k - 1, start) && c_.is_word(k - 1); --k) {
      if (verbs.contains(c_.folded(k - 1))) return true;
    }
    return false;
  }

  // "rose 0.5% to 6.4%", "fell 2% to $84": a verb of change right before the number (or before
  // "by"): the change and the level it reached.
  bool change_to(std::uint32_t start) const {
    static const word_set verbs{"rose", "fell", "climbed", "increased", "decreased", "jumped", "grew", "dropped",
                                "declined", "soared", "surged", "slipped", "slid", "sank", "plunged", "plummeted",
                                "tumbled", "gained", "edged", "lost", "added", "shed", "advanced", "retreated"};
    std::uint32_t k = start;
    if (k > 0 && same(k - 1, start) && is(k - 1, "by")) --k;
    return k > 0 && same(k - 1, start) && verbs.contains(c_.folded(k - 1));
  }

  bool read_figure(std::uint32_t i, figure& f, std::uint32_t& next) {
    if (!free(i) || names_something(i)) return false;
    if (c_.is_word(i)) {
      const std::string_view w = c_.folded(i);
      const bool digit_first = !w.empty() && w[0] >= '0' && w[0] <= '9';
      if (!digit_first && !starters().contains(w) && w.find('-') == std::string_view::npos && currency_symbol(w).empty()) {
        return false;
      }
    } else if (c_.is_punct(i) && currency_symbol(c_.folded(i)).empty()) {
      return false;
    }
    std::uint32_t start = i;
    std::string_view unit;
    // A currency symbol first: "$500 million".
    if (const std::string_view cur = currency_symbol(c_.folded(i)); !cur.empty()) {
      if (!same(i, i + 1)) return false;
      unit = cur;
      // "HK$10 billion": the letters glued before "$" name the dollar.
      if (cur == "USD" && i > 0 && same(i - 1, i) && !c_.space_before(i)) {
        if (const std::string_view d = dollar_of(c_.folded(i - 1)); !d.empty()) {
          unit = d;
          start = i - 1;
        }
      }
      ++i;
    }
    // "between 10 and 20"
    const bool between = start > 0 && same(start - 1, start) && is(start - 1, "between");
    std::optional<amount> a = read_amount(i);
    // "a few dozen", "several hundred", "a few thousand": 2 to 9 of them.
    std::string_view few;
    if (unit.empty() && i > 0 && same(i - 1, i) && (is(i - 1, "few") || is(i - 1, "several")) && free(i)) {
      const std::string_view w = c_.folded(i);
      const double base = w == "dozen" ? 12 : w == "hundred" ? 100 : number_words::scale(w);
      if (base > 0) {
        a = amount{2 * base, 9 * base, i + 1, {}, true};
        start = i - 1;
        few = "several";
        if (is(i - 1, "few")) {
          few = start > 0 && same(start - 1, start) && is(start - 1, "a") ? "a few" : "few";
          if (few == "a few") --start;
        }
      }
    }
    // "two dozen" is 24; "a dozen" and "half a dozen" start at "a" and "half", so that "at least"
    // before them is read as the qualifier.
    if (a && few.empty() && !a->vague && !a->high && a->unit.empty() && !is(i, "dozen") && same(i, a->end) &&
        free(a->end) && is(a->end, "dozen")) {
      a->value *= 12;
      ++a->end;
    } else if (a && few.empty() && start == i && is(i, "dozen") && i > 0 && same(i - 1, i) && is(i - 1, "a")) {
      start = i - 1;
      if (i > 1 && same(i - 2, i) && is(i - 2, "half")) {  // "half a dozen"
        a->value = 6;
        start = i - 2;
      }
    } else if (a && few.empty() && start == i && is(i, "dozen") && i > 0 && same(i - 1, i) && is(i - 1, "half")) {
      a->value = 6;  // "a half dozen"
      start = i > 1 && same(i - 2, i) && is(i - 2, "a") ? i - 2 : i - 1;
    }
    if (!a) {
      if (!unit.empty()) return false;
      // "40-minute", "five-hour", "20-year-old": a number and a unit in one hyphenated word.
      const std::string_view w = c_.folded(i);
      const auto dash = w.find('-');
      if (!free(i) || !c_.is_word(i) || dash == std::string_view::npos || dash == 0) return false;
      const std::string_view left = w.substr(0, dash);
      std::string_view right = w.substr(dash + 1);
      // "36-year-old", "a six-month-old baby": an age, as ", 45," after a name is.
      if (right.ends_with("-old")) return false;
      // "5-foot-10": a person's height, a description as an age is.
      if (right.starts_with("foot-") && right.size() > 5 && right[5] >= '0' && right[5] <= '9') return false;
      if (const auto d2 = right.find('-'); d2 != std::string_view::npos) right = right.substr(0, d2);
      auto v = number_words::parse_digits(left);
      if (!v) v = number_words::parse_word(left);
      std::string_view u = unit_named(right);
      if (u == "GBP") u = "lb";  // "a 200-pound bale"
      if (!v || u.empty() || u == "percent") return false;
      a = amount{*v, std::nullopt, i + 1, u, false};
    }
    if (!a) return false;
    if (start == i && point_first(i)) start = i - 1;  // the figure's text: ".5 percent"
    // Not "plus or minus 3 points", a margin of error.
    const bool margin = i >= 3 && is(i - 2, "or") && is(i - 3, "plus");
    if (start == i && !a->high && (leading(i, "-") || (i > 0 && same(i - 1, i) && is(i - 1, "minus") && !margin))) {
      a->value = -a->value;  // "-20", "minus 15 degrees"
      start = i - 1;
    }
    if (unit.empty()) unit = a->unit;
    std::uint32_t end = a->end;
    const auto range_word = [&](std::uint32_t k) { return is(k, "to") || is(k, "-") || (between && is(k, "and")); };
    // The unit after each number of a range: "4.3% to 4.4%", "between 5.25% and 5.50%".
    std::string_view unit_in_range;
    if (unit.empty() && !a->high && same(i, end + 2) && free(end) && range_word(end + 1)) {
      unit_in_range = unit_named(c_.folded(end));
      if (!unit_in_range.empty()) ++end;
    }
    // A range: "10 to 20", "10-20" (two tokens), "between 10 and 20". Its sides agree on the unit:
    // a side with a unit of its own ("5% to 7%", "$5 to $7 million") needs the other's to be the
    // same; a low side without one takes the high side's ("5 to 7%"). So "rose 1.2% to $84.31" is
    // a change and a level, two figures; and so is "rose from 36 to 57" after a verb of change.
    if (!a->high && same(i, end + 1) && range_word(end) && !change_from(start)) {
      std::uint32_t hi_at = end + 1;
      const std::string_view hi_currency = currency_symbol(c_.folded(hi_at));
      if (!hi_currency.empty() && same(i, hi_at + 1)) ++hi_at;
      if (const auto hi = read_amount(hi_at); hi && !hi->vague && hi->value >= a->value) {
        const std::string_view low_unit = !unit.empty() ? unit : unit_in_range;
        std::uint32_t hi_end = hi->end;
        std::string_view hi_unit = !hi_currency.empty() ? hi_currency : hi->unit;
        if (hi_unit.empty() && same(i, hi_end) && free(hi_end)) {
          hi_unit = unit_named(c_.folded(hi_end));
          // The unit word after the high side is read below, unless the low side had one too.
          if (!hi_unit.empty() && !unit_in_range.empty()) ++hi_end;
        }
        if ((low_unit.empty() || low_unit == hi_unit) && (low_unit.empty() || !change_to(start))) {
          a->high = hi->value;
          if (unit.empty()) unit = !hi_currency.empty() ? hi_currency : hi->unit;
          if (!unit_in_range.empty()) unit = unit_in_range;
          end = hi_end;
        }
      }
    }
    if (!a->high && !unit_in_range.empty()) --end;  // no range after all: the unit is read below
    // "fell from 3.6 to 3.4 percent", "from 36 to 57 million francs": an old value written bare
    // takes the new one's scale and unit.
    std::string_view borrowed_unit;
    if (change_from(start) && unit.empty() && !a->high && a->end == i + 1 && c_.is_number(i) && same(i, end + 1) &&
        range_word(end)) {
      std::uint32_t hi_at = end + 1;
      borrowed_unit = currency_symbol(c_.folded(hi_at));
      if (!borrowed_unit.empty() && same(i, hi_at + 1)) ++hi_at;
      if (const auto hi = read_amount(hi_at); hi && !hi->vague && c_.is_number(hi_at)) {
        if (const auto raw = number_words::parse_digits(c_.folded(hi_at)); raw && *raw != 0) a->value *= hi->value / *raw;
        if (borrowed_unit.empty()) borrowed_unit = hi->unit;
        if (borrowed_unit.empty() && same(i, hi->end)) {
          if (is(hi->end, "per") && same(i, hi->end + 1) && is(hi->end + 1, "cent")) {
            borrowed_unit = "percent";
          } else if (const std::string_view u = unit_named(c_.folded(hi->end)); !u.empty()) {
            borrowed_unit = u;
          } else {
            borrowed_unit = national_currency(c_.folded(hi->end), same(i, hi->end + 1) ? c_.folded(hi->end + 1) : "");
          }
        }
      }
    }
    // A unit after the number: "%", "percent", "per cent", "hours", "dollars".
    if (unit.empty() && same(i, end)) {
      if (is(end, "per") && same(i, end + 1) && is(end + 1, "cent")) {
        unit = "percent";
        end += 2;
      } else if (const std::string_view u = unit_named(c_.folded(end));
                 !u.empty() && (free(end) || (is_currency(u) && !c_.in_date[end] && c_.folded(end).ends_with('s')))) {
        // "22 billion Euros", tagged a name; not "300 Dollar General stores", "17 Euro zone countries".
        unit = u;
        ++end;
        // "500 pounds of cocaine" is a weight; "5 million pounds" and "500 pounds sterling" money.
        if (unit == "GBP" && same(i, end + 1) && is(end, "of")) unit = "lb";
        // "5-foot-10, 135 pounds", "weighing about 200 pounds": a body's weight.
        if (unit == "GBP" && a->end == i + 1 && weight_cue_before(start)) unit = "lb";
      } else if (const std::string_view n = national_currency(c_.folded(end), same(i, end + 1) ? c_.folded(end + 1) : "");
                 !n.empty()) {
        unit = n;  // "3.5 billion Swiss francs"
        end += 2;
      }
    }
    if (unit.empty()) unit = borrowed_unit;
    // "45 years old": an age.
    if ((unit == "year" || unit == "month" || unit == "week" || unit == "day") && same(i, end) && is(end, "old")) {
      next = end + 1;
      return false;
    }
    // What is counted.
    std::string counted;
    if (same(i, end)) {
      const bool of = is(end, "of") && same(i, end + 1);
      if (unit.empty() && !of) {
        counted = counted_from(end, i);
      } else if (of && (!is_currency(unit) || a->vague)) {
        counted = counted_from(end + 1, i);
      } else if (is_currency(unit) && is(end, "in") && same(i, end + 1)) {
        counted = counted_from(end + 1, i);
      } else if (!unit.empty() && !is_currency(unit) && unit != "percent") {
        counted = counted_from(end, i);
      }
    }
    // "13-13", "a 9-14 record", "call 745-4811", "(1999-2003)": two numbers in one word, with no
    // scale, unit or qualifier and nothing counted but a result, are a score, a team's record, a
    // phone number or a span of years far more often than a range of some quantity: no figure.
    // "14-15 people" and "10-20 years" are ranges.
    const bool bare_pair = a->dashed && a->end == i + 1 && unit.empty() && !between &&
                           (counted.empty() || result_words().contains(first_word(counted)));
    // The qualifier.
    std::uint32_t first = between ? start - 1 : start;
    std::string_view qualifier = few;
    if (!between && few.empty()) {
      const auto [q_first, q] = qualifier_before(start);
      if (!q.empty()) {
        first = q_first;
        qualifier = q;
      }
    }
    // "The storm killed 12 and injured 40", "killing at least 30": the verb says what is counted.
    if (counted.empty() && unit.empty() && first > 0 && same(first - 1, i)) {
      static const word_set killing{"killed", "killing", "kills", "kill"};
      static const word_set injuring{"injured", "injuring", "injures", "injure", "wounded", "wounding", "wounds"};
      const std::string_view verb = c_.folded(first - 1);
      if (killing.contains(verb)) counted = "killed";
      else if (injuring.contains(verb)) counted = "injured";
    }
    if (bare_pair && qualifier.empty()) {
      next = end;
      return false;
    }
    f.text = c_.span({first, end});
    f.value = a->value;
    f.high = a->high;
    f.unit = std::string(unit);
    f.counted = std::move(counted);
    f.qualifier = std::string(qualifier);
    if (!std::isfinite(f.value) || (f.high && !std::isfinite(*f.high))) return false;
    next = end;
    return true;
  }

  const extract_context& c_;
};

}  // namespace

std::vector<figure> figure_extractor::find(const extract_context& c) const { return reader(c).run(); }

}  // namespace wirefeed
