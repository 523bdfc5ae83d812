#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace wirefeed {

// Whether glibc's malloc asks for transparent huge pages, by the GLIBC_TUNABLES value it was
// started with ("glibc.malloc.hugetlb=1" among colon-separated tunables; 2 asks for reserved
// huge pages).
bool heap_in_huge_pages(std::string_view glibc_tunables);

// What `wirefeed run` logs about the heap's pages, if anything: with many live stories the
// cluster stage costs ~8% more on 4 KiB pages (docs/operations.md, "Memory").
// `thp_enabled` is /sys/kernel/mm/transparent_hugepage/enabled ("always [madvise] never", the
// kernel's mode in brackets), empty when it cannot be read. The kernel's mode decides:
// - `madvise` (Debian's default): huge pages when glibc asks, i.e. with the tunable;
// - `never`: none, whatever glibc asks;
// - `always`: glibc ignores the tunable and leaves the heap to the kernel, which gives a heap
//   grown in small steps few huge pages (13% of cluster_bench's at 100,000 stories);
// - unknown: as `madvise`.
std::optional<std::string> huge_page_hint(std::string_view glibc_tunables, std::string_view thp_enabled);

}  // namespace wirefeed
