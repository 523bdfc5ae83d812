// Tagging throughput of the named-entity tagger (pipeline/ner), in tokens per second of one core.
//
//   ner_bench                                   # the committed fixture tests/data/ner/news_sample.conll
//   WIREFEED_CONLL=/path/eng.testa ner_bench    # also a CoNLL file of your own (never committed)
//
// Uses models/ner-en.bin, or the model named by WIREFEED_NER_MODEL. Sources are found through
// WIREFEED_SOURCE_DIR (a compile definition, overridable by the environment variable of the same
// name). Documents are tagged with tagger::tag_document, as `wirefeed ner --conll` does; input
// parsing is outside the timed loop.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "bench/bench_inputs.h"
#include "pipeline/ner/conll.h"
#include "pipeline/ner/tagger.h"

namespace {

using namespace wirefeed::ner;
using wirefeed::bench::env_or;
using wirefeed::bench::source_dir;

const tagger* shared_tagger() {
  static const auto loaded = tagger::load(env_or("WIREFEED_NER_MODEL", source_dir() + "/models/ner-en.bin"));
  if (!loaded.ok()) {
    std::cerr << "ner_bench: " << loaded.error().message << '\n';
    return nullptr;
  }
  return &loaded.value();
}

struct corpus {
  conll_file file;
  std::vector<std::vector<std::vector<std::string_view>>> documents;
  std::size_t tokens = 0;
};

bool load_corpus(const std::string& path, corpus& c) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  auto file = read_conll(in, false);
  if (!file.ok()) return false;
  c.file = std::move(file.value());
  for (const conll_document& d : c.file.documents) {
    std::vector<std::vector<std::string_view>> sentences;
    for (const conll_sentence& s : d.sentences) {
      sentences.push_back(s.token_views());
      c.tokens += s.tokens.size();
    }
    c.documents.push_back(std::move(sentences));
  }
  return true;
}

void tag_corpus(benchmark::State& state, const std::string& path) {
  const tagger* t = shared_tagger();
  corpus c;
  if (t == nullptr) {
    state.SkipWithError("cannot load the NER model");
    return;
  }
  if (!load_corpus(path, c)) {
    state.SkipWithError(("cannot read " + path).c_str());
    return;
  }
  for (auto _ : state) {
    for (const auto& doc : c.documents) {
      auto labels = t->tag_document(doc);
      benchmark::DoNotOptimize(labels);
    }
  }
  state.counters["tokens/s"] =
      benchmark::Counter(static_cast<double>(c.tokens), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["tokens"] = static_cast<double>(c.tokens);
}

void BM_ner_tag_fixture(benchmark::State& state) {
  tag_corpus(state, source_dir() + "/tests/data/ner/news_sample.conll");
}
BENCHMARK(BM_ner_tag_fixture)->Unit(benchmark::kMillisecond);

void BM_ner_tag_conll_env(benchmark::State& state) {
  const std::string path = env_or("WIREFEED_CONLL", "");
  if (path.empty()) {
    state.SkipWithError("set WIREFEED_CONLL to a CoNLL file to run this benchmark");
    return;
  }
  tag_corpus(state, path);
}
BENCHMARK(BM_ner_tag_conll_env)->Unit(benchmark::kMillisecond);

}  // namespace
