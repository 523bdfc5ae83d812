#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "pipeline/article.h"
#include "pipeline/error.h"

namespace wirefeed {

// The boilerplate lexicon (config/boilerplate.yaml documents the format): rules that name a
// paragraph navigation, teaser, promo, copyright, contributor, source_note or caption.
//
// Built once at start-up; a file that does not load is a start-up error naming the file, the
// rule and the problem (reason "bad_lexicon"). Matching is cheap: literal rules are looked up by
// three-byte keys of the paragraph's start and end, a hash of the whole line, or a four-byte prefilter for
// `contains`; ICU patterns run only to confirm a literal hit, on repeated paragraphs, or (for
// pattern-only rules) on paragraphs up to the rule's max_chars.
//
// Immutable and shareable: classify() is const and safe on any number of threads (ICU
// RegexPattern is thread-safe; each call makes its own matcher).
class boilerplate_lexicon {
 public:
  // Parses YAML text; `source` names it in error messages (a path, or "<shipped lexicon>").
  static result<boilerplate_lexicon> parse(std::string_view yaml_text, const std::string& source);
  // Reads and parses a file.
  static result<boilerplate_lexicon> load_file(const std::string& path);
  // The lexicon shipped in config/boilerplate.yaml, as compiled into this binary.
  static std::string_view shipped_text();

  // One paragraph as the normalizer sees it.
  struct paragraph_view {
    std::string_view text;    // display text (valid UTF-8, one line)
    std::string_view folded;  // matching form (text_fold.h), spaces collapsed
    std::size_t chars = 0;    // code points of `text`
    bool repeated = false;    // equals (folded) the paragraph before or after it
    // The paragraph's tokens, if known: `contains` literals are then looked for at token starts
    // (token.folded.begin - folded_base into `folded`); otherwise after every space.
    std::span<const token> tokens;
    std::uint32_t folded_base = 0;
  };

  // The kind of the first rule that matches, or nothing.
  std::optional<removal_kind> classify(const paragraph_view& p) const;

  std::size_t rule_count() const;

 private:
  struct impl;
  static result<boilerplate_lexicon> parse_yaml(std::string_view yaml_text, const std::string& source);
  explicit boilerplate_lexicon(std::shared_ptr<const impl> i) : impl_(std::move(i)) {}
  std::shared_ptr<const impl> impl_;
};

}  // namespace wirefeed
