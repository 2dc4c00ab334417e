-- The read path when things go wrong: each 401 cause, a missing user
-- mapping, 404s, HTML where JSON belongs, truncated JSON, 5xx and 429
-- storms healed by retries, an oversize body, a cancel during a stalled
-- response, and changed credentials picked up at once (cache invalidation).
-- Secrets never appear in any error.
\i sql/include/test_store.psql

\i sql/include/try_statement.psql

CREATE SERVER err_store FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url :'https', ca_file :'ca', max_retries '2');
CREATE FOREIGN TABLE err_products (id bigint, sku text, name text) SERVER err_store OPTIONS (resource 'products');

-- No user mapping: the error names the role's lack and the server.
SELECT sqlstate, regexp_replace(message, 'role "[^"]*"', 'role <r>') AS message,
       regexp_replace(hint, 'FOR \S+ SERVER', 'FOR <r> SERVER') AS hint
  FROM try_statement('SELECT * FROM err_products WHERE id = 11');

-- Wrong secret (Basic over https): 28000 with the store's own words.
CREATE USER MAPPING FOR CURRENT_USER SERVER err_store
  OPTIONS (consumer_key :'rw_key', consumer_secret 'cs_wrong_secret_000000000000000000000000000');
SELECT * FROM try_statement('SELECT * FROM err_products WHERE id = 11');
-- Fixed credentials are used at once: the cached client was dropped.
ALTER USER MAPPING FOR CURRENT_USER SERVER err_store OPTIONS (SET consumer_secret :'rw_secret');
SELECT * FROM err_products WHERE id = 11;
-- Unknown key.
ALTER USER MAPPING FOR CURRENT_USER SERVER err_store OPTIONS (SET consumer_key 'ck_unknown');
SELECT * FROM try_statement('SELECT * FROM err_products WHERE id = 11');
ALTER USER MAPPING FOR CURRENT_USER SERVER err_store OPTIONS (SET consumer_key :'rw_key');
-- A key without read permission.
ALTER USER MAPPING FOR CURRENT_USER SERVER err_store OPTIONS (SET consumer_key :'wo_key', SET consumer_secret :'wo_secret');
SELECT * FROM try_statement('SELECT * FROM err_products WHERE id = 11');
ALTER USER MAPPING FOR CURRENT_USER SERVER err_store OPTIONS (SET consumer_key :'rw_key', SET consumer_secret :'rw_secret');
-- Authorization header stripped by the web server (auth basic, no fallback in a scan).
\! curl -sf -o /dev/null -X POST -d '{"strip_authorization": true}' "$WOO_STORE_HTTP/__store/config"
SELECT * FROM try_statement('SELECT * FROM err_products WHERE id = 11');
-- auth query_string works through such a server.
ALTER SERVER err_store OPTIONS (ADD auth 'query_string');
SELECT id, sku FROM err_products WHERE id = 11;
ALTER SERVER err_store OPTIONS (DROP auth);
\! curl -sf -o /dev/null -X POST -d '{"strip_authorization": false}' "$WOO_STORE_HTTP/__store/config"

-- A missing object is no row; a wrong route is an error.
SELECT count(*) AS missing FROM err_products WHERE id = 999999;
ALTER SERVER err_store OPTIONS (ADD api_version 'wc/v9');
SELECT * FROM try_statement('SELECT * FROM err_products WHERE id = 11');
SELECT * FROM try_statement('SELECT * FROM err_products');
ALTER SERVER err_store OPTIONS (DROP api_version);

-- HTML where JSON belongs, truncated JSON, invalid JSON.
\! curl -sf -o /dev/null -X POST -d '{"path_prefix": "/wp-json/wc/v3/products", "kind": "html", "count": -1}' "$WOO_STORE_HTTP/__store/faults"
SELECT * FROM try_statement('SELECT * FROM err_products');
\! curl -sf -o /dev/null -X DELETE "$WOO_STORE_HTTP/__store/faults"
\! curl -sf -o /dev/null -X POST -d '{"path_prefix": "/wp-json/wc/v3/products", "kind": "truncate", "count": -1}' "$WOO_STORE_HTTP/__store/faults"
SELECT * FROM try_statement('SELECT * FROM err_products');
\! curl -sf -o /dev/null -X DELETE "$WOO_STORE_HTTP/__store/faults"
\! curl -sf -o /dev/null -X POST -d '{"path_prefix": "/wp-json/wc/v3/products", "kind": "invalid_json", "count": -1}' "$WOO_STORE_HTTP/__store/faults"
SELECT * FROM try_statement('SELECT * FROM err_products');
\! curl -sf -o /dev/null -X DELETE "$WOO_STORE_HTTP/__store/faults"

-- A 503 storm shorter than max_retries heals; EXPLAIN ANALYZE counts the retries.
\! curl -sf -o /dev/null -X POST -d '{"path_prefix": "/wp-json/wc/v3/products", "kind": "status", "status": 503, "count": 2}' "$WOO_STORE_HTTP/__store/faults"
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT sku FROM err_products WHERE id = 11;
-- ... a longer one fails with the last status.
\! curl -sf -o /dev/null -X POST -d '{"path_prefix": "/wp-json/wc/v3/products", "kind": "status", "status": 503, "count": -1}' "$WOO_STORE_HTTP/__store/faults"
SELECT * FROM try_statement('SELECT * FROM err_products WHERE id = 11');
\! curl -sf -o /dev/null -X DELETE "$WOO_STORE_HTTP/__store/faults"
-- 429 with Retry-After: waited out (the retry came no sooner than the
-- store asked, by the store's own clock), then served.
\! curl -sf -o /dev/null -X POST -d '{"path_prefix": "/wp-json/wc/v3/products", "kind": "rate_limit", "retry_after": 1, "count": 1}' "$WOO_STORE_HTTP/__store/faults"
\! python3 test/store/store_log.py clear
SELECT id, sku FROM err_products WHERE id = 12;
\! curl -sf "$WOO_STORE_HTTP/__store/requests" | python3 -c 'import json,sys; r=json.load(sys.stdin); print([x["status"] for x in r], "waited >= 1 s:", r[1]["time"] - r[0]["time"] >= 0.95)'
\! curl -sf -o /dev/null -X POST -d '{"path_prefix": "/wp-json/wc/v3/products", "kind": "rate_limit", "retry_after": 1, "count": -1}' "$WOO_STORE_HTTP/__store/faults"
SELECT * FROM try_statement('SELECT * FROM err_products WHERE id = 12');
\! curl -sf -o /dev/null -X DELETE "$WOO_STORE_HTTP/__store/faults"

-- A body larger than max_response_bytes is cut off while reading.
ALTER SERVER err_store OPTIONS (ADD max_response_bytes '2048');
SELECT * FROM try_statement('SELECT * FROM err_products');
ALTER SERVER err_store OPTIONS (DROP max_response_bytes);

-- Cancel: statement_timeout, and pg_cancel_backend from another session,
-- stop a scan waiting on a stalled store within 150 ms, and the session
-- goes on.
\! curl -sf -o /dev/null -X POST -d '{"path_prefix": "/wp-json/wc/v3/products", "kind": "latency", "latency_ms": 2000, "count": -1}' "$WOO_STORE_HTTP/__store/faults"
\i sql/include/cancel_latency.psql
SET statement_timeout = '300ms';
SELECT pg_temp.after_timeout('SELECT * FROM err_products');
SELECT * FROM err_products;
RESET statement_timeout;
\set cancel_statement 'SELECT * FROM err_products'
\i sql/include/cancel_from_outside.psql
\! curl -sf -o /dev/null -X DELETE "$WOO_STORE_HTTP/__store/faults"
SELECT id, sku FROM err_products WHERE id = 13;
-- (the store still sleeps on the abandoned requests; let them end before the next test reads its log)
SELECT pg_sleep(2);

-- No secret anywhere a test run could have shown one: every error the
-- files so far caught (this one's and the sync suites' included), the
-- errors sync runs recorded, the server log (NOTICEs included), the other
-- sessions in pg_stat_activity and every row of the extension's tables.
\i sql/include/secret_scan.psql
\set secrets '{' :rw_secret ',' :ro_secret ',' :wo_secret ',cs_wrong,cs_must_not_leak,wh_x}'
SELECT place, secret, count(*) FROM pg_temp.secret_sightings(:'secrets') GROUP BY 1, 2 ORDER BY 1, 2;
-- (and the search had something to search: errors of this file and of the
-- sync suites were kept, the server log was read and holds 10_management's
-- verification errors)
SELECT count(*) FILTER (WHERE file = 'pg_regress/31_read_errors') > 10 AS errors_of_this_file,
       count(*) FILTER (WHERE file LIKE 'pg_regress/2%') > 10 AS errors_of_the_sync_suites,
       count(*) FILTER (WHERE source = 'product_sync.last_error') > 0 AS product_errors
  FROM public.regress_errors;
SELECT pg_temp.server_log() LIKE '%could not verify the connection to%' AS server_log_read;
-- A role with no privileges sees no secret in the catalog views either:
-- user mapping options are NULL for it; servers and tables hold none.
SELECT count(*) > 0 AS superuser_sees_secrets_in_user_mappings
  FROM pg_user_mappings WHERE umoptions::text ~ ANY (:'secrets'::text[]);
CREATE ROLE regress_snoop;
SET ROLE regress_snoop;
SELECT count(*) FILTER (WHERE umoptions IS NOT NULL) AS user_mapping_options_shown,
       count(*) FILTER (WHERE umoptions::text ~ ANY (:'secrets'::text[])) AS secrets_shown
  FROM pg_user_mappings;
SELECT count(*) AS server_options_with_secrets FROM pg_foreign_server WHERE srvoptions::text ~ ANY (:'secrets'::text[]);
RESET ROLE;
DROP ROLE regress_snoop;

DROP FOREIGN TABLE err_products;
DROP USER MAPPING FOR CURRENT_USER SERVER err_store;
DROP SERVER err_store;
