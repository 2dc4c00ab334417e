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
sql >/dev/null <<SQL
\o /dev/null
$setup
SELECT pg_backend_pid() AS bench_pid \gset
\setenv BENCH_PID :bench_pid
\! perf record -F 499 --call-graph dwarf,32768 -p "\$BENCH_PID" -o "$WORK/perf.data" >"$WORK/perf.log" 2>&1 & echo \$! > "$WORK/perf.pid"
\! sleep 1
$statement
\! kill -INT \$(cat "$WORK/perf.pid"); while kill -0 \$(cat "$WORK/perf.pid") 2>/dev/null; do sleep 0.1; done
SQL
echo "== $OPERATION: self time by function (top 40)"
perf report -i "$WORK/perf.data" --stdio --no-children --sort dso,sym --percent-limit 0.7 2>/dev/null |
  grep -E '^ +[0-9]' | head -40
echo "== $OPERATION: inclusive time by function (top 40)"
perf report -i "$WORK/perf.data" --stdio --children --sort sym -g none --percent-limit 2 2>/dev/null |
  grep -E '^ +[0-9]' | head -40
