#pragma once

// Golden-file helpers shared by the golden tests (normalize_golden_test.cc, extract_golden_test.cc):
// the sample feed, the record time its articles are consumed at, and a stable pretty-printer.
// Convention: WIREFEED_UPDATE_GOLDEN=1 rewrites the golden files (the test is then skipped) and
// the diff is reviewed by hand like code; otherwise the output must equal the file as JSON.

#include <boost/json.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#ifndef WIREFEED_SOURCE_DIR
#define WIREFEED_SOURCE_DIR "."
#endif

namespace wirefeed::testing {

namespace fs = std::filesystem;
namespace json = boost::json;

inline const fs::path k_source{WIREFEED_SOURCE_DIR};
inline constexpr std::int64_t k_record_time = 1644220800000;  // 2022-02-07T08:00:00Z: as if consumed that morning

inline std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Stable, diff-friendly JSON: two-space indent, keys in the order encode writes them, short
// arrays of numbers (sentence spans) on one line.
inline void pretty(std::ostream& os, const json::value& v, int indent) {
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

// samples/feed/*.txt, sorted.
inline std::vector<fs::path> sample_feed() {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(k_source / "samples/feed", ec)) {
    if (e.path().extension() == ".txt") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

inline bool updating_golden() {
  const char* update = std::getenv("WIREFEED_UPDATE_GOLDEN");
  return update != nullptr && std::string(update) == "1";
}

inline std::string pretty_text(const json::value& v) {
  std::ostringstream out;
  pretty(out, v, 0);
  out << '\n';
  return out.str();
}

}  // namespace wirefeed::testing
