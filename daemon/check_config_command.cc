#include <cstdio>
#include <string>

#include "daemon/commands.h"
#include "daemon/data_files.h"
#include "daemon/kafka_properties.h"
#include "daemon/startup_error.h"

namespace wirefeed::commands {
namespace {

// The configuration as --print shows it: librdkafka's secrets (sasl.password, ssl.key.password,
// sasl.oauthbearer.client.secret, a private key in ssl.key.pem ...) masked, since the output
// goes to a terminal or a CI log. Printed back in, a masked value is no secret any more.
cfg::config with_secrets_masked(cfg::config c) {
  for (auto* properties : {&c.kafka.consumer, &c.kafka.producer}) {
    for (auto& [name, value] : *properties) {
      if (kafka::is_secret_property(name)) value = "********";
    }
  }
  return c;
}

}  // namespace

int check_config(const cfg::load_result& loaded, bool print) {
  auto errors = loaded.errors;
  // What `run` refuses at start-up besides the keys: what librdkafka rejects of kafka.consumer /
  // kafka.producer (an unknown property, a bad value, `max.poll.interval.ms` against
  // `session.timeout.ms`), a revoke drain not below `max.poll.interval.ms`, and
  // the data files the stages load (the NER model, the lexicons).
  // Both once the keys are valid: a refused value may still be in the config (a learner capacity
  // far over its range would be allocated; a message size would be refused again as the fetch
  // size wirefeed derives from it). The stages load their files in order, so of two that fail,
  // the first is named.
  if (loaded.errors.empty()) {
    for (auto& e : kafka::client_config_errors(loaded.cfg)) errors.push_back(std::move(e));
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
    std::fputs(cfg::to_yaml(with_secrets_masked(loaded.cfg)).c_str(), stdout);
  } else {
    std::puts("configuration OK");
  }
  return exit_ok;
}

}  // namespace wirefeed::commands
