#include "pipeline/number_words.h"

#include <array>
#include <charconv>
#include <cstring>
#include <utility>

namespace wirefeed::number_words {
namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }

constexpr std::array<std::string_view, 20> k_units{
    "zero", "one",    "two",    "three",    "four",     "five",    "six",       "seven",     "eight",    "nine",
    "ten",  "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
constexpr std::array<std::string_view, 10> k_tens{"",      "",      "twenty",  "thirty", "forty",
                                                  "fifty", "sixty", "seventy", "eighty", "ninety"};
constexpr std::array<std::string_view, 20> k_ordinal_units{
    "zeroth", "first",    "second",     "third",      "fourth",   "fifth",   "sixth",
    "seventh", "eighth",  "ninth",      "tenth",      "eleventh", "twelfth", "thirteenth",
    "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"};
constexpr std::array<std::string_view, 4> k_ordinal_tens{"", "", "twentieth", "thirtieth"};

std::optional<int> unit_value(std::string_view w) {
  for (std::size_t i = 0; i < k_units.size(); ++i) {
    if (k_units[i] == w) return static_cast<int>(i);
  }
  return std::nullopt;
}

std::optional<int> tens_value(std::string_view w) {
  for (std::size_t i = 2; i < k_tens.size(); ++i) {
    if (k_tens[i] == w) return static_cast<int>(i * 10);
  }
  return std::nullopt;
}

}  // namespace

std::optional<double> parse_digits(std::string_view s) {
  if (s.empty() || s.size() > 40) return std::nullopt;
  // Checked here, converted by std::from_chars without the separators: the nearest double, where
  // summing digit by digit drifted ("0.0000000001" read 1.0000000000000003e-10).
  char plain[41];
  std::size_t n = 0, i = 0, group = 0;
  bool any = false, separated = false;
  for (; i < s.size() && (digit(s[i]) || s[i] == ','); ++i) {
    if (s[i] == ',') {
      if (!any || (separated && group != 3) || (!separated && group > 3)) return std::nullopt;
      separated = true;
      group = 0;
      continue;
    }
    plain[n++] = s[i];
    ++group;
    any = true;
  }
  if (separated && group != 3) return std::nullopt;
  if (i < s.size() && s[i] == '.') {
    plain[n++] = s[i++];
    bool decimals = false;
    for (; i < s.size() && digit(s[i]); ++i) {
      plain[n++] = s[i];
      decimals = true;
    }
    if (!decimals) return std::nullopt;
    any = true;
  }
  if (!any || i != s.size()) return std::nullopt;
  double value = 0;
  if (plain[0] == '.') {  // ".5": from_chars wants a digit first
    std::memmove(plain + 1, plain, n++);
    plain[0] = '0';
  }
  std::from_chars(plain, plain + n, value);
  return value;
}

std::optional<std::pair<double, double>> parse_digit_range(std::string_view s) {
  const auto dash = s.find('-');
  if (dash == std::string_view::npos || dash == 0) return std::nullopt;
  const auto lo = parse_digits(s.substr(0, dash));
  const auto hi = parse_digits(s.substr(dash + 1));
  if (!lo || !hi || *hi < *lo) return std::nullopt;
  return std::pair{*lo, *hi};
}

std::optional<double> parse_word(std::string_view w) {
  if (w == "dozen") return 12;
  if (w == "hundred") return 100;
  if (const auto u = unit_value(w); u && *u > 0) return *u;
  if (const auto t = tens_value(w)) return *t;
  const auto dash = w.find('-');
  if (dash != std::string_view::npos) {
    const auto t = tens_value(w.substr(0, dash));
    const auto u = unit_value(w.substr(dash + 1));
    if (t && u && *u > 0 && *u < 10) return *t + *u;
  }
  return std::nullopt;
}

double scale(std::string_view w, bool allow_letter) {
  if (w == "thousand") return 1e3;
  if (w == "million" || w == "mln" || w == "mn") return 1e6;
  if (w == "billion" || w == "bn" || w == "bln") return 1e9;
  if (w == "trillion" || w == "tn") return 1e12;
  if (w == "lakh" || w == "lakhs") return 1e5;  // Indian English: PTI's and IANS's copy
  if (w == "crore" || w == "crores") return 1e7;
  if (allow_letter) {
    if (w == "k") return 1e3;
    if (w == "m") return 1e6;
    if (w == "b") return 1e9;
  }
  return 0;
}

std::optional<int> parse_ordinal(std::string_view w) {
  if (w.size() >= 3 && w.size() <= 6 && digit(w[0])) {
    std::size_t i = 0;
    int v = 0;
    while (i < w.size() && digit(w[i])) v = v * 10 + (w[i++] - '0');
    const std::string_view suffix = w.substr(i);
    if (suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th") return v;
    return std::nullopt;
  }
  for (std::size_t i = 1; i < k_ordinal_units.size(); ++i) {
    if (k_ordinal_units[i] == w) return static_cast<int>(i);
  }
  for (std::size_t i = 2; i < k_ordinal_tens.size(); ++i) {
    if (k_ordinal_tens[i] == w) return static_cast<int>(i * 10);
  }
  const auto dash = w.find('-');
  if (dash != std::string_view::npos) {
    const auto t = tens_value(w.substr(0, dash));
    const std::string_view rest = w.substr(dash + 1);
    for (std::size_t i = 1; i < 10 && t; ++i) {
      if (k_ordinal_units[i] == rest) return *t + static_cast<int>(i);
    }
  }
  return std::nullopt;
}

}  // namespace wirefeed::number_words
