-- CALL woocommerce.sync commits after every round of batches: stopped
-- half-way it keeps what is done, and the next run completes without
-- duplicates. pg_cron runs it on a schedule.
\i sql/include/sync_setup.psql
SELECT id AS conn FROM woocommerce.create_connection('Procedure shop', :'http', :'rw_key', :'rw_secret',
                                                     options => '{"concurrency": 2, "batch_size": 50}') \gset
INSERT INTO woocommerce.product (sku, name, regular_price)
SELECT format('PROC-%s', lpad(g::text, 4, '0')), format('Procedure product %s', g), g FROM generate_series(1, 1000) g;
-- The store lets concurrent requests race past its SKU check, as real
-- WooCommerce can: no duplicate is then the procedure's doing.
:sku_race
:clear_log

-- Slow store: each round of 2 batches of 50 takes at least 300 ms; the
-- statement is stopped after about a second.
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/config" -d '{"latency_ms": 300}'
SET statement_timeout = '1100ms';
\set VERBOSITY terse
CALL woocommerce.sync(:conn, 'export');
\set VERBOSITY default
RESET statement_timeout;
-- Whole rounds were committed: some products, a multiple of 100.
SELECT count(*) > 0 AS some_kept, count(*) < 1000 AS not_all, count(*) % 100 AS partial_round
  FROM woocommerce.product_sync WHERE sync_status = 'synced';
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/config" -d '{"latency_ms": 0}'
:store_quiet
CALL woocommerce.sync(:conn, 'export');
:load_products
SELECT count(*) AS store_products, count(DISTINCT sku) AS distinct_skus FROM store_products WHERE sku LIKE 'PROC-%';
-- Each SKU was created once, by the stopped run or by the second one.
-- (how many requests the stopped run made varies: keep COPY's count out)
\o /dev/null
:load_log
\o
SELECT count(*) AS skus_created_twice FROM store_skus_created_twice;
SELECT count(*) AS sync_rows_matching_store
  FROM woocommerce.product_sync s JOIN woocommerce.product p ON p.id = s.product_id
  JOIN store_products sp ON sp.id = s.woo_product_id AND sp.sku = p.sku;
-- One sync_run row per CALL, with the counts of every committed round:
-- each product counted once, by the round that committed it (the stopped
-- run's round in flight was not committed; the second run adopted it).
SELECT count(*) AS runs, sum(created + updated) AS written, sum(failed) AS failed,
       bool_and(finished_at IS NOT NULL) AS finished
  FROM woocommerce.sync_run;
CALL woocommerce.sync(:conn, 'both');
SELECT direction, created, updated, unchanged, skipped, failed FROM woocommerce.sync_run ORDER BY id DESC LIMIT 2;
SELECT pg_temp.try(format('CALL woocommerce.sync(%s, ''sideways'')', :conn));

-- An import stopped half-way keeps its committed rounds (2 pages of 100
-- each) but sets no high-water mark; the next one reads everything again
-- and completes.
DELETE FROM woocommerce.product;
DELETE FROM woocommerce.sync_run;
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/reset" -d '{"products": 1000}'
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/config" -d '{"latency_ms": 300}'
SET statement_timeout = '1100ms';
\set VERBOSITY terse
CALL woocommerce.sync(:conn, 'import');
\set VERBOSITY default
RESET statement_timeout;
SELECT count(*) > 0 AS some_kept, count(*) < 1000 AS not_all FROM woocommerce.product WHERE parent_id IS NULL;
SELECT count(*) AS runs, bool_and(high_water_mark IS NULL) AS no_mark FROM woocommerce.sync_run;
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/config" -d '{"latency_ms": 0}'
CALL woocommerce.sync(:conn, 'import');
SELECT count(*) FILTER (WHERE parent_id IS NULL) AS products, count(*) FILTER (WHERE parent_id IS NOT NULL) AS variations
  FROM woocommerce.product;
SELECT created + updated AS written, failed, high_water_mark IS NOT NULL AS has_mark
  FROM woocommerce.sync_run ORDER BY id DESC LIMIT 1;

-- pg_cron: a schedule runs the procedure as the role that made it.
CREATE EXTENSION IF NOT EXISTS pg_cron;
INSERT INTO woocommerce.product (sku, name, regular_price) VALUES ('CRON-1', 'Exported by pg_cron', 1);
-- (pg_cron 1.4 schedules by the minute: the first run starts within 60 s.)
SELECT woocommerce.schedule_sync(:conn, '* * * * *') AS job \gset
SELECT jobname ~ '^woocommerce_sync_[0-9]+_export$' AS named, command ~ '^CALL woocommerce.sync\([0-9]+, ''export''\)$' AS command,
       username = current_user AS as_me
  FROM cron.job WHERE jobid = :job;
DO $$
BEGIN
  FOR i IN 1..300 LOOP
    EXIT WHEN EXISTS (SELECT 1 FROM cron.job_run_details WHERE status IN ('succeeded', 'failed'));
    PERFORM pg_sleep(0.25);
  END LOOP;
END $$;
SELECT status, return_message FROM cron.job_run_details WHERE jobid = :job AND status IN ('succeeded', 'failed')
 ORDER BY runid LIMIT 1;
SELECT s.sync_status, s.woo_product_id IS NOT NULL AS in_store
  FROM woocommerce.product_sync s JOIN woocommerce.product p ON p.id = s.product_id WHERE p.sku = 'CRON-1';
SELECT woocommerce.unschedule_sync(:conn) AS unscheduled;
SELECT count(*) AS jobs_left FROM cron.job;
SELECT pg_temp.try(format('SELECT woocommerce.schedule_sync(%s, ''* * * * *'', ''sideways'')', :conn));
DROP EXTENSION pg_cron;
