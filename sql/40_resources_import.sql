-- IMPORT FOREIGN SCHEMA of every resource of the catalogue: one OPTIONS
-- request per table, every column typed from the store's own schema (ids
-- bigint, text keys text, decimals numeric, dates timestamptz from their
-- *_gmt twins, arrays jsonb), parents and report parameters as columns,
-- and a route the store does not publish skipped with a NOTICE.
\i sql/include/test_store.psql

\i sql/include/try_statement.psql

CREATE SERVER res_store FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url :'https', ca_file :'ca');
CREATE USER MAPPING FOR CURRENT_USER SERVER res_store OPTIONS (consumer_key :'ro_key', consumer_secret :'ro_secret');
CREATE SCHEMA res;

-- Every table: one OPTIONS per collection (nested ones under any parent key).
\! python3 test/store/store_log.py clear
IMPORT FOREIGN SCHEMA woocommerce FROM SERVER res_store INTO res;
\! python3 test/store/store_log.py show --sort
\! python3 test/store/store_log.py count
SELECT c.relname, ft.ftoptions FROM pg_foreign_table ft JOIN pg_class c ON c.oid = ft.ftrelid
 WHERE c.relnamespace = 'res'::regnamespace ORDER BY 1;

-- Every column of every table, as the store's schemas type them.
SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type,
       CASE WHEN a.attnotnull THEN 'not null' ELSE '' END AS key, a.attfdwoptions AS options
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
 WHERE c.relnamespace = 'res'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
   AND c.relname NOT IN ('products', 'variations', 'orders', 'customers')  -- 30_read_path
 ORDER BY c.relname, a.attnum;
-- The columns of orders and customers that the catalogue shapes: the
-- product filter column, read-only totals as numeric, the key.
SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type, a.attfdwoptions
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
 WHERE c.relnamespace = 'res'::regnamespace AND c.relname IN ('orders', 'customers')
   AND a.attname IN ('id', 'status', 'total', 'customer_id', 'line_items', 'product', 'set_paid', 'username', 'email')
 ORDER BY c.relname, a.attnum;

-- LIMIT TO and EXCEPT take the catalogue's names.
CREATE SCHEMA res_some;
IMPORT FOREIGN SCHEMA woocommerce LIMIT TO (order_notes, settings_options, report_sales)
  FROM SERVER res_store INTO res_some;
SELECT relname FROM pg_class WHERE relnamespace = 'res_some'::regnamespace ORDER BY 1;
SET client_min_messages = warning;
DROP SCHEMA res_some CASCADE;
RESET client_min_messages;
CREATE SCHEMA res_some;
\! python3 test/store/store_log.py clear
IMPORT FOREIGN SCHEMA woocommerce EXCEPT (products, variations, categories, tags, attributes, attribute_terms,
  brands, shipping_classes, reviews, orders, order_notes, order_refunds, order_statuses, customers,
  customer_downloads, coupons, tax_rates, tax_classes, shipping_zones, shipping_zone_locations,
  shipping_zone_methods, shipping_methods, payment_gateways, settings_groups, settings_options, webhooks,
  report_sales, report_top_sellers, report_orders_totals, report_products_totals, report_customers_totals,
  report_coupons_totals, report_reviews_totals, continents, countries, currencies)
  FROM SERVER res_store INTO res_some;
\! python3 test/store/store_log.py show --sort
SELECT relname FROM pg_class WHERE relnamespace = 'res_some'::regnamespace ORDER BY 1;
SET client_min_messages = warning;
DROP SCHEMA res_some CASCADE;
RESET client_min_messages;
SELECT * FROM try_statement('IMPORT FOREIGN SCHEMA woocommerce LIMIT TO (order_note) FROM SERVER res_store INTO res');

-- A store without a route (brands came with WooCommerce 9.6): skipped with a
-- NOTICE when importing everything, an error when LIMIT TO names it.
CREATE SCHEMA res_old;
\! curl -sf -o /dev/null -X POST -d '{"path_prefix": "/wp-json/wc/v3/products/brands", "method": "OPTIONS", "kind": "status", "status": 404, "count": -1, "body": {"code": "rest_no_route", "message": "No route was found matching the URL and request method.", "data": {"status": 404}}}' "$WOO_STORE_HTTP/__store/faults"
IMPORT FOREIGN SCHEMA woocommerce FROM SERVER res_store INTO res_old;
SELECT count(*) AS tables, bool_or(relname = 'brands') AS has_brands
  FROM pg_class WHERE relnamespace = 'res_old'::regnamespace;
SELECT * FROM try_statement('IMPORT FOREIGN SCHEMA woocommerce LIMIT TO (brands) FROM SERVER res_store INTO res_old');
-- Any other failure still fails the whole import (nothing half-imported).
\! curl -sf -o /dev/null -X DELETE "$WOO_STORE_HTTP/__store/faults"
\! curl -sf -o /dev/null -X POST -d '{"path_prefix": "/wp-json/wc/v3/webhooks", "method": "OPTIONS", "kind": "status", "status": 403, "count": -1, "body": {"code": "woocommerce_rest_cannot_view", "message": "Sorry, you cannot list resources.", "data": {"status": 403}}}' "$WOO_STORE_HTTP/__store/faults"
CREATE SCHEMA res_none;
SELECT sqlstate, message FROM try_statement('IMPORT FOREIGN SCHEMA woocommerce FROM SERVER res_store INTO res_none');
SELECT count(*) AS tables FROM pg_class WHERE relnamespace = 'res_none'::regnamespace;
\! curl -sf -o /dev/null -X DELETE "$WOO_STORE_HTTP/__store/faults"

SET client_min_messages = warning;
DROP SCHEMA res_old CASCADE;
DROP SCHEMA res_none;
DROP SCHEMA res CASCADE;
DROP USER MAPPING FOR CURRENT_USER SERVER res_store;
DROP SERVER res_store;
