-- Runs that tell the truth (issue 17, item 2): a CALL that fails (store
-- down, inactive connection, cancel) leaves a committed sync_run row that
-- says 'failed' with the SQLSTATE and the error, and does not move
-- last_synced_at; a scheduled pg_cron run that fails does the same; a
-- function form that fails raises and records nothing; counts add up to
-- what a run read; sync_status shows the last failure; progress messages
-- count pages one way.
\i sql/include/sync_setup.psql
SELECT id AS conn FROM woocommerce.create_connection('Runs shop', :'http', :'rw_key', :'rw_secret',
                                                     options => '{"concurrency": 2}') \gset
SELECT id AS down FROM woocommerce.create_connection('Down shop', 'http://127.0.0.1:1', 'ck_down', 'cs_DOWN_SECRET_9',
                                                     verify => false, options => '{"max_retries": 0}') \gset
-- A schedule on the store that is down; pg_cron (1.4, by the minute) starts
-- it within a minute: checked at the end of this file.
CREATE EXTENSION IF NOT EXISTS pg_cron;
SELECT woocommerce.schedule_sync(:down, '* * * * *', 'export') AS down_job \gset
INSERT INTO woocommerce.product (sku, name, regular_price)
SELECT format('RUN-%s', g), format('Run %s', g), g FROM generate_series(1, 5) g;

-- A CALL against a store that is down raises the store's error (08001)...
\set VERBOSITY sqlstate
CALL woocommerce.sync(:down, 'export');
\set VERBOSITY default
-- ...and its committed run says so; last_synced_at did not move.
SELECT direction, status, sqlstate, error ~ '127\.0\.0\.1:1' AS error_names_the_store,
       error !~ 'DOWN_SECRET' AS no_secret, finished_at >= started_at AS finished,
       created + updated + unchanged + skipped + failed AS counted
  FROM woocommerce.sync_run WHERE connection_id = :down ORDER BY id;
SELECT last_synced_at IS NULL AS never_synced FROM woocommerce.connection WHERE id = :down;
SELECT total, last_run_status, last_failed_at IS NOT NULL AS has_failed_at, last_error ~ '127\.0\.0\.1:1' AS says_why
  FROM woocommerce.sync_status(:down);

-- The function forms run in the caller's transaction: they raise, and
-- their run goes with the rolled-back transaction. libcurl's own words end
-- the message and change with its version (curl 7: "Couldn't connect", 8.14:
-- "Could not connect", 8.22: "127.0.0.1:1" for "127.0.0.1 port 1"): only
-- ours are compared.
SELECT regexp_replace(pg_temp.try(format('SELECT * FROM woocommerce.export_products(%s)', :down)),
                      '(could not connect to [^:]*): .*$', '\1: <libcurl>') AS try;
SELECT regexp_replace(pg_temp.try(format('SELECT * FROM woocommerce.import_products(%s)', :down)),
                      '(could not connect to [^:]*): .*$', '\1: <libcurl>') AS try;
SELECT count(*) AS runs_of_down FROM woocommerce.sync_run WHERE connection_id = :down AND direction = 'export';

-- An inactive connection refuses to sync: a failed run, 55000.
SELECT is_active FROM woocommerce.update_connection(:conn, is_active => false);
\set VERBOSITY sqlstate
CALL woocommerce.sync(:conn, 'import');
\set VERBOSITY default
SELECT direction, status, sqlstate, regexp_replace(error, 'connection [0-9]+', 'connection N') AS error
  FROM woocommerce.sync_run WHERE connection_id = :conn ORDER BY id;
SELECT is_active FROM woocommerce.update_connection(:conn, is_active => true);

-- A run that completes: 'completed', last_synced_at moves, and an import's
-- counts add up to every product and variation the store has.
CALL woocommerce.sync(:conn, 'both');
:load_products
SELECT direction, status, error, created, updated, unchanged, skipped, failed,
       direction = 'export' OR created + updated + unchanged + skipped + failed = (SELECT count(*) FROM store_products)
           AS counts_every_product
  FROM woocommerce.sync_run WHERE connection_id = :conn AND status = 'completed' ORDER BY id;
SELECT last_synced_at >= (SELECT max(finished_at) FROM woocommerce.sync_run WHERE connection_id = :conn) AS synced_at_last_run
  FROM woocommerce.connection WHERE id = :conn;
-- An incremental import right after reads again what changed within the
-- overlap before the last mark (the 5 products exported a moment ago) and
-- the two products changed in the store since: 7 products read, 2 updated,
-- 5 unchanged (counted, though nothing is written for them).
\! python3 sql/include/sync_store.py put products/12 '{"regular_price": "4.20"}'
\! python3 sql/include/sync_store.py put products/40 '{"name": "Renamed once more"}'
CALL woocommerce.sync(:conn, 'import');
SELECT created, updated, unchanged, skipped, failed
  FROM woocommerce.sync_run WHERE connection_id = :conn ORDER BY id DESC LIMIT 1;
-- The function form: one result row per product read, and the run's counts
-- are those rows.
CREATE TEMP TABLE imported AS SELECT * FROM woocommerce.import_products(:conn);
SELECT action, count(*) FROM imported GROUP BY action ORDER BY action;
SELECT created + updated + unchanged + skipped + failed = (SELECT count(*) FROM imported) AS run_counts_are_the_rows,
       unchanged = (SELECT count(*) FROM imported WHERE action = 'unchanged') AS unchanged_counted
  FROM woocommerce.sync_run WHERE connection_id = :conn ORDER BY id DESC LIMIT 1;

-- Cancelled by statement_timeout half-way: the run is recorded as failed
-- (57014), what the committed rounds did stays.
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/config" -d '{"latency_ms": 400}'
UPDATE woocommerce.product SET regular_price = regular_price + 1;
SET statement_timeout = '600ms';
\set VERBOSITY terse
CALL woocommerce.sync(:conn, 'export');
\set VERBOSITY default
RESET statement_timeout;
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/config" -d '{"latency_ms": 0}'
SELECT direction, status, sqlstate, error FROM woocommerce.sync_run WHERE connection_id = :conn ORDER BY id DESC LIMIT 1;
SELECT last_run_status, last_error FROM woocommerce.sync_status(:conn);

-- A run whose session ended (pg_terminate_backend, a crash) stays
-- 'running'; sync_status calls it interrupted, and the next CALL marks it
-- failed.
INSERT INTO woocommerce.sync_run (connection_id, direction, status, pid) VALUES (:conn, 'export', 'running', 2147483000)
RETURNING id AS ghost \gset
SELECT last_run_status FROM woocommerce.sync_status(:conn);
CALL woocommerce.sync(:conn, 'export');
SELECT status, error FROM woocommerce.sync_run WHERE id = :ghost;
SELECT last_run_status FROM woocommerce.sync_status(:conn);

-- Progress: pages of the total and products read, one way throughout.
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/reset" -d '{"products": 250}'
DELETE FROM woocommerce.product;
SET woocommerce.sync_progress = on;
SELECT count(*) AS imported FROM woocommerce.import_products(:conn, modified_after => '2000-01-01');
SET woocommerce.sync_progress = off;

-- The scheduled run on the store that is down: pg_cron reports it failed,
-- and so does its committed sync_run row.
DO $$
BEGIN
  FOR i IN 1..300 LOOP
    EXIT WHEN EXISTS (SELECT 1 FROM cron.job_run_details WHERE status IN ('succeeded', 'failed'));
    PERFORM pg_sleep(0.25);
  END LOOP;
END $$;
SELECT status, return_message ~ '127\.0\.0\.1:1' AS says_why FROM cron.job_run_details
 WHERE jobid = :down_job AND status IN ('succeeded', 'failed') ORDER BY runid LIMIT 1;
SELECT woocommerce.unschedule_sync(:down) AS unscheduled;
SELECT count(*) FILTER (WHERE status = 'failed') >= 2 AS scheduled_failure_recorded,
       count(*) FILTER (WHERE status <> 'failed') AS other_runs
  FROM woocommerce.sync_run WHERE connection_id = :down;
DROP EXTENSION pg_cron;
