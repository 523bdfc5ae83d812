#pragma once

#include <chrono>
#include <exception>
#include <string>
#include <variant>

#include "pipeline/error.h"
#include "pipeline/probe.h"

namespace wirefeed {

// What an exception escaping a stage becomes: the stage's error, reason internal_error, so the
// record goes to the dead-letter topic with the exception's text and the daemon goes on.
inline stage_error internal_error(stage_id stage, const char* what) {
  return stage_error{std::string(to_string(stage)), "internal_error", std::string("unexpected failure: ") + what};
}

// Runs `fn`, reports its duration (plus `before`, time the stage spent earlier on the same
// article) to the probe, and turns an escaping exception into internal_error of `stage` (no
// duration reported then).
template <class Fn>
auto timed(probe& p, stage_id stage, Fn&& fn, std::chrono::steady_clock::duration before = {})
    -> std::variant<decltype(fn()), stage_error> {
  const auto start = std::chrono::steady_clock::now();
  try {
    auto out = fn();
    p.on_stage_done(stage, std::chrono::duration<double>(std::chrono::steady_clock::now() - start + before).count());
    return out;
  } catch (const std::exception& e) {
    return internal_error(stage, e.what());
  } catch (...) {
    return internal_error(stage, "non-standard exception");
  }
}

// Like timed, without reporting a duration (for the learner: a second normalize sample per message
// would skew that stage's histogram).
template <class Fn>
auto guarded(stage_id stage, Fn&& fn) -> std::variant<decltype(fn()), stage_error> {
  try {
    return fn();
  } catch (const std::exception& e) {
    return internal_error(stage, e.what());
  } catch (...) {
    return internal_error(stage, "non-standard exception");
  }
}

}  // namespace wirefeed
