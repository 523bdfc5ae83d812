#pragma once

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "pipeline/base64.h"

namespace wirefeed {

// Appends JSON to a string without building a document first: for outputs written once per
// article (story updates and state), where a Boost.JSON document costs an allocation per member.
// Strings are escaped and numbers formatted as Boost.JSON's serializer does them, so the text is
// byte for byte what json::serialize writes for the same document. Commas are placed by itself;
// the caller keeps objects and arrays balanced (64 deep at most).
//
// The text goes through a small buffer of the writer's own (most pieces are a few bytes: a comma,
// a quote, a member name; std::string takes a call and a length check for each) and reaches
// `out` when the outermost value is complete (a top-level scalar, or the outermost object or
// array closed), on flush(), and when the writer goes away. Read `out` with a value still open
// only after flush(): do not count on a temporary writer going away at the end of its statement
// (clang 14 keeps it alive to the end of the scope when the statement calls a consteval
// constructor, as every key() does). One writer at a time per string.
class json_writer {
 public:
  explicit json_writer(std::string& out) : out_(out) {}
  json_writer(const json_writer&) = delete;
  json_writer& operator=(const json_writer&) = delete;
  ~json_writer() {
    if (n_ > 0) flush();
  }

  // Moves what is written so far to `out` (needed only to read `out` with a value still open).
  void flush() {
    out_.append(buf_, n_);
    n_ = 0;
  }

  json_writer& begin_object() { return open('{'); }
  // Continues an object written into `out` up to its last member, by another writer.
  json_writer& continue_object() {
    push(false);
    return *this;
  }
  json_writer& end_object() { return close('}'); }
  json_writer& begin_array() { return open('['); }
  json_writer& end_array() { return close(']'); }

  // A member name written in the source ("id"): checked when compiling to need no escaping, so it
  // is copied as it is. Most of what a story state writes is such names.
  class literal {
   public:
    template <std::size_t N>
    consteval literal(const char (&s)[N]) : text_(s, N - 1) {  // NOLINT: implicit on purpose
      for (const char c : text_) {
        if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) throw "a key literal that needs escaping";
      }
    }
    std::string_view text() const { return text_; }

   private:
    std::string_view text_;
  };

  // The next member's name (inside an object): the comma, the name and the colon in one copy.
  [[gnu::always_inline]] json_writer& key(literal k) {
    const std::string_view text = k.text();
    if (text.size() + 4 > short_key) {
      separate();
      put('"');
      put(text);
      put("\":");
    } else {
      char* const start = room(short_key);
      char* p = start;
      if (comma_due()) *p++ = ',';
      *p++ = '"';
      copy(p, text.data(), text.size());
      p += text.size();
      *p++ = '"';
      *p++ = ':';
      n_ += static_cast<std::size_t>(p - start);
    }
    after_key_ = true;
    return *this;
  }
  // The next member's name when it is data (a source, a language code): escaped as values are.
  json_writer& name(std::string_view k) {
    separate();
    append_string(k);
    put(':');
    after_key_ = true;
    return *this;
  }

  json_writer& value(std::string_view s) {
    separate();
    append_string(s);
    return complete();
  }
  json_writer& value(const char* s) { return value(std::string_view(s)); }
  json_writer& value(const std::string& s) { return value(std::string_view(s)); }
  json_writer& value(bool b) {
    separate();
    put(b ? std::string_view("true") : std::string_view("false"));
    return complete();
  }
  template <std::integral I>
    requires(!std::same_as<I, bool>)
  json_writer& value(I n) {
    separate();
    char* const p = room(24);
    n_ += static_cast<std::size_t>(std::to_chars(p, p + 24, n).ptr - p);
    return complete();
  }
  // Boost.JSON's format: the shortest round-trip digits in scientific notation, "6.94E-1", "1E5",
  // "0E0". std::to_chars finds the same digits ("6.94e-01"); the exponent is rewritten.
  json_writer& value(double d) {
    separate();
    if (!std::isfinite(d)) {
      put(boost::json::serialize(boost::json::value(d)));
      return complete();
    }
    char buf[32];
    const char* const end = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific).ptr;
    const char* const e = std::find(static_cast<const char*>(buf), end, 'e');
    append(buf, e);
    put('E');
    const char* digits = e + 1;
    if (*digits == '-') put(*digits);
    if (*digits == '-' || *digits == '+') ++digits;
    while (digits + 1 < end && *digits == '0') ++digits;
    append(digits, end);
    return complete();
  }
  // A quantity for people to read: a whole number as a JSON integer ("100000"), else value(d).
  json_writer& number(double d) {
    if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9.0e15) return value(static_cast<std::int64_t>(d));
    return value(d);
  }
  // A double in its shortest round-trip form ("0.1131715774536133"): cheaper than value(double),
  // for numbers only wirefeed reads back.
  json_writer& shortest(double d) {
    separate();
    char* const p = room(32);
    n_ += static_cast<std::size_t>(std::to_chars(p, p + 32, d).ptr - p);
    return complete();
  }
  // An array of unsigned numbers, "[1,2,3]": value() for each, in one pass.
  json_writer& numbers(const std::vector<std::uint32_t>& xs) {
    separate();
    char buf[16 * 11 + 2];
    put('[');
    for (std::size_t i = 0; i < xs.size();) {
      char* p = buf;
      for (const std::size_t end = std::min(xs.size(), i + 16); i < end; ++i) {
        if (i > 0) *p++ = ',';
        p = std::to_chars(p, buf + sizeof buf, xs[i]).ptr;
      }
      append(buf, p);
    }
    put(']');
    return complete();
  }
  // 32-bit values as a base64 string, value(base64_u32(values)) written in place (base64 needs no
  // escaping).
  json_writer& base64(std::span<const std::uint32_t> values) {
    separate();
    const std::size_t size = base64_u32_size(values.size()) + 2;
    char* p;
    if (size <= long_piece) {
      p = room(size);
      n_ += size;
    } else {
      flush();
      const std::size_t at = out_.size();
      out_.resize(at + size);
      p = out_.data() + at;
    }
    *p++ = '"';
    *base64_u32_to(values, p) = '"';
    return complete();
  }
  json_writer& null() {
    separate();
    put("null");
    return complete();
  }
  // A string, or null when it is empty.
  json_writer& string_or_null(std::string_view s) { return s.empty() ? null() : value(s); }

  // Text already written as JSON by someone else (a whole value).
  json_writer& raw(std::string_view json) {
    separate();
    put(json);
    return complete();
  }

 private:
  static constexpr std::size_t buffer_size = 1024;
  static constexpr std::size_t long_piece = buffer_size / 4;  // longer pieces go straight to `out`
  static constexpr std::size_t short_key = 64;                // key()'s room for ",\"name\":"
  static constexpr unsigned max_depth = 64;                   // objects and arrays open at once

  // Room for `k` (at most buffer_size) more bytes at the end of the buffer.
  [[gnu::always_inline]] char* room(std::size_t k) {
    if (n_ + k > buffer_size) [[unlikely]] flush();
    return buf_ + n_;
  }
  [[gnu::always_inline]] void put(char c) {
    *room(1) = c;
    ++n_;
  }
  void put(std::string_view s) {
    if (s.size() > long_piece) {
      flush();
      out_ += s;
      return;
    }
    copy(room(s.size()), s.data(), s.size());
    n_ += s.size();
  }
  // [begin, end) of a local buffer.
  void append(const char* begin, const char* end) { put(std::string_view(begin, static_cast<std::size_t>(end - begin))); }

  // One level deeper. Deeper than max_depth is a writer's bug (no document wirefeed writes nests
  // past 5): refused, what was written before it no JSON.
  void push(bool first) {
    if (depth_ == max_depth) [[unlikely]] throw std::length_error("json_writer: nesting deeper than 64");
    const std::uint64_t bit = std::uint64_t{1} << depth_++;
    first_ = first ? first_ | bit : first_ & ~bit;
  }
  // memcpy, for the few bytes most pieces are (names, commas, short strings) as fixed-size copies
  // the compiler writes in place rather than a call; longer ones by memcpy. `d` and `s` do not
  // overlap.
  [[gnu::always_inline]] static void copy(char* d, const char* s, std::size_t n) {
    if (n > 16) {
      std::memcpy(d, s, n);
    } else if (n >= 8) {
      copy_ends<std::uint64_t>(d, s, n);
    } else if (n >= 4) {
      copy_ends<std::uint32_t>(d, s, n);
    } else if (n > 0) {
      d[0] = s[0];
      d[n / 2] = s[n / 2];
      d[n - 1] = s[n - 1];
    }
  }

  // n bytes (sizeof(Word) <= n <= 2 sizeof(Word)) as the first and the last Word, overlapping.
  template <class Word>
  [[gnu::always_inline]] static void copy_ends(char* d, const char* s, std::size_t n) {
    Word head, tail;
    std::memcpy(&head, s, sizeof head);
    std::memcpy(&tail, s + n - sizeof tail, sizeof tail);
    std::memcpy(d, &head, sizeof head);
    std::memcpy(d + n - sizeof tail, &tail, sizeof tail);
  }

  json_writer& open(char c) {
    separate();
    put(c);
    push(true);
    return *this;
  }
  json_writer& close(char c) {
    put(c);
    --depth_;
    return complete();
  }
  // After a value: when it was the outermost one, it goes to `out`.
  json_writer& complete() {
    if (depth_ == 0) flush();
    return *this;
  }
  [[gnu::always_inline]] void separate() {
    if (comma_due()) put(',');
  }
  // Whether the next element needs a comma before it (and, either way, that it is written next).
  [[gnu::always_inline]] bool comma_due() {
    if (after_key_) {
      after_key_ = false;
      return false;
    }
    if (depth_ == 0) return false;
    const std::uint64_t bit = std::uint64_t{1} << (depth_ - 1);
    const bool comma = (first_ & bit) == 0;
    first_ &= ~bit;
    return comma;
  }
  // Most strings are short (names, codes): copied between their quotes in one go, then checked
  // where they landed (16 bytes of the buffer read, their own bits kept), in the caller's code.
  // A longer one, or one needing escapes (written again over the same bytes), by a call.
  [[gnu::always_inline]] void append_string(std::string_view s) {
#if defined(__SSE2__)
    if (s.size() < 16) {
      char* const p = room(17);  // the string and its quotes, and the 16 bytes read after the first
      p[0] = '"';
      copy(p + 1, s.data(), s.size());
      if ((flagged(p + 1) & ((1u << s.size()) - 1)) == 0) {
        p[s.size() + 1] = '"';
        n_ += s.size() + 2;
        return;
      }
    }
#endif
    append_long(s);
  }
  [[gnu::noinline]] void append_long(std::string_view s) {
#if defined(__SSE2__)
    // Up to long_piece bytes (uris, quotes) the same way: one copy, then 16 bytes at a time.
    if (s.size() <= long_piece) {
      const std::size_t n = s.size();
      char* const p = room(n + 17);  // the string and its quotes, and up to 15 bytes read past it
      p[0] = '"';
      std::memcpy(p + 1, s.data(), n);
      unsigned flags = 0;
      std::size_t i = 0;
      for (; i + 16 <= n; i += 16) flags |= flagged(p + 1 + i);
      if (i < n) flags |= flagged(p + 1 + i) & ((1u << (n - i)) - 1);
      if (flags == 0) {
        p[n + 1] = '"';
        n_ += n + 2;
        return;
      }
    }
#endif
    static constexpr char hex[] = "0123456789abcdef";
    put('"');
    const char* p = s.data();
    const std::size_t n = s.size();
    std::size_t run = 0;  // start of the bytes not yet copied
    for (std::size_t i = to_escape(p, 0, n); i < n; i = to_escape(p, i + 1, n)) {
      const auto c = static_cast<unsigned char>(p[i]);
      put(std::string_view(p + run, i - run));
      run = i + 1;
      switch (c) {
        case '"': put("\\\""); break;
        case '\\': put("\\\\"); break;
        case '\b': put("\\b"); break;
        case '\t': put("\\t"); break;
        case '\n': put("\\n"); break;
        case '\f': put("\\f"); break;
        case '\r': put("\\r"); break;
        default: {
          const char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
          put(std::string_view(u, sizeof u));
        }
      }
    }
    put(std::string_view(p + run, n - run));
    put('"');
  }

#if defined(__SSE2__)
  // Bit k set when byte k of the 16 at `at` needs escaping.
  static unsigned flagged(const char* at) {
    const __m128i below_space = _mm_set1_epi8(0x1f), quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
    const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, below_space), v);  // unsigned v <= 0x1f
    const __m128i special = _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash));
    return static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(control, special)));
  }
#endif

  // Where the first byte at or after `i` that needs escaping ('"', '\\', below 0x20) is, else `n`.
  // Sixteen bytes at a time (SSE2), the last few too: most strings written are short (names,
  // uris, sources) and have nothing to escape, so a byte-by-byte tail would be most of the work.
  // Else eight at a time (SWAR), then byte by byte.
  static std::size_t to_escape(const char* p, std::size_t i, std::size_t n) {
#if defined(__SSE2__)
    for (; i + 16 <= n; i += 16) {
      if (const unsigned m = flagged(p + i)) return i + static_cast<std::size_t>(std::countr_zero(m));
    }
    if (i == n) return n;
    unsigned m;
    if (n >= 16) {
      // The last 16 bytes, overlapping what was checked: bit k of the shifted mask is byte i + k.
      m = flagged(p + n - 16) >> (i + 16 - n);
    } else {
      // Fewer than 16 bytes in all: through a buffer, never reading past the string. The zeros
      // after them would look like control characters: only their own bits count.
      char buf[16] = {};
      std::memcpy(buf, p + i, n - i);
      m = flagged(buf) & ((1u << (n - i)) - 1);
    }
    return m ? i + static_cast<std::size_t>(std::countr_zero(m)) : n;
#else
    constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    const auto zero_byte = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
    for (; i + 8 <= n; i += 8) {
      std::uint64_t w;
      std::memcpy(&w, p + i, sizeof w);
      // Flags every byte needing escape, and maybe bytes above the first such one: on from there
      // byte by byte.
      const std::uint64_t m = ((w - 0x20 * ones) & ~w & highs) | zero_byte(w ^ ('"' * ones)) | zero_byte(w ^ ('\\' * ones));
      if (m) break;
    }
    for (; i < n; ++i) {
      const auto c = static_cast<unsigned char>(p[i]);
      if (c < 0x20 || c == '"' || c == '\\') return i;
    }
    return n;
#endif
  }

  std::string& out_;
  // Bit d: nothing written yet in the object or array open at depth d + 1 (of depth_ open).
  std::uint64_t first_ = 0;
  unsigned depth_ = 0;
  bool after_key_ = false;
  std::size_t n_ = 0;  // bytes in buf_, not yet in out_
  char buf_[buffer_size] = {};  // zeroed: a string's check reads up to 15 bytes past what it wrote
};

}  // namespace wirefeed
