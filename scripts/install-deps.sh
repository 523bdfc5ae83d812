#!/usr/bin/env bash
# Installs every Debian 12 package wirefeed needs to build, test and run the local broker, and
# unpacks promtool (for the alerting-rule tests) into the cache.
# Idempotent: packages already present are skipped by apt. Needs root (or sudo).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git curl ca-certificates
  librdkafka-dev                       # Kafka client (C API, wrapped in RAII in daemon/)
  libboost1.81-dev libboost-json1.81-dev  # Asio thread pool, Beast HTTP server, JSON writer
  libsimdjson-dev                      # input JSON parsing
  libicu-dev                           # Unicode normalisation, break iterators
  prometheus-cpp-dev                   # metrics registry and text exposition
  libgtest-dev libgmock-dev            # unit and integration tests
  libbenchmark-dev                     # bench/
  libyaml-cpp-dev                      # config file
  libcli11-dev                         # command line
  libspdlog-dev libfmt-dev             # logging
  libcld2-dev                          # language identification
  clang libclang-rt-14-dev             # libFuzzer + sanitizers for scripts/fuzz.sh
  openjdk-17-jre-headless maven        # the local Apache Kafka broker (jars from Maven Central)
  kcat                                 # broker readiness check and inspection in the quickstart
  python3                              # test harness helpers
)

# promtool, for the unit tests of deploy/prometheus-alerts.yaml (tests/CMakeLists.txt): the one
# binary, unpacked from Debian's prometheus package into the cache rather than installed, since the
# package brings a Prometheus server and its service along. Without it those tests are not run.
fetch_promtool() {
  local dir="${WIREFEED_CACHE:-${HOME:-/tmp}/.cache/wirefeed}/prometheus"
  if command -v promtool >/dev/null || [[ -x "$dir/promtool" ]]; then return 0; fi
  local work
  work="$(mktemp -d)"
  if (cd "$work" && apt-get download -qq prometheus 2>/dev/null) &&
    dpkg-deb -x "$work"/prometheus_*.deb "$work/unpacked" &&
    mkdir -p "$dir" && mv "$work/unpacked/usr/bin/promtool" "$dir/promtool"; then
    echo "install-deps: promtool unpacked into $dir"
  else
    echo "install-deps: warning: could not fetch promtool (Debian's prometheus package);" \
      "the alerting-rule tests will not run" >&2
  fi
  rm -rf "$work"
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
else
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
fetch_promtool
