#!/usr/bin/env bash
# Runs inside pg_virtualenv (PG* variables point at the throwaway cluster):
# pg_regress through PGXS's installcheck, then pgTAP through pg_prove.
# Writes "regress_passed regress_failed tap_passed tap_failed tap_skipped" to
# $1/cluster.counts. PG_MAJOR comes from scripts/test.sh (scripts/lib.sh).
set -uo pipefail
WORK=$1
: "${PG_MAJOR:?run through scripts/test.sh}"
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO_ROOT"
mkdir -p build/regress

# pg_cron (preloaded by scripts/test.sh) runs the sync suite's scheduled job
# in a background worker, which needs no password login over TCP.
if psql -X -At -d postgres -c 'SHOW shared_preload_libraries' | grep -q pg_cron; then
  psql -X -q -d postgres -c "ALTER SYSTEM SET cron.use_background_workers = on" &&
    pg_ctlcluster "$PG_MAJOR" regress restart
fi

# REGRESS="30_read_path 31_read_errors" runs only those files (default: all).
if [ -n "${REGRESS:-}" ]; then
  make -s installcheck REGRESS="$REGRESS" 2>&1 | tee "$WORK/regress.log"
  regress_total=$(echo $REGRESS | wc -w)
else
  make -s installcheck 2>&1 | tee "$WORK/regress.log"
  regress_total=$(ls sql/*.sql | wc -l)
fi
if grep -qE 'tests? failed|failed \(ignored\)' "$WORK/regress.log"; then
  echo "---- regression.diffs ----"
  cat build/regress/regression.diffs 2>/dev/null
fi
# pg_regress says "test NAME ... ok" up to PostgreSQL 15, "ok N - NAME" (TAP) since 16.
regress_ok=$(grep -cE '^test .* \.\.\. ok |^ok [0-9]+ +- ' "$WORK/regress.log" || true)
regress_failed=$((regress_total - regress_ok))

if [ "${SKIP_PGTAP:-0}" = 1 ]; then echo "$regress_ok $regress_failed 0 0 0" > "$WORK/cluster.counts"; exit 0; fi
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS woocommerce_tap" -c "CREATE DATABASE woocommerce_tap" >/dev/null
psql -X -q -d woocommerce_tap -c "CREATE EXTENSION pgtap" >/dev/null
# Verbose, to see each test's line (skips show only there); the console gets
# everything but the passing lines.
pg_prove -v -d woocommerce_tap --ext .sql -r test/pgtap > "$WORK/pgtap.log" 2>&1
grep -vE '^[[:space:]]*ok [0-9]+' "$WORK/pgtap.log"
tap_total=$(sed -n 's/^Files=[0-9]*, Tests=\([0-9]*\),.*/\1/p' "$WORK/pgtap.log")
tap_failed=$(grep -oE 'Failed [0-9]+/[0-9]+ subtests' "$WORK/pgtap.log" | awk -F'[ /]' '{s+=$2} END {print s+0}')
tap_skipped=$(grep -ciE '^[[:space:]]*ok [0-9]+.*# skip' "$WORK/pgtap.log" || true)
if [ -z "$tap_total" ]; then tap_total=1; tap_failed=1; fi
if grep -q "Parse errors\|Bad plan\|Wstat" "$WORK/pgtap.log" && [ "$tap_failed" -eq 0 ]; then tap_failed=1; fi

echo "$regress_ok $regress_failed $((tap_total - tap_failed - tap_skipped)) $tap_failed $tap_skipped" > "$WORK/cluster.counts"
