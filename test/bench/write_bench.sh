#!/usr/bin/env bash
# Write-path benchmark. Not part of CI: it takes a few minutes.
# Prints, in one run:
#   1. INSERT of 10,000 products (name, sku, regular_price) through an
#      imported foreign table at 50 ms per request, server option concurrency
#      1, 4, 8 (store reset between runs): wall time and POST requests against
#      the limit of 100 sequential batch requests (100 x 50 ms) and against
#      ceil(100 / concurrency) x 50 ms. PostgreSQL's executor hands the FDW
#      one batch of batch_size rows at a time (ExecForeignBatchInsert) and
#      waits for it, so the batches go out one after another whatever the
#      concurrency: expect about 100 x 50 ms;
#   2. the same INSERT with RETURNING (one POST per row), 200 rows, with the
#      time per row extrapolated to 10,000 rows;
#   3. UPDATE ... SET regular_price = regular_price * 1.1 WHERE category = X
#      touching about 100 rows (one PUT per row plus the scan's GETs).
# Usage: test/bench/write_bench.sh   (as root; builds and installs first)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
cd "$REPO_ROOT"
"$REPO_ROOT/scripts/install-deps.sh" >/dev/null
resolve_python
resolve_pg
build_and_install >/dev/null

WORK=$(mktemp -d /tmp/woocommerce_fdw_wbench.XXXXXX)
chmod 755 "$WORK"
trap 'stop_store; rm -rf "$WORK"' EXIT
start_store "$WORK" "${WOO_BENCH_HTTP_PORT:-auto}" "${WOO_BENCH_HTTPS_PORT:-auto}"
export WOO_STORE_HTTP WOO_STORE_HTTPS WOO_STORE_CA_FILE WORK
pg_virtualenv -v "$PG_MAJOR" bash "$REPO_ROOT/test/bench/write_bench_cluster.sh"
