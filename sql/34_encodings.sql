-- Text is PostgreSQL text, in a LATIN1 database: what the store sends is
-- converted from UTF-8 (a character LATIN1 cannot hold is 22P05 naming the
-- column and the object, U+0000 too), what is written is converted to UTF-8,
-- messages quoting the store get '?' for what LATIN1 cannot hold; the sync
-- engine's import and export convert both ways; in a SQL_ASCII database
-- text travels as UTF-8 bytes and must be UTF-8.
\i sql/include/test_store.psql

\set QUIET on
DROP DATABASE IF EXISTS woo_latin1;
CREATE DATABASE woo_latin1 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
\c woo_latin1
\set QUIET off
SET client_encoding = 'UTF8';
SHOW server_encoding;
\i sql/include/error_record.psql
\i sql/include/try_statement.psql
SET client_min_messages = warning;
CREATE EXTENSION woocommerce_fdw;
RESET client_min_messages;
CREATE SERVER latin_store FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url :'https', ca_file :'ca');
CREATE USER MAPPING FOR CURRENT_USER SERVER latin_store OPTIONS (consumer_key :'rw_key', consumer_secret :'rw_secret');
CREATE SCHEMA w;
IMPORT FOREIGN SCHEMA woocommerce FROM SERVER latin_store INTO w;

-- Read: what LATIN1 holds comes through as it is, not as mojibake.
SELECT id, name FROM w.products WHERE id IN (10, 16, 17) ORDER BY id;
SELECT id, name, slug FROM w.categories WHERE id >= 20 ORDER BY id;
SELECT first_name, last_name, billing->>'address_1' AS street FROM w.customers WHERE last_name LIKE 'M%';
-- What LATIN1 cannot hold is an error naming the column and the product,
-- also inside a jsonb column; the same row without that column reads fine.
SELECT sqlstate, message, detail, hint FROM try_statement($$SELECT name FROM w.products WHERE id = 12$$);
SELECT sqlstate, message, detail FROM try_statement($$SELECT attrs FROM w.products WHERE id = 11$$);
SELECT sqlstate, message FROM try_statement($$SELECT * FROM w.products$$);
SELECT id, sku, regular_price FROM w.products WHERE id = 12;

-- Write: LATIN1 text goes out as UTF-8 (the store's log shows the body it
-- received), in single, batch and COPY inserts, updates and filters.
\! python3 test/store/store_log.py clear
INSERT INTO w.products (name, sku, regular_price) VALUES ('Crème brûlée', 'CRÈME-1', 5) RETURNING name, sku, slug;
INSERT INTO w.products (name, sku, regular_price) VALUES ('Tarte à l''orange', 'TARTE-1', 4), ('Müsli ½ kg', 'MÜSLI-1', 3);
COPY w.products (name, sku, regular_price) FROM STDIN;
Café au lait	CAFÉ-1	2.50
\.
UPDATE w.products SET short_description = 'Süß & « fein »' WHERE sku = 'CRÈME-1' RETURNING name, short_description;
\! python3 test/store/store_log.py show --body | sed -E 's/products\/[0-9]+/products\/<id>/; s/\?.*//'
EXPLAIN (COSTS OFF) SELECT name FROM w.products WHERE sku = 'MÜSLI-1';
SELECT name, sku FROM w.products WHERE sku IN ('CRÈME-1', 'MÜSLI-1', 'CAFÉ-1', 'TARTE-1') ORDER BY sku;

-- Messages quoting the store: what LATIN1 cannot hold becomes '?'.
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/faults" -d '{"path_prefix": "/wp-json/wc/v3/products", "method": "POST", "kind": "status", "status": 400, "body": {"code": "woocommerce_rest_invalid", "message": "Produit « 東京 » refusé — essayez encore", "data": {"status": 400}}}'
SELECT sqlstate, message FROM try_statement($$INSERT INTO w.products (name, sku) VALUES ('Refusé', 'REFUSE-1') RETURNING id$$);
\! curl -sf -o /dev/null -X DELETE "$WOO_STORE_HTTP/__store/faults"
SELECT (woocommerce.test_connection(:'https', :'rw_key', :'rw_secret', jsonb_build_object('ca_file', :'ca')))->'ok' AS connection_ok;

-- U+0000 from the store is an error naming the column and the product.
\! python3 sql/include/sync_store.py put products/16 '{"name": "Salt\u0000Pepper"}'
SELECT sqlstate, message, detail FROM try_statement($$SELECT name FROM w.products WHERE id = 16$$);

-- The sync engine: an import whose answer LATIN1 cannot hold fails before
-- writing anything, naming the product; LATIN1 text imports and exports.
SET woocommerce.sync_progress = off;
SELECT id AS conn FROM woocommerce.create_connection('Latin shop', :'https', :'rw_key', :'rw_secret',
                                                     options => jsonb_build_object('ca_file', :'ca')) \gset
SELECT sqlstate, message, detail FROM try_statement(format('SELECT * FROM woocommerce.import_products(%s)', :conn));
SELECT count(*) AS local_products FROM woocommerce.product;
SELECT id AS creme FROM w.products WHERE sku = 'CRÈME-1' \gset
SELECT id AS muesli FROM w.products WHERE sku = 'MÜSLI-1' \gset
SELECT action, count(*) FROM woocommerce.import_products(:conn, woo_product_ids => ARRAY[:creme, :muesli]) GROUP BY 1;
SELECT sku, name, short_description FROM woocommerce.product ORDER BY sku;
UPDATE woocommerce.product SET name = 'Müsli ½ kg (Großpackung)' WHERE sku = 'MÜSLI-1';
SELECT action, fields FROM woocommerce.export_products(:conn) ORDER BY 1;
SELECT name FROM w.products WHERE sku = 'MÜSLI-1';

-- A SQL_ASCII database: no conversion is possible, so text is kept and
-- sent as UTF-8 bytes; text that is not UTF-8 is refused before sending.
\set QUIET on
\c contrib_regression
DROP DATABASE woo_latin1;
DROP DATABASE IF EXISTS woo_ascii;
CREATE DATABASE woo_ascii ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
\c woo_ascii
\set QUIET off
SET client_encoding = 'UTF8';
SHOW server_encoding;
\i sql/include/error_record.psql
\i sql/include/try_statement.psql
SET client_min_messages = warning;
CREATE EXTENSION woocommerce_fdw;
RESET client_min_messages;
CREATE SERVER ascii_store FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url :'https', ca_file :'ca');
CREATE USER MAPPING FOR CURRENT_USER SERVER ascii_store OPTIONS (consumer_key :'rw_key', consumer_secret :'rw_secret');
CREATE FOREIGN TABLE products (id bigint, name text, sku text) SERVER ascii_store;
SELECT id, name FROM products WHERE id IN (11, 12) ORDER BY id;
\! python3 test/store/store_log.py clear
INSERT INTO products (name, sku) VALUES ('日本茶 sencha', 'SENCHA-1') RETURNING name;
SELECT sqlstate, message, detail FROM try_statement($$INSERT INTO products (name, sku) VALUES (E'Cr\xe8me', 'LATIN-1')$$);
\! python3 test/store/store_log.py show --method POST --body
\set QUIET on
\c contrib_regression
DROP DATABASE woo_ascii;
\set QUIET off
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/reset"
