#pragma once

#include <string_view>

// The word lists the extractors share, looked up by folded (lower-case) form. Built once on first
// use; thread-safe.
namespace wirefeed::extract_lexicon {

// An English stopword (word_table's list).
bool is_stopword(std::string_view folded);

// A word of a title: "president", "minister", "spokesman", "adviser", "gen.", ...
bool is_title_word(std::string_view folded);

// An office's title written before a name and not part of it ("Gov.", "Insp", "Senator",
// "Constable"): not a monarch's or a cleric's, which the name is known by ("Queen Elizabeth").
bool is_office_title(std::string_view folded);

// A lower-case word that may sit inside a title: "national security adviser", "prime minister".
bool is_role_modifier(std::string_view folded);

// A verb that reports speech: "said", "told", "adding", "warned", ... ("according" is not one:
// "according to" is matched as a phrase).
bool is_reporting_verb(std::string_view folded);

}  // namespace wirefeed::extract_lexicon
