#pragma once

#include <string_view>

namespace wirefeed {

// A month named in French, German, Spanish, Italian or Portuguese, whole or cut to three letters
// or more ("février", "févr", "Februar", "feb", "febbraio", "fevereiro"), also written without its
// accents (a wire stripped to ASCII: "fevrier", "maerz", "marz", "marco"); 0 if none. `name` is in
// lower case; a final '.' is ignored ("févr.").
// `whole`: only the whole name ("févr" and "set" are not).
int foreign_month(std::string_view name, bool whole = false);

}  // namespace wirefeed
