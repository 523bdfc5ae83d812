#include "pipeline/base64.h"

#include <gtest/gtest.h>

#include <random>

namespace wirefeed {
namespace {

TEST(Base64Test, ValuesComeBackWhateverTheirCount) {
  std::mt19937 random(3);
  for (std::size_t n = 0; n < 40; ++n) {
    std::vector<std::uint32_t> values(n);
    for (auto& v : values) v = static_cast<std::uint32_t>(random());
    if (n > 0) values[0] = 0xFFFFFFFFu;
    const std::string text = base64_u32(values);
    EXPECT_EQ(text.size(), (4 * n + 2) / 3 * 4);
    const auto back = from_base64_u32(text);
    ASSERT_TRUE(back) << n;
    EXPECT_EQ(*back, values);
  }
}

TEST(Base64Test, IsWhatAPlainEncoderWritesAtEveryLength) {
  // Six bytes a step while eight can be read, then three, then the padding: every count of
  // values ends on another mix of them.
  const auto plain = [](const std::vector<std::uint32_t>& values) {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::vector<unsigned char> bytes;
    for (const auto v : values) {
      for (int k = 0; k < 4; ++k) bytes.push_back(static_cast<unsigned char>(v >> (8 * k)));
    }
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
      const std::size_t left = bytes.size() - i;
      const std::uint32_t group = std::uint32_t{bytes[i]} << 16 | (left > 1 ? std::uint32_t{bytes[i + 1]} << 8 : 0u) |
                                  (left > 2 ? bytes[i + 2] : 0u);
      out += alphabet[group >> 18];
      out += alphabet[(group >> 12) & 63];
      out += left > 1 ? alphabet[(group >> 6) & 63] : '=';
      out += left > 2 ? alphabet[group & 63] : '=';
    }
    return out;
  };
  std::mt19937 random(5);
  for (std::size_t n = 0; n < 40; ++n) {
    std::vector<std::uint32_t> values(n);
    for (auto& v : values) v = static_cast<std::uint32_t>(random());
    EXPECT_EQ(base64_u32(values), plain(values)) << n;
  }
}

TEST(Base64Test, WritesRfc4648LittleEndian) {
  EXPECT_EQ(base64_u32({0x64636261u}), "YWJjZA==");  // the bytes "abcd"
  EXPECT_EQ(base64_u32({0x64636261u, 0x68676665u, 0x6C6B6A69u}), "YWJjZGVmZ2hpamts");
}

TEST(Base64Test, RejectsWhatIsNoSuchString) {
  for (const char* bad : {"YWJ", "YWJjZA=", "YW=jZA==", "YWJj", "YWJjZA$=", "Y===", "YWJjZA=A", "YWJjZ===", "====", "YWJjZA=="
                          "YWJjZA=="}) {
    EXPECT_FALSE(from_base64_u32(bad)) << bad;
  }
  EXPECT_TRUE(from_base64_u32(""));
}

}  // namespace
}  // namespace wirefeed
