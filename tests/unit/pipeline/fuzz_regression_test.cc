// Replays every saved fuzz input (tests/fuzz/regressions/<target>/*) through its target's code.
// A crash here is a crash the fuzzer once found coming back.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "tests/fuzz/fuzz_targets.h"

#ifndef WIREFEED_SOURCE_DIR
#define WIREFEED_SOURCE_DIR "."
#endif

namespace wirefeed {
namespace {

namespace fs = std::filesystem;

// Replays every file of regressions/<target> through `run`; returns how many there were.
template <class Run>
std::size_t replay(const fs::path& dir, Run run) {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (!e.is_regular_file() || e.path().filename() == "README.md") continue;
    std::ifstream in(e.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    SCOPED_TRACE(e.path().string());
    run(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    ++n;
  }
  return n;
}

// Every directory of regressions/ is a target's, and every input in it is replayed: a missing
// root or a directory of no known target fails rather than replaying nothing.
TEST(FuzzRegressionTest, EverySavedInputStillPassesItsTarget) {
  const fs::path root = fs::path(WIREFEED_SOURCE_DIR) / "tests/fuzz/regressions";
  ASSERT_TRUE(fs::is_directory(root)) << root;
  std::size_t replayed = 0;
  for (const auto& target : fs::directory_iterator(root)) {
    if (!target.is_directory()) continue;
    const std::string name = target.path().filename().string();
    SCOPED_TRACE(name);
    if (name == "decode") replayed += replay(target.path(), fuzz::run_decode);
    else if (name == "html") replayed += replay(target.path(), fuzz::run_html);
    else if (name == "normalize") replayed += replay(target.path(), fuzz::run_normalize);
    else if (name == "extract") replayed += replay(target.path(), fuzz::run_extract);
    else if (name == "chain") replayed += replay(target.path(), fuzz::run_chain);
    else ADD_FAILURE() << "regressions/" << name << " is no fuzz target's";
  }
  EXPECT_GE(replayed, 2u);  // the two chain inputs saved so far, at least
}

TEST(FuzzRegressionTest, TargetsSurviveEdgeInputs) {
  for (const std::string& s : {std::string(), std::string(1, '\0'), std::string("\x01{"), std::string("\x03<p>&#"),
                              std::string("\x02 date 2022-02-08"), std::string("\x00\xff\xfe", 3),
                              std::string("\x02") + std::string(5000, '.'), std::string("\x03<figcaption><figcaption>x"),
                              std::string("\x08{"), std::string("\x08{\"handoff\":1,\"uri\":\"u\"}"),
                              std::string("\x18story-1\t{\"id\":1}\nfingerprint:u\t[]\nstory-1\n")}) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
    fuzz::run_decode(p, s.size());
    fuzz::run_html(p, s.size());
    fuzz::run_normalize(p, s.size());
    fuzz::run_extract(p, s.size());
    fuzz::run_chain(p, s.size());
  }
}

}  // namespace
}  // namespace wirefeed
