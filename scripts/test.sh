#!/usr/bin/env bash
# The test command (CI runs it through .ci/run): builds with scripts/build.sh, runs the unit tests,
# then the integration tests (the ctest fixture "kafka" starts a broker of their own on free ports
# with scripts/kafka-local.sh), then the unit tests again under ASan+UBSan (clang; skip with
# WIREFEED_SANITIZED_UNIT_TESTS=0) and a short fuzz run (WIREFEED_FUZZ_SECONDS per target, 0 skips
# it), and ends with one line "N passed, M failed" over all of them.
# Exit status: 0 only if every test passed and at least one ran.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${WIREFEED_BUILD_DIR:-build}"
[[ "$build" = /* ]] || build="$root/$build"

"$root/scripts/build.sh" || { echo "build failed: no tests run"; exit 1; }

passed=0 failed=0 status=0
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

# Adds the counts of the ctest run whose output is in $log to the totals. ctest ends with e.g.
# "95% tests passed, 2 tests failed out of 40" (nothing if none matched): returns 1 then.
tally() {
  local summary failures total
  summary="$(grep -oE '[0-9]+ tests failed out of [0-9]+' "$log" | tail -n 1 || true)"
  [[ -n "$summary" ]] || return 1
  read -r failures _ _ _ _ total <<<"$summary"
  passed=$((passed + total - failures))
  failed=$((failed + failures))
}

for label in unit integration; do
  echo "==> ctest -L $label"
  ctest --test-dir "$build" --output-on-failure -j2 -L "^${label}\$" 2>&1 | tee "$log" || status=1
  tally || true
done

# The unit tests again, built with clang under ASan+UBSan (scripts/fuzz.sh --unit-tests), counted
# like the others; no summary means it did not get as far as running them.
if [[ "${WIREFEED_SANITIZED_UNIT_TESTS:-1}" = 1 ]]; then
  echo "==> scripts/fuzz.sh --unit-tests (ASan+UBSan)"
  "$root/scripts/fuzz.sh" --unit-tests 2>&1 | tee "$log" || status=1
  tally || failed=$((failed + 1))
fi

# A short libFuzzer run (ASan+UBSan) of the decoders, normalize and extract: one test per run.
fuzz_seconds="${WIREFEED_FUZZ_SECONDS:-30}"
if [[ "$fuzz_seconds" -gt 0 ]]; then
  echo "==> scripts/fuzz.sh $fuzz_seconds"
  if "$root/scripts/fuzz.sh" "$fuzz_seconds"; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi
fi

echo "$passed passed, $failed failed"
[[ $status -eq 0 && $failed -eq 0 && $passed -gt 0 ]]
