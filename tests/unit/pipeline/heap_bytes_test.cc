// heap_bytes (pipeline/heap_bytes.h) against what the allocator hands out. Its own executable:
// it replaces the global operator new and delete to count the bytes live, which AddressSanitizer
// would not allow (it is skipped there).
#include <malloc.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "golden_support.h"
#include "pipeline/chain.h"

// GCC says AddressSanitizer is on with __SANITIZE_ADDRESS__, clang (scripts/fuzz.sh) with __has_feature.
#if defined(__SANITIZE_ADDRESS__)
#define WIREFEED_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WIREFEED_ASAN 1
#endif
#endif

#if !defined(WIREFEED_ASAN)
namespace {
// The bytes of the chunks operator new holds, as malloc rounds them (usable size + its 8-byte header).
std::atomic<std::int64_t> g_live{0};
}  // namespace

void* operator new(std::size_t n) {
  void* p = std::malloc(n == 0 ? 1 : n);
  if (!p) throw std::bad_alloc();
  g_live += static_cast<std::int64_t>(malloc_usable_size(p) + 8);
  return p;
}
void operator delete(void* p) noexcept {
  if (!p) return;
  g_live -= static_cast<std::int64_t>(malloc_usable_size(p) + 8);
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept { operator delete(p); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return operator new(n);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}
void operator delete(void* p, const std::nothrow_t&) noexcept { operator delete(p); }
#endif

namespace wirefeed {
namespace {

cfg::config config_for(cfg::pipeline_role role) {
  cfg::config c;
  c.extract.ner_model = WIREFEED_NER_MODEL;
  c.pipeline.role = role;
  return c;
}

std::vector<input_record> sample_records() {
  std::vector<input_record> records;
  for (const auto& file : testing::sample_feed()) {
    input_record r;
    r.tp = {"wire.raw", partition_id{0}};
    r.timestamp_ms = testing::k_record_time;
    r.value = testing::read_file(file);
    records.push_back(std::move(r));
  }
  return records;
}

// heap_bytes of what `stages.run_parallel` makes of each record, against the bytes the allocator
// holds for it (after a first pass, which loads lexicons and fills caches).
void expect_heap_bytes_is_what_is_held(const chain& stages, const std::vector<input_record>& records) {
#if defined(WIREFEED_ASAN)
  (void)stages;
  (void)records;
  GTEST_SKIP() << "AddressSanitizer's operator new cannot be replaced";
#else
  for (const auto& r : records) (void)stages.run_parallel(r);
  for (const auto& r : records) {
    const auto before = g_live.load();
    auto processed = stages.run_parallel(r);
    const auto held = static_cast<double>(g_live.load() - before);
    ASSERT_TRUE(processed);
    const auto estimate = static_cast<double>(heap_bytes(*processed));
    EXPECT_GT(held, 10000.0) << r.value.substr(0, 60);
    EXPECT_NEAR(estimate / held, 1.0, 0.02) << r.value.substr(0, 60) << ": " << estimate << " of " << held;
  }
#endif
}

// The engine charges the work in flight what the articles waiting for the ordered strand hold
// (engine_options::max_in_flight_bytes): heap_bytes of a processed article must be what the
// allocator holds for it. A field that holds memory and is left out of heap_bytes shows here.
TEST(HeapBytesTest, AProcessedArticleHoldsWhatHeapBytesSays) {
  probe p;
  chain stages(config_for(cfg::pipeline_role::all), p);
  expect_heap_bytes_is_what_is_held(stages, sample_records());
}

// In the cluster role the article waiting for the strand is a decoded hand-off, which carries the
// enriched document the extract role wrote (article::unclustered).
TEST(HeapBytesTest, ADecodedHandOffHoldsWhatHeapBytesSays) {
  probe p;
  chain extract(config_for(cfg::pipeline_role::extract), p);
  chain cluster(config_for(cfg::pipeline_role::cluster), p);
  std::vector<input_record> handoffs;
  for (const auto& r : sample_records()) {
    auto outputs = extract.run_ordered(r, extract.run_parallel(r), testing::k_record_time);
    ASSERT_EQ(outputs.size(), 1u);
    ASSERT_EQ(outputs[0].kind, output_kind::extracted) << outputs[0].value;
    input_record h;
    h.tp = {"wire.extracted", partition_id{0}};
    h.timestamp_ms = r.timestamp_ms;
    h.key = outputs[0].key;
    h.value = std::move(outputs[0].value);
    handoffs.push_back(std::move(h));
  }
  expect_heap_bytes_is_what_is_held(cluster, handoffs);
}

}  // namespace
}  // namespace wirefeed
