#include "pipeline/ner/gazetteer.h"

#include <algorithm>

#include "pipeline/ner/feature_hash.h"
#include "pipeline/ner/word_shape.h"

namespace wirefeed::ner {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Splits on whitespace; returns the tokens (views into s).
std::vector<std::string_view> split(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    std::size_t j = i;
    while (j < s.size() && !is_space(s[j])) ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

}  // namespace

bool gazetteer::add_list(std::string name, const std::vector<std::string>& phrases) {
  if (names_.size() >= max_lists) return false;
  const std::size_t list = names_.size();
  std::vector<std::string> normalised;
  normalised.reserve(phrases.size());
  for (const std::string& p : phrases) {
    const auto tokens = split(p);
    if (tokens.empty() || tokens.size() > max_phrase_tokens) continue;
    std::string joined;
    for (std::string_view t : tokens) {
      if (!joined.empty()) joined.push_back(' ');
      joined += to_lower(t);
    }
    normalised.push_back(std::move(joined));
  }
  std::sort(normalised.begin(), normalised.end());
  normalised.erase(std::unique(normalised.begin(), normalised.end()), normalised.end());
  for (const std::string& p : normalised) {
    const auto tokens = split(p);
    std::uint64_t h = hash_seed;
    for (std::size_t k = 0; k < tokens.size(); ++k) {
      if (k > 0) table_[h] |= continues;
      h = hash_combine(h, hash_lower(tokens[k]));
    }
    table_[h] |= 1u << list;
    longest_ = std::max(longest_, tokens.size());
  }
  names_.push_back(std::move(name));
  phrases_.push_back(std::move(normalised));
  return true;
}

void gazetteer::match(const std::uint64_t* lower_hashes, std::size_t n, std::uint8_t* out) const {
  const std::size_t lists = names_.size();
  std::fill(out, out + n * lists, static_cast<std::uint8_t>(none));
  if (lists == 0) return;
  std::size_t covered_until[max_lists] = {};
  std::uint32_t masks[max_phrase_tokens + 1];
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t limit = std::min(longest_, n - i);
    std::size_t max_len = 0;
    std::uint64_t h = hash_seed;
    while (max_len < limit) {
      h = hash_combine(h, lower_hashes[i + max_len]);
      const std::uint32_t* m = table_.find(h);
      masks[++max_len] = m ? *m : 0;
      if ((masks[max_len] & continues) == 0) break;
    }
    for (std::size_t l = 0; l < lists; ++l) {
      if (i < covered_until[l]) continue;
      std::size_t best = 0;
      for (std::size_t len = max_len; len >= 1; --len) {
        if (masks[len] & (1u << l)) {
          best = len;
          break;
        }
      }
      if (best == 0) continue;
      covered_until[l] = i + best;
      if (best == 1) {
        out[i * lists + l] = unit;
        continue;
      }
      out[i * lists + l] = begin;
      for (std::size_t k = i + 1; k + 1 < i + best; ++k) out[k * lists + l] = inside;
      out[(i + best - 1) * lists + l] = last;
    }
  }
}

void gazetteer::write(byte_writer& w) const {
  w.u32(static_cast<std::uint32_t>(names_.size()));
  for (std::size_t l = 0; l < names_.size(); ++l) {
    w.str(names_[l]);
    w.u32(static_cast<std::uint32_t>(phrases_[l].size()));
    for (const std::string& p : phrases_[l]) w.str(p);
  }
}

std::optional<gazetteer> gazetteer::read(byte_reader& r) {
  gazetteer g;
  const std::uint32_t lists = r.u32();
  if (r.failed() || lists > max_lists) return std::nullopt;
  for (std::uint32_t l = 0; l < lists; ++l) {
    std::string name(r.str());
    const std::uint32_t count = r.u32();
    if (r.failed() || count > r.remaining() / 4) return std::nullopt;
    std::vector<std::string> phrases;
    phrases.reserve(count);
    for (std::uint32_t i = 0; i < count; ++i) phrases.emplace_back(r.str());
    if (r.failed()) return std::nullopt;
    g.add_list(std::move(name), phrases);
  }
  return g;
}

}  // namespace wirefeed::ner
