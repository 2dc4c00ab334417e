-- Export (woocommerce.export_products) against the test store, with the
-- requests and their bodies read back from the store's log.
\i sql/include/sync_setup.psql
SELECT id AS conn FROM woocommerce.create_connection('Sync shop', :'http', :'rw_key', :'rw_secret') \gset

-- The store lets concurrent requests race past its SKU check (as real
-- WooCommerce can): no duplicate below is the export's doing, not the
-- store's refusal.
:sku_race

-- 10,000 new products: 100 batch requests of 100 creates each, every product
-- created and recorded, each SKU created once.
INSERT INTO woocommerce.product (sku, name, regular_price, stock_quantity, manage_stock)
SELECT format('NEW-%s', lpad(g::text, 5, '0')), format('New product %s', g), 10 + (g % 50) * 0.5, g % 7, true
  FROM generate_series(1, 10000) g;
:clear_log
SELECT action, count(*) FROM woocommerce.export_products(:conn) GROUP BY action;
:load_log
SELECT entry->>'method' AS method, entry->>'path' AS path, count(*) AS requests,
       min(jsonb_array_length(entry->'body'->'create')) AS min_items, max(jsonb_array_length(entry->'body'->'create')) AS max_items
  FROM store_log GROUP BY 1, 2 ORDER BY 1, 2;
SELECT count(*) AS skus_created_twice FROM store_skus_created_twice;
-- Prices go as strings with the store's decimals.
SELECT c AS first_item FROM store_log, jsonb_array_elements(entry->'body'->'create') c WHERE c->>'sku' = 'NEW-00001';
SELECT sync_status, count(*), count(woo_product_id) AS with_store_id FROM woocommerce.product_sync GROUP BY 1;
:load_products
SELECT count(*) AS store_products_new, count(DISTINCT sku) AS distinct_skus FROM store_products WHERE sku LIKE 'NEW-%';
SELECT count(*) AS sync_rows_matching_store
  FROM woocommerce.product_sync s JOIN woocommerce.product p ON p.id = s.product_id
  JOIN store_products sp ON sp.id = s.woo_product_id AND sp.sku = p.sku;

-- Unchanged: no request at all.
:clear_log
SELECT action, count(*) FROM woocommerce.export_products(:conn) GROUP BY action;
:load_log
SELECT count(*) AS requests FROM store_log;

-- One changed price: one request, carrying only id and regular_price.
UPDATE woocommerce.product SET regular_price = 99.9 WHERE sku = 'NEW-00042';
:clear_log
SELECT p.sku, e.action, e.fields, e.error
  FROM woocommerce.export_products(:conn) e JOIN woocommerce.product p ON p.id = e.product_id
 WHERE e.action <> 'unchanged';
:load_log
SELECT entry->>'method' AS method, regexp_replace(entry->>'path', '[0-9]+', 'N', 'g') AS path,
       (entry->'body') - 'update' AS other_members, jsonb_array_length(entry->'body'->'update') AS updates,
       (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(entry->'body'->'update'->0) k) AS update_members,
       entry->'body'->'update'->0->'regular_price' AS regular_price
  FROM store_log;
SELECT last_modified_fields, sync_status FROM woocommerce.product_sync s JOIN woocommerce.product p ON p.id = s.product_id
 WHERE p.sku = 'NEW-00042';
SELECT created, updated, unchanged, failed, requests FROM woocommerce.sync_run ORDER BY id;

-- Only these products from now on.
DELETE FROM woocommerce.product;
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/reset"
:sku_race
SELECT woocommerce.sync_forget_cache();

-- A SKU the store already has (MUG-CAFE is product 11): the create meets
-- product_invalid_sku, and the export adopts the store's product.
INSERT INTO woocommerce.product (sku, name, regular_price) VALUES ('MUG-CAFE', 'Café Crème Mug', 12.5);
:clear_log
SELECT e.woo_product_id, e.action, e.error FROM woocommerce.export_products(:conn) e;
:load_log
SELECT entry->>'path' AS path, entry->'body'->'create'->0->>'sku' AS create_sku,
       entry->'body'->'update'->0->>'id' AS update_id, entry->'body'->'update'->0->>'name' AS update_name,
       entry->'created' AS created
  FROM store_log WHERE entry->>'method' = 'POST' ORDER BY (entry->>'seq')::int;
SELECT woo_product_id, sync_status FROM woocommerce.product_sync;

-- Categories by id (names resolved, "Parent > Child" paths created), tags
-- by name, images by src the first time and by id afterwards, attributes
-- (global ones by id), variations after their parent.
INSERT INTO woocommerce.product (sku, name, type, categories, tags, images, attributes)
VALUES ('TEE-SYNC', 'Sync tee', 'variable', '{"Clothing > T-Shirts", "Garden > Tools > Spades"}', '{Sale, Brand new}',
        '{https://img.example.com/tee-front.jpg}', '{"Color": ["Red", "Green"], "Fit": ["Slim"]}');
INSERT INTO woocommerce.product (sku, name, type, parent_id, regular_price, attributes)
SELECT v.sku, v.sku, 'variation', p.id, v.price, jsonb_build_object('Color', jsonb_build_array(v.color))
  FROM woocommerce.product p, (VALUES ('TEE-SYNC-RED', 20, 'Red'), ('TEE-SYNC-GREEN', 21.5, 'Green')) AS v(sku, price, color)
 WHERE p.sku = 'TEE-SYNC';
:clear_log
SELECT p.sku, e.action, e.error FROM woocommerce.export_products(:conn) e JOIN woocommerce.product p ON p.id = e.product_id
 ORDER BY p.id;
:load_log
SELECT entry->>'method' AS method, regexp_replace(entry->>'path', '/[0-9]+/', '/N/', 'g') AS path,
       CASE WHEN jsonb_typeof(entry->'body') = 'object' THEN (entry->'body') - 'create' END AS body_without_creates
  FROM store_log ORDER BY (entry->>'seq')::int;
-- The parent's payload: category ids, tags by name, image by src, the
-- global attribute Color by id (variation: true), Fit by name.
SELECT c->'categories' AS categories, c->'tags' AS tags, c->'images' AS images, c->'attributes' AS attributes
  FROM store_log, jsonb_array_elements(entry->'body'->'create') c
 WHERE entry->>'path' = '/wp-json/wc/v3/products/batch' AND c->>'sku' = 'TEE-SYNC';
SELECT c->>'sku' AS sku, c->'attributes' AS attributes, c->'regular_price' AS regular_price, c ? 'name' AS has_name
  FROM store_log, jsonb_array_elements(entry->'body'->'create') c
 WHERE entry->>'path' LIKE '%/variations/batch' ORDER BY 1;
:load_products
SELECT sp.type, sp.parent_id = ps.woo_product_id AS under_parent, count(*)
  FROM store_products sp JOIN woocommerce.product_sync s ON s.woo_product_id = sp.id
  JOIN woocommerce.product p ON p.id = s.product_id
  LEFT JOIN woocommerce.product_sync ps ON ps.product_id = p.parent_id
 WHERE p.sku LIKE 'TEE-SYNC%' GROUP BY 1, 2 ORDER BY 1;

-- Another image: the first one goes by id now, the new one by src; the
-- categories are known (no category request).
UPDATE woocommerce.product SET images = images || '{https://img.example.com/tee-back.jpg}' WHERE sku = 'TEE-SYNC';
:clear_log
SELECT e.action, e.fields FROM woocommerce.export_products(:conn) e WHERE e.action <> 'unchanged';
:load_log
SELECT entry->>'path' AS path, entry->'body'->'update'->0->'images' AS images FROM store_log;

-- An export mapping: its fields only, with a local field renamed.
SELECT name FROM woocommerce.create_export_mapping(:conn, 'Descriptions', ARRAY['name', 'sku', 'description'],
                                                   '{"short_description": "description"}');
UPDATE woocommerce.product SET short_description = 'Soft & light', description = 'not sent', regular_price = 13
 WHERE sku = 'MUG-CAFE';
:clear_log
SELECT e.action, e.fields FROM woocommerce.export_products(:conn) e WHERE e.action <> 'unchanged';
:load_log
SELECT entry->'body'->'update' AS update FROM store_log;
-- Explicit fields win over the mapping; only_changed => false sends them all.
:clear_log
SELECT e.action, e.fields FROM woocommerce.export_products(:conn, (SELECT array_agg(id) FROM woocommerce.product WHERE sku = 'MUG-CAFE'),
                                                           ARRAY['regular_price'], only_changed => false) e;
:load_log
SELECT entry->'body'->'update' AS update FROM store_log;

-- Bad input is refused before anything is sent: the store's log stays
-- empty through all of these.
:clear_log
SELECT pg_temp.try('SELECT * FROM woocommerce.export_products(1000000)');
SELECT pg_temp.try(format('SELECT * FROM woocommerce.export_products(%s, ARRAY[1000000])', :conn));
SELECT pg_temp.try(format('SELECT * FROM woocommerce.export_products(%s, fields => ARRAY[''colour''])', :conn));
SELECT pg_temp.try(format('SELECT * FROM woocommerce.export_products(%s, fields => ARRAY[''permalink''])', :conn));
CREATE ROLE sync_other_owner;
INSERT INTO woocommerce.product (owner, sku, name) VALUES ('sync_other_owner', 'OTHER-1', 'Not yours');
SELECT pg_temp.try(format('SELECT * FROM woocommerce.export_products(%s, ARRAY[%s])', :conn,
                          (SELECT id FROM woocommerce.product WHERE sku = 'OTHER-1')));
SELECT is_active FROM woocommerce.update_connection(:conn, is_active => false);
SELECT pg_temp.try(format('SELECT * FROM woocommerce.export_products(%s)', :conn));
SELECT is_active FROM woocommerce.update_connection(:conn, is_active => true);
:load_log
SELECT count(*) AS requests_sent FROM store_log;
DELETE FROM woocommerce.product WHERE owner = 'sync_other_owner'::regrole;
DROP ROLE sync_other_owner;
