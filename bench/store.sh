#!/usr/bin/env bash
# The store benchmark of docs/benchmarks.md: s3db-go's insert/get/update/list(100) on versitygw next to the raw
# S3 requests they cost (BenchmarkStore in store/bench_test.go) and next to s3db.js 21.6.2 doing the same
# (bench/js/store.mjs), at concurrency 1 and 32, in one run, one side at a time (never both at once).
#   ./bench/store.sh [COUNT] [OPS] [LISTS]
# COUNT rounds (default 3) of: Go insert/get/update and raw baselines (OPS iterations each, default 1000), Go list
# and page and raw list (LISTS iterations, default 100), then s3db.js (same numbers; no page). Prints the medians
# over the rounds; "Go/raw" and "js/Go" are ratios of those medians, "req" the HTTP requests per operation.
# Starts (or reuses) versitygw at S3DB_TEST_S3 and installs s3db.js like ./scripts/test.sh does; the other
# services are not needed. Run it on a quiet machine: the figures are latencies of a local server.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED_DIR="$(cd "$REPO_ROOT/.." && pwd)/shared"
S3DB_LOG_TAG="bench/store.sh"
# shellcheck source=../scripts/lib/services.sh
source "$REPO_ROOT/scripts/lib/services.sh"
source "$REPO_ROOT/scripts/lib/setup.sh"
COUNT="${1:-3}"
OPS="${2:-1000}"
LISTS="${3:-100}"

out="$(mktemp -d)"
trap 'services_release; rm -rf "$out"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cd "$REPO_ROOT"
export S3DB_TEST_SQS="" S3DB_TEST_AMQP="" S3DB_TEST_POSTGRES="" # only S3 and s3db.js
setup_test_env
[[ -n "$S3DB_TEST_S3" && -n "$S3DBJS_RUN" ]] || die "S3DB_TEST_S3 and S3DBJS_RUN must not be off"

log "compiling the Go benchmark"
go test -c -o "$out/store.test" ./store
ops_re='^BenchmarkStore$/^c[0-9]+$/^(raw-put|insert|raw-get|get|raw-get\+put|update)$'
list_re='^BenchmarkStore$/^c[0-9]+$/^(raw-list|list|page)$'
for round in $(seq "$COUNT"); do
  log "round $round/$COUNT: Go"
  (cd store && "$out/store.test" -test.run '^$' -test.bench "$ops_re" -test.benchtime "${OPS}x" -test.timeout 30m) >>"$out/go.txt"
  (cd store && "$out/store.test" -test.run '^$' -test.bench "$list_re" -test.benchtime "${LISTS}x" -test.timeout 30m) >>"$out/go.txt"
  log "round $round/$COUNT: s3db.js"
  bucket="bench-store-js-$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  # s3db.js logs on stdout; at level warn it logs every request over 750 ms (list at concurrency 32).
  S3DB_LOG_LEVEL="${S3DB_LOG_LEVEL:-error}" S3DB_CONNECTION="${S3DB_TEST_S3%/}/$bucket/bench" \
    "$S3DBJS_RUN" bench/js/store.mjs "$OPS" "$LISTS" >"$out/js.round"
  grep '^{"op":' "$out/js.round" >>"$out/js.txt" || die "bench/js/store.mjs printed no results: $(head -c 2000 "$out/js.round")"
done

# go.txt -> "op conc ns req" (BenchmarkStore/c32/raw-get+put-2  1000  1370981 ns/op  2.000 req/op)
awk '/^BenchmarkStore\// {split($1, p, "/"); sub(/-[0-9]+$/, "", p[3]); sub(/^c/, "", p[2]); print p[3], p[2], $3, $5}' \
  "$out/go.txt" >"$out/go.rows"
sed -E 's/.*"op":"([^"]+)","conc":([0-9]+),"ns_per_op":([0-9]+),"req_per_op":([0-9.]+).*/\1 \2 \3 \4/' \
  "$out/js.txt" >"$out/js.rows"

median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "NaN"; else print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
col() { awk -v op="$2" -v c="$3" -v f="$4" '$1 == op && $2 == c {print $f}' "$out/$1.rows" | median; }

printf '%-7s %5s %12s %12s %7s %14s %10s %8s %8s %8s\n' \
  op conc "Go ns/op" "raw ns/op" "Go/raw" "s3db.js ns/op" "js/Go" "Go req" "raw req" "js req"
for conc in 1 32; do
  for pair in insert:raw-put get:raw-get update:raw-get+put list:raw-list page:raw-list; do
    op="${pair%%:*}" raw="${pair#*:}"
    g=$(col go "$op" "$conc" 3) r=$(col go "$raw" "$conc" 3) j=$(col js "$op" "$conc" 3)
    gq=$(col go "$op" "$conc" 4) rq=$(col go "$raw" "$conc" 4) jq=$(col js "$op" "$conc" 4)
    awk -v op="$op" -v c="$conc" -v g="$g" -v r="$r" -v j="$j" -v gq="$gq" -v rq="$rq" -v jq="$jq" 'BEGIN {
      if (j == "NaN") printf "%-7s %5s %12d %12d %7.2f %14s %10s %8.2f %8.2f %8s\n", op, c, g, r, g / r, "-", "-", gq, rq, "-"
      else printf "%-7s %5s %12d %12d %7.2f %14d %9.2fx %8.2f %8.2f %8.2f\n", op, c, g, r, g / r, j, j / g, gq, rq, jq }'
  done
done
echo
echo "s3db.js requests per operation, by command (last round):"
tail -n 8 "$out/js.txt" | sed -E 's/.*"op":"([^"]+)","conc":([0-9]+).*"requests":(\{[^}]*\}).*/  \1 c\2 \3/'
