#!/usr/bin/env bash
# Fuzzes the decoders, the whole normalize stage and the extract stage with libFuzzer, under AddressSanitizer and
# UndefinedBehaviorSanitizer. Usage:
#
#   scripts/fuzz.sh [SECONDS]        # SECONDS per target, default 60
#   scripts/fuzz.sh --unit-tests     # instead: every unit test, built and run in the same tree
#
# Configures its own clang build (${WIREFEED_FUZZ_BUILD_DIR:-<repo>/build-fuzz}; every
# object instrumented with -fsanitize=fuzzer-no-link,address,undefined), builds the targets of
# tests/fuzz/ (decode_fuzz, html_fuzz, normalize_fuzz, extract_fuzz, chain_fuzz) and runs each for SECONDS,
# starting from the sample feed (samples/feed), for chain_fuzz also its hand-off and changelog records,
# and the saved regressions (tests/fuzz/regressions/<target>/).
# The corpus grown by earlier runs is kept in the build directory and reused.
#
# A crash, a sanitizer report, a timeout (10 s per input) or a broken invariant (the targets trap,
# see tests/fuzz/fuzz_targets.h) fails the run: the input is copied into
# tests/fuzz/regressions/<target>/ so the unit test FuzzRegressionTest replays it from then on, and
# the script exits 1. Needs clang and libclang-rt-14-dev (scripts/install-deps.sh).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-60}"
unit_tests=0
if [ "$seconds" = --unit-tests ]; then unit_tests=1; seconds=0; fi
build="${WIREFEED_FUZZ_BUILD_DIR:-$root/build-fuzz}"
# A build directory configured from another checkout would fuzz that checkout's code: start afresh.
if [ -f "$build/CMakeCache.txt" ] && ! grep -qx "CMAKE_HOME_DIRECTORY:INTERNAL=$root" "$build/CMakeCache.txt"; then
  rm -rf "$build"
fi
targets=(decode html normalize extract chain)

if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ not found (scripts/install-deps.sh installs clang and libclang-rt-14-dev)" >&2
  exit 2
fi
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "fuzz: SECONDS must be a number, got '$seconds'" >&2; exit 2; }

flags="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
if [ ! -f "$build/build.ninja" ] || ! grep -qx 'WIREFEED_FUZZ:BOOL=ON' "$build/CMakeCache.txt"; then
  cmake -S "$root" -B "$build" -G Ninja \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DWIREFEED_FUZZ=ON -DWIREFEED_BUILD_BENCH=OFF \
    -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined"
fi

# The unit tests under the same sanitizers (the fuzzer instrumentation is inert without libFuzzer's
# main): memory errors and undefined behaviour anywhere the unit tests reach fail the run.
if [ "$unit_tests" = 1 ]; then
  ninja -C "$build"
  exec ctest --test-dir "$build" --output-on-failure -j2 -L '^unit$'
fi

ninja -C "$build" "${targets[@]/%/_fuzz}"

# Seeds: each sample article in every input framing (the first byte picks it: auto, ninjs header,
# text header, html header), plus the sample articles as HTML paragraphs for the html target.
seeds="$build/fuzz-seeds"
rm -rf "$seeds"
mkdir -p "$seeds/common" "$seeds/html"
for f in "$root"/samples/feed/*.txt; do
  name="$(basename "$f" .txt)"
  for mode in 0 1 2 3; do
    { printf "\\x0$mode"; cat "$f"; } > "$seeds/common/$name.$mode"
  done
  sed -e 's/&/\&amp;/g' -e 's/^\(..*\)$/<p>\1<\/p>/' "$f" > "$seeds/html/$name.html"
  { printf '\x01{"uri":"%s","headline":"H","body_html":"<p>x</p>","language":"en","by":"B","located":"Moscow",' "$name"
    printf '"altids":[{"role":"r","value":"v"}],"versioncreated":"Mon, 07 Feb 2022 10:00:00 +0000"}'; } \
    > "$seeds/common/$name.ninjs"
done

# One item in two versions under one uri (a wire service updating its copy in place): the
# cluster stage's new-version path, for chain_fuzz (which keeps its stages from input to input).
for toll in 18 25; do
  printf '\x01{"uri":"version-seed","source":"AP","headline":"Quake kills at least %s","body":"A magnitude 6.1 earthquake struck western Iran early Thursday, killing at least %s people, state media reported.\\n\\n\\"We are sending every available team,\\" Red Crescent chief Pir-Hossein Kolivand said."}' \
    "$toll" "$toll" > "$seeds/common/version-$toll.json"
done

# The sample feed's hand-off and changelog records (story state; the learned-state checkpoint apart),
# as the cluster role and a restore read them (chain_fuzz's second and third kinds of input):
# chain_fuzz saves them when it runs the common seeds (given as files, it runs each once).
mkdir -p "$seeds/chain"
WIREFEED_FUZZ_SAVE_SEEDS="$seeds/chain" "$build/tests/fuzz/chain_fuzz" "$seeds/common"/* \
  > "$build/fuzz-chain-seeds.log" 2>&1 || { echo "fuzz: chain_fuzz failed on the seeds (log: $build/fuzz-chain-seeds.log)" >&2; exit 1; }

status=0
for t in "${targets[@]}"; do
  corpus="$build/fuzz-corpus/$t"
  artifacts="$build/fuzz-artifacts/$t"
  regressions="$root/tests/fuzz/regressions/$t"
  mkdir -p "$corpus" "$artifacts" "$regressions"
  rm -f "$artifacts"/*
  seed_dirs=("$seeds/common")
  [ "$t" = html ] && seed_dirs=("$seeds/html")
  [ "$t" = chain ] && seed_dirs=("$seeds/common" "$seeds/chain")
  echo "fuzz: $t for ${seconds}s"
  if ! "$build/tests/fuzz/${t}_fuzz" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" "${seed_dirs[@]}" "$regressions" \
      > "$build/fuzz-$t.log" 2>&1; then
    status=1
    echo "fuzz: $t FAILED (log: $build/fuzz-$t.log)" >&2
    grep -E "ERROR|SUMMARY|runtime error|deadly signal" "$build/fuzz-$t.log" | head -5 >&2 || true
    for a in "$artifacts"/*; do
      [ -f "$a" ] || continue
      cp "$a" "$regressions/"
      echo "fuzz: saved $(basename "$a") to tests/fuzz/regressions/$t/ (replayed by FuzzRegressionTest)" >&2
    done
  else
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$build/fuzz-$t.log" | sed "s/^/fuzz: $t /"
  fi
done
exit "$status"
