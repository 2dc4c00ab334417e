-- Concurrent syncs. Eight sessions (dblink) sync eight stores at once, then
-- eight sessions share one connection: every run completes, nothing
-- deadlocks, and each connection's product_sync equals its store. Syncs of
-- one connection take turns (a deterministic check with lock_timeout), and
-- an import whose write fails for one row among thousands records that row
-- as failed instead of running out of shared memory.
\i sql/include/sync_setup.psql
\set QUIET on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dblink;
RESET client_min_messages;
\set QUIET off
\! bash sql/include/extra_stores.sh start 8 300

-- The sessions: superuser over the server's own socket, progress NOTICEs off.
CREATE FUNCTION pg_temp.open_sessions(n integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  FOR i IN 1..n LOOP
    PERFORM dblink_connect('s' || i, format('host=%s port=%s dbname=%s user=%s options=%L',
        split_part(current_setting('unix_socket_directories'), ',', 1), current_setting('port'),
        current_database(), current_user, '-c woocommerce.sync_progress=off'));
  END LOOP;
END $$;
-- Waits for session i's statement: its result (one text column) or its error.
CREATE FUNCTION pg_temp.outcome(i integer) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text; e text;
BEGIN
  SET LOCAL client_min_messages = error;  -- a failed statement's own NOTICE
  SELECT string_agg(x, ',') INTO r FROM dblink_get_result('s' || i, false) AS t(x text);
  PERFORM 1 FROM dblink_get_result('s' || i, false) AS t(x text);
  e := dblink_error_message('s' || i);
  RETURN CASE WHEN e = 'OK' OR e = '' THEN coalesce(r, 'no rows') ELSE 'error: ' || e END;
END $$;
SELECT pg_temp.open_sessions(8);

-- One connection per extra store, all owned by this role: same SKUs, one catalog.
CREATE TEMP TABLE conns (i integer, id bigint);
\set ECHO none
\set QUIET on
\set extra_urls `bash sql/include/extra_stores.sh urls 8`
SELECT format('INSERT INTO conns SELECT %s, id FROM woocommerce.create_connection(%L, %L, %L, %L, options => %L)',
              i, 'Store ' || i, split_part(:'extra_urls', ',', i),
              :'rw_key', :'rw_secret', jsonb_build_object('ca_file', :'ca'))
  FROM generate_series(1, 8) i \gexec
\set QUIET off
\set ECHO all
SELECT count(*) AS connections FROM conns;

-- Eight stores at once: each session imports its own store.
SELECT count(dblink_send_query('s' || i, format('SELECT count(*)::text FROM woocommerce.import_products(%s)', id)))
  FROM conns;
SELECT i, pg_temp.outcome(i) FROM conns ORDER BY i;
CREATE TEMP TABLE extra_products (store integer, id bigint, sku text, type text, parent_id bigint, regular_price text);
\copy extra_products FROM PROGRAM 'bash sql/include/extra_stores.sh products 8'
-- product_sync equals each store: every store product linked once, no link
-- to anything else (products a store refused have no store id).
CREATE FUNCTION pg_temp.compare_with_stores() RETURNS TABLE (store integer, store_rows bigint, linked bigint, unknown bigint)
LANGUAGE sql AS $$
  SELECT c.i, (SELECT count(*) FROM extra_products e WHERE e.store = c.i),
         (SELECT count(*) FROM extra_products e JOIN woocommerce.product_sync s
             ON s.connection_id = c.id AND s.woo_product_id = e.id WHERE e.store = c.i),
         (SELECT count(*) FROM woocommerce.product_sync s WHERE s.connection_id = c.id AND s.woo_product_id IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM extra_products e WHERE e.store = c.i AND e.id = s.woo_product_id))
    FROM conns c ORDER BY c.i
$$;
SELECT * FROM pg_temp.compare_with_stores();
SELECT count(*) AS local_products FROM woocommerce.product;

-- Eight stores at once the other way: new prices go to every store.
UPDATE woocommerce.product SET regular_price = regular_price + 1 WHERE sku LIKE 'BULK-%';
SELECT count(dblink_send_query('s' || i, format(
         'SELECT count(*) FILTER (WHERE action = ''updated'')::text FROM woocommerce.export_products(%s)', id)))
  FROM conns;
SELECT i, pg_temp.outcome(i) FROM conns ORDER BY i;
TRUNCATE extra_products;
\copy extra_products FROM PROGRAM 'bash sql/include/extra_stores.sh products 8'
SELECT e.store, count(*) AS bulk_products, count(*) FILTER (WHERE e.regular_price::numeric = p.regular_price) AS same_price
  FROM extra_products e JOIN woocommerce.product p ON p.sku = e.sku
 WHERE e.sku LIKE 'BULK-%' GROUP BY e.store ORDER BY e.store;

-- Eight sessions sharing one connection: imports, exports and the
-- committing procedure at once. They take turns and all complete.
\! bash sql/include/extra_stores.sh put 1 products/12 '{"regular_price": "7.77"}'
SELECT id AS one FROM conns WHERE i = 1 \gset
SELECT dblink_send_query('s' || i, CASE
         WHEN i <= 4 THEN format('SELECT count(*)::text FROM woocommerce.import_products(%s)', :one)
         WHEN i <= 6 THEN format('SELECT count(*)::text FROM woocommerce.export_products(%s)', :one)
         ELSE format('CALL woocommerce.sync(%s, %L)', :one, 'both') END) AS sent
  FROM generate_series(1, 8) i;
SELECT i, regexp_replace(pg_temp.outcome(i), '^[0-9]+$', 'rows') AS outcome FROM generate_series(1, 8) i;
TRUNCATE extra_products;
\copy extra_products FROM PROGRAM 'bash sql/include/extra_stores.sh products 1'
SELECT * FROM pg_temp.compare_with_stores() WHERE store = 1;
SELECT sync_status, count(*) FROM woocommerce.product_sync WHERE connection_id = :one GROUP BY 1 ORDER BY 1;
-- The price changed in store 1 came in.
SELECT p.sku, p.regular_price, s.sync_status FROM woocommerce.product p
  JOIN woocommerce.product_sync s ON s.product_id = p.id AND s.connection_id = :one
 WHERE s.woo_product_id = 12;
SELECT count(*) AS runs, count(*) FILTER (WHERE finished_at IS NULL) AS unfinished
  FROM woocommerce.sync_run WHERE connection_id = :one;

-- Syncs of one connection take turns: while session 1's transaction holds
-- the connection, another sync of it waits (here: until lock_timeout).
SELECT dblink_exec('s1', 'BEGIN');
SELECT * FROM dblink('s1', format('SELECT count(*)::text FROM woocommerce.import_products(%s)', :one)) AS t(imported text);
SET lock_timeout = '300ms';
SET client_min_messages = warning;  -- the NOTICE names the server, whose name has the connection id
SELECT pg_temp.try(format('SELECT * FROM woocommerce.import_products(%s)', :one));
RESET client_min_messages;
\set VERBOSITY terse
-- (terse: the DETAIL names the role that runs the tests)
SELECT pg_temp.try(format('SELECT * FROM woocommerce.import_products(%s)', (SELECT id FROM conns WHERE i = 2)));
\set VERBOSITY default
SELECT dblink_exec('s1', 'COMMIT');
SELECT pg_temp.try(format('SELECT * FROM woocommerce.import_products(%s)', :one));
RESET lock_timeout;

SELECT dblink_disconnect('s' || i) FROM generate_series(1, 8) i;
\! bash sql/include/extra_stores.sh stop

-- One row the local catalog refuses among 4,000: it is recorded as failed,
-- the others are imported (the write is retried in halves, not row by row,
-- which held a lock per row until the end of the transaction).
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/reset" -d '{"products": 4000}'
SELECT id AS big FROM woocommerce.create_connection('Big shop', :'https', :'rw_key', :'rw_secret',
                                                    options => jsonb_build_object('ca_file', :'ca')) \gset
ALTER TABLE woocommerce.product ADD CONSTRAINT refuse_one CHECK (sku <> 'BULK-01234');
SELECT action, count(*), min(error) AS error FROM woocommerce.import_products(:big) GROUP BY action ORDER BY action;
ALTER TABLE woocommerce.product DROP CONSTRAINT refuse_one;

SELECT count(woocommerce.delete_connection(id)) AS dropped FROM woocommerce.connection;
DELETE FROM woocommerce.product;
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/reset"
