#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/text_span.h"

// What the extract stage finds in an article: the value types of article.h's "set by extract"
// section. Every text_span is a byte range of article::body, like the spans normalize sets.
namespace wirefeed {

// The four entity types of the tagger (CoNLL-2003 PER / ORG / LOC / MISC).
enum class entity_kind : std::uint8_t { person, organisation, place, other };
const char* to_string(entity_kind k);  // "person", "organisation", "place", "other"

// One entity of the article: every mention that names the same person, organisation, place or
// other thing ("Macron", "Emmanuel Macron", "Makron" -> one person).
struct entity {
  entity_kind kind = entity_kind::other;
  std::string name;                 // canonical: the fullest name the article uses ("Emmanuel Macron")
  std::string role;                 // the title written before the name most often ("French President");
                                    // empty if none (people only)
  std::vector<text_span> mentions;  // in body order; never empty
};

// How a quote's speaker was found.
enum class attribution : std::uint8_t {
  none,          // no speaker found
  direct,        // named next to a reporting verb in the quote's sentence ("said Peskov", "Macron told")
  pronoun,       // "he said": the person who last spoke or was reported before the quote
  description,   // "the Russian leader said": the person whose role starts with the same word
  continuation,  // a quote with no attribution of its own after a quote of the same speaker
};
const char* to_string(attribution a);  // "none", "direct", "pronoun", "description", "continuation"

// A direct quotation: the words between quotation marks.
struct quote {
  text_span text;                        // the quoted words, marks and a trailing comma excluded
  std::optional<std::uint32_t> speaker;  // index into article::entities, when the speaker is one
  std::string speaker_text;              // the speaker as written when it is not an entity ("US officials",
                                         // "the Russian president", "he"); empty when `speaker` is set
  std::optional<text_span> speaker_span; // the words naming the speaker at the attribution, if any
  std::string verb;                      // the reporting verb, lower-case as written ("said", "told",
                                         // "according to"); empty when none was found
  attribution how = attribution::none;
  bool partial = false;  // a fragment inside the writer's own sentence ("called the visit “very important”")
};

// A number with what it counts: "more than 100,000 troops", "$500 million", "70%", "48 hours".
struct figure {
  text_span text;             // qualifier, number and unit words: "more than 100,000", "$500 million", "48 hours"
  double value = 0;           // 100000, 500000000, 70, 48
  std::optional<double> high; // the upper end of a range ("14-15", "between 10 and 20"), else nothing
  std::string unit;           // "" for a plain count; "USD", "EUR", "GBP", "JPY", "percent", "hour", "km", ...
  std::string counted;        // what is counted, lower-case as written ("troops", "civilians"); may be empty
  std::string qualifier;      // lower-case as written: "more than", "up to", "about", "nearly"...; may be empty
};

// A date or time expression, resolved to ISO 8601.
struct date_mention {
  text_span text;     // "Feb. 7, 2022", "February 14-15", "last week", "Monday"
  std::string value;  // "2022-02-07", "2022-02", "2022", "2022-02-07T10:15", or an interval
                      // "2022-02-14/2022-02-15"; empty when a relative expression could not be resolved
                      // (the article has no publication time)
  bool relative = false;  // resolved against the publication time ("on Monday", "next week", "two months ago")
};

// A keyword candidate of the article with its count (input of the ordered keyword ranker).
struct term_count {
  std::string term;  // folded words joined by one space: "nord stream", "sanctions"
  std::uint32_t count = 0;
  bool operator==(const term_count&) const = default;
};

// A ranked keyword: term frequency x inverse document frequency over the articles seen so far.
struct keyword {
  std::string term;
  double score = 0;
};

struct article;

// Keeps the extract stage's spans right when body bytes `cut` are erased after extraction (the
// boilerplate learner runs on the ordered strand, after extract): drops the mentions, quotes,
// figures and dates inside `cut`, entities left without mentions (renumbering quote speakers),
// and moves every span after `cut` back by its size. Called by erase_paragraph (article_edit.h).
// Terms, keywords and fingerprints are left as they are: they hold no offsets.
void erase_extracted(article& a, text_span cut);

}  // namespace wirefeed
