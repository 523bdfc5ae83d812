#!/usr/bin/env bash
# kafka-local.sh: a real single-node Apache Kafka broker (KRaft, combined broker+controller) on
# 127.0.0.1, run from the Maven Central jars. No Docker, no Kafka install: Java 17, Maven and kcat.
# Run `scripts/kafka-local.sh --help` for the interface.
set -euo pipefail

readonly KAFKA_VERSION=3.9.1 # keep in sync with kafka.version in scripts/kafka/pom.xml
readonly SCALA_VERSION=2.13

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly script_dir
readonly pom="$script_dir/kafka/pom.xml"
readonly cache_root="${WIREFEED_CACHE:-${HOME:-/tmp}/.cache/wirefeed}"
readonly kafka_home="$cache_root/kafka-$KAFKA_VERSION"
readonly libs="$kafka_home/libs"
readonly fetch_marker="$kafka_home/.complete"
readonly tools_log4j="$kafka_home/tools-log4j.properties"
readonly default_dir="${WIREFEED_KAFKA_DIR:-/tmp/wirefeed-kafka}"
readonly start_timeout="${WIREFEED_KAFKA_START_TIMEOUT:-90}"
readonly stop_timeout=30
# Marks a directory as ours, so that `stop --clean` never wipes anything else.
readonly dir_marker=.wirefeed-kafka
# JVM options of the short-lived command line tools (StorageTool, TopicCommand).
tool_jvm_opts=(-Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC "-Dlog4j.configuration=file:$tools_log4j")
readonly tool_jvm_opts

usage() {
  cat <<EOF
Usage: ${0##*/} <command> [options]

A single-node Apache Kafka $KAFKA_VERSION broker (Scala $SCALA_VERSION, KRaft combined mode) on
127.0.0.1, from Maven Central jars cached in $kafka_home.

Commands:
  fetch
      Download the broker class path (mvn) into the cache, unless it is already complete.
  start [--port P|auto] [--controller-port C|auto] [--dir DIR] [--topics "name:partitions ..."] [--fresh]
      Fetch if needed, write DIR/server.properties, format DIR/data on first use, start the broker in
      the background and wait until it answers metadata requests, then create the missing topics.
      Port 0 or "auto" (the default) picks a free port. If the broker of DIR is already running it is
      reused. --fresh first runs "stop --clean" on DIR. Prints the bootstrap address as the last
      line of stdout (also kept in DIR/bootstrap; pid in DIR/kafka.pid; logs in DIR/logs).
  create-topics --bootstrap HOST:PORT SPEC [SPEC ...]
      Create topics that do not exist yet, and wait until they show in metadata with a leader for
      every partition. SPEC is name:partitions or name:partitions:compact (cleanup.policy=compact).
      A topic that exists with another partition count is an error.
  stop [--dir DIR] [--clean]
      SIGTERM the broker of DIR, SIGKILL it after ${stop_timeout} s. --clean then removes DIR.
  status [--dir DIR]
      Print whether the broker of DIR runs and its bootstrap address. Exit 0 when it runs and
      answers, 3 otherwise.

DIR defaults to \$WIREFEED_KAFKA_DIR or /tmp/wirefeed-kafka.
Environment: WIREFEED_CACHE (default ~/.cache/wirefeed), WIREFEED_KAFKA_DIR,
WIREFEED_KAFKA_START_TIMEOUT (seconds, default 90), WIREFEED_KAFKA_JVM_OPTS (extra broker JVM options).
Needs: java (17), mvn (first fetch only), kcat; python3 is used to pick free ports when present.
EOF
}

log() { printf 'kafka-local: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}
need() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found (scripts/install-deps.sh installs it)"
  done
}

# ---------------------------------------------------------------------------------------------
# fetch

pom_hash() { sha256sum "$pom" | cut -d' ' -f1; }

fetch_complete() {
  [[ -f $fetch_marker && -d $libs ]] && [[ $(<"$fetch_marker") == "$(pom_hash)" ]]
}

write_tools_log4j() {
  # Command line tools (StorageTool, TopicCommand) log warnings to stderr, nothing else.
  cat >"$tools_log4j.tmp" <<'EOF'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
  mv -f "$tools_log4j.tmp" "$tools_log4j"
}

cmd_fetch() {
  [[ $# -eq 0 ]] || die "fetch takes no arguments"
  need java
  [[ -f $pom ]] || die "$pom is missing"
  mkdir -p "$kafka_home"
  # Concurrent fetches (two build trees, two shells) wait for each other.
  local lock_fd
  exec {lock_fd}>"$kafka_home/.lock"
  flock -w 900 "$lock_fd" || die "timed out waiting for the fetch lock $kafka_home/.lock"
  [[ -f $tools_log4j ]] || write_tools_log4j
  if fetch_complete; then
    exec {lock_fd}>&-
    return 0
  fi
  need mvn
  local partial="$kafka_home/libs.partial" began=$SECONDS
  rm -rf "$libs" "$partial" "$fetch_marker"
  log "fetching Kafka $KAFKA_VERSION class path from Maven Central into $libs (one time)"
  # -f on the pom, output elsewhere: nothing is written next to the pom. Maven's output goes to a
  # log file, shown when it fails.
  if ! mvn -B -ntp -Dstyle.color=never -f "$pom" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$partial" >"$kafka_home/mvn.log" 2>&1; then
    tail -n 40 "$kafka_home/mvn.log" >&2
    rm -rf "$partial"
    die "mvn dependency:copy-dependencies failed (is Maven Central reachable? log: $kafka_home/mvn.log)"
  fi
  local jar
  for jar in "kafka_$SCALA_VERSION-$KAFKA_VERSION.jar" "kafka-tools-$KAFKA_VERSION.jar" \
    "kafka-clients-$KAFKA_VERSION.jar" slf4j-reload4j-1.7.36.jar; do
    [[ -f $partial/$jar ]] || die "fetched class path lacks $jar"
  done
  mv "$partial" "$libs"
  write_tools_log4j
  pom_hash >"$fetch_marker"
  log "fetched $(find "$libs" -name '*.jar' | wc -l) jars ($(du -sh "$libs" | cut -f1)) in $((SECONDS - began)) s"
  exec {lock_fd}>&-
}

# ---------------------------------------------------------------------------------------------
# helpers

# A free TCP port on 127.0.0.1 (racy by nature; start retries when the broker cannot bind).
free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
    return
  fi
  local port attempt
  for attempt in $(seq 1 200); do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    # Connection refused means nobody listens there.
    if ! port_in_use "$port"; then
      echo "$port"
      return
    fi
  done
  die "found no free port after $attempt attempts"
}

# True if pid $1 exists and is not a zombie.
pid_alive() {
  local state
  [[ -r /proc/$1/stat ]] || return 1
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n $state && $state != Z ]]
}

# Prints the pid of the broker of $dir if it runs. The command line must name kafka.Kafka and
# this directory's server.properties, so a recycled pid is never mistaken for the broker.
broker_pid() {
  local pid
  [[ -f $dir/kafka.pid ]] || return 1
  pid=$(<"$dir/kafka.pid")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  pid_alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null |
    grep -qF -- "kafka.Kafka $dir/server.properties" || return 1
  echo "$pid"
}

# The value given to option $1 ($2), or a clear error when there is none.
value_of() {
  [[ -n $2 ]] || die "$1 needs a value"
  echo "$2"
}

answers_metadata() { kcat -L -b "$1" -m "${2:-3}" >/dev/null 2>&1; }

# The logs grow across runs: what the latest launch wrote is what follows these line counts.
declare -A log_mark=()
mark_logs() {
  local f
  for f in "$dir/logs/server.log" "$dir/logs/kafka.out"; do
    log_mark[$f]=0
    if [[ -f $f ]]; then log_mark[$f]=$(wc -l <"$f"); fi
  done
}
# What $1 (a log file) got since mark_logs (all of it without a mark).
since_mark() { tail -n "+$((${log_mark[$1]:-0} + 1))" "$1" 2>/dev/null; }

log_tail() {
  local f
  for f in "$dir/logs/server.log" "$dir/logs/kafka.out"; do
    if [[ -s $f ]]; then
      log "last lines of $f:"
      tail -n 40 "$f" >&2
    fi
  done
  if since_mark "$dir/logs/server.log" | grep -qE '^\[[^]]*\] (ERROR|FATAL) '; then
    log "first errors in $dir/logs/server.log (this start):"
    since_mark "$dir/logs/server.log" | grep -E '^\[[^]]*\] (ERROR|FATAL) ' | head -n 5 >&2
  fi
}

# True if something listens on 127.0.0.1:$1.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Checks name:partitions[:compact]; prints "name partitions policy".
parse_topic_spec() {
  local spec=$1 name parts policy extra
  IFS=: read -r name parts policy extra <<<"$spec"
  [[ $name =~ ^[A-Za-z0-9._-]{1,249}$ && $name != . && $name != .. ]] ||
    die "bad topic name in '$spec'"
  [[ $parts =~ ^[1-9][0-9]{0,4}$ ]] || die "bad partition count in '$spec' (name:partitions[:compact])"
  [[ -z $policy || $policy == compact ]] || die "bad cleanup policy in '$spec' (only 'compact')"
  [[ -z $extra ]] || die "bad topic spec '$spec'"
  echo "$name $parts ${policy:-delete}"
}

# From `kcat -L` output on stdin, for topic $1: prints "<partitions> <ready>" where ready is 1 when
# the topic has no error and every partition has a leader; prints nothing for an absent topic.
topic_state() {
  awk -v want="\"$1\"" '
    $1 == "topic" { cur = ($2 == want); if (cur) { found = 1; n = $4; ok = ($0 !~ /partitions: /) } next }
    $1 == "partition" && cur { if ($4 == "-1," || $0 ~ /Broker:|Local:/) ok = 0; seen++ }
    $1 != "partition" { cur = 0 }
    END { if (found && n > 0) print n, (ok && seen == n) ? 1 : 0 }'
}

create_topics() {
  local bootstrap=$1 spec name parts policy metadata state deadline
  shift
  [[ $# -gt 0 ]] || return 0
  local -a parsed=()
  for spec in "$@"; do
    parse_topic_spec "$spec" >/dev/null # dies here, in this shell, on a bad spec
    parsed+=("$(parse_topic_spec "$spec")")
  done
  metadata=$(kcat -L -b "$bootstrap" -m 10 2>&1) || die "no metadata from $bootstrap: $metadata"
  # One TopicCommand JVM per missing topic (it creates one topic per run), all in parallel: JVM
  # start-up dominates, and C1-only JIT with the serial GC roughly halves it for such short runs.
  local -a missing_specs=()
  for spec in "${parsed[@]}"; do
    read -r name parts policy <<<"$spec"
    state=$(topic_state "$name" <<<"$metadata")
    if [[ -z $state ]]; then
      missing_specs+=("$spec")
    elif [[ ${state% *} != "$parts" ]]; then
      die "topic $name exists with ${state% *} partitions, not $parts (stop --clean to start over)"
    fi
  done
  local out_dir
  out_dir=$(mktemp -d)
  local -a pids=() names=()
  for spec in "${missing_specs[@]}"; do
    read -r name parts policy <<<"$spec"
    local -a config=()
    [[ $policy == compact ]] && config=(--config cleanup.policy=compact)
    log "creating topic $name ($parts partitions, cleanup.policy=$policy)"
    java "${tool_jvm_opts[@]}" -cp "$libs/*" org.apache.kafka.tools.TopicCommand \
      --bootstrap-server "$bootstrap" --create --if-not-exists --topic "$name" \
      --partitions "$parts" --replication-factor 1 "${config[@]}" >"$out_dir/$name" 2>&1 &
    pids+=("$!")
    names+=("$name")
  done
  local i failed=""
  for i in "${!pids[@]}"; do
    if ! wait "${pids[$i]}"; then
      # TopicCommand prints errors on stdout; stdout stays reserved for the bootstrap address.
      cat "$out_dir/${names[$i]}" >&2
      failed+=" ${names[$i]}"
    fi
  done
  rm -rf "$out_dir"
  [[ -z $failed ]] || die "creating topics failed:$failed"
  # Wait until every topic is in metadata with a leader for each partition.
  deadline=$((SECONDS + 60))
  while :; do
    local missing=""
    metadata=$(kcat -L -b "$bootstrap" -m 5 2>/dev/null) || metadata=""
    for spec in "${parsed[@]}"; do
      read -r name parts policy <<<"$spec"
      state=$(topic_state "$name" <<<"$metadata")
      [[ $state == "$parts 1" ]] || missing+=" $name"
    done
    [[ -z $missing ]] && return 0
    ((SECONDS < deadline)) || die "topics not ready in metadata after 60 s:$missing"
    sleep 0.3
  done
}

# ---------------------------------------------------------------------------------------------
# start / stop / status

# Set by start while it owns a broker it has just launched: killed if start fails.
launched_pid=""
# The fd start holds its lock of DIR on; the broker must not inherit it.
start_lock_fd=""
on_start_exit() {
  local rc=$?
  if [[ $rc -ne 0 && -n $launched_pid ]]; then
    log_tail
    log "stopping the broker (pid $launched_pid) this failed start launched"
    kill -KILL "$launched_pid" 2>/dev/null || true
    wait "$launched_pid" 2>/dev/null || true
    rm -f "$dir/kafka.pid"
  fi
  exit "$rc"
}

write_config() {
  local port=$1 cport=$2
  cat >"$dir/server.properties" <<EOF
# Written by scripts/kafka-local.sh on every start: edits are lost.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=1
auto.create.topics.enable=false
# One broker: every internal topic has one replica.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
# One partition each instead of 50: created on first use, much faster on a small machine.
offsets.topic.num.partitions=1
transaction.state.log.num.partitions=1
group.initial.rebalance.delay.ms=0
EOF
  cat >"$dir/log4j.properties" <<EOF
# Written by scripts/kafka-local.sh on every start.
log4j.rootLogger=INFO, server
log4j.appender.server=org.apache.log4j.RollingFileAppender
log4j.appender.server.File=$dir/logs/server.log
log4j.appender.server.MaxFileSize=50MB
log4j.appender.server.MaxBackupIndex=2
log4j.appender.server.layout=org.apache.log4j.PatternLayout
log4j.appender.server.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.appender.state=org.apache.log4j.RollingFileAppender
log4j.appender.state.File=$dir/logs/state-change.log
log4j.appender.state.MaxFileSize=20MB
log4j.appender.state.MaxBackupIndex=1
log4j.appender.state.layout=org.apache.log4j.PatternLayout
log4j.appender.state.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=INFO, state
log4j.additivity.state.change.logger=false
EOF
}

random_cluster_id() {
  # A Kafka Uuid: 16 random bytes, URL-safe base64 without padding, not starting with '-'.
  local id
  while :; do
    id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    [[ $id == -* ]] || break
  done
  echo "$id"
}

# Launches the broker of $dir in the background, in its own session (a closing terminal or Ctrl-C
# in the caller does not take it down) with nothing inherited on stdin/stdout/stderr (a ctest or
# CI step does not wait on it). Sets launched_pid.
launch_broker() {
  local -a jvm_opts=(-Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError
    -Djava.awt.headless=true "-Dlog4j.configuration=file:$dir/log4j.properties"
    "-Dkafka.logs.dir=$dir/logs")
  local -a extra=()
  read -r -a extra <<<"${WIREFEED_KAFKA_JVM_OPTS:-}"
  rm -f "$dir/kafka.pid"
  # The process writes its own pid, then execs java: the pid file holds the JVM's pid.
  (
    if [[ -n $start_lock_fd ]]; then exec {start_lock_fd}>&-; fi
    # shellcheck disable=SC2016 # $0 and $$ expand in the inner shell
    exec setsid bash -c 'echo $$ >"$0.tmp" && mv -f "$0.tmp" "$0" && exec "$@"' "$dir/kafka.pid" \
      java "${jvm_opts[@]}" "${extra[@]}" -cp "$libs/*" kafka.Kafka "$dir/server.properties"
  ) </dev/null >>"$dir/logs/kafka.out" 2>&1 &
  local child=$! i
  for i in $(seq 1 100); do
    [[ -s $dir/kafka.pid ]] && break
    sleep 0.05
  done
  [[ -s $dir/kafka.pid ]] || die "broker did not start (no $dir/kafka.pid)"
  launched_pid=$(<"$dir/kafka.pid")
  # Normally the same process as $child; if setsid had to fork, $child has exited already.
  [[ $launched_pid == "$child" ]] || wait "$child" 2>/dev/null || true
}

# Waits until the broker at $1 (pid $2) answers metadata. Returns 2 if the process died.
wait_ready() {
  local bootstrap=$1 pid=$2 deadline=$((SECONDS + start_timeout))
  while ((SECONDS < deadline)); do
    answers_metadata "$bootstrap" 2 && return 0
    pid_alive "$pid" || return 2
    sleep 0.3
  done
  return 1
}

cmd_start() {
  local port=auto cport=auto topics="" fresh=0 explicit_port=0
  dir=$default_dir
  while [[ $# -gt 0 ]]; do
    case $1 in
    --port) port=$(value_of --port "${2-}"); explicit_port=1; shift 2 ;;
    --controller-port) cport=$(value_of --controller-port "${2-}"); shift 2 ;;
    --dir) dir=$(value_of --dir "${2-}"); shift 2 ;;
    --topics) topics=${2?--topics needs a value}; shift 2 ;;
    --fresh) fresh=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "start: unknown argument '$1' (see --help)" ;;
    esac
  done
  [[ $port == 0 || $port == auto ]] && port=auto && explicit_port=0
  [[ $cport == 0 ]] && cport=auto
  [[ $port == auto || ($port =~ ^[1-9][0-9]{0,4}$ && $port -le 65535) ]] || die "bad --port '$port' (1-65535 or auto)"
  [[ $cport == auto || ($cport =~ ^[1-9][0-9]{0,4}$ && $cport -le 65535) ]] ||
    die "bad --controller-port '$cport' (1-65535 or auto)"
  [[ $port == auto || $port != "$cport" ]] || die "--port and --controller-port must differ"
  local -a topic_specs=()
  read -r -a topic_specs <<<"$topics"
  local spec name rest
  local -A named=()
  for spec in "${topic_specs[@]}"; do
    read -r name rest <<<"$(parse_topic_spec "$spec")"
    [[ -z ${named[$name]:-} ]] || die "topic $name is named twice in --topics"
    named[$name]=1
  done
  need java kcat setsid flock
  dir=$(realpath -m "$dir")
  ((fresh)) && stop_broker 1

  mkdir -p "$dir"
  # Locked first: two starts on a new dir (one makes it) must not take each other's lock file
  # for a stranger's content.
  [[ -e $dir/$dir_marker || -z $(ls -A "$dir") || -e $dir/.lock ]] ||
    die "$dir exists, is not empty and was not made by this script"
  exec {start_lock_fd}>"$dir/.lock"
  flock -w 300 "$start_lock_fd" || die "another kafka-local.sh holds $dir/.lock"
  [[ -e $dir/$dir_marker || -z $(ls -A "$dir" | grep -vx '.lock') ]] ||
    die "$dir exists, is not empty and was not made by this script"
  touch "$dir/$dir_marker"

  local pid bootstrap=""
  if pid=$(broker_pid); then
    bootstrap=$(<"$dir/bootstrap")
    if ((explicit_port)) && [[ $bootstrap != "127.0.0.1:$port" ]]; then
      die "the broker of $dir already runs at $bootstrap, not port $port (stop it first)"
    fi
    log "reusing the running broker of $dir (pid $pid) at $bootstrap"
    wait_ready "$bootstrap" "$pid" || {
      log_tail
      die "the running broker (pid $pid) does not answer at $bootstrap"
    }
  else
    # Fixed ports are never retried: fail now, clearly, if one is taken.
    [[ $port == auto ]] || ! port_in_use "$port" || die "port $port on 127.0.0.1 is in use"
    [[ $cport == auto ]] || ! port_in_use "$cport" || die "port $cport on 127.0.0.1 is in use"
    cmd_fetch
    mkdir -p "$dir/logs" "$dir/data"
    trap on_start_exit EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    local attempt p c rc
    for attempt in 1 2 3; do
      p=$port c=$cport
      if [[ $port == auto ]]; then
        p=$(free_port)
        while [[ $p == "$cport" ]]; do p=$(free_port); done
      fi
      if [[ $cport == auto ]]; then
        c=$(free_port)
        while [[ $c == "$p" ]]; do c=$(free_port); done
      fi
      write_config "$p" "$c"
      if [[ ! -f $dir/data/meta.properties ]]; then
        # Static quorum (controller.quorum.voters): plain format, no --standalone (that is for
        # the dynamic controller.quorum.bootstrap.servers form).
        java "${tool_jvm_opts[@]}" -cp "$libs/*" kafka.tools.StorageTool \
          format -t "$(random_cluster_id)" -c "$dir/server.properties" >&2 ||
          die "formatting $dir/data failed"
      fi
      bootstrap="127.0.0.1:$p"
      echo "$bootstrap" >"$dir/bootstrap"
      log "starting Kafka $KAFKA_VERSION at $bootstrap (controller 127.0.0.1:$c), logs in $dir/logs"
      mark_logs
      launch_broker
      rc=0
      wait_ready "$bootstrap" "$launched_pid" || rc=$?
      [[ $rc -eq 0 ]] && break
      if [[ $rc -eq 2 && ($port == auto || $cport == auto) ]] &&
        { since_mark "$dir/logs/server.log"; since_mark "$dir/logs/kafka.out"; } | grep -q 'Address already in use' &&
        [[ $attempt -lt 3 ]]; then
        log "a picked port was taken meanwhile; retrying with new ports"
        wait "$launched_pid" 2>/dev/null || true
        launched_pid=""
        continue
      fi
      [[ $rc -eq 2 ]] && die "the broker exited during startup"
      die "the broker did not answer metadata at $bootstrap within $start_timeout s"
    done
    log "broker up (pid $launched_pid)"
  fi
  create_topics "$bootstrap" "${topic_specs[@]}"
  launched_pid="" # success: the broker stays up
  trap - EXIT INT TERM
  exec {start_lock_fd}>&-
  start_lock_fd=""
  echo "$bootstrap"
}

# Stops the broker of $dir; with $1 = 1 also removes $dir.
stop_broker() {
  local clean=$1 pid i
  if pid=$(broker_pid); then
    log "stopping the broker of $dir (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < stop_timeout * 5; i++)); do
      pid_alive "$pid" || break
      sleep 0.2
    done
    if pid_alive "$pid"; then
      log "no exit after ${stop_timeout} s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      for ((i = 0; i < 50; i++)); do
        pid_alive "$pid" || break
        sleep 0.1
      done
    fi
    pid_alive "$pid" && die "pid $pid survived SIGKILL"
    log "stopped"
  else
    log "no broker running from $dir"
  fi
  rm -f "$dir/kafka.pid"
  if ((clean)) && [[ -e $dir ]]; then
    [[ $dir != / && $dir != "${HOME:-/}" ]] || die "refusing to remove $dir"
    [[ -e $dir/$dir_marker || -z $(ls -A "$dir") ]] ||
      die "refusing to remove $dir: it was not made by this script (no $dir_marker)"
    rm -rf "$dir"
    log "removed $dir"
  fi
}

cmd_stop() {
  local clean=0
  dir=$default_dir
  while [[ $# -gt 0 ]]; do
    case $1 in
    --dir) dir=$(value_of --dir "${2-}"); shift 2 ;;
    --clean) clean=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "stop: unknown argument '$1' (see --help)" ;;
    esac
  done
  dir=$(realpath -m "$dir")
  stop_broker "$clean"
}

cmd_status() {
  dir=$default_dir
  while [[ $# -gt 0 ]]; do
    case $1 in
    --dir) dir=$(value_of --dir "${2-}"); shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) die "status: unknown argument '$1' (see --help)" ;;
    esac
  done
  dir=$(realpath -m "$dir")
  local pid bootstrap
  if ! pid=$(broker_pid); then
    echo "not running ($dir)"
    exit 3
  fi
  bootstrap=$(cat "$dir/bootstrap" 2>/dev/null || echo "?")
  if answers_metadata "$bootstrap" 3; then
    echo "running (pid $pid) bootstrap $bootstrap ($dir)"
  else
    echo "running but not answering (pid $pid) bootstrap $bootstrap ($dir)"
    exit 3
  fi
}

cmd_create_topics() {
  local bootstrap=""
  local -a specs=()
  while [[ $# -gt 0 ]]; do
    case $1 in
    --bootstrap) bootstrap=$(value_of --bootstrap "${2-}"); shift 2 ;;
    -h | --help) usage; exit 0 ;;
    -*) die "create-topics: unknown option '$1' (see --help)" ;;
    *) specs+=("$1"); shift ;;
    esac
  done
  [[ -n $bootstrap ]] || die "create-topics needs --bootstrap HOST:PORT"
  [[ ${#specs[@]} -gt 0 ]] || die "create-topics needs at least one name:partitions"
  for spec in "${specs[@]}"; do parse_topic_spec "$spec" >/dev/null; done
  need java kcat
  cmd_fetch
  create_topics "$bootstrap" "${specs[@]}"
}

main() {
  [[ $# -gt 0 ]] || {
    usage >&2
    exit 2
  }
  local cmd=$1
  shift
  case $cmd in
  fetch) cmd_fetch "$@" ;;
  start) cmd_start "$@" ;;
  stop) cmd_stop "$@" ;;
  status) cmd_status "$@" ;;
  create-topics) cmd_create_topics "$@" ;;
  -h | --help | help) usage ;;
  *)
    log "unknown command '$cmd'"
    usage >&2
    exit 2
    ;;
  esac
}

main "$@"
