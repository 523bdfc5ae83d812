#include "daemon/data_files.h"

#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "daemon/startup_error.h"

namespace wirefeed {

std::string find_data_file(const std::string& name) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(name, ec)) return name;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path().parent_path() / "share" / "wirefeed" / name;
    if (fs::exists(installed, ec)) return installed.string();
  }
  const fs::path source = fs::path(WIREFEED_SOURCE_DIR) / name;
  if (fs::exists(source, ec)) return source.string();
  return name;
}

cfg::config with_data_files(cfg::config config) {
  config.extract.ner_model = find_data_file(config.extract.ner_model);
  return config;
}

std::unique_ptr<chain> make_chain(const cfg::config& config, probe& p) {
  try {
    return std::make_unique<chain>(with_data_files(config), p);
  } catch (const std::runtime_error& e) {  // chain.h: a stage that cannot be built
    throw usage_error(e.what());
  }
}

}  // namespace wirefeed
