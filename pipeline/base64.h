#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wirefeed {

// 32-bit values as base64 (RFC 4648, padded) of their little-endian bytes: how hash signatures
// travel as text (the enriched article's MinHash, the changelog's fingerprint records). About half
// the size of decimal numbers, and a fraction of the cost to write and read.
std::string base64_u32(const std::vector<std::uint32_t>& values);

// The characters base64_u32 writes for `count` values.
constexpr std::size_t base64_u32_size(std::size_t count) { return (count * 4 + 2) / 3 * 4; }
// Writes base64_u32(values) to `out`, which has room for base64_u32_size(values.size())
// characters; returns the end (json_writer::base64 writes straight into its output with it).
char* base64_u32_to(std::span<const std::uint32_t> values, char* out);

// The values back; nothing when `text` is not such a string (bad characters or padding, or a
// length that is no whole number of values).
std::optional<std::vector<std::uint32_t>> from_base64_u32(std::string_view text);

}  // namespace wirefeed
