#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "pipeline/article.h"

namespace wirefeed {

// Language identification in two steps, cheapest first:
//   1. function words (free: the tokenizer already looked every word up in word_table): a text
//      of at least 20 words of which at least 12% are English function words that the other
//      languages do not use ("the", "and", "which", ...) is English. Non-English text scores
//      close to 0%, English news 20-30%.
//   2. otherwise CLD2 (Debian libcld2) on the headline and the first `max_bytes` of the body;
//      reliable only as CLD2 says and over 100 bytes of text or more (it calls a one-line French
//      brief reliably English or Estonian).
// CLD2 codes are mapped to BCP 47 ("iw" -> "he", "zh" -> "zh", "zh-Hant"); "und" when unknown.
//
// Pure and thread-safe (CLD2 keeps no state between calls).
class language_detector {
 public:
  explicit language_detector(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  // `words` / `english_markers`: counts over the body's word tokens (see normalizer).
  language_guess detect(std::string_view headline, std::string_view body, std::size_t words,
                        std::size_t english_markers) const;

  // The function-word verdict alone ("en" reliable), or nothing if it cannot decide.
  static bool looks_english(std::size_t words, std::size_t english_markers);

 private:
  std::size_t max_bytes_;
};

// A BCP 47 tag in canonical form via ICU ("EN" -> "en", "en_us" -> "en-US", "eng" -> "en",
// "iw" -> "he"); "" if `tag` is not a well-formed language tag.
std::string canonical_language_tag(std::string_view tag);

// English or not known (none, "und"): what the extract stage's English models read.
inline bool english_or_unknown(std::string_view language) {
  return language.empty() || language == "und" || language == "en" || language.starts_with("en-");
}

}  // namespace wirefeed
