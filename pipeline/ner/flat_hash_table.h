#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace wirefeed::ner {

// An open-addressing (linear probing) map from a 64-bit hash key to a small value V.
// Contract: keys are already well-mixed hashes; key 0 is remapped to 1 internally, so 0 and 1
// alias (harmless for hash keys). No erase. Growth doubles the table at 50% load, so inserts are
// amortised O(1) and lookups touch one or two cache lines. Not thread-safe for concurrent
// mutation; concurrent const lookups are fine.
template <class V>
class flat_hash_table {
 public:
  struct slot {
    std::uint64_t key = 0;  // 0 = empty
    V value{};
  };

  explicit flat_hash_table(std::size_t expected = 0) { reserve(expected); }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // Makes room for `n` entries without rehashing.
  void reserve(std::size_t n) {
    std::size_t cap = 16;
    while (cap < n * 2) cap <<= 1;
    if (cap > slots_.size()) rehash(cap);
  }

  void clear() {
    slots_.assign(slots_.size(), slot{});
    size_ = 0;
  }

  const V* find(std::uint64_t key) const {
    if (slots_.empty()) return nullptr;
    key = normalise(key);
    for (std::size_t i = key & mask_;; i = (i + 1) & mask_) {
      const slot& s = slots_[i];
      if (s.key == key) return &s.value;
      if (s.key == 0) return nullptr;
    }
  }
  V* find(std::uint64_t key) {
    return const_cast<V*>(static_cast<const flat_hash_table*>(this)->find(key));
  }

  // Hints the CPU to fetch the cache line where a lookup of `key` starts. No effect on results.
  void prefetch(std::uint64_t key) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[normalise(key) & mask_]);
  }

  // Returns the value for `key`, value-initialising it first if absent.
  V& operator[](std::uint64_t key) {
    if ((size_ + 1) * 2 > slots_.size()) rehash(slots_.empty() ? 16 : slots_.size() * 2);
    key = normalise(key);
    for (std::size_t i = key & mask_;; i = (i + 1) & mask_) {
      slot& s = slots_[i];
      if (s.key == key) return s.value;
      if (s.key == 0) {
        s.key = key;
        ++size_;
        return s.value;
      }
    }
  }

  // Visits every (key, value) in slot order (deterministic for a given insertion history).
  template <class F>
  void for_each(F&& f) const {
    for (const slot& s : slots_)
      if (s.key != 0) f(s.key, s.value);
  }
  template <class F>
  void for_each_value(F&& f) {
    for (slot& s : slots_)
      if (s.key != 0) f(s.value);
  }

 private:
  static std::uint64_t normalise(std::uint64_t k) { return k == 0 ? 1 : k; }

  void rehash(std::size_t cap) {
    std::vector<slot> old = std::move(slots_);
    slots_.assign(cap, slot{});
    mask_ = cap - 1;
    for (const slot& s : old) {
      if (s.key == 0) continue;
      for (std::size_t i = s.key & mask_;; i = (i + 1) & mask_) {
        if (slots_[i].key == 0) {
          slots_[i] = s;
          break;
        }
      }
    }
  }

  std::vector<slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace wirefeed::ner
