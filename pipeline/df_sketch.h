#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace wirefeed {

// Online document frequencies in bounded memory: a count-min sketch (4 rows x `width` 32-bit
// counters, conservative update; blocked: a term's 4 counters lie in one cache line) keyed by
// 64-bit term hashes, plus the (decayed) number of documents. Estimates can only be too high (by
// about e x (terms counted) / width, a little more for terms that share a block). Every
// `half_life` documents every counter and the document count are halved, so the frequencies
// follow the news. Used by the keyword ranker and the cluster stage for IDF.
//
// NOT thread-safe: each owner keeps its own, on the chain's ordered strand.
class df_sketch {
 public:
  df_sketch(std::size_t width, std::uint64_t half_life);

  // Estimated number of documents containing the term.
  std::uint32_t estimate(std::uint64_t hash) const;
  // ln((1 + N) / (1 + df)) + 1: the smoothed IDF every wirefeed stage uses.
  double idf(std::uint64_t hash) const;
  double documents() const { return documents_; }
  // Starts loading a term's counters into the cache: call it for a batch of terms before their
  // estimates, so the memory reads overlap.
  void prefetch(std::uint64_t hash) const { __builtin_prefetch(&counters_[slot(0, hash)]); }

  // Counts one document holding each of `hashes` (the caller passes each term once).
  void add_document(const std::vector<std::uint64_t>& hashes);

  // The whole state as numbers (the cluster stage checkpoints it to its changelog): the counters,
  // the document count and the documents counted since the last halving.
  const std::vector<std::uint32_t>& counters() const { return counters_; }
  std::uint64_t since_halving() const { return since_halving_; }
  // Takes back part of such a state: counters [from, from + values.size()) and the two counts.
  // False, and nothing changed, when the part does not fit this sketch's size.
  bool restore(std::size_t from, const std::vector<std::uint32_t>& values, double documents,
               std::uint64_t since_halving);

 private:
  static constexpr std::size_t rows = 4;
  static constexpr std::size_t block_counters = 16;  // 64 bytes: rows x 4 choices
  std::size_t slot(std::size_t row, std::uint64_t hash) const;
  void add(std::uint64_t hash);
  void halve();

  std::vector<std::uint32_t> counters_;  // rows x width
  std::size_t block_mask_ = 0;
  std::uint64_t half_life_;
  double documents_ = 0;
  std::uint64_t since_halving_ = 0;
};

}  // namespace wirefeed
