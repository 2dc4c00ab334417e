# Helpers of the benchmark's cluster half (sourced inside pg_virtualenv):
# store controls, timed statements, RSS peaks and the result lines.
# Needs: STORE (the benchmark store's URL), WORK (a scratch directory).

BENCH_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RUNS=${BENCH_RUNS:-3}

store() {  # store CONTROL JSON: POST /__store/CONTROL
  curl -sf -o /dev/null -X POST -d "$2" "$STORE/__store/$1" || { echo "store control $1 failed" >&2; exit 1; }
}
store_reset() { store reset "{\"products\": $1}"; }
store_latency() { store config "{\"latency_ms\": $1}"; }
store_clear_log() { curl -sf -o /dev/null -X DELETE "$STORE/__store/requests"; }
# requests [METHOD]: requests in the log since it was last cleared.
requests() {
  curl -sf "$STORE/__store/requests${1:+?method=$1}" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'
}
# first_query METHOD: the query string of the first logged request of that
# method, without OAuth parameters and page (what a scan asked for).
first_query() {
  curl -sf "$STORE/__store/requests?method=$1" | python3 -c '
import json, sys, urllib.parse
q = json.load(sys.stdin)[0]["query"]
print(urllib.parse.urlencode([(k, v) for k, vs in q.items() for v in vs
                              if not k.startswith("oauth_") and k != "page"]))'
}

sql() { psql -qXAt -v ON_ERROR_STOP=1 "$@"; }

# timed SETUP STATEMENT: "WALL CPU", the seconds the statement took in a
# fresh session after SETUP (which also loads the extension's library), and
# the backend's CPU seconds for it. Output of both discarded.
timed() {
  sql <<SQL
\o /dev/null
$1
SELECT clock_timestamp() AS bench_t0, bench_cpu_ns() AS bench_c0 \gset
$2
\o
SELECT round(extract(epoch FROM clock_timestamp() - :'bench_t0')::numeric, 3) || ' ' ||
       round(((bench_cpu_ns() - :bench_c0) / 1e9)::numeric, 3);
SQL
}

# best_of FUNCTION ARGS...: runs FUNCTION (which prints one or more numbers)
# $RUNS times, prints the smallest of each column. The machine is shared:
# the best run is the one least disturbed by other work.
best_of() {
  local best="" t
  for _ in $(seq 1 "$RUNS"); do
    t=$("$@") || return 1
    best=$(awk -v a="$t" -v b="$best" 'BEGIN {
      n = split(a, x, " "); split(b, y, " ")
      for (i = 1; i <= n; i++) printf "%s%s", (i > 1 ? " " : ""), (b == "" || x[i] + 0 < y[i] + 0) ? x[i] : y[i]
      print "" }')
  done
  echo "$best"
}

wall() { echo "${1%% *}"; }  # the first column of timed's "WALL CPU"
cpu() { echo "${1##* }"; }

# rss_growth_mb SETUP STATEMENT: peak growth of the backend's private memory
# (RssAnon) while STATEMENT runs, in MB.
rss_growth_mb() {
  local dir=$WORK/rss.$RANDOM
  mkdir -p "$dir"
  sql >/dev/null <<SQL
\o /dev/null
$1
SELECT pg_backend_pid() AS bench_pid \gset
\setenv BENCH_PID :bench_pid
\! python3 "$BENCH_LIB/rss_peak.py" "\$BENCH_PID" "$dir/ready" "$dir/stop" "$dir/out" &
\! while [ ! -f "$dir/ready" ]; do sleep 0.01; done
$2
\! touch "$dir/stop"
\! while [ ! -s "$dir/out" ]; do sleep 0.01; done
SQL
  awk '{ printf "%.1f", ($2 - $1) / 1024 }' "$dir/out"
}

calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }
ceil_div() { echo $(( ($1 + $2 - 1) / $2 )); }

# store_ms [METHOD]: the store's own time (ms) for the logged requests, summed.
store_ms() {
  curl -sf "$STORE/__store/requests${1:+?method=$1}" |
    python3 -c 'import json,sys; print("%.0f" % sum(e["service_ms"] for e in json.load(sys.stdin)))'
}

# result LABEL MEASURED RATIO OPERATOR TARGET [NOTE]: one figure line, ending
# met or missed (OPERATOR <= or >=), also appended to $WORK/results.
result() {
  local label=$1 measured=$2 ratio=$3 op=$4 target=$5 note=${6:-} verdict
  if awk -v r="$ratio" -v t="$target" -v op="$op" 'BEGIN { exit !((op == "<=") ? r <= t : r >= t) }'; then
    verdict=met
  else
    verdict=missed
  fi
  printf '%-46s %-40s %6sx  target %s %sx  %s\n' "$label" "$measured${note:+, $note}" "$ratio" "$op" "$target" "$verdict" |
    tee -a "$WORK/results"
}

# not_applicable LABEL REASON
not_applicable() {
  printf '%-46s %s\n' "$1" "n/a ($2)" | tee -a "$WORK/results"
}
