#pragma once

#include <algorithm>
#include <initializer_list>
#include <string_view>
#include <vector>

namespace wirefeed {

// A small fixed set of words (string literals) for the extractors' lexicons: sorted once at
// construction, then looked up by binary search. Immutable: safe on any thread. The words must
// outlive the set (string literals do).
class word_set {
 public:
  word_set(std::initializer_list<std::string_view> words) : words_(words) {
    std::sort(words_.begin(), words_.end());
    words_.erase(std::unique(words_.begin(), words_.end()), words_.end());
  }
  bool contains(std::string_view w) const { return std::binary_search(words_.begin(), words_.end(), w); }

 private:
  std::vector<std::string_view> words_;
};

}  // namespace wirefeed
