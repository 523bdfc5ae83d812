#pragma once

#include <cstdint>

namespace wirefeed {

// A half-open byte range [begin, end) into article::body (UTF-8, always on code point boundaries).
struct text_span {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  std::uint32_t size() const { return end - begin; }
  bool operator==(const text_span&) const = default;
};

}  // namespace wirefeed
