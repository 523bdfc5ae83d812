#pragma once

#include <memory>
#include <string>
#include <vector>

#include "pipeline/extract_context.h"
#include "pipeline/ner/tagger.h"

namespace wirefeed {

// Named-entity mentions of an article, by the statistical tagger (pipeline/ner): every sentence
// of the body is tagged as one document (tagger::tag_document, so later sentences see what earlier
// ones were tagged and how each word is cased elsewhere).
//
// After the tagger, per article:
//   - joined: adjacent mentions linked by a name particle ("Le Journal" + "du Dimanche");
//   - extended: an ORG/MISC name by the short number after it ("Nord Stream 2");
//   - dropped: a non-person mention ending in a title word right before a person ("U.S. National
//     Security Advisor Jake Sullivan": it is the person's role, not an organisation), and a
//     lawmaker's party and state as AP writes them ("R-Maine", "D-Conn.", "D-N.Y.", "R-TX");
//   - honorific: a mention of "Mr", "Mrs", "Dr." ... and one word that ends a person's name in the
//     article is that person's, without it ("Mr Guest", typed ORG as often as PER, when "Peter
//     Guest" is named), as is a person's of the honorific and two words or more ("Dr Sanjay
//     Gupta"); never "Dr Martens" or "Dr Pepper" (companies);
//   - family name first: a person's name right after the first word of a sentence takes that word
//     in ("Xi Jinping arrived": the tagger often leaves a sentence's unknown first word out) when
//     it can be a name (capitalised, no stopword, title, honorific, day or month, abbreviation,
//     hyphenated word or acronym), the tagger found it in no other name of the article ("The
//     Kremlin said", "the Conservative Party"), and it is a known first name ("William Mark Felt")
//     or the article writes it as a name: capitalised wherever it occurs, once at least alone
//     inside a sentence ("President Xi said"; not "the Reverend Al Sharpton");
//   - propagated: every other capitalised occurrence of a name found (up to four words), of a
//     person's last name, and of the first word of a person's name that is no known first name,
//     in no other name, and written as a name ("Xi" of "Xi Jinping"), becomes a mention of the
//     same type (one sense per document: "Peskov told reporters" before "Kremlin spokesman Dmitry
//     Peskov" in a reordered story).
//
// The tagger was trained on CoNLL-2003 tokens, which write quotes and apostrophes in ASCII: a
// token with typographic punctuation (“ ” ‘ ’ – —) is handed to it in ASCII (" ' - --); the
// mention spans still point at the body as written. Mentions are trimmed of punctuation at either
// end; a mention with no letter is dropped.
//
// Immutable after construction; find() is const and thread-safe (the tagger keeps per-thread
// scratch). Allocates per article and per sentence, not per token.
class entity_extractor {
 public:
  explicit entity_extractor(std::shared_ptr<const ner::tagger> tagger);

  // The mentions of the article in `c`, in token order, `entity` unset (-1). None without a tagger.
  std::vector<entity_mention> find(const extract_context& c) const;

  // The form the tagger sees for a token written `text`: `text` itself when it holds no
  // typographic punctuation, else its ASCII spelling appended to `arena` (whose capacity must
  // not be exceeded: the result is never longer than `text`).
  static std::string_view tagger_form(std::string_view text, std::string& arena);

  // The post-processing above, on the tagger's mentions (in token order; stays so).
  void refine(const extract_context& c, std::vector<entity_mention>& mentions) const;

 private:
  // Whether token i's word is one of the model's gazetteer list `list` (-1: none).
  bool in_list(const extract_context& c, std::uint32_t i, std::int64_t list) const;
  // Whether token i can be a word of a person's name (above).
  static bool is_name_word(const extract_context& c, std::uint32_t i);
  class word_casing;  // whether the article writes a word as a name (above)

  std::shared_ptr<const ner::tagger> tagger_;
  std::int64_t first_name_list_ = -1;
};

}  // namespace wirefeed
