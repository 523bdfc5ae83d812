#pragma once

#include <string_view>

namespace wirefeed {

enum class name_gender { unknown, female, male };

// The sex a given name ("Sarah", "Hugh") almost always belongs to in the 1990 US Census's counts
// (tools/first_name_gender.py), else unknown. ASCII letters, any case.
name_gender gender_of_first_name(std::string_view name);

}  // namespace wirefeed
