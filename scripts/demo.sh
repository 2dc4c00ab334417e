#!/usr/bin/env bash
# The demo: builds and installs the extension, starts a throwaway PostgreSQL
# cluster and the bundled demo store (test/store), and shows the extension
# authenticating against it: HTTPS with Basic auth, HTTPS with query-string
# keys, and plain HTTP with OAuth 1.0a; then a foreign server checked with
# test_server, a managed connection created with create_connection, the
# store imported as foreign tables, queried (pushdown, a join as lookups)
# and written to (INSERT ... RETURNING, UPDATE, DELETE), and a sync round
# trip: import into the local catalog, change a price, export the change;
# and webhooks: the receiver inside PostgreSQL (a background worker) takes
# the store's delivery of a price changed in the store into the local
# catalog. Everything is removed afterwards.
#
# Usage: scripts/demo.sh     (as root, or a user with sudo)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

"$REPO_ROOT/scripts/install-deps.sh"
echo "== building and installing woocommerce_fdw"
build_and_install

WORK=$(mktemp -d /tmp/woocommerce_fdw_demo.XXXXXX)
chmod 755 "$WORK"
trap 'stop_store; rm -rf "$WORK"' EXIT
echo "== starting the demo store (50 products)"
start_store "$WORK" "${WOO_DEMO_HTTP_PORT:-28080}" "${WOO_DEMO_HTTPS_PORT:-28443}" --products 50

cat > "$WORK/demo.sql" <<'SQL'
\set ON_ERROR_STOP on
\pset pager off
\getenv https WOO_STORE_HTTPS
\getenv http WOO_STORE_HTTP
\getenv ca WOO_STORE_CA_FILE
CREATE EXTENSION woocommerce_fdw;

\echo
\echo '-- 1. HTTPS, Basic auth (the default for https URLs)'
SELECT jsonb_pretty(woocommerce.test_connection(:'https',
         'ck_test_readwrite_0000000000000000000000000', 'cs_test_readwrite_0000000000000000000000000',
         jsonb_build_object('ca_file', :'ca'))) AS https_basic;

\echo '-- 2. HTTPS, keys in the query string (for hosts that strip the Authorization header)'
SELECT jsonb_pretty(woocommerce.test_connection(:'https',
         'ck_test_readwrite_0000000000000000000000000', 'cs_test_readwrite_0000000000000000000000000',
         jsonb_build_object('ca_file', :'ca', 'auth', 'query_string'))) AS https_query_string;

\echo '-- 3. plain HTTP, OAuth 1.0a one-legged (HMAC-SHA256)'
SELECT jsonb_pretty(woocommerce.test_connection(:'http',
         'ck_test_readwrite_0000000000000000000000000', 'cs_test_readwrite_0000000000000000000000000')) AS http_oauth1;

\echo '-- 4. a wrong secret: no exception, a diagnosis'
SELECT jsonb_pretty(woocommerce.test_connection(:'https',
         'ck_test_readwrite_0000000000000000000000000', 'cs_wrong',
         jsonb_build_object('ca_file', :'ca'))) AS wrong_secret;

\echo '-- 5. a foreign server and a user mapping, checked with test_server'
SELECT format('CREATE SERVER demo_store FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url %L, ca_file %L)', :'https', :'ca') \gexec
CREATE USER MAPPING FOR CURRENT_USER SERVER demo_store
  OPTIONS (consumer_key 'ck_test_readwrite_0000000000000000000000000',
           consumer_secret 'cs_test_readwrite_0000000000000000000000000');
SELECT jsonb_pretty(woocommerce.test_server('demo_store')) AS demo_store;

\echo '-- 6. a managed connection: verified, saved, its secret only in a user mapping'
SELECT store_name, store_url, server_name, is_default, is_active
  FROM woocommerce.create_connection('Demo store', :'https',
         'ck_test_readwrite_0000000000000000000000000', 'cs_test_readwrite_0000000000000000000000000',
         options => jsonb_build_object('ca_file', :'ca'));
SELECT woocommerce.test_connection((woocommerce.default_connection()).id) ->> 'ok' AS default_connection_ok;

\echo '-- 7. the store as foreign tables: IMPORT FOREIGN SCHEMA from the store''s own schema'
CREATE SCHEMA shop;
IMPORT FOREIGN SCHEMA woocommerce FROM SERVER demo_store INTO shop;
SELECT count(*) AS products_in_store FROM shop.products;
SELECT sku, name, regular_price, stock_status FROM shop.products WHERE stock_status = 'outofstock';
EXPLAIN (COSTS OFF)
SELECT p.sku, v.sku, v.regular_price FROM shop.products p JOIN shop.variations v ON v.parent_id = p.id
 WHERE p.sku = 'HOODIE-CLASSIC';
SELECT p.sku AS product, v.sku AS variation, v.regular_price
  FROM shop.products p JOIN shop.variations v ON v.parent_id = p.id WHERE p.sku = 'HOODIE-CLASSIC' ORDER BY v.id;

\echo '-- 8. writing through the foreign tables'
INSERT INTO shop.products (name, sku, regular_price) VALUES ('Demo Mug', 'DEMO-MUG-1', 9.90)
RETURNING id, sku, slug, price, status;
UPDATE shop.products SET regular_price = regular_price + 1 WHERE sku = 'DEMO-MUG-1' RETURNING sku, regular_price;
DELETE FROM shop.products WHERE sku = 'DEMO-MUG-1' RETURNING sku;

\echo '-- 9. sync round trip: import the store into the local catalog, change a price, export only the change'
SET woocommerce.sync_progress = off;
SELECT action, count(*) FROM woocommerce.import_products() GROUP BY action ORDER BY action;
SELECT sku, name, regular_price FROM woocommerce.product ORDER BY id LIMIT 5;
UPDATE woocommerce.product SET regular_price = regular_price + 1 WHERE sku = 'MUG-PLAIN';
SELECT p.sku, e.action, e.fields FROM woocommerce.export_products() e JOIN woocommerce.product p ON p.id = e.product_id
 WHERE e.action <> 'unchanged';
SELECT sku, regular_price FROM shop.products WHERE sku = 'MUG-PLAIN';
SELECT total, synced, pending, error FROM woocommerce.sync_status();

\echo '-- 10. webhooks: the receiver inside PostgreSQL; a price changed in the store arrives in seconds'
CREATE ROLE woocommerce_webhooks LOGIN;
GRANT USAGE ON SCHEMA woocommerce TO woocommerce_webhooks;
GRANT EXECUTE ON FUNCTION woocommerce.receive_webhook(jsonb, bytea) TO woocommerce_webhooks;
ALTER SYSTEM SET woocommerce.webhook_listen = '127.0.0.1:28787';
ALTER SYSTEM SET woocommerce.webhook_role = 'woocommerce_webhooks';
ALTER SYSTEM SET woocommerce.webhook_database = 'postgres';
SELECT pg_reload_conf();
SELECT pg_sleep(1);
-- (the demo store, like WordPress, delivers to ports other than 80/443/8080 only when allowed)
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/webhooks/config" -d '{"allowed_ports": [28787]}'
SELECT count(*) AS webhooks_registered
  FROM woocommerce.register_webhooks((woocommerce.default_connection()).id, 'http://127.0.0.1:28787/woocommerce/webhook');
SELECT id AS mug FROM shop.products WHERE sku = 'MUG-PLAIN' \gset
\setenv MUG_ID :mug
\echo '   a shop manager sets the mug to 24.99 in WooCommerce:'
\! curl -sf -o /dev/null -X PUT -u ck_test_readwrite_0000000000000000000000000:cs_test_readwrite_0000000000000000000000000 --cacert "$WOO_STORE_CA_FILE" -H 'Content-Type: application/json' -d '{"regular_price": "24.99"}' "$WOO_STORE_HTTPS/wp-json/wc/v3/products/$MUG_ID"
SELECT clock_timestamp() AS changed_at \gset
DO $$
BEGIN
    FOR i IN 1..200 LOOP
        EXIT WHEN (SELECT regular_price FROM woocommerce.product WHERE sku = 'MUG-PLAIN') = 24.99;
        PERFORM pg_sleep(0.05);
    END LOOP;
END $$;
SELECT sku, regular_price, round(extract(epoch FROM clock_timestamp() - :'changed_at')::numeric, 1) <= 2 AS within_2_seconds
  FROM woocommerce.product WHERE sku = 'MUG-PLAIN';
SELECT topic, outcome, http_status, detail FROM woocommerce.webhook_delivery ORDER BY id DESC LIMIT 1;
SELECT w->>'topic' AS topic, w->>'status' AS status FROM woocommerce.sync_status() s, jsonb_array_elements(s.webhooks) w;
SQL

echo "== running the demo in a throwaway cluster"
pg_virtualenv -v 15 -o shared_preload_libraries=woocommerce_fdw psql -X -d postgres -f "$WORK/demo.sql"
echo "== demo finished"
