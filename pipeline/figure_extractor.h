#pragma once

#include <vector>

#include "pipeline/extract_context.h"

namespace wirefeed {

// Numbers with what they count (extraction.h, figure), normalised to a value, a unit and the
// counted words:
//   "more than 100,000 Russian troops" -> 100000, counted "troops", qualifier "more than";
//   "$500 million in military assistance" -> 5e8 USD, counted "military assistance";
//   "70% of its strike force" -> 70 percent, counted "strike force";
//   "five million people" -> 5e6 "people"; "48 hours" -> 48 hour; "a 40-minute call" -> 40 minute
//   "call"; "1,000 tons of weapons" -> 1000 ton "weapons"; "5bn" -> 5e9, "100m" -> 1e8, but a race
//   ("the 100m final", "won the 400m": an event word after it, or "the" before a standard
//   distance) -> 100 m;
//   ranges: "14-15 people", "between 10 and 20", "10 to 20" -> value 10, high 20 (but "13-13",
//   "a 9-14 record", "745-4811", "(1999-2003)", two numbers in one word with nothing counted but a
//   result, are a score, a record, a phone number, a span of years: no figure); "5 to 7%", "4.3% to
//   4.4%", "$5 to $7 million" (a side with a unit of its own needs the same on the other side: "rose
//   1.2% to $84.31" is a change and a level, two figures; so is "rose from 36 to 57", "from" after
//   a verb of change, and "rose 0.5% to 6.4%", a verb of change before a number with its unit;
//   the old value written bare takes the new one's scale and unit: "fell from 3.6 to 3.4 percent");
//   vague amounts: "tens of thousands of troops" -> 20000..99999 (value and high), "hundreds" ->
//   200..999, "dozens" -> 24..99.
// The counted words are the lower-case words after the number (or after its unit's "of", or a
// currency amount's "in"), skipping capitalised words and entities ("Russian", "U.S."), up to a
// stopword, a punctuation mark or a number; empty when there are none ("10,000 were fit").
// Ages are no figures ("36-year-old", "45 years old", as ", 45," after a name); a distance's
// direction ("1,500 kilometers south"), a verb right after the number ("Dozens gathered") and what
// is "left" or "remaining" ("four minutes left") are nothing counted; a toll's word is ("30 dead",
// "12 missing"), and so is the verb before the number ("killed 12 and injured 40").
// Skipped: numbers inside a date expression (extract_context::in_date, so run date_extractor
// first) or an entity name ("Nord Stream 2"), ordinals, the word "one" alone, clock times (also
// written with spaces, "4: 31 AM", "7 p. m."), street addresses ("the 12000 block of"), years
// after a determiner and before a name ("a 2008 Bentley", "the 2010 season"), identifiers ("Flight
// 93", "Category 5"), calibres ("a .38 caliber revolver"), heights ("6 feet 4 inches"), 911,
// numbers with '/' or ':'.
//
// Stateless: find() is const and thread-safe.
class figure_extractor {
 public:
  std::vector<figure> find(const extract_context& c) const;
};

}  // namespace wirefeed
