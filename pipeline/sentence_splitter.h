#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/article.h"
#include "pipeline/error.h"

namespace wirefeed {

// Sentence boundaries by ICU's rule-based sentence break iterator (UAX #29, root locale), minus the
// breaks right after a configured abbreviation, so "U.S. President", "Feb. 7" and "Gen. Mark
// Milley" do not end a sentence (the price: a sentence that really ends with a listed abbreviation
// is joined to the next one). An abbreviation counts when it is the whole last word before the
// break (after opening brackets or quotes, or after a hyphen or slash); case-sensitive, but a word
// in capitals matches its title-case form ("ST. LOUIS" as "St."). A capital letter and a period
// after a capitalised word is a middle initial and ends nothing either ("Robert F. Kennedy";
// "in group B." still ends), nor one after "by", "and", "writer(s)", "reporter(s)",
// "correspondent(s)", "editor(s)" or "photographer", a first initial ("Reporting by A. Bruce"; after
// "and" only in such a credit line), nor a lower-case letter and a period, nor a letter and a
// period after one (German's "z. B.", "d. h." written with a space). (What ICU's
// FilteredBreakIterator does, done here so the rule is plain and the iterator runs unwrapped.)
// Nor does, in German text, an ordinal, a number of one or
// two digits and a period before a month's name or after a word that takes one ("am 3. Oktober",
// "der 1. FC Köln"), or a quoted question or exclamation before its attribution ("Why now?" he
// asked).
//
// Fast path, exact: a paragraph whose only sentence terminators (UAX #29 STerm/ATerm) are in its
// trailing run of terminators, closing punctuation and spaces has no interior boundary, so ICU
// is not run on it.
//
// Thread-safety: split() is const and may run on any number of threads; ICU break iterators are
// not thread-safe, so each thread works on its own clone of the prototype (cached per thread).
class sentence_splitter {
 public:
  // Builds the prototype. Fails (start-up error) if ICU cannot create the iterator or an
  // abbreviation is not one word ending with '.'.
  static result<sentence_splitter> create(const std::vector<std::string>& abbreviations);

  // Appends the sentences of `paragraph` (valid UTF-8, no line ends) to `out` as spans offset by
  // `base`, with surrounding spaces trimmed. An empty or all-space paragraph adds nothing.
  // `language` (BCP 47, may be empty): German ("de", "de-AT", ...) keeps its ordinals.
  void split(std::string_view paragraph, std::uint32_t base, std::vector<text_span>& out,
             std::string_view language = {}) const;

  struct shared;  // the ICU prototype (defined in the .cc)

 private:
  explicit sentence_splitter(std::shared_ptr<const shared> s) : shared_(std::move(s)) {}

  std::shared_ptr<const shared> shared_;
};

}  // namespace wirefeed
