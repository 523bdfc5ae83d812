#include "pipeline/minhash.h"

#include <array>
#include <string_view>

namespace wirefeed::minhash {
namespace {

std::uint64_t mix64(std::uint64_t z) {
  z ^= z >> 30;
  z *= 0xbf58476d1ce4e5b9ull;
  z ^= z >> 27;
  z *= 0x94d049bb133111ebull;
  z ^= z >> 31;
  return z;
}

std::uint64_t word_hash(std::string_view s) {
  std::uint64_t h = 14695981039346656037ull;
  for (const char ch : s) {
    h ^= static_cast<unsigned char>(ch);
    h *= 1099511628211ull;
  }
  return h;
}

const std::array<std::uint64_t, signature_size>& seeds() {
  static const std::array<std::uint64_t, signature_size> s = [] {
    std::array<std::uint64_t, signature_size> out{};
    std::uint64_t state = 0x5EED5EED5EED5EEDull;
    for (auto& v : out) {
      state += 0x9E3779B97F4A7C15ull;
      v = mix64(state);
    }
    return out;
  }();
  return s;
}

}  // namespace

fingerprint of(const article& a) {
  fingerprint out;
  std::vector<std::uint64_t> words;
  words.reserve(a.tokens.size());
  const std::string_view folded = a.folded;
  for (const token& t : a.tokens) {
    if (t.kind == token_kind::punct || t.folded.end > folded.size()) continue;
    words.push_back(word_hash(folded.substr(t.folded.begin, t.folded.size())));
  }
  if (words.empty()) return out;

  std::array<std::uint32_t, signature_size> minimum;
  minimum.fill(UINT32_MAX);
  std::array<std::int32_t, 64> votes{};
  const auto& seed = seeds();
  const std::size_t k = std::min(shingle_words, words.size());
  for (std::size_t start = 0; start + k <= words.size(); ++start) {
    std::uint64_t h = 0;
    for (std::size_t j = 0; j < k; ++j) h = mix64(h ^ words[start + j]) + j;
    for (std::size_t i = 0; i < signature_size; ++i) {
      const auto v = static_cast<std::uint32_t>(mix64(h ^ seed[i]) >> 32);
      if (v < minimum[i]) minimum[i] = v;
    }
    for (int b = 0; b < 64; ++b) votes[static_cast<std::size_t>(b)] += ((h >> b) & 1) ? 1 : -1;
  }
  out.signature.assign(minimum.begin(), minimum.end());
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
