#pragma once

// What each libFuzzer target does with one input, shared with the unit test that replays the
// saved crashing inputs (tests/fuzz/regressions/<target>/*, tests/unit/pipeline/fuzz_regression_test.cc).
// Besides "no crash, no sanitizer report", each target checks the invariants later stages rely on
// and traps when one is broken.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/parse.hpp>

#include "config/config.h"
#include "pipeline/article_edit.h"
#include "pipeline/boilerplate_learner.h"
#include "pipeline/chain.h"
#include "pipeline/checkpoint.h"
#include "pipeline/decode.h"
#include "pipeline/encode.h"
#include "pipeline/extract.h"
#include "pipeline/html_text.h"
#include "pipeline/keyword_ranker.h"
#include "pipeline/minhash.h"
#include "pipeline/normalize.h"
#include "pipeline/probe.h"
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
  for (const auto& d : h.dates) check(utf8::is_valid(d));
  check(utf8::is_valid(h.title));
  for (const auto& p : h.published) check(utf8::is_valid(p));
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

// The stateful chain and the split deployment. Long-lived chains (at most 256 live stories, so
// memory stays bounded however long the fuzzer runs) see one input after another:
// - bit 3 of the first byte clear: the input (framed as record_from) goes through a whole chain
//   (role all) and an extract-role chain; the hand-off must decode, and the cluster-role chain it
//   goes to must write what the whole chain wrote, byte for byte (HandoffTest checks the same on
//   the sample feed), the learned-state checkpoints of role all aside;
// - bit 3 set, bit 4 clear: the rest is a hand-off record as the cluster role consumes it from the
//   intermediate topic, into a cluster-role chain of its own: a story or a dead letter, never a
//   crash, and what the stage writes is JSON;
// - bits 3 and 4 set: the rest is changelog records, one per line ("key<TAB>value", a key alone
//   for a tombstone), restored as chain::restore does, into a fresh cluster stage, boilerplate
//   learner and keyword ranker (the learned state of role all), which then take one article: a
//   record that does not restore is an error value, never a crash.
// With WIREFEED_FUZZ_SAVE_SEEDS=<dir>, every hand-off the extract role writes, the changelog
// records the whole chain writes for it and its learned-state checkpoint as of then are also
// saved there as inputs of the second and third kind (scripts/fuzz.sh makes its seeds that way).
// The chains learn in small tables, so that a checkpoint fits an input (-max_len).
struct fuzz_chains {
  probe quiet;
  chain whole{config_for(cfg::pipeline_role::all), quiet};
  chain extract{config_for(cfg::pipeline_role::extract), quiet};
  chain cluster{config_for(cfg::pipeline_role::cluster), quiet};
  chain cluster_of_raw_handoffs{config_for(cfg::pipeline_role::cluster), quiet};
  std::int64_t next_offset = 0;

  static cfg::config config_for(cfg::pipeline_role role) {
    cfg::config c;
    c.extract.ner_model = WIREFEED_SOURCE_DIR "/models/ner-en.bin";
    c.pipeline.role = role;
    c.cluster.max_live_stories = 256;
    c.normalize.learner.capacity = learner_options().capacity;
    c.extract.keywords.sketch_width = ranker_options().sketch_width;
    return c;
  }
  static boilerplate_learner_options learner_options() {
    boilerplate_learner_options o;
    o.capacity = 256;
    return o;
  }
  static keyword_ranker_options ranker_options() {
    keyword_ranker_options o;
    o.sketch_width = 1024;
    return o;
  }
};

inline std::vector<output_record> run_through(chain& c, const input_record& r) {
  return c.run_ordered(r, c.run_parallel(r), r.timestamp_ms);
}

// What the stage writes itself (a dead letter carries the record as consumed) is one JSON value.
inline void check_written(const std::vector<output_record>& out) {
  for (const auto& o : out) {
    if (o.kind == output_kind::dead_letter || o.tombstone) continue;
    boost::system::error_code ec;
    (void)boost::json::parse(o.value, ec);
    check(!ec);
  }
}

inline bool is_learned_checkpoint(const output_record& o) {
  return o.kind == output_kind::changelog && (o.key.starts_with("learner:") || o.key.starts_with("keywords:"));
}

inline void check_same_outputs(const std::vector<output_record>& whole, const std::vector<output_record>& split) {
  std::size_t i = 0;
  for (const auto& w : whole) {
    if (is_learned_checkpoint(w)) continue;
    check(i < split.size());
    const auto& o = split[i++];
    check(o.kind == w.kind && o.key == w.key && o.value == w.value && o.tombstone == w.tombstone);
  }
  check(i == split.size());
}

inline void write_changelog_seed(const std::string& path, const std::vector<output_record>& records) {
  std::ofstream changelog(path, std::ios::binary);
  changelog << '\x18';
  for (const auto& o : records) {
    if (o.kind != output_kind::changelog) continue;
    changelog << o.key;
    if (!o.tombstone) changelog << '\t' << o.value;
    changelog << '\n';
  }
}

inline void save_seeds(const output_record& handoff, const std::vector<output_record>& whole, chain& whole_chain) {
  static const char* dir = std::getenv("WIREFEED_FUZZ_SAVE_SEEDS");
  if (dir == nullptr) return;
  const std::string name = std::string(dir) + "/" + std::to_string(std::hash<std::string>{}(handoff.value));
  std::ofstream(name + ".handoff", std::ios::binary) << '\x08' << handoff.value;
  std::vector<output_record> stories;
  for (const auto& o : whole) {
    if (!is_learned_checkpoint(o)) stories.push_back(o);
  }
  write_changelog_seed(name + ".changelog", stories);
  write_changelog_seed(name + ".learned", whole_chain.checkpoint_learned());
}

// Restores each record as chain::restore does, into stages of its own (a chain of its own per input
// would load the NER model each time).
inline void run_restore(std::string_view records, article a) {
  cluster_options options;
  options.max_live_stories = 256;
  cluster_stage stage(options);
  boilerplate_learner learner(fuzz_chains::learner_options());
  keyword_ranker ranker(fuzz_chains::ranker_options());
  while (!records.empty()) {
    const auto end = records.find('\n');
    const std::string_view line = records.substr(0, end);
    records.remove_prefix(end == std::string_view::npos ? records.size() : end + 1);
    const auto tab = line.find('\t');
    const std::string_view key = line.substr(0, tab);
    const std::optional<std::string> value =
        tab == std::string_view::npos ? std::nullopt : std::optional<std::string>(line.substr(tab + 1));
    (void)restore_record(key, value, learner, ranker, stage);
  }
  stage.finish_restore();
  if (!learner.process(a).ok()) return;
  ranker.process(a);
  check_written(stage.process(a));
}

// An article as the whole chain's thread-pool half leaves it, for what a restore is followed by.
inline article after_restore(const chain& whole) {
  input_record r;
  r.tp = {"fuzz", partition_id{0}};
  r.timestamp_ms = 1644220800000;
  r.value = "Macron heads to Moscow in bid to ease Ukraine tensions\n\n"
            "MOSCOW (AP) - French President Emmanuel Macron met Vladimir Putin in Moscow on Monday.\n\n"
            "Follow us on Twitter.";
  auto a = whole.run_parallel(r);
  check(static_cast<bool>(a));
  return std::move(*a);
}

inline void run_chain(const std::uint8_t* data, std::size_t size) {
  static fuzz_chains c;
  input_record r = record_from(data, size);
  r.off = offset{c.next_offset++};
  if (size > 0 && (data[0] & 0x18) == 0x18) {
    static const article after = after_restore(c.whole);
    run_restore(r.value, after);
    return;
  }
  if (size > 0 && (data[0] & 8) != 0) {
    r.tp = {"wire.extracted", partition_id{0}};
    r.hdrs.clear();
    check_written(run_through(c.cluster_of_raw_handoffs, r));
    return;
  }
  const auto whole = run_through(c.whole, r);
  check_written(whole);
  const auto extracted = run_through(c.extract, r);
  check(extracted.size() == 1);
  if (extracted[0].kind == output_kind::dead_letter) {
    check(whole.size() == 1 && whole[0].kind == output_kind::dead_letter && whole[0].value == extracted[0].value);
    return;
  }
  check(extracted[0].kind == output_kind::extracted);
  save_seeds(extracted[0], whole, c.whole);
  input_record handoff;
  handoff.tp = {"wire.extracted", partition_id{extracted[0].partition.value_or(0)}};
  handoff.off = r.off;
  handoff.timestamp_ms = extracted[0].timestamp_ms;
  handoff.key = extracted[0].key;
  handoff.value = extracted[0].value;
  auto decoded = c.cluster.run_parallel(handoff);
  check(static_cast<bool>(decoded));
  check_same_outputs(whole, c.cluster.run_ordered(handoff, std::move(decoded), handoff.timestamp_ms));
}

}  // namespace wirefeed::fuzz
