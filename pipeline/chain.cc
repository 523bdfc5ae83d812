#include "pipeline/chain.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <string>

#include "pipeline/checkpoint.h"
#include "pipeline/encode.h"
#include "pipeline/handoff.h"
#include "pipeline/stage_guard.h"

namespace wirefeed {
namespace {

decode_options decode_options_from(const cfg::config& c) {
  decode_options o;
  o.max_message_bytes = static_cast<std::size_t>(c.pipeline.max_message_bytes);
  o.max_body_chars = static_cast<std::size_t>(c.pipeline.max_body_chars);
  o.format = c.pipeline.format;
  o.invalid_utf8 = c.pipeline.invalid_utf8;
  o.fields = c.pipeline.fields;
  for (const auto& [topic, format] : c.pipeline.topic_formats) {
    if (auto f = cfg::parse_input_format(format)) o.topic_formats.emplace(topic, *f);
  }
  return o;
}

// Start-up: the normalizer, or std::runtime_error saying what is wrong.
normalizer normalizer_from(const cfg::config& c) {
  normalize_options o;
  if (!c.normalize.lexicon_path.empty()) {
    auto lexicon = boilerplate_lexicon::load_file(c.normalize.lexicon_path);
    if (!lexicon) throw std::runtime_error("normalize.lexicon_path: " + lexicon.error().message);
    o.lexicon = std::move(lexicon.value());
  }
  o.abbreviations = c.normalize.abbreviations;
  o.language_detect_bytes = static_cast<std::size_t>(c.normalize.language_detect_bytes);
  o.max_body_chars = static_cast<std::size_t>(c.pipeline.max_body_chars);
  auto built = normalizer::create(o);
  if (!built) throw std::runtime_error("normalize: " + built.error().message);
  return std::move(built.value());
}

boilerplate_learner_options learner_options_from(const cfg::config& c) {
  boilerplate_learner_options o;
  o.enabled = c.normalize.learner.enabled;
  o.min_articles = static_cast<std::size_t>(c.normalize.learner.min_articles);
  o.max_line_chars = static_cast<std::size_t>(c.normalize.learner.max_line_chars);
  o.capacity = static_cast<std::size_t>(c.normalize.learner.capacity);
  return o;
}

// Start-up: the extractor (loads the NER model), or std::runtime_error saying what is wrong. The
// roles that never extract (pass-through, cluster) do not load the model.
extractor extractor_from(const cfg::config& c) {
  if (c.pipeline.pass_through || c.pipeline.role == cfg::pipeline_role::cluster) return extractor();
  auto built = extractor::create(c.extract.ner_model);
  if (!built) throw std::runtime_error(built.error().message);
  return std::move(built.value());
}

keyword_ranker_options keyword_options_from(const cfg::config& c) {
  keyword_ranker_options o;
  o.max_keywords = static_cast<std::size_t>(c.extract.keywords.max_keywords);
  o.sketch_width = static_cast<std::size_t>(c.extract.keywords.sketch_width);
  o.half_life_articles = static_cast<std::uint64_t>(c.extract.keywords.half_life_articles);
  return o;
}

cluster_options cluster_options_from(const cfg::config& c) {
  cluster_options o;
  o.story_ttl_ms = c.cluster.story_ttl_hours * 3600 * 1000;
  o.max_live_stories = static_cast<std::size_t>(c.cluster.max_live_stories);
  o.max_record_bytes = static_cast<std::size_t>(cfg::max_output_bytes(c));
  return o;
}

// An output the producer would refuse for its size (cfg::max_output_bytes).
stage_error too_large(std::string_view what, std::size_t bytes, std::size_t limit) {
  return stage_error{std::string(to_string(stage_id::encode)), "output_too_large",
                     std::string(what) + " would be " + std::to_string(bytes) +
                         " bytes, over the largest record the producer sends (" + std::to_string(limit) +
                         " bytes, kafka.producer.message.max.bytes)"};
}

// Cuts a dead letter the producer would refuse for its size down to `limit`: the value to what
// fits, the input's whole length in dlq_header::truncated (`whole_bytes` when the source held only
// a prefix of it: an over-long line of a file); if the input's own headers (the first
// `input_headers`) leave no room, they go too. The reason, stage and input position stay, so the
// original can still be read from the input topic.
void fit_dead_letter(output_record& r, std::size_t input_headers, std::size_t whole_bytes, std::size_t limit) {
  if (record_bytes(r) <= limit) return;
  std::string note = std::to_string(std::max(r.value.size(), whole_bytes));
  const auto others = [&] { return record_bytes(r) - r.value.size() + 16 + std::strlen(dlq_header::truncated) + 32; };
  if (others() > limit) {
    r.hdrs.erase(r.hdrs.begin(), r.hdrs.begin() + static_cast<std::ptrdiff_t>(std::min(input_headers, r.hdrs.size())));
    note += " headers dropped";
  }
  const std::size_t rest = others();
  std::size_t keep = rest < limit ? std::min(r.value.size(), limit - rest) : 0;
  // Not inside a UTF-8 character: a text input stays text (at most 3 bytes back).
  for (std::size_t back = 0; back < 3 && keep > 0 && keep < r.value.size() &&
                             (static_cast<unsigned char>(r.value[keep]) & 0xC0) == 0x80;
       ++back) {
    --keep;
  }
  r.value.resize(keep);
  r.hdrs.emplace_back(dlq_header::truncated, std::move(note));
}

}  // namespace

chain::chain(const cfg::config& config, probe& p)
    : decode_(decode_options_from(config)),
      normalize_(normalizer_from(config)),
      extract_(extractor_from(config)),
      learner_(learner_options_from(config)),
      keywords_(keyword_options_from(config)),
      cluster_(cluster_options_from(config)),
      pass_through_(config.pipeline.pass_through),
      role_(config.pipeline.role),
      max_output_bytes_(static_cast<std::size_t>(cfg::max_output_bytes(config))),
      probe_(p) {}

result<article> chain::run_parallel(const input_record& record) const {
  if (role_ == cfg::pipeline_role::cluster) {
    auto decoded = timed(probe_, stage_id::decode, [&] {
      auto a = decode_handoff(record);
      if (a) a->cluster_input = cluster_stage::prepare(*a);
      return a;
    });
    if (decoded.index() == 1) return std::get<1>(decoded);
    return std::move(std::get<0>(decoded));
  }
  auto decoded = timed(probe_, stage_id::decode, [&] { return decode_.process(record); });
  if (decoded.index() == 1) return std::get<1>(decoded);
  result<article> a = std::move(std::get<0>(decoded));
  if (!a || pass_through_) return a;

  auto normalized = timed(probe_, stage_id::normalize, [&] { return normalize_.process(*a); });
  if (normalized.index() == 1) return std::get<1>(normalized);
  if (auto& s = std::get<0>(normalized); !s) return s.error();

  auto extracted = timed(probe_, stage_id::extract, [&] {
    auto s = extract_.process(*a);
    // The cluster stage's stateless part, here on the pool rather than on the ordered strand.
    if (s && role_ == cfg::pipeline_role::all) a->cluster_input = cluster_stage::prepare(*a);
    return s;
  });
  if (extracted.index() == 1) return std::get<1>(extracted);
  if (auto& s = std::get<0>(extracted); !s) return s.error();
  // Nothing after the pool reads the tokens (the strand's learner, ranker, cluster stage and
  // encoders work from paragraphs, terms and what extract found), and the article may wait for the
  // strand behind thousands of others: free them, a fifth to a quarter of what a news article
  // holds then (bench/README.md, "Memory of the work in flight").
  a->tokens.clear();
  a->tokens.shrink_to_fit();
  return a;
}

result<restored_record> restore_record(std::string_view key, const std::optional<std::string>& value,
                                       boilerplate_learner& learner, keyword_ranker& ranker, cluster_stage& stories) {
  if (key.starts_with(learner_key_prefix)) {
    if (!value) return restored_record{};
    auto taken = restore_learner_part(learner, *value);
    if (!taken) return taken.error();
    return restored_record{0, *taken == part_restored::skipped};
  }
  if (key.starts_with(keywords_key_prefix)) {
    if (!value) return restored_record{};
    auto part = parse_sketch_part(*value, ranker.frequencies().counters().size());
    if (!part) return part.error();
    if (!*part) return restored_record{0, true};
    if (!restore_sketch_part(ranker.frequencies(), **part)) {
      return stage_error{"checkpoint", "bad_changelog_record", "keyword frequencies outside the sketch"};
    }
    return restored_record{(*part)->articles.value_or(0), false};
  }
  if (auto s = stories.restore(key, value); !s) return s.error();
  return restored_record{};
}

status chain::restore(std::string_view key, const std::optional<std::string>& value) {
  auto restored = restore_record(key, value, learner_, keywords_, cluster_);
  if (!restored) return restored.error();
  if (key.starts_with(learner_key_prefix) || key.starts_with(keywords_key_prefix)) {
    if (restored->skipped) stale_learned_keys_.emplace(key);
    else stale_learned_keys_.erase(std::string(key));  // a later record of the key restored
  }
  if (restored->articles > learned_articles_) learned_articles_ = learned_checkpointed_ = restored->articles;
  return ok_status();
}

std::vector<output_record> chain::checkpoint_learned() {
  std::vector<output_record> out;
  if (role_ != cfg::pipeline_role::all || !changelog_ || learned_articles_ == learned_checkpointed_) return out;
  write_learner_parts(learner_, learned_articles_, out);
  write_sketch_parts(keywords_.frequencies(), learned_articles_, keywords_key_prefix, out);
  // Parts of the other size that these did not overwrite (a smaller table has fewer): deleted,
  // so the next start does not find them again.
  for (const auto& r : out) stale_learned_keys_.erase(r.key);
  for (const auto& key : stale_learned_keys_) out.push_back(output_record{output_kind::changelog, key, {}, {}, true});
  stale_learned_keys_.clear();
  learned_checkpointed_ = learned_articles_;
  return out;
}

std::vector<output_record> chain::run_ordered(const input_record& record, result<article> processed,
                                              std::int64_t now_ms) {
  std::vector<output_record> out;
  std::vector<output_record> learned;  // the learned-state checkpoint, after the article's own records
  const auto done = [&](std::vector<output_record> records) {
    for (auto& r : learned) records.push_back(std::move(r));
    return records;
  };
  const auto dead_letter = [&](const stage_error& error) {
    probe_.on_dead_letter(error.reason);
    out.clear();
    out.push_back(encode_dead_letter(record, error, now_ms));
    fit_dead_letter(out.back(), record.hdrs.size(), record.whole_bytes, max_output_bytes_);
    return done(std::move(out));
  };
  if (!processed) return dead_letter(processed.error());
  article& a = *processed;
  if (pass_through_) {
    out.push_back(encode_enriched(a));
    if (const auto bytes = record_bytes(out.back()); bytes > max_output_bytes_) {
      return dead_letter(too_large("the enriched article", bytes, max_output_bytes_));
    }
    return out;
  }
  if (role_ != cfg::pipeline_role::cluster) {  // the cluster role's input has been through these
    auto learnt = guarded(stage_id::normalize, [&] { return learner_.process(a); });
    if (learnt.index() == 1) return dead_letter(std::get<1>(learnt));
    if (!std::get<0>(learnt)) return dead_letter(std::get<0>(learnt).error());
    auto ranked = guarded(stage_id::extract, [&] {
      keywords_.process(a);
      return ok_status();
    });
    if (ranked.index() == 1) return dead_letter(std::get<1>(ranked));
    if (++learned_articles_ % learned_checkpoint_every == 0) learned = checkpoint_learned();
  }
  const std::size_t budget = unclustered_budget(a.uri, max_output_bytes_);  // the enriched document's
  if (role_ == cfg::pipeline_role::extract) {
    auto encoded = timed(probe_, stage_id::encode, [&] { return encode_handoff(a, record, budget); });
    if (encoded.index() == 1) return dead_letter(std::get<1>(encoded));
    out.push_back(std::move(std::get<0>(encoded)));
    if (const auto bytes = record_bytes(out.back()); bytes > max_output_bytes_) {
      return dead_letter(too_large("the hand-off record", bytes, max_output_bytes_));
    }
    return out;
  }
  // The enriched document but for the cluster stage's members (story id, duplicate_of): whether
  // it fits the producer is known before the article changes any story.
  const auto encode_start = std::chrono::steady_clock::now();
  auto unclustered = guarded(stage_id::encode, [&] { return a.unclustered ? std::move(*a.unclustered) : encode_unclustered(a, budget); });
  if (unclustered.index() == 1) return dead_letter(std::get<1>(unclustered));
  const auto encode_time = std::chrono::steady_clock::now() - encode_start;
  std::string& document = std::get<0>(unclustered);
  // Still too large with every list cut (a body of 200,000 four-byte characters, a huge headline).
  if (document.size() > budget) {
    return dead_letter(too_large("the enriched article", max_output_bytes_ - budget + document.size(), max_output_bytes_));
  }
  const story_event_counts before = cluster_.events();
  auto clustered = timed(probe_, stage_id::cluster, [&] { return cluster_.process(a, now_ms); });
  probe_.set_live_stories(cluster_.live_stories());
  for (std::size_t e = 0; e < before.size(); ++e) {
    if (const auto n = cluster_.events()[e] - before[e]) probe_.on_story_events(all_story_events[e], n);
  }
  if (clustered.index() == 1) return dead_letter(std::get<1>(clustered));
  auto encoded = timed(
      probe_, stage_id::encode,
      [&] {
        std::vector<output_record> records;
        records.push_back(close_enriched(std::move(document), a));
        for (auto& r : std::get<0>(clustered)) {
          if (r.kind != output_kind::changelog || changelog_) records.push_back(std::move(r));
        }
        return records;
      },
      encode_time);
  if (encoded.index() == 1) return dead_letter(std::get<1>(encoded));
  return done(std::move(std::get<0>(encoded)));
}

}  // namespace wirefeed
