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

}  // namespace
}  // namespace wirefeed
