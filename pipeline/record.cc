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

std::size_t record_bytes(const output_record& r) {
  std::size_t n = 128 + r.key.size() + r.value.size();  // a record batch's own fields, generously
  for (const auto& [k, v] : r.hdrs) n += 16 + k.size() + (v ? v->size() : 0);
  return n;
}

}  // namespace wirefeed
