#include "pipeline/minhash.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "pipeline/ner/feature_hash.h"

namespace wirefeed::minhash {
namespace {

// Per signature value i: an odd multiplier and an addend (splitmix64 from a fixed seed).
struct permutations {
  std::array<std::uint64_t, signature_size> a{};
  std::array<std::uint64_t, signature_size> b{};
};

const permutations& seeds() {
  static const permutations s = [] {
    permutations out;
    std::uint64_t state = 0x5EED5EED5EED5EEDull;
    for (std::size_t i = 0; i < signature_size; ++i) {
      state += 0x9E3779B97F4A7C15ull;
      out.a[i] = ner::mix64(state) | 1;
      state += 0x9E3779B97F4A7C15ull;
      out.b[i] = ner::mix64(state);
    }
    return out;
  }();
  return s;
}

// The content words of each paragraph, as sorted distinct 32-bit hashes.
std::vector<std::vector<std::uint32_t>> paragraph_words(const article& a) {
  std::vector<std::vector<std::uint32_t>> out;
  const std::string_view folded = a.folded;
  std::size_t next = 0;  // first token not yet assigned to a paragraph
  for (const paragraph& p : a.paragraphs) {
    if (out.size() >= max_paragraphs) break;
    std::vector<std::uint32_t> words;
    for (; next < a.tokens.size() && a.tokens[next].text.begin < p.text.end; ++next) {
      const token& t = a.tokens[next];
      if (t.kind == token_kind::punct || t.is_stopword || t.folded.end > folded.size()) continue;
      words.push_back(static_cast<std::uint32_t>(ner::hash_bytes(folded.substr(t.folded.begin, t.folded.size()))));
    }
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
    if (words.size() >= min_paragraph_words) out.push_back(std::move(words));
  }
  return out;
}

}  // namespace

fingerprint of(const article& a) {
  fingerprint out;
  std::vector<std::uint64_t> words;
  std::vector<bool> stop;
  words.reserve(a.tokens.size());
  stop.reserve(a.tokens.size());
  const std::string_view folded = a.folded;
  for (const token& t : a.tokens) {
    if (t.kind == token_kind::punct || t.folded.end > folded.size()) continue;
    words.push_back(ner::hash_bytes(folded.substr(t.folded.begin, t.folded.size())));
    stop.push_back(t.is_stopword);
  }
  if (words.empty()) return out;

  std::array<std::uint32_t, signature_size> minimum;
  minimum.fill(UINT32_MAX);
  std::array<std::int32_t, 64> votes{};
  const auto& seed = seeds();
  const std::size_t k = std::min(shingle_words, words.size());
  for (std::size_t start = 0; start + k <= words.size(); ++start) {
    std::uint64_t h = ner::hash_seed;
    for (std::size_t j = 0; j < k; ++j) h = ner::hash_combine(h, words[start + j]);
    for (std::size_t i = 0; i < signature_size; ++i) {
      const auto v = static_cast<std::uint32_t>((seed.a[i] * h + seed.b[i]) >> 32);
      minimum[i] = v < minimum[i] ? v : minimum[i];
    }
  }
  // SimHash over the content words (stopwords left out), each occurrence one vote per bit.
  for (std::size_t k = 0; k < words.size(); ++k) {
    if (stop[k]) continue;
    const std::uint64_t h = words[k];
    for (int b = 0; b < 64; ++b) votes[static_cast<std::size_t>(b)] += ((h >> b) & 1) ? 1 : -1;
  }
  out.signature.assign(minimum.begin(), minimum.end());
  out.paragraphs = paragraph_words(a);
  std::uint64_t sim = 0;
  for (int b = 0; b < 64; ++b) {
    if (votes[static_cast<std::size_t>(b)] > 0) sim |= std::uint64_t{1} << b;
  }
  out.simhash = sim;
  return out;
}

double similarity(const std::vector<std::uint32_t>& x, const std::vector<std::uint32_t>& y) {
  if (x.empty() || x.size() != y.size()) return 0;
  std::size_t equal = 0;
  for (std::size_t i = 0; i < x.size(); ++i) equal += x[i] == y[i];
  return static_cast<double>(equal) / static_cast<double>(x.size());
}

}  // namespace wirefeed::minhash
