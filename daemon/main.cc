// wirefeed: parse the command line, load the config, hand over to a command.

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "config/config.h"
#include "daemon/commands.h"
#include "daemon/kafka_properties.h"
#include "daemon/kafka_source.h"
#include "daemon/standard_streams.h"
#include "daemon/startup_error.h"

namespace {

// Loads the config and sets the log level, or prints every error and returns nothing.
std::optional<wirefeed::cfg::config> load_config(const std::string& path, const std::vector<std::string>& sets) {
  auto loaded = wirefeed::cfg::load(path, wirefeed::cfg::process_environment(), sets);
  if (!loaded.ok()) {
    wirefeed::commands::check_config(loaded, false);
    return std::nullopt;
  }
  spdlog::set_level(spdlog::level::from_str(loaded.cfg.log.level));
  return loaded.cfg;
}

int dispatch(int argc, char** argv) {
  namespace commands = wirefeed::commands;
  spdlog::set_default_logger(spdlog::stderr_logger_mt("wirefeed"));

  CLI::App app{"wirefeed: a streaming ingestion daemon for news wire feeds"};
  app.set_version_flag("--version", std::string("wirefeed ") + WIREFEED_VERSION);
  app.require_subcommand(1);

  std::string config_path;
  std::vector<std::string> sets;
  auto add_common = [&](CLI::App* cmd, bool config_required) {
    auto* opt = cmd->add_option("--config,-c", config_path, "YAML config file (see config/wirefeed.yaml)");
    if (config_required) opt->required();
    cmd->add_option("--set", sets, "override a config key: --set pipeline.threads=4 (repeatable)")->allow_extra_args(false);
  };

  auto* run = app.add_subcommand("run", "consume, process and publish until SIGTERM/SIGINT");
  add_common(run, true);
  std::string role;
  run->add_option("--role", role, "which part of the chain to run: all, extract or cluster (sets pipeline.role, over --set)")
      ->check(CLI::IsMember({"all", "extract", "cluster"}));

  std::string from, to = "latest";
  auto* replay = app.add_subcommand("replay", "re-process a range of the input topics (backfill), then exit");
  add_common(replay, true);
  replay->add_option("--from", from, "'earliest' or an ISO 8601 time")->required();
  replay->add_option("--to", to, "'latest' (end offsets at start) or an ISO 8601 time")->capture_default_str();

  std::vector<std::string> paths;
  std::string stories_path, dlq_path;
  auto* process = app.add_subcommand("process", "run the chain over files or stdin; enriched JSON lines to stdout");
  add_common(process, false);
  process->add_option("paths", paths, "NDJSON, ninjs JSON or raw text files; '-' or nothing for stdin");
  process->add_option("--stories", stories_path, "write story updates here as JSON lines");
  process->add_option("--dlq", dlq_path, "write dead letters here as JSON lines (default: stderr)");

  std::string check_path;
  bool print = false;
  auto* check = app.add_subcommand("check-config", "validate a config file and print its errors; exit 2 if invalid");
  // The file as an argument or with --config (as run takes it): one of them, once.
  std::string check_option_path;
  auto* check_file = check->add_option("file", check_path, "config file (or --config FILE)");
  auto* check_config_option = check->add_option("--config,-c", check_option_path, "config file (or as the argument)");
  check_file->excludes(check_config_option);
  check->add_option("--set", sets, "override a config key (repeatable)")->allow_extra_args(false);
  std::string check_role;
  check->add_option("--role", check_role, "check it for this role, as `run --role` would run it (sets pipeline.role)")
      ->check(CLI::IsMember({"all", "extract", "cluster"}));
  check->add_flag("--print", print, "print the effective configuration as YAML");

  std::string conll_path, model_path = "models/ner-en.bin";
  auto* ner = app.add_subcommand("ner", "tag a CoNLL file with the NER model; writes it with a predicted tag column");
  ner->add_option("--conll", conll_path, "CoNLL-format file ('-' for stdin)")->required();
  ner->add_option("--model", model_path, "NER model file")->capture_default_str();

  // "wirefeed chek-config": CLI11 would say only that a command is required.
  if (argc > 1 && argv[1][0] != '-' &&
      app.get_subcommands([&](CLI::App* c) { return c->get_name() == argv[1]; }).empty()) {
    spdlog::error("unknown command '{}': wirefeed run | replay | process | check-config | ner (--help)", argv[1]);
    return commands::exit_bad_config;
  }
  // `--stories="$OUT"` with OUT unset: CLI11 takes the next argument as the value (an input file,
  // which would be written over). Refused as the spaced form is, below. `--from="$T"` likewise
  // took the next option for the time and said something else was missing.
  for (int i = 2; i < argc; ++i) {
    for (const std::string_view option : {"--config=", "-c=", "--stories=", "--dlq=", "--from=", "--to="}) {
      if (argv[i] == option) {
        spdlog::error("{}: the {} is empty (an unset variable?)", option.substr(0, option.size() - 1),
                      option.starts_with("--from") || option.starts_with("--to") ? "time" : "path");
        return commands::exit_bad_config;
      }
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : commands::exit_bad_config;
  }

  try {
    // `--config "$CONF"` with CONF unset: not "no file" (all defaults), an error.
    const bool config_given = run->count("--config") + replay->count("--config") + process->count("--config") > 0;
    if (check->parsed() && check_file->count() + check_config_option->count() == 0) {
      throw wirefeed::usage_error("check-config: which file? check-config FILE (or --config FILE)");
    }
    if (check->parsed() && check_config_option->count() > 0) check_path = check_option_path;
    if ((check->parsed() && check_path.empty()) || (config_given && config_path.empty())) {
      throw wirefeed::usage_error("the config file path is empty (an unset variable?)");
    }
    // Likewise an output: `--stories "$OUT"` would drop every story update.
    for (const auto& [option, path] : {std::pair{"--stories", &stories_path}, std::pair{"--dlq", &dlq_path}}) {
      if (process->count(option) > 0 && path->empty()) {
        throw wirefeed::usage_error(std::string(option) + ": the path is empty (an unset variable?)");
      }
    }
    if (ner->parsed()) return commands::ner(conll_path, model_path);
    if (check->parsed()) {
      if (!check_role.empty()) sets.push_back("pipeline.role=" + check_role);
      return commands::check_config(wirefeed::cfg::load(check_path, wirefeed::cfg::process_environment(), sets), print);
    }
    if (!role.empty()) sets.push_back("pipeline.role=" + role);
    auto config = load_config(config_path, sets);
    if (!config) return commands::exit_bad_config;
    if (replay->parsed() && config->pipeline.guarantee == wirefeed::cfg::processing_guarantee::exactly_once) {
      // What else at_least_once refuses in an exactly-once file, so the advice works as given (a
      // replay commits nothing either way).
      std::string more;
      const auto& consumer = config->kafka.consumer;
      if (consumer.contains("enable.auto.commit")) more += " --set kafka.consumer.enable.auto.commit=true";
      if (consumer.contains("auto.commit.interval.ms")) more += " --set kafka.consumer.auto.commit.interval.ms=5000";
      if (config->kafka.producer.contains("transactional.id")) {
        more += ", and a config without kafka.producer.transactional.id";
      }
      throw wirefeed::usage_error("pipeline.processing_guarantee: exactly_once is for `run`; a replay commits no input "
                                  "positions (--set pipeline.processing_guarantee=at_least_once" + more + ")");
    }
    if ((replay->parsed() || process->parsed()) && config->pipeline.role != wirefeed::cfg::pipeline_role::all) {
      throw wirefeed::usage_error("pipeline.role " + std::string(to_string(config->pipeline.role)) +
                                  " is for `run`; replay and process run the whole chain (--set pipeline.role=all)");
    }
    if (run->parsed() || replay->parsed()) {  // before any client connects (check-config reports the same)
      if (const auto errors = wirefeed::kafka::client_config_errors(*config, replay->parsed()); !errors.empty()) {
        std::string all;
        for (const auto& e : errors) all += "\n  - " + e;
        throw wirefeed::usage_error("invalid configuration (" + std::to_string(errors.size()) + " error" +
                                    (errors.size() == 1 ? "" : "s") + "):" + all);
      }
    }
    if (run->parsed()) return commands::run(*config);
    if (replay->parsed()) return commands::replay(*config, from, to);
    if (process->parsed()) return commands::process(*config, paths, stories_path, dlq_path);
  } catch (const wirefeed::usage_error& e) {
    spdlog::error("{}", e.what());
    return commands::exit_bad_config;
  } catch (const wirefeed::startup_error& e) {
    spdlog::error("{}", e.what());
    return commands::exit_failure;
  } catch (const std::runtime_error& e) {  // a stage that cannot be built (chain.h) for another reason
    spdlog::error("cannot start: {}", e.what());
    return commands::exit_failure;
  }
  return commands::exit_bad_config;
}

}  // namespace

int main(int argc, char** argv) {
  wirefeed::hold_closed_standard_streams();
  // A closed pipe is a write error to report (`process ... | head`: exit 1 naming the output), not
  // a signal that ends the process without a word and leaves a file's last line cut.
  std::signal(SIGPIPE, SIG_IGN);
  const int code = dispatch(argc, argv);
  // A consumer abandoned while closing (a stop during a broker outage, kafka_source.h) may still be
  // inside librdkafka on its own thread: end without the static destructors, which would pull
  // what it uses from under it.
  if (wirefeed::kafka::consumer_abandoned()) {
    spdlog::default_logger()->flush();
    std::fflush(nullptr);
    std::_Exit(code);
  }
  return code;
}
