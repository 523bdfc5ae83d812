#pragma once

#include <vector>

#include "pipeline/extract_context.h"

namespace wirefeed {

// Date and time expressions of an article, resolved to ISO 8601 (extraction.h, date_mention):
//   absolute: "Feb. 7, 2022", "7 February 2022", "February 14-15" (year: the one that puts the date
//     nearest the publication time), "February 2022", "in April", "mid-February", "in 2015";
//     numeric, "2022-02-07", "07/02/2022", "7.2.2022", "07-02-2022" (four-digit years only): day
//     and month in the order the token makes certain (a part above 12 is the day; dots put the day
//     first), else in English the reading within 60 days of the publication time if only one is,
//     else the language's order (month first in English without a region or en-US, else day
//     first);
//   in other languages only numeric dates, and in French, German, Spanish, Italian and Portuguese
//   the day first with a month's name in that language (month_names.h): "7 février 2022", "1er mars", "7.
//   Februar 2022", "7 de febrero de 2022" (no year: the nearest, as above; a month cut short,
//   "3 set", "5 févr.", only with a year: "vinto in 3 set" is a tennis score);
//   relative, resolved against article::published_ms (UTC): weekdays ("on Monday", "last
//     Tuesday"), "today", "yesterday", "tomorrow", "tonight", "this/next/last week|month|year",
//     "(this|last|next|over the) weekend", "the past week", "two months ago";
//   times: "10:15", "10:15 a.m.", "9 p.m." on the date named in the same sentence, else on the
//     publication date.
// A bare weekday is read by the tense before it in its sentence (or after it, when it opens the
// sentence): after "will", "set to", "expected"... the next one (today included); after "said",
// "was", "-ed" verbs the last one (today included); else the nearest (three days either way).
// Weekends: from Monday to Wednesday "this weekend" is the one just past. A relative expression
// in an article without a publication time keeps an empty value; an absolute one without a year
// is written "XXXX-MM-DD" (ISO 8601-2 unspecified year).
// The tokens of every expression are marked in extract_context::in_date.
//
// Stateless: find() is const and thread-safe; it reads the clock nowhere.
class date_extractor {
 public:
  std::vector<date_mention> find(extract_context& c) const;
};

}  // namespace wirefeed
