-- Conflicts (issue 12): a product changed on both sides since the last
-- exchange, under each conflict_policy, with the requests they cost (none
-- with pim_wins, one list per 100 products otherwise); resolve_conflict;
-- and adopt_server for a hand-made server.
\i sql/include/sync_setup.psql
-- An empty store: these products are the only ones.
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/reset" -d '{"products": 0}'
SELECT id AS conn, server_name FROM woocommerce.create_connection('Conflict shop', :'http', :'rw_key', :'rw_secret') \gset
DROP SCHEMA IF EXISTS pim2 CASCADE;
CREATE SCHEMA pim2;
CREATE TABLE pim2.prices (sku text PRIMARY KEY, name text NOT NULL, price numeric);
INSERT INTO pim2.prices VALUES ('P-1', 'First', 10), ('P-2', 'Second', 20), ('P-3', 'Third', 30);
SELECT name FROM woocommerce.create_export_mapping(:conn, 'Prices', ARRAY['name', 'sku', 'regular_price'],
    source => 'pim2.prices', key_column => 'sku', field_expressions => '{"regular_price": "price"}');
SELECT name FROM woocommerce.create_import_mapping(:conn, 'Prices back', target => 'pim2.prices', key_column => 'sku',
    column_expressions => $${"name": "p->>'name'", "price": "nullif(p->>'regular_price', '')::numeric"}$$);
SELECT key, action FROM woocommerce.export_products(:conn) ORDER BY key;
CREATE SCHEMA conflict_store;
IMPORT FOREIGN SCHEMA woocommerce LIMIT TO (products) FROM SERVER :server_name INTO conflict_store;
-- Changes "in the store" are made a second later than the last exchange
-- (WooCommerce's dates have seconds).
CREATE FUNCTION pg_temp.store_price(sku text, price numeric) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_sleep(1.1);
  UPDATE conflict_store.products p SET regular_price = store_price.price WHERE p.sku = store_price.sku;
END $$;

-- pim_wins (the default): the export overwrites, without looking.
SELECT pg_temp.store_price('P-1', 50);
UPDATE pim2.prices SET price = 11 WHERE sku = 'P-1';
:clear_log
SELECT key, action, fields, warning FROM woocommerce.export_products(:conn) WHERE action <> 'unchanged';
:load_log
SELECT entry->>'method' AS method, entry->>'path' AS path FROM store_log ORDER BY (entry->>'seq')::int;
SELECT sku, regular_price FROM conflict_store.products WHERE sku = 'P-1';

-- store_wins: one list request finds the change; the export skips the
-- product; the next import takes the store's values; then nothing to send.
UPDATE woocommerce.connection SET conflict_policy = 'store_wins' WHERE id = :conn;
SELECT pg_temp.store_price('P-2', 60);
UPDATE pim2.prices SET price = 12 WHERE sku = 'P-2';
:clear_log
SELECT key, action, fields, warning FROM woocommerce.export_products(:conn) WHERE action <> 'unchanged';
:load_log
SELECT entry->>'method' AS method, entry->>'path' AS path, entry->'query'->>'include' IS NOT NULL AS by_include,
       entry->'query'->>'_fields' AS fields, entry->'query'->>'context' AS context
  FROM store_log ORDER BY (entry->>'seq')::int;
SELECT s.sync_status, s.last_error IS NOT NULL AS says_why FROM woocommerce.product_sync s WHERE s.key = 'P-2';
SELECT key, action FROM woocommerce.import_products(:conn) WHERE key = 'P-2';
SELECT sku, price FROM pim2.prices WHERE sku = 'P-2';
:clear_log
SELECT action, count(*) FROM woocommerce.export_products(:conn) GROUP BY action;
:load_log
SELECT count(*) AS requests FROM store_log;

-- manual: skipped and listed with both versions until resolved; while it
-- waits, exports spend no request on it.
UPDATE woocommerce.connection SET conflict_policy = 'manual' WHERE id = :conn;
SELECT pg_temp.store_price('P-3', 70);
UPDATE pim2.prices SET price = 13 WHERE sku = 'P-3';
SELECT key, action, warning FROM woocommerce.export_products(:conn) WHERE action <> 'unchanged';
SELECT connection_id = :conn AS this_connection, source, key, fields, local_values, store_values,
       store_modified_at IS NOT NULL AS has_store_date
  FROM woocommerce.conflict;
SELECT sync_status FROM woocommerce.product_sync WHERE key = 'P-3';
:clear_log
SELECT key, action FROM woocommerce.export_products(:conn) WHERE action <> 'unchanged';
:load_log
SELECT count(*) AS requests FROM store_log;
-- keep => 'local': the next export overwrites the store.
SELECT woocommerce.resolve_conflict(:conn, 'P-3', 'local');
SELECT count(*) AS conflicts FROM woocommerce.conflict;
SELECT key, action, fields FROM woocommerce.export_products(:conn) WHERE action <> 'unchanged';
SELECT sku, regular_price FROM conflict_store.products WHERE sku = 'P-3';
-- keep => 'store': the store's product is imported now.
SELECT pg_temp.store_price('P-1', 80);
UPDATE pim2.prices SET price = 14 WHERE sku = 'P-1';
SELECT key, action FROM woocommerce.export_products(:conn) WHERE action <> 'unchanged';
SELECT woocommerce.resolve_conflict(:conn, 'P-1', 'store');
SELECT sku, price FROM pim2.prices WHERE sku = 'P-1';
SELECT key, action FROM woocommerce.export_products(:conn) WHERE action <> 'unchanged';
SELECT pg_temp.try(format('SELECT woocommerce.resolve_conflict(%s, ''P-1'', ''store'')', :conn));
SELECT pg_temp.try(format('SELECT woocommerce.resolve_conflict(%s, ''P-1'', ''mine'')', :conn));

-- At most one list request per 100 products: 150 changed on both sides.
INSERT INTO pim2.prices SELECT format('Q-%s', lpad(g::text, 3, '0')), format('Bulk %s', g), g FROM generate_series(1, 150) g;
SELECT action, count(*) FROM woocommerce.export_products(:conn) GROUP BY action;
SELECT pg_sleep(1.1);
UPDATE conflict_store.products SET regular_price = regular_price + 1000 WHERE sku LIKE 'Q-%';
UPDATE pim2.prices SET price = price + 1 WHERE sku LIKE 'Q-%';
:clear_log
SELECT action, count(*) FROM woocommerce.export_products(:conn) GROUP BY action;
:load_log
SELECT entry->>'method' AS method, entry->>'path' AS path, count(*) AS requests,
       sum(array_length(string_to_array(entry->'query'->>'include', ','), 1)) AS products
  FROM store_log GROUP BY 1, 2;
SELECT count(*) AS conflicts FROM woocommerce.conflict;
SELECT pg_temp.try(format('UPDATE woocommerce.connection SET conflict_policy = ''sometimes'' WHERE id = %s', :conn));
DROP SCHEMA conflict_store CASCADE;

-- adopt_server: a hand-made server and user mapping become a connection.
-- (The store's port and CA file vary: the statements are not echoed.)
\set ECHO none
SELECT format('CREATE SERVER hand_made FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url %L, timeout_ms ''20000'')', :'https')
\gexec
SELECT format('ALTER SERVER hand_made OPTIONS (ADD ca_file %L)', :'ca') \gexec
\set ECHO all
SELECT pg_temp.try('SELECT woocommerce.adopt_server(''hand_made'')');
\set ECHO none
SELECT format('CREATE USER MAPPING FOR CURRENT_USER SERVER hand_made OPTIONS (consumer_key %L, consumer_secret %L)',
              :'rw_key', 'cs_wrong') \gexec
\set ECHO all
SELECT regexp_replace(pg_temp.try('SELECT woocommerce.adopt_server(''hand_made'')'), '127\.0\.0\.1:[0-9]+', '<store>') AS try;
SELECT count(*) AS connections_for_hand_made FROM woocommerce.connection WHERE server_name = 'hand_made';
\set ECHO none
SELECT format('ALTER USER MAPPING FOR CURRENT_USER SERVER hand_made OPTIONS (SET consumer_secret %L)', :'rw_secret') \gexec
\set ECHO all
SELECT store_name, store_url = :'https' AS url_from_server, server_name, options ? 'ca_file' AS has_ca_file, options->>'timeout_ms' AS timeout_ms
  FROM woocommerce.adopt_server('hand_made', 'Hand made');
SELECT woocommerce.test_connection(id)->>'ok' AS ok FROM woocommerce.connection WHERE server_name = 'hand_made';
SELECT pg_temp.try('SELECT woocommerce.adopt_server(''hand_made'')');
SELECT pg_temp.try('SELECT woocommerce.adopt_server(''no_such_server'')');
CREATE FOREIGN DATA WRAPPER not_woocommerce;
CREATE SERVER other_kind FOREIGN DATA WRAPPER not_woocommerce;
SELECT pg_temp.try('SELECT woocommerce.adopt_server(''other_kind'')');
DROP SERVER other_kind;
DROP FOREIGN DATA WRAPPER not_woocommerce;
-- It is a connection like any other: deleting it drops the server.
SELECT woocommerce.delete_connection(id) FROM woocommerce.connection WHERE server_name = 'hand_made';
SELECT count(*) AS hand_made_servers FROM pg_foreign_server WHERE srvname = 'hand_made';

SELECT count(woocommerce.delete_connection(id)) FROM woocommerce.connection;
DROP SCHEMA pim2 CASCADE;
