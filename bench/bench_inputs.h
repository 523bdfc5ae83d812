#pragma once

// What the benchmarks read: the environment, the sample feed, an NDJSON corpus, `--ecbplus=`.
// Sources are found through WIREFEED_SOURCE_DIR (a compile definition, overridable by the
// environment variable of the same name).

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#ifndef WIREFEED_SOURCE_DIR
#define WIREFEED_SOURCE_DIR "."
#endif

namespace wirefeed::bench {

inline std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

inline std::string source_dir() { return env_or("WIREFEED_SOURCE_DIR", WIREFEED_SOURCE_DIR); }

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The sample feed's articles (samples/feed/*.txt), in file-name order; none if the folder is missing.
inline std::vector<std::string> sample_feed_texts() {
  std::vector<std::filesystem::path> paths;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(source_dir() + "/samples/feed", ec)) {
    if (e.path().extension() == ".txt") paths.push_back(e.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> texts;
  for (const auto& p : paths) texts.push_back(read_file(p));
  return texts;
}

// The non-empty lines of an NDJSON file.
inline std::vector<std::string> ndjson_lines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path, std::ios::binary);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(std::move(line));
  }
  return lines;
}

// main() of a benchmark that also takes `--ecbplus=PATH` (else WIREFEED_ECBPLUS) into `ecbplus_path`.
inline int run_benchmarks(int argc, char** argv, std::string& ecbplus_path) {
  ecbplus_path = env_or("WIREFEED_ECBPLUS", "");
  std::vector<char*> rest;
  constexpr std::string_view flag = "--ecbplus=";
  for (int i = 0; i < argc; ++i) {
    if (std::string_view(argv[i]).starts_with(flag)) {
      ecbplus_path = argv[i] + flag.size();
    } else {
      rest.push_back(argv[i]);
    }
  }
  int rest_argc = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_argc, rest.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace wirefeed::bench
