#include "pipeline/record.h"

namespace wirefeed {

const char* to_string(output_kind kind) {
  switch (kind) {
    case output_kind::enriched: return "enriched";
    case output_kind::stories: return "stories";
    case output_kind::dead_letter: return "dead_letter";
    case output_kind::changelog: return "changelog";
    case output_kind::extracted: return "extracted";
  }
  return "unknown";
}

std::string_view find_header(const headers& hdrs, std::string_view name) {
  for (const auto& [k, v] : hdrs) {
    if (k == name) return v ? std::string_view(*v) : std::string_view();
  }
  return {};
}

}  // namespace wirefeed
