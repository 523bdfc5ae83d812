#include "daemon/huge_pages.h"

#include <gtest/gtest.h>

namespace wirefeed {
namespace {

TEST(HugePagesTest, ReadsTheMallocTunableAmongOthers) {
  EXPECT_TRUE(heap_in_huge_pages("glibc.malloc.hugetlb=1"));
  EXPECT_TRUE(heap_in_huge_pages("glibc.malloc.hugetlb=2"));
  EXPECT_TRUE(heap_in_huge_pages("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1"));
  EXPECT_TRUE(heap_in_huge_pages("glibc.malloc.hugetlb=0:glibc.malloc.hugetlb=1"));  // the last wins
  EXPECT_FALSE(heap_in_huge_pages(""));
  EXPECT_FALSE(heap_in_huge_pages("glibc.malloc.hugetlb=0"));
  EXPECT_FALSE(heap_in_huge_pages("glibc.malloc.hugetlb=1:glibc.malloc.hugetlb=0"));
  EXPECT_FALSE(heap_in_huge_pages("glibc.malloc.arena_max=2"));
  EXPECT_FALSE(heap_in_huge_pages("xglibc.malloc.hugetlb=1"));
  EXPECT_FALSE(heap_in_huge_pages("glibc.malloc.hugetlb=10"));
}

TEST(HugePagesTest, TheKernelsModeDecidesWhetherTheTunableMatters) {
  constexpr std::string_view on = "glibc.malloc.hugetlb=1";
  // madvise, Debian's default: huge pages only when glibc asks.
  EXPECT_FALSE(huge_page_hint(on, "always [madvise] never"));
  const auto ask = huge_page_hint("", "always [madvise] never");
  ASSERT_TRUE(ask);
  EXPECT_NE(ask->find("GLIBC_TUNABLES=glibc.malloc.hugetlb=1"), std::string::npos) << *ask;
  // always: glibc ignores the tunable, and the hint says what does help.
  for (const std::string_view tunables : {std::string_view{}, on}) {
    const auto always = huge_page_hint(tunables, "[always] madvise never");
    ASSERT_TRUE(always);
    EXPECT_NE(always->find("'madvise' with GLIBC_TUNABLES=glibc.malloc.hugetlb=1"), std::string::npos) << *always;
  }
  // never: asking does not help; the hint says the kernel's mode must change too.
  for (const std::string_view tunables : {std::string_view{}, on}) {
    const auto off = huge_page_hint(tunables, "always madvise [never]");
    ASSERT_TRUE(off);
    EXPECT_NE(off->find("enabled: never"), std::string::npos) << *off;
    EXPECT_NE(off->find("'madvise' and GLIBC_TUNABLES"), std::string::npos) << *off;
  }
  // No readable mode (no sysfs): by the tunable alone.
  EXPECT_FALSE(huge_page_hint(on, ""));
  EXPECT_TRUE(huge_page_hint("", ""));
  EXPECT_TRUE(huge_page_hint("", "garbage]["));
}

}  // namespace
}  // namespace wirefeed
