-- An export records what the store answered, not what it sent (issue 17,
-- item 1): WooCommerce's write rules (stock_quantity only with
-- manage_stock, no prices on variable products, a variation's attributes
-- only from its parent) against the test store, with the request bodies
-- from the store's log and the store's products read through a foreign
-- table. Foreign-table writes warn the same way.
\i sql/include/sync_setup.psql
SELECT id AS conn, server_name FROM woocommerce.create_connection('Answers shop', :'http', :'rw_key', :'rw_secret') \gset
CREATE SCHEMA answers_store;
IMPORT FOREIGN SCHEMA woocommerce LIMIT TO (products, variations) FROM SERVER :server_name INTO answers_store;

-- README's example mapping exports stock_quantity without naming
-- manage_stock: the quantity travels with manage_stock, and the store keeps it.
SELECT name FROM woocommerce.create_export_mapping(:conn, 'Prices and stock',
    selected_fields => ARRAY['name', 'sku', 'regular_price', 'sale_price', 'stock_quantity']);
INSERT INTO woocommerce.product (sku, name, regular_price, stock_quantity, manage_stock)
VALUES ('TRUTH-1', 'Truth mug', 9.5, 2, true) RETURNING id AS truth \gset
:clear_log
SELECT action, fields, warning FROM woocommerce.export_products(:conn);
:load_log
SELECT c - 'name' AS create_item FROM store_log, jsonb_array_elements(entry->'body'->'create') c;
SELECT sku, manage_stock, stock_quantity FROM answers_store.products WHERE sku = 'TRUTH-1';
SELECT s.sync_status, s.last_error, s.last_exchanged->'stock_quantity' AS exchanged_quantity
  FROM woocommerce.product_sync s WHERE s.product_id = :truth;

-- A shop manager turns stock management off in the store. The next
-- quantity is dropped by the store: the export says so (action updated,
-- with a warning), the product is 'pending' with the warning in last_error,
-- last_exchanged holds what the store has, and the run counts the warning.
SELECT woo_product_id AS truth_woo FROM woocommerce.product_sync WHERE product_id = :truth \gset
\setenv TRUTH_WOO :truth_woo
\! python3 sql/include/sync_store.py put "products/$TRUTH_WOO" '{"manage_stock": false}'
UPDATE woocommerce.product SET stock_quantity = 3 WHERE id = :truth;
:clear_log
SELECT action, fields, warning FROM woocommerce.export_products(:conn);
:load_log
SELECT (entry->'body'->'update'->0) - 'id' AS update_item FROM store_log;
SELECT s.sync_status, s.last_error = e.warning AS last_error_is_the_warning,
       s.last_exchanged->'stock_quantity' AS exchanged_quantity, s.last_exchanged->'manage_stock' AS exchanged_manage_stock
  FROM woocommerce.product_sync s, (SELECT r.warning FROM woocommerce.sync_run x, jsonb_to_recordset(x.errors) AS r(warning text)
                                     WHERE x.id = (SELECT max(id) FROM woocommerce.sync_run)) e
 WHERE s.product_id = :truth;
SELECT created, updated, unchanged, failed, warnings, status FROM woocommerce.sync_run ORDER BY id DESC LIMIT 1;
SELECT total, synced, pending FROM woocommerce.sync_status(:conn);

-- The next export sends the quantity again, with manage_stock: the store
-- keeps both, the product is synced.
:clear_log
SELECT action, fields, warning FROM woocommerce.export_products(:conn);
:load_log
SELECT (entry->'body'->'update'->0) - 'id' AS update_item FROM store_log;
SELECT sku, manage_stock, stock_quantity FROM answers_store.products WHERE sku = 'TRUTH-1';
SELECT s.sync_status, s.last_error FROM woocommerce.product_sync s WHERE s.product_id = :truth;
-- And then nothing is left to send.
:clear_log
SELECT action, fields, warning FROM woocommerce.export_products(:conn);
:load_log
SELECT count(*) AS requests FROM store_log;
SELECT woocommerce.delete_export_mapping(id) FROM woocommerce.export_mapping WHERE connection_id = :conn;

-- Rules WooCommerce applies by product type: a variable product has no
-- prices of its own (not sent: the store would blank them), and with
-- managed stock the stock status follows the quantity (not sent either).
-- A variation keeps only the attributes its parent has as variation
-- attributes: the one the parent lacks is reported.
INSERT INTO woocommerce.product (sku, name, type, regular_price, attributes)
VALUES ('TRUTH-VAR', 'Truth tee', 'variable', 25, '{"Color": ["Red", "Blue"]}') RETURNING id AS var \gset
INSERT INTO woocommerce.product (sku, name, type, parent_id, regular_price, attributes, manage_stock, stock_quantity, stock_status)
VALUES ('TRUTH-VAR-RED', 'Red', 'variation', :var, 20, '{"Color": ["Red"], "Size": ["M"]}', true, 0, 'instock');
:clear_log
SELECT p.sku, e.action, e.warning
  FROM woocommerce.export_products(:conn, (SELECT array_agg(id) FROM woocommerce.product WHERE sku LIKE 'TRUTH-VAR%')) e
  JOIN woocommerce.product p ON p.id = e.product_id ORDER BY p.id;
:load_log
SELECT c->>'sku' AS sku, c ? 'regular_price' AS has_regular_price, c ? 'stock_status' AS has_stock_status,
       c->'attributes' AS attributes
  FROM store_log, jsonb_array_elements(entry->'body'->'create') c ORDER BY 1;
SELECT sku, stock_status FROM answers_store.variations WHERE sku = 'TRUTH-VAR-RED';
SELECT p.sku, s.sync_status FROM woocommerce.product_sync s JOIN woocommerce.product p ON p.id = s.product_id
 WHERE p.sku LIKE 'TRUTH-VAR%' ORDER BY p.id;

-- Foreign-table writes compare the store's answer too: a WARNING per row
-- that the store did not keep as written, or kept without applying.
INSERT INTO answers_store.products (name, sku, stock_quantity) VALUES ('Unmanaged', 'TRUTH-FT-1', 7)
RETURNING sku, manage_stock, stock_quantity;
INSERT INTO answers_store.products (name, sku, regular_price, sale_price) VALUES ('Odd sale', 'TRUTH-FT-2', 10, 12)
RETURNING sku, regular_price, sale_price, on_sale;
UPDATE answers_store.products SET stock_quantity = 4, manage_stock = true WHERE sku = 'TRUTH-FT-1'
RETURNING sku, manage_stock, stock_quantity;
-- Batched inserts (no RETURNING) warn per row as well.
INSERT INTO answers_store.products (name, sku, stock_quantity) VALUES ('Batch 1', 'TRUTH-FT-3', 1), ('Batch 2', 'TRUTH-FT-4', 2);

DROP SCHEMA answers_store CASCADE;
