#include <cstdio>

#include "daemon/commands.h"
#include "daemon/data_files.h"
#include "daemon/kafka_properties.h"
#include "daemon/startup_error.h"

namespace wirefeed::commands {

int check_config(const cfg::load_result& loaded, bool print) {
  auto errors = loaded.errors;
  // What `run` refuses at start-up besides the keys: what librdkafka rejects of kafka.consumer /
  // kafka.producer (an unknown property, a bad value, `acks` against `enable.idempotence`), and
  // the data files the stages load (the NER model, the lexicons).
  for (auto& e : kafka::client_config_errors(loaded.cfg)) errors.push_back(std::move(e));
  if (errors.empty()) {
    try {
      probe quiet;
      make_chain(loaded.cfg, quiet);
    } catch (const usage_error& e) {
      errors.push_back(e.what());
    }
  }
  if (!errors.empty()) {
    std::fprintf(stderr, "invalid configuration (%zu error%s):\n", errors.size(), errors.size() == 1 ? "" : "s");
    for (const auto& e : errors) std::fprintf(stderr, "  - %s\n", e.c_str());
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
