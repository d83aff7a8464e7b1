#!/usr/bin/env bash
# The test command of s3db-go: installs and starts the local services, then runs go vet and go test.
#   ./scripts/test.sh                      # go vet ./... && go test -count=1 ./...
#   ./scripts/test.sh -run X ./codec/      # extra arguments go to go test (and the packages to go vet);
#                                          # without a package argument ./... is added
# Works from any clone folder (the shared dir is <repo>/../shared), as root, without Docker; the network is
# only needed the first time (Go module proxy, npm registry). Cached installs make later runs no-ops.
#
# Environment contract for tests (read by internal/testenv; exported here with these defaults):
#   S3DB_TEST_S3        S3 endpoint with credentials in the URL (secret URL-encoded), no bucket:
#                       default http://AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI%2FK7MDENG%2FbPxRfiCYEXAMPLEKEY@127.0.0.1:7070
#                       (versitygw v1.8.0, posix backend, fresh data dir per start)
#   S3DB_TEST_SQS       SQS endpoint, default http://127.0.0.1:4566 (fauxqs 1.9.2; any key/secret is accepted)
#   S3DB_TEST_AMQP      RabbitMQ URL, default amqp://guest:guest@127.0.0.1:5672/
#   S3DB_TEST_POSTGRES  PostgreSQL URL, default postgres://postgres@127.0.0.1:5432/test?sslmode=disable
#   S3DBJS_RUN          s3db.js 21.6.2 runner, default <repo>/../shared/tools/s3dbjs/run.sh
# Unset = the loopback default above. Set to the empty string = that service is off: nothing is started for it
# and the tests that need it skip with a message saying so. A loopback address (127.0.0.1/localhost) on
# another port is started there when nothing answers; a non-loopback address is used as it is.
#
# Servers: a healthy server already listening on the address is reused. A server this script starts is stopped
# when the script exits (trap), unless another run of this script is still using it (then the last run stops it).
# Caches: ${XDG_CACHE_HOME:-$HOME/.cache}/s3db-go (bin/versitygw, fauxqs-<hash>/, run/ with pid files and logs);
# s3db.js lives in ${S3DBJS_HOME:-/tmp/s3dbjs} (see ../shared/tools/s3dbjs/README.md).
# Exit code: go test's (or go vet's when only vet failed; 1 for setup errors).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED_DIR="$(cd "$REPO_ROOT/.." && pwd)/shared"
S3DB_LOG_TAG="test.sh"
# shellcheck source=lib/services.sh
source "$REPO_ROOT/scripts/lib/services.sh"
source "$REPO_ROOT/scripts/lib/setup.sh"

trap services_release EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
trap 'exit 141' PIPE

cd "$REPO_ROOT"
command -v go >/dev/null || die "go not found on PATH"

setup_test_env
on_off() { if [[ -n "$1" ]]; then url_hostport "$1"; else printf off; fi; }
log "services: S3 $(on_off "$S3DB_TEST_S3"), SQS $(on_off "$S3DB_TEST_SQS"), AMQP $(on_off "$S3DB_TEST_AMQP"), PostgreSQL $(on_off "$S3DB_TEST_POSTGRES"), s3db.js ${S3DBJS_RUN:-off}"

# Split the arguments: package patterns go to go vet too; flags and their values only to go test.
# Flags that take a separate value (go help testflag / go help build) must not have it taken for a package.
args=("$@")
pkgs=()
takes_value=" -run -skip -bench -benchtime -count -cpu -parallel -timeout -fuzz -fuzztime -fuzzminimizetime"
takes_value+=" -coverprofile -covermode -coverpkg -cpuprofile -memprofile -blockprofile -mutexprofile -trace"
takes_value+=" -outputdir -o -p -tags -ldflags -gcflags -asmflags -mod -modfile -exec -vet -list -shuffle -C -overlay -pgo "
skip_next=0
for a in "${args[@]}"; do
  if ((skip_next)); then
    skip_next=0
    continue
  fi
  case "$a" in
    -args | --args) break ;;
    -*=*) ;;
    -*) [[ "$takes_value" == *" ${a/#--/-} "* ]] && skip_next=1 ;;
    *) pkgs+=("$a") ;;
  esac
done
if ((${#pkgs[@]} == 0)); then
  pkgs=(./...)
  args+=(./...)
fi

vet_rc=0
log "go vet ${pkgs[*]}"
go vet "${pkgs[@]}" || vet_rc=$?

test_rc=0
log "go test -count=1 ${args[*]}"
go test -count=1 "${args[@]}" || test_rc=$?

if ((test_rc != 0)); then
  log "go test failed (exit $test_rc)"
  exit "$test_rc"
fi
if ((vet_rc != 0)); then
  log "go vet failed (exit $vet_rc)"
  exit "$vet_rc"
fi
log "ok"
