// Throughput of the extract stage, per extractor and whole, in tokens/s and articles/s of one core
// (CPU time).
//
//   extract_bench                                          # the sample feed (samples/feed/*.txt)
//   extract_bench --ecbplus=/path/to/articles.ndjson       # also the ECB+ corpus (NDJSON)
//   WIREFEED_ECBPLUS=/path/to/articles.ndjson extract_bench
//
// Inputs are decoded and normalized once, outside the timed loops; each extractor then runs over
// every article of the corpus per iteration, on the state the earlier extractors leave (the
// quote extractor on the article's entities, the figure extractor after the dates), exactly as
// extractor::process chains them. `Stage` is extractor::process itself (all of it, once per
// article); `KeywordRanker` is the ordered half (keyword_ranker::process). Counters: tokens/s
// and articles/s (rates over CPU time), tokens and articles per pass. Uses models/ner-en.bin, or
// the model named by WIREFEED_NER_MODEL; sources are found through WIREFEED_SOURCE_DIR (a compile
// definition, overridable by the environment variable of the same name).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "bench/bench_inputs.h"
#include "pipeline/decode.h"
#include "pipeline/extract.h"
#include "pipeline/extract_context.h"
#include "pipeline/keyword_ranker.h"
#include "pipeline/minhash.h"
#include "pipeline/normalize.h"

namespace {

using namespace wirefeed;
using bench::env_or;
using bench::source_dir;

std::string ecbplus_path;  // from --ecbplus= or WIREFEED_ECBPLUS

std::shared_ptr<const ner::tagger> shared_tagger() {
  static const std::shared_ptr<const ner::tagger> t = [] {
    auto loaded = ner::tagger::load(env_or("WIREFEED_NER_MODEL", source_dir() + "/models/ner-en.bin"));
    if (!loaded.ok()) {
      std::cerr << "extract_bench: " << loaded.error().message << '\n';
      std::exit(1);
    }
    return std::make_shared<const ner::tagger>(std::move(loaded.value()));
  }();
  return t;
}

// One normalized article and the extract state the extractors after the first need.
struct prepared {
  article a;
  std::unique_ptr<extract_context> c;
};

struct corpus {
  std::vector<std::unique_ptr<prepared>> articles;  // stable addresses: contexts point into them
  std::size_t tokens = 0;
};

corpus load(const std::vector<std::string>& values) {
  corpus out;
  const decoder decode{decode_options{}};
  auto n = normalizer::create(normalize_options{});
  if (!n) {
    std::cerr << "extract_bench: " << n.error().message << '\n';
    std::exit(1);
  }
  const entity_extractor entities(shared_tagger());
  const entity_canonicalizer canonicalizer(&shared_tagger()->weights().gazetteer_lists());
  const date_extractor dates;
  std::int64_t offset = 0;
  for (const auto& v : values) {
    input_record r;
    r.tp = {"bench", partition_id{0}};
    r.off = wirefeed::offset{offset++};
    r.timestamp_ms = 1644220800000;
    r.value = v;
    auto a = decode.process(r);
    if (!a || !n->process(*a).ok() || a->tokens.empty()) continue;
    auto p = std::make_unique<prepared>();
    p->a = std::move(*a);
    p->c = std::make_unique<extract_context>(p->a);
    p->c->set_mentions(entities.find(*p->c));
    p->a.entities = canonicalizer.group(*p->c);
    p->a.dates = dates.find(*p->c);
    out.tokens += p->a.tokens.size();
    out.articles.push_back(std::move(p));
  }
  return out;
}

const corpus& sample_feed() {
  static const corpus c = load(bench::sample_feed_texts());
  return c;
}

const corpus& ecbplus() {
  static const corpus c = load(bench::ndjson_lines(ecbplus_path));
  return c;
}

const corpus* pick(benchmark::State& state, int which) {
  if (which == 1 && ecbplus_path.empty()) {
    state.SkipWithError("no corpus: pass --ecbplus=PATH or set WIREFEED_ECBPLUS");
    return nullptr;
  }
  const corpus& c = which == 0 ? sample_feed() : ecbplus();
  if (c.articles.empty()) {
    state.SkipWithError("no article could be read");
    return nullptr;
  }
  return &c;
}

void set_counters(benchmark::State& state, const corpus& c) {
  using benchmark::Counter;
  const auto passes = static_cast<double>(state.iterations());
  state.counters["tokens/s"] = Counter(passes * static_cast<double>(c.tokens), Counter::kIsRate);
  state.counters["articles/s"] = Counter(passes * static_cast<double>(c.articles.size()), Counter::kIsRate);
  state.counters["tokens"] = static_cast<double>(c.tokens);
  state.counters["articles"] = static_cast<double>(c.articles.size());
}

// Runs `fn(prepared&)` over every article per iteration.
template <class Fn>
void over_corpus(benchmark::State& state, Fn fn) {
  const corpus* c = pick(state, static_cast<int>(state.range(0)));
  if (c == nullptr) return;
  for (auto _ : state) {
    for (const auto& p : c->articles) fn(*p);
  }
  set_counters(state, *c);
}

void BM_Context(benchmark::State& state) {
  over_corpus(state, [](prepared& p) {
    extract_context c(p.a);
    benchmark::DoNotOptimize(c.sentences().data());
  });
}

void BM_Entities(benchmark::State& state) {  // the NER tagger and its post-processing
  const entity_extractor x(shared_tagger());
  over_corpus(state, [&](prepared& p) { benchmark::DoNotOptimize(x.find(*p.c)); });
}

void BM_Canonicalize(benchmark::State& state) {
  const entity_canonicalizer x(&shared_tagger()->weights().gazetteer_lists());
  over_corpus(state, [&](prepared& p) { benchmark::DoNotOptimize(x.group(*p.c)); });
}

void BM_Dates(benchmark::State& state) {
  const date_extractor x;
  over_corpus(state, [&](prepared& p) { benchmark::DoNotOptimize(x.find(*p.c)); });
}

void BM_Figures(benchmark::State& state) {
  const figure_extractor x;
  over_corpus(state, [&](prepared& p) { benchmark::DoNotOptimize(x.find(*p.c)); });
}

void BM_Quotes(benchmark::State& state) {
  const quote_extractor x;
  over_corpus(state, [&](prepared& p) { benchmark::DoNotOptimize(x.find(*p.c, p.a.entities)); });
}

void BM_KeywordTerms(benchmark::State& state) {
  const keyword_extractor x;
  over_corpus(state, [&](prepared& p) { benchmark::DoNotOptimize(x.count(*p.c)); });
}

void BM_Minhash(benchmark::State& state) {
  over_corpus(state, [&](prepared& p) { benchmark::DoNotOptimize(minhash::of(p.a)); });
}

// The whole stage, as the chain runs it (it clears and refills the extract fields).
void BM_Stage(benchmark::State& state) {
  const extractor x(shared_tagger());
  const corpus* c = pick(state, static_cast<int>(state.range(0)));
  if (c == nullptr) return;
  std::vector<article> work;
  for (const auto& p : c->articles) work.push_back(p->a);
  for (auto _ : state) {
    for (auto& a : work) benchmark::DoNotOptimize(x.process(a).ok());
  }
  set_counters(state, *c);
}

// The ordered half: ranking the terms against the document frequencies, then counting them.
void BM_KeywordRanker(benchmark::State& state) {
  const corpus* c = pick(state, static_cast<int>(state.range(0)));
  if (c == nullptr) return;
  const keyword_extractor terms;
  std::vector<article> work;
  for (const auto& p : c->articles) {
    article a;
    a.terms = terms.count(*p->c);
    work.push_back(std::move(a));
  }
  keyword_ranker ranker(keyword_ranker_options{});
  for (auto _ : state) {
    for (auto& a : work) ranker.process(a);
  }
  set_counters(state, *c);
}

// Arg 0: the sample feed; arg 1: ECB+.
#define WIREFEED_EXTRACT_BENCH(fn) BENCHMARK(fn)->ArgName("ecbplus")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)
WIREFEED_EXTRACT_BENCH(BM_Context);
WIREFEED_EXTRACT_BENCH(BM_Entities);
WIREFEED_EXTRACT_BENCH(BM_Canonicalize);
WIREFEED_EXTRACT_BENCH(BM_Dates);
WIREFEED_EXTRACT_BENCH(BM_Figures);
WIREFEED_EXTRACT_BENCH(BM_Quotes);
WIREFEED_EXTRACT_BENCH(BM_KeywordTerms);
WIREFEED_EXTRACT_BENCH(BM_Minhash);
WIREFEED_EXTRACT_BENCH(BM_Stage);
WIREFEED_EXTRACT_BENCH(BM_KeywordRanker);

}  // namespace

int main(int argc, char** argv) { return wirefeed::bench::run_benchmarks(argc, argv, ecbplus_path); }
