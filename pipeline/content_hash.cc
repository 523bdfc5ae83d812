#include "pipeline/content_hash.h"

#include <cstdint>
#include <cstring>

namespace wirefeed {
namespace {

inline std::uint64_t rotl(std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

inline std::uint64_t fmix(std::uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

inline std::uint64_t load_le64(const unsigned char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

std::string content_hash_hex(std::string_view bytes) {
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t len = bytes.size();
  const std::size_t nblocks = len / 16;
  std::uint64_t h1 = 0, h2 = 0;
  const std::uint64_t c1 = 0x87c37b91114253d5ULL, c2 = 0x4cf5ad432745937fULL;

  for (std::size_t i = 0; i < nblocks; ++i) {
    std::uint64_t k1 = load_le64(data + i * 16), k2 = load_le64(data + i * 16 + 8);
    k1 *= c1; k1 = rotl(k1, 31); k1 *= c2; h1 ^= k1;
    h1 = rotl(h1, 27); h1 += h2; h1 = h1 * 5 + 0x52dce729;
    k2 *= c2; k2 = rotl(k2, 33); k2 *= c1; h2 ^= k2;
    h2 = rotl(h2, 31); h2 += h1; h2 = h2 * 5 + 0x38495ab5;
  }

  const unsigned char* tail = data + nblocks * 16;
  std::uint64_t k1 = 0, k2 = 0;
  const std::size_t rest = len & 15;
  for (std::size_t i = rest; i > 8; --i) k2 ^= static_cast<std::uint64_t>(tail[i - 1]) << ((i - 9) * 8);
  if (rest > 8) { k2 *= c2; k2 = rotl(k2, 33); k2 *= c1; h2 ^= k2; }
  for (std::size_t i = rest < 8 ? rest : 8; i > 0; --i) k1 ^= static_cast<std::uint64_t>(tail[i - 1]) << ((i - 1) * 8);
  if (rest > 0) { k1 *= c1; k1 = rotl(k1, 31); k1 *= c2; h1 ^= k1; }

  h1 ^= len; h2 ^= len;
  h1 += h2; h2 += h1;
  h1 = fmix(h1); h2 = fmix(h2);
  h1 += h2; h2 += h1;

  static constexpr char digits[] = "0123456789abcdef";
  std::string hex(32, '0');
  for (int i = 0; i < 8; ++i) {
    hex[2 * i] = digits[(h1 >> (60 - 8 * i)) & 0xF];
    hex[2 * i + 1] = digits[(h1 >> (56 - 8 * i)) & 0xF];
    hex[16 + 2 * i] = digits[(h2 >> (60 - 8 * i)) & 0xF];
    hex[16 + 2 * i + 1] = digits[(h2 >> (56 - 8 * i)) & 0xF];
  }
  return hex;
}

}  // namespace wirefeed
