#include <cstdio>

#include "daemon/commands.h"
#include "daemon/kafka_client.h"
#include "daemon/kafka_properties.h"

namespace wirefeed::commands {

int check_config(const cfg::load_result& loaded, bool print) {
  auto errors = loaded.errors;
  // What librdkafka rejects of kafka.consumer / kafka.producer (an unknown property, a bad value),
  // which `run` and `replay` would otherwise only find when they start.
  for (const auto& e : kafka::make_conf({kafka::consumer_properties(loaded.cfg)}).errors) {
    errors.push_back("kafka.consumer: " + e);
  }
  for (const auto& e : kafka::make_conf({kafka::producer_properties(loaded.cfg)}).errors) {
    errors.push_back("kafka.producer: " + e);
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
