// Golden files: each article of the sample feed (samples/feed/*.txt) through decode, normalize
// and encode, compared with tests/golden/normalize/<name>.json (the enriched JSON, pretty-printed).
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

#include "normalize_test_support.h"
#include "pipeline/encode.h"

#ifndef WIREFEED_SOURCE_DIR
#define WIREFEED_SOURCE_DIR "."
#endif

namespace wirefeed {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

const fs::path k_source{WIREFEED_SOURCE_DIR};
constexpr std::int64_t k_record_time = 1644220800000;  // 2022-02-07T08:00:00Z: as if consumed that morning

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Stable, diff-friendly JSON: two-space indent, keys in the order encode writes them, short
// arrays of numbers (sentence spans) on one line.
void pretty(std::ostream& os, const json::value& v, int indent) {
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  switch (v.kind()) {
    case json::kind::object: {
      const auto& o = v.get_object();
      if (o.empty()) {
        os << "{}";
        return;
      }
      os << "{\n";
      std::size_t i = 0;
      for (const auto& kv : o) {
        os << pad << "  " << json::serialize(json::string(kv.key())) << ": ";
        pretty(os, kv.value(), indent + 2);
        os << (++i < o.size() ? ",\n" : "\n");
      }
      os << pad << "}";
      return;
    }
    case json::kind::array: {
      const auto& a = v.get_array();
      const bool flat = std::all_of(a.begin(), a.end(), [](const json::value& x) { return x.is_number(); });
      if (a.empty() || flat) {
        os << json::serialize(v);
        return;
      }
      os << "[\n";
      for (std::size_t i = 0; i < a.size(); ++i) {
        os << pad << "  ";
        pretty(os, a[i], indent + 2);
        os << (i + 1 < a.size() ? ",\n" : "\n");
      }
      os << pad << "]";
      return;
    }
    default: os << json::serialize(v);
  }
}

std::vector<fs::path> sample_feed() {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(k_source / "samples/feed", ec)) {
    if (e.path().extension() == ".txt") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class NormalizeGoldenTest : public ::testing::TestWithParam<fs::path> {};

TEST_P(NormalizeGoldenTest, EnrichedJsonMatchesTheReviewedGoldenFile) {
  const fs::path input = GetParam();
  const fs::path golden = k_source / "tests/golden/normalize" / (input.stem().string() + ".json");
  input_record r = testing::raw_record(read_file(input), k_record_time);
  auto a = testing::decode_and_normalize(r);
  ASSERT_TRUE(a.ok()) << a.error().message;
  const json::value actual = json::parse(encode_enriched(*a).value);

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
