#!/usr/bin/env bash
# Where the backend's time goes: runs one benchmark operation against the
# benchmark store at 0 ms latency (so that the backend's own work is all
# there is) under `perf record` attached to the backend, then prints the
# functions by self time and by inclusive time. Not part of CI.
#
# Usage: test/bench/profile.sh scan|insert|import|export|reexport [PRODUCTS]
#   scan      SELECT over N products (default 100,000) without attrs
#   insert    INSERT ... SELECT of N products (10,000) into the products foreign table
#   import    import_products of N store products (10,000) into an empty catalog
#   export    export_products of N new local products (10,000) into an empty store
#   reexport  export_products of N unchanged products (20,000; exported first, not profiled)
# Needs linux-perf (scripts/install-deps.sh --profiling). Sampling is by the
# CPU clock: virtual machines often have no hardware counters. The samples
# stay in build/profile/OPERATION.perf.data for further `perf report`s.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
cd "$REPO_ROOT"
OPERATION=${1:?usage: test/bench/profile.sh scan|insert|import|export|reexport [PRODUCTS]}
"$REPO_ROOT/scripts/install-deps.sh" --profiling >/dev/null
resolve_python
build_and_install
# Its own build tree: build/cmake belongs to the unit tests (and may hold
# objects of another compiler).
cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWCFDW_BUILD_TESTS=OFF >/dev/null
cmake --build build/bench --target bench_store -j"$(nproc)" >/dev/null

WORK=$(mktemp -d /tmp/woocommerce_fdw_profile.XXXXXX)
chmod 755 "$WORK"
PORT=${BENCH_STORE_PORT:-28490}
build/bench/test/bench/store/bench_store --port "$PORT" --products 0 >"$WORK/store.log" 2>&1 &
STORE_PID=$!
trap 'kill $STORE_PID 2>/dev/null; wait $STORE_PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$PORT/__store/health" >/dev/null 2>&1 && break
  sleep 0.1
done
export STORE="http://127.0.0.1:$PORT" WORK REPO_ROOT OPERATION PRODUCTS=${2:-}
resolve_pg || exit 1
pg_virtualenv -v "$PG_MAJOR" bash "$REPO_ROOT/test/bench/profile_cluster.sh"
