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
