#pragma once

#include <bitset>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wirefeed {

// Closed-class words of the languages wirefeed knows: the stopword lists (en, fr, de, es, it,
// pt, nl) and the English function words that identify English text cheaply (language_id.h).
// One lookup per token answers both. Built once, immutable: safe on any thread.
class word_table {
 public:
  using mask = std::uint16_t;
  static constexpr mask english_marker = 1u << 15;

  // The shared instance (built on first use; thread-safe).
  static const word_table& instance();

  // The stopword bit of a BCP 47 language ("en", "fr-CA" -> "fr"), 0 for languages without a list.
  static mask stopword_bit(std::string_view language);

  // The bits of a folded (lower-case) word: stopword bits of the languages listing it, plus
  // english_marker. 0 for anything else.
  mask lookup(std::string_view folded) const;

  // The same for a word inside a larger buffer: at least 16 bytes from `word` must be readable
  // (the tokenizer's output buffer guarantees it), so the word is hashed with two plain loads.
  mask lookup_padded(const char* word, std::size_t size) const;

 private:
  word_table();
  void add(std::string_view word, mask bits);
  std::uint8_t mask_index(mask bits);
  mask find(std::uint64_t a, std::uint64_t b, std::size_t size, std::uint64_t hash) const;

  // 8 bytes, so the table (2048 slots) stays in the L1 cache.
  struct slot {
    std::uint32_t tag = 0;       // high hash bits, compared before the word; 0 = empty
    std::uint16_t word = 0;      // offset into words_
    std::uint8_t length = 0;
    std::uint8_t bits_index = 0;  // into bits_
  };
  std::string_view word_at(const slot& s) const { return std::string_view(words_).substr(s.word, s.length); }

  // Per slot, the word's first 16 bytes zero-padded (what hash_padded reads), compared on a tag
  // match instead of the bytes.
  struct packed_word {
    std::uint64_t a = 0, b = 0;
  };
  std::vector<packed_word> packed_;
  std::string words_;           // every word, back to back
  std::vector<mask> bits_;      // distinct masks
  std::vector<slot> slots_;     // open addressing, size a power of two
  std::size_t max_length_ = 0;
  // (length, first byte) of the words present: most content words are rejected by one bit test.
  std::bitset<32 * 256> shapes_;
};

}  // namespace wirefeed
