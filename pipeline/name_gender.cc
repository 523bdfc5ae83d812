#include "pipeline/name_gender.h"

#include <algorithm>
#include <array>
#include <string>

namespace wirefeed {
namespace {

#include "pipeline/name_gender_data.inc"

}  // namespace

name_gender gender_of_first_name(std::string_view name) {
  if (name.empty() || name.size() > 20) return name_gender::unknown;
  std::string lower(name);
  for (char& ch : lower) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    else if (ch < 'a' || ch > 'z') return name_gender::unknown;
  }
  if (std::binary_search(k_female_names.begin(), k_female_names.end(), std::string_view(lower))) return name_gender::female;
  if (std::binary_search(k_male_names.begin(), k_male_names.end(), std::string_view(lower))) return name_gender::male;
  return name_gender::unknown;
}

}  // namespace wirefeed
