#!/usr/bin/env bash
# The encoding benchmark of docs/benchmarks.md, Go and s3db.js 21.6.2 in the same run on the same
# machine: mapping + behavior split, and the reverse, of the 15-field record in bench/js/record15.json.
#   ./bench/encode.sh [COUNT]        # COUNT runs of each side (default 5), medians and the ratio
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED_DIR="$(cd "$REPO_ROOT/.." && pwd)/shared"
RUN="${S3DBJS_RUN:-$SHARED_DIR/tools/s3dbjs/run.sh}"
COUNT="${1:-5}"
cd "$REPO_ROOT"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

for _ in $(seq "$COUNT"); do
  go test ./schema -run '^$' -bench 'Record15' -benchtime=1s -count=1 | awk '/^Benchmark/ {print $1, $3}' >>"$out/go.txt"
  "$RUN" bench/js/encode.mjs 100000 | sed -E 's/.*"op":"([^"]+)","ns_per_op":([0-9]+).*/\1 \2/' >>"$out/js.txt"
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
gm() { grep "^$1" "$out/go.txt" | awk '{print $2}' | median; }
jm() { grep "^$1 " "$out/js.txt" | awk '{print $2}' | median; }

printf '%-34s %12s %12s %8s\n' "operation (median of $COUNT runs)" "Go ns/op" "s3db.js" "ratio"
row() { # label go-bench js-op
  local g j
  g=$(gm "$2"); j=$(jm "$3")
  printf '%-34s %12s %12s %7.1fx\n' "$1" "$g" "$j" "$(awk -v j="$j" -v g="$g" 'BEGIN {print j / g}')"
}
row "map + split"                 BenchmarkRecord15MapSplit-        "map+split"
row "map + split + S3 headers"    BenchmarkRecord15MapSplitHeaders- "map+split"
row "join + unmap (from headers)" BenchmarkRecord15JoinUnmap-       "join+unmap"
row "unmap (from decoded fields)" BenchmarkRecord15Unmap-           "join+unmap"
