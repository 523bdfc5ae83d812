#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "pipeline/ner/feature_hash.h"

namespace wirefeed {

// A small fixed set of words (string literals) for the extractors' lexicons: an open-addressing
// hash table built once (ner::hash_bytes, at most half full), so a lookup is one hash and usually one
// comparison. Immutable after construction: safe on any thread. The words must outlive the set
// (string literals do).
class word_set {
 public:
  word_set(std::initializer_list<std::string_view> words) {
    std::size_t size = 16;
    while (size < words.size() * 2) size *= 2;
    slots_.assign(size, std::string_view());
    mask_ = size - 1;
    for (const std::string_view w : words) {
      if (w.empty() || contains(w)) continue;
      std::size_t i = hash(w) & mask_;
      while (!slots_[i].empty()) i = (i + 1) & mask_;
      slots_[i] = w;
      if (w.size() > longest_) longest_ = w.size();
    }
  }

  bool contains(std::string_view w) const {
    if (w.empty() || w.size() > longest_) return false;
    for (std::size_t i = hash(w) & mask_;; i = (i + 1) & mask_) {
      if (slots_[i].empty()) return false;
      if (slots_[i] == w) return true;
    }
  }

 private:
  static std::uint64_t hash(std::string_view w) { return ner::hash_bytes(w); }

  std::vector<std::string_view> slots_;
  std::size_t mask_ = 0;
  std::size_t longest_ = 0;
};

}  // namespace wirefeed
