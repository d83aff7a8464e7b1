#!/usr/bin/env bash
# The worker benchmark of docs/benchmarks.md: messages/s from RabbitMQ and from SQS (fauxqs) into the
# store on versitygw, next to a framework-free baseline measured in the same run (bench/queueraw:
# receive + PutObject + ack at the same concurrency), then the end-to-end latency (publish → change
# event) at a steady load (bench/latency).
#   ./bench/worker.sh [MESSAGES] [CONCURRENCY] [RATE] [ROUNDS]     # defaults 10000 32 200 3
#   BENCH_TRANSPORTS=sqs limits it to one transport; BENCH_LOG_DIR=DIR keeps the workers' logs.
#   BENCH_PUBLISH_LINGER=-1ms sets the workers' publish_linger (-1ms: off; default: the worker's own, 5ms).
#   BENCH_WARMUP=0 skips the round that runs first, uncounted (default 1: the first raw round of a run is the
#   slowest, on a server that has just started, which flattered the worker).
#   BENCH_AMQP_QUEUE_VERSION=2 puts every queue of the run, the baseline's and the worker's, on RabbitMQ's classic
#   queue storage v2 (a policy set with rabbitmqctl, cleared at the end): what RabbitMQ recommends since 3.13
#   and the only storage from 4.3; this machine's 3.10 defaults to v1.
# Each round also prints the CPU seconds per 10,000 messages of the client (the raw loop or the worker), the broker
# (RabbitMQ or fauxqs) and the S3 server (versitygw), from /proc, for the drain alone: the run is CPU-bound on 2
# cores, and these say where a gap comes from. Servers not running on this machine count 0.
# Starts (or reuses) versitygw, fauxqs and RabbitMQ like ./scripts/test.sh. Run it on a quiet machine.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED_DIR="$(cd "$REPO_ROOT/.." && pwd)/shared"
S3DB_LOG_TAG="bench/worker.sh"
# shellcheck source=../scripts/lib/services.sh
source "$REPO_ROOT/scripts/lib/services.sh"
source "$REPO_ROOT/scripts/lib/setup.sh"
N="${1:-10000}"
C="${2:-32}"
RATE="${3:-200}"
ROUNDS="${4:-3}"
TRANSPORTS="${BENCH_TRANSPORTS:-amqp sqs}"   # e.g. BENCH_TRANSPORTS=sqs
LOGS="${BENCH_LOG_DIR:-}"                    # keep the workers' logs there (default: discarded)
WARMUP="${BENCH_WARMUP:-1}"                 # 1: one uncounted round first
LINGER="${BENCH_PUBLISH_LINGER:-}"          # the workers' amqp/sqs publish_linger (default: the worker's)
QUEUE_VERSION="${BENCH_AMQP_QUEUE_VERSION:-}" # 2: classic queues v2 on both sides (a policy)
POLICY="s3db-bench-queue-version"
policy_set=""

out="$(mktemp -d)"
worker_pid=""
pending=() # "TRANSPORT QUEUE..." of the round under way, deleted at the end of it or on exit
cleanup() {
  [[ -n "$worker_pid" ]] && kill "$worker_pid" 2>/dev/null || true
  drop_queues
  if [[ -n "$policy_set" ]]; then rabbitmqctl clear_policy "$POLICY" >/dev/null 2>&1 || true; fi
  services_release
  rm -rf "$out"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cd "$REPO_ROOT"
export S3DB_TEST_POSTGRES="" S3DBJS_RUN=""
setup_test_env
if [[ -n "$QUEUE_VERSION" && " $TRANSPORTS " == *" amqp "* ]]; then
  command -v rabbitmqctl >/dev/null || die "BENCH_AMQP_QUEUE_VERSION needs rabbitmqctl (RabbitMQ on this machine)"
  rabbitmqctl set_policy "$POLICY" '^(raw|in|changes|lat|latchanges)-[0-9]' "{\"queue-version\":$QUEUE_VERSION}" \
    --apply-to queues >/dev/null || die "could not set the queue-version policy"
  policy_set=1
  log "RabbitMQ: every queue of this run on classic queue storage v$QUEUE_VERSION (policy $POLICY)"
fi
log "building the worker and the bench programs"
go build -o "$out/worker" ./cmd/worker
go build -o "$out/queueraw" ./bench/queueraw
go build -o "$out/latency" ./bench/latency

# worker_config TRANSPORT IN CHANGES: a config on a fresh bucket prefix.
worker_config() {
  local transport="$1" in="$2" changes="$3" section
  if [[ "$transport" == amqp ]]; then
    section="amqp:
  url: \"$S3DB_TEST_AMQP\""
  else
    section="sqs:
  endpoint: \"$S3DB_TEST_SQS\"
  region: us-east-1
  access_key_id: test
  secret_access_key: test
  create_queues: true
  wait_time: 1s"
  fi
  if [[ -n "$LINGER" ]]; then section+="
  publish_linger: $LINGER"; fi
  cat >"$out/$in.yaml" <<EOF
store:
  connection: "$(s3_connection "bench-worker" "$in")"
resources:
  - name: events
    attributes:
      kind: string
      n: number|integer
      user: string
inputs:
  - transport: $transport
    queue: $in
    concurrency: $C
changes:
  transport: $transport
  topic: $changes
dead_letter:
  transport: $transport
  topic: $in-dead
http:
  addr: "off"
log:
  level: ${BENCH_LOG_LEVEL:-warn}
$section
EOF
  printf '%s' "$out/$in.yaml"
}

# drop_queues: deletes the queues in pending (a round's change events alone are 10,000 persistent messages,
# which would otherwise pile up on the broker run after run).
drop_queues() {
  if ((${#pending[@]})) && [[ -x "$out/queueraw" ]]; then
    "$out/queueraw" -delete -transport "${pending[0]}" "${pending[@]:1}" >/dev/null ||
      log "could not delete the queues ${pending[*]:1}"
  fi
  pending=()
}

# cpu_ticks PID: user + system CPU of a process in clock ticks (0 when it is not on this machine).
cpu_ticks() {
  [[ -n "$1" && "$1" != - && -r "/proc/$1/stat" ]] || { echo 0; return; }
  sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'
}
# children_secs: sets CHILD_SECS to the CPU seconds of this shell's finished children (the times builtin's
# second line). Not through $(…): there it would run in a subshell, which has no children of its own.
children_secs() {
  times >"$out/times"
  CHILD_SECS="$(awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%.2f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$out/times")"
}
# listener_pid URL: the pid of the process listening on URL's port on this machine ("" when none).
listener_pid() {
  local port
  port="$(url_port "$1")"
  [[ -n "$port" ]] || return 0
  ss -Hltnp "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2
}
# server_pids TRANSPORT: the broker's and the S3 server's pids ("" when not local).
server_pids() {
  local broker
  if [[ "$1" == amqp ]]; then broker="$(listener_pid "$S3DB_TEST_AMQP")"; else broker="$(listener_pid "$S3DB_TEST_SQS")"; fi
  echo "${broker:--} $(listener_pid "$S3DB_TEST_S3")"
}
# cpu_line KIND TRANSPORT CLIENT_SECS BROKER_TICKS S3_TICKS: "cpu KIND TRANSPORT: client … broker … s3 … total … s/10k".
cpu_line() {
  awk -v k="$1" -v t="$2" -v c="$3" -v b="$4" -v s="$5" -v n="$N" -v hz="$(getconf CLK_TCK)" 'BEGIN {
    f = 10000 / n; c *= f; b = b / hz * f; s = s / hz * f
    printf "cpu %s %s: client %.2f broker %.2f s3 %.2f total %.2f s per 10k messages\n", k, t, c, b, s, c + b + s }'
}

# s3_connection BUCKET PREFIX: the s3db connection string of the test S3 (bucket created by queueraw).
s3_connection() {
  local rest="${S3DB_TEST_S3#*://}"
  printf '%s://%s/%s/%s' "${S3DB_TEST_S3%%://*}" "$rest" "$1" "$2"
}

# Rounds alternate the baseline and the worker, so that drift of the shared machine (page cache,
# versitygw's directories, other load) falls on both; the medians are compared. Round 0, the warm-up, is
# run the same way and not counted.
results=()
for transport in $TRANSPORTS; do
  for round in $(seq $((1 - WARMUP)) "$ROUNDS"); do
    run="$(date +%s%N)"
    pending=("$transport" "raw-$run" "in-$run" "in-$run-dead" "changes-$run")
    ((round > 0)) || log "$transport round 0: warm-up, not counted"
    log "$transport round $round/$ROUNDS: raw baseline ($N messages, concurrency $C)"
    "$out/queueraw" -transport "$transport" -n "$N" -bucket bench-worker -queue "raw-$run" -fill-only >/dev/null
    read -r broker_pid s3_pid <<<"$(server_pids "$transport")"
    children_secs
    b0="$(cpu_ticks "$broker_pid")" s0="$(cpu_ticks "$s3_pid")" c0="$CHILD_SECS"
    raw="$("$out/queueraw" -transport "$transport" -n "$N" -c "$C" -bucket bench-worker -queue "raw-$run" -drain-only | tail -1)"
    children_secs
    rawcpu="$(cpu_line raw "$transport" "$(awk -v a="$CHILD_SECS" -v b="$c0" 'BEGIN {print a - b}')" \
      $(($(cpu_ticks "$broker_pid") - b0)) $(($(cpu_ticks "$s3_pid") - s0)))"
    log "$raw"
    log "$rawcpu"

    log "$transport round $round/$ROUNDS: the worker ($N messages, concurrency $C)"
    "$out/queueraw" -transport "$transport" -n "$N" -bucket bench-worker -queue "in-$run" -fill-only >/dev/null
    cfg="$(worker_config "$transport" "in-$run" "changes-$run")"
    b0="$(cpu_ticks "$broker_pid")" s0="$(cpu_ticks "$s3_pid")"
    "$out/worker" --config "$cfg" 2>"${LOGS:-$out}/worker-$transport-$round.log" &
    worker_pid=$!
    drained="$("$out/queueraw" -transport "$transport" -n "$N" -queue "in-$run" -wait-empty | tail -1)"
    workercpu="$(cpu_line worker "$transport" "$(awk -v t="$(cpu_ticks "$worker_pid")" -v hz="$(getconf CLK_TCK)" 'BEGIN {print t / hz}')" \
      $(($(cpu_ticks "$broker_pid") - b0)) $(($(cpu_ticks "$s3_pid") - s0)))"
    kill -TERM "$worker_pid"; wait "$worker_pid" || true; worker_pid=""
    log "$drained"
    log "$workercpu"
    ((round == 0)) || results+=("$raw" "$drained" "$rawcpu" "$workercpu")
    drop_queues
  done

  run="$(date +%s%N)"
  pending=("$transport" "lat-$run" "lat-$run-dead" "latchanges-$run")
  log "$transport: latency at $RATE msg/s for 20 s"
  cfg="$(worker_config "$transport" "lat-$run" "latchanges-$run")"
  "$out/worker" --config "$cfg" 2>"${LOGS:-$out}/worker-lat-$transport.log" &
  worker_pid=$!
  sleep 2
  lat="$("$out/latency" -transport "$transport" -in "lat-$run" -changes "latchanges-$run" -rate "$RATE" -duration 20s | tail -1)"
  kill -TERM "$worker_pid"; wait "$worker_pid" || true; worker_pid=""
  log "$lat"
  results+=("$lat")
  drop_queues
done

printf '\n%s\n' "${results[@]}"
# median_of: the median of the numbers on stdin, one a line (nothing for none).
median_of() {
  sort -n | awk '{v[NR]=$1} END {if (NR) print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'
}
# median KIND TRANSPORT: the median rate of the rounds' lines "KIND TRANSPORT: ... RATE msg/s".
median() {
  printf '%s\n' "${results[@]}" | awk -v k="$1" -v t="$2" '$1==k && $2==t":" {print $(NF-1)}' | median_of
}
# median_cpu KIND TRANSPORT FIELD: the median of a field (client, broker, s3, total) of the rounds' cpu lines.
median_cpu() {
  printf '%s\n' "${results[@]}" | awk -v k="$1" -v t="$2" -v f="$3" '$1=="cpu" && $2==k && $3==t":" {
    for (i = 4; i < NF; i++) if ($i == f) print $(i+1) }' | median_of | awk '{printf "%.2f", $1}'
}
for transport in $TRANSPORTS; do
  for kind in raw worker; do
    printf '%s %s: CPU s per 10k messages (medians): client %s, broker %s, s3 %s, total %s\n' "$transport" "$kind" \
      "$(median_cpu "$kind" "$transport" client)" "$(median_cpu "$kind" "$transport" broker)" \
      "$(median_cpu "$kind" "$transport" s3)" "$(median_cpu "$kind" "$transport" total)"
  done
  rounds="$(printf '%s\n' "${results[@]}" | awk -v t="$transport" '$1=="raw" && $2==t":" {r=$(NF-1)} $1=="drained" && $2==t":" {printf "%s%.2f", sep, $(NF-1)/r; sep=" "}')"
  awk -v t="$transport" -v r="$(median raw "$transport")" -v w="$(median drained "$transport")" -v each="$rounds" \
    'BEGIN { if (r > 0) printf "%s: worker %.0f msg/s, raw %.0f msg/s (medians of the rounds), worker/raw %.2f; per round %s\n", t, w, r, w / r, each }'
done
