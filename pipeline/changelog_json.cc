#include "pipeline/changelog_json.h"

#include "pipeline/base64.h"

namespace wirefeed {

simdjson::dom::object parse_object(std::string_view text) {
  thread_local simdjson::dom::parser parser;
  return parser.parse(text.data(), text.size());
}

std::vector<std::uint32_t> hash_values(simdjson::dom::element v) {
  if (v.is_string()) {
    auto values = from_base64_u32(std::string_view(v));
    if (!values) throw std::invalid_argument("hash values are not base64 of 32-bit values");
    return std::move(*values);
  }
  std::vector<std::uint32_t> out;
  for (simdjson::dom::element x : simdjson::dom::array(v)) out.push_back(unsigned_of<std::uint32_t>(x));
  return out;
}

}  // namespace wirefeed
