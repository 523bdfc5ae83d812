// Throughput of the normalize stage, in MB/s and articles/s of one core.
//
//   normalize_bench                                        # the sample feed (samples/feed/*.txt)
//   normalize_bench --ecbplus=/path/to/articles.ndjson     # also an NDJSON corpus
//   WIREFEED_ECBPLUS=/path/to/articles.ndjson normalize_bench
//
// Inputs are decoded once, outside the timed loop; each iteration normalizes a fresh copy of every
// decoded article (the copy is made with timing paused). Bytes are the input message bytes, so
// MB/s compares with the Kafka input rate. `decode+normalize` also times decode. Sources are found
// through WIREFEED_SOURCE_DIR (a compile definition, overridable by the environment variable).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "bench/bench_inputs.h"
#include "pipeline/decode.h"
#include "pipeline/normalize.h"

namespace {

using namespace wirefeed;
using bench::env_or;
using bench::source_dir;

std::string ecbplus_path;  // from --ecbplus= or WIREFEED_ECBPLUS

struct corpus {
  std::vector<input_record> records;
  std::vector<article> decoded;
  std::size_t bytes = 0;
};

input_record record_of(std::string value, std::int64_t offset) {
  input_record r;
  r.tp = {"bench", partition_id{0}};
  r.off = wirefeed::offset{offset};
  r.timestamp_ms = 1644220800000;
  r.value = std::move(value);
  return r;
}

corpus load(const std::vector<std::string>& values) {
  corpus c;
  const decoder decode{decode_options{}};
  for (const auto& v : values) {
    c.records.push_back(record_of(v, static_cast<std::int64_t>(c.records.size())));
    auto a = decode.process(c.records.back());
    if (!a) {
      std::cerr << "normalize_bench: input " << c.records.size() << " does not decode: " << a.error().message << '\n';
      continue;
    }
    c.bytes += v.size();
    c.decoded.push_back(std::move(a.value()));
  }
  return c;
}

const corpus& sample_feed() {
  static const corpus c = load(bench::sample_feed_texts());
  return c;
}

const corpus& ecbplus() {
  static const corpus c = load(bench::ndjson_lines(ecbplus_path));
  return c;
}

const normalizer& shared_normalizer() {
  static const normalizer n = [] {
    auto built = normalizer::create(normalize_options{});
    if (!built) {
      std::cerr << "normalize_bench: " << built.error().message << '\n';
      std::exit(1);
    }
    return std::move(built.value());
  }();
  return n;
}

void run_normalize(benchmark::State& state, const corpus& c) {
  if (c.decoded.empty()) {
    state.SkipWithError("no input (see the header of bench/normalize_bench.cc)");
    return;
  }
  const normalizer& n = shared_normalizer();
  std::vector<article> work;
  std::size_t failed = 0;
  for (auto _ : state) {
    state.PauseTiming();
    work = c.decoded;
    state.ResumeTiming();
    for (auto& a : work) failed += !n.process(a).ok();
    benchmark::DoNotOptimize(work.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * c.bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * c.decoded.size()));
  state.counters["articles"] = static_cast<double>(c.decoded.size());
  state.counters["rejected"] = static_cast<double>(failed) / static_cast<double>(std::max<std::int64_t>(1, state.iterations()));
}

void run_decode_normalize(benchmark::State& state, const corpus& c) {
  if (c.records.empty()) {
    state.SkipWithError("no input (see the header of bench/normalize_bench.cc)");
    return;
  }
  const normalizer& n = shared_normalizer();
  const decoder decode{decode_options{}};
  std::size_t bytes = 0;
  for (const auto& r : c.records) bytes += r.value.size();
  for (auto _ : state) {
    for (const auto& r : c.records) {
      auto a = decode.process(r);
      if (a) benchmark::DoNotOptimize(n.process(*a).ok());
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * c.records.size()));
}

void BM_NormalizeSampleFeed(benchmark::State& state) { run_normalize(state, sample_feed()); }
void BM_DecodeNormalizeSampleFeed(benchmark::State& state) { run_decode_normalize(state, sample_feed()); }
void BM_NormalizeEcbPlus(benchmark::State& state) {
  if (ecbplus_path.empty()) {
    state.SkipWithError("no corpus: pass --ecbplus=PATH or set WIREFEED_ECBPLUS");
    return;
  }
  run_normalize(state, ecbplus());
}
void BM_DecodeNormalizeEcbPlus(benchmark::State& state) {
  if (ecbplus_path.empty()) {
    state.SkipWithError("no corpus: pass --ecbplus=PATH or set WIREFEED_ECBPLUS");
    return;
  }
  run_decode_normalize(state, ecbplus());
}

BENCHMARK(BM_NormalizeSampleFeed)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecodeNormalizeSampleFeed)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_NormalizeEcbPlus)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecodeNormalizeEcbPlus)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) { return wirefeed::bench::run_benchmarks(argc, argv, ecbplus_path); }
