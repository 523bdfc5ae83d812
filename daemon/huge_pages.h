#pragma once

#include <string_view>

namespace wirefeed {

// Whether glibc's malloc asks for transparent huge pages, by the GLIBC_TUNABLES value it was
// started with ("glibc.malloc.hugetlb=1" among colon-separated tunables; 2 asks for reserved
// huge pages). `wirefeed run` says so when it does not: with many live stories the cluster stage
// costs ~15% more on 4 KiB pages (docs/operations.md, "Memory").
bool heap_in_huge_pages(std::string_view glibc_tunables);

}  // namespace wirefeed
