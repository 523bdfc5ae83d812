#pragma once

#include <sched.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "config/config.h"
#include "pipeline/engine.h"

namespace wirefeed {

// The CPUs a cgroup v2 quota gives this process, or nothing without one: the tightest `cpu.max`
// ("<quota> <period>", or "max <period>" for none) of its cgroup and the cgroups above it, under
// `root` (/sys/fs/cgroup). Its cgroup is the "0::<path>" line of `self_cgroup` (/proc/self/cgroup):
// a systemd service's quota (CPUQuota) sits on its unit's cgroup, "/system.slice/x.service"; in a
// container with a cgroup namespace the path is "/" and the quota on the root it sees.
inline std::optional<double> cgroup_cpu_quota(const std::filesystem::path& root, std::string_view self_cgroup) {
  std::string path;
  for (std::size_t at = 0; at < self_cgroup.size();) {
    const std::size_t end = std::min(self_cgroup.find('\n', at), self_cgroup.size());
    if (const auto line = self_cgroup.substr(at, end - at); line.starts_with("0::")) path = line.substr(3);
    at = end + 1;
  }
  std::optional<double> cpus;
  std::filesystem::path dir = root / std::filesystem::path(path).relative_path();
  for (int depth = 0; depth < 64; ++depth) {
    std::ifstream cpu_max(dir / "cpu.max");
    std::string quota;
    double period = 0;
    if (cpu_max >> quota >> period && quota != "max" && period > 0) {
      if (const double q = std::strtod(quota.c_str(), nullptr); q > 0) cpus = std::min(cpus.value_or(q / period), q / period);
    }
    if (dir == root || !dir.has_relative_path() || dir.parent_path() == dir) break;
    dir = dir.parent_path();
  }
  return cpus;
}

// The CPUs this process may use: its affinity mask, capped by a cgroup v2 CPU quota (systemd's
// CPUQuota, a Kubernetes limit), not the machine's count. pipeline.threads 0 means this many.
inline std::size_t usable_cpus() {
  std::size_t cpus = std::max(1u, std::thread::hardware_concurrency());
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) == 0) cpus = static_cast<std::size_t>(std::max(1, CPU_COUNT(&set)));
  std::ifstream self("/proc/self/cgroup");
  const std::string self_cgroup{std::istreambuf_iterator<char>(self), std::istreambuf_iterator<char>()};
  if (const auto quota = cgroup_cpu_quota("/sys/fs/cgroup", self_cgroup)) {
    cpus = std::min(cpus, static_cast<std::size_t>(std::max(1.0, std::ceil(*quota))));
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
