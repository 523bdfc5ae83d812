#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wirefeed {

// Raw-text wire copy often carries header lines before the body, as in the sample feed:
//
//   Macron heads to Moscow in bid to ease Ukraine tensions      <- title
//   20220207                                                    <- date
//   https://ewn.co.za/2022/02/07/macron-heads-to-moscow...      <- URL
//   Moscow has accused the West ...                             <- body
//
// or a date glued in front of the first body line: " date 2022-02-08 Emerging from a five-hour
// meeting ...", or labelled lines, as text dumps of a CMS or a scraper write them:
//
//   Title: Quake hits central Chile
//   Source: Reuters
//   Date: 2022-02-07
//   URL: https://example.com/quake
//
//   SANTIAGO (Reuters) - ...

enum class header_line_kind { title, date, url, source, byline, language, other };

// A header line: what it is and what it says (the line without its label).
struct header_field {
  header_line_kind kind = header_line_kind::title;
  std::string_view value;
};

struct text_header {
  std::vector<std::string> lines;  // trimmed, in input order ("date 2022-02-08" for a prefix)
  std::size_t body_offset = 0;     // where the body starts in the input
};

// Splits the header lines off the start of `text`. Recognised, scanning down from the first
// non-blank line and stopping at the first line that is none of them:
//   - a URL line (http:// or https://, no spaces);
//   - a date line: a whole line parse_feed_time_ms accepts, optionally labelled (below), or
//     with a date label and no colon ("Updated 2:34 PM EST, October 1, 2023", "Posted on
//     February 7, 2022", "date 2022-02-08"); a date label and a time alone ("UPDATED 10:32
//     GMT") is an update stamp, of kind other;
//   - a labelled line, "Label: value", of a label below (any case) and a value of its kind:
//       title: Title, Headline, Subject;  url: URL, Link, Permalink (a URL);
//       date: Date, Published, Updated, Posted, Pubdate (a date);  source: Source, Agency,
//       Publisher, Provider;  byline: By, Byline, Author, Authors;  language: Language, Lang;
//       other (recognised and dropped): Slug, Keywords, Tags, Category, Section, ID, Priority,
//       and an e-mail's From, To, Cc (its Subject is the title, its Sent the date);
//     a title, source or byline of at most 300, 80, 120 bytes and no sentence (five words or more
//     ending in a full stop of no abbreviation, or six or more from a word in lower case with a
//     comma or that stop: "a senior official said ..."; "dpa", "de Blasio to run for Congress",
//     "The New York Times Co.", "Robert F. Kennedy Jr." are names), a language in one word
//     (normalize drops what is no tag: "English"; two or three words, "Brazilian Portuguese",
//     make a line of kind other);
//   - a title: the first line, of at most 300 bytes and with no label of the list above, only
//     when the next non-blank line is any of the above;
//   - a "date <ISO date>" prefix of the first body line (then the body starts after it).
// Only the first 12 lines are examined. Text without such lines has no header (body_offset 0).
// A body whose first line only looks like a label ("Source: a senior official said ...", longer
// than a source) keeps it.
text_header split_text_header(std::string_view text);

// What a header line returned by split_text_header is, and its value; a line of none of the
// kinds is a title (the unlabelled first line).
header_field classify_header_line(std::string_view line);

// A paragraph that is a date line as above (kind date) or an update stamp (kind other): under a
// web page's title and byline ("Updated 2:34 PM EST, October 1, 2023"), normalize removes it.
std::optional<header_field> dated_line(std::string_view line);

// A paragraph made of a publication or update stamp only, in any of the shapes scraped pages print
// that dated_line cannot read as a time ("Posted: Jul 07, 2012 7: 40 PM ET", "12/23/12 06: 03 PM
// ET", "Friday, Sep 10, 2010 | Updated 9: 28 AM", "Last updated at 11: 24, Tuesday, 18 June
// 2013", "11/28/05"): an optional label (posted, published, updated, first/last ..., time, on, at),
// then only dates, weekdays, times, time zones and separators, with a date or a clock time among
// them (two words at least, or one numeric date with its day, month and year):
// `stamped` when it has a clock time or a label, `date` when it is a date alone ("March 11, 2020",
// which a timeline's entries are too). normalize removes it as a header line and reads no time
// from it.
enum class stamp_kind { none, date, stamped };
stamp_kind stamp_line(std::string_view line);


}  // namespace wirefeed
