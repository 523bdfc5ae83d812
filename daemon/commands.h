#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"

// The entry points behind `wirefeed <command>`. Each returns the process exit code; each throws
// startup_error for what it cannot start with (main prints it).
namespace wirefeed::commands {

// Exit codes shared by every command.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;     // fatal runtime error, unreadable input
inline constexpr int exit_bad_config = 2;  // invalid configuration or usage

int run(const cfg::config& config);
int replay(const cfg::config& config, const std::string& from, const std::string& to);
int process(const cfg::config& config, const std::vector<std::string>& paths, const std::string& stories_path,
            const std::string& dlq_path);
int check_config(const cfg::load_result& loaded, bool print);
int ner(const std::string& conll_path, const std::string& model_path);

}  // namespace wirefeed::commands
