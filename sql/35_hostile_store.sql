-- A hostile store (test/hostile/hostile_store.py): every kind of broken
-- answer a store, a proxy or a network can give, on every path (scans,
-- lookups, writes, IMPORT FOREIGN SCHEMA, test_connection, the sync
-- functions). Each ends in a clear error with a SQLSTATE other than XX000,
-- or in the correct rows; the session goes on after each; the postmaster
-- is never restarted (same start time at the end, and no "terminated by
-- signal" in the server log). The store's text encodings are hardpg's
-- work (34, 37): here invalid UTF-8, lone surrogates and U+0000 are only
-- required to be clear errors.
\i sql/include/test_store.psql
\i sql/include/try_statement.psql
\i sql/include/hostile.psql
SELECT pg_postmaster_start_time() AS postmaster_started \gset

CREATE SERVER hostile FOREIGN DATA WRAPPER woocommerce_fdw
  OPTIONS (url :'hostile', max_retries '1', timeout_ms '4000', connect_timeout_ms '1000');
CREATE USER MAPPING FOR CURRENT_USER SERVER hostile
  OPTIONS (consumer_key 'ck_hostile', consumer_secret 'cs_hostile_not_to_be_seen');
CREATE FOREIGN TABLE h_products (
  id bigint, name text, sku text, price numeric, featured boolean, stock_quantity integer,
  date_created timestamptz OPTIONS (field 'date_created_gmt'), meta_data jsonb, attrs jsonb)
  SERVER hostile OPTIONS (resource 'products');
CREATE FOREIGN TABLE h_variations (id bigint, parent_id bigint, sku text) SERVER hostile OPTIONS (resource 'variations');

-- The well-behaved answer first: three products.
SELECT hostile_mode('normal') \gset
SELECT id, name, price, featured FROM h_products ORDER BY id;

\pset tuples_only on
\pset format unaligned
-- Statuses and redirects. A redirect is no answer (nothing is followed:
-- credentials would be dropped), an empty success is no answer either.
SELECT * FROM hostile_outcome('redirect_301', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('redirect_302_json', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('ok_empty', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('no_content', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('html_503', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('html_200', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('status_999', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('rate_limit_forever', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('retry_after_far', 'SELECT id, name FROM h_products');
-- Lists that are not arrays of objects with integer ids.
SELECT * FROM hostile_outcome('nulls', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('numbers', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('objects_without_id', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('id_string', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('id_float', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('id_beyond_bigint', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('id_zero', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('object_for_list', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('string_for_list', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('number_for_list', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('array_for_item', 'SELECT id, name FROM h_products WHERE id = 1');
-- Values that do not fit their columns: 22P02, 22003, 22P05 naming table,
-- column, object and value.
SELECT * FROM hostile_outcome('boolean_yes', 'SELECT id, featured FROM h_products');
SELECT * FROM hostile_outcome('price_1e400', 'SELECT id, price FROM h_products');
SELECT * FROM hostile_outcome('price_1e400', 'SELECT id, attrs FROM h_products');
SELECT * FROM hostile_outcome('price_object', 'SELECT id, price FROM h_products');
SELECT * FROM hostile_outcome('stock_overflow', 'SELECT id, stock_quantity FROM h_products');
SELECT * FROM hostile_outcome('bad_date', 'SELECT id, date_created FROM h_products');
SELECT * FROM hostile_outcome('impossible_date', 'SELECT id, date_created FROM h_products');
SELECT * FROM hostile_outcome('nul_in_string', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('invalid_utf8', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('lone_surrogate', 'SELECT id, name FROM h_products');
-- Bodies that are not the JSON they claim to be.
SELECT * FROM hostile_outcome('truncated_json', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('invalid_json', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('php_warning_after', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('php_warning_before', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('garbage_binary', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('duplicate_keys', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('deep_nesting', 'SELECT id, meta_data FROM h_products');
SELECT * FROM hostile_outcome('gzip_bomb', 'SELECT id, name FROM h_products');
-- Pagination that lies.
SELECT * FROM hostile_outcome('total_pages_disagree', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('total_pages_garbage', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('ignores_page', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('ignores_page_with_headers', 'SELECT id, name FROM h_products');
-- The wire: lengths that lie both ways, resets, garbage, giant headers.
SELECT * FROM hostile_outcome('reset_mid_body', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('close_mid_body', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('length_longer_than_body', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('length_shorter_than_body', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('negative_length', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('bad_chunks', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('not_http', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('huge_header', 'SELECT id, name FROM h_products');
SELECT * FROM hostile_outcome('header_flood', 'SELECT id, name FROM h_products');
\pset format aligned
\pset tuples_only off
SELECT 1 AS session_usable;

-- Answers that are odd but true give the correct rows.
SELECT hostile_mode('http10_no_length') \gset
SELECT id, name FROM h_products ORDER BY id;
SELECT hostile_mode('many_keys') \gset
SELECT id, name FROM h_products;
SELECT hostile_mode('huge_string') \gset
SELECT id, length(name) AS name_length FROM h_products;
-- 1e400 in a member no column reads costs nothing.
SELECT hostile_mode('price_1e400') \gset
SELECT id, name FROM h_products;

-- Two billion pages claimed: pages are asked a window at a time. LIMIT 250
-- takes three requests; an unbounded scan runs until statement_timeout,
-- which stops it at once, and the backend's memory stays small.
SELECT hostile_mode('total_pages_huge') \gset
SELECT count(*), min(id), max(id) FROM (SELECT id FROM h_products LIMIT 250) s;
SELECT hostile_requests() AS requests;
SET statement_timeout = '1s';
SELECT cancel_delay('SELECT max(id) FROM h_products', '1s');
SELECT cancel_delay('SELECT max(id) FROM h_variations', '1s');
RESET statement_timeout;
SELECT (regexp_match(pg_read_file('/proc/self/status'), 'VmHWM:\s+(\d+) kB'))[1]::bigint < 1024 * 1024
       AS peak_memory_under_1gb;

-- Answers that never end: statement_timeout stops them within 150 ms.
SELECT hostile_mode('stall') \gset
SET statement_timeout = '500ms';
SELECT cancel_delay('SELECT id FROM h_products', '500ms');
RESET statement_timeout;
SELECT hostile_mode('trickle') \gset
SET statement_timeout = '500ms';
SELECT cancel_delay('SELECT id FROM h_products', '500ms');
RESET statement_timeout;
SELECT hostile_mode('slow_headers') \gset
SET statement_timeout = '500ms';
SELECT cancel_delay('SELECT id FROM h_products', '500ms');
RESET statement_timeout;
-- ... and timeout_ms without statement_timeout.
ALTER SERVER hostile OPTIONS (SET timeout_ms '700', SET max_retries '0');
SELECT * FROM try_statement('SELECT id FROM h_products');
ALTER SERVER hostile OPTIONS (SET timeout_ms '4000', SET max_retries '1');

-- Writes: a redirected create creates nothing and says so; an empty or
-- unusable success says the row may exist; RETURNING reads the answer as
-- strictly as a scan.
\pset tuples_only on
\pset format unaligned
SELECT * FROM hostile_outcome('redirect_301', $$INSERT INTO h_products (name, sku) VALUES ('W', 'W-1') RETURNING id$$);
SELECT * FROM hostile_outcome('ok_empty', $$INSERT INTO h_products (name, sku) VALUES ('W', 'W-1') RETURNING id$$);
SELECT * FROM hostile_outcome('created_without_id', $$INSERT INTO h_products (name, sku) VALUES ('W', 'W-1') RETURNING id$$);
SELECT * FROM hostile_outcome('created_price_1e400', $$INSERT INTO h_products (name, sku) VALUES ('W', 'W-1') RETURNING id, price$$);
SELECT * FROM hostile_outcome('html_503', $$INSERT INTO h_products (name, sku) VALUES ('A', 'A-1'), ('B', 'B-1')$$,
                              'POST /wp-json/wc/v3/products/batch');
SELECT * FROM hostile_outcome('html_503', $$UPDATE h_products SET name = 'U' WHERE id = 2$$, 'PUT /wp-json/wc/v3/products/2');
SELECT * FROM hostile_outcome('truncated_json', $$DELETE FROM h_products WHERE id = 3$$, 'DELETE /wp-json/wc/v3/products/3');
SELECT * FROM hostile_outcome('redirect_301', $$DELETE FROM h_products WHERE id = 3$$, 'DELETE /wp-json/wc/v3/products/3');
\pset format aligned
\pset tuples_only off
SELECT hostile_mode('created_price_1e400') \gset
INSERT INTO h_products (name, sku) VALUES ('W', 'W-2') RETURNING id, name;

-- IMPORT FOREIGN SCHEMA and test_connection.
CREATE SCHEMA h_import;
\pset tuples_only on
\pset format unaligned
SELECT * FROM hostile_outcome('html_200', 'IMPORT FOREIGN SCHEMA woocommerce LIMIT TO (products) FROM SERVER hostile INTO h_import');
SELECT * FROM hostile_outcome('deep_nesting', 'IMPORT FOREIGN SCHEMA woocommerce LIMIT TO (products) FROM SERVER hostile INTO h_import');
SELECT * FROM hostile_outcome('redirect_301', 'IMPORT FOREIGN SCHEMA woocommerce LIMIT TO (products) FROM SERVER hostile INTO h_import');
\pset format aligned
\pset tuples_only off
SELECT hostile_mode('redirect_301') \gset
SELECT r->>'ok' AS ok, r->>'error_code' AS code, r->>'status' AS status
  FROM woocommerce.test_connection(:'hostile', 'ck_hostile', 'cs_hostile_not_to_be_seen') AS r;

-- The sync functions read the store through the same checks.
SELECT hostile_mode('normal') \gset
SELECT id AS conn FROM woocommerce.create_connection('Hostile shop', :'hostile', 'ck_hostile', 'cs_hostile_not_to_be_seen') \gset
\pset tuples_only on
\pset format unaligned
SELECT * FROM hostile_outcome('redirect_301', format('SELECT * FROM woocommerce.import_products(%s)', :conn));
SELECT * FROM hostile_outcome('ignores_page', format('SELECT * FROM woocommerce.import_products(%s)', :conn));
SELECT * FROM hostile_outcome('total_pages_disagree', format('SELECT * FROM woocommerce.import_products(%s)', :conn));
\pset format aligned
\pset tuples_only off
-- Two billion pages claimed: the import asks a round of pages at a time
-- until statement_timeout stops it. (It keeps every product it read in
-- memory until the end, so freeing them adds to the cancel: stopped within
-- a second here.)
SELECT hostile_mode('total_pages_huge') \gset
SET statement_timeout = '1s';
SET woocommerce.sync_progress = off;
SELECT cancel_delay(format('SELECT * FROM woocommerce.import_products(%s)', :conn), '1s', '1 s');
RESET woocommerce.sync_progress;
RESET statement_timeout;

-- The same session, the same postmaster: nothing crashed.
SELECT hostile_mode('normal') \gset
SELECT count(*) AS rows_after_all_that FROM h_products;
SELECT pg_postmaster_start_time() = :'postmaster_started' AS postmaster_not_restarted;
\! grep -c 'terminated by signal' "$(pg_lsclusters | awk -v p="$PGPORT" '$3 == p {print $7}')" || true

SELECT woocommerce.delete_connection(:conn);
DROP SCHEMA h_import CASCADE;
DROP FOREIGN TABLE h_products, h_variations;
DROP USER MAPPING FOR CURRENT_USER SERVER hostile;
DROP SERVER hostile;
