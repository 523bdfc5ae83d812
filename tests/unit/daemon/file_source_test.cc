// `wirefeed process`'s input: every path checked before anything is read, a bad one named.
#include "daemon/file_source.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "daemon/startup_error.h"

namespace wirefeed {
namespace {

std::filesystem::path scratch() {
  const auto dir = std::filesystem::temp_directory_path() / ("file_source_test." + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

std::string start_error(std::vector<std::string> paths) {
  try {
    file_source source(std::move(paths));
  } catch (const startup_error& e) {
    return e.what();
  }
  return "";
}

TEST(FileSourceTest, ADirectoryOrAMissingFileIsNamedBeforeAnythingIsRead) {
  const auto dir = scratch();
  const auto good = dir / "a.ndjson";
  std::ofstream(good) << "{\"body\":\"one\"}\n{\"body\":\"two\"}\n";
  const std::string error = start_error({good.string(), dir.string(), (dir / "missing.txt").string()});
  EXPECT_NE(error.find(dir.string() + " (a directory: name its files)"), std::string::npos) << error;
  EXPECT_NE(error.find((dir / "missing.txt").string()), std::string::npos) << error;
  EXPECT_EQ(error.find(good.string() + "\n"), std::string::npos) << error;

  EXPECT_EQ(start_error({good.string()}), "");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace wirefeed
