#include "pipeline/article.h"

#include "pipeline/heap_bytes.h"

namespace wirefeed {

const char* to_string(removal_kind k) {
  switch (k) {
    case removal_kind::header: return "header";
    case removal_kind::navigation: return "navigation";
    case removal_kind::teaser: return "teaser";
    case removal_kind::promo: return "promo";
    case removal_kind::copyright: return "copyright";
    case removal_kind::contributor: return "contributor";
    case removal_kind::source_note: return "source_note";
    case removal_kind::caption: return "caption";
    case removal_kind::duplicate: return "duplicate";
    case removal_kind::byline: return "byline";
    case removal_kind::learned: return "learned";
  }
  return "unknown";
}

const char* to_string(published_source s) {
  switch (s) {
    case published_source::none: return "none";
    case published_source::feed: return "feed";
    case published_source::html_meta: return "html_meta";
    case published_source::header: return "header";
    case published_source::dateline: return "dateline";
    case published_source::record_timestamp: return "record_timestamp";
  }
  return "unknown";
}

const char* to_string(language_source s) {
  switch (s) {
    case language_source::none: return "none";
    case language_source::declared: return "declared";
    case language_source::detected: return "detected";
  }
  return "unknown";
}

std::size_t heap_bytes(const article& a) {
  using heap::of;
  const auto text = [](const std::string& s) { return of(s); };
  std::size_t n = of(a.source.topic) + of(a.uri) + of(a.headline) + of(a.body) + of(a.published) +
                  of(a.first_created) + of(a.publisher) + of(a.url) + of(a.language) + of(a.byline) + of(a.located);
  n += of(a.altids, [](const auto& id) { return of(id.first) + of(id.second); });
  n += of(a.header_lines, text);
  n += of(a.paragraphs) + of(a.folded) + of(a.sentences) + of(a.tokens);
  if (a.dateline) n += of(a.dateline->place) + of(a.dateline->agency);
  n += of(a.language_detected.code) + of(a.language_detected.method);
  n += of(a.removed, [](const removed_text& r) { return of(r.text); });
  n += of(a.entities, [](const entity& e) { return of(e.name) + of(e.role) + of(e.mentions); });
  n += of(a.quotes, [](const quote& q) { return of(q.speaker_text) + of(q.verb); });
  n += of(a.figures, [](const figure& f) { return of(f.unit) + of(f.counted) + of(f.qualifier); });
  n += of(a.dates, [](const date_mention& d) { return of(d.value); });
  n += of(a.terms, [](const term_count& t) { return of(t.term); });
  n += of(a.keywords, [](const keyword& k) { return of(k.term); });
  n += of(a.minhash) + of(a.anchors);
  n += of(a.paragraph_words, [](const auto& words) { return of(words); });
  n += of(a.paragraph_anchors, [](const anchored_paragraph& p) { return of(p.anchors); });
  if (a.cluster_input) n += heap_bytes(*a.cluster_input);
  if (a.unclustered) n += of(*a.unclustered);
  n += of(a.story_id);
  if (a.duplicate_of) n += of(*a.duplicate_of);
  return n;
}

}  // namespace wirefeed
