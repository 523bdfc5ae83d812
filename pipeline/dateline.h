#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace wirefeed {

// A dateline found at the start of a paragraph.
struct dateline_match {
  std::string place;     // title-cased ("Moscow", "New York", "Kyiv, Ukraine"; "Istanbul" of
                         // "ISTANBUL/DAMASCUS": the first of cities joined by '/'); may be empty
  std::string agency;    // as written in the parentheses ("AP", "Reuters"); may be empty
  std::size_t length = 0;  // bytes of the dateline, separator and following spaces included
  int month = 0;         // 1..12 when the dateline carries a date ("PARIS, Feb 7 (Reuters) -")
  int day = 0;
  int year = 0;          // when the date gives one ("ANKARA, Feb 6, 2023 (AFP) -"), else 0
  // The place and the region as written, in bytes of the paragraph ("ST. PETERSBURG" and "Russia"
  // of "ST. PETERSBURG, Russia (AP) —"; "ISTANBUL" of "ISTANBUL/DAMASCUS"); length 0 when none.
  std::size_t place_at = 0, place_length = 0;
  std::size_t region_at = 0, region_length = 0;
};

// Recognises the dateline forms of wire copy at the start of `paragraph`:
//   strong: PLACE[, Region][, Mon D] [(Agency)] SEP   -- PLACE in capitals ("MOSCOW", "NEW YORK",
//           "ST. LOUIS"), SEP one of — – - -- : followed by a space, and either an agency or a
//           dash separator: "MOSCOW (AP) —", "PARIS - ", "KYIV, Ukraine (AP) —",
//           "PARIS, Feb 7 (Reuters) -", "ANKARA, Feb 6, 2023 (AFP) -" (the year read too);
//   agency first: "(AP) — ", or with a place in capitals and a date after it: ANSA's
//           "(ANSA) - ROMA, 06 FEB - ";
//   weak (only when `allow_weak`, i.e. for the first paragraph): Place[, Mon D] [(Agency)] SEP
//           in title case, one to three words (lower-case particles inside: "Frankfurt am Main"),
//           followed by a capital letter: "Moscow: French President...", "Paris (AFP) - ...",
//           "Berlin (dpa) - Die ..." (a date only with an agency; a colon only without one, and
//           only when the paragraph ends like a sentence or has 12 words or more: "Lawyer:
//           Lindsay Lohan checks into rehab" is a kicker headline).
// A PLACE may be cities joined by '/' ("ISTANBUL/DAMASCUS", "Berlin/Paris"); an update stamp in
// brackets may come first ("[UPDATED 10:32 GMT] MOSCOW (Reuters) -", part of the dateline). A label
// without an agency is no place ("EDITOR'S NOTE —", "BREAKING —", "FILE - In this photo",
// "Eds: UPDATES ...", a web page's "Posted: Jul 07, 2012"); "LIVE OAK, Fla. (AP) —" is one), and words that open sentences are none in
// title case ("The U.S. - Russia talks"); an instrument code is no agency ("BP (BP.L): ...").
// Nothing otherwise. Never throws.
std::optional<dateline_match> find_dateline(std::string_view paragraph, bool allow_weak);

}  // namespace wirefeed
