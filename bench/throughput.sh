#!/usr/bin/env bash
# bench/throughput.sh: end-to-end throughput of `wirefeed run` against a raw consume+produce
# baseline (bench/raw_pipe), with the same payloads, on a fresh local broker, in one run.
#
# Goal (issue): the daemon's plumbing keeps at least 80% of the baseline's msg/s.
# See bench/README.md for what is measured and how to read the table.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bench/throughput.sh [options]

Starts a fresh single-node broker (scripts/kafka-local.sh) in a temporary directory, loads N
generated JSON articles (2-4 KB each) into bench.raw, then times
  baseline: raw_pipe    bench.raw -> bench.baseline.out  (consume + produce the same bytes)
  daemon:   wirefeed run bench.raw -> bench.enriched      (decode + pass-through stages + encode)
each with a fresh consumer group reading from earliest, and prints a table, the ratio
daemon/baseline and whether the 80% goal is met. The broker is stopped and its directory removed
at exit.

Options:
  --count N         articles to load and pipe (default 100000)
  --repeat K        run each side K times, alternating baseline/daemon; report medians (default 1)
  --build-dir DIR   build tree holding daemon/wirefeed and bench/raw_pipe
                    (default $WIREFEED_BUILD_DIR, else <repo>/build)
  --full-stages     run the daemon's real normalize/extract/cluster stages (default: pass-through,
                    pipeline.pass_through=true, which measures the plumbing as the issue asks)
  --set KEY=VALUE   extra config override for the daemon, repeatable (e.g. pipeline.threads=2)
  --corpus PATH     text to build articles from: a directory of .txt files or an NDJSON file with
                    "body" fields; repeatable (default <repo>/samples/feed if present, else
                    /work/shared/data/seeds)
  --seed S          random seed of the article generator (default 1)
  --dir DIR         work directory: logs, generated configs, and the broker in DIR/broker (wiped
                    at start); default a new mktemp -d, removed at exit
  --keep            keep the broker running and DIR at exit (prints how to stop it)
  -h, --help        this text

Needs: java 17 + kcat (scripts/kafka-local.sh), python3, curl.
EOF
}

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
count=100000
repeat=1
build_dir=${WIREFEED_BUILD_DIR:-$repo/build}
sets=()
corpus=()
seed=1
dir=
keep=0
pass_through=true
goal=0.80
topics_spec="bench.raw:4 bench.enriched:4 bench.stories:1 bench.dlq:1 bench.stories.changelog:1:compact bench.baseline.out:4"

while [[ $# -gt 0 ]]; do
  case $1 in
    --count) count=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --build-dir) build_dir=$2; shift 2 ;;
    --set) sets+=(--set "$2"); shift 2 ;;
    --corpus) corpus+=("$2"); shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --full-stages) pass_through=false; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "throughput.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ $count =~ ^[1-9][0-9]*$ ]] || { echo "throughput.sh: --count must be a positive integer" >&2; exit 2; }
[[ $repeat =~ ^[1-9][0-9]*$ ]] || { echo "throughput.sh: --repeat must be a positive integer" >&2; exit 2; }

wirefeed=$build_dir/daemon/wirefeed
raw_pipe=$build_dir/bench/raw_pipe
for bin in "$wirefeed" "$raw_pipe"; do
  [[ -x $bin ]] || { echo "throughput.sh: $bin not found: build first, or pass --build-dir" >&2; exit 2; }
done
for tool in kcat python3 curl; do
  command -v "$tool" >/dev/null || { echo "throughput.sh: needs $tool" >&2; exit 2; }
done
if [[ ${#corpus[@]} -eq 0 ]]; then
  if [[ -d $repo/samples/feed ]]; then corpus=("$repo/samples/feed"); else corpus=(/work/shared/data/seeds); fi
fi

made_dir=0
if [[ -z $dir ]]; then
  dir=$(mktemp -d /tmp/wirefeed-bench.XXXXXX)
  made_dir=1
fi
mkdir -p "$dir"
broker_dir=$dir/broker
daemon_pid=

cleanup() {
  local rc=$?
  if [[ -n $daemon_pid ]] && kill -0 "$daemon_pid" 2>/dev/null; then
    kill -TERM "$daemon_pid" 2>/dev/null || true
    for _ in $(seq 1 400); do kill -0 "$daemon_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$daemon_pid" 2>/dev/null || true  # drain_timeout_ms is 30 s
    wait "$daemon_pid" 2>/dev/null || true
  fi
  if [[ $keep -eq 1 ]]; then
    echo "broker kept: $repo/scripts/kafka-local.sh stop --dir $broker_dir --clean" >&2
  else
    "$repo/scripts/kafka-local.sh" stop --dir "$broker_dir" --clean >/dev/null 2>&1 || true
    if [[ $rc -ne 0 ]]; then
      echo "throughput.sh: failed; logs kept in $dir" >&2
    elif [[ $made_dir -eq 1 ]]; then
      rm -rf "$dir"
    fi
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
now() { date +%s.%N; }
clk_tck=$(getconf CLK_TCK)
cpu_of() {  # cpu_of PID: user+system CPU seconds of the process so far (all threads)
  awk -v hz="$clk_tck" '{ sub(/^.*\) /, ""); printf "%.3f\n", ($12 + $13) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0
}
broker_cpu() { cpu_of "$(cat "$broker_dir/kafka.pid")"; }

# ---- broker ------------------------------------------------------------------------------------
log "starting a fresh broker in $broker_dir"
bootstrap=$("$repo/scripts/kafka-local.sh" start --fresh --port auto --dir "$broker_dir" --topics "$topics_spec" |
  tail -n 1)
log "broker at $bootstrap"

# ---- payloads ----------------------------------------------------------------------------------
# One line per article: key <TAB> single-line JSON. Articles are assembled from the corpus's
# paragraphs in random order and cut to a random size of 2-4 KB, so no two bodies are equal.
payloads=$dir/payloads.tsv
log "generating $count articles from ${corpus[*]}"
payload_bytes=$(python3 - "$payloads" "$count" "$seed" "${corpus[@]}" <<'PY'
import json, os, random, sys

out_path, count, seed, sources = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
paragraphs, headlines = [], []

def add_text(text):
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    if lines:
        headlines.append(lines[0][:120])
    paragraphs.extend(l for l in lines if len(l) >= 60)

for src in sources:
    if os.path.isdir(src):
        for name in sorted(os.listdir(src)):
            if name.endswith((".txt", ".text")):
                with open(os.path.join(src, name), encoding="utf-8") as f:
                    add_text(f.read())
    else:
        with open(src, encoding="utf-8") as f:
            for line in f:
                try:
                    doc = json.loads(line)
                except ValueError:
                    continue
                if doc.get("headline"):
                    headlines.append(doc["headline"][:120])
                add_text(doc.get("body", ""))
if len(paragraphs) < 10:
    sys.exit("throughput.sh: the corpus has fewer than 10 paragraphs of 60+ characters")

rng = random.Random(seed)
sources_ = ["AP", "Reuters", "AFP", "dpa", "EWN", "UPI"]
total = 0
with open(out_path, "w", encoding="utf-8") as out:
    for i in range(count):
        target = rng.randint(2000, 4000)
        parts, size = [], 0
        while size < target:
            p = rng.choice(paragraphs)
            if rng.random() < 0.5:  # vary sentences inside paragraphs too
                sentences = p.rstrip(".").split(". ")
                rng.shuffle(sentences)
                p = ". ".join(sentences) + "."
            parts.append(p)
            size += len(p.encode("utf-8")) + 2
        body = "\n\n".join(parts).encode("utf-8")[: target - 400].decode("utf-8", "ignore")
        uri = "urn:bench:%08d" % i
        doc = {
            "uri": uri,
            "headline": rng.choice(headlines),
            "body": body,
            "versioncreated": "2022-02-%02dT%02d:%02d:%02dZ" % (rng.randint(1, 28), rng.randint(0, 23),
                                                                 rng.randint(0, 59), rng.randint(0, 59)),
            "source": rng.choice(sources_),
            "url": "https://news.example.com/%d/%08d" % (rng.randint(2019, 2024), i),
            "language": "en",
        }
        line = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
        total += len(line.encode("utf-8"))
        out.write(uri + "\t" + line + "\n")
print(total)
PY
)
log "payloads: $count articles, $payload_bytes bytes (avg $((payload_bytes / count)) B)"

log "loading them into bench.raw"
kcat -P -b "$bootstrap" -t bench.raw -K $'\t' -l -z lz4 -X linger.ms=20 -X batch.size=1000000 "$payloads"
loaded=0
for p in 0 1 2 3; do
  end=$(kcat -Q -b "$bootstrap" -t "bench.raw:$p:-1" | awk '{print $NF}')
  loaded=$((loaded + end))
done
[[ $loaded -eq $count ]] || { echo "throughput.sh: bench.raw holds $loaded messages, expected $count" >&2; exit 1; }
rm -f "$payloads"
log "bench.raw holds $loaded messages"

# The first consumer group and the first idempotent producer on a new broker cost it about a second
# (it creates __consumer_offsets, allocates producer ids): pay that before anything is timed.
warm=$(( count < 1000 ? count : 1000 ))
"$raw_pipe" --bootstrap "$bootstrap" --input bench.raw --output bench.baseline.out --count "$warm" \
  --group "bench-warmup-$$" >/dev/null 2>"$dir/warmup.log" || {
  echo "throughput.sh: warm-up failed:" >&2; tail -n 20 "$dir/warmup.log" >&2; exit 1; }
log "broker warmed up (consumer group + idempotent producer, $warm messages)"

# ---- one baseline run --------------------------------------------------------------------------
# Sets: b_seconds, b_first (seconds from the first consumed message), b_cpu (raw_pipe's CPU
# seconds), b_broker (the broker's CPU seconds during the run).
run_baseline() {
  local i=$1 out k0
  k0=$(broker_cpu)
  out=$("$raw_pipe" --bootstrap "$bootstrap" --input bench.raw --output bench.baseline.out --count "$count" \
    --group "bench-baseline-$$-$i" 2>"$dir/raw_pipe-$i.log" | tail -n 1) || {
    echo "throughput.sh: raw_pipe failed:" >&2; tail -n 20 "$dir/raw_pipe-$i.log" >&2; exit 1; }
  b_seconds=$(sed -E 's/.* seconds=([0-9.]+).*/\1/' <<<"$out")
  b_first=$(sed -E 's/.* seconds_from_first=([0-9.]+).*/\1/' <<<"$out")
  b_cpu=$(sed -E 's/.* cpu_seconds=([0-9.]+).*/\1/' <<<"$out")
  b_broker=$(awk -v a="$k0" -v b="$(broker_cpu)" 'BEGIN { printf "%.3f", b - a }')
}

# ---- one daemon run ----------------------------------------------------------------------------
# Sets: d_seconds (process start -> N produced to bench.enriched), d_first (first consumed -> N),
# d_cpu (the daemon's CPU seconds at that moment), d_broker (the broker's CPU seconds until then).
metric() {  # metric <scrape> <name{labels}>: the value, 0 when absent
  awk -v m="$2" '$1 == m { v = $2 } END { printf "%d\n", (v == "" ? 0 : v) }' <<<"$1"
}
run_daemon() {
  local i=$1 cfg=$dir/daemon-$i.yaml log=$dir/daemon-$i.log port= t0 t_first= t_done= scrape produced consumed dlq k0
  cat >"$cfg" <<EOF
kafka:
  bootstrap_servers: $bootstrap
  group_id: bench-daemon-$$-$i
  client_id: wirefeed-bench
topics:
  input: [bench.raw]
  enriched: bench.enriched
  stories: bench.stories
  dead_letter: bench.dlq
  changelog: bench.stories.changelog
pipeline:
  pass_through: $pass_through
metrics:
  enabled: true
  bind_address: 127.0.0.1
  port: 0
log:
  level: info
EOF
  k0=$(broker_cpu)
  t0=$(now)
  "$wirefeed" run --config "$cfg" "${sets[@]}" >"$log" 2>&1 &
  daemon_pid=$!
  local deadline=$(( $(date +%s) + 60 ))
  while [[ -z $port ]]; do
    port=$(sed -nE 's#.*metrics: http://[^:]+:([0-9]+)/metrics.*#\1#p' "$log" 2>/dev/null | head -n 1 || true)
    if [[ -z $port ]]; then
      kill -0 "$daemon_pid" 2>/dev/null && [[ $(date +%s) -lt $deadline ]] || {
        echo "throughput.sh: the daemon did not start:" >&2; tail -n 20 "$log" >&2; exit 1; }
      sleep 0.05
    fi
  done
  local last_progress=$(date +%s) last_produced=-1
  while :; do
    scrape=$(curl -fsS "http://127.0.0.1:$port/metrics" 2>/dev/null || true)
    # One awk for the three counters: the poller takes as little CPU as it can from the daemon it
    # watches (the baseline times itself, nothing polls it).
    read -r produced consumed dlq < <(awk '
      $1 == "wirefeed_messages_produced_total{topic=\"bench.enriched\"}" { p = $2 }
      $1 == "wirefeed_messages_consumed_total{topic=\"bench.raw\"}" { c = $2 }
      $1 == "wirefeed_messages_produced_total{topic=\"bench.dlq\"}" { d = $2 }
      END { printf "%d %d %d\n", p, c, d }' <<<"$scrape")
    [[ -z $t_first && $consumed -gt 0 ]] && t_first=$(now)
    if [[ $produced -ge $count ]]; then
      t_done=$(now)
      d_paused=$(metric "$scrape" wirefeed_partitions_paused_total)
      d_cpu=$(cpu_of "$daemon_pid")
      d_broker=$(awk -v a="$k0" -v b="$(broker_cpu)" 'BEGIN { printf "%.3f", b - a }')
      break
    fi
    if [[ $dlq -gt 0 ]]; then
      echo "throughput.sh: the daemon dead-lettered $dlq articles: the payloads are not what it expects" >&2
      exit 1
    fi
    if [[ $produced -ne $last_produced ]]; then last_produced=$produced; last_progress=$(date +%s); fi
    if ! kill -0 "$daemon_pid" 2>/dev/null || [[ $(( $(date +%s) - last_progress )) -gt 60 ]]; then
      printf '%s\n' "$scrape" >"$dir/daemon-$i.metrics"
      echo "throughput.sh: the daemon stalled at $produced of $count produced ($consumed consumed," \
        "$(metric "$scrape" wirefeed_in_flight_messages) in flight; metrics in $dir/daemon-$i.metrics):" >&2
      tail -n 20 "$log" >&2
      exit 1
    fi
    sleep 0.1
  done
  kill -TERM "$daemon_pid"
  wait "$daemon_pid" || echo "throughput.sh: the daemon exited with $? after SIGTERM (see $log)" >&2
  daemon_pid=
  d_seconds=$(awk -v a="$t0" -v b="$t_done" 'BEGIN { printf "%.3f", b - a }')
  d_first=$(awk -v a="${t_first:-$t0}" -v b="$t_done" 'BEGIN { printf "%.3f", b - a }')
}

# ---- the runs ----------------------------------------------------------------------------------
b_all=() bf_all=() bc_all=() bk_all=() d_all=() df_all=() dc_all=() dk_all=()
for ((i = 1; i <= repeat; i++)); do
  log "run $i/$repeat: baseline"
  run_baseline "$i"
  b_all+=("$b_seconds") bf_all+=("$b_first") bc_all+=("$b_cpu") bk_all+=("$b_broker")
  log "  baseline: ${b_seconds} s (${b_first} s from the first message), CPU ${b_cpu} s," \
    "broker CPU ${b_broker} s"
  log "run $i/$repeat: daemon"
  run_daemon "$i"
  d_all+=("$d_seconds") df_all+=("$d_first") dc_all+=("$d_cpu") dk_all+=("$d_broker")
  log "  daemon:   ${d_seconds} s (${d_first} s from the first consume seen on /metrics)," \
    "CPU ${d_cpu} s, broker CPU ${d_broker} s, partitions paused ${d_paused}"
done

median() {
  printf '%s\n' "$@" | sort -g |
    awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
b_med=$(median "${b_all[@]}") bf_med=$(median "${bf_all[@]}")
d_med=$(median "${d_all[@]}") df_med=$(median "${df_all[@]}")
bc_med=$(median "${bc_all[@]}") bk_med=$(median "${bk_all[@]}")
dc_med=$(median "${dc_all[@]}") dk_med=$(median "${dk_all[@]}")

load=$(cut -d' ' -f1-3 /proc/loadavg)
echo
echo "wirefeed throughput: $count articles, $payload_bytes payload bytes, $(nproc) cores, load average $load$( \
  [[ $repeat -gt 1 ]] && echo ", median of $repeat runs each")"
[[ ${#sets[@]} -gt 0 ]] && echo "daemon overrides: ${sets[*]}"
echo
awk -v n="$count" -v bytes="$payload_bytes" -v goal="$goal" \
  -v b="$b_med" -v bf="$bf_med" -v d="$d_med" -v df="$df_med" \
  -v bc="$bc_med" -v bk="$bk_med" -v dc="$dc_med" -v dk="$dk_med" '
function row(name, s) { printf "| %-28s | %8d | %7.2f | %8.0f | %6.2f |\n", name, n, s, n / s, bytes / s / 1e6 }
BEGIN {
  print "| pipeline                     | messages | seconds |    msg/s |   MB/s |"
  print "|------------------------------|----------|---------|----------|--------|"
  row("baseline (raw_pipe)", b)
  row("daemon (wirefeed run)", d)
  row("baseline, from first message", bf)
  row("daemon, from first consume", df)
  ratio = b / d
  ratio_first = bf / df
  printf "\nratio daemon/baseline (msg/s): %.2f (from the first message: %.2f)\n", ratio, ratio_first
  printf "goal: the daemon keeps >= %d%% of the baseline: %s\n", goal * 100, (ratio >= goal ? "MET" : "NOT MET")
  print ""
  print "CPU used to pipe the messages (user+system seconds; the broker is measured over the same interval):"
  print "| pipeline                     | process CPU s | us/msg | broker CPU s |"
  print "|------------------------------|---------------|--------|--------------|"
  printf "| %-28s | %13.2f | %6.1f | %12.2f |\n", "baseline (raw_pipe)", bc, bc / n * 1e6, bk
  printf "| %-28s | %13.2f | %6.1f | %12.2f |\n", "daemon (wirefeed run)", dc, dc / n * 1e6, dk
}'
if [[ $repeat -gt 1 ]]; then
  echo
  echo "per run, seconds (total / from first): baseline ${b_all[*]} / ${bf_all[*]}; daemon ${d_all[*]} / ${df_all[*]}"
  echo "per run, process CPU seconds: baseline ${bc_all[*]}; daemon ${dc_all[*]}"
fi
