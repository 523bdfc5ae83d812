#include "pipeline/keyword_ranker.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <string_view>

#include "pipeline/ner/feature_hash.h"

namespace wirefeed {
namespace {

bool contains_word(std::string_view phrase, std::string_view word) {
  std::size_t at = 0;
  while ((at = phrase.find(word, at)) != std::string_view::npos) {
    const bool starts = at == 0 || phrase[at - 1] == ' ';
    const bool ends = at + word.size() == phrase.size() || phrase[at + word.size()] == ' ';
    if (starts && ends) return true;
    ++at;
  }
  return false;
}

}  // namespace

keyword_ranker::keyword_ranker(keyword_ranker_options options) : options_(options) {
  const std::size_t width = std::bit_ceil(std::max<std::size_t>(options_.sketch_width, 64));
  width_mask_ = width - 1;
  counters_.assign(rows * width, 0);
  if (options_.half_life_articles == 0) options_.half_life_articles = 1;
}

std::size_t keyword_ranker::slot(std::size_t row, std::uint64_t hash) const {
  // Row r uses hash bits rotated by 16 r: four nearly independent indices from one 64-bit hash.
  const std::uint64_t h = std::rotr(hash, static_cast<int>(16 * row)) * 0x9E3779B97F4A7C15ull;
  return row * (width_mask_ + 1) + static_cast<std::size_t>((h >> 32) & width_mask_);
}

std::uint32_t keyword_ranker::estimate(std::uint64_t hash) const {
  std::uint32_t best = UINT32_MAX;
  for (std::size_t r = 0; r < rows; ++r) best = std::min(best, counters_[slot(r, hash)]);
  return best;
}

void keyword_ranker::add(std::uint64_t hash) {
  // Conservative update: only the counters at the current minimum grow.
  const std::uint32_t now = estimate(hash);
  if (now == UINT32_MAX) return;
  for (std::size_t r = 0; r < rows; ++r) {
    std::uint32_t& c = counters_[slot(r, hash)];
    if (c == now) c = now + 1;
  }
}

void keyword_ranker::halve() {
  for (std::uint32_t& c : counters_) c >>= 1;
  articles_ /= 2;
  since_halving_ = 0;
}

std::uint32_t keyword_ranker::document_frequency(std::string_view term) const {
  return estimate(ner::hash_bytes(term));
}

void keyword_ranker::process(article& a) {
  struct scored {
    const term_count* term;
    double score;
  };
  std::vector<scored> ranked;
  ranked.reserve(a.terms.size());
  std::vector<std::uint64_t> hashes;
  hashes.reserve(a.terms.size());
  for (const term_count& t : a.terms) {
    const std::uint64_t h = ner::hash_bytes(t.term);
    hashes.push_back(h);
    const double df = std::min<double>(estimate(h), articles_);
    const double idf = std::log((1 + articles_) / (1 + df)) + 1;
    const double tf = 1 + std::log(static_cast<double>(std::max<std::uint32_t>(t.count, 1)));
    ranked.push_back({&t, tf * idf});
  }
  std::sort(ranked.begin(), ranked.end(), [](const scored& x, const scored& y) {
    return x.score != y.score ? x.score > y.score : x.term->term < y.term->term;
  });
  a.keywords.clear();
  for (const scored& s : ranked) {
    if (a.keywords.size() >= options_.max_keywords) break;
    const std::string_view term = s.term->term;
    const bool one_word = term.find(' ') == std::string_view::npos;
    const bool covered = one_word && std::any_of(a.keywords.begin(), a.keywords.end(),
                                                 [&](const keyword& k) { return contains_word(k.term, term); });
    if (covered) continue;
    a.keywords.push_back({std::string(term), std::round(s.score * 10000) / 10000});
  }
  // Then this article counts: once per term.
  for (const std::uint64_t h : hashes) add(h);
  articles_ += 1;
  if (++since_halving_ >= options_.half_life_articles) halve();
}

}  // namespace wirefeed
