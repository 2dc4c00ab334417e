-- The write path against the test store: batched INSERT, RETURNING, UPDATE
-- sending only the assigned members, DELETE (force or trash), nested
-- resources, bad input refused before any request, and honest reports of
-- what a failed statement already changed in the store.
\i sql/include/test_store.psql

\i sql/include/try_statement.psql

CREATE SERVER write_store FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url :'https', ca_file :'ca');
CREATE USER MAPPING FOR CURRENT_USER SERVER write_store OPTIONS (consumer_key :'rw_key', consumer_secret :'rw_secret');
CREATE SCHEMA w;
IMPORT FOREIGN SCHEMA woocommerce
  LIMIT TO (products, variations, categories, tags, attributes, attribute_terms, orders, customers)
  FROM SERVER write_store INTO w;

-- INSERT ... RETURNING: one request per row, and RETURNING shows what the store made.
\! python3 test/store/store_log.py clear
INSERT INTO w.products (name, sku, regular_price, sale_price, stock_status)
VALUES ('Enamel Mug', 'ENAMEL-1', 14.90, 12.00, 'instock')
RETURNING id > 0 AS has_id, sku, slug, regular_price, sale_price, price, on_sale, status, type,
          date_created IS NOT NULL AS dated;
\! python3 test/store/store_log.py show --body

-- INSERT ... SELECT of 1,000 rows: ten batch requests of 100, up to
-- concurrency (4) of them in flight at once although PostgreSQL hands the
-- batches over one at a time (the store answers each after 100 ms here).
\! python3 test/store/store_log.py clear
EXPLAIN (COSTS OFF) INSERT INTO w.products (name, sku, regular_price) SELECT 'x', 'y', 1;
\! curl -sf -o /dev/null -X POST -d '{"latency_ms": 100}' "$WOO_STORE_HTTP/__store/config"
INSERT INTO w.products (name, sku, regular_price, status)
SELECT 'Batch mug ' || g, 'BMUG-' || lpad(g::text, 4, '0'), (g % 50) + 0.99, 'draft' FROM generate_series(1, 1000) g;
\! curl -sf -o /dev/null -X POST -d '{"latency_ms": 0}' "$WOO_STORE_HTTP/__store/config"
\! python3 test/store/store_log.py count
\! python3 test/store/store_log.py show | sed 's/?.*//' | sort | uniq -c
\! python3 test/store/store_log.py max-in-flight --method POST
SELECT count(*), min(sku), max(sku), sum(regular_price) FROM w.products WHERE sku LIKE 'BMUG-%';

-- UPDATE sends only the assigned member (and no other): one request per row.
\! python3 test/store/store_log.py clear
UPDATE w.products SET regular_price = regular_price * 2 WHERE sku = 'ENAMEL-1' RETURNING sku, regular_price, price;
\! python3 test/store/store_log.py show --method PUT --body
-- NULL clears a sale price ("" in WooCommerce); arrays are sent whole.
\! python3 test/store/store_log.py clear
UPDATE w.products SET sale_price = NULL, categories = '[{"id": 19}, {"id": 20}]' WHERE sku = 'ENAMEL-1'
RETURNING sku, sale_price, price, on_sale, jsonb_path_query_array(categories, '$[*].name') AS category_names;
\! python3 test/store/store_log.py show --method PUT --body
-- attrs writes any member not mapped to a column; dotted fields nest.
CREATE FOREIGN TABLE w.product_sizes (id bigint, sku text, length numeric OPTIONS (field 'dimensions.length'))
  SERVER write_store OPTIONS (resource 'products');
\! python3 test/store/store_log.py clear
UPDATE w.product_sizes SET length = 12.5 WHERE sku = 'ENAMEL-1' RETURNING sku, length;
\! python3 test/store/store_log.py show --method PUT --body
UPDATE w.products SET attrs = '{"purchase_note": "Handle with care", "menu_order": 3}' WHERE sku = 'ENAMEL-1'
RETURNING sku, purchase_note, menu_order;

-- Bad input is refused before any request.
\! python3 test/store/store_log.py clear
SELECT * FROM try_statement($$INSERT INTO w.products (name, sku, regular_price) VALUES ('Neg', 'NEG-1', -1)$$);
SELECT * FROM try_statement($$INSERT INTO w.products (name, sku, status) VALUES ('Bad', 'BAD-1', 'bogus')$$);
SELECT * FROM try_statement($$INSERT INTO w.products (name, sku, stock_status) VALUES ('Bad', 'BAD-2', 'plenty')$$);
SELECT * FROM try_statement($$INSERT INTO w.products (name, sku) VALUES ('A', 'TWICE'), ('B', 'TWICE')$$);
SELECT * FROM try_statement($$UPDATE w.products SET price = 3 WHERE id = 11$$);
SELECT * FROM try_statement($$UPDATE w.products SET category = 15 WHERE id = 11$$);
SELECT * FROM try_statement($$UPDATE w.orders SET total = 1 WHERE id = 42$$);
SELECT * FROM try_statement($$INSERT INTO w.customers (first_name) VALUES ('Ana')$$);
SELECT * FROM try_statement($$UPDATE w.variations SET parent_id = 35 WHERE id = 27$$);
\! python3 test/store/store_log.py count

-- A SKU the store already has: 23505, and the detail names its owner.
SELECT sqlstate, message, detail FROM try_statement($$INSERT INTO w.products (name, sku) VALUES ('Copy', 'MUG-CAFE') RETURNING id$$);
-- A batch where one item fails: the statement fails, naming the row, and
-- says exactly what the store already applied (batches are not transactional).
SELECT sqlstate, message, regexp_replace(detail, 'ids [0-9]+, [0-9]+', 'ids <a>, <b>') AS detail
  FROM try_statement($$INSERT INTO w.products (name, sku) VALUES ('One', 'PART-1'), ('Two', 'MUG-PLAIN'), ('Three', 'PART-3')$$);
SELECT sku FROM w.products WHERE sku IN ('PART-1', 'PART-3') ORDER BY sku;

-- DELETE removes permanently by default; the trash option moves to the trash
-- (WooCommerce answers a trash with the product as it was before: RETURNING
-- shows its old status, real/77c; the SELECT after it finds it in the trash).
\! python3 test/store/store_log.py clear
DELETE FROM w.products WHERE sku = 'PART-1' RETURNING sku, name;
\! python3 test/store/store_log.py show --method DELETE
SELECT count(*) AS still_there FROM w.products WHERE sku = 'PART-1';
CREATE FOREIGN TABLE w.trashable (id bigint, sku text, status text) SERVER write_store
  OPTIONS (resource 'products', trash 'true');
\! python3 test/store/store_log.py clear
DELETE FROM w.trashable WHERE sku = 'PART-3' RETURNING sku, status;
\! python3 test/store/store_log.py show --method DELETE
SELECT sku, status FROM w.products WHERE sku = 'PART-3' AND status = 'trash';

-- Variations live under their parent: batch per parent, PUT by parent and id.
\! python3 test/store/store_log.py clear
INSERT INTO w.variations (parent_id, sku, regular_price, attributes)
VALUES (26, 'HOODIE-GREEN-S', 41, '[{"id": 1, "option": "Green"}, {"id": 2, "option": "S"}]'),
       (26, 'HOODIE-GREEN-M', 42, '[{"id": 1, "option": "Green"}, {"id": 2, "option": "M"}]');
UPDATE w.variations SET regular_price = 43 WHERE parent_id = 26 AND sku = 'HOODIE-GREEN-M' RETURNING parent_id, sku, regular_price;
\! python3 test/store/store_log.py show | sed -E 's/variations\/[0-9]+/variations\/<id>/; s/\?.*//'
SELECT parent_id, sku, regular_price FROM w.variations WHERE parent_id = 26 AND sku LIKE 'HOODIE-GREEN%' ORDER BY sku;
DELETE FROM w.variations WHERE parent_id = 26 AND sku LIKE 'HOODIE-GREEN%';

-- Categories and tags.
INSERT INTO w.categories (name, parent) VALUES ('Mugs', 21) RETURNING name, slug, parent;
INSERT INTO w.tags (name) VALUES ('Handmade') RETURNING name, slug;
UPDATE w.categories SET description = 'Cups and mugs' WHERE slug = 'mugs' RETURNING name, description;
DELETE FROM w.tags WHERE slug = 'handmade' RETURNING name;

DROP SCHEMA w CASCADE;
DROP USER MAPPING FOR CURRENT_USER SERVER write_store;
DROP SERVER write_store;
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/reset"
