#include "pipeline/ner/tagger.h"

#include "pipeline/ner/viterbi.h"

namespace wirefeed::ner {

namespace {

// Per-thread scratch; grows to the longest window seen (max_window_tokens at most) and is then reused.
struct scratch {
  feature_buffer features;
  std::vector<weight_table::row_view> rows;
  std::vector<float> emissions;
  std::vector<std::uint8_t> tags;
  viterbi decoder;
};

scratch& thread_scratch() {
  thread_local scratch s;
  return s;
}

}  // namespace

result<tagger> tagger::load(const std::string& path) {
  auto m = model::load(path);
  if (!m.ok()) return m.error();
  return tagger(std::move(m.value()));
}

tagger::tagger(model m)
    : model_(std::make_shared<const model>(std::move(m))),
      extractor_(model_->gazetteer_lists(), model_->options()) {}

std::vector<label> tagger::tag(const std::vector<std::string_view>& tokens) const {
  return run(tokens, nullptr, 0, nullptr, nullptr, false);
}

std::vector<label> tagger::tag(const std::vector<std::string_view>& tokens, document_context& doc) const {
  std::vector<label> labels = run(tokens, &doc, 0, nullptr, nullptr, false);
  doc.record(tokens, labels);
  return labels;
}

std::vector<std::vector<label>> tagger::tag_document(const std::vector<std::vector<std::string_view>>& sentences,
                                                     std::size_t kept_feature_tokens) const {
  document_context doc;
  for (const auto& s : sentences) doc.observe(s);
  std::vector<std::vector<label>> out;
  out.reserve(sentences.size());
  if (model_->stage_count() < 2) {
    for (const auto& s : sentences) out.push_back(tag(s, doc));
    return out;
  }
  std::vector<feature_buffer> prepared(sentences.size());
  std::vector<bool> kept(sentences.size());
  std::size_t tokens = 0;
  for (std::size_t i = 0; i < sentences.size(); ++i) kept[i] = (tokens += sentences[i].size()) <= kept_feature_tokens;
  const auto buffer = [&](std::size_t i) { return kept[i] ? &prepared[i] : nullptr; };
  for (std::size_t i = 0; i < sentences.size(); ++i) {
    out.push_back(run(sentences[i], &doc, 0, nullptr, buffer(i), false));
    doc.record(sentences[i], out[i]);
  }
  for (std::size_t i = 0; i < sentences.size(); ++i) doc.record_stage1(sentences[i], out[i]);
  doc.clear_history();
  for (std::size_t i = 0; i < sentences.size(); ++i) {
    const std::vector<std::uint8_t> first = tag_set::encode(out[i]);
    out[i] = run(sentences[i], &doc, 1, first.data(), buffer(i), kept[i]);
    doc.record(sentences[i], out[i]);
  }
  return out;
}

std::vector<label> tagger::run(const std::vector<std::string_view>& tokens, const document_context* doc,
                               std::size_t stage, const std::uint8_t* stage1_tags, feature_buffer* prepared,
                               bool reuse) const {
  const std::size_t n = tokens.size();
  if (n <= max_window_tokens) return run_window(tokens, doc, stage, stage1_tags, prepared, reuse);
  std::vector<label> out;
  out.reserve(n);
  std::vector<std::string_view> window;
  for (std::size_t begin = 0; begin < n; begin += max_window_tokens) {
    const auto from = tokens.begin() + static_cast<std::ptrdiff_t>(begin);
    window.assign(from, from + static_cast<std::ptrdiff_t>(std::min(max_window_tokens, n - begin)));
    const auto labels = run_window(window, doc, stage, stage1_tags ? stage1_tags + begin : nullptr, nullptr, false);
    out.insert(out.end(), labels.begin(), labels.end());
  }
  return out;
}

std::vector<label> tagger::run_window(const std::vector<std::string_view>& tokens, const document_context* doc,
                                      std::size_t stage, const std::uint8_t* stage1_tags, feature_buffer* prepared,
                                      bool reuse) const {
  const std::size_t n = tokens.size();
  if (n == 0) return {};
  constexpr std::size_t T = model::tags;
  scratch& s = thread_scratch();
  feature_buffer& features = prepared ? *prepared : s.features;
  if (!reuse) extractor_.prepare(tokens, features);
  extractor_.emit(doc, features, stage1_tags);
  const weight_table& m = model_->stage(stage);
  // Two passes so that the cache misses of independent lookups overlap: resolve every key to its
  // weight row (prefetching the index a few keys ahead), then sum the rows per token.
  const std::uint64_t* keys = features.keys.data();
  const std::size_t key_count = features.keys.size();
  constexpr std::size_t ahead = 8;
  s.rows.resize(key_count);
  for (std::size_t k = 0; k < key_count; ++k) {
    if (k + ahead < key_count) m.prefetch(keys[k + ahead]);
    s.rows[k] = m.find(keys[k]);
    if (!s.rows[k].empty()) __builtin_prefetch(s.rows[k].first);
  }
  s.emissions.resize(n * T);
  const float scale = m.scale();
  for (std::size_t i = 0; i < n; ++i) {
    std::int32_t acc[T] = {};
    for (std::uint32_t k = features.offsets[i]; k < features.offsets[i + 1]; ++k)
      for (const weight_table::entry& e : s.rows[k]) acc[e.tag] += e.weight;
    float* e = &s.emissions[i * T];
    for (std::size_t t = 0; t < T; ++t) e[t] = static_cast<float>(acc[t]) * scale;
  }
  s.tags.resize(n);
  s.decoder.decode(s.emissions.data(), n, m.transition_scores(), s.tags.data());
  std::vector<label> labels(n);
  // tag_set::decode allocates; inline the same mapping here.
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t t = s.tags[i];
    if (t == tag_set::outside_tag) continue;
    const auto p = tag_set::position_of(t);
    labels[i] = label{tag_set::type_of(t), p == tag_set::begin || p == tag_set::unit};
  }
  return labels;
}

}  // namespace wirefeed::ner
