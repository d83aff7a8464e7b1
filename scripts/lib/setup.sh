# shellcheck shell=bash
# setup_test_env: apply the environment contract documented in scripts/test.sh, install what is missing (in
# parallel: versitygw, fauxqs, s3db.js), start or reuse the services, and export the S3DB_TEST_* variables.
# Needs REPO_ROOT, SHARED_DIR and scripts/lib/services.sh; the caller must run services_release on exit.

S3DB_DEFAULT_S3='http://AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI%2FK7MDENG%2FbPxRfiCYEXAMPLEKEY@127.0.0.1:7070'
S3DB_DEFAULT_SQS='http://127.0.0.1:4566'
S3DB_DEFAULT_AMQP='amqp://guest:guest@127.0.0.1:5672/'
S3DB_DEFAULT_POSTGRES='postgres://postgres@127.0.0.1:5432/test?sslmode=disable'

# S3DB_SETUP_TIMEOUT bounds the s3db.js install (seconds; npm ci from a cold cache takes about a minute).
S3DB_SETUP_TIMEOUT="${S3DB_SETUP_TIMEOUT:-900}"

# timed FILE CMD...: run CMD, then write the whole seconds it took to FILE; CMD's status is kept.
timed() {
  local file="$1" start=$SECONDS rc=0
  shift
  "$@" || rc=$?
  printf '%d' $((SECONDS - start)) >"$file"
  return "$rc"
}

setup_test_env() {
  # ${VAR-default}: only an unset variable gets the default; the empty string means "off".
  export S3DB_TEST_S3="${S3DB_TEST_S3-$S3DB_DEFAULT_S3}"
  export S3DB_TEST_SQS="${S3DB_TEST_SQS-$S3DB_DEFAULT_SQS}"
  export S3DB_TEST_AMQP="${S3DB_TEST_AMQP-$S3DB_DEFAULT_AMQP}"
  export S3DB_TEST_POSTGRES="${S3DB_TEST_POSTGRES-$S3DB_DEFAULT_POSTGRES}"
  export S3DBJS_RUN="${S3DBJS_RUN-$SHARED_DIR/tools/s3dbjs/run.sh}"

  local want_vgw=0 want_fq=0
  if [[ -n "$S3DB_TEST_S3" ]]; then
    configure_s3 "$S3DB_TEST_S3"
    is_loopback "$VGW_HOST" && want_vgw=1
  fi
  if [[ -n "$S3DB_TEST_SQS" ]]; then
    configure_sqs "$S3DB_TEST_SQS"
    is_loopback "$FQ_HOST" && want_fq=1
  fi

  # Installs run in parallel; each is a no-op when cached. Logs are shown only on failure.
  local tmp pids=() names=()
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/s3db-setup.XXXXXX")"
  if ((want_vgw)); then
    (timed "$tmp/versitygw.secs" ensure_versitygw) >"$tmp/versitygw.log" 2>&1 &
    pids+=($!); names+=(versitygw)
  fi
  if ((want_fq)); then
    (timed "$tmp/fauxqs.secs" ensure_fauxqs) >"$tmp/fauxqs.log" 2>&1 &
    pids+=($!); names+=(fauxqs)
  fi
  if [[ -n "$S3DBJS_RUN" ]]; then
    local setup_sh
    setup_sh="$(dirname "$S3DBJS_RUN")/setup.sh"
    [[ -x "$setup_sh" ]] || die "s3db.js harness not found: $setup_sh (expected the shared dir at $SHARED_DIR; set S3DBJS_RUN= to skip the interop tests)"
    # Bounded: the harness waits on its install lock without a timeout (/tmp/s3dbjs/.setup.lock).
    (timed "$tmp/s3dbjs.secs" timeout --kill-after=10 "$S3DB_SETUP_TIMEOUT" env S3DBJS_QUIET=0 "$setup_sh" \
      >"$tmp/s3dbjs.node") 2>"$tmp/s3dbjs.log" &
    pids+=($!); names+=(s3dbjs)
  fi
  local i failed=0
  for i in "${!pids[@]}"; do
    local rc=0
    wait "${pids[$i]}" || rc=$?
    if ((rc != 0)); then
      ((rc != 124)) || log "${names[$i]}: gave up after ${S3DB_SETUP_TIMEOUT} s (a lock held by another process?)"
      log "${names[$i]}: install failed:"
      cat "$tmp/${names[$i]}.log" >&2
      failed=1
    else
      grep -h "^\[" "$tmp/${names[$i]}.log" 2>/dev/null | grep -v "up to date" >&2 || true
    fi
    # A slow no-op install is a lock held elsewhere (another run installing, or a leftover process).
    local secs
    secs="$(cat "$tmp/${names[$i]}.secs" 2>/dev/null || echo 0)"
    ((secs < 10)) || log "${names[$i]}: the install step took ${secs} s (waiting for its lock?)"
  done
  if [[ -s "$tmp/s3dbjs.node" ]]; then
    S3DBJS_NODE="$(cat "$tmp/s3dbjs.node")"
  fi
  rm -rf "$tmp"
  ((failed == 0)) || die "setup failed"
  VERSITYGW_BIN="$S3DB_BIN_DIR/versitygw"
  local src="$REPO_ROOT/scripts/fauxqs"
  if ((want_fq)); then
    FAUXQS_DIR="$S3DB_CACHE_DIR/fauxqs-$(cat "$src/package.json" "$src/package-lock.json" "$src/server.mjs" | sha256sum | cut -c1-16)"
  fi

  if [[ -n "$S3DB_TEST_S3" ]]; then
    if ((want_vgw)); then
      use_service "$VGW_NAME" vgw_healthy vgw_start
    else
      vgw_healthy || log "warning: S3 at $VGW_HOST:$VGW_PORT does not answer (not loopback: not started here)"
    fi
  fi
  if [[ -n "$S3DB_TEST_SQS" ]]; then
    if ((want_fq)); then
      use_service "$FQ_NAME" fauxqs_healthy fauxqs_start
    else
      fauxqs_healthy || log "warning: SQS at $FQ_HOST:$FQ_PORT does not answer /health (not loopback: not started here)"
    fi
  fi
  if [[ -n "$S3DB_TEST_POSTGRES" ]]; then
    configure_pg "$S3DB_TEST_POSTGRES"
    if is_loopback "$PG_HOST"; then
      use_service "$PG_NAME" pg_healthy pg_start
    fi
  fi
  if [[ -n "$S3DB_TEST_AMQP" ]]; then
    configure_amqp "$S3DB_TEST_AMQP"
    if is_loopback "$MQ_HOST"; then
      use_service "$MQ_NAME" mq_healthy mq_start
    fi
  fi
}
