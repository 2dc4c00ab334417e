-- Per-statement state. A store client is cached per user mapping and
-- outlives statements; what belongs to a statement does not stay on it: a
-- cursor fetched later runs under the deadline of the statement that
-- fetches, not of the one that declared or first fetched it. A
-- parameterized nested loop rescans the foreign table for every outer row
-- without growing the query's memory.
\i sql/include/test_store.psql

\i sql/include/try_statement.psql
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/reset" -d '{"products": 700}'
CREATE SERVER state_store FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url :'https', ca_file :'ca');
CREATE USER MAPPING FOR CURRENT_USER SERVER state_store OPTIONS (consumer_key :'rw_key', consumer_secret :'rw_secret');
CREATE SCHEMA st;
CREATE FOREIGN TABLE st.products (id bigint, sku text) SERVER state_store OPTIONS (resource 'products');

-- The cursor's first FETCH reads page 1 under a 3 s statement_timeout
-- (and submits pages 2 to 5, concurrency 4, the pipeline's window; those
-- on new connections are sent only when the next FETCH drives them); 3.2 s
-- later another FETCH reads pages 2 to 7, and the store answers one of the
-- pages it is asked for 503 once. That FETCH has its own 3 s: the retry is
-- made.
BEGIN;
SET LOCAL statement_timeout = '3s';
DECLARE pages CURSOR FOR SELECT id FROM st.products;
FETCH 1 FROM pages;
SET LOCAL statement_timeout = 0;
SELECT pg_sleep(3.2);
SET LOCAL statement_timeout = '3s';
\! python3 test/store/store_log.py clear
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/faults" -d '{"path_prefix": "/wp-json/wc/v3/products", "method": "GET", "kind": "status", "status": 503, "count": 1}'
MOVE ALL IN pages;
COMMIT;
-- Which page meets the 503 depends on which were sent before: the pages
-- asked for twice (one), and the last two pages, asked for by this FETCH.
\! python3 test/store/store_log.py show | sed 's/?.*page=/ page /' | sort | uniq -c | awk '$1 == 2' | wc -l
\! python3 test/store/store_log.py show | sed 's/?.*page=/ page /' | sort -u | grep -E 'page (6|7)$'

-- 10,000 outer rows, one parameterized foreign scan each (GET /products/<id>
-- of ids the store does not have). The query's memory after 10,000 rescans
-- is what it was after 1,000 (within 256 kB, PostgreSQL's own contexts
-- included: a context may take one more block of 64 kB now and then, while a
-- leak of 30 bytes per rescan already exceeds it).
SET enable_hashjoin = off;
SET enable_mergejoin = off;
SET enable_material = off;
EXPLAIN (COSTS OFF) SELECT g, p.id FROM generate_series(1, 10000) g LEFT JOIN st.products p ON p.id = g + 1000000;
BEGIN;
DECLARE outer_rows CURSOR FOR SELECT g, p.id FROM generate_series(1, 10000) g LEFT JOIN st.products p ON p.id = g + 1000000;
MOVE 1000 IN outer_rows;
SELECT sum(total_bytes) AS bytes_after_1000 FROM pg_backend_memory_contexts \gset
MOVE ALL IN outer_rows;
SELECT sum(total_bytes) - :bytes_after_1000 < 262144 AS memory_bounded,
       CASE WHEN sum(total_bytes) - :bytes_after_1000 < 262144 THEN 'ok'
            ELSE (sum(total_bytes) - :bytes_after_1000)::text || ' bytes more' END AS growth
  FROM pg_backend_memory_contexts;
COMMIT;
RESET enable_hashjoin;
RESET enable_mergejoin;
RESET enable_material;

DROP SCHEMA st CASCADE;
DROP USER MAPPING FOR CURRENT_USER SERVER state_store;
DROP SERVER state_store;
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/reset"
