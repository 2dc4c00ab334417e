#!/usr/bin/env bash
# Benchmark of syncing your own tables (issue 12; not part of CI), in one run
# against the test store:
#   1. re-export of 100,000 unchanged rows of a user table through SQL
#      expressions: local work only (target: 0 requests, <= 2 s);
#   2. import of 10,000 products into a user table at 0 ms per request,
#      against PostgreSQL's own INSERT ... SELECT ... ON CONFLICT of the same
#      pages, already in a table, into the same table (target: import time
#      <= that baseline). Both are measured on an empty target, after a
#      warm-up import (the store renders each page once, then caches it).
# Prints one line per measurement with its ratio to the limit.
#
# Usage: test/bench/sync_tables_bench.sh   (as root, in a sandbox: builds and installs first)
# Env:   SYNC_BENCH_HTTP_PORT (19280), SYNC_BENCH_HTTPS_PORT (19643), SYNC_BENCH_ROWS (100000)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
cd "$REPO_ROOT"
resolve_python
WORK=$(mktemp -d /tmp/woocommerce_fdw_tables_bench.XXXXXX)
chmod 755 "$WORK"
trap 'stop_store; rm -rf "$WORK"' EXIT
build_and_install >/dev/null
start_store "$WORK/store" "${SYNC_BENCH_HTTP_PORT:-19280}" "${SYNC_BENCH_HTTPS_PORT:-19643}" --products 0
export SYNC_BENCH_ROWS=${SYNC_BENCH_ROWS:-100000} WORK

cat > "$WORK/bench.sql" <<'SQL'
\set ON_ERROR_STOP on
\set QUIET on
\pset format unaligned
\pset tuples_only on
\getenv http WOO_STORE_HTTP
\getenv rows SYNC_BENCH_ROWS
\getenv work WORK
CREATE EXTENSION woocommerce_fdw;
SET woocommerce.sync_progress = off;
SELECT id AS conn FROM woocommerce.create_connection('Bench', :'http', 'ck_test_readwrite_0000000000000000000000000',
       'cs_test_readwrite_0000000000000000000000000', options => '{"concurrency": 4}') \gset
CREATE SCHEMA bench;

-- 1. A user table exported through the issue's example expressions.
CREATE TABLE bench.items (item_no text PRIMARY KEY, title text NOT NULL, brand text, price_cents integer, qty integer,
                          category_path text, ean text);
INSERT INTO bench.items
SELECT format('IT-%s', lpad(g::text, 6, '0')), format('Item %s', g), 'Brand ' || (g % 20), 500 + g % 5000, g % 40,
       'Bench > Sub ' || (g % 5), lpad(g::text, 13, '0')
  FROM generate_series(1, :rows) g;
SELECT name FROM woocommerce.create_export_mapping(:conn, 'Items',
    selected_fields => ARRAY['name', 'sku', 'regular_price', 'stock_quantity', 'manage_stock', 'categories', 'meta_data'],
    source => 'bench.items', key_column => 'item_no',
    field_expressions => $${"sku": "item_no", "name": "title || ' — ' || brand", "regular_price": "round(price_cents / 100.0, 2)",
                           "stock_quantity": "qty", "manage_stock": "true", "categories": "ARRAY[category_path]",
                           "meta_data": "jsonb_build_array(jsonb_build_object('key', 'ean', 'value', ean))"}$$) \g /dev/null
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) AS created FROM woocommerce.export_products(:conn) WHERE action = 'created' \gset
SELECT format('setup: first export of %s rows created %s products in %s s', :rows, :created,
              round(extract(epoch FROM clock_timestamp() - :'t0')::numeric, 1));
SELECT requests AS requests_before FROM woocommerce.sync_run ORDER BY id DESC LIMIT 1 \gset
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) AS unchanged FROM woocommerce.export_products(:conn) WHERE action = 'unchanged' \gset
SELECT extract(epoch FROM clock_timestamp() - :'t0') AS seconds \gset
SELECT format('re-export %s unchanged rows (expressions): %s requests, %s s; limit 0 requests, 2 s: ratio %s',
              :unchanged, (SELECT requests FROM woocommerce.sync_run ORDER BY id DESC LIMIT 1),
              round(:seconds::numeric, 3), round(:seconds::numeric / 2, 2));

-- 2. Import of 10,000 products into a user table.
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/reset" -d '{"products": 10000}'
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/config" -d '{"latency_ms": 0}'
CREATE TABLE bench.store_copy (sku text PRIMARY KEY, title text NOT NULL, price_cents integer, store_id bigint, kind text);
SELECT name FROM woocommerce.create_import_mapping(:conn, 'Store copy', target => 'bench.store_copy', key_column => 'sku',
    column_expressions => $${"title": "p->>'name'", "price_cents": "((nullif(p->>'regular_price', '')::numeric) * 100)::int",
                             "store_id": "(p->>'id')::bigint", "kind": "p->>'type'"}$$) \g /dev/null
-- Warm-up: the store renders every page once.
SELECT count(*) FROM woocommerce.import_products(:conn, modified_after => '2000-01-01') \g /dev/null
TRUNCATE bench.store_copy;
DELETE FROM woocommerce.product_sync WHERE source = 'bench.store_copy'::regclass;
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) AS imported FROM woocommerce.import_products(:conn, modified_after => '2000-01-01') \gset
SELECT extract(epoch FROM clock_timestamp() - :'t0') AS import_seconds \gset
SELECT requests AS import_requests FROM woocommerce.sync_run ORDER BY id DESC LIMIT 1 \gset
-- The baseline: the same pages, already in a table, into the same (empty) table.
CREATE TABLE bench.pages (page integer, body jsonb);
\set pages_copy '\\copy bench.pages FROM PROGRAM ''python3 ':work'/pages.py'' WITH (FORMAT csv, QUOTE E''\\x01'', DELIMITER E''\\x02'')'
:pages_copy
TRUNCATE bench.store_copy;
SELECT clock_timestamp() AS t0 \gset
INSERT INTO bench.store_copy AS t (sku, title, price_cents, store_id, kind)
SELECT coalesce(nullif(p->>'sku', ''), 'woo-' || (p->>'id')), p->>'name',
       ((nullif(p->>'regular_price', '')::numeric) * 100)::int, (p->>'id')::bigint, p->>'type'
  FROM bench.pages, jsonb_array_elements(body) AS x(p)
ON CONFLICT (sku) DO UPDATE SET title = EXCLUDED.title, price_cents = EXCLUDED.price_cents,
                                store_id = EXCLUDED.store_id, kind = EXCLUDED.kind;
SELECT extract(epoch FROM clock_timestamp() - :'t0') AS baseline_seconds \gset
SELECT format('import %s products into a user table @0ms: %s requests, %s s; INSERT ... SELECT ... ON CONFLICT of the same %s pages: %s s; ratio %s (target <= 1)',
              :imported, :import_requests, round(:import_seconds::numeric, 3), (SELECT count(*) FROM bench.pages),
              round(:baseline_seconds::numeric, 3), round(:import_seconds::numeric / :baseline_seconds::numeric, 2));
SQL

cat > "$WORK/pages.py" <<'PY'
# Every page of products the import reads, one JSON array a line.
import base64, json, os, ssl, urllib.request
base = os.environ["WOO_STORE_HTTPS"] + "/wp-json/wc/v3/products?per_page=100&orderby=id&order=asc&context=edit"
ctx = ssl.create_default_context(cafile=os.environ["WOO_STORE_CA_FILE"])
auth = "Basic " + base64.b64encode(b"ck_test_readwrite_0000000000000000000000000:cs_test_readwrite_0000000000000000000000000").decode()
page, pages = 1, 1
while page <= pages:
    req = urllib.request.Request(base + "&page=%d" % page, headers={"Authorization": auth})
    with urllib.request.urlopen(req, context=ctx) as r:
        pages = int(r.headers.get("X-WP-TotalPages", "1"))
        print("%d\x02%s" % (page, json.dumps(json.load(r), ensure_ascii=False)))
    page += 1
PY
chmod 644 "$WORK"/*.sql "$WORK"/*.py
resolve_pg || exit 1
pg_virtualenv -v "$PG_MAJOR" psql -X -d postgres -f "$WORK/bench.sql"
