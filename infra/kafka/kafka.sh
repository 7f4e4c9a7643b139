#!/usr/bin/env bash
# Local single-node Apache Kafka (KRaft, combined broker+controller) without Docker.
#
# Usage: infra/kafka/kafka.sh start|stop|status|wait|clean|topics [TopicCommand args...]
#
#   start   resolve the broker jars (Maven Central, cached), format the state dir the first
#           time only (the cluster id is kept) and start the broker in the background on
#           the data it already has: topics and offsets survive stop, kill -9 and reboots.
#           No-op if a broker already answers on 127.0.0.1:$KAFKA_PORT.
#   wait    wait (bounded) until the port opens and a metadata request (describeCluster)
#           succeeds. On timeout prints the last 30 lines of the broker log, exits 1.
#   stop    SIGTERM, up to 20 s, then SIGKILL. No-op if not running.
#   status  one line; exit 0 if running and answering, 3 if not running, 1 if unhealthy.
#   clean   stop, then delete the state dir (the jar cache is kept). The only command that
#           deletes broker data.
#   topics  run org.apache.kafka.tools.TopicCommand against the broker, e.g.
#           kafka.sh topics --create --topic orders --partitions 6
#           (auto.create.topics.enable=false, so tests must create their topics).
#
# Environment:
#   GRIDCASE_CACHE          jar cache root          (default $HOME/.cache/gridcase)
#   GRIDCASE_STATE_DIR      persistent state root   (default ${XDG_STATE_HOME:-$HOME/.local/state}/gridcase)
#   KAFKA_STATE_DIR         broker state dir        (default $GRIDCASE_STATE_DIR/kafka): config,
#                           cluster.id, data/ (topics), broker.log, kafka.pid
#   KAFKA_PORT              PLAINTEXT port          (default 9092)
#   KAFKA_CONTROLLER_PORT   CONTROLLER port         (default 9093)
#   KAFKA_WAIT_TIMEOUT      seconds for `wait`      (default 120: recovery after kill -9 takes longer)
#   KAFKA_HEAP_OPTS         broker heap             (default "-Xms128m -Xmx512m")
#   KAFKA_LOG_LEVEL         broker log level        (default WARN)
#   JAVA_HOME               if set, $JAVA_HOME/bin/java is used instead of `java` on PATH
set -euo pipefail

readonly KAFKA_VERSION=4.1.2
readonly SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
readonly POM="$SCRIPT_DIR/pom.xml"
readonly BROKER_LOG4J="$SCRIPT_DIR/log4j2.xml"
readonly TOOLS_LOG4J="$SCRIPT_DIR/log4j2-tools.xml"

readonly GRIDCASE_CACHE="${GRIDCASE_CACHE:-$HOME/.cache/gridcase}"
readonly LIBS="$GRIDCASE_CACHE/kafka-libs"
# Jars whose presence means the cache is complete (kafka_2.13 = broker, kafka-tools = CLI tools).
readonly MARKER_JARS=("kafka_2.13-$KAFKA_VERSION.jar" "kafka-tools-$KAFKA_VERSION.jar")

readonly HOST=127.0.0.1
readonly PORT="${KAFKA_PORT:-9092}"
readonly CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
readonly BOOTSTRAP="$HOST:$PORT"
# Not under /tmp: a reboot (tmpfs, tmp cleaners) must not take the topics with it.
readonly STATE_ROOT="${GRIDCASE_STATE_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/gridcase}"
readonly STATE_DIR="${KAFKA_STATE_DIR:-$STATE_ROOT/kafka}"
readonly DATA_DIR="$STATE_DIR/data"
readonly PROPS="$STATE_DIR/server.properties"
readonly ADMIN_PROPS="$STATE_DIR/admin.properties"
readonly PID_FILE="$STATE_DIR/kafka.pid"
readonly CLUSTER_ID_FILE="$STATE_DIR/cluster.id"
readonly META_FILE="$DATA_DIR/meta.properties"
readonly START_LOCK="$STATE_DIR/start.lock"
readonly BROKER_LOG="$STATE_DIR/broker.log"
readonly WAIT_TIMEOUT="${KAFKA_WAIT_TIMEOUT:-120}"
readonly HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms128m -Xmx512m}"
readonly LOG_LEVEL="${KAFKA_LOG_LEVEL:-WARN}"

say() { printf 'kafka: %s\n' "$*"; }
die() { printf 'kafka: ERROR: %s\n' "$*" >&2; exit 1; }

usage() {
  echo "usage: $0 start|stop|status|wait|clean|topics [TopicCommand args...]" >&2
  exit 2
}

# ---------------------------------------------------------------------------- helpers

port_open() { # port -> 0 if something accepts TCP connections on $HOST:port
  timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null
}

JAVA=""
find_java() {
  [[ -n "$JAVA" ]] && return 0
  if [[ -n "${JAVA_HOME:-}" ]]; then
    JAVA="$JAVA_HOME/bin/java"
    [[ -x "$JAVA" ]] || die "JAVA_HOME=$JAVA_HOME but $JAVA is not an executable"
  else
    JAVA="$(command -v java || true)"
    [[ -n "$JAVA" ]] || die "java not found on PATH (Kafka $KAFKA_VERSION needs Java 17+; or set JAVA_HOME)"
  fi
  local spec major
  spec="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')"
  major="${spec#1.}"; major="${major%%.*}"
  [[ "$major" =~ ^[0-9]+$ ]] || die "could not determine the Java version of $JAVA"
  ((major >= 17)) || die "$JAVA is Java $spec; Kafka $KAFKA_VERSION needs Java 17+ (set JAVA_HOME)"
}

libs_complete() {
  local jar
  for jar in "${MARKER_JARS[@]}"; do [[ -f "$LIBS/$jar" ]] || return 1; done
}

ensure_libs() {
  if libs_complete; then
    say "jars: cached in $LIBS"
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found on PATH (needed once to fetch Kafka $KAFKA_VERSION jars into $LIBS)"
  say "jars: resolving Kafka $KAFKA_VERSION from Maven Central into $LIBS"
  mkdir -p "$GRIDCASE_CACHE"
  # Resolve into a temporary dir and rename, so an interrupted download never looks complete.
  local tmp="$LIBS.partial.$$"
  rm -rf "$tmp"
  local out
  if ! out="$(mvn -q -B -f "$POM" dependency:copy-dependencies \
                -DincludeScope=runtime -DoutputDirectory="$tmp" 2>&1)"; then
    rm -rf "$tmp"
    printf '%s\n' "$out" | tail -n 30 >&2
    die "mvn dependency:copy-dependencies failed for $POM (is Maven Central reachable?)"
  fi
  local jar
  for jar in "${MARKER_JARS[@]}"; do
    [[ -f "$tmp/$jar" ]] || { rm -rf "$tmp"; die "mvn succeeded but $jar is missing from the resolved jars"; }
  done
  if libs_complete; then
    rm -rf "$tmp" # another run finished first; keep its (identical) jars
  else
    rm -rf "$LIBS"
    mv "$tmp" "$LIBS"
  fi
}

run_tool() { # MainClass args... ; CLI tool with WARN-to-stderr logging
  "$JAVA" -Xms32m -Xmx256m -XX:TieredStopAtLevel=1 \
    -Dlog4j2.configurationFile="$TOOLS_LOG4J" -cp "$LIBS/*" "$@"
}

is_our_broker() { # pid -> 0 if that process is a broker started with our server.properties
  local cmdline
  [[ -r "/proc/$1/cmdline" ]] || return 1
  cmdline="$(tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline")" || return 1
  [[ "$cmdline" == *"kafka.Kafka $PROPS "* ]]
}

# Prints the pid of the broker running on this state dir: the pid file's if that process is
# ours, else (pid file lost or stale after kill -9 / reboot, pid reused) a scan of /proc.
broker_pid() {
  local pid
  if [[ -f "$PID_FILE" ]]; then
    pid="$(<"$PID_FILE")"
    if [[ "$pid" =~ ^[0-9]+$ ]] && is_our_broker "$pid"; then
      echo "$pid"
      return 0
    fi
  fi
  for pid in /proc/[0-9]*; do
    pid="${pid#/proc/}"
    if is_our_broker "$pid"; then
      echo "$pid" >"$PID_FILE"
      echo "$pid"
      return 0
    fi
  done
  return 1
}

# Same format as `kafka.tools.StorageTool random-uuid` (Kafka Uuid: 16 random bytes,
# URL-safe base64, no padding, never starting with '-'), without starting a JVM (~1 s).
new_cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [[ "$id" == -* || "$id" == AAAAAAAAAAAAAAAAAAAAA[AQ] ]] || break
  done
  echo "$id"
}

log_tail() {
  if [[ -s "$BROKER_LOG" ]]; then
    echo "---- last 30 lines of $BROKER_LOG ----" >&2
    tail -n 30 "$BROKER_LOG" >&2
    echo "----" >&2
  else
    echo "(broker log $BROKER_LOG is empty or missing)" >&2
  fi
}

write_config() {
  cat >"$PROPS" <<EOF
# Generated by infra/kafka/kafka.sh on each start; edits are overwritten.
# Single combined broker+controller node, static KRaft quorum.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA_DIR
num.partitions=6
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.cleaner.dedupe.buffer.size=16777216
EOF
  # Admin-client settings for the readiness probe: fail fast so `wait` can retry.
  cat >"$ADMIN_PROPS" <<EOF
request.timeout.ms=3000
default.api.timeout.ms=5000
socket.connection.setup.timeout.ms=2000
socket.connection.setup.timeout.max.ms=2000
EOF
}

# ---------------------------------------------------------------------------- commands

cmd_start() {
  local pid
  if port_open "$PORT"; then
    if pid="$(broker_pid)"; then
      say "broker already running on $BOOTSTRAP (pid $pid)"
    else
      say "a broker already answers on $BOOTSTRAP (not started from $STATE_DIR); leaving it alone"
    fi
    return 0
  fi
  if pid="$(broker_pid)"; then
    say "broker already starting (pid $pid, $BOOTSTRAP not open yet); run '$0 wait'"
    return 0
  fi
  if port_open "$CONTROLLER_PORT"; then
    die "controller port $HOST:$CONTROLLER_PORT is already in use by another process (set KAFKA_CONTROLLER_PORT)"
  fi

  find_java
  ensure_libs

  mkdir -p "$STATE_DIR"
  # Two starts at once (two `infra/dev up`) must not both format or both launch a broker.
  exec 9>"$START_LOCK"
  flock -w 120 9 || die "another '$0 start' holds $START_LOCK"
  if pid="$(broker_pid)"; then
    say "broker already starting (pid $pid); run '$0 wait'"
    return 0
  fi
  # The broker was killed (-9, reboot): its pid file is stale. Kafka's own data-dir .lock is
  # an OS file lock, released with the process, so the file itself is harmless.
  rm -f "$PID_FILE"
  write_config
  ensure_formatted

  say "start: kafka.Kafka on $BOOTSTRAP (controller $HOST:$CONTROLLER_PORT), state $STATE_DIR, log $BROKER_LOG"
  printf '\n==== %s kafka.sh start (cluster id %s) ====\n' "$(date -Is)" "$(<"$CLUSTER_ID_FILE")" >>"$BROKER_LOG"
  # setsid: own session, so the broker outlives the calling shell/job and its signals.
  # 9>&-: the broker must not inherit (and so hold) the start lock.
  # shellcheck disable=SC2086  # HEAP_OPTS is intentionally word-split
  setsid "$JAVA" $HEAP_OPTS -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$BROKER_LOG4J" -Dkafka.log.level="$LOG_LEVEL" \
    -cp "$LIBS/*" kafka.Kafka "$PROPS" >>"$BROKER_LOG" 2>&1 </dev/null 9>&- &
  pid=$!
  echo "$pid" >"$PID_FILE"
  sleep 0.5
  if ! kill -0 "$pid" 2>/dev/null; then
    rm -f "$PID_FILE"
    log_tail
    die "broker process exited immediately (see $BROKER_LOG)"
  fi
  say "started (pid $pid); run '$0 wait' to block until it is ready"
}

# Formats the data dir the first time only. Afterwards meta.properties holds the cluster id
# the data belongs to, and a broker started with another id would refuse the data.
ensure_formatted() {
  local cluster_id out
  if [[ -f "$META_FILE" ]]; then
    cluster_id="$(sed -n 's/^cluster\.id=//p' "$META_FILE")"
    [[ -n "$cluster_id" ]] || die "$META_FILE has no cluster.id; the state is damaged ('$0 clean' wipes it)"
    if [[ "$(cat "$CLUSTER_ID_FILE" 2>/dev/null)" != "$cluster_id" ]]; then echo "$cluster_id" >"$CLUSTER_ID_FILE"; fi
    say "state: reusing $STATE_DIR (cluster id $cluster_id)"
    return 0
  fi
  # Kept from an interrupted format, else new.
  cluster_id="$(cat "$CLUSTER_ID_FILE" 2>/dev/null || true)"
  [[ "$cluster_id" =~ ^[A-Za-z0-9_-]{22}$ ]] || cluster_id="$(new_cluster_id)"
  [[ "$cluster_id" =~ ^[A-Za-z0-9_-]{22}$ ]] \
    || die "could not generate a cluster id (got '$cluster_id')"
  echo "$cluster_id" >"$CLUSTER_ID_FILE"
  mkdir -p "$DATA_DIR"
  say "format: new state in $STATE_DIR, cluster id $cluster_id"
  if ! out="$(run_tool kafka.tools.StorageTool format -t "$cluster_id" -c "$PROPS" --ignore-formatted 2>&1)"; then
    printf '%s\n' "$out" >&2
    die "kafka.tools.StorageTool format failed for $PROPS"
  fi
}

cmd_wait() {
  find_java
  libs_complete || die "Kafka jars missing in $LIBS; run '$0 start' first"
  local start now deadline pid id expected=""
  start="$(date +%s%N)"
  deadline=$(( $(date +%s) + WAIT_TIMEOUT ))
  say "wait: up to ${WAIT_TIMEOUT}s for $BOOTSTRAP (port + describeCluster)"

  # Only compare cluster ids when the broker on the port is the one in our state dir.
  if broker_pid >/dev/null && [[ -s "$CLUSTER_ID_FILE" ]]; then
    expected="$(<"$CLUSTER_ID_FILE")"
  fi

  local admin_cfg=()
  [[ -f "$ADMIN_PROPS" ]] && admin_cfg=(--config "$ADMIN_PROPS")

  while :; do
    if [[ -f "$PID_FILE" ]] && ! broker_pid >/dev/null && ! port_open "$PORT"; then
      log_tail
      die "broker process (pid $(<"$PID_FILE")) is not running; it exited during startup"
    fi
    if port_open "$PORT"; then
      # org.apache.kafka.tools.ClusterTool cluster-id = Admin.describeCluster() = a metadata request.
      if id="$(run_tool org.apache.kafka.tools.ClusterTool cluster-id \
                 --bootstrap-server "$BOOTSTRAP" "${admin_cfg[@]}" 2>/dev/null)"; then
        id="$(sed -n 's/^Cluster ID: *//p' <<<"$id")"
        if [[ -n "$expected" && "$id" != "$expected" ]]; then
          die "$BOOTSTRAP answers with cluster id '$id', expected '$expected' (another broker on the port?)"
        fi
        now="$(date +%s%N)"
        say "ready: $BOOTSTRAP cluster id ${id:-?} ($(( (now - start) / 1000000 )) ms)"
        return 0
      fi
    fi
    if (( $(date +%s) >= deadline )); then
      log_tail
      die "timed out after ${WAIT_TIMEOUT}s waiting for a broker on $BOOTSTRAP"
    fi
    sleep 0.5
  done
}

cmd_stop() {
  local pid
  if ! pid="$(broker_pid)"; then
    rm -f "$PID_FILE"
    if port_open "$PORT"; then
      die "something answers on $BOOTSTRAP but it was not started from $STATE_DIR (no live pid file); not stopping it"
    fi
    say "not running"
    return 0
  fi
  say "stop: SIGTERM to pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for ((i = 0; i < 40; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "stop: pid $pid still alive after 20s, SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 20; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    kill -0 "$pid" 2>/dev/null && die "pid $pid survived SIGKILL"
  fi
  rm -f "$PID_FILE"
  say "stopped"
}

cmd_status() {
  local pid
  if pid="$(broker_pid)"; then
    if port_open "$PORT"; then
      say "running (pid $pid) on $BOOTSTRAP, state $STATE_DIR (cluster id $(cat "$CLUSTER_ID_FILE" 2>/dev/null || echo '?'))"
      return 0
    fi
    say "process running (pid $pid) but $BOOTSTRAP is not open (starting, or unhealthy: see $BROKER_LOG)"
    return 1
  fi
  if port_open "$PORT"; then
    say "a broker answers on $BOOTSTRAP (not started from $STATE_DIR)"
    return 0
  fi
  say "not running"
  return 3
}

cmd_clean() {
  cmd_stop
  [[ -e "$STATE_DIR" ]] || { say "nothing to remove ($STATE_DIR does not exist)"; return 0; }
  case "$STATE_DIR" in
    "" | / | "$HOME" | "$HOME/" | /tmp | /tmp/ | "$STATE_ROOT" | "$STATE_ROOT/") die "refusing to delete KAFKA_STATE_DIR=$STATE_DIR" ;;
  esac
  # Only a dir that looks like ours (or is empty): a mistyped KAFKA_STATE_DIR must not rm -rf a home.
  if [[ -n "$(ls -A "$STATE_DIR")" && ! -f "$PROPS" && ! -f "$CLUSTER_ID_FILE" && ! -d "$DATA_DIR" ]]; then
    die "refusing to delete $STATE_DIR: it does not look like a kafka.sh state dir (no server.properties, cluster.id or data/)"
  fi
  rm -rf "$STATE_DIR"
  say "removed $STATE_DIR: all topics and offsets (jar cache $LIBS kept)"
}

cmd_topics() {
  find_java
  libs_complete || die "Kafka jars missing in $LIBS; run '$0 start' first"
  run_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" "$@"
}

[[ $# -ge 1 ]] || usage
command="$1"; shift
case "$command" in
  start)  cmd_start ;;
  stop)   cmd_stop ;;
  status) cmd_status ;;
  wait)   cmd_wait ;;
  clean)  cmd_clean ;;
  topics) cmd_topics "$@" ;;
  -h | --help | help) usage ;;
  *) echo "kafka: unknown command '$command'" >&2; usage ;;
esac
