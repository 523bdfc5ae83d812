#pragma once

#include <cstdint>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

namespace wirefeed {

// An article's paragraphs (sorted distinct content-word hashes per paragraph, minhash.h) indexed by
// word. Built once per article, on the thread pool (cluster_stage::prepare), and matched against
// every copy candidate: the words two paragraphs share are counted for all paragraph pairs in one
// pass over the candidate's words, instead of merging every pair of sorted word lists. Immutable
// once built; alignment() keeps its counters in the caller's scratch.
class paragraph_index {
 public:
  paragraph_index() = default;
  explicit paragraph_index(const std::vector<std::vector<std::uint32_t>>& paragraphs);

  // Counters reused across alignment() calls of one thread.
  struct scratch {
    std::vector<std::uint32_t> common;  // words shared with the candidate paragraph, per paragraph
    std::vector<std::uint32_t> touched;
    std::vector<char> matched;
  };

  // Share of the indexed words that sit in a paragraph sharing at least `min_jaccard` of its words
  // (Jaccard) with one of `other`'s paragraphs. 0 when nothing is indexed.
  double alignment(const std::vector<std::vector<std::uint32_t>>& other, double min_jaccard, scratch& s) const;

  std::size_t paragraphs() const { return sizes_.size(); }
  std::size_t heap_bytes() const;  // heap_bytes.h

 private:
  std::vector<std::uint32_t> sizes_;  // words per paragraph
  std::size_t total_ = 0;
  // word -> [begin, end) of the paragraphs holding it in holders_
  boost::unordered_flat_map<std::uint32_t, std::pair<std::uint32_t, std::uint32_t>> runs_;
  std::vector<std::uint32_t> holders_;
};

}  // namespace wirefeed
