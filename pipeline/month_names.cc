#include "pipeline/month_names.h"

#include <array>

#include "pipeline/utf8_cursor.h"

namespace wirefeed {

namespace {

struct months {
  std::string_view language;
  std::array<std::string_view, 12> names;
};

// Each language's names; a second row of a language holds the names it writes with accents as
// ASCII-only wires do (the others repeat the first row's).
constexpr std::array<months, 7> k_months{{
    {"fr", {"janvier", "f\xC3\xA9vrier", "mars", "avril", "mai", "juin", "juillet", "ao\xC3\xBBt", "septembre", "octobre",
            "novembre", "d\xC3\xA9" "cembre"}},
    {"fr", {"janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre",
            "decembre"}},
    {"de", {"januar", "februar", "m\xC3\xA4rz", "april", "mai", "juni", "juli", "august", "september", "oktober",
            "november", "dezember"}},
    {"de", {"januar", "februar", "maerz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november",
            "dezember"}},
    {"es", {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre",
            "diciembre"}},
    {"it", {"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre",
            "novembre", "dicembre"}},
    {"pt", {"janeiro", "fevereiro", "mar\xC3\xA7o", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
            "novembro", "dezembro"}},
}};

std::string_view primary(std::string_view language) { return language.substr(0, language.find('-')); }

}  // namespace

bool has_foreign_months(std::string_view language) {
  const std::string_view p = primary(language);
  for (const auto& row : k_months) {
    if (row.language == p) return true;
  }
  return false;
}

int foreign_month(std::string_view name, bool whole, std::string_view language) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (utf8::count_code_points(name) < 3) return 0;
  const std::string_view only = primary(language);
  for (const auto& row : k_months) {
    if (!only.empty() && row.language != only) continue;
    for (std::size_t m = 0; m < row.names.size(); ++m) {
      if (whole ? row.names[m] == name : row.names[m].starts_with(name)) return static_cast<int>(m) + 1;
    }
  }
  return 0;
}

}  // namespace wirefeed
