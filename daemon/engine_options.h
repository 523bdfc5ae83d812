#pragma once

#include <sched.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include "config/config.h"
#include "pipeline/engine.h"

namespace wirefeed {

// The CPUs this process may use: its affinity mask, capped by a cgroup v2 CPU quota (systemd's
// CPUQuota, a Kubernetes limit), not the machine's count. pipeline.threads 0 means this many.
inline std::size_t usable_cpus() {
  std::size_t cpus = std::max(1u, std::thread::hardware_concurrency());
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) == 0) cpus = static_cast<std::size_t>(std::max(1, CPU_COUNT(&set)));
  // "max 100000" (no quota) or "<quota> <period>".
  std::ifstream cpu_max("/sys/fs/cgroup/cpu.max");
  std::string quota;
  double period = 0;
  if (cpu_max >> quota >> period && quota != "max" && period > 0) {
    const double q = std::strtod(quota.c_str(), nullptr);
    if (q > 0) cpus = std::min(cpus, static_cast<std::size_t>(std::max(1.0, std::ceil(q / period))));
  }
  return cpus;
}

// The engine settings of the config, for a live (unbounded) or a bounded input.
inline engine_options engine_options_from(const cfg::config& c, bool bounded) {
  engine_options o;
  o.threads = c.pipeline.threads > 0 ? static_cast<std::size_t>(c.pipeline.threads) : usable_cpus();
  o.max_in_flight_messages = c.pipeline.max_in_flight_messages;
  o.max_in_flight_bytes = c.pipeline.max_in_flight_bytes;
  o.drain_timeout = c.shutdown.drain_timeout;
  o.revoke_drain_timeout = c.shutdown.revoke_drain_timeout;
  o.bounded = bounded;
  o.transaction_interval = c.pipeline.transaction_interval;
  return o;
}

}  // namespace wirefeed
