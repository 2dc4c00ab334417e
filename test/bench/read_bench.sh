#!/usr/bin/env bash
# Read-path benchmark (issue 3). Not part of CI: it takes a few minutes.
# Prints, in one run:
#   1. full scan of 10,000 products at 50 ms per request, concurrency 1, 4, 8:
#      wall time and requests against the limit ceil(100 / concurrency) x 50 ms
#      (target <= 1.25x the limit at 4 and 8);
#   2. rows converted per second of backend CPU at 0 ms latency, attrs not
#      selected, against PostgreSQL's own jsonb parsing and conversion of the
#      very same pages (jsonb_to_recordset) (target >= 80,000 rows/s and >= 2x);
#   3. the backend's peak RSS growth while scanning 100,000 products (target <= 64 MB).
# Usage: test/bench/read_bench.sh   (as root; builds and installs first)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
cd "$REPO_ROOT"
"$REPO_ROOT/scripts/install-deps.sh" >/dev/null
resolve_python
resolve_pg
build_and_install >/dev/null

WORK=$(mktemp -d /tmp/woocommerce_fdw_bench.XXXXXX)
chmod 755 "$WORK"
trap 'stop_store; rm -rf "$WORK"' EXIT
start_store "$WORK" "${WOO_BENCH_HTTP_PORT:-auto}" "${WOO_BENCH_HTTPS_PORT:-auto}"
export WOO_STORE_HTTP WOO_STORE_HTTPS WOO_STORE_CA_FILE WORK
pg_virtualenv -v "$PG_MAJOR" bash "$REPO_ROOT/test/bench/read_bench_cluster.sh"
