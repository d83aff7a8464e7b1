# shellcheck shell=bash
# Local test services for s3db-go, shared by scripts/test.sh and scripts/gen-fixtures.sh (source it; it
# defines functions and a few variables, and runs nothing by itself).
#
# What it does:
#   - installs versitygw v1.8.0 (go install) and fauxqs (npm ci of scripts/fauxqs) into a cache dir, once;
#   - starts versitygw, fauxqs, PostgreSQL and RabbitMQ when nothing answers on their loopback port,
#     or reuses whatever healthy server is already there;
#   - shares a server it started with concurrent runs (other checkouts, other terminals): every run holds a
#     shared flock "lease" on the service while it runs, and the last run to finish stops the server
#     (only if one of our runs started it: its pid or marker file is in the run dir). A server that some
#     other tool started is never stopped.
# Callers set REPO_ROOT, call the ensure_*/use_* functions, and call services_release from an EXIT trap.

S3DB_CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/s3db-go"
S3DB_BIN_DIR="$S3DB_CACHE_DIR/bin"
S3DB_RUN_DIR="$S3DB_CACHE_DIR/run"
VERSITYGW_VERSION="v1.8.0"
S3DB_LOG_TAG="${S3DB_LOG_TAG:-test.sh}"

# Lease file descriptors held by this run, by service name (see use_service).
declare -A S3DB_LEASE_FDS=()

S3DB_T0="${EPOCHREALTIME/[.,]/}"
# log MESSAGE: a progress line on stderr with the seconds since the script started.
log() {
  local now="${EPOCHREALTIME/[.,]/}" ms
  ms=$(((now - S3DB_T0) / 1000))
  printf '[%s %d.%01ds] %s\n' "$S3DB_LOG_TAG" $((ms / 1000)) $((ms % 1000 / 100)) "$*" >&2 2>/dev/null || true
}
die() { printf '[%s] error: %s\n' "$S3DB_LOG_TAG" "$*" >&2; exit 1; }

# --- URL helpers ----------------------------------------------------------------------------------------

# url_hostport URL -> "host:port" (default port from the scheme).
url_hostport() {
  local u="$1" scheme rest
  scheme="${u%%://*}"
  rest="${u#*://}"
  rest="${rest%%/*}"
  rest="${rest##*@}"
  if [[ "$rest" != *:* || "$rest" == *"]" ]]; then
    case "$scheme" in
      https) rest="$rest:443" ;;
      postgres|postgresql) rest="$rest:5432" ;;
      amqp) rest="$rest:5672" ;;
      *) rest="$rest:80" ;;
    esac
  fi
  printf '%s' "$rest"
}
url_host() { local hp; hp="$(url_hostport "$1")"; printf '%s' "${hp%:*}"; }
url_port() { local hp; hp="$(url_hostport "$1")"; printf '%s' "${hp##*:}"; }

# url_userinfo_part URL 1|2 -> the percent-decoded user (1) or password (2), empty when absent.
url_userinfo_part() {
  local rest="${1#*://}" ui part
  rest="${rest%%/*}"
  [[ "$rest" == *@* ]] || return 0
  ui="${rest%@*}"
  if [[ "$2" == 1 ]]; then part="${ui%%:*}"; else part="${ui#*:}"; fi
  printf '%b' "${part//%/\\x}"
}

is_loopback() { [[ "$1" == 127.0.0.1 || "$1" == localhost || "$1" == "[::1]" ]]; }

# --- probes ----------------------------------------------------------------------------------------------

# port_open HOST PORT: something accepts TCP connections.
port_open() {
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

# http_status HOST PORT PATH -> prints the HTTP status code of a GET (fails when nothing answers HTTP).
# Pure bash, so a fresh machine needs no curl.
http_status() {
  timeout 3 bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit 1
    printf "GET %s HTTP/1.0\r\nHost: %s:%s\r\nConnection: close\r\n\r\n" "$2" "$0" "$1" >&3
    IFS=" " read -r proto code _ <&3 || exit 1
    [[ "$proto" == HTTP/* ]] || exit 1
    printf "%s" "$code"' "$1" "$2" "$3" 2>/dev/null
}

# wait_until SECONDS DESCRIPTION CMD...: poll CMD every 0.2 s until it succeeds; fail after SECONDS.
wait_until() {
  local limit="$1" what="$2"; shift 2
  local deadline=$((SECONDS + limit))
  until "$@"; do
    if ((SECONDS >= deadline)); then
      return 1
    fi
    sleep 0.2
  done
  log "$what ready"
}

# --- leases -----------------------------------------------------------------------------------------------

# spawn_detached LOGFILE CMD...: start CMD in the background, in its own session, with none of this shell's
# file descriptors beyond 0-2 (the lease and mutex files are flocks: a child holding one would keep the lease
# forever, or make the next run wait) and without our stdout (a caller piping our output would otherwise wait
# for the server to exit). Prints the pid.
spawn_detached() {
  local logfile="$1"; shift
  (
    local fd
    for fd in /proc/$BASHPID/fd/*; do
      fd="${fd##*/}"
      if [[ "$fd" =~ ^[0-9]+$ ]] && ((fd > 2)); then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    exec setsid "$@" </dev/null >>"$logfile" 2>&1
  ) &
  printf '%s' "$!"
}

# use_service NAME HEALTH_FN START_FN: take a shared lease on NAME; when HEALTH_FN fails, run START_FN
# (which starts the server and records how to stop it in $S3DB_RUN_DIR/NAME.*) and wait for HEALTH_FN.
# Starting is serialised per service by a mutex so that two runs never start the same server twice.
use_service() {
  local name="$1" health="$2" start="$3"
  mkdir -p "$S3DB_RUN_DIR"
  local mfd lfd
  exec {mfd}>"$S3DB_RUN_DIR/$name.mutex"
  S3DB_MUTEX_FD="$mfd"
  flock -w 180 "$mfd" || die "$name: another run holds $S3DB_RUN_DIR/$name.mutex for over 180 s"
  exec {lfd}>"$S3DB_RUN_DIR/$name.lease"
  flock -s "$lfd"
  S3DB_LEASE_FDS[$name]="$lfd"
  if "$health"; then
    log "$name: reusing the server already running"
  else
    stop_managed "$name" # leftovers of a run that was killed: a hung server, its data dir
    "$start" || { flock -u "$mfd"; exec {mfd}>&-; S3DB_MUTEX_FD=""; die "$name: could not start"; }
  fi
  flock -u "$mfd"
  exec {mfd}>&-
  S3DB_MUTEX_FD=""
}

# services_release: drop our leases; stop each server that one of our runs started if nobody else holds a
# lease on it. Safe to call more than once.
services_release() {
  local name mfd lfd xfd
  trap '' PIPE # our output may be gone (a closed pipe): carry on stopping servers anyway
  if [[ -n "${S3DB_MUTEX_FD:-}" ]]; then # interrupted inside use_service: drop its start mutex first
    exec {S3DB_MUTEX_FD}>&-
    S3DB_MUTEX_FD=""
  fi
  for name in "${!S3DB_LEASE_FDS[@]}"; do
    exec {mfd}>"$S3DB_RUN_DIR/$name.mutex"
    flock -w 60 "$mfd" || true
    lfd="${S3DB_LEASE_FDS[$name]}"
    exec {lfd}>&-
    unset 'S3DB_LEASE_FDS[$name]'
    exec {xfd}>"$S3DB_RUN_DIR/$name.lease"
    if flock -xn "$xfd"; then
      stop_managed "$name"
    else
      log "$name: still used by another run; leaving it running"
    fi
    exec {xfd}>&-
    exec {mfd}>&-
  done
}

# stop_managed NAME: stop the server recorded in $S3DB_RUN_DIR/NAME.pid (a process we spawned, checked
# against its command line so that a recycled pid is never killed) or NAME.managed (a system service we
# started, stopped with its stop_<kind> function).
stop_managed() {
  local name="$1" pidf="$S3DB_RUN_DIR/$1.pid" mark="$S3DB_RUN_DIR/$1.managed" datf="$S3DB_RUN_DIR/$1.data"
  if [[ -f "$pidf" ]]; then
    local pid want
    read -r pid want <"$pidf" || true
    if [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$want"; then
      log "$name: stopping (pid $pid)"
      kill -TERM "$pid" 2>/dev/null || true
      local i
      for i in $(seq 100); do
        pid_alive "$pid" || break
        sleep 0.05
      done
      pid_alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$pidf"
  fi
  if [[ -f "$mark" ]]; then
    local kind
    kind="$(cat "$mark")"
    log "$name: stopping (we started it)"
    "stop_$kind" || log "$name: stop failed"
    rm -f "$mark"
  fi
  if [[ -f "$datf" ]]; then
    local dir
    dir="$(cat "$datf")"
    if [[ "$dir" == */s3db-* && -d "$dir" ]]; then
      # A server's data can be large (a benchmark leaves hundreds of thousands of objects, and their
      # deletion kept a setup silent for minutes): it is renamed at once and deleted in the background
      # at low priority, so that no run waits for it.
      if mv -- "$dir" "$dir.trash" 2>/dev/null; then
        log "$name: deleting its data in the background ($dir.trash)"
        spawn_detached /dev/null nice -n 19 rm -rf -- "$dir.trash" >/dev/null
      else
        rm -rf -- "$dir"
      fi
    fi
    rm -f "$datf"
  fi
}

# pid_alive PID: the process exists and is not a zombie (a server we spawned is reparented, and its new
# parent may reap it late).
pid_alive() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [[ "${stat%% *}" != Z ]]
}

# --- installs ---------------------------------------------------------------------------------------------

# ensure_versitygw: $S3DB_BIN_DIR/versitygw at $VERSITYGW_VERSION (checked from the binary's build info).
ensure_versitygw() {
  VERSITYGW_BIN="$S3DB_BIN_DIR/versitygw"
  if versitygw_ok; then
    return 0
  fi
  mkdir -p "$S3DB_BIN_DIR"
  local lfd
  exec {lfd}>"$S3DB_CACHE_DIR/versitygw-install.lock"
  flock -w 600 "$lfd" || die "versitygw install lock busy for 600 s"
  if ! versitygw_ok; then
    log "installing versitygw $VERSITYGW_VERSION into $S3DB_BIN_DIR (go install, about a minute the first time) ..."
    (cd / && GOBIN="$S3DB_BIN_DIR" go install "github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION") ||
      { exec {lfd}>&-; die "go install versitygw failed (is the Go module proxy reachable?)"; }
    versitygw_ok || { exec {lfd}>&-; die "versitygw installed but its build info does not say $VERSITYGW_VERSION"; }
  fi
  exec {lfd}>&-
}
versitygw_ok() {
  [[ -x "$VERSITYGW_BIN" ]] &&
    go version -m "$VERSITYGW_BIN" 2>/dev/null | grep -qE "^[[:space:]]+mod[[:space:]]+github.com/versity/versitygw[[:space:]]+$VERSITYGW_VERSION([[:space:]]|\$)"
}

# ensure_fauxqs: npm ci of scripts/fauxqs into $S3DB_CACHE_DIR/fauxqs-<fingerprint> (never into the repo).
ensure_fauxqs() {
  local src="$REPO_ROOT/scripts/fauxqs" fp
  fp="$(cat "$src/package.json" "$src/package-lock.json" "$src/server.mjs" | sha256sum | cut -c1-16)"
  FAUXQS_DIR="$S3DB_CACHE_DIR/fauxqs-$fp"
  [[ -f "$FAUXQS_DIR/.installed" ]] && return 0
  command -v npm >/dev/null || die "npm not found: install Node.js 20+ with npm (apt-get install nodejs npm)"
  mkdir -p "$S3DB_CACHE_DIR"
  local lfd
  exec {lfd}>"$S3DB_CACHE_DIR/fauxqs-install.lock"
  flock -w 600 "$lfd" || die "fauxqs install lock busy for 600 s"
  if [[ ! -f "$FAUXQS_DIR/.installed" ]]; then
    log "installing fauxqs (npm ci) into $FAUXQS_DIR ..."
    local stage="$FAUXQS_DIR.staging.$$"
    rm -rf "$stage"
    mkdir -p "$stage"
    cp "$src/package.json" "$src/package-lock.json" "$src/server.mjs" "$stage/"
    if ! (cd "$stage" && npm ci --ignore-scripts --no-audit --no-fund --prefer-offline --loglevel=error) >"$stage.log" 2>&1; then
      cat "$stage.log" >&2
      rm -rf "$stage"
      exec {lfd}>&-
      die "npm ci for fauxqs failed (is the npm registry reachable?)"
    fi
    rm -f "$stage.log"
    rm -rf "$FAUXQS_DIR"
    mv "$stage" "$FAUXQS_DIR"
    touch "$FAUXQS_DIR/.installed"
  fi
  exec {lfd}>&-
}

# --- versitygw ------------------------------------------------------------------------------------------

# VGW_HOST, VGW_PORT, VGW_ACCESS, VGW_SECRET come from S3DB_TEST_S3 (set by configure_s3).
configure_s3() {
  VGW_HOST="$(url_host "$1")"
  VGW_PORT="$(url_port "$1")"
  VGW_ACCESS="$(url_userinfo_part "$1" 1)"
  VGW_SECRET="$(url_userinfo_part "$1" 2)"
  VGW_NAME="versitygw-$VGW_PORT"
}
vgw_healthy() { http_status "$VGW_HOST" "$VGW_PORT" / >/dev/null; }
vgw_start() {
  local data
  data="$(mktemp -d "${TMPDIR:-/tmp}/s3db-vgw.XXXXXX")"
  echo "$data" >"$S3DB_RUN_DIR/$VGW_NAME.data"
  mkdir -p "$data/vgw"
  local pid
  # --keep-alive: versitygw closes every connection after its response unless told otherwise, so each
  # request paid a new TCP connection on both sides; S3 itself keeps connections open.
  pid="$(ROOT_ACCESS_KEY="$VGW_ACCESS" ROOT_SECRET_KEY="$VGW_SECRET" \
    spawn_detached "$S3DB_RUN_DIR/$VGW_NAME.log" "$VERSITYGW_BIN" --port "$VGW_HOST:$VGW_PORT" --keep-alive --quiet posix "$data/vgw")"
  echo "$pid versitygw" >"$S3DB_RUN_DIR/$VGW_NAME.pid"
  log "started versitygw on $VGW_HOST:$VGW_PORT (posix, data in $data)"
  wait_until 30 "versitygw" vgw_healthy ||
    { tail -20 "$S3DB_RUN_DIR/$VGW_NAME.log" >&2; return 1; }
}

# --- fauxqs ------------------------------------------------------------------------------------------------

configure_sqs() {
  FQ_HOST="$(url_host "$1")"
  FQ_PORT="$(url_port "$1")"
  FQ_NAME="fauxqs-$FQ_PORT"
}
fauxqs_healthy() { [[ "$(http_status "$FQ_HOST" "$FQ_PORT" /health)" == 200 ]]; }
fauxqs_start() {
  local node
  node="$(command -v node || true)"
  node="${node:-${S3DBJS_NODE:-}}"
  [[ -n "$node" ]] || die "no node binary found for fauxqs (install Node.js 20+)"
  local pid
  pid="$(cd "$FAUXQS_DIR" && spawn_detached "$S3DB_RUN_DIR/$FQ_NAME.log" "$node" "$FAUXQS_DIR/server.mjs" "$FQ_PORT")"
  echo "$pid fauxqs-.*/server.mjs" >"$S3DB_RUN_DIR/$FQ_NAME.pid"
  log "started fauxqs on $FQ_HOST:$FQ_PORT"
  wait_until 30 "fauxqs" fauxqs_healthy ||
    { tail -20 "$S3DB_RUN_DIR/$FQ_NAME.log" >&2; return 1; }
}

# --- PostgreSQL and RabbitMQ (machine services) --------------------------------------------------------------

configure_pg() { PG_HOST="$(url_host "$1")"; PG_PORT="$(url_port "$1")"; PG_NAME="postgres-$PG_PORT"; }
pg_healthy() {
  if command -v pg_isready >/dev/null; then
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2
  else
    port_open "$PG_HOST" "$PG_PORT"
  fi
}
pg_cluster_version() { ls /etc/postgresql 2>/dev/null | sort -V | tail -1; }
pg_start() {
  local v
  v="$(pg_cluster_version)"
  [[ -n "$v" ]] || die "PostgreSQL is not running on $PG_HOST:$PG_PORT and no cluster is installed (/etc/postgresql)"
  log "starting PostgreSQL $v"
  echo postgres >"$S3DB_RUN_DIR/$PG_NAME.managed"
  pg_ctlcluster --skip-systemctl-redirect "$v" main start </dev/null >>"$S3DB_RUN_DIR/$PG_NAME.log" 2>&1 ||
    { tail -20 "$S3DB_RUN_DIR/$PG_NAME.log" >&2; return 1; }
  wait_until 60 "PostgreSQL" pg_healthy
}
stop_postgres() { pg_ctlcluster --skip-systemctl-redirect "$(pg_cluster_version)" main stop </dev/null >/dev/null 2>&1; }

configure_amqp() { MQ_HOST="$(url_host "$1")"; MQ_PORT="$(url_port "$1")"; MQ_NAME="rabbitmq-$MQ_PORT"; }
mq_healthy() { port_open "$MQ_HOST" "$MQ_PORT"; }
mq_ready() { rabbitmq-diagnostics -q check_port_listener "$MQ_PORT" >/dev/null 2>&1; }
mq_start() {
  command -v rabbitmq-server >/dev/null || die "RabbitMQ is not running on $MQ_HOST:$MQ_PORT and rabbitmq-server is not installed"
  log "starting RabbitMQ (about 6 s)"
  echo rabbitmq >"$S3DB_RUN_DIR/$MQ_NAME.managed"
  rabbitmq-server -detached </dev/null >>"$S3DB_RUN_DIR/$MQ_NAME.log" 2>&1 || return 1
  wait_until 90 "RabbitMQ" mq_ready
}
stop_rabbitmq() { rabbitmqctl stop </dev/null >/dev/null 2>&1; }
