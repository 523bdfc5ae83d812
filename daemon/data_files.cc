#include "daemon/data_files.h"

#include <filesystem>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "daemon/startup_error.h"

namespace wirefeed {

namespace {

namespace fs = std::filesystem;

// Where find_data_file looks for `name`, in order.
std::vector<fs::path> places(const std::string& name) {
  std::vector<fs::path> out{name};
  if (fs::path(name).is_absolute()) return out;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) out.push_back(exe.parent_path().parent_path() / "share" / "wirefeed" / name);
  out.push_back(fs::path(WIREFEED_SOURCE_DIR) / name);
  return out;
}

}  // namespace

std::string find_data_file(const std::string& name) {
  std::error_code ec;
  for (const fs::path& p : places(name)) {
    if (fs::exists(p, ec)) return p == fs::path(name) ? name : p.string();
  }
  return name;
}

std::string data_file_places(const std::string& name) {
  std::error_code ec;
  const fs::path cwd = fs::current_path(ec);
  std::string out;
  for (const fs::path& p : places(name)) {
    out += out.empty() ? "" : ", ";
    out += p.is_absolute() ? p.string() : (cwd / p).string();
  }
  return out;
}

cfg::config with_data_files(cfg::config config) {
  config.extract.ner_model = find_data_file(config.extract.ner_model);
  return config;
}

std::unique_ptr<chain> make_chain(const cfg::config& config, probe& p) {
  try {
    return std::make_unique<chain>(with_data_files(config), p);
  } catch (const std::runtime_error& e) {  // chain.h: a stage that cannot be built
    // A data file found nowhere: where it was looked for.
    const std::string& model = config.extract.ner_model;
    std::string why = e.what();
    std::error_code ec;
    if (!fs::path(model).is_absolute() && why.find(model) != std::string::npos && !fs::exists(find_data_file(model), ec)) {
      why += " (looked for " + model + " at " + data_file_places(model) + ")";
    }
    throw usage_error(why);
  }
}

}  // namespace wirefeed
