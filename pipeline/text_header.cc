#include "pipeline/text_header.h"

#include <array>
#include <cctype>
#include <optional>

#include "pipeline/feed_time.h"

namespace wirefeed {
namespace {

constexpr std::size_t k_max_header_lines = 8;

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

// The date part of a date line: the line minus an optional label.
std::string_view date_text(std::string_view line) {
  for (std::string_view label : {"date:", "published:", "updated:", "date "}) {
    if (starts_with_icase(line, label)) return trim(line.substr(label.size()));
  }
  return line;
}

bool is_date_line(std::string_view line) { return parse_feed_time_ms(date_text(line)).has_value(); }

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
    if (is_url_line(line->text) || is_date_line(line->text)) {
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
      if (next && (is_url_line(next->text) || is_date_line(next->text))) {
        h.lines.emplace_back(line->text);
        h.body_offset = std::min(pos, text.size());
        continue;
      }
    }
    break;
  }
  return h;
}

header_line_kind classify_header_line(std::string_view line) {
  line = trim(line);
  if (is_url_line(line)) return header_line_kind::url;
  if (is_date_line(line) || date_prefix_length(line) > 0) return header_line_kind::date;
  return header_line_kind::title;
}

std::optional<std::int64_t> header_line_time_ms(std::string_view line) {
  line = trim(line);
  if (auto t = parse_feed_time_ms(date_text(line))) return t;
  return std::nullopt;
}

}  // namespace wirefeed
