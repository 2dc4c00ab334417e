#!/usr/bin/env bash
# Builds the harnesses (build.sh) and runs each for SECONDS (default 50),
# from its seed corpus (test/fuzz/corpus/<harness>) plus what earlier runs
# found (build/fuzz/corpus/<harness>). Prints one line per harness and
# ends with "== fuzz: N passed, N failed" (scripts/test.sh's fuzz layer).
# A crash leaves its input in build/fuzz/crash-* (reproduce: build/fuzz/<harness> <file>).
#
# Usage: test/fuzz/run.sh [SECONDS] [HARNESS...]
set -uo pipefail
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${WOO_FUZZ_BUILD:-$REPO_ROOT/build/fuzz}
SECONDS_EACH=${1:-50}
shift || true
bash "$REPO_ROOT/test/fuzz/build.sh" || { echo "== fuzz: 0 passed, 1 failed"; exit 1; }
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=($(cd "$OUT" && ls fuzz_* | grep -v '\.' ))
passed=0
failed=0
for h in "${harnesses[@]}"; do
  mkdir -p "$OUT/corpus/$h"
  seeds=()
  [ -d "$REPO_ROOT/test/fuzz/corpus/$h" ] && seeds=("$REPO_ROOT/test/fuzz/corpus/$h")
  # Leaks are checked (detect_leaks) but reported after the run; the
  # backend's own memory contexts are not involved here.
  if ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
     "$OUT/$h" -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
       -artifact_prefix="$OUT/crash-$h-" "$OUT/corpus/$h" "${seeds[@]}" >"$OUT/$h.log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$OUT/$h.log" | tail -1)
    echo "fuzz $h: ok, ${runs:-?} executions in ${SECONDS_EACH}s"
    passed=$((passed + 1))
  else
    echo "fuzz $h: FAILED (log: $OUT/$h.log)"
    grep -E 'ERROR|SUMMARY|runtime error|abort|deadly' "$OUT/$h.log" | head -n 8
    failed=$((failed + 1))
  fi
done
echo "== fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
