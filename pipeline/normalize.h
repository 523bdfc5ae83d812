#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "pipeline/article.h"
#include "pipeline/boilerplate_lexicon.h"
#include "pipeline/error.h"

namespace wirefeed {

struct normalize_options {
  std::optional<boilerplate_lexicon> lexicon;  // nothing: the shipped config/boilerplate.yaml
  std::vector<std::string> abbreviations = cfg::config::normalize_t{}.abbreviations;
  std::size_t language_detect_bytes = cfg::config::normalize_t{}.language_detect_bytes;
  // An HTML body with more characters than this once its markup is removed is rejected
  // (body_too_long; decode rejects a longer plain body).
  std::size_t max_body_chars = static_cast<std::size_t>(cfg::config::pipeline_t{}.max_body_chars);
};

// Stage 2: fields -> one clean canonical article (issue #3). In order:
//   1. display text: HTML bodies to text (html_text.h; <figcaption>s removed as captions), the
//      character references of other headlines and bodies decoded ("AT&amp;T", "&#8212;");
//      headline and body cleaned (text_cleanup.h: NFC, controls, white space); the body split into
//      paragraphs (one per line; hard-wrapped text re-joined per block, a block ending at a blank
//      line or a short line that ends a sentence: e-mail style and indented wire copy alike);
//   2. raw-text header lines found by decode: a title becomes the headline, a URL the url, a date
//      the published time (source "header"); each is listed as removed, kind header; the
//      headline loses the wire's service flags in front ("UPDATE 2-", "FLASH: ");
//   3. boilerplate: each paragraph is tokenized and folded once, then classified by the lexicon
//      (a paragraph whose last sentence alone is boilerplate, "... the Kremlin said. Jill Lawless
//      contributed to this report.", loses that sentence only);
//      an adjacent verbatim copy no rule claims is removed as duplicate; with no headline yet, a
//      short title-like first paragraph becomes the headline (kind header); a "By ..." line among
//      the first two paragraphs becomes the byline (kind byline). Everything removed is kept in
//      article::removed, in order;
//   4. the dateline ("MOSCOW (AP) —") of the first paragraph, else the first strong one of any
//      paragraph (reordered copy). The body keeps it; article::dateline locates it;
//   5. language: the declared one canonicalised to BCP 47, else detected (language_id.h);
//      stopword flags by that language;
//   6. sentences (sentence_splitter.h), never across paragraphs;
//   7. published time: the feed's field (ISO 8601, RFC 2822, ...), else a header line, else the
//      dateline's date (year from the record timestamp), else the record timestamp.
// Rejects (reason no_body_after_normalize) an article whose non-empty body is entirely
// boilerplate, or that has neither headline nor body text once cleaned; (body_too_long) an HTML
// body of more than max_body_chars characters of text.
//
// Built once at start-up; pure and thread-safe: process() may run on any number of threads.
// Copies share the compiled lexicon and ICU prototypes.
class normalizer {
 public:
  // Compiles the abbreviations into the sentence iterator and, without a lexicon in `options`,
  // parses the shipped one. An error here is a start-up error.
  static result<normalizer> create(const normalize_options& options);

  status process(article& a) const;

 private:
  struct impl;
  explicit normalizer(std::shared_ptr<const impl> i) : impl_(std::move(i)) {}
  std::shared_ptr<const impl> impl_;
};

}  // namespace wirefeed
