#include "pipeline/ner/label.h"

#include <array>

namespace wirefeed::ner {

namespace {

constexpr std::array<std::string_view, entity_type_count> type_names = {"O", "PER", "ORG", "LOC",
                                                                         "MISC"};
constexpr std::array<std::string_view, entity_type_count> i_tags = {"O", "I-PER", "I-ORG", "I-LOC",
                                                                     "I-MISC"};
constexpr std::array<std::string_view, entity_type_count> b_tags = {"O", "B-PER", "B-ORG", "B-LOC",
                                                                     "B-MISC"};

}  // namespace

std::string_view to_string(entity_type t) { return type_names[static_cast<std::size_t>(t)]; }

std::optional<entity_type> parse_entity_type(std::string_view s) {
  for (std::size_t i = 1; i < entity_type_count; ++i)
    if (type_names[i] == s) return static_cast<entity_type>(i);
  return std::nullopt;
}

std::vector<entity_span> to_spans(const std::vector<label>& labels) {
  std::vector<entity_span> spans;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const label& l = labels[i];
    if (l.type == entity_type::none) continue;
    const bool starts = l.begins || spans.empty() || spans.back().end != i || spans.back().type != l.type;
    if (starts)
      spans.push_back({i, i + 1, l.type});
    else
      spans.back().end = i + 1;
  }
  return spans;
}

std::optional<label> parse_iob(std::string_view tag, label previous) {
  if (tag == "O") return label{};
  if (tag.size() < 3 || tag[1] != '-') return std::nullopt;
  const auto type = parse_entity_type(tag.substr(2));
  if (!type) return std::nullopt;
  if (tag[0] == 'B') return label{*type, true};
  if (tag[0] == 'I') return label{*type, previous.type != *type};
  return std::nullopt;
}

std::string_view iob1_tag(const std::vector<label>& labels, std::size_t i) {
  const label& l = labels[i];
  const auto t = static_cast<std::size_t>(l.type);
  if (l.type == entity_type::none) return i_tags[0];
  const bool after_same = i > 0 && labels[i - 1].type == l.type;
  return (l.begins && after_same) ? b_tags[t] : i_tags[t];
}

}  // namespace wirefeed::ner
