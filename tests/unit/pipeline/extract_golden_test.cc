// Golden files of the extract stage: the sample feed (samples/feed/*.txt) through the whole chain,
// compared with tests/golden/extract/<name>.json.
//
// The five articles go through one chain in order (decode, normalize, extract, then the ordered
// half: boilerplate learner, keyword ranker), as one input partition consumed at k_record_time
// (the publication time of the articles that give none). The golden file holds the extract
// stage's part of the enriched JSON only: ninjs people / organisations / places and
// wirefeed.entities / quotes / figures / dates / keywords / fingerprint (normalize has golden files
// of its own). Reviewed by hand: the Peskov quote attributed to Dmitry Peskov in every article
// that carries it, the troop figures, Macron canonicalised with his role...
//
// To regenerate after an intended change: WIREFEED_UPDATE_GOLDEN=1 ctest -R ExtractGolden, then
// read `git diff tests/golden/extract/`.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "golden_support.h"
#include "pipeline/chain.h"

namespace wirefeed {
namespace {

namespace json = boost::json;
using testing::k_record_time;
using testing::k_source;

json::value extract_fields(const json::value& all) {
  json::object out;
  out["uri"] = all.at("uri");
  for (const char* key : {"people", "organisations", "places"}) out[key] = all.at(key);
  const auto& wf = all.at("wirefeed").as_object();
  json::object extras;
  for (const char* key : {"entities", "quotes", "figures", "dates", "keywords", "fingerprint"}) {
    extras[key] = wf.at(key);
  }
  out["wirefeed"] = std::move(extras);
  return out;
}

TEST(ExtractGoldenTest, SampleFeedMatchesTheReviewedGoldenFiles) {
  cfg::config config;
  config.extract.ner_model = WIREFEED_NER_MODEL;
  probe p;
  chain stages(config, p);
  const auto feed = testing::sample_feed();
  ASSERT_EQ(feed.size(), 5u);
  std::int64_t offset = 0;
  for (const auto& input : feed) {
    SCOPED_TRACE(input.string());
    input_record r;
    r.tp = {"wire.raw", partition_id{0}};
    r.off = wirefeed::offset{offset++};
    r.timestamp_ms = k_record_time;
    r.value = testing::read_file(input);
    auto processed = stages.run_parallel(r);
    ASSERT_TRUE(processed.ok()) << processed.error().message;
    const auto out = stages.run_ordered(r, std::move(processed), k_record_time);
    ASSERT_FALSE(out.empty());
    ASSERT_EQ(out[0].kind, output_kind::enriched);
    const json::value actual = extract_fields(json::parse(out[0].value));

    const auto golden = k_source / "tests/golden/extract" / (input.stem().string() + ".json");
    if (testing::updating_golden()) {
      std::filesystem::create_directories(golden.parent_path());
      std::ofstream(golden, std::ios::binary) << testing::pretty_text(actual);
      continue;
    }
    ASSERT_TRUE(std::filesystem::exists(golden)) << golden << " is missing; create it with WIREFEED_UPDATE_GOLDEN=1";
    if (actual != json::parse(testing::read_file(golden))) {
      ADD_FAILURE() << "differs from " << golden << " (WIREFEED_UPDATE_GOLDEN=1 rewrites it); got:\n"
                    << testing::pretty_text(actual);
    }
  }
  if (testing::updating_golden()) GTEST_SKIP() << "rewrote tests/golden/extract/: review the diff";
}

}  // namespace
}  // namespace wirefeed
