-- Import (woocommerce.import_products) from the test store's seeded catalog:
-- mappings, SKU matching, variations, incremental runs.
\i sql/include/sync_setup.psql
SELECT id AS conn FROM woocommerce.create_connection('Import shop', :'https', :'rw_key', :'rw_secret',
                                                     options => jsonb_build_object('ca_file', :'ca')) \gset
SELECT name FROM woocommerce.create_import_mapping(:conn, 'Attributes', attribute_mappings => '{"Color": "color", "pa_size": "size"}',
                                                   field_mappings => '{"slug": "short_description"}');
-- A local product with a store SKU is matched, not duplicated.
INSERT INTO woocommerce.product (sku, name, regular_price) VALUES ('MUG-PLAIN', 'Local mug', 1);

:clear_log
SELECT action, count(*) FROM woocommerce.import_products(:conn) GROUP BY action ORDER BY action;
:load_log
-- Pages in id order with raw values (context=edit); variations of the two
-- variable products.
SELECT regexp_replace(entry->>'path', '/[0-9]+/', '/N/') AS path, entry->'query'->'orderby' AS orderby,
       entry->'query'->'context' AS context, entry->'query'->'per_page' AS per_page, count(*)
  FROM store_log GROUP BY 1, 2, 3, 4 ORDER BY 1;
SELECT p.sku, p.name, p.type, p.regular_price, p.sale_price, p.stock_quantity, p.categories, p.tags
  FROM woocommerce.product p WHERE p.sku IN ('MUG-PLAIN', 'MUG-CAFE', 'SALT-PEPPER', 'TEA-JP-100') ORDER BY p.sku;
-- Store products without a SKU get woo-<connection>-<store id>.
SELECT regexp_replace(p.sku, '^woo-[0-9]+-', 'woo-C-') AS sku, p.name
  FROM woocommerce.product p JOIN woocommerce.product_sync s ON s.product_id = p.id
 WHERE s.woo_product_id IN (17, 23) ORDER BY s.woo_product_id;
-- Attributes: mapped by name (Color) or slug (pa_size), others kept
-- under their own name (Material); the slug field went to short_description.
SELECT p.sku, p.type, p.attributes, p.short_description, parent.sku AS parent
  FROM woocommerce.product p LEFT JOIN woocommerce.product parent ON parent.id = p.parent_id
 WHERE p.sku IN ('HOODIE-CLASSIC', 'HOODIE-BLUE-M', 'TEE-LOGO', 'TEE-LOGO-GREEN-BW') ORDER BY p.sku;
SELECT count(*) FILTER (WHERE p.parent_id IS NULL) AS products, count(*) FILTER (WHERE p.parent_id IS NOT NULL) AS variations
  FROM woocommerce.product p;
:load_products
SELECT count(*) AS store_rows, count(s.id) AS linked
  FROM store_products sp LEFT JOIN woocommerce.product_sync s ON s.woo_product_id = sp.id AND s.connection_id = :conn;
SELECT created, updated, skipped, failed, requests, high_water_mark IS NOT NULL AS has_mark
  FROM woocommerce.sync_run ORDER BY id;

-- Exported right after, the imported products are unchanged: no request.
:clear_log
SELECT action, count(*) FROM woocommerce.export_products(:conn) GROUP BY action;
:load_log
SELECT count(*) AS requests FROM store_log;

-- Incremental: nothing changed since the last import.
:clear_log
SELECT count(*) AS imported FROM woocommerce.import_products(:conn);
:load_log
SELECT entry->'query'->'dates_are_gmt' AS dates_are_gmt, entry->'query' ? 'modified_after' AS has_modified_after
  FROM store_log WHERE entry->>'path' = '/wp-json/wc/v3/products';

-- Three changes in the store: two products and a variation (which bumps
-- its parent): exactly those come in.
\! python3 sql/include/sync_store.py put products/12 '{"regular_price": "4.20"}'
\! python3 sql/include/sync_store.py put products/40 '{"name": "Renamed &amp; improved"}'
\! python3 sql/include/sync_store.py put products/26/variations/27 '{"regular_price": "41.00"}'
-- (A statement does not see what a function it calls wrote: results go
-- to a table first.)
CREATE TEMP TABLE imported AS SELECT * FROM woocommerce.import_products(:conn);
SELECT i.woo_product_id, i.action, p.sku, p.name, p.regular_price
  FROM imported i JOIN woocommerce.product p ON p.id = i.product_id ORDER BY 1;

-- update_existing => false leaves local products as they are.
UPDATE woocommerce.product SET name = 'Kept locally' WHERE sku = 'MUG-CAFE';
TRUNCATE imported;
INSERT INTO imported SELECT * FROM woocommerce.import_products(:conn, ARRAY[11, 10], update_existing => false);
SELECT i.woo_product_id, i.action, p.name FROM imported i JOIN woocommerce.product p ON p.id = i.product_id ORDER BY 1;
TRUNCATE imported;
INSERT INTO imported SELECT * FROM woocommerce.import_products(:conn, ARRAY[11]);
SELECT i.woo_product_id, i.action, p.name FROM imported i JOIN woocommerce.product p ON p.id = i.product_id;

-- An explicit modified_after reads from there: the store is asked for
-- products modified after that instant (in UTC), not for everything since
-- the last run's mark, which would also find nothing new.
:clear_log
SELECT count(*) AS since_2030 FROM woocommerce.import_products(:conn, modified_after => '2030-01-01 00:00:00+00');
:load_log
SELECT entry->'query'->'modified_after' AS modified_after, entry->'query'->'dates_are_gmt' AS dates_are_gmt, count(*)
  FROM store_log WHERE entry->>'path' = '/wp-json/wc/v3/products' GROUP BY 1, 2;

SELECT pg_temp.try('SELECT * FROM woocommerce.import_products(1000000)');
SELECT pg_temp.try(format('SELECT * FROM woocommerce.import_products(%s, ARRAY[NULL::bigint])', :conn));
