#pragma once

#include <cstdint>
#include <string_view>

namespace wirefeed::ner {

// 64-bit hashes used as feature keys, gazetteer keys and document-statistics keys.
// Contract: the values are part of the model file format (a model stores the keys it was trained
// with), so these functions must never change without bumping model::format_version. They are
// pure, allocation-free and identical on every platform (explicit byte order, fixed constants).

inline constexpr std::uint64_t hash_seed = 0x9e3779b97f4a7c15ULL;

// splitmix64 finaliser: a bijective avalanche mix.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// Order-sensitive combination of two hashes.
constexpr std::uint64_t hash_combine(std::uint64_t a, std::uint64_t b) {
  return mix64(a * 0x100000001b3ULL + b + 0x632be59bd9b4e019ULL);
}

// FNV-1a over the bytes, then mixed.
constexpr std::uint64_t hash_bytes(std::string_view s, std::uint64_t seed = hash_seed) {
  std::uint64_t h = 0xcbf29ce484222325ULL ^ seed;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return mix64(h);
}

}  // namespace wirefeed::ner
