#pragma once

#include <cstdint>
#include <vector>

#include "pipeline/extract_context.h"

namespace wirefeed {

// Direct quotations and who said them (extraction.h, quote).
//
// Quotes: the words between a pair of quotation marks in one paragraph: straight or typographic
// double quotes (“ ” „ « » "), or single ones (‘ ’ ') that open before a word and close after
// one. Whether a straight mark opens or closes is read from the spacing around it. A double quote
// left open at the end of a paragraph runs to its end (the newsroom convention for a quote that
// goes on in the next paragraph). Short all-capitalised runs ("Meet the Press", "Fox News Sunday")
// are titles, not quotes. A quote is `partial` when it sits inside the writer's sentence: it does
// not start the sentence or follow a "," or ":", or it starts in lower case.
//
// Speakers, first match wins, within the quote's sentence:
//   1. after the quote: "according to X"; a reporting verb then X ("said Peskov", "said the
//      Russian leader"); X then a reporting verb ("Peskov told reporters", "he said"), other quotes
//      in between skipped ("“A” to produce “B”, said Macron");
//   2. before the quote: the nearest reporting verb and its subject: the entity, pronoun or noun
//      phrase right before it, a ", who ..., " clause skipped ("Macron, before leaving Paris,
//      told Le Journal du Dimanche, “...”"); a participle ("saying", "adding") takes the subject of
//      the verb before it; else the sentence's first person or organisation;
//   3. "he"/"she" is the person who last spoke or was reported ("X said") before the quote, in the
//      same or the three previous paragraphs; "the prime minister" is the person most recently
//      mentioned whose role ends with the words ("British Prime Minister"), else "the Russian
//      leader" the one whose role starts with "Russian";
//   4. a quote with no attribution of its own continues the previous quote of its paragraph, the
//      quote running on from the previous paragraph, or, when the quote is its whole paragraph,
//      the last quote of the paragraph before when that paragraph ends with the quote's sentence
//      and the quote is whole (the wire convention: a new speaker is named at once; 209 of ECB+'s
//      1,055 quotes without a speaker were such paragraphs).
// X is an entity of the article when a mention is there (PER, ORG or LOC: "the Kremlin said"; a
// person's "of" and a place or organisation is the person: "Sen. Joe Manchin of West Virginia
// said"), else the words as written ("US officials", "the official").
//
// Work grows linearly with the article (n log n at worst): every walk from a quote is bounded or
// shares its steps with the other quotes of its sentence or paragraph, so a paragraph of n quotes
// costs O(n), not O(n²).
//
// Stateless: find() is const and thread-safe.
class quote_extractor {
 public:
  // `entities` are the article's entities, which c.mentions point into. `work`, if given, is set
  // to the tokens, marks and mentions visited (for tests that the work stays linear).
  std::vector<quote> find(const extract_context& c, const std::vector<entity>& entities,
                          std::uint64_t* work = nullptr) const;
};

}  // namespace wirefeed
