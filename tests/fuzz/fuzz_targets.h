#pragma once

// What each libFuzzer target does with one input, shared with the unit test that replays the
// saved crashing inputs (tests/fuzz/regressions/<target>/*, tests/unit/pipeline/fuzz_regression_test.cc).
// Besides "no crash, no sanitizer report", each target checks the invariants later stages rely on
// and traps when one is broken.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "pipeline/article_edit.h"
#include "pipeline/decode.h"
#include "pipeline/encode.h"
#include "pipeline/extract.h"
#include "pipeline/html_text.h"
#include "pipeline/keyword_ranker.h"
#include "pipeline/minhash.h"
#include "pipeline/normalize.h"
#include "pipeline/utf8.h"

#ifndef WIREFEED_SOURCE_DIR
#define WIREFEED_SOURCE_DIR "."
#endif

namespace wirefeed::fuzz {

inline void check(bool ok) {
  if (!ok) __builtin_trap();
}

inline bool on_boundary(std::string_view s, std::uint32_t pos) {
  return pos == s.size() || (pos < s.size() && (static_cast<unsigned char>(s[pos]) & 0xC0) != 0x80);
}

inline void check_span(std::string_view s, text_span span) {
  check(span.begin <= span.end && span.end <= s.size());
  check(on_boundary(s, span.begin) && on_boundary(s, span.end));
}

// The first byte picks the input's framing (format header, policy), the rest is the value.
inline input_record record_from(const std::uint8_t* data, std::size_t size) {
  input_record r;
  r.tp = {"fuzz", partition_id{0}};
  r.timestamp_ms = 1644220800000;
  if (size == 0) return r;
  const std::uint8_t mode = data[0];
  r.value.assign(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (mode % 4) {
    case 1: r.hdrs.emplace_back("content-type", "application/ninjs+json"); break;
    case 2: r.hdrs.emplace_back("content-type", "text/plain"); break;
    case 3: r.hdrs.emplace_back("content-type", "text/html"); break;
    default: break;
  }
  if (mode & 4) r.hdrs.emplace_back("content-language", "fr");
  return r;
}

inline const decoder& repairing_decoder() {
  static const decoder d = [] {
    decode_options o;
    o.invalid_utf8 = cfg::invalid_utf8_policy::repair;
    o.max_message_bytes = 1 << 20;
    return decoder(o);
  }();
  return d;
}

inline void run_decode(const std::uint8_t* data, std::size_t size) {
  static const decoder strict{decode_options{}};
  const input_record r = record_from(data, size);
  (void)strict.process(r);
  auto a = repairing_decoder().process(r);
  if (a) {
    check(utf8::is_valid(a->body) && utf8::is_valid(a->headline));
    check(!a->uri.empty());
  }
}

inline void run_html(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const std::string text = utf8::is_valid(bytes) ? bytes : utf8::repair(bytes);
  const html_text h = html_to_text(text);
  check(utf8::is_valid(h.text));
  for (const auto& c : h.captions) check(utf8::is_valid(c));
  check(utf8::is_valid(decode_html_entities(text)));
}

inline void run_normalize(const std::uint8_t* data, std::size_t size) {
  static const normalizer n = normalizer::create(normalize_options{}).value();
  auto a = repairing_decoder().process(record_from(data, size));
  if (!a) return;
  if (!n.process(*a).ok()) return;
  check(utf8::is_valid(a->body) && utf8::is_valid(a->folded) && utf8::is_valid(a->headline));
  for (const auto& p : a->paragraphs) {
    check_span(a->body, p.text);
    check_span(a->folded, p.folded);
  }
  std::uint32_t last = 0;
  for (const auto& s : a->sentences) {
    check_span(a->body, s);
    check(s.begin >= last);
    last = s.end;
  }
  for (const auto& t : a->tokens) {
    check_span(a->body, t.text);
    check_span(a->folded, t.folded);
    check(t.text.begin < t.text.end);
  }
  if (a->dateline) check_span(a->body, a->dateline->text);
  (void)encode_enriched(*a);
}

// The extract stage's invariants: every span inside the body on code point boundaries, in body
// order where promised, speakers naming existing entities, fingerprints of the fixed size; and
// they still hold after a paragraph is erased (the boilerplate learner does that after extract).
inline void check_extracted(const article& a) {
  for (const auto& e : a.entities) {
    check(!e.mentions.empty() && !e.name.empty());
    for (const auto& m : e.mentions) check_span(a.body, m);
  }
  for (const auto& q : a.quotes) {
    check_span(a.body, q.text);
    if (q.speaker_span) check_span(a.body, *q.speaker_span);
    check(!q.speaker || *q.speaker < a.entities.size());
  }
  for (const auto& f : a.figures) {
    check_span(a.body, f.text);
    check(f.value == f.value && (!f.high || *f.high >= f.value));
  }
  for (const auto& d : a.dates) check_span(a.body, d.text);
  check(a.minhash.empty() || a.minhash.size() == minhash::signature_size);
}

// decode + normalize + extract (the committed NER model) + keyword ranking + encode.
inline void run_extract(const std::uint8_t* data, std::size_t size) {
  static const normalizer n = normalizer::create(normalize_options{}).value();
  static const extractor x = extractor::create(WIREFEED_SOURCE_DIR "/models/ner-en.bin").value();
  static keyword_ranker ranker(keyword_ranker_options{});
  auto a = repairing_decoder().process(record_from(data, size));
  if (!a) return;
  if (!n.process(*a).ok()) return;
  check(x.process(*a).ok());
  check_extracted(*a);
  ranker.process(*a);
  (void)encode_enriched(*a);
  if (a->paragraphs.size() > 1) {
    erase_paragraph(*a, size % a->paragraphs.size());
    check_extracted(*a);
    (void)encode_enriched(*a);
  }
}

}  // namespace wirefeed::fuzz
