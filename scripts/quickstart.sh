#!/usr/bin/env bash
# quickstart.sh: wirefeed end to end on this machine, in one command.
#
#   scripts/quickstart.sh            build, start a local Kafka broker and the daemon, feed the sample
#                                    articles, show the result; leaves broker and daemon running
#   scripts/quickstart.sh --no-keep  the same, then stops both
#   scripts/quickstart.sh stop       stops the daemon and the broker (the broker keeps its data)
#
# Safe to run again: the broker is reused, the daemon restarted. Environment: WIREFEED_BUILD_DIR
# (default build), WIREFEED_KAFKA_DIR (default /tmp/wirefeed-kafka).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${WIREFEED_BUILD_DIR:-build}"
[[ "$build" = /* ]] || build="$root/$build"
kafka_dir="${WIREFEED_KAFKA_DIR:-/tmp/wirefeed-kafka}"
state_dir="${TMPDIR:-/tmp}/wirefeed-quickstart"   # daemon log and pid
daemon_log="$state_dir/wirefeed.log"
daemon_pid="$state_dir/wirefeed.pid"
config="$root/config/quickstart.yaml"
# The partition counts of scripts/README.md and the tests: a broker started by hand in the same
# directory serves the quickstart too.
topics="wire.raw:4 wire.enriched:4 wire.stories:1 wire.dlq:1 wire.stories.changelog:1:compact"
kafka_local="$root/scripts/kafka-local.sh"

step() { printf '\n==> %s\n' "$*"; }
die() { printf 'quickstart: error: %s\n' "$*" >&2; exit 1; }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# True if pid $1 runs (a zombie does not).
alive() { [[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" =~ ^[^Z]$ ]]; }

# Stops the daemon this script started (SIGTERM: it drains, then commits), if it still runs.
stop_daemon() {
  local pid
  pid="$(cat "$daemon_pid" 2>/dev/null)" || return 0
  if [[ "$pid" =~ ^[0-9]+$ ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'wirefeed run'; then
    echo "stopping the daemon (pid $pid)"
    kill -TERM "$pid"
    for _ in $(seq 1 400); do alive "$pid" || break; sleep 0.1; done
    ! alive "$pid" || { echo "no exit after 40 s: SIGKILL"; kill -KILL "$pid"; }
  fi
  rm -f "$daemon_pid"
}

stop_all() {
  stop_daemon
  "$kafka_local" stop --dir "$kafka_dir"
}

keep=1
[[ $# -le 1 ]] || die "one argument at most (see --help)"
case "${1:-}" in
  "") ;;
  --no-keep) keep=0 ;;
  stop) stop_all; exit 0 ;;
  -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown argument '$1' (see --help)" ;;
esac
# --no-keep stops the daemon, and the broker if this run started it (not one it found running).
started_broker=0
((keep)) || trap 'step "stopping (--no-keep)"; stop_daemon; ((!started_broker)) || "$kafka_local" stop --dir "$kafka_dir"' EXIT

step "building (scripts/build.sh into $build)"
"$root/scripts/build.sh"
bin="$build/daemon/wirefeed"

step "starting the local Kafka broker (scripts/kafka-local.sh, data in $kafka_dir)"
if "$kafka_local" status --dir "$kafka_dir" >/dev/null 2>&1; then
  port_args=()                   # ours, from an earlier run: reused on whatever port it has
else
  started_broker=1
  if port_in_use 9092; then
    echo "port 9092 is taken: the broker gets a free port instead"
    port_args=(--port auto)
  else
    port_args=(--port 9092)
  fi
fi
bootstrap="$("$kafka_local" start "${port_args[@]}" --dir "$kafka_dir" --topics "$topics" | tail -n 1)"
echo "broker at $bootstrap"

step "starting the daemon"
stop_daemon
# config/quickstart.yaml expects the broker on 127.0.0.1:9092 and serves metrics on 9464;
# anything else is passed with --set.
args=(run --config "$config")
[[ "$bootstrap" == 127.0.0.1:9092 ]] || args+=(--set "kafka.bootstrap_servers=$bootstrap")
metrics_port=9464
if port_in_use "$metrics_port"; then
  metrics_port="$(free_port)"
  echo "port 9464 is taken: metrics on $metrics_port instead"
  args+=(--set "metrics.port=$metrics_port")
fi
echo "$bin ${args[*]}"
echo "log: $daemon_log"
mkdir -p "$state_dir"
# The heap in transparent huge pages, as deploy/wirefeed.service runs it (docs/operations.md, "Memory").
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.hugetlb=1}"
# Its own session, so it outlives this script and the terminal.
setsid bash -c 'echo $$ >"$0" && exec "$@"' "$daemon_pid" "$bin" "${args[@]}" </dev/null >"$daemon_log" 2>&1 &
metrics="http://127.0.0.1:$metrics_port"
ready=0
for _ in $(seq 1 120); do
  if [[ "$(curl -s -o /dev/null -w '%{http_code}' "$metrics/readyz")" == 200 ]]; then ready=1; break; fi
  pid="$(cat "$daemon_pid" 2>/dev/null || true)"
  [[ -z "$pid" ]] || alive "$pid" || break   # it exited
  sleep 0.5
done
if ((!ready)); then
  echo "last lines of $daemon_log:"
  tail -n 30 "$daemon_log"
  die "the daemon did not become ready ($metrics/readyz) within 60 s"
fi
echo "ready: $metrics/readyz answers 200"

step "feeding the five sample articles and one malformed message into wire.raw"
since="$(date +%s%3N)"   # everything below is read from this time on: a reused broker holds older runs
for f in "$root"/samples/feed/*.txt; do
  kcat -P -b "$bootstrap" -t wire.raw -k "$(basename "$f")" "$f"
  echo "  $(basename "$f")  ($(wc -c <"$f") bytes)"
done
printf '{"uri": "urn:example:truncated", "headline": "This JSON stops in the mid' |
  kcat -P -b "$bootstrap" -t wire.raw -k truncated.json
echo "  truncated.json  (malformed JSON: should become a dead letter)"

# Messages in $1 since the feed started.
count() { kcat -C -b "$bootstrap" -t "$1" -o "s@$since" -e -q -f '.\n' 2>/dev/null | wc -l; }
enriched=0 dead=0 stories=0
for _ in $(seq 1 60); do
  enriched="$(count wire.enriched)" dead="$(count wire.dlq)" stories="$(count wire.stories)"
  ((enriched >= 5 && dead >= 1 && stories >= 5)) && break
  sleep 1
done
((enriched >= 5 && dead >= 1 && stories >= 5)) || {
  tail -n 30 "$daemon_log"
  die "after 60 s: $enriched of 5 enriched articles, $stories of 5 story updates and $dead of 1 dead letters"
}

step "wire.enriched: $enriched articles (shortened: uri, headline, first 200 characters of the body, wirefeed.source)"
raw_index="$(mktemp)"
kcat -C -b "$bootstrap" -t wire.raw -o "s@$since" -e -q -f '%p %o %k\n' >"$raw_index"
kcat -C -b "$bootstrap" -t wire.enriched -o "s@$since" -e -q -f '%s\n' | python3 -c '
import json, sys
keys = {}
for line in open(sys.argv[1]):
    p, o, k = line.rstrip("\n").split(" ", 2)
    keys[(int(p), int(o))] = k
articles = [json.loads(line) for line in sys.stdin if line.strip()]
key = lambda a: keys.get((a["wirefeed"]["source"]["partition"], a["wirefeed"]["source"]["offset"]), "?")
for a in sorted(articles, key=key):
    src = a["wirefeed"]["source"]
    body = (a.get("bodies") or [{}])[0].get("value", "")
    print("--- from %s" % key(a))
    print(json.dumps({
        "uri": a["uri"],
        "headline": (a.get("headlines") or [{}])[0].get("value"),
        "body": body[:200] + ("..." if len(body) > 200 else ""),
        "wirefeed.source": src,
        "wirefeed.story.id": a["wirefeed"]["story"]["id"],
        "wirefeed.duplicate_of": a["wirefeed"]["duplicate_of"],
    }, indent=2, ensure_ascii=False))
' "$raw_index"
rm -f "$raw_index"

step "wire.stories: the latest state of each story (shortened: members, conflicting figures, quotes carried by 2+ articles)"
kcat -C -b "$bootstrap" -t wire.stories -o "s@$since" -e -q -f '%s\n' | python3 -c '
import json, sys
latest = {}
for line in sys.stdin:
    if line.strip():
        s = json.loads(line)
        latest[s["id"]] = s
for s in latest.values():
    if "merged_into" in s:
        print("%s merged into %s" % (s["id"], s["merged_into"]))
        continue
    print(json.dumps({
        "id": s["id"], "headline": s["headline"], "articles": s["articles"], "sources": s["sources"],
        "members": [{"uri": m["uri"], "source": m["source"], "duplicate_of": m["duplicate_of"]} for m in s["members"]],
        "keywords": s["keywords"],
        "figures in conflict": [
            {"counted": f["counted"], "reports": ["%s (%s)" % (r["text"], r["source"] or r["uri"][-8:]) for r in f["reports"]]}
            for f in s["figures"] if f["conflict"]],
        "quotes carried by 2+ articles": [
            {"speaker": q["speaker"], "articles": q["articles"], "text": q["text"]} for q in s["quotes"] if q["articles"] > 1],
    }, indent=2, ensure_ascii=False))
'

step "wire.dlq: the dead letter (headers, then the original value, unchanged)"
kcat -C -b "$bootstrap" -t wire.dlq -o "s@$since" -e -q -f '%h\n%s\n' |
  sed -E 's/,(__connect\.|wirefeed\.)/\n\1/g'

step "$metrics/metrics (the message and story counters that are not 0)"
counters="$(curl -s "$metrics/metrics" | grep -E '^wirefeed_(messages_|dead_letters|story_events|live_stories)' | grep -v ' 0$')"
echo "$counters"
if grep -q 'event="redelivered"' <<<"$counters"; then
  echo "(the broker kept an earlier run's story state: the daemon restored it, and the sample articles,"
  echo " already members of their story, count as redelivered and leave it unchanged)"
fi

step "done"
if ((keep)); then
  # The stop must find this run's broker and state: say so when they are not the defaults.
  stop_env=""
  [[ -z "${WIREFEED_KAFKA_DIR:-}" ]] || stop_env+="WIREFEED_KAFKA_DIR=$kafka_dir "
  [[ -z "${TMPDIR:-}" ]] || stop_env+="TMPDIR=$TMPDIR "
  cat <<EOF
The broker ($bootstrap) and the daemon are still running:
  metrics      $metrics/metrics   (health: /healthz, readiness: /readyz)
  daemon log   $daemon_log
  read output  kcat -C -b $bootstrap -t wire.enriched -e
  send more    kcat -P -b $bootstrap -t wire.raw -k my-key some-article.txt
  stop both    ${stop_env}scripts/quickstart.sh stop
EOF
fi
