#pragma once

// Golden files: whole-pipeline output reviewed by hand and compared byte for byte.
//
//   compare_golden(path, actual)  - fails with a diff hint when `actual` differs from the file;
//                                   with WIREFEED_UPDATE_GOLDEN=1 in the environment it writes
//                                   `actual` to the file instead (then review `git diff`).
//   pretty_json(value)            - stable, readable JSON: one key per line, arrays of scalars
//                                   (or of arrays of scalars: spans) on one line, keys in the
//                                   order the encoder wrote them.
//   sample_feed()                 - samples/feed/*.txt, sorted, as (seed, text) pairs.

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace wirefeed::testing {

inline std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline bool updating_golden() {
  const char* v = std::getenv("WIREFEED_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

inline void compare_golden(const std::filesystem::path& path, const std::string& actual) {
  if (updating_golden()) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(path)) << path << " is missing: run with WIREFEED_UPDATE_GOLDEN=1 and review it";
  const std::string expected = read_text_file(path);
  if (expected == actual) return;
  std::istringstream e(expected), a(actual);
  std::string el, al;
  int line = 1;
  while (std::getline(e, el) && std::getline(a, al) && el == al) ++line;
  ADD_FAILURE() << path << " differs from the output at line " << line << ":\n  golden: " << el << "\n  actual: " << al
                << "\nIf the change is intended, re-run with WIREFEED_UPDATE_GOLDEN=1 and review the diff.";
}

inline void pretty_json(const boost::json::value& v, std::string& out, int indent) {
  const auto scalar = [](const boost::json::value& x) { return !x.is_object() && !x.is_array(); };
  const std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
  const std::string inner(static_cast<std::size_t>(indent + 1) * 2, ' ');
  if (v.is_object()) {
    const auto& o = v.as_object();
    if (o.empty()) {
      out += "{}";
      return;
    }
    out += "{\n";
    std::size_t i = 0;
    for (const auto& kv : o) {
      out += inner + boost::json::serialize(boost::json::value(kv.key())) + ": ";
      pretty_json(kv.value(), out, indent + 1);
      out += ++i < o.size() ? ",\n" : "\n";
    }
    out += pad + "}";
  } else if (v.is_array()) {
    const auto& a = v.as_array();
    const auto flat = [&](const boost::json::value& x) {
      return scalar(x) || (x.is_array() && std::all_of(x.as_array().begin(), x.as_array().end(), scalar));
    };
    if (a.empty() || std::all_of(a.begin(), a.end(), flat)) {
      out += boost::json::serialize(v);
      return;
    }
    out += "[\n";
    for (std::size_t i = 0; i < a.size(); ++i) {
      out += inner;
      pretty_json(a[i], out, indent + 1);
      out += i + 1 < a.size() ? ",\n" : "\n";
    }
    out += pad + "]";
  } else {
    out += boost::json::serialize(v);
  }
}

inline std::string pretty_json(const boost::json::value& v) {
  std::string out;
  pretty_json(v, out, 0);
  out += '\n';
  return out;
}

inline std::vector<std::pair<std::string, std::string>> sample_feed() {
  std::vector<std::filesystem::path> paths;
  for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(WIREFEED_SOURCE_DIR) / "samples/feed")) {
    if (e.path().extension() == ".txt") paths.push_back(e.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& p : paths) out.emplace_back(p.stem().string(), read_text_file(p));
  return out;
}

}  // namespace wirefeed::testing
