#include <cstdio>

#include "daemon/commands.h"

namespace wirefeed::commands {

int check_config(const cfg::load_result& loaded, bool print) {
  if (!loaded.ok()) {
    std::fprintf(stderr, "invalid configuration (%zu error%s):\n", loaded.errors.size(),
                 loaded.errors.size() == 1 ? "" : "s");
    for (const auto& e : loaded.errors) std::fprintf(stderr, "  - %s\n", e.c_str());
    return exit_bad_config;
  }
  if (print) {
    std::fputs(cfg::to_yaml(loaded.cfg).c_str(), stdout);
  } else {
    std::puts("configuration OK");
  }
  return exit_ok;
}

}  // namespace wirefeed::commands
