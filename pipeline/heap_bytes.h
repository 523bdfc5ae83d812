#pragma once

#include <cstddef>
#include <string>
#include <vector>

// Estimates of the heap memory a value holds: the capacities of its strings and lists, each
// rounded up as glibc's malloc rounds an allocation (an 8-byte header, 16-byte steps, 32 bytes at
// least). For the engine's in-flight budget (engine_options::max_in_flight_bytes), not for
// accounting to the byte; HeapBytesTest holds heap_bytes(article) against the bytes operator new
// hands out.
namespace wirefeed::heap {

inline std::size_t allocation(std::size_t bytes) {
  if (bytes == 0) return 0;
  const std::size_t chunk = (bytes + 8 + 15) & ~std::size_t{15};
  return chunk < 32 ? 32 : chunk;
}

inline std::size_t of(const std::string& s) {
  static const std::size_t in_place = std::string().capacity();  // short strings need no allocation
  return s.capacity() > in_place ? allocation(s.capacity() + 1) : 0;
}

template <class T>
std::size_t of(const std::vector<T>& v) {
  return allocation(v.capacity() * sizeof(T));
}

// The list and what each element holds besides itself.
template <class T, class Each>
std::size_t of(const std::vector<T>& v, Each each) {
  std::size_t n = of(v);
  for (const auto& x : v) n += each(x);
  return n;
}

}  // namespace wirefeed::heap
