#pragma once

#include <string>
#include <vector>

#include "pipeline/extract_context.h"
#include "pipeline/ner/gazetteer.h"

namespace wirefeed {

// Groups an article's entity mentions into entities and names each one (within the article only;
// no knowledge base):
//   - one spelling, one entity: mentions with the same words (case-folded, "U.S." = "US") share
//     an entity and its type, the type most of them were tagged with;
//   - people: a one-word mention that is the last word of a longer name in the article joins it
//     ("Macron" -> "Emmanuel Macron"), also when the tagger typed the word ORG or MISC (so a
//     company named as its founder's family is, "Ford ... Chairman Bill Ford": known); a shorter
//     name whose words end a longer one joins it; a one-word name one letter away from such a
//     last word (5+ letters, same first letter) joins it too ("Makron", machine translation). Of
//     two longer names, the one named first ("President Joe Biden and his son Hunter Biden");
//     a one-word name typed PER that ends no longer name but starts one joins it (the family
//     name written first, "Xi Jinping ... Xi", "Kim Jong Un ... Kim"; a first name), the one
//     named first of two;
//   - an acronym joins the name whose initials it spells ("EU" -> "European Union"); a name news
//     cuts short joins the full name ("Fed" -> "Federal Reserve", "Met" -> "Metropolitan Police":
//     a list, "Ford" is no cut of "Fordham University"); a company's name joins the same name with
//     a legal form ("Microsoft" -> "Microsoft Corp."), never a longer name ("Microsoft Word",
//     "Deutsche Bank AG");
//   - canonical name: people, the most frequent name of two or more words, else the most
//     frequent one; others, the expansion of an acronym or of a cut word, a company's name
//     without its legal form, else the most frequent spelling (ties: the longer, then the first);
//   - role (people): the title written right before the name, most often ("French President"
//     in "French President Emmanuel Macron"): title words (president, minister, spokesman, ...),
//     capitalised words, entities and a few modifiers (national, security, deputy, ...) ending in a
//     title word or directly before the name.
//   - a "person" of three or more words with a name particle inside and no known first name
//     first is an organisation ("Journal du Dimanche");
//   - places: a spelling the tagger typed mostly ORG that is a country, city, region or
//     geographic name of the model's gazetteers ("Kyiv would not budge") is a place; so is a
//     spelling typed PER or ORG that the text places once: a lower-case administrative noun after
//     it ("Kermanshah province") or "the town/city/village/province... of" before it;
// Entities come out most mentioned first (ties: first mentioned first); each mention's `entity`
// is set to its index.
//
// Stateless: group() is const and thread-safe.
class entity_canonicalizer {
 public:
  // `gazetteer`: the tagger model's phrase lists (may be null: no place rule). Must outlive this.
  explicit entity_canonicalizer(const ner::gazetteer* gazetteer = nullptr);

  std::vector<entity> group(extract_context& c) const;

  // The title words right before token `name_begin` (the first token of a person's name), or an
  // empty range.
  static token_range role_before(const extract_context& c, std::uint32_t name_begin);

 private:
  // Whether the words of `r` are one whole phrase of a place list.
  bool is_known_place(const extract_context& c, token_range r) const;
  // "Eastern Europe", "Northern Ireland", "Central Asia": a compass word before a continent, a
  // country or a country's subdivision.
  bool is_region_of_known_place(const extract_context& c, token_range r) const;
  // Whether the words of `r` are one whole phrase of one of the gazetteer's `lists`.
  bool in_lists(const extract_context& c, token_range r, const std::vector<std::size_t>& lists) const;
  // "Journal du Dimanche" tagged as a person: a name particle inside, and no first name first.
  bool looks_like_title_of_work(const extract_context& c, token_range r) const;

  const ner::gazetteer* gazetteer_ = nullptr;
  std::vector<std::size_t> place_lists_;   // country, subdivision, city, wn_location
  std::vector<std::size_t> region_lists_;  // country, subdivision
  std::int64_t first_name_list_ = -1;
};

}  // namespace wirefeed
