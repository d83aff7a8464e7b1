#!/usr/bin/env bash
# The bulk I/O benchmark of docs/benchmarks.md: cmd/ingest loading ROWS JSON lines (~300 bytes each) into
# versitygw, next to raw aws-sdk-go-v2 PutObject at the same concurrency (bench/rawput) and s3db.js 21.6.2
# insertMany (bench/js/ingest.mjs, on a sample of JS_ROWS rows); then s3db export of the same records next to
# raw GetObject. Peak RSS of ingest and export comes from /usr/bin/time -v. One measurement at a time.
#   ./bench/ingest.sh [ROWS] [CONCURRENCY]          (defaults 200000 and 32; JS_ROWS=20000, ROUNDS=3 in the env)
#   RAW=0 ./bench/ingest.sh 1000000                 (ingest and export only: the peak-RSS check on a big load)
# Starts (or reuses) versitygw at S3DB_TEST_S3 and installs s3db.js like ./scripts/test.sh does. The buckets
# it makes (bench-ingest-*) are emptied and removed at the end unless KEEP=1.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED_DIR="$(cd "$REPO_ROOT/.." && pwd)/shared"
S3DB_LOG_TAG="bench/ingest.sh"
# shellcheck source=../scripts/lib/services.sh
source "$REPO_ROOT/scripts/lib/services.sh"
source "$REPO_ROOT/scripts/lib/setup.sh"
ROWS="${1:-200000}"
CONC="${2:-32}"
JS_ROWS="${JS_ROWS:-20000}"
((JS_ROWS <= ROWS)) || JS_ROWS="$ROWS"

out="$(mktemp -d)"
buckets=()
cleanup() {
  if [[ "${KEEP:-}" != 1 ]]; then
    for b in "${buckets[@]}"; do "$out/rawput" -op rmbucket -bucket "$b" >/dev/null 2>&1 || true; done
  fi
  services_release
  rm -rf "$out"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cd "$REPO_ROOT"
export S3DB_TEST_SQS="" S3DB_TEST_AMQP="" S3DB_TEST_POSTGRES="" # only S3 and s3db.js
setup_test_env
[[ -n "$S3DB_TEST_S3" ]] || die "S3DB_TEST_S3 must not be off"

log "building ingest, s3db and rawput"
go build -o "$out/ingest" ./cmd/ingest
go build -o "$out/s3db" ./cmd/s3db
go build -o "$out/rawput" ./bench/rawput

log "generating $ROWS rows"
awk -v n="$ROWS" 'BEGIN {
  bio = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua enim ad minim";
  for (i = 1; i <= n; i++)
    printf "{\"id\":\"p%09d\",\"name\":\"Person %d\",\"email\":\"person%d@example.com\",\"city\":\"City %d\",\"age\":%d,\"score\":%d.%d,\"active\":%s,\"tags\":[\"t%d\",\"u%d\"],\"bio\":\"%s\"}\n",
      i, i, i, i % 1000, 18 + i % 80, i % 100, i % 10, (i % 2 ? "true" : "false"), i % 7, i % 11, bio
}' >"$out/rows.jsonl"
head -n "$JS_ROWS" "$out/rows.jsonl" >"$out/sample.jsonl"
bytes=$(stat -c %s "$out/rows.jsonl")
log "input: $bytes bytes, $((bytes / ROWS)) bytes per row"

attrs='{"name":"string|required","email":"string","city":"string","age":"number","score":"number","active":"boolean","tags":"array|items:string","bio":"string"}'
newdb() { # newdb NAME: a fresh bucket with the people resource; sets conn to its connection string
  local b="bench-ingest-$1-$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  "$out/rawput" -op mkbucket -bucket "$b"
  buckets+=("$b") # (not in a subshell: cleanup removes it)
  conn="${S3DB_TEST_S3%/}/$b/bench"
  S3DB_CONNECTION="$conn" "$out/s3db" create-resource people --attributes "$attrs" --behavior body-overflow >/dev/null
}
rss() { awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$1"; }
wall() { awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$1"; }
rate() { sed -nE 's/.*"per_second":([0-9.]+).*/\1/p' "$1" | head -1; }

# 1. ingest, the whole input.
newdb go
log "ingest: $ROWS rows at concurrency $CONC"
S3DB_CONNECTION="$conn" /usr/bin/time -v -o "$out/ingest.time" \
  "$out/ingest" --resource people --concurrency "$CONC" --progress plain --reject "$out/rows.rejects" "$out/rows.jsonl" 2>"$out/ingest.log" ||
  { cat "$out/ingest.log" >&2; die "ingest failed"; }
grep -E 'rows accepted' "$out/ingest.log" | tail -1
log "ingest: peak RSS $(rss "$out/ingest.time") MB"
ingest_rate=$(sed -nE 's/.*, ([0-9]+) rows\/s$/\1/p' "$out/ingest.log" | tail -1)
accepted=$(sed -nE 's/.*: ([0-9]+) rows accepted.*/\1/p' "$out/ingest.log" | tail -1)
count_start=$SECONDS
count=$(S3DB_CONNECTION="$conn" "$out/s3db" count people)
log "s3db count took $((SECONDS - count_start))s"
[[ "$count" == "$accepted" && "$accepted" == "$ROWS" ]] || die "s3db count says $count, ingest accepted $accepted of $ROWS"
log "s3db count people = $count (= accepted)"

put_rate=0 get_rate=0 list_rate=0 sample_rate=0 js_rate=""
if [[ "${RAW:-1}" != 0 ]]; then
  # 2. raw PutObject, the same count and concurrency, right after ingest.
  rawb="bench-ingest-raw-$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  "$out/rawput" -op mkbucket -bucket "$rawb"
  buckets+=("$rawb")
  log "raw PutObject: $ROWS objects at concurrency $CONC"
  "$out/rawput" -op put -bucket "$rawb" -n "$ROWS" -c "$CONC" >"$out/rawput.json"
  put_rate=$(rate "$out/rawput.json")
fi

# 3. export, the whole resource.
log "export: $ROWS records"
S3DB_CONNECTION="$conn" /usr/bin/time -v -o "$out/export.time" "$out/s3db" export people --output "$out/export.jsonl"
exported=$(wc -l <"$out/export.jsonl")
[[ "$exported" == "$ROWS" ]] || die "export wrote $exported records, want $ROWS"
export_secs=$(wall "$out/export.time")
export_rate=$(awk -v n="$ROWS" -v s="$export_secs" 'BEGIN {printf "%.0f", n / s}')
log "export: $exported records in ${export_secs}s ($export_rate records/s), peak RSS $(rss "$out/export.time") MB"

if [[ "${RAW:-1}" != 0 ]]; then
  # 4. raw GetObject of what raw PutObject wrote.
  log "raw GetObject: $ROWS objects at concurrency 32"
  "$out/rawput" -op get -bucket "$rawb" -n "$ROWS" -c 32 >"$out/rawget.json"
  get_rate=$(rate "$out/rawget.json")
  log "raw ListObjectsV2: every key, 1,000 per page"
  "$out/rawput" -op list -bucket "$rawb" >"$out/rawlist.json"
  list_rate=$(rate "$out/rawlist.json")

  # 5. The sample, ROUNDS times (default 3): Go ingest, then s3db.js insertMany, each into a fresh bucket; medians.
  for round in $(seq "${ROUNDS:-3}"); do
    newdb sample
    sconn="$conn"
    log "round $round: ingest of the $JS_ROWS-row sample"
    S3DB_CONNECTION="$sconn" "$out/ingest" --resource people --concurrency "$CONC" --progress none \
      --reject "$out/sample.rejects" --restart "$out/sample.jsonl" 2>"$out/sample.log" || { cat "$out/sample.log" >&2; die "ingest failed"; }
    sed -nE 's/.*, ([0-9]+) rows\/s$/\1/p' "$out/sample.log" | tail -1 >>"$out/sample.rates"
    if [[ -n "$S3DBJS_RUN" ]]; then
      jsb="bench-ingest-js-$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
      buckets+=("$jsb")
      log "round $round: s3db.js insertMany of the $JS_ROWS-row sample"
      S3DB_LOG_LEVEL="${S3DB_LOG_LEVEL:-error}" S3DB_CONNECTION="${S3DB_TEST_S3%/}/$jsb/bench" \
        "$S3DBJS_RUN" bench/js/ingest.mjs "$out/sample.jsonl" "$JS_ROWS" >"$out/js.out"
      grep -q '"op":"insertMany"' "$out/js.out" || die "bench/js/ingest.mjs printed no result: $(head -c 2000 "$out/js.out")"
      rate "$out/js.out" >>"$out/js.rates"
    fi
  done
  median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print 0; else print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
  sample_rate=$(median <"$out/sample.rates")
  [[ -f "$out/js.rates" ]] && js_rate=$(median <"$out/js.rates")
  log "sample rounds: ingest $(tr '\n' ' ' <"$out/sample.rates")rows/s; s3db.js $(tr '\n' ' ' <"$out/js.rates" 2>/dev/null)rows/s"
fi

echo
printf 'rows %s, concurrency %s, %s bytes per row; versitygw at %s; %s cores\n' "$ROWS" "$CONC" "$((bytes / ROWS))" "${S3DB_TEST_S3##*@}" "$(nproc)"
printf '%-46s %12s %10s\n' measurement rows/s "peak RSS"
printf '%-46s %12s %9sM\n' "ingest ($ROWS rows)" "$ingest_rate" "$(rss "$out/ingest.time")"
if [[ "$put_rate" != 0 ]]; then
  printf '%-46s %12.0f %10s\n' "raw PutObject (If-None-Match)" "$put_rate" -
  printf '%-46s %12.0f %10s\n' "ingest ($JS_ROWS-row sample, median)" "$sample_rate" -
fi
[[ -n "$js_rate" ]] && printf '%-46s %12.0f %10s\n' "s3db.js insertMany ($JS_ROWS-row sample, median)" "$js_rate" -
printf '%-46s %12s %9sM\n' "export ($ROWS records)" "$export_rate" "$(rss "$out/export.time")"
if [[ "$get_rate" != 0 ]]; then
  printf '%-46s %12.0f %10s\n' "raw GetObject (concurrency 32)" "$get_rate" -
  printf '%-46s %12.0f %10s\n' "raw ListObjectsV2 (keys/s)" "$list_rate" -
fi
echo
awk -v i="$ingest_rate" -v p="$put_rate" -v s="$sample_rate" -v j="${js_rate:-0}" -v e="$export_rate" -v g="$get_rate" -v l="$list_rate" 'BEGIN {
  if (p > 0) printf "ingest / raw PutObject: %.2f (target >= 0.8)\n", i / p
  if (j > 0) printf "ingest / s3db.js insertMany (sample): %.2f (target >= 2)\n", s / j
  if (g > 0) printf "export / raw GetObject: %.2f\n", e / g
  if (l > 0) printf "export / raw (list, then get): %.2f\n", e * (1 / l + 1 / g) }'
