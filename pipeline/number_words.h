#pragma once

#include <optional>
#include <string_view>
#include <utility>

// Reading English numbers from folded tokens, for the figure and date extractors. Pure functions.
namespace wirefeed::number_words {

// A number written in digits: "350", "100,000", "5.3", "1,000.5", ".5". Thousands separators must
// come in groups of three. Nothing for anything else ("10:15", "14-15", "2022/23", "1,00").
std::optional<double> parse_digits(std::string_view folded);

// A range written as one token: "14-15", "10,000-20,000" -> (low, high). Nothing otherwise.
std::optional<std::pair<double, double>> parse_digit_range(std::string_view folded);

// A number written in words: "one" .. "nineteen", "twenty" .. "ninety", "twenty-five", "a" is
// not one; "dozen" is 12, "hundred" 100. Nothing otherwise.
std::optional<double> parse_word(std::string_view folded);

// The factor of a scale word: "thousand" 1e3, "million"/"mln"/"m" 1e6, "billion"/"bn" 1e9,
// "trillion"/"tn" 1e12, Indian English's "lakh" 1e5 and "crore" 1e7; 0 for anything else.
// (`allow_letter`: also "m", "b", "k" as in "$5m".)
double scale(std::string_view folded, bool allow_letter = false);

// An ordinal written in digits or words: "7th", "21st", "first" .. "thirty-first". Nothing otherwise.
std::optional<int> parse_ordinal(std::string_view folded);

}  // namespace wirefeed::number_words
