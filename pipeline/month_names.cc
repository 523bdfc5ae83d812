#include "pipeline/month_names.h"

#include <array>

#include "pipeline/utf8_cursor.h"

namespace wirefeed {

int foreign_month(std::string_view name, bool whole) {
  // French, German, Spanish, Italian, Portuguese; then the same written without accents.
  static constexpr std::array<std::array<std::string_view, 7>, 12> names{{
      {"janvier", "januar", "enero", "gennaio", "janeiro", "janvier", "janvier"},
      {"f\xC3\xA9vrier", "februar", "febrero", "febbraio", "fevereiro", "fevrier", "fevrier"},
      {"mars", "m\xC3\xA4rz", "marzo", "marzo", "mar\xC3\xA7o", "maerz", "marco"},
      {"avril", "april", "abril", "aprile", "abril", "avril", "avril"},
      {"mai", "mai", "mayo", "maggio", "maio", "mai", "mai"},
      {"juin", "juni", "junio", "giugno", "junho", "juin", "juin"},
      {"juillet", "juli", "julio", "luglio", "julho", "juillet", "juillet"},
      {"ao\xC3\xBBt", "august", "agosto", "agosto", "agosto", "aout", "aout"},
      {"septembre", "september", "septiembre", "settembre", "setembro", "septembre", "septembre"},
      {"octobre", "oktober", "octubre", "ottobre", "outubro", "octobre", "octobre"},
      {"novembre", "november", "noviembre", "novembre", "novembro", "novembre", "novembre"},
      {"d\xC3\xA9" "cembre", "dezember", "diciembre", "dicembre", "dezembro", "decembre", "decembre"},
  }};
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (utf8::count_code_points(name) < 3) return 0;
  for (std::size_t m = 0; m < names.size(); ++m) {
    for (const std::string_view full : names[m]) {
      if (whole ? full == name : full.starts_with(name)) return static_cast<int>(m) + 1;
    }
  }
  return 0;
}

}  // namespace wirefeed
