#!/usr/bin/env bash
# bench/strand_instructions.sh: instructions per article of the cluster stage's strand
# (cluster_stage::process, the story JSON included), counted by callgrind in cluster_bench's timed
# articles only. Deterministic: the same build and input give the same count, so it shows changes
# of a few percent that this VM's ±30% time swings hide. It counts instructions, not cache misses:
# read it next to the timed figures (bench/README.md), never instead of them.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bench/strand_instructions.sh [--stories N] [--build-dir DIR] [VARIANT...]

Runs build/bench/cluster_bench under `valgrind --tool=callgrind --collect-atstart=no` once per
variant (Join, Copy, NewStory by default) with N live stories (default 1000; 10000 takes a few
minutes per variant) and prints the instructions per timed article. Needs valgrind
(apt-get install valgrind) and a cluster_bench built with <valgrind/callgrind.h> present (it is
part of the valgrind package; scripts/build.sh builds cluster_bench).
EOF
}

stories=1000
build_dir="${WIREFEED_BUILD_DIR:-$(cd "$(dirname "$0")/.." && pwd)/build}"
variants=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --stories) stories="$2"; shift 2 ;;
    --build-dir) build_dir="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "strand_instructions.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) variants+=("$1"); shift ;;
  esac
done
[[ ${#variants[@]} -gt 0 ]] || variants=(Join Copy NewStory)
bench="$build_dir/bench/cluster_bench"
command -v valgrind >/dev/null || { echo "strand_instructions.sh: valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
[[ -x "$bench" ]] || { echo "strand_instructions.sh: no $bench (scripts/build.sh builds it)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-10s %8s %16s %18s\n' variant stories timed_articles instructions/article
for v in "${variants[@]}"; do
  valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file="$work/out" \
    "$bench" --benchmark_filter="^$v/stories:$stories/" >"$work/stdout" 2>"$work/stderr" ||
    { cat "$work/stderr" >&2; exit 1; }
  # "Join/stories:1000/iterations:5 ...": iterations x 100 articles (k_batch in cluster_bench.cc).
  iterations=$(sed -n "s|^$v/stories:$stories/iterations:\([0-9]*\).*|\1|p" "$work/stdout" | head -1)
  collected=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/stderr" | tail -1)
  if [[ -z "$iterations" || -z "$collected" ]]; then
    echo "strand_instructions.sh: no $v/stories:$stories result (is the variant's name right?)" >&2
    exit 1
  fi
  if [[ "$collected" -eq 0 ]]; then
    echo "strand_instructions.sh: nothing collected: $bench was built without <valgrind/callgrind.h>" >&2
    exit 1
  fi
  articles=$((iterations * 100))
  printf '%-10s %8s %16s %18s\n' "$v" "$stories" "$articles" "$((collected / articles))"
done
