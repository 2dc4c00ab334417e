#!/usr/bin/env bash
# Webhook receiver benchmark (not part of CI): against the test store, in a
# throwaway cluster with the receiver (woocommerce_fdw preloaded):
#   1. end to end: a price changed in the store until it is in the local
#      catalog (the store delivers at once), 20 times: median and worst;
#   2. 500 product.updated deliveries at once through the receiver (each
#      reads its product from the store again): deliveries per second;
#   3. 500 order.updated deliveries at once (queued, no store request);
#   4. receive_webhook called from SQL 2,000 times (queued events): the
#      database's own cost per delivery.
# Usage: test/bench/webhook_bench.sh
# Env:   WEBHOOK_BENCH_HTTP_PORT (19380), WEBHOOK_BENCH_HTTPS_PORT (19743)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
cd "$REPO_ROOT"
WORK=$(mktemp -d /tmp/woocommerce_fdw_webhook_bench.XXXXXX)
chmod 755 "$WORK"
trap 'stop_store; rm -rf "$WORK"' EXIT
build_and_install
start_store "$WORK/store" "${WEBHOOK_BENCH_HTTP_PORT:-19380}" "${WEBHOOK_BENCH_HTTPS_PORT:-19743}" --products 200
resolve_python
pg_virtualenv -v 15 -o shared_preload_libraries=woocommerce_fdw "$PYTHON" "$REPO_ROOT/test/bench/webhook_bench.py"
