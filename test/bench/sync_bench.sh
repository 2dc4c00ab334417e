#!/usr/bin/env bash
# Sync engine benchmark (not part of CI): against the test store, in one run,
#   1. export of 10,000 new products at 50 ms per request,
#   2. re-export of the 10,000 unchanged products (target: 0 requests, <= 1 s),
#   3. import of 10,000 products at 50 ms per request,
#   4. import of 10,000 products at 0 ms (target: >= 40,000 products/s).
# For 1 and 3 the limit is ceil(100 / concurrency) x 50 ms (100 requests of
# 100 items, `concurrency` in flight); the target is <= 1.3 x that limit.
# Prints one line per run. Builds and installs first (under the shared
# install lock, held for the run: the installed library must stay ours).
#
# Usage: test/bench/sync_bench.sh [concurrency (default 4)]
# Env:   SYNC_BENCH_HTTP_PORT, SYNC_BENCH_HTTPS_PORT (default: free ones); PG_MAJOR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
cd "$REPO_ROOT"
CONCURRENCY=${1:-4}
WORK=$(mktemp -d /tmp/woocommerce_fdw_sync_bench.XXXXXX)
chmod 755 "$WORK"
trap 'stop_store; rm -rf "$WORK"' EXIT
resolve_pg
make -s -j2 PG_CONFIG="$PG_CONFIG" >/dev/null
start_store "$WORK/store" "${SYNC_BENCH_HTTP_PORT:-auto}" "${SYNC_BENCH_HTTPS_PORT:-auto}" --products 0
export SYNC_BENCH_CONCURRENCY=$CONCURRENCY

cat > "$WORK/bench.sql" <<'SQL'
\set ON_ERROR_STOP on
\set QUIET on
\pset format unaligned
\pset tuples_only on
\getenv http WOO_STORE_HTTP
\getenv concurrency SYNC_BENCH_CONCURRENCY
CREATE EXTENSION woocommerce_fdw;
SET woocommerce.sync_progress = off;
SELECT id AS conn FROM woocommerce.create_connection('Bench', :'http', 'ck_test_readwrite_0000000000000000000000000',
       'cs_test_readwrite_0000000000000000000000000', options => jsonb_build_object('concurrency', :concurrency)) \gset
SELECT (ceil(100.0 / :concurrency) * 50) / 1000.0 AS limit_s \gset
CREATE FUNCTION bench_line(label text, t0 timestamptz, target text) RETURNS text LANGUAGE sql AS $$
  SELECT format('%-30s %6s requests %10s s   %s', label, r.requests,
                round(extract(epoch FROM clock_timestamp() - t0)::numeric, 3), target)
    FROM woocommerce.sync_run r ORDER BY r.id DESC LIMIT 1 $$;

INSERT INTO woocommerce.product (sku, name, regular_price, stock_quantity, manage_stock, categories, tags)
SELECT format('BENCH-%s', lpad(g::text, 5, '0')), format('Bench product %s', g), 5 + (g % 200) * 0.25, g % 40, true,
       ARRAY['Bench > Sub ' || (g % 5)], ARRAY['bench']
  FROM generate_series(1, 10000) g;
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/config" -d '{"latency_ms": 50}'
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) FROM woocommerce.export_products(:conn) \g /dev/null
SELECT bench_line('export 10,000 new @50ms', :'t0', format('limit %s s, target <= %s s', :limit_s, round(1.3 * :limit_s, 3)));
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) FROM woocommerce.export_products(:conn) \g /dev/null
SELECT bench_line('re-export 10,000 unchanged', :'t0', 'target 0 requests, <= 1 s');

-- Imports: the store's 10,000 products into an empty local catalog.
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/reset" -d '{"products": 10000}'
DELETE FROM woocommerce.product;
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/config" -d '{"latency_ms": 50}'
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) FROM woocommerce.import_products(:conn) \g /dev/null
SELECT bench_line('import 10,000 @50ms', :'t0', format('limit %s s (+ variations), target <= %s s', :limit_s, round(1.3 * :limit_s, 3)));
DELETE FROM woocommerce.product;
DELETE FROM woocommerce.sync_run;
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/config" -d '{"latency_ms": 0}'
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) FROM woocommerce.import_products(:conn) \g /dev/null
SELECT bench_line('import 10,000 @0ms', :'t0', 'target >= 40,000 products/s')
       || format('   (%s products/s)', round((SELECT count(*) FROM woocommerce.product_sync)
                                            / extract(epoch FROM clock_timestamp() - :'t0')));
SQL

flock /tmp/woocommerce_fdw_install.lock bash -c \
  "make -s install PG_CONFIG='$PG_CONFIG' >/dev/null && pg_virtualenv -v '$PG_MAJOR' psql -X -d postgres -f '$WORK/bench.sql'"
