#!/usr/bin/env bash
# Regenerate the s3db.js 21.6.2 golden fixtures under testdata/s3dbjs/*.json with the real library.
#   ./scripts/gen-fixtures.sh                 # every generator in testdata/s3dbjs/gen/
#   ./scripts/gen-fixtures.sh types numbers   # only these generators (gen/types.mjs, gen/numbers.mjs)
#   S3DB_FIXTURES_ONLY='^types-body' ./scripts/gen-fixtures.sh types   # only the cases matching a regexp
# Not part of the test run: the fixtures are committed. Needs S3 (versitygw, started here when nothing answers
# on S3DB_TEST_S3 as in scripts/test.sh) and the s3db.js harness (../shared/tools/s3dbjs). Each case runs under
# its own fresh key prefix (fixtures/<case>/<run id>) of the bucket s3db-fixtures, so runs never see each other.
# Values that are random or time-dependent in s3db.js (timestamps, secret ciphertexts, password hashes,
# lastUpdated) differ on every run; everything else is reproducible.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED_DIR="$(cd "$REPO_ROOT/.." && pwd)/shared"
S3DB_LOG_TAG="gen-fixtures"
# shellcheck source=lib/services.sh
source "$REPO_ROOT/scripts/lib/services.sh"
source "$REPO_ROOT/scripts/lib/setup.sh"

trap services_release EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Only S3 and s3db.js are needed here.
export S3DB_TEST_SQS="" S3DB_TEST_AMQP="" S3DB_TEST_POSTGRES=""
setup_test_env
[[ -n "$S3DB_TEST_S3" && -n "$S3DBJS_RUN" ]] || die "S3DB_TEST_S3 and S3DBJS_RUN must not be off"

GEN_DIR="$REPO_ROOT/testdata/s3dbjs/gen"
OUT_DIR="$REPO_ROOT/testdata/s3dbjs"
# s3db.js connection: the test endpoint plus the bucket; lib.mjs appends the per-case prefix.
export S3DB_CONNECTION="${S3DB_TEST_S3%/}/s3db-fixtures"
export S3DB_FIXTURES_OUT="$OUT_DIR"
export S3DB_PASSPHRASE="secret"

gens=()
if (($# > 0)); then
  for g in "$@"; do
    f="$GEN_DIR/${g%.mjs}.mjs"
    [[ -f "$f" ]] || die "no generator $f"
    gens+=("$f")
  done
else
  for f in "$GEN_DIR"/*.mjs; do
    [[ "$(basename "$f")" == lib.mjs ]] || gens+=("$f")
  done
fi

rc=0
for f in "${gens[@]}"; do
  log "$(basename "$f")"
  # A truncate-data case can block Node's event loop forever (spec §13.3): bound every generator.
  if ! timeout -s KILL "${S3DB_FIXTURES_TIMEOUT:-600}" "$S3DBJS_RUN" "$f"; then
    log "FAILED: $(basename "$f")"
    rc=1
  fi
done
((rc == 0)) && log "fixtures written to $OUT_DIR"
exit "$rc"
