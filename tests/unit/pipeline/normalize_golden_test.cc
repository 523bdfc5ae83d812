// Golden files: each article of the sample feed (samples/feed/*.txt) through decode, normalize
// and encode, compared with tests/golden/normalize/<name>.json: the enriched JSON, pretty-printed,
// restricted to the fields decode and normalize fill (the extract and cluster stages have golden
// files of their own, so a change there does not touch these).
// The files are reviewed by hand like code: every boilerplate line removed, no real sentence
// removed, dateline and dates right.
//
// To regenerate after an intended change: WIREFEED_UPDATE_GOLDEN=1 ctest -R NormalizeGolden, then
// read `git diff tests/golden/normalize/`.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "golden_support.h"
#include "normalize_test_support.h"
#include "pipeline/encode.h"

#ifndef WIREFEED_SOURCE_DIR
#define WIREFEED_SOURCE_DIR "."
#endif

namespace wirefeed {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

using testing::k_record_time;
using testing::k_source;
using testing::pretty;
using testing::read_file;
using testing::sample_feed;

// The fields of the enriched JSON that decode and normalize own, in output order.
json::value normalize_fields(const json::value& all) {
  static const std::vector<std::string_view> top{"uri", "versioncreated", "firstcreated", "language", "headlines",
                                                 "bodies", "by", "located", "altids"};
  static const std::vector<std::string_view> wirefeed{"source", "format", "uri_from_content", "publisher", "url",
                                                      "published_source", "published_raw", "dateline",
                                                      "language_source", "language_detected", "removed", "sentences"};
  const auto pick = [](const json::object& from, const std::vector<std::string_view>& keys) {
    json::object out;
    for (auto k : keys) {
      if (const auto* v = from.if_contains(k)) out[k] = *v;
    }
    return out;
  };
  json::object out = pick(all.as_object(), top);
  out["wirefeed"] = pick(all.at("wirefeed").as_object(), wirefeed);
  return out;
}

class NormalizeGoldenTest : public ::testing::TestWithParam<fs::path> {};

TEST_P(NormalizeGoldenTest, EnrichedJsonMatchesTheReviewedGoldenFile) {
  const fs::path input = GetParam();
  const fs::path golden = k_source / "tests/golden/normalize" / (input.stem().string() + ".json");
  input_record r = testing::raw_record(read_file(input), k_record_time);
  auto a = testing::decode_and_normalize(r);
  ASSERT_TRUE(a.ok()) << a.error().message;
  const json::value actual = normalize_fields(json::parse(encode_enriched(*a).value));

  const char* update = std::getenv("WIREFEED_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    fs::create_directories(golden.parent_path());
    std::ofstream out(golden, std::ios::binary);
    pretty(out, actual, 0);
    out << '\n';
    GTEST_SKIP() << "rewrote " << golden << ": review the diff";
  }
  ASSERT_TRUE(fs::exists(golden)) << golden << " is missing; create it with WIREFEED_UPDATE_GOLDEN=1";
  const json::value expected = json::parse(read_file(golden));
  if (actual != expected) {
    std::ostringstream got;
    pretty(got, actual, 0);
    FAIL() << "differs from " << golden << " (WIREFEED_UPDATE_GOLDEN=1 rewrites it); got:\n" << got.str();
  }
}

INSTANTIATE_TEST_SUITE_P(SampleFeed, NormalizeGoldenTest, ::testing::ValuesIn(sample_feed()),
                         [](const ::testing::TestParamInfo<fs::path>& info) {
                           std::string name = "seed_" + info.param.stem().string();
                           std::replace_if(name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
                           return name;
                         });

TEST(NormalizeGoldenFeed, HasTheFiveSampleArticles) { EXPECT_EQ(sample_feed().size(), 5u); }

}  // namespace
}  // namespace wirefeed
