#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace wirefeed::ner {

// Reads what byte_writer wrote. Never reads past the end: a short read sets failed() and returns
// zeros/empty, so callers check failed() once after a group of reads.
class byte_reader {
 public:
  explicit byte_reader(std::string_view bytes) : in_(bytes) {}

  std::uint8_t u8() { return static_cast<std::uint8_t>(get(1)); }
  std::uint16_t u16() { return static_cast<std::uint16_t>(get(2)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(get(4)); }
  std::uint64_t u64() { return get(8); }
  std::int16_t i16() { return static_cast<std::int16_t>(u16()); }
  float f32() {
    const std::uint32_t bits = u32();
    float v;
    std::memcpy(&v, &bits, 4);
    return v;
  }
  // A length-prefixed string; the view points into the reader's buffer.
  std::string_view str() {
    const std::uint32_t n = u32();
    return raw(n);
  }
  std::string_view raw(std::size_t n) {
    if (failed_ || in_.size() - pos_ < n) {
      failed_ = true;
      return {};
    }
    std::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }

  bool failed() const { return failed_; }
  std::size_t remaining() const { return in_.size() - pos_; }

 private:
  std::uint64_t get(int n) {
    if (failed_ || in_.size() - pos_ < static_cast<std::size_t>(n)) {
      failed_ = true;
      return 0;
    }
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= static_cast<std::uint64_t>(static_cast<unsigned char>(in_[pos_ + i])) << (8 * i);
    pos_ += n;
    return v;
  }

  std::string_view in_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

}  // namespace wirefeed::ner
