#include "pipeline/paragraph_index.h"

#include <algorithm>
#include <utility>

#include "pipeline/heap_bytes.h"

namespace wirefeed {

paragraph_index::paragraph_index(const std::vector<std::vector<std::uint32_t>>& paragraphs) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;  // (word, paragraph)
  sizes_.reserve(paragraphs.size());
  for (std::uint32_t p = 0; p < paragraphs.size(); ++p) {
    sizes_.push_back(static_cast<std::uint32_t>(paragraphs[p].size()));
    total_ += paragraphs[p].size();
  }
  pairs.reserve(total_);
  for (std::uint32_t p = 0; p < paragraphs.size(); ++p) {
    for (const auto w : paragraphs[p]) pairs.emplace_back(w, p);
  }
  std::sort(pairs.begin(), pairs.end());
  holders_.reserve(pairs.size());
  runs_.reserve(pairs.size());
  for (std::size_t i = 0, end = 0; i < pairs.size(); i = end) {
    for (end = i; end < pairs.size() && pairs[end].first == pairs[i].first; ++end) holders_.push_back(pairs[end].second);
    runs_.emplace(pairs[i].first, std::make_pair(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(end)));
  }
}

double paragraph_index::alignment(const std::vector<std::vector<std::uint32_t>>& other, double min_jaccard,
                                  scratch& s) const {
  if (total_ == 0) return 0;
  // The candidate's paragraphs are a story member's, cold and each in its own block: ask for all
  // of them first, so their cache misses overlap instead of coming one paragraph at a time.
  for (const auto& q : other) {
    for (std::size_t i = 0; i < q.size(); i += 16) __builtin_prefetch(q.data() + i);
  }
  s.common.assign(sizes_.size(), 0);
  s.matched.assign(sizes_.size(), 0);
  for (const auto& q : other) {
    s.touched.clear();
    for (const auto w : q) {
      auto it = runs_.find(w);
      if (it == runs_.end()) continue;
      for (std::uint32_t i = it->second.first; i < it->second.second; ++i) {
        if (s.common[holders_[i]]++ == 0) s.touched.push_back(holders_[i]);
      }
    }
    for (const auto p : s.touched) {
      const std::size_t c = s.common[p];
      s.common[p] = 0;
      if (static_cast<double>(c) >= min_jaccard * static_cast<double>(sizes_[p] + q.size() - c)) s.matched[p] = 1;
    }
  }
  std::size_t aligned = 0;
  for (std::size_t p = 0; p < sizes_.size(); ++p) {
    if (s.matched[p]) aligned += sizes_[p];
  }
  return static_cast<double>(aligned) / static_cast<double>(total_);
}

std::size_t paragraph_index::heap_bytes() const {
  // One block: the slots, and a 16-byte group of metadata per 15 of them.
  const auto slots = runs_.bucket_count();
  const std::size_t runs =
      slots == 0 ? 0 : heap::allocation(slots * sizeof(decltype(runs_)::value_type) + (slots / 15 + 1) * 16);
  return heap::of(sizes_) + runs + heap::of(holders_);
}

}  // namespace wirefeed
