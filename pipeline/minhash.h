#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "pipeline/article.h"

namespace wirefeed {

// Near-duplicate fingerprints of the clean body, for the cluster stage.
//
// Shingles: every run of `shingle_words` (5) consecutive words (word and number tokens, folded,
// punctuation left out) of the body; a body with fewer words is one shingle. Each shingle is hashed
// to 64 bits: ner::hash_bytes of each word, combined in order by ner::hash_combine
// (pipeline/ner/feature_hash.h, whose values never change).
//   minhash: `signature_size` (64) values, value i = the minimum over the shingles of the upper
//     32 bits of (a_i x h + b_i) mod 2^64, h the mixed shingle hash, a_i odd (a_i, b_i from
//     splitmix64 of a fixed seed: fixed forever, so signatures stay comparable across releases).
//     The share of equal values estimates the Jaccard similarity of two bodies' shingle sets
//     (standard error about 1/8 at 64 values).
//   simhash: over the body's content words (stopwords of its language left out), each occurrence
//     one vote: bit b is set when more words' hashes have bit b set than not (Charikar). Bodies
//     with the same vocabulary (a rewrite, a translation-flavoured copy) differ in few bits even
//     when their shingles differ.
//   paragraphs: per paragraph of the body, the sorted distinct 32-bit hashes of its content words
//     (words and numbers, stopwords left out): paragraphs with fewer than `min_paragraph_words`
//     are skipped, at most `max_paragraphs` kept. The cluster stage aligns two articles'
//     paragraphs with them: a reordered or machine-translated copy keeps most paragraphs' words
//     where its shingles are gone.
// Pure functions; thread-safe.
namespace minhash {

inline constexpr std::size_t signature_size = 64;
inline constexpr std::size_t shingle_words = 5;
inline constexpr std::size_t min_paragraph_words = 4;
inline constexpr std::size_t max_paragraphs = 32;

struct fingerprint {
  std::vector<std::uint32_t> signature;  // empty when the body has no word
  std::optional<std::uint64_t> simhash;
  std::vector<std::vector<std::uint32_t>> paragraphs;
};

fingerprint of(const article& a);

// Estimated Jaccard similarity of two signatures (0 if either is empty or sizes differ).
double similarity(const std::vector<std::uint32_t>& x, const std::vector<std::uint32_t>& y);

}  // namespace minhash
}  // namespace wirefeed
