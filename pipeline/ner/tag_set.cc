#include "pipeline/ner/tag_set.h"

namespace wirefeed::ner {

namespace {

constexpr std::array<std::string_view, tag_set::size> tag_names = {
    "O",      "B-PER",  "I-PER",  "L-PER",  "U-PER",  "B-ORG",  "I-ORG",  "L-ORG",  "U-ORG",
    "B-LOC",  "I-LOC",  "L-LOC",  "U-LOC",  "B-MISC", "I-MISC", "L-MISC", "U-MISC"};

bool opens(std::uint8_t tag) {
  if (tag == tag_set::outside_tag) return false;
  const auto p = tag_set::position_of(tag);
  return p == tag_set::begin || p == tag_set::inside;
}

}  // namespace

bool tag_set::allowed(std::uint8_t from, std::uint8_t to) {
  if (opens(from)) {
    if (to == outside_tag || type_of(to) != type_of(from)) return false;
    const auto p = position_of(to);
    return p == inside || p == last;
  }
  return allowed_first(to);
}

bool tag_set::allowed_first(std::uint8_t tag) {
  if (tag == outside_tag) return true;
  const auto p = position_of(tag);
  return p == begin || p == unit;
}

bool tag_set::allowed_last(std::uint8_t tag) {
  if (tag == outside_tag) return true;
  const auto p = position_of(tag);
  return p == last || p == unit;
}

std::string_view tag_set::name(std::uint8_t tag) { return tag_names[tag]; }

std::vector<std::uint8_t> tag_set::encode(const std::vector<label>& labels) {
  std::vector<std::uint8_t> tags(labels.size(), outside_tag);
  for (const entity_span& s : to_spans(labels)) {
    if (s.end - s.begin == 1) {
      tags[s.begin] = make(s.type, unit);
      continue;
    }
    tags[s.begin] = make(s.type, begin);
    for (std::size_t i = s.begin + 1; i + 1 < s.end; ++i) tags[i] = make(s.type, inside);
    tags[s.end - 1] = make(s.type, last);
  }
  return tags;
}

std::vector<label> tag_set::decode(const std::vector<std::uint8_t>& tags) {
  std::vector<label> labels(tags.size());
  for (std::size_t i = 0; i < tags.size(); ++i) {
    const std::uint8_t t = tags[i];
    if (t == outside_tag) continue;
    const entity_type type = type_of(t);
    const auto p = position_of(t);
    const bool continues = i > 0 && opens(tags[i - 1]) && type_of(tags[i - 1]) == type;
    labels[i] = label{type, !(continues && (p == inside || p == last))};
  }
  return labels;
}

}  // namespace wirefeed::ner
