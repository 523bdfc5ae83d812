#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/article.h"
#include "pipeline/word_table.h"

namespace wirefeed {

// Splits display text into tokens and writes its matching form (text_fold.h) in the same pass.
// Tokens follow the Penn Treebank conventions the extract stage's tagger was trained on:
//   - punctuation is split off, one token per character, except runs of '.' or '-' ("...", "--");
//   - clitics are separate tokens: "France's" -> "France" "'s"; "don't" -> "do" "n't"
//     ('s 'd 'll 're 've 'm n't, with ' or ’);
//   - one token: hyphenated words ("de-escalation"), numbers with separators ("100,000", "5.30",
//     "10:15", "14-15"), letter-dot runs ("U.S.", "e.g."), single capital initials ("F."), the
//     configured abbreviations, case-sensitive ("Feb.", "Gen.", "Mr."), URLs, #tags and @handles,
//     "O'Brien", a name with ".com" ("Amazon.com");
//   - French/Italian elisions end a token after the apostrophe: "l'Élysée" -> "l'" "Élysée".
//
// Immutable after construction: safe on any number of threads.
class tokenizer {
 public:
  // `abbreviations`: words that keep their final '.', as written in config ("Feb.", "U.S.").
  explicit tokenizer(const std::vector<std::string>& abbreviations);

  // Tokenizes `text` (one paragraph: valid UTF-8, no line ends). Appends to `folded` the matching
  // form of `text` with runs of white space as one ' ' (none at either end), and to `tokens` the
  // tokens with text offsets `text_base` + position in `text` and folded offsets into `folded`.
  // `masks`, if given, receives word_table::lookup of each token's folded form (one per token).
  void tokenize(std::string_view text, std::uint32_t text_base, std::string& folded, std::vector<token>& tokens,
                std::vector<word_table::mask>* masks) const;

 private:
  bool is_abbreviation(std::string_view word_with_dot) const;

  std::vector<std::string> abbreviations_;  // as configured (case-sensitive), sorted
  std::size_t longest_abbreviation_ = 0;
};

}  // namespace wirefeed
