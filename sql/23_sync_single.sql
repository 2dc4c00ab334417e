-- One product at a time (update_product, delete_product), sync_status, the
-- progress NOTICEs and the failures the store reports per product.
\i sql/include/sync_setup.psql
SELECT id AS conn FROM woocommerce.create_connection('Single shop', :'http', :'rw_key', :'rw_secret') \gset
INSERT INTO woocommerce.product (sku, name, regular_price) VALUES ('ONE-1', 'One', 10), ('ONE-2', 'Two', 20);
INSERT INTO woocommerce.product (sku, name, type) VALUES ('ONE-VAR', 'Variable one', 'variable');
INSERT INTO woocommerce.product (sku, name, type, parent_id, regular_price)
SELECT 'ONE-VAR-A', 'A', 'variation', id, 5 FROM woocommerce.product WHERE sku = 'ONE-VAR';
SELECT id AS one FROM woocommerce.product WHERE sku = 'ONE-1' \gset
SELECT id AS two FROM woocommerce.product WHERE sku = 'ONE-2' \gset
SELECT id AS var_a FROM woocommerce.product WHERE sku = 'ONE-VAR-A' \gset

-- Progress NOTICEs, one per round of batches, unless silenced.
SET woocommerce.sync_progress = on;
SELECT action, count(*) FROM woocommerce.export_products(:conn) GROUP BY action;
SET woocommerce.sync_progress = off;
SELECT action, count(*) FROM woocommerce.export_products(:conn) GROUP BY action;

-- update_product: the changed fields among the named ones. The name
-- changed too but was not named: the first request carries the price
-- alone, the name stays unexchanged, and the call without fields (the
-- default fields) sends it.
UPDATE woocommerce.product SET name = 'One renamed', regular_price = 11 WHERE sku = 'ONE-1';
:clear_log
SELECT action, fields FROM woocommerce.update_product(:conn, :one, ARRAY['regular_price']);
SELECT last_exchanged->>'name' AS exchanged_name, last_exchanged->>'regular_price' AS exchanged_price
  FROM woocommerce.product_sync WHERE product_id = :one;
SELECT action, fields FROM woocommerce.update_product(:conn, :one, ARRAY['regular_price']);
SELECT action, fields FROM woocommerce.update_product(:conn, :one);
:load_log
SELECT entry->'body'->'update' AS update FROM store_log ORDER BY (entry->>'seq')::int;

-- A product the store refuses is recorded as failed; the others go on.
UPDATE woocommerce.product SET images = '{ftp://img.example.com/bad.jpg}' WHERE sku = 'ONE-2';
UPDATE woocommerce.product SET regular_price = 12 WHERE sku = 'ONE-1';
SELECT p.sku, e.action, e.error FROM woocommerce.export_products(:conn) e JOIN woocommerce.product p ON p.id = e.product_id
 WHERE e.action <> 'unchanged' ORDER BY p.sku;
SELECT total, synced, pending, error, cardinality(products) AS rows FROM woocommerce.sync_status(:conn);
SELECT p.sku, s.sync_status, s.last_error IS NOT NULL AS has_error, s.last_modified_fields
  FROM woocommerce.sync_status(:conn) st, unnest(st.products) s JOIN woocommerce.product p ON p.id = s.product_id
 ORDER BY p.sku;
UPDATE woocommerce.product SET images = '{}' WHERE sku = 'ONE-2';

-- delete_product: to the trash, for good, variations always for good.
:clear_log
SELECT action, note FROM woocommerce.delete_product(:conn, :one);
SELECT action, note FROM woocommerce.delete_product(:conn, :var_a);
:load_log
SELECT entry->>'method' AS method, regexp_replace(entry->>'path', '[0-9]+', 'N', 'g') AS path, entry->'query'->'force' AS force,
       entry->>'status' AS status
  FROM store_log ORDER BY (entry->>'seq')::int;
SELECT p.sku, s.woo_product_id IS NULL AS unlinked, s.sync_status
  FROM woocommerce.product_sync s JOIN woocommerce.product p ON p.id = s.product_id ORDER BY p.sku;
SELECT pg_temp.try(format('SELECT * FROM woocommerce.delete_product(%s, %s)', :conn, :one));
-- Exported again, it is created anew (its SKU left with the trashed one).
SELECT e.action FROM woocommerce.export_products(:conn, ARRAY[:one]) e;
SELECT action FROM woocommerce.delete_product(:conn, :one, force => true);
SELECT deleted, requests FROM woocommerce.sync_run WHERE deleted > 0 ORDER BY id;

-- Bad input.
SELECT pg_temp.try('SELECT * FROM woocommerce.update_product(1000000, 1)');
SELECT pg_temp.try(format('SELECT * FROM woocommerce.update_product(%s, NULL)', :conn));
SELECT pg_temp.try(format('SELECT * FROM woocommerce.update_product(%s, %s, ARRAY[''price''])', :conn, :two));
SELECT pg_temp.try(format('SELECT * FROM woocommerce.delete_product(%s, 1000000)', :conn));
SELECT pg_temp.try('SELECT * FROM woocommerce.sync_status(1000000)');
SELECT is_active FROM woocommerce.update_connection(:conn, is_active => false);
SELECT pg_temp.try(format('SELECT * FROM woocommerce.delete_product(%s, %s)', :conn, :two));
SELECT pg_temp.try(format('SELECT * FROM woocommerce.import_products(%s)', :conn));
SELECT is_active FROM woocommerce.update_connection(:conn, is_active => true);
