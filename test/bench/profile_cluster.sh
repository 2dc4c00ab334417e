#!/usr/bin/env bash
# The cluster half of profile.sh (runs inside pg_virtualenv).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib/bench_lib.sh"
source "$HERE/bench_scan.sh"
source "$HERE/bench_insert.sh"
source "$HERE/bench_sync.sh"
sql -f "$BENCH_LIB/setup.sql" >/dev/null
store_latency 0

case "$OPERATION" in
  scan)
    store_reset "${PRODUCTS:-100000}"
    sql -c "$SCAN_QUERY" >/dev/null  # the store renders its pages once
    setup="EXPLAIN $SCAN_QUERY;" statement="$SCAN_QUERY;" ;;
  insert)
    store_reset 0
    setup="EXPLAIN $INSERT_SQL;"
    statement="${INSERT_SQL/10000/${PRODUCTS:-10000}};" ;;
  import)
    store_reset "${PRODUCTS:-10000}"
    setup="$FRESH_CATALOG $CONN_RUN" statement="$IMPORT" ;;
  export)
    store_reset 0
    local_products "${PRODUCTS:-10000}"
    setup="$CONN_RUN" statement="$EXPORT" ;;
  reexport)
    store_reset 0
    local_products "${PRODUCTS:-20000}"
    sql -c "$EXPORT" >/dev/null
    setup="$CONN_RUN" statement="$EXPORT" ;;
  *) echo "unknown operation $OPERATION" >&2; exit 2 ;;
esac

store_latency 0
PERF_DATA=$REPO_ROOT/build/profile/$OPERATION.perf.data
mkdir -p "$(dirname "$PERF_DATA")"
sql <<SQL | tail -n 1
\o /dev/null
$setup
SELECT pg_backend_pid() AS bench_pid \gset
\setenv BENCH_PID :bench_pid
\! perf record -F 1999 --call-graph dwarf,32768 -p "\$BENCH_PID" -o "$PERF_DATA" >"$WORK/perf.log" 2>&1 & echo \$! > "$WORK/perf.pid"
\! sleep 1
SELECT clock_timestamp() AS bench_t0, bench_cpu_ns() AS bench_c0 \gset
$statement
SELECT round(extract(epoch FROM clock_timestamp() - :'bench_t0')::numeric, 3) AS bench_wall,
       round(((bench_cpu_ns() - :bench_c0) / 1e9)::numeric, 3) AS bench_cpu \gset
\! kill -INT \$(cat "$WORK/perf.pid"); while kill -0 \$(cat "$WORK/perf.pid") 2>/dev/null; do sleep 0.1; done
\o
SELECT format('== %s: %s s, backend CPU %s s (sampled by perf, load %s)', '$OPERATION', :'bench_wall', :'bench_cpu',
              '$(cut -d' ' -f1 /proc/loadavg)');
SQL
report() {  # report ARGS...: the sample lines of perf report, symbols shortened
  perf report -i "$PERF_DATA" --stdio -g none "$@" 2>/dev/null | grep -E '^ +[0-9]' | head -45 |
    python3 "$BENCH_LIB/short_symbols.py" || true
}
echo "== $OPERATION: self time by function"
report --no-children --sort dso,sym --percent-limit 0.7
echo "== $OPERATION: inclusive time of the extension's functions (callees included)"
report --children --no-inline --sort sym --dsos woocommerce_fdw.so --percent-limit 2
echo "(samples kept in $PERF_DATA: perf report -i $PERF_DATA)"
