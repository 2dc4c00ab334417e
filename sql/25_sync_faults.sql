-- Failures on the way: a storm of 429 (with Retry-After), 503 and
-- connection resets completes with nothing lost; a backend terminated
-- half-way through an export of 10,000 leaves no duplicate behind after a
-- rerun, and product_sync equal to the store.
\i sql/include/sync_setup.psql
SELECT id AS conn FROM woocommerce.create_connection('Fault shop', :'http', :'rw_key', :'rw_secret',
                                                     options => '{"max_retries": 8}') \gset
INSERT INTO woocommerce.product (sku, name, regular_price)
SELECT format('STORM-%s', lpad(g::text, 4, '0')), format('Storm product %s', g), g FROM generate_series(1, 1000) g;
-- The store lets concurrent requests race past its SKU check, as real
-- WooCommerce can: no duplicate below is then the export's doing.
:sku_race
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/faults" -d '[{"path_prefix": "/wp-json/wc/v3/products/batch", "kind": "rate_limit", "retry_after": 1, "count": 2}, {"path_prefix": "/wp-json/wc/v3/products/batch", "kind": "status", "status": 503, "count": 3}, {"path_prefix": "/wp-json/wc/v3/products/batch", "kind": "reset", "count": 3}]'
:clear_log
-- (Which batches the faults hit depends on timing: a batch the store
-- processed before failing is adopted on the next round, so the split
-- between created and updated varies; the sum does not.)
SELECT count(*) FILTER (WHERE action IN ('created', 'updated')) AS written, count(*) FILTER (WHERE action = 'failed') AS failed
  FROM woocommerce.export_products(:conn);
:load_log
SELECT entry->>'fault' AS fault, entry->>'status' AS status, count(*)
  FROM store_log WHERE entry->>'path' = '/wp-json/wc/v3/products/batch' AND entry ? 'fault'
 GROUP BY 1, 2 ORDER BY 1;
SELECT count(*) AS skus_created_twice FROM store_skus_created_twice;
:load_products
SELECT count(*) AS store_products, count(DISTINCT sku) AS distinct_skus FROM store_products WHERE sku LIKE 'STORM-%';
SELECT count(*) AS sync_rows_matching_store
  FROM woocommerce.product_sync s JOIN woocommerce.product p ON p.id = s.product_id
  JOIN store_products sp ON sp.id = s.woo_product_id AND sp.sku = p.sku;

-- Terminated half-way.
DELETE FROM woocommerce.product;
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/reset"
:sku_race
:clear_log
INSERT INTO woocommerce.product (sku, name, regular_price)
SELECT format('KILL-%s', lpad(g::text, 5, '0')), format('Kill product %s', g), 1 + g % 90 FROM generate_series(1, 10000) g;
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/config" -d '{"latency_ms": 100}'
\setenv SYNC_CONN :conn
\setenv SYNC_DB :DBNAME
\! (psql -X -q -d "$SYNC_DB" -c "SET woocommerce.sync_progress = off" -c "SELECT count(*) FROM woocommerce.export_products($SYNC_CONN) /* victim */" >/dev/null 2>&1 &)
-- Wait until about 30 batches went out, then terminate the backend.
\! for i in $(seq 1 300); do n=$(curl -s "$WOO_STORE_HTTP/__store/counters" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("POST /wc/v3/products/batch", 0))'); [ "$n" -ge 30 ] && break; sleep 0.1; done
SELECT count(pg_terminate_backend(pid)) AS terminated FROM pg_stat_activity
 WHERE query LIKE '%/* victim */%' AND pid <> pg_backend_pid();
DO $$
BEGIN
  FOR i IN 1..100 LOOP
    EXIT WHEN NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE query LIKE '%/* victim */%' AND pid <> pg_backend_pid());
    PERFORM pg_sleep(0.1);
  END LOOP;
END $$;
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/config" -d '{"latency_ms": 0}'
-- The store finishes the requests the backend left in flight (a real store
-- does too: PHP does not stop when the client goes away). A rerun that
-- overlapped them could meet a SKU check that races past their creates.
:store_quiet
-- Its transaction is gone; the store kept what it had written.
SELECT count(*) AS sync_rows FROM woocommerce.product_sync;
-- (how many the store got before the kill varies: keep COPY's count out of the output)
\o /dev/null
:load_products
\o
SELECT count(*) > 0 AS store_has_some, count(*) < 10000 AS store_has_not_all FROM store_products WHERE sku LIKE 'KILL-%';
-- The rerun adopts what the store has and creates the rest.
SELECT count(*) FILTER (WHERE action IN ('created', 'updated')) AS written, count(*) FILTER (WHERE action = 'failed') AS failed
  FROM woocommerce.export_products(:conn);
:load_products
SELECT count(*) AS store_products, count(DISTINCT sku) AS distinct_skus FROM store_products WHERE sku LIKE 'KILL-%';
\o /dev/null
:load_log
\o
SELECT count(*) AS skus_created_twice FROM store_skus_created_twice;
SELECT count(*) AS sync_rows_matching_store
  FROM woocommerce.product_sync s JOIN woocommerce.product p ON p.id = s.product_id
  JOIN store_products sp ON sp.id = s.woo_product_id AND sp.sku = p.sku AND sp.regular_price = to_char(p.regular_price, 'FM999990.00');

-- A batch that outlives timeout_ms: the store is still creating its
-- products when the client gives up, as a real store's PHP carries on
-- after the client has gone. Sending the batch again while the first
-- attempt runs would race it past the SKU check (sku_race): the export
-- must not do that, and a rerun once the store is done adopts what the
-- first attempt created. No SKU is created twice.
DELETE FROM woocommerce.product;
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/reset"
:sku_race
SELECT options FROM woocommerce.update_connection(:conn, options => '{"max_retries": 2, "timeout_ms": 1000}');
INSERT INTO woocommerce.product (sku, name, regular_price)
SELECT format('SLOW-%s', lpad(g::text, 3, '0')), format('Slow product %s', g), g FROM generate_series(1, 50) g;
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/faults" -d '{"path_prefix": "/wp-json/wc/v3/products/batch", "kind": "latency", "latency_ms": 2500, "count": 1}'
:clear_log
SELECT regexp_replace(pg_temp.try(format('SELECT * FROM woocommerce.export_products(%s)', :conn)),
                      '127\.0\.0\.1:[0-9]+', '<store>') AS first_export;
:store_quiet
SELECT count(*) FILTER (WHERE action IN ('created', 'updated')) AS written, count(*) FILTER (WHERE action = 'failed') AS failed
  FROM woocommerce.export_products(:conn);
:load_products
SELECT count(*) AS store_products, count(DISTINCT sku) AS distinct_skus FROM store_products WHERE sku LIKE 'SLOW-%';
\o /dev/null
:load_log
\o
SELECT count(*) AS skus_created_twice FROM store_skus_created_twice;

-- A gateway that gives up (HTTP 504) while WooCommerce carries on creating
-- the batch's products: sending the batch again at once would race the
-- first attempt past the SKU check. Its products are reported as failed,
-- and a rerun once the store is done adopts what the first attempt made.
DELETE FROM woocommerce.product;
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/reset"
:sku_race
INSERT INTO woocommerce.product (sku, name, regular_price)
SELECT format('GW-%s', lpad(g::text, 3, '0')), format('Gateway product %s', g), g FROM generate_series(1, 50) g;
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/faults" -d '{"path_prefix": "/wp-json/wc/v3/products/batch", "kind": "status", "status": 504, "when": "during", "latency_ms": 1500, "count": 1}'
:clear_log
SELECT action, count(*), min(regexp_replace(error, '127\.0\.0\.1:[0-9]+', '<store>')) AS error
  FROM woocommerce.export_products(:conn) GROUP BY action;
:store_quiet
SELECT count(*) FILTER (WHERE action IN ('created', 'updated')) AS written, count(*) FILTER (WHERE action = 'failed') AS failed
  FROM woocommerce.export_products(:conn);
:load_products
SELECT count(*) AS store_products, count(DISTINCT sku) AS distinct_skus FROM store_products WHERE sku LIKE 'GW-%';
\o /dev/null
:load_log
\o
SELECT count(*) AS skus_created_twice FROM store_skus_created_twice;
