#pragma once

#include <string_view>

namespace wirefeed {

// A month named in French, German, Spanish, Italian or Portuguese, whole or cut to three letters
// or more ("février", "févr", "Februar", "feb", "febbraio", "fevereiro"), also written without its
// accents as wires stripped to ASCII write it ("fevrier", "aout", "decembre", "maerz"); 0 if none.
// `name` is in lower case; a final '.' is ignored ("févr."). `whole`: only a whole name ("févr"
// and "set" are not). `language` (BCP 47; empty: any of the five): only that language's names
// ("mai" is May in French and German, not in Italian, where it means "never").
int foreign_month(std::string_view name, bool whole = false, std::string_view language = {});

// Whether foreign_month knows the months of `language` (fr, de, es, it, pt, with any region).
bool has_foreign_months(std::string_view language);

}  // namespace wirefeed
