// The extract stage's output on the sample feed, against tests/golden/extract/<seed>.json.
//
// The five seed articles go through the whole chain in order (decode, normalize, extract, then the
// ordered half: boilerplate learner, keyword ranker), as one input partition whose records carry
// the timestamp 2022-02-07T08:00:00Z (the publication time of articles that give none). The golden
// file holds the extract stage's part of the enriched JSON only: ninjs people / organisations /
// places and wirefeed.entities / quotes / figures / dates / keywords / fingerprint, so a change
// in normalize shows up here only when it changes what extract finds.
//
// Update: WIREFEED_UPDATE_GOLDEN=1 ctest -R ExtractGolden, then review the diff by hand.

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "golden_support.h"
#include "pipeline/chain.h"

namespace wirefeed {
namespace {

boost::json::object extract_part(const std::string& enriched) {
  const auto v = boost::json::parse(enriched).as_object();
  boost::json::object out;
  out["uri"] = v.at("uri");
  for (const char* key : {"people", "organisations", "places"}) out[key] = v.at(key);
  const auto& wf = v.at("wirefeed").as_object();
  boost::json::object extras;
  for (const char* key : {"entities", "quotes", "figures", "dates", "keywords", "fingerprint"}) extras[key] = wf.at(key);
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
  for (const auto& [seed, text] : feed) {
    input_record r;
    r.tp = {"golden", partition_id{0}};
    r.off = wirefeed::offset{offset++};
    r.timestamp_ms = 1644220800000;  // 2022-02-07T08:00:00Z
    r.value = text;
    auto processed = stages.run_parallel(r);
    ASSERT_TRUE(processed.ok()) << seed << ": " << processed.error().message;
    const auto out = stages.run_ordered(r, std::move(processed), 1644220800000);
    ASSERT_FALSE(out.empty());
    ASSERT_EQ(out[0].kind, output_kind::enriched) << seed;
    testing::compare_golden(std::filesystem::path(WIREFEED_SOURCE_DIR) / "tests/golden/extract" / (seed + ".json"),
                            testing::pretty_json(extract_part(out[0].value)));
  }
}

}  // namespace
}  // namespace wirefeed
