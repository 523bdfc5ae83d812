// Cost per article of the cluster stage (cluster_stage::process, the JSON of the story state it
// returns included) with 1,000 / 10,000 / 100,000 live stories, and the memory a live story holds.
//
//   cluster_bench                                   # everything: a few minutes, ~5 GB at 100k
//   cluster_bench --benchmark_filter='stories:1000/'
//
// Synthetic stories from real text. The five sample-feed articles (samples/feed/*.txt) go through
// the real chain once (chain::run_parallel: decode, normalize, extract; models/ner-en.bin, or the
// model named by WIREFEED_NER_MODEL; sources found through WIREFEED_SOURCE_DIR, a compile
// definition the environment variable of the same name overrides). Story k is made of copies of
// them, each made unique to its story: a fresh uri; every extracted term renamed ("troops" ->
// "troops s<k>") and 8 story terms "s<k>w<j>" of count 8 put first, so a story's articles share
// heavy terms with each other and with no other story; every entity renamed ("Dmitry Peskov" ->
// "Dmitry Peskov <k>"); the MinHash signature and the paragraph word hashes xor-ed with masks
// that are bijections of k (the same text in two stories shares no value: no near-duplicate).
// The headline is left as it is: its words are the only features stories share (each with a
// fifth of all stories), so there is next to no feature overlap between stories. A real feed has
// more (common terms and places), which costs more per article (up to 4096 postings scanned per
// shared feature).
//
// Setup (not timed), once per N and shared by its three variants (run in the order Join, Copy,
// NewStory): a fresh stage filled with N stories by process() itself. Story k gets sample k%5,
// and one story in four also sample (k+1)%5, which joins it by similarity: 1.25 N articles. Times
// 10 ms apart from 2022-02-07T08:00Z (all within a day: no time decay), story_ttl_ms a year,
// max_live_stories N + 1.
//
// Timed: process() of new articles, in batches of 100 (each batch is built, and
// cluster_stage::prepare() run on it as the daemon's thread pool does, with the timer paused),
// min(N/2, 10000) articles per variant, one run each (fixed iteration counts: the fill is never
// repeated). The stories joined or copied are taken in a random order (fixed seed)
// without repetition, so no story is joined twice and stories stay at 1-3 members.
//   Join      a sample the story holds none of, made with the story's terms, names and masks:
//             joins by similarity (when the story holds 002 and gets 004, the same agency copy
//             with its paragraphs reordered, it is rightly flagged a copy: `duplicates`).
//   Copy      a wire copy of the story's first member (same text, same masks): found through the
//             LSH bands, joins as duplicate_of.
//   NewStory  a new story (story numbers N, N+1, ...). The stage is at capacity, so each one
//             also evicts the least recently updated story (its changelog tombstone is part of
//             the output): live stories stay N, the daemon's steady state once full.
//
// Restore/stories:N (after the three variants): the changelog of an N-story fill, compacted, read
// back into a fresh stage, as `wirefeed run` does at start-up (Kafka aside); see run_restore().
//
// LearnedCheckpoint: the chain's learned-state checkpoint (pipeline/checkpoint.h), written every
// 1,000 articles and on a stop in role all: a boilerplate learner with every one of its 65,536
// slots in use (the most it writes) and a keyword ranker that has counted 20,000 articles of 60
// terms. Counters: write_ms (on the strand), restore_ms (parse and take back, at start-up),
// mbytes (the records' values).
//
// Counters:
//   per_article      CPU time per timed article (also items_per_second): the ordered strand's cost
//   prepare          seconds per article of cluster_stage::prepare() (stateless; on the thread pool)
//   bytes_per_story  cluster_stage::approximate_bytes() / live_stories(), after the fill
//   rss_per_story    resident set growth over the fill / N (malloc_trim before both readings, glibc)
//   fill_s           wall seconds of the fill (N stories, 1.25 N articles)
//   out_bytes        bytes of output records (story JSON + changelog state) per timed article
//   as_expected      share of timed articles placed as the variant intends (the chosen story, or
//                    a new one); fill_misplaced: fill articles that were not
//   duplicates       share of timed articles flagged duplicate_of
//   allocations      operator new calls per timed article inside process() (deterministic, as
//                    instructions are: each is a malloc and a free, and memory touched)
//   page_faults      minor page faults per timed article inside process(): memory the process
//                    touches for the first time
//   heap_pregrown    1 when the timed articles ran on a pre-grown heap (below), 0 when cold
//   huge_pages       share of the process's anonymous memory in transparent huge pages after the
//                    fill: ~0.9 with GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (as the daemon is
//                    deployed, deploy/wirefeed.service), ~0 without; at 100k stories Join costs
//                    ~15% less with them (fewer TLB misses on a story's cold memory)
//
// The heap. Join grows every story it joins (about 16 KB per article: the member, its quotes,
// figures and fingerprints), so the process grows through the run. A fresh page costs the kernel
// a fault and clearing it, and on a VM whose memory the host backs lazily (the development VM:
// see FirstTouch) far more: at 100k stories that was up to half of Join's time. A daemon that has run
// for a while reuses the memory its expired stories freed. So by default, before each variant's
// timed articles (untimed), the heap is grown by 48 KB per timed article of touched memory and
// freed again, kept by the allocator (glibc: trimming off): the timed articles then allocate
// from memory the process already holds, as in steady state. CLUSTER_BENCH_HEAP=cold skips it,
// measuring the growth as well.
//
// FirstTouch (runs first): microseconds per 4 KiB page to touch 256 MiB of fresh anonymous
// memory (fresh_us_per_page) and the same again right after unmapping it (reused_us_per_page).
// On bare metal both are about a microsecond; a large gap says the machine backs memory lazily,
// and cold-heap figures mostly measure that.
#include <benchmark/benchmark.h>

#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>
#include <new>
#include <numeric>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

// Under callgrind (bench/strand_instructions.sh, --collect-atstart=no) only the timed process()
// calls are counted: instructions per article, a figure this VM's swings do not move.
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_TOGGLE_COLLECT
#endif

#include "bench/bench_inputs.h"
#include "config/config.h"
#include "pipeline/article.h"
#include "pipeline/chain.h"
#include "pipeline/checkpoint.h"
#include "pipeline/cluster.h"
#include "pipeline/probe.h"
#include "pipeline/record.h"

#ifndef WIREFEED_NER_MODEL
#define WIREFEED_NER_MODEL WIREFEED_SOURCE_DIR "/models/ner-en.bin"
#endif

// Every operator new of the process, counted (the `allocations` counter reads it around the timed
// process() calls). The sized and aligned forms left to the library end up here or are not used.
namespace {
std::atomic<std::uint64_t> allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
// GCC sees free() of what its inlined operator new returned and takes it for a mismatch.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace {

using namespace wirefeed;

constexpr std::int64_t k_start_ms = 1644220800000;  // 2022-02-07T08:00:00Z, as the golden tests
constexpr std::int64_t k_spacing_ms = 10;
constexpr std::size_t k_story_terms = 8;
constexpr std::uint32_t k_story_term_count = 8;
constexpr std::size_t k_batch = 100;
constexpr std::size_t k_max_timed = 10000;
constexpr std::uint64_t k_seed = 20261122;

using bench::env_or;

[[noreturn]] void fail(const std::string& message) {
  std::cerr << "cluster_bench: " << message << '\n';
  std::exit(1);
}

// The five sample-feed articles, decoded, normalized and extracted by the real chain.
const std::vector<article>& bases() {
  static const std::vector<article> out = [] {
    const std::vector<std::string> texts = bench::sample_feed_texts();
    if (texts.empty()) fail("no sample feed in " + bench::source_dir() + "/samples/feed");

    cfg::config config;
    config.extract.ner_model = env_or("WIREFEED_NER_MODEL", WIREFEED_NER_MODEL);
    probe p;
    chain stages(config, p);
    std::vector<article> articles;
    for (std::size_t i = 0; i < texts.size(); ++i) {
      input_record r;
      r.tp = {"wire.raw", partition_id{0}};
      r.off = offset{static_cast<std::int64_t>(i)};
      r.timestamp_ms = k_start_ms;
      r.value = texts[i];
      auto a = stages.run_parallel(r);
      if (!a) fail("sample feed article " + std::to_string(i) + ": " + a.error().message);
      articles.push_back(std::move(*a));
    }
    for (std::size_t i = 0; i < articles.size(); ++i) {
      const article& a = articles[i];
      std::size_t words = 0;
      for (const auto& w : a.paragraph_words) words += w.size();
      std::fprintf(stderr,
                   "base %zu: %zu terms, %zu entities, %zu figures, %zu quotes, minhash %zu, "
                   "%zu paragraphs (%zu words)\n",
                   i, a.terms.size(), a.entities.size(), a.figures.size(), a.quotes.size(), a.minhash.size(),
                   a.paragraph_words.size(), words);
    }
    return articles;
  }();
  return out;
}

// The xor masks of story k: its signature values, its paragraph words.
std::pair<std::uint32_t, std::uint32_t> story_mask(std::uint64_t k) {
  const auto x = static_cast<std::uint32_t>(k);
  return {x * 0x9e3779b1u + 0x7f4a7c15u, x * 0x85ebca77u + 0x165667b1u};
}

// A copy of sample article `base` made unique to story `k`; `serial` makes its uri unique.
article make_article(std::size_t base, std::uint64_t k, std::uint64_t serial, std::int64_t time_ms) {
  const auto& all = bases();
  article a = all[base % all.size()];
  const std::string tag = std::to_string(k);
  a.uri = "urn:wirefeed-bench:s" + tag + ":a" + std::to_string(serial);
  a.uri_from_content = false;
  a.published_ms = time_ms;
  a.source.timestamp_ms = time_ms;

  std::vector<term_count> terms;
  terms.reserve(a.terms.size() + k_story_terms);
  for (std::size_t j = 0; j < k_story_terms; ++j) {
    terms.push_back({"s" + tag + "w" + std::to_string(j), k_story_term_count});
  }
  for (auto& t : a.terms) terms.push_back({std::move(t.term) + " s" + tag, t.count});
  a.terms = std::move(terms);

  for (auto& e : a.entities) e.name += " " + tag;

  // x -> x * odd (mod 2^32) is a bijection: two stories (k < 2^32) never get the same mask, so the
  // same text in two stories differs in every signature value and every paragraph word.
  const auto mask = story_mask(k);
  for (auto& v : a.minhash) v ^= mask.first;
  for (auto& p : a.paragraph_words) {
    for (auto& w : p) w ^= mask.second;
    std::sort(p.begin(), p.end());
  }
  return a;
}

// Minor page faults of this process so far: memory touched for the first time.
long minor_faults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

// Grows the heap by `bytes` of touched memory and frees it again, kept by the allocator (glibc:
// trimming off for the rest of the run; the RSS readings trim explicitly), so the timed
// articles' allocations reuse memory the process already holds.
void pregrow_heap(std::size_t bytes) {
#if defined(__GLIBC__)
  mallopt(M_TRIM_THRESHOLD, std::numeric_limits<int>::max());
  constexpr std::size_t block = 64 * 1024;  // below the mmap threshold: from the heap itself
  std::vector<char*> blocks;
  blocks.reserve(bytes / block);
  for (std::size_t i = 0; i < bytes / block; ++i) {
    auto* b = static_cast<char*>(std::malloc(block));
    if (b == nullptr) break;
    for (std::size_t j = 0; j < block; j += 4096) b[j] = 1;
    benchmark::DoNotOptimize(b);
    blocks.push_back(b);
  }
  for (char* b : blocks) std::free(b);
#else
  (void)bytes;
#endif
}

bool cold_heap() {
  const char* heap = std::getenv("CLUSTER_BENCH_HEAP");
  return heap != nullptr && std::string_view(heap) == "cold";
}

std::size_t resident_bytes() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
  std::ifstream statm("/proc/self/statm");
  std::size_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

// Share of the process's anonymous memory in transparent huge pages (/proc/self/smaps_rollup):
// about 0 unless the heap asks for them (GLIBC_TUNABLES=glibc.malloc.hugetlb=1, as
// deploy/wirefeed.service sets, with the kernel's THP mode `madvise` or `always`).
double huge_page_share() {
  std::ifstream rollup("/proc/self/smaps_rollup");
  std::string line;
  double anonymous = 0, huge = 0;
  while (std::getline(rollup, line)) {
    std::istringstream fields(line);
    std::string name;
    double kb = 0;
    fields >> name >> kb;
    if (name == "Anonymous:") anonymous = kb;
    if (name == "AnonHugePages:") huge = kb;
  }
  return anonymous > 0 ? huge / anonymous : 0;
}

enum class variant { join, copy, new_story };

// One filled stage, shared by the three variants of its N (they run one after the other, Join,
// Copy, NewStory; a filter that skips some leaves the stage as the fill made it).
struct filled {
  explicit filled(std::size_t stories, cluster_options options) : n(stories), stage(options), rng(k_seed + stories) {}

  std::size_t n;
  cluster_stage stage;
  std::vector<std::string> ids;             // story k's id
  std::unordered_set<std::string> known;    // every story id given so far
  std::vector<std::size_t> order;           // the stories in random order (fixed seed)
  std::size_t cursor = 0;                   // next entry of `order` to join / copy
  std::uint64_t next_story = 0;             // next story number for NewStory
  std::uint64_t serial = 0;                 // articles made so far
  std::mt19937_64 rng;
  std::size_t misplaced = 0;                // fill articles that did not start / join their story
  double fill_seconds = 0;
  std::size_t rss_growth = 0;
  double huge_pages = 0;
  std::size_t approximate = 0;
  std::size_t live = 0;

  std::int64_t next_time() const { return k_start_ms + static_cast<std::int64_t>(serial) * k_spacing_ms; }
};

// Story k gets sample k%5; one story in k_second_every also sample (k+1)%5.
constexpr std::size_t k_second_every = 4;

cluster_options options_for(std::size_t n) {
  cluster_options options;
  options.story_ttl_ms = 365LL * 24 * 3600 * 1000;
  options.max_live_stories = n + 1;  // Join / Copy never reach it; NewStory evicts one per article
  return options;
}

// The fill: N stories into `f`, each output handed to `keep`.
template <class Keep>
void fill_stories(filled& f, Keep&& keep) {
  f.ids.resize(f.n);
  for (std::size_t k = 0; k < f.n; ++k) {
    const std::size_t live = f.stage.live_stories();
    article a = make_article(k, k, f.serial, f.next_time());
    ++f.serial;
    keep(f.stage.process(a));
    if (f.stage.live_stories() != live + 1) ++f.misplaced;
    f.ids[k] = std::move(a.story_id);
    if (k % k_second_every == 0) {
      article b = make_article(k + 1, k, f.serial, f.next_time());
      ++f.serial;
      keep(f.stage.process(b));
      if (b.story_id != f.ids[k]) ++f.misplaced;
    }
  }
}

std::unique_ptr<filled> fill(std::size_t n) {
  const std::size_t before = resident_bytes();
  auto f = std::make_unique<filled>(n, options_for(n));
  const auto start = std::chrono::steady_clock::now();
  fill_stories(*f, [](std::vector<output_record>&& out) { benchmark::DoNotOptimize(out.data()); });
  f->fill_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::size_t after = resident_bytes();
  f->rss_growth = after > before ? after - before : 0;
  f->huge_pages = huge_page_share();
  f->approximate = f->stage.approximate_bytes();
  f->live = f->stage.live_stories();
  f->known.insert(f->ids.begin(), f->ids.end());
  f->order.resize(n);
  std::iota(f->order.begin(), f->order.end(), std::size_t{0});
  std::shuffle(f->order.begin(), f->order.end(), f->rng);
  f->next_story = n;
  return f;
}

std::unique_ptr<filled> cache;  // one filled stage at a time (100k stories hold a few GB)

filled& filled_for(std::size_t n) {
  if (!cache || cache->n != n) {
    cache.reset();  // one filled stage at a time (100k stories hold a few GB)
    bases();        // the chain and its NER model: loaded, and gone, before the memory reading
    cache = fill(n);
  }
  return *cache;
}

void run(benchmark::State& state, variant v) {
  filled& f = filled_for(static_cast<std::size_t>(state.range(0)));
  const std::size_t n = f.n;

  std::vector<article> batch;
  std::vector<std::string> expected;
  batch.reserve(k_batch);
  expected.reserve(k_batch);
  std::size_t as_expected = 0, duplicates = 0, out_bytes = 0;
  double prepare_seconds = 0;
  long faults = 0;
  std::uint64_t allocated = 0;
  if (!cold_heap()) pregrow_heap(static_cast<std::size_t>(state.max_iterations) * k_batch * 48 * 1024);
  for (auto _ : state) {
    state.PauseTiming();
    batch.clear();
    expected.clear();
    for (std::size_t i = 0; i < k_batch; ++i) {
      const std::int64_t t = f.next_time();
      if (v == variant::new_story) {
        const std::uint64_t k = f.next_story++;
        batch.push_back(make_article(k, k, f.serial, t));
        expected.emplace_back();
      } else {
        const std::size_t k = f.order[f.cursor++ % n];
        // Join: a sample the story holds none of (k%5 and (k+1)%5 are taken); Copy: its first.
        const std::size_t base = v == variant::join ? k + 2 + f.rng() % 3 : k;
        batch.push_back(make_article(base, k, f.serial, t));
        expected.push_back(f.ids[k]);
      }
      ++f.serial;
    }
    // What the daemon does on its thread pool before the strand (not timed as the stage's cost).
    const auto prepare_start = std::chrono::steady_clock::now();
    for (auto& a : batch) a.cluster_input = cluster_stage::prepare(a);
    prepare_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - prepare_start).count();
    state.ResumeTiming();
    const long faults_before = minor_faults();
    const std::uint64_t allocations_before = allocations.load(std::memory_order_relaxed);
    CALLGRIND_TOGGLE_COLLECT;
    for (auto& a : batch) {
      auto out = f.stage.process(a);
      benchmark::DoNotOptimize(out.data());
      for (const auto& r : out) out_bytes += r.value.size();
    }
    CALLGRIND_TOGGLE_COLLECT;
    allocated += allocations.load(std::memory_order_relaxed) - allocations_before;
    faults += minor_faults() - faults_before;
    state.PauseTiming();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const article& a = batch[i];
      if (a.duplicate_of) ++duplicates;
      if (v == variant::new_story ? f.known.insert(a.story_id).second : a.story_id == expected[i]) ++as_expected;
    }
    state.ResumeTiming();
  }

  using benchmark::Counter;
  const double timed = static_cast<double>(state.iterations()) * static_cast<double>(k_batch);
  state.SetItemsProcessed(static_cast<std::int64_t>(timed));
  state.counters["per_article"] = Counter(timed, Counter::kIsRate | Counter::kInvert);
  state.counters["prepare"] = prepare_seconds / timed;
  state.counters["live_stories"] = static_cast<double>(f.live);
  state.counters["bytes_per_story"] = static_cast<double>(f.approximate) / static_cast<double>(std::max<std::size_t>(f.live, 1));
  state.counters["huge_pages"] = f.huge_pages;
  state.counters["rss_per_story"] = static_cast<double>(f.rss_growth) / static_cast<double>(std::max<std::size_t>(n, 1));
  state.counters["fill_s"] = f.fill_seconds;
  state.counters["fill_misplaced"] = static_cast<double>(f.misplaced);
  state.counters["out_bytes"] = static_cast<double>(out_bytes) / timed;
  state.counters["as_expected"] = static_cast<double>(as_expected) / timed;
  state.counters["duplicates"] = static_cast<double>(duplicates) / timed;
  state.counters["allocations"] = static_cast<double>(allocated) / timed;
  state.counters["page_faults"] = static_cast<double>(faults) / timed;
  state.counters["heap_pregrown"] = cold_heap() ? 0 : 1;
}

// Restore: the changelog of a stage filled as above (N stories), as compaction leaves it (the
// latest value of each key, in the order they were written; deletes gone), read back into a fresh
// stage: what `wirefeed run` does at start-up (daemon/changelog_restore.cc, less Kafka). Timed:
// restore() of every record and finish_restore(). Counters: restored stories, changelog_mb,
// mb_per_s.
void run_restore(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  cache.reset();
  bases();
  std::vector<std::pair<std::string, std::string>> records;
  {
    std::unordered_map<std::string, std::size_t> latest;  // key -> its record in `records`
    std::vector<bool> live;
    filled f(n, options_for(n));
    fill_stories(f, [&](std::vector<output_record>&& out) {
      for (auto& r : out) {
        if (r.kind != output_kind::changelog) continue;
        if (auto it = latest.find(r.key); it != latest.end()) {
          live[it->second] = false;
          latest.erase(it);
        }
        if (r.tombstone) continue;
        latest[r.key] = records.size();
        live.push_back(true);
        records.emplace_back(r.key, std::move(r.value));
      }
    });
    std::size_t kept = 0;
    for (std::size_t i = 0; i < records.size(); ++i) {
      if (!live[i]) continue;
      if (kept != i) records[kept] = std::move(records[i]);
      ++kept;
    }
    records.resize(kept);
  }
  std::size_t bytes = 0;
  for (const auto& [key, value] : records) bytes += key.size() + value.size();

  std::size_t stories = 0;
  for (auto _ : state) {
    auto fresh = std::make_unique<cluster_stage>(options_for(n));
    for (const auto& [key, value] : records) {
      if (auto restored = fresh->restore(key, value); !restored) {
        std::cerr << "restore of " << key << ": " << restored.error().message << "\n";
        state.SkipWithError("a changelog record did not restore");
        return;
      }
    }
    fresh->finish_restore();
    stories = fresh->live_stories();
    state.PauseTiming();
    fresh.reset();
    state.ResumeTiming();
  }
  const double mb = static_cast<double>(bytes) / 1e6;
  state.counters["stories"] = static_cast<double>(stories);
  state.counters["changelog_mb"] = mb;
  state.counters["mb_per_s"] = benchmark::Counter(mb * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// Microseconds per page to touch `bytes` of freshly mapped anonymous memory, one write per page.
double touch_us_per_page(std::size_t bytes) {
  void* mapped = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED) return 0;
  auto* p = static_cast<char*>(mapped);
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < bytes; i += 4096) p[i] = 1;
  benchmark::DoNotOptimize(p);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  munmap(mapped, bytes);
  return seconds * 1e6 / static_cast<double>(bytes / 4096);
}

void run_first_touch(benchmark::State& state) {
  constexpr std::size_t bytes = std::size_t{256} << 20;
  double fresh = 0, reused = 0;
  for (auto _ : state) {
    fresh = touch_us_per_page(bytes);
    reused = touch_us_per_page(bytes);
  }
  state.counters["fresh_us_per_page"] = fresh;
  state.counters["reused_us_per_page"] = reused;
}

void run_learned_checkpoint(benchmark::State& state) {
  boilerplate_learner learner({});
  keyword_ranker ranker({});
  std::mt19937_64 random(11);
  std::vector<std::uint32_t> words(8 * 4096);
  for (std::size_t from = 0; from < learner.capacity(); from += 4096) {
    for (std::size_t i = 0; i < words.size(); ++i) words[i] = static_cast<std::uint32_t>(random()) | (i % 8 == 0);  // key != 0
    learner.restore_slots(from, words, learner.capacity());
  }
  std::vector<std::uint64_t> terms(60);
  for (int a = 0; a < 20000; ++a) {
    for (auto& t : terms) t = random() % 200000;  // a vocabulary of 200,000 terms
    ranker.frequencies().add_document(terms);
  }
  double write_ms = 0, restore_ms = 0, mbytes = 0;
  for (auto _ : state) {
    std::vector<output_record> records;
    const auto t0 = std::chrono::steady_clock::now();
    write_learner_parts(learner, 20000, records);
    write_sketch_parts(ranker.frequencies(), 20000, keywords_key_prefix, records);
    const auto t1 = std::chrono::steady_clock::now();
    boilerplate_learner restored_learner({});
    keyword_ranker restored_ranker({});
    for (const auto& r : records) {
      if (r.key.starts_with(learner_key_prefix)) {
        if (const auto taken = restore_learner_part(restored_learner, r.value); !taken || *taken != part_restored::taken) {
          state.SkipWithError("a learner part did not restore");
        }
      } else if (auto part = parse_sketch_part(r.value, restored_ranker.frequencies().counters().size()); !part || !*part ||
                 !restore_sketch_part(restored_ranker.frequencies(), **part)) {
        state.SkipWithError("a keyword part did not restore");
      }
    }
    const auto t2 = std::chrono::steady_clock::now();
    write_ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
    restore_ms = std::chrono::duration<double, std::milli>(t2 - t1).count();
    mbytes = 0;
    for (const auto& r : records) mbytes += static_cast<double>(r.value.size()) / 1e6;
  }
  state.counters["write_ms"] = write_ms;
  state.counters["restore_ms"] = restore_ms;
  state.counters["mbytes"] = mbytes;
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::RegisterBenchmark("FirstTouch", run_first_touch)->Iterations(1)->Unit(benchmark::kMillisecond);
  struct family {
    const char* name;
    variant v;
  };
  // By N first, so each filled stage serves its three variants and is then dropped.
  for (const std::int64_t n : {1000, 10000, 100000}) {
    for (const family& fam : {family{"Join", variant::join}, family{"Copy", variant::copy},
                              family{"NewStory", variant::new_story}}) {
      const auto timed = std::min<std::size_t>(static_cast<std::size_t>(n) / 2, k_max_timed);
      benchmark::RegisterBenchmark(fam.name, [v = fam.v](benchmark::State& s) { run(s, v); })
          ->ArgName("stories")
          ->Arg(n)
          ->Iterations(static_cast<benchmark::IterationCount>(timed / k_batch))
          ->Unit(benchmark::kMicrosecond);
    }
  }
  for (const std::int64_t n : {1000, 10000, 100000}) {
    benchmark::RegisterBenchmark("Restore", run_restore)->ArgName("stories")->Arg(n)->Iterations(1)->Unit(benchmark::kMillisecond);
  }
  benchmark::RegisterBenchmark("LearnedCheckpoint", run_learned_checkpoint)->Iterations(5)->Unit(benchmark::kMillisecond);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
