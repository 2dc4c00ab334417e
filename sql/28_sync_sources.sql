-- Syncing your own tables (issue 12): an export from a user table with a
-- text key and SQL expressions, then one changed column sent as exactly
-- one field in one request; a view and a materialized view as sources;
-- variations from a user table; an import into a user table, set-based,
-- and the same table exported back without a request; every validation
-- error. Requests and bodies from the store's log.
\i sql/include/sync_setup.psql
SELECT id AS conn FROM woocommerce.create_connection('Sources shop', :'http', :'rw_key', :'rw_secret') \gset
DROP SCHEMA IF EXISTS pim CASCADE;
CREATE SCHEMA pim;
CREATE TABLE pim.items (
    item_no text PRIMARY KEY, title text NOT NULL, brand text, price_cents integer, qty integer,
    category_path text, ean text);
INSERT INTO pim.items VALUES
    ('A-1', 'Espresso cup', 'Acme', 1250, 4, 'Kitchen > Cups', '4006381333931'),
    ('A-2', 'Latte glass', 'Acme', 899, 0, 'Kitchen > Glasses', '4006381333948'),
    ('B-1', 'Tea pot', 'Brewco', 3400, 2, 'Kitchen', NULL);

-- The issue's example mapping.
SELECT name, source, key_column FROM woocommerce.create_export_mapping(:conn, 'PIM items',
    selected_fields => ARRAY['name', 'sku', 'regular_price', 'stock_quantity', 'manage_stock', 'categories', 'meta_data'],
    source => 'pim.items', key_column => 'item_no',
    field_expressions => $${"sku": "item_no", "name": "title || ' — ' || brand", "regular_price": "round(price_cents / 100.0, 2)",
                           "stock_quantity": "qty", "manage_stock": "true", "categories": "ARRAY[category_path]",
                           "meta_data": "jsonb_build_array(jsonb_build_object('key', 'ean', 'value', ean))"}$$);
:clear_log
SELECT key, product_id, action, fields, error, warning FROM woocommerce.export_products(:conn) ORDER BY key;
:load_log
SELECT c->>'sku' AS sku, c->>'name' AS name, c->'regular_price' AS regular_price, c->'stock_quantity' AS qty,
       c->'manage_stock' AS manage_stock, jsonb_array_length(c->'categories') AS categories, c->'meta_data' AS meta_data
  FROM store_log, jsonb_array_elements(entry->'body'->'create') c ORDER BY 1;
SELECT source, key, product_id, woo_product_id IS NOT NULL AS linked, sync_status, local_hash IS NOT NULL AS hashed
  FROM woocommerce.product_sync ORDER BY key;

-- Unchanged: no request at all.
:clear_log
SELECT action, count(*) FROM woocommerce.export_products(:conn) GROUP BY action;
:load_log
SELECT count(*) AS requests FROM store_log;

-- One changed column: exactly one field, in one request.
UPDATE pim.items SET price_cents = 1999 WHERE item_no = 'A-1';
:clear_log
SELECT key, action, fields FROM woocommerce.export_products(:conn) WHERE action <> 'unchanged';
:load_log
SELECT entry->>'method' AS method, regexp_replace(entry->>'path', '[0-9]+', 'N', 'g') AS path,
       (entry->'body'->'update'->0) - 'id' AS update_item FROM store_log;

-- Selected rows by key.
UPDATE pim.items SET qty = qty + 1;
:clear_log
SELECT key, action, fields FROM woocommerce.export_products(:conn, keys => ARRAY['A-2']);
:load_log
SELECT count(*) AS requests, sum(jsonb_array_length(entry->'body'->'update')) AS items FROM store_log;

-- A view as source, with its own rows; then a materialized view.
CREATE TABLE pim.books (isbn text PRIMARY KEY, title text, price numeric(8, 2));
INSERT INTO pim.books VALUES ('978-0', 'SQL for shops', 25), ('978-1', 'Stores & tables', 31.5);
CREATE VIEW pim.books_on_sale AS SELECT isbn, title, price * 0.9 AS price FROM pim.books;
SELECT name FROM woocommerce.create_export_mapping(:conn, 'Books', ARRAY['name', 'sku', 'regular_price'],
    source => 'pim.books_on_sale', key_column => 'isbn',
    field_expressions => '{"name": "title", "sku": "''BOOK-'' || isbn", "regular_price": "price"}');
:clear_log
SELECT key, action, fields FROM woocommerce.export_products(:conn) ORDER BY key;
:load_log
SELECT c->>'sku' AS sku, c->>'regular_price' AS regular_price FROM store_log, jsonb_array_elements(entry->'body'->'create') c ORDER BY 1;
CREATE MATERIALIZED VIEW pim.books_snapshot AS SELECT isbn, title, price FROM pim.books;
SELECT name FROM woocommerce.create_export_mapping(:conn, 'Books snapshot', ARRAY['name', 'sku', 'regular_price'],
    source => 'pim.books_snapshot', key_column => 'isbn',
    field_expressions => '{"name": "title", "sku": "''BOOK-'' || isbn", "regular_price": "price"}');
-- The products exist in the store (same SKUs): adopted, and the prices written.
:clear_log
SELECT key, action, fields FROM woocommerce.export_products(:conn) ORDER BY key;
:load_log
SELECT entry->>'method' AS method, regexp_replace(entry->>'path', '[0-9]+', 'N', 'g') AS path, count(*)
  FROM store_log GROUP BY 1, 2 ORDER BY 1, 2;
UPDATE pim.books SET price = 27 WHERE isbn = '978-0';
REFRESH MATERIALIZED VIEW pim.books_snapshot;
SELECT key, action, fields FROM woocommerce.export_products(:conn) WHERE action <> 'unchanged';

-- Variations from a user table: parents first, then variations under the
-- parent's store id, attributes from expressions.
CREATE TABLE pim.tees (code text PRIMARY KEY, parent_code text REFERENCES pim.tees, kind text, title text,
                       color text, price numeric);
INSERT INTO pim.tees VALUES ('TEE', NULL, 'variable', 'Logo tee', NULL, NULL),
                            ('TEE-RED', 'TEE', 'variation', 'Logo tee red', 'Red', 19),
                            ('TEE-BLUE', 'TEE', 'variation', 'Logo tee blue', 'Blue', 21);
SELECT name FROM woocommerce.create_export_mapping(:conn, 'Tees', ARRAY['name', 'sku', 'type', 'regular_price', 'attributes'],
    source => 'pim.tees', key_column => 'code', parent_key_column => 'parent_code',
    field_expressions => $${"name": "title", "sku": "code", "type": "kind", "regular_price": "price",
        "attributes": "CASE WHEN kind = 'variable' THEN '{\"Color\": [\"Red\", \"Blue\"]}'::jsonb ELSE jsonb_build_object('Color', jsonb_build_array(color)) END"}$$);
:clear_log
SELECT key, action, error FROM woocommerce.export_products(:conn) ORDER BY key;
:load_log
SELECT regexp_replace(entry->>'path', '/[0-9]+/', '/N/') AS path, jsonb_array_length(entry->'body'->'create') AS creates
  FROM store_log WHERE entry->>'method' = 'POST' ORDER BY (entry->>'seq')::int;
SELECT c->>'sku' AS sku, c->'attributes' AS attributes FROM store_log, jsonb_array_elements(entry->'body'->'create') c
 WHERE entry->>'path' LIKE '%/variations/batch' ORDER BY 1;
:load_products
SELECT sp.sku, sp.type, sp.parent_id = (SELECT woo_product_id FROM woocommerce.product_sync WHERE key = 'TEE') AS under_parent
  FROM store_products sp WHERE sp.sku LIKE 'TEE-%' OR sp.sku = 'TEE' ORDER BY 1;

-- Import into a user table: one upsert per page, created then updated,
-- counts that add up, and the table exported back without a request.
CREATE TABLE pim.store_copy (sku text PRIMARY KEY, title text NOT NULL, price_cents integer, store_id bigint, kind text);
SELECT name, target, key_column FROM woocommerce.create_import_mapping(:conn, 'Store copy',
    target => 'pim.store_copy', key_column => 'sku',
    column_expressions => $${"title": "p->>'name'", "price_cents": "((nullif(p->>'regular_price', '')::numeric) * 100)::int",
                             "store_id": "(p->>'id')::bigint", "kind": "p->>'type'"}$$);
:clear_log
CREATE TEMP TABLE imported AS SELECT * FROM woocommerce.import_products(:conn);
SELECT action, count(*), min(error) AS error FROM imported GROUP BY action ORDER BY action;
:load_products
SELECT (SELECT count(*) FROM pim.store_copy) = (SELECT count(DISTINCT coalesce(nullif(sku, ''), 'x' || id)) FROM store_products)
       AS every_store_product, (SELECT count(*) FROM imported) = (SELECT count(*) FROM store_products) AS one_row_each;
SELECT sku, title, price_cents, kind FROM pim.store_copy WHERE sku IN ('MUG-PLAIN', 'TEE-RED', 'A-1', 'BOOK-978-0') ORDER BY sku;
SELECT created + updated + unchanged + skipped + failed = (SELECT count(*) FROM imported) AS counts_add_up
  FROM woocommerce.sync_run WHERE direction = 'import' ORDER BY id DESC LIMIT 1;
-- A product changed in the store: the next (incremental) import updates
-- its row, and reads again, unchanged, what it read a moment ago.
\! python3 sql/include/sync_store.py put products/12 '{"regular_price": "4.20"}'
SELECT key, action FROM woocommerce.import_products(:conn) WHERE action <> 'unchanged';
SELECT sku, price_cents FROM pim.store_copy WHERE store_id = 12;
-- Products already fetched (a webhook's payload) go through the same
-- mapping, without a request.
:clear_log
SELECT key, action FROM woocommerce._import_objects(:conn, $$[{"id": 12, "sku": "TEA-JP-100", "name": "From a webhook",
    "type": "simple", "regular_price": "5.00", "date_modified_gmt": "2030-01-01T00:00:00"}]$$);
:load_log
SELECT count(*) AS requests FROM store_log;
SELECT sku, title, price_cents FROM pim.store_copy WHERE store_id = 12;
-- Again, with update_existing => false: every product is skipped.
SELECT action, count(*) FROM woocommerce.import_products(:conn, update_existing => false, modified_after => '2000-01-01')
 GROUP BY action;
-- The imported table as an export source, its expressions the way back:
-- nothing to send for its products (its variations would need a
-- parent_key_column: here they are rows like any other).
SELECT name FROM woocommerce.create_export_mapping(:conn, 'Store copy back', ARRAY['name', 'sku', 'regular_price'],
    source => 'pim.store_copy', key_column => 'sku',
    field_expressions => '{"name": "title", "regular_price": "price_cents / 100.0"}');
:clear_log
SELECT action, count(*) FROM woocommerce.export_products(:conn, keys => (SELECT array_agg(sku) FROM pim.store_copy
                                                                        WHERE kind <> 'variation'))
 GROUP BY action;
:load_log
SELECT count(*) AS requests FROM store_log;

-- Validation, when saved by the functions or by plain INSERT/UPDATE.
SELECT pg_temp.try(format($$SELECT woocommerce.create_export_mapping(%s, 'x', ARRAY['name', 'sku'], source => 'pim.items',
                              key_column => 'nope')$$, :conn));
SELECT pg_temp.try(format($$SELECT woocommerce.create_export_mapping(%s, 'x', ARRAY['name', 'sku'], source => 'pim.items',
                              key_column => 'item_no', field_expressions => '{"name": "titel"}')$$, :conn));
SELECT pg_temp.try(format($$SELECT woocommerce.create_export_mapping(%s, 'x', ARRAY['name', 'sku', 'regular_price'],
                              source => 'pim.items', key_column => 'item_no',
                              field_expressions => '{"name": "title", "sku": "item_no", "regular_price": "brand"}')$$, :conn));
SELECT pg_temp.try(format($$SELECT woocommerce.create_export_mapping(%s, 'x', ARRAY['name', 'sku', 'categories'],
                              source => 'pim.items', key_column => 'item_no',
                              field_expressions => '{"name": "title", "sku": "item_no", "categories": "category_path"}')$$, :conn));
SELECT pg_temp.try(format($$SELECT woocommerce.create_export_mapping(%s, 'x', ARRAY['name', 'sku', 'description'],
                              source => 'pim.items', key_column => 'item_no', field_expressions => '{"name": "title", "sku": "item_no"}')$$, :conn));
SELECT pg_temp.try(format($$SELECT woocommerce.create_export_mapping(%s, 'x', ARRAY['name', 'sku'], source => 'pim.items',
                              key_column => 'item_no', field_expressions => '{"name": "title", "sku": "item_no", "price": "1"}')$$, :conn));
SELECT pg_temp.try(format($$SELECT woocommerce.create_export_mapping(%s, 'x', ARRAY['name', 'sku'], source => 'pim.items',
                              key_column => 'item_no', field_expressions => '{"name": "title", "sku": 7}')$$, :conn));
SELECT pg_temp.try(format($$SELECT woocommerce.create_export_mapping(%s, 'x', ARRAY['name', 'sku'], source => 'pim.tees',
                              key_column => 'code', parent_key_column => 'parent_code',
                              field_expressions => '{"name": "title", "sku": "code"}')$$, :conn));
SELECT pg_temp.try(format($$SELECT woocommerce.create_export_mapping(%s, 'x', ARRAY['name', 'sku'], source => 'pim.nowhere')$$, :conn));
SELECT pg_temp.try(format($$INSERT INTO woocommerce.export_mapping (connection_id, name, selected_fields, source, key_column, field_expressions)
                            VALUES (%s, 'plain', '{name,sku}', 'pim.items', 'item_no', '{"name": "title +", "sku": "item_no"}')$$, :conn));
SELECT pg_temp.try(format($$UPDATE woocommerce.export_mapping SET field_expressions = field_expressions || '{"name": "title ||| brand"}'
                            WHERE name = 'PIM items' AND connection_id = %s$$, :conn));
SELECT pg_temp.try(format($$SELECT woocommerce.create_import_mapping(%s, 'x', target => 'pim.books_on_sale')$$, :conn));
CREATE TABLE pim.no_key (sku text, title text);
SELECT pg_temp.try(format($$SELECT woocommerce.create_import_mapping(%s, 'x', target => 'pim.no_key',
                              column_expressions => '{"title": "p->>''name''"}')$$, :conn));
SELECT pg_temp.try(format($$SELECT woocommerce.create_import_mapping(%s, 'x', target => 'pim.store_copy',
                              column_expressions => '{"title": "p->>''name''", "colour": "p->>''x''"}')$$, :conn));
SELECT pg_temp.try(format($$SELECT woocommerce.create_import_mapping(%s, 'x', target => 'pim.store_copy',
                              column_expressions => '{"title": "p->>''name''", "price_cents": "p->''regular_price''"}')$$, :conn));
SELECT pg_temp.try(format($$SELECT woocommerce.create_import_mapping(%s, 'x', target => 'pim.store_copy',
                              column_expressions => '{"price_cents": "1"}')$$, :conn));
SELECT pg_temp.try(format($$SELECT woocommerce.create_import_mapping(%s, 'x', target => 'pim.store_copy',
                              field_mappings => '{"name": "name"}', column_expressions => '{"title": "p->>''name''"}')$$, :conn));
SELECT pg_temp.try(format($$SELECT woocommerce.create_import_mapping(%s, 'x',
                              column_expressions => '{"name": "p->>''name''"}')$$, :conn));
-- At export time: keys must be unique and present; product_ids belong to woocommerce.product.
CREATE VIEW pim.doubled AS SELECT item_no, title FROM pim.items UNION ALL SELECT item_no, title FROM pim.items;
SELECT name FROM woocommerce.create_export_mapping(:conn, 'Doubled', ARRAY['name', 'sku'], source => 'pim.doubled',
    key_column => 'item_no', field_expressions => '{"name": "title", "sku": "item_no"}');
SELECT pg_temp.try(format('SELECT * FROM woocommerce.export_products(%s)', :conn));
CREATE VIEW pim.keyless AS SELECT NULL::text AS item_no, 'Nameless' AS title;
SELECT name FROM woocommerce.create_export_mapping(:conn, 'Keyless', ARRAY['name', 'sku'], source => 'pim.keyless',
    key_column => 'item_no', field_expressions => '{"name": "title", "sku": "''K''"}');
SELECT pg_temp.try(format('SELECT * FROM woocommerce.export_products(%s)', :conn));
SELECT pg_temp.try(format('SELECT * FROM woocommerce.export_products(%s, ARRAY[1])', :conn));
SELECT pg_temp.try(format('SELECT * FROM woocommerce.export_products(%s, keys => ARRAY[NULL])', :conn));

SELECT count(woocommerce.delete_connection(id)) FROM woocommerce.connection;
DROP SCHEMA pim CASCADE;

-- The upgrade from 1.1 keeps the sync rows: keyed by woocommerce.product
-- and the product's id.
\set regress_db :DBNAME
SET client_min_messages = warning;
DROP DATABASE IF EXISTS sync_sources_upgrade;
CREATE DATABASE sync_sources_upgrade;
RESET client_min_messages;
\set QUIET on
\c sync_sources_upgrade
\set QUIET off
CREATE EXTENSION woocommerce_fdw VERSION '1.1';
SELECT id AS old_conn FROM woocommerce.create_connection('Old', 'https://shop.example.com', 'ck_x', 'cs_x', verify => false) \gset
INSERT INTO woocommerce.product (sku, name) VALUES ('KEPT-1', 'Kept') RETURNING id AS old_product \gset
INSERT INTO woocommerce.product_sync (connection_id, product_id, woo_product_id, last_exchanged, sync_status)
VALUES (:old_conn, :old_product, 812, '{"sku": "KEPT-1"}', 'synced');
ALTER EXTENSION woocommerce_fdw UPDATE;
SELECT source, key = product_id::text AS key_is_the_id, woo_product_id, last_exchanged, sync_status FROM woocommerce.product_sync;
\set QUIET on
\c :regress_db
\set QUIET off
DROP DATABASE sync_sources_upgrade;
