#include "daemon/huge_pages.h"

namespace wirefeed {

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

}  // namespace wirefeed
