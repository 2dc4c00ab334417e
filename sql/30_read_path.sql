-- The read path against the test store: IMPORT FOREIGN SCHEMA, every
-- pushdown case with EXPLAIN and results, request counts from the store's
-- log, joins as parameterized lookups, count(*), LIMIT, strict conversion.
\i sql/include/test_store.psql

\i sql/include/try_statement.psql

-- (psql echoes statements before it substitutes :'variables': no port or path in the output)
CREATE SERVER shop_store FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url :'https', ca_file :'ca');
CREATE USER MAPPING FOR CURRENT_USER SERVER shop_store OPTIONS (consumer_key :'ro_key', consumer_secret :'ro_secret');

-- IMPORT FOREIGN SCHEMA -------------------------------------------------------
CREATE SCHEMA shop;
SELECT * FROM try_statement('IMPORT FOREIGN SCHEMA public FROM SERVER shop_store INTO shop');
SELECT * FROM try_statement('IMPORT FOREIGN SCHEMA woocommerce LIMIT TO (product) FROM SERVER shop_store INTO shop');
\! python3 test/store/store_log.py clear
\! curl -sf -o /dev/null -X POST -d '{"latency_ms": 200}' "$WOO_STORE_HTTP/__store/config"
IMPORT FOREIGN SCHEMA woocommerce FROM SERVER shop_store INTO shop;
\! curl -sf -o /dev/null -X POST -d '{"latency_ms": 0}' "$WOO_STORE_HTTP/__store/config"
-- One OPTIONS request per resource, no more, sent in parallel (4 at once:
-- the server's concurrency; 200 ms of latency makes them overlap, new TLS
-- connections and a busy machine included).
\! python3 test/store/store_log.py show --sort
\! python3 test/store/store_log.py max-in-flight
SELECT c.relname, ftoptions FROM pg_foreign_table ft JOIN pg_class c ON c.oid = ft.ftrelid
 WHERE c.relnamespace = 'shop'::regnamespace ORDER BY 1;
-- Typed columns: ids bigint, prices numeric, quantities integer, dates from
-- the *_gmt twins, arrays and objects jsonb, the whole object in attrs.
SELECT attname, format_type(atttypid, atttypmod) AS type, attfdwoptions
  FROM pg_attribute WHERE attrelid = 'shop.products'::regclass AND attnum > 0
   AND attname IN ('id', 'name', 'sku', 'regular_price', 'sale_price', 'price', 'stock_quantity', 'low_stock_amount',
                   'featured', 'date_created', 'date_modified', 'categories', 'dimensions', 'weight', 'parent_id',
                   'shipping_class_id', 'global_unique_id', 'category', 'tag', 'attrs')
 ORDER BY attnum;
SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute
 WHERE attrelid = 'shop.variations'::regclass AND attname IN ('parent_id', 'name', 'date_created') ORDER BY attnum;
SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute
 WHERE attrelid = 'shop.attribute_terms'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum;
SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute
 WHERE attrelid = 'shop.orders'::regclass AND attname IN ('total', 'total_tax', 'customer_id', 'line_items', 'date_paid')
 ORDER BY attnum;
CREATE SCHEMA shop_some;
IMPORT FOREIGN SCHEMA woocommerce LIMIT TO (products, variations) FROM SERVER shop_store INTO shop_some;
IMPORT FOREIGN SCHEMA woocommerce EXCEPT (products, variations, orders, customers) FROM SERVER shop_store INTO shop_some;
SELECT relname FROM pg_class WHERE relnamespace = 'shop_some'::regnamespace ORDER BY 1;
DROP SCHEMA shop_some CASCADE;

-- Reading ---------------------------------------------------------------------
SELECT id, sku, name, type, regular_price, sale_price, price, on_sale, stock_status, date_created, category
  FROM shop.products ORDER BY id LIMIT 6;
-- Names WooCommerce HTML-escapes come back decoded.
SELECT id, name FROM shop.categories WHERE name LIKE '%&%';
-- attrs holds the whole object.
SELECT attrs->>'sku' AS sku, attrs->'dimensions' AS dimensions FROM shop.products WHERE id = 11;

-- Pushdown: what is asked (EXPLAIN makes no request) and what comes back ------
\! python3 test/store/store_log.py clear
EXPLAIN (VERBOSE, COSTS OFF) SELECT sku, name FROM shop.products WHERE id = 11;
EXPLAIN (COSTS OFF) SELECT sku FROM shop.products WHERE id = ANY ('{10,12,999}');
EXPLAIN (COSTS OFF) SELECT sku FROM shop.products WHERE sku = 'MUG-CAFE';
EXPLAIN (COSTS OFF) SELECT sku FROM shop.products WHERE sku IN ('MUG-CAFE', 'HOODIE-RED-M', 'TEA-JP-100');
EXPLAIN (COSTS OFF) SELECT sku FROM shop.products WHERE status = 'draft' AND type = 'simple';
EXPLAIN (COSTS OFF) SELECT sku FROM shop.products WHERE stock_status = 'outofstock';
EXPLAIN (COSTS OFF) SELECT sku FROM shop.products WHERE featured;
EXPLAIN (COSTS OFF) SELECT sku FROM shop.products WHERE NOT on_sale;
EXPLAIN (COSTS OFF) SELECT sku FROM shop.products WHERE category = 22;
EXPLAIN (COSTS OFF) SELECT sku FROM shop.products WHERE tag = ANY ('{23,24}');
EXPLAIN (COSTS OFF) SELECT sku FROM shop.products WHERE slug = 'plain-ceramic-mug';
EXPLAIN (COSTS OFF) SELECT sku FROM shop.products WHERE parent_id = 0 AND id < 12;
EXPLAIN (COSTS OFF) SELECT sku FROM shop.products
 WHERE date_modified >= '2025-03-03 09:03:00+00' AND date_modified < '2025-03-03 09:05:00.5+00';
EXPLAIN (COSTS OFF) SELECT sku FROM shop.products WHERE date_created > '2025-01-01';
EXPLAIN (COSTS OFF) SELECT sku FROM shop.products WHERE name ILIKE '%mug%';
EXPLAIN (COSTS OFF) SELECT sku FROM shop.products WHERE name ILIKE 'mug%';
EXPLAIN (COSTS OFF) SELECT sku FROM shop.products WHERE status = 'bogus';
EXPLAIN (COSTS OFF) SELECT sku FROM shop.products WHERE id = 11 AND id = 12;
EXPLAIN (COSTS OFF) SELECT sku FROM shop.variations WHERE parent_id = 26;
EXPLAIN (COSTS OFF) SELECT sku FROM shop.variations;
EXPLAIN (COSTS OFF) SELECT name FROM shop.attribute_terms WHERE attribute_id = 1;
EXPLAIN (COSTS OFF) SELECT name FROM shop.categories WHERE parent = 16;
EXPLAIN (COSTS OFF) SELECT id FROM shop.orders WHERE status = 'completed' AND customer_id = 3;
EXPLAIN (COSTS OFF) SELECT id FROM shop.customers WHERE email = 'ana.lima@example.com';
\! python3 test/store/store_log.py count
\! python3 test/store/store_log.py clear

SELECT id, sku FROM shop.products WHERE id = 11;
SELECT id, sku FROM shop.products WHERE id = ANY ('{10,12,999}') ORDER BY id;
-- sku= also finds variations in WooCommerce; they are not products rows.
SELECT id, sku FROM shop.products WHERE sku IN ('MUG-CAFE', 'HOODIE-RED-M', 'TEA-JP-100') ORDER BY id;
SELECT id, sku FROM shop.variations WHERE sku IN ('MUG-CAFE', 'HOODIE-RED-M') ORDER BY id;
SELECT sku, status, type FROM shop.products WHERE status = 'draft' AND type = 'simple';
SELECT sku FROM shop.products WHERE stock_status = 'outofstock';
SELECT sku FROM shop.products WHERE featured;
SELECT count(*) AS not_on_sale FROM shop.products WHERE NOT on_sale;
-- category is the matching category id: direct members only (the store also
-- returns products of child categories; the recheck drops them).
SELECT sku, category, categories->0->>'name' AS first_category FROM shop.products WHERE category = 22 ORDER BY id;
SELECT sku, tag FROM shop.products WHERE tag = ANY ('{23,24}') ORDER BY id;
SELECT sku FROM shop.products WHERE slug = 'plain-ceramic-mug';
SELECT sku, date_modified FROM shop.products
 WHERE date_modified >= '2025-03-03 09:03:00+00' AND date_modified < '2025-03-03 09:05:00.5+00' ORDER BY id;
SELECT sku FROM shop.products WHERE name ILIKE '%mug%' ORDER BY id;
SELECT sku FROM shop.products WHERE status = 'bogus';
SELECT parent_id, sku, regular_price, attributes->0->>'option' AS option FROM shop.variations
 WHERE parent_id = 26 ORDER BY id LIMIT 3;
SELECT parent_id, count(*) FROM shop.variations GROUP BY parent_id ORDER BY parent_id;
SELECT attribute_id, name, slug FROM shop.attribute_terms WHERE attribute_id = 1 ORDER BY id;
SELECT count(*) AS all_terms FROM shop.attribute_terms;
SELECT id, name FROM shop.attributes ORDER BY id;
SELECT name, parent FROM shop.categories WHERE parent = 16 ORDER BY id;
SELECT id, status, customer_id, total FROM shop.orders ORDER BY id;
SELECT id, first_name FROM shop.customers WHERE email = 'ana.lima@example.com';
-- What these queries asked the store: the requests EXPLAIN showed above,
-- not lists of every product filtered here (the local recheck would hide
-- that in the results).
\! python3 test/store/store_log.py show --sort

-- Request counts ----------------------------------------------------------------
-- A point lookup is one request.
\! python3 test/store/store_log.py clear
SELECT sku FROM shop.products WHERE id = 12;
\! python3 test/store/store_log.py show
-- count(*) over pushable conditions: one request, answered by X-WP-Total.
\! python3 test/store/store_log.py clear
EXPLAIN (COSTS OFF) SELECT count(*) FROM shop.products WHERE stock_status = 'instock';
SELECT count(*) FROM shop.products WHERE stock_status = 'instock';
SELECT count(*) FROM shop.products;
\! python3 test/store/store_log.py show
-- ... not when a condition stays local: it counts the rows it lists.
EXPLAIN (COSTS OFF) SELECT count(*) FROM shop.products WHERE sku LIKE 'MUG%';
\! python3 test/store/store_log.py clear
SELECT count(*) AS mugs FROM shop.products WHERE sku LIKE 'MUG%';
\! python3 test/store/store_log.py show
SELECT count(*) AS mugs_listed FROM (SELECT sku FROM shop.products OFFSET 0) p WHERE sku LIKE 'MUG%';
-- The join asks for one product and its variations: two requests.
\! python3 test/store/store_log.py clear
EXPLAIN (COSTS OFF)
SELECT p.sku, v.sku FROM shop.products p JOIN shop.variations v ON v.parent_id = p.id WHERE p.sku = 'TEE-LOGO';
SELECT p.sku AS product, v.sku AS variation, v.regular_price
  FROM shop.products p JOIN shop.variations v ON v.parent_id = p.id WHERE p.sku = 'TEE-LOGO' ORDER BY v.id;
\! python3 test/store/store_log.py show
-- LIMIT stops fetching: a page of 3, not the catalogue.
\! python3 test/store/store_log.py clear
SELECT sku FROM shop.products LIMIT 3;
\! python3 test/store/store_log.py show
-- ... and never drops rows a local filter keeps (it pages on).
SELECT sku FROM shop.products WHERE sku LIKE 'BULK%' LIMIT 2;

-- 10,000 products: 100 requests of 100, pages fetched 4 at a time (the
-- default concurrency): the store's log shows at most 4 requests in flight
-- at once, and 4 at some point. (50 ms of latency per request makes the
-- requests of a window overlap in the store however busy the machine is.)
\! curl -sf -o /dev/null -X POST -d '{"products": 10000}' "$WOO_STORE_HTTP/__store/reset"
\! curl -sf -o /dev/null -X POST -d '{"latency_ms": 50}' "$WOO_STORE_HTTP/__store/config"
\! python3 test/store/store_log.py clear
SELECT count(*), count(DISTINCT id), min(id), max(id), sum(regular_price) IS NOT NULL AS priced
  FROM (SELECT id, regular_price FROM shop.products OFFSET 0) s;
\! python3 test/store/store_log.py count
\! python3 test/store/store_log.py max-in-flight
\! curl -sf -o /dev/null -X POST -d '{"latency_ms": 0}' "$WOO_STORE_HTTP/__store/config"
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT count(*) FROM shop.products;
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/reset"

-- use_remote_estimate: the planner asks X-WP-Total (one request) for row estimates.
CREATE FUNCTION plan_rows(q text) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE p json;
BEGIN
  EXECUTE 'EXPLAIN (FORMAT JSON) ' || q INTO p;
  RETURN (p->0->'Plan'->>'Plan Rows')::numeric;
END $$;
SELECT plan_rows($q$SELECT * FROM shop.products WHERE stock_status = 'instock'$q$) AS default_estimate;
ALTER FOREIGN TABLE shop.products OPTIONS (ADD use_remote_estimate 'true');
\! python3 test/store/store_log.py clear
SELECT plan_rows($q$SELECT * FROM shop.products WHERE stock_status = 'instock'$q$) AS remote_estimate;
\! python3 test/store/store_log.py show
ALTER FOREIGN TABLE shop.products OPTIONS (DROP use_remote_estimate);
DROP FUNCTION plan_rows(text);

-- Strict conversion -------------------------------------------------------------
CREATE FOREIGN TABLE shop.odd_products (id bigint, sku integer, name text OPTIONS (field 'name'))
  SERVER shop_store OPTIONS (resource 'products');
SELECT * FROM try_statement('SELECT * FROM shop.odd_products WHERE id = 11');
-- Missing members are NULL; dotted paths reach into objects.
CREATE FOREIGN TABLE shop.product_sizes (id bigint, length numeric OPTIONS (field 'dimensions.length'),
                                         missing text OPTIONS (field 'no_such_member'))
  SERVER shop_store OPTIONS (resource 'products');
SELECT * FROM shop.product_sizes WHERE id = 26;
-- A table named like its resource needs no resource option.
CREATE FOREIGN TABLE tags (id bigint, name text, slug text) SERVER shop_store;
SELECT * FROM tags ORDER BY id LIMIT 2;
CREATE FOREIGN TABLE shop.nothing (id bigint) SERVER shop_store;
SELECT * FROM try_statement('SELECT * FROM shop.nothing');
DROP FOREIGN TABLE tags, shop.nothing, shop.odd_products, shop.product_sizes;
