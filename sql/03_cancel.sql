-- statement_timeout and query cancel stop a request that is waiting on a
-- slow store, promptly, with PostgreSQL's own SQLSTATE and message.
\i sql/include/test_store.psql
\! curl -sf -o /dev/null -X POST -d '{"path_prefix": "/wp-json/wc/v3/system_status", "kind": "latency", "latency_ms": 2000, "count": -1}' "$WOO_STORE_HTTP/__store/faults"

SET statement_timeout = '300ms';
SELECT woocommerce.test_connection(:'http', :'rw_key', :'rw_secret');
RESET statement_timeout;

-- How long the cancel took, measured inside the server: well under the
-- store's 5 s delay (the cancel hook is polled every 50 ms).
CREATE FUNCTION cancel_latency(url text, key text, secret text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  started timestamptz := clock_timestamp();
BEGIN
  PERFORM woocommerce.test_connection(url, key, secret);
  RETURN 'not cancelled';
EXCEPTION WHEN query_canceled THEN
  RETURN CASE WHEN clock_timestamp() - started < interval '1 second' THEN 'cancelled promptly'
              ELSE 'cancelled late: ' || (clock_timestamp() - started)::text END;
END $$;
SET statement_timeout = '200ms';
SELECT cancel_latency(:'http', :'rw_key', :'rw_secret');
RESET statement_timeout;

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
DROP FUNCTION cancel_latency;
-- (the store still sleeps on the abandoned requests; let them end before the next test reads its log)
SELECT pg_sleep(2);

-- The backend is healthy afterwards.
SELECT r->>'ok' AS ok FROM woocommerce.test_connection(:'http', :'rw_key', :'rw_secret') AS r;
