#!/usr/bin/env bash
# The cluster half of bench.sh (runs inside pg_virtualenv): sets up the
# database, runs every figure, prints the tally.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib/bench_lib.sh"
source "$HERE/bench_store_speed.sh"
source "$HERE/bench_scan.sh"
source "$HERE/bench_insert.sh"
source "$HERE/bench_sync.sh"

sql -f "$BENCH_LIB/setup.sql" >/dev/null
: > "$WORK/results"
for step in ${BENCH_STEPS:-store_speed store_write_speed scan_latency scan_conversion scan_memory insert copy export_import import_vs_sql large_sync}; do
  started=$(date +%s)
  "bench_$step"
  echo "   ($step: $(( $(date +%s) - started )) s, load $(cut -d' ' -f1 /proc/loadavg))" >&2
done
echo
echo "$(grep -c ' met$' "$WORK/results") met, $(grep -c ' missed$' "$WORK/results") missed, $(grep -c ' n/a (' "$WORK/results") n/a"
