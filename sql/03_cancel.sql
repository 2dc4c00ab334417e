-- statement_timeout and query cancel stop a request that is waiting on a
-- slow store, promptly, with PostgreSQL's own SQLSTATE and message.
\i sql/include/test_store.psql
\! curl -sf -o /dev/null -X POST -d '{"path_prefix": "/wp-json/wc/v3/system_status", "kind": "latency", "latency_ms": 2000, "count": -1}' "$WOO_STORE_HTTP/__store/faults"

SET statement_timeout = '300ms';
SELECT woocommerce.test_connection(:'http', :'rw_key', :'rw_secret');
RESET statement_timeout;

-- How long after the timeout the statement ended, and how long after a
-- pg_cancel_backend from another session: at most 150 ms each (the client
-- checks for a cancel every 50 ms while it waits on the store).
\i sql/include/cancel_latency.psql
\set ECHO none
SELECT format('CREATE SERVER cancel_store FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url %L)', :'http') \gexec
\set ECHO all
CREATE USER MAPPING FOR CURRENT_USER SERVER cancel_store OPTIONS (consumer_key :'rw_key', consumer_secret :'rw_secret');
SET statement_timeout = '200ms';
SELECT pg_temp.after_timeout($$SELECT woocommerce.test_server('cancel_store')$$);
RESET statement_timeout;
\set cancel_statement 'SELECT woocommerce.test_server(''cancel_store'')'
\i sql/include/cancel_from_outside.psql

-- Retries never outlive the statement: when the store's Retry-After would
-- end past statement_timeout, the client gives up at once and reports the
-- 429 instead of sleeping into the timeout.
\! curl -sf -o /dev/null -X DELETE "$WOO_STORE_HTTP/__store/faults"
\! curl -sf -o /dev/null -X POST -d '{"path_prefix": "/wp-json/wc/v3/system_status", "kind": "rate_limit", "retry_after": 20, "count": -1}' "$WOO_STORE_HTTP/__store/faults"
SET statement_timeout = '5s';
SELECT r->>'ok' AS ok, r->>'status' AS status, r->>'error_code' AS code,
       clock_timestamp() - statement_timestamp() < interval '2 seconds' AS gave_up_early
  FROM woocommerce.test_connection(:'http', :'rw_key', :'rw_secret') AS r;
RESET statement_timeout;
\! curl -sf -o /dev/null -X DELETE "$WOO_STORE_HTTP/__store/faults"
DROP USER MAPPING FOR CURRENT_USER SERVER cancel_store;
DROP SERVER cancel_store;
-- (the store still sleeps on the abandoned requests; let them end before the next test reads its log)
SELECT pg_sleep(2);

-- The backend is healthy afterwards.
SELECT r->>'ok' AS ok FROM woocommerce.test_connection(:'http', :'rw_key', :'rw_secret') AS r;
