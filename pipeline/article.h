#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/extraction.h"
#include "pipeline/record.h"
#include "pipeline/text_span.h"

namespace wirefeed {

struct cluster_features;  // cluster.h
std::size_t heap_bytes(const cluster_features& f);  // cluster.cc

// Where an article came from in the input stream; copied into `wirefeed.source` of the output.
struct source_position {
  std::string topic;
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  std::int64_t timestamp_ms = 0;
};

// The shape an input was decoded from.
enum class feed_format { ninjs, json, text };
const char* to_string(feed_format f);

// One paragraph of the clean body: its bytes in article::body and in article::folded.
struct paragraph {
  text_span text;
  text_span folded;
  bool operator==(const paragraph&) const = default;
};

// A paragraph's names and numbers (name_anchors.h) and its length: what a translation of the
// paragraph keeps (cluster stage).
struct anchored_paragraph {
  std::uint32_t bytes = 0;             // of the paragraph, in article::body
  std::vector<std::uint32_t> anchors;  // their hashes' low 31 bits, the top bit set for numbers (sorted, distinct)
  bool operator==(const anchored_paragraph&) const = default;
};

enum class token_kind : std::uint8_t { word, number, punct };

// One token of the clean body, split like the Penn Treebank (punctuation and clitics such as 's
// and n't separate; U.S., Feb., hyphenated words and 100,000 one token). 20 bytes; the forms are
// not copied: the display form is body[text], the matching form folded[folded].
struct token {
  text_span text;    // into article::body
  text_span folded;  // into article::folded: case-folded, quotes/dashes/spaces folded
  token_kind kind = token_kind::word;
  bool is_stopword = false;  // in the stopword list of the article's language (none if unknown)
};

// What the boilerplate rules removed from the body, for auditing (`wirefeed.removed`).
enum class removal_kind : std::uint8_t {
  header,       // raw-text header line (title, date, URL, labelled) or a title taken from the body
  navigation,   // site UI: "Accessibility links", "Breaking News", "Skip to content"
  teaser,       // links to other content: "Political cartoons about world leaders", "Read more:"
  promo,        // newsletter / app / social-media calls to action
  copyright,    // copyright and "may not be published" footers
  contributor,  // "X contributed to this report", "Pannett reported from Sydney", "Reporting by"
  source_note,  // "Some information for this report came from ..."
  caption,      // photo captions (repeated caption/alt text, photo credits, HTML <figcaption>)
  duplicate,    // a later verbatim copy of an adjacent paragraph
  byline,       // a "By ..." line moved into article::byline
  learned,      // a line the online learner has seen in many articles of the same source
};
const char* to_string(removal_kind k);

struct removed_text {
  removal_kind kind = removal_kind::navigation;
  std::string text;
  bool operator==(const removed_text&) const = default;
};

// "MOSCOW (AP) —": where and by whom the story was filed. The body keeps the dateline text
// (the display body is never rewritten); `text` locates it so later stages can skip it.
struct dateline_info {
  std::string place;   // title-cased: "Moscow", "Kyiv, Ukraine"; may be empty ("(AP) —")
  std::string agency;  // as written inside the parentheses: "AP", "Reuters"; may be empty
  text_span text;      // the dateline prefix, separator included, in article::body
  text_span place_text;   // the place as written ("ST. PETERSBURG", "ISTANBUL" of "ISTANBUL/DAMASCUS"); may be empty
  text_span region_text;  // the region as written ("Russia"); may be empty
};

// Where article::published_ms came from, best first. html_meta: the time an HTML body's page
// states for itself (html_text::published).
enum class published_source : std::uint8_t { none, feed, html_meta, header, dateline, record_timestamp };
const char* to_string(published_source s);

// Where article::language came from.
enum class language_source : std::uint8_t { none, declared, detected };
const char* to_string(language_source s);

// The detector's view, kept even when the input declares a language (to spot wrong declarations).
struct language_guess {
  std::string code;      // BCP 47, "und" when nothing could be said
  bool reliable = false;
  std::string method;    // "function_words" (fast English check) or "cld2"; empty if not run
};

// One article as it moves through the chain. decode fills the raw fields; normalize, extract and
// cluster each add their part. Owned by exactly one task at a time (moved between stages), so it
// needs no locking.
//
// Offsets: every text_span refers to `body` (or `folded`) as normalize left them. Code that
// removes text from the body after normalize must keep them right: use erase_paragraph()
// (article_edit.h), and extend it when adding offset-bearing fields.
struct article {
  // --- set by decode ---
  source_position source;
  feed_format format = feed_format::text;
  std::string uri;             // input id, or "urn:wirefeed:<32 hex>": MurmurHash3-128 of the content
  bool uri_from_content = false;
  std::string headline;        // decode: as found; normalize: clean (NFC, whitespace collapsed)
  std::string body;            // decode: as found (HTML kept as-is); normalize: the clean display
                               // text, paragraphs separated by "\n\n", boilerplate removed
  bool body_is_html = false;   // normalize clears it once the HTML is turned into text
  std::string published;       // as found in the input, not yet parsed
  std::string first_created;   // ninjs `firstcreated`, as found
  std::string publisher;       // source/publisher field or header
  std::string url;
  std::string language;        // decode: as declared by the input, if any; normalize: the BCP 47
                               // code used downstream (declared, canonicalised, else detected)
  std::string byline;          // ninjs `by` / the byline field; normalize may fill it from the body
  std::string located;         // ninjs `located`; normalize fills it from the dateline if empty
  std::vector<std::pair<std::string, std::string>> altids;  // ninjs `altids`: (role, value)
  std::vector<std::string> header_lines;  // raw-text header lines (title, date, URL) as found

  // --- set by normalize ---
  std::vector<paragraph> paragraphs;  // cover `body` / `folded` in order
  std::string folded;                 // the body folded for matching, paragraph by paragraph
  std::vector<text_span> sentences;   // into body; never cross a paragraph
  std::vector<token> tokens;          // in body order; freed once extract has run (chain::run_parallel)
  std::optional<dateline_info> dateline;
  std::optional<std::int64_t> published_ms;  // Unix ms, UTC
  published_source published_from = published_source::none;
  std::optional<std::int64_t> first_created_ms;
  language_source language_from = language_source::none;
  language_guess language_detected;
  std::vector<removed_text> removed;  // in the order found

  // --- set by extract (extract.h; types in extraction.h) ---
  std::vector<entity> entities;             // most mentioned first (ties: first mentioned first)
  std::vector<quote> quotes;                // in body order
  std::vector<figure> figures;              // in body order
  std::vector<date_mention> dates;          // in body order
  std::vector<term_count> terms;            // keyword candidates with their counts, most frequent first
  std::vector<keyword> keywords;            // set on the ordered strand by keyword_ranker, best first
  std::vector<std::uint32_t> minhash;       // minhash.h: 64 values over 5-word shingles; empty if no words
  std::optional<std::uint64_t> simhash;     // minhash.h: 64-bit SimHash of the content words
  // extract: a hash of the headline and the clean body as extracted (before the strand cuts learned
  // boilerplate), never 0: what tells a new version under a known uri from the same message again
  // (the cluster stage). 0: not extracted, or a hand-off of a build before it.
  std::uint64_t content_key = 0;
  std::vector<std::vector<std::uint32_t>> paragraph_words;  // minhash.h: content-word hashes per paragraph
                                                            // (the cluster stage moves them into its story)
  std::vector<std::uint64_t> anchors;       // name_anchors.h: names and numbers, for matching across languages
  std::vector<anchored_paragraph> paragraph_anchors;  // name_anchors.h: the same per paragraph, for translations
  // What the cluster stage reads of this article alone (cluster_stage::prepare, on the thread pool
  // after extract). Derived from the fields above: erase_paragraph() drops it, and the cluster stage
  // computes it again on its strand when it is missing.
  std::shared_ptr<const cluster_features> cluster_input;

  // --- set by decode_handoff (handoff.h), in the cluster role only ---
  // The enriched document as the extract role encoded it, less the cluster stage's members
  // (encode_unclustered). The article then holds only the fields the cluster stage reads.
  std::optional<std::string> unclustered;

  // --- set by cluster ---
  std::string story_id;
  std::optional<std::string> duplicate_of;  // the earliest article this one is a copy of
  double duplicate_similarity = 0;          // how much of this article that copy explains, 0..1
};

// The heap memory the article holds, estimated (heap_bytes.h): what one article waiting for the
// ordered strand costs. Count a new field here when it holds memory of its own: HeapBytesTest
// compares the estimate with the bytes operator new hands out for the sample feed's articles.
std::size_t heap_bytes(const article& a);

}  // namespace wirefeed
