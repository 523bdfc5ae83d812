#pragma once

#include <simdjson.h>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace wirefeed {

// Reading the changelog's records back (story states, fingerprints, document frequencies, the
// learned-state checkpoint) with simdjson's DOM: a parse builds no node per value (a third of a
// restore's time when Boost.JSON built a document per record). A missing member or a value of the
// wrong type throws simdjson_error (a std::exception): the record does not parse.

// The record's top-level object. One parser per thread, reused (it keeps its buffers across
// records): the object is valid until the next call on the same thread.
simdjson::dom::object parse_object(std::string_view text);

inline std::string text_of(simdjson::dom::element e) { return std::string(std::string_view(e)); }

// A whole number that fits `Unsigned`; throws otherwise.
template <class Unsigned>
Unsigned unsigned_of(simdjson::dom::element e) {
  const std::uint64_t n = e.get_uint64();
  if (n > std::numeric_limits<Unsigned>::max()) throw std::out_of_range("a number too large");
  return static_cast<Unsigned>(n);
}

// 32-bit values as the writer puts them: base64 (base64.h), or an array of numbers as records
// written before that still are.
std::vector<std::uint32_t> hash_values(simdjson::dom::element v);

}  // namespace wirefeed
