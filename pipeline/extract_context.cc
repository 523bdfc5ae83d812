#include "pipeline/extract_context.h"

#include <unicode/uchar.h>

#include <algorithm>

#include "pipeline/utf8_cursor.h"

namespace wirefeed {
namespace {

bool is_space_byte(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

}  // namespace

extract_context::extract_context(const article& a) : a_(&a) {
  const std::uint32_t n = size();
  sentence_of_.resize(n);
  paragraph_of_.resize(n);
  mention_at.assign(n, -1);
  in_date.assign(n, false);

  // Tokens and sentences are both in body order: one merge. A token outside every sentence starts
  // (or continues) a run of its own.
  std::size_t s = 0;
  std::int64_t current = -1;  // index into a.sentences of the open run, or -2 - run for "outside"
  for (std::uint32_t i = 0; i < n; ++i) {
    const text_span t = a.tokens[i].text;
    while (s < a.sentences.size() && a.sentences[s].end <= t.begin) ++s;
    const bool in_sentence = s < a.sentences.size() && a.sentences[s].begin <= t.begin;
    const std::int64_t id = in_sentence ? static_cast<std::int64_t>(s) : -2 - static_cast<std::int64_t>(s);
    if (sentences_.empty() || id != current) {
      sentences_.push_back({i, i});
      current = id;
    }
    sentences_.back().end = i + 1;
    sentence_of_[i] = static_cast<std::uint32_t>(sentences_.size() - 1);
  }

  std::size_t p = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    const text_span t = a.tokens[i].text;
    while (p + 1 < a.paragraphs.size() && a.paragraphs[p].text.end <= t.begin) ++p;
    paragraph_of_[i] = static_cast<std::uint32_t>(p);
  }
}

std::string_view extract_context::text(std::uint32_t i) const {
  const text_span s = a_->tokens[i].text;
  return std::string_view(a_->body).substr(s.begin, s.size());
}

std::string_view extract_context::folded(std::uint32_t i) const {
  const text_span s = a_->tokens[i].folded;
  return std::string_view(a_->folded).substr(s.begin, s.size());
}

bool extract_context::capitalized(std::uint32_t i) const {
  const std::string_view t = text(i);
  if (t.empty()) return false;
  const auto b = static_cast<unsigned char>(t[0]);
  if (b < 0x80) return b >= 'A' && b <= 'Z';
  std::size_t at = 0;
  return u_isupper(static_cast<UChar32>(utf8::next(t, at))) != 0;
}

bool extract_context::space_before(std::uint32_t i) const {
  const std::uint32_t at = a_->tokens[i].text.begin;
  return at == 0 || is_space_byte(a_->body[at - 1]);
}

bool extract_context::space_after(std::uint32_t i) const {
  const std::uint32_t at = a_->tokens[i].text.end;
  return at >= a_->body.size() || is_space_byte(a_->body[at]);
}

text_span extract_context::span(token_range r) const {
  if (r.empty()) return {};
  return {a_->tokens[r.begin].text.begin, a_->tokens[r.end - 1].text.end};
}

std::string_view extract_context::span_text(token_range r) const {
  const text_span s = span(r);
  return std::string_view(a_->body).substr(s.begin, s.size());
}

void extract_context::set_mentions(std::vector<entity_mention> m) {
  mentions = std::move(m);
  std::fill(mention_at.begin(), mention_at.end(), -1);
  for (std::size_t k = 0; k < mentions.size(); ++k) {
    for (std::uint32_t i = mentions[k].tokens.begin; i < mentions[k].tokens.end && i < size(); ++i) {
      mention_at[i] = static_cast<std::int32_t>(k);
    }
  }
}

std::int32_t extract_context::entity_at(std::uint32_t i) const {
  if (i >= size() || mention_at[i] < 0) return -1;
  return mentions[static_cast<std::size_t>(mention_at[i])].entity;
}

const entity_mention* extract_context::mention_ending_at(std::uint32_t end) const {
  if (end == 0 || end > size() || mention_at[end - 1] < 0) return nullptr;
  const entity_mention& m = mentions[static_cast<std::size_t>(mention_at[end - 1])];
  return m.tokens.end == end ? &m : nullptr;
}

const entity_mention* extract_context::mention_starting_at(std::uint32_t begin) const {
  if (begin >= size() || mention_at[begin] < 0) return nullptr;
  const entity_mention& m = mentions[static_cast<std::size_t>(mention_at[begin])];
  return m.tokens.begin == begin ? &m : nullptr;
}

}  // namespace wirefeed
