#include "daemon/huge_pages.h"

namespace wirefeed {
namespace {

// The bracketed word of "always [madvise] never", empty if none.
std::string_view kernel_mode(std::string_view thp_enabled) {
  const auto open = thp_enabled.find('[');
  const auto close = thp_enabled.find(']', open);
  if (open == std::string_view::npos || close == std::string_view::npos) return {};
  return thp_enabled.substr(open + 1, close - open - 1);
}

}  // namespace

bool heap_in_huge_pages(std::string_view glibc_tunables) {
  constexpr std::string_view name = "glibc.malloc.hugetlb=";
  bool on = false;
  while (!glibc_tunables.empty()) {  // the last setting of a tunable wins, as in glibc
    const auto end = glibc_tunables.find(':');
    const std::string_view tunable = glibc_tunables.substr(0, end);
    if (tunable.starts_with(name)) {
      const std::string_view value = tunable.substr(name.size());
      on = value == "1" || value == "2";
    }
    if (end == std::string_view::npos) break;
    glibc_tunables.remove_prefix(end + 1);
  }
  return on;
}

std::optional<std::string> huge_page_hint(std::string_view glibc_tunables, std::string_view thp_enabled) {
  const std::string_view mode = kernel_mode(thp_enabled);
  if (mode == "never") {
    return "the heap is in 4 KiB pages: the kernel's transparent huge pages are off "
           "(/sys/kernel/mm/transparent_hugepage/enabled: never); with many live stories 'madvise' and "
           "GLIBC_TUNABLES=glibc.malloc.hugetlb=1 take ~8% off the cluster stage's cost (docs/operations.md, Memory)";
  }
  if (mode == "always") {
    return "the heap is mostly in 4 KiB pages: under the kernel's transparent huge page mode 'always' "
           "(/sys/kernel/mm/transparent_hugepage/enabled) glibc leaves the heap to the kernel, which gives it few; "
           "'madvise' with GLIBC_TUNABLES=glibc.malloc.hugetlb=1 puts all of it in huge pages, ~5% off the cluster "
           "stage's cost with many live stories (docs/operations.md, Memory)";
  }
  if (heap_in_huge_pages(glibc_tunables)) return std::nullopt;
  return "the heap is in 4 KiB pages: GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (as deploy/wirefeed.service sets) takes "
         "~8% off the cluster stage's cost with many live stories (docs/operations.md, Memory)";
}

}  // namespace wirefeed
