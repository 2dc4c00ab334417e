-- Reading the resources beyond the catalog: nested collections under their
-- parents (order notes and refunds, zone locations and methods, settings
-- options under a text group id), text keys, lists answered whole, without
-- X-WP-Total or as one object, each endpoint's own filters, and count(*)
-- from X-WP-Total only where the endpoint sends it. What is asked comes from
-- the store's request log, not only from EXPLAIN.
\i sql/include/test_store.psql

\i sql/include/try_statement.psql

-- The store's data, written through its own API as a shop manager would:
-- notes on orders 42 and 43, a refund of order 43, two coupons, three
-- reviews (one held), two tax rates, a zone "Deutschland" with a location
-- and two methods, two webhooks.
\! python3 sql/include/resources_store.py seed

CREATE SERVER read_store FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url :'https', ca_file :'ca');
CREATE USER MAPPING FOR CURRENT_USER SERVER read_store OPTIONS (consumer_key :'ro_key', consumer_secret :'ro_secret');
CREATE SCHEMA r;
IMPORT FOREIGN SCHEMA woocommerce FROM SERVER read_store INTO r;

-- Nested collections ------------------------------------------------------------
-- Without an order: the orders are listed, then each one's notes.
\! python3 test/store/store_log.py clear
EXPLAIN (COSTS OFF) SELECT id, note FROM r.order_notes;
SELECT id, order_id, author, note, customer_note FROM r.order_notes ORDER BY id;
-- (the orders' notes are asked in parallel: sorted)
\! python3 test/store/store_log.py show --sort
-- One order: one request (notes come whole, without paging or X-WP-Total).
\! python3 test/store/store_log.py clear
SELECT id, note FROM r.order_notes WHERE order_id = 43 ORDER BY id;
\! python3 test/store/store_log.py show
-- Several orders: their lists in parallel (sorted here); a missing order has no notes.
\! python3 test/store/store_log.py clear
SELECT id, note FROM r.order_notes WHERE order_id = ANY ('{42,43,999}') ORDER BY id;
\! python3 test/store/store_log.py show --sort
\! python3 test/store/store_log.py clear
-- customer_note = true/false is WooCommerce's type=customer/internal.
SELECT id, note FROM r.order_notes WHERE order_id = 43 AND customer_note;
SELECT id, note FROM r.order_notes WHERE order_id = 43 AND NOT customer_note;
SELECT id, note FROM r.order_notes WHERE order_id = 43 AND id = 1;
\! python3 test/store/store_log.py show
-- Refunds: one order's list, or the refunds of every order in one list
-- (GET refunds, parent=... for several orders) instead of a request per order.
\! python3 test/store/store_log.py clear
EXPLAIN (COSTS OFF) SELECT id, amount FROM r.order_refunds;
EXPLAIN (COSTS OFF) SELECT id, amount FROM r.order_refunds WHERE order_id = 43;
EXPLAIN (COSTS OFF) SELECT id, amount FROM r.order_refunds WHERE order_id IN (42, 43);
SELECT id, order_id, amount, reason, refunded_payment FROM r.order_refunds;
SELECT id, order_id, amount FROM r.order_refunds WHERE order_id = 43;
SELECT id, order_id, amount FROM r.order_refunds WHERE order_id IN (42, 43);
SELECT id, order_id, amount FROM r.order_refunds WHERE order_id = 42;
\! python3 test/store/store_log.py show

-- An order with its notes and refunds: 1 + 2 requests, the joins are lookups
-- on the order's id.
\! python3 test/store/store_log.py clear
-- (PostgreSQL 17 and later leave out the join filters that o.id = 43
-- already implies, earlier versions show them: the plan is shown without.)
CREATE FUNCTION pg_temp.plan_without_join_filters(query text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE line text;
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
    IF line !~ '^\s*Join Filter: ' THEN RETURN NEXT line; END IF;
  END LOOP;
END $$;
SELECT line AS "QUERY PLAN" FROM pg_temp.plan_without_join_filters($$
SELECT o.id, o.status, n.note, f.amount
  FROM r.orders o LEFT JOIN r.order_notes n ON n.order_id = o.id LEFT JOIN r.order_refunds f ON f.order_id = o.id
 WHERE o.id = 43$$) AS line;
SELECT o.id, o.status, n.note, f.amount
  FROM r.orders o LEFT JOIN r.order_notes n ON n.order_id = o.id LEFT JOIN r.order_refunds f ON f.order_id = o.id
 WHERE o.id = 43 ORDER BY n.id;
\! python3 test/store/store_log.py show

-- Shipping zones (zone 0 included), their locations and methods.
\! python3 test/store/store_log.py clear
SELECT id, name, "order" FROM r.shipping_zones ORDER BY id;
SELECT zone_id, code, type FROM r.shipping_zone_locations ORDER BY zone_id, code;
SELECT zone_id, id, method_id, title, enabled, settings->'cost'->>'value' AS cost
  FROM r.shipping_zone_methods WHERE zone_id = 1 ORDER BY id;
\! python3 test/store/store_log.py show --sort

-- Settings options under a text group id.
\! python3 test/store/store_log.py clear
SELECT id, value, type FROM r.settings_options WHERE group_id = 'general' AND id LIKE 'woocommerce_currency%' ORDER BY id;
SELECT group_id, id, value FROM r.settings_options WHERE group_id = 'general' AND id = 'woocommerce_currency';
-- A group id WooCommerce cannot route asks nothing.
SELECT count(*) FROM r.settings_options WHERE group_id = 'gen/../eral';
\! python3 test/store/store_log.py show
-- Without a group: the groups, then each group's options.
\! python3 test/store/store_log.py clear
SELECT group_id, count(*) FROM r.settings_options GROUP BY group_id ORDER BY group_id;
\! python3 test/store/store_log.py count --path /wp-json/wc/v3/settings
SELECT id, label, parent_id FROM r.settings_groups WHERE id IN ('general', 'products', 'tax') ORDER BY id;

-- Text keys ---------------------------------------------------------------------
\! python3 test/store/store_log.py clear
SELECT id, title, enabled, "order" FROM r.payment_gateways ORDER BY id;
SELECT id, title FROM r.payment_gateways WHERE id = 'cod';
-- Not a key WooCommerce routes: the list and the recheck, never a path.
SELECT id FROM r.payment_gateways WHERE id = 'cod/../bacs';
SELECT code, name, jsonb_array_length(states) AS states FROM r.countries WHERE code = 'DE';
SELECT code, name FROM r.currencies WHERE code IN ('EUR', 'JPY') ORDER BY code;
SELECT code FROM r.currencies WHERE code = 'EURO';
SELECT id, name FROM r.system_status_tools WHERE id = 'clear_transients';
SELECT slug, name FROM r.tax_classes ORDER BY slug;
SELECT id, title FROM r.shipping_methods ORDER BY id;
\! python3 test/store/store_log.py show

-- One object, not a list ---------------------------------------------------------
\! python3 test/store/store_log.py clear
SELECT code, name FROM r.current_currency;
SELECT environment->>'version' AS version, jsonb_typeof(database) AS database FROM r.system_status;
\! python3 test/store/store_log.py show

-- Reports: their parameters as columns ---------------------------------------------
\! python3 test/store/store_log.py clear
SELECT period, date_min, date_max, total_orders, totals_grouped_by FROM r.report_sales;
SELECT period, total_orders, totals_grouped_by, jsonb_typeof(totals) AS totals FROM r.report_sales WHERE period = 'year';
SELECT date_min, date_max, (SELECT count(*) FROM jsonb_object_keys(totals)) AS days
  FROM r.report_sales WHERE date_min = '2025-04-01' AND date_max = '2025-04-07';
SELECT name, product_id, quantity, period FROM r.report_top_sellers WHERE period = 'month';
\! python3 test/store/store_log.py show
SELECT slug, name, total FROM r.report_orders_totals ORDER BY slug;
SELECT slug, total FROM r.report_reviews_totals ORDER BY slug;
SELECT * FROM try_statement($$SELECT * FROM r.report_sales WHERE period = 'monthly'$$);
SELECT * FROM try_statement($$SELECT * FROM r.report_sales WHERE period IN ('week', 'month')$$);

-- Each endpoint's filters: EXPLAIN shows the request, the log what was sent --
\! python3 test/store/store_log.py clear
EXPLAIN (COSTS OFF) SELECT id FROM r.orders WHERE status IN ('processing', 'completed') AND customer_id = 2;
EXPLAIN (COSTS OFF) SELECT id FROM r.orders WHERE product = 26;
EXPLAIN (COSTS OFF) SELECT id FROM r.orders WHERE created_via = 'rest-api' AND date_modified > '2025-04-01';
EXPLAIN (COSTS OFF) SELECT id FROM r.orders WHERE status = 'bogus';
EXPLAIN (COSTS OFF) SELECT id FROM r.coupons WHERE code = 'summer10';
EXPLAIN (COSTS OFF) SELECT id FROM r.reviews WHERE product_id = 11 AND status = 'hold';
EXPLAIN (COSTS OFF) SELECT id FROM r.reviews WHERE reviewer_email = 'ana.lima@example.com';
EXPLAIN (COSTS OFF) SELECT id FROM r.reviews WHERE review ILIKE '%mug%';
EXPLAIN (COSTS OFF) SELECT id FROM r.webhooks WHERE status = 'paused';
EXPLAIN (COSTS OFF) SELECT id FROM r.tax_rates WHERE class = 'reduced-rate';
EXPLAIN (COSTS OFF) SELECT id FROM r.tax_rates WHERE class = 'luxury';
EXPLAIN (COSTS OFF) SELECT id FROM r.customers WHERE role = 'customer';
EXPLAIN (COSTS OFF) SELECT id FROM r.brands WHERE slug = 'acme';
EXPLAIN (COSTS OFF) SELECT id FROM r.shipping_classes WHERE name ILIKE '%bulk%';
\! python3 test/store/store_log.py count

\! python3 test/store/store_log.py clear
SELECT id, status, customer_id FROM r.orders WHERE status IN ('processing', 'completed') ORDER BY id;
SELECT id, product FROM r.orders WHERE product = 26;
SELECT id, product, jsonb_array_length(line_items) AS lines FROM r.orders ORDER BY id;
SELECT id, code FROM r.coupons WHERE code = 'summer10';
-- The store formats codes (lower case) before the lookup; SQL compares exactly.
SELECT id, code FROM r.coupons WHERE code = 'SUMMER10';
-- Reviews: every status is listed (the store shows approved ones unless asked).
SELECT id, product_id, status, rating FROM r.reviews ORDER BY id;
SELECT id, reviewer FROM r.reviews WHERE product_id = 11 AND status = 'hold';
SELECT id, name, status, topic, secret IS NULL AS secret_never_read FROM r.webhooks ORDER BY id;
SELECT id, name FROM r.webhooks WHERE status = 'paused';
SELECT id, country, rate, name, class FROM r.tax_rates ORDER BY id;
SELECT id, rate FROM r.tax_rates WHERE class = 'reduced-rate';
SELECT id FROM r.tax_rates WHERE class = 'luxury';
SELECT id, email FROM r.customers WHERE role = 'customer' ORDER BY id;
SELECT id FROM r.customers WHERE role = 'wholesaler';
\! python3 test/store/store_log.py show

-- count(*) from X-WP-Total where the endpoint sends it, by counting rows where not.
\! python3 test/store/store_log.py clear
EXPLAIN (COSTS OFF) SELECT count(*) FROM r.reviews;
SELECT count(*) FROM r.reviews;
EXPLAIN (COSTS OFF) SELECT count(*) FROM r.orders WHERE status = 'completed';
SELECT count(*) FROM r.orders WHERE status = 'completed';
EXPLAIN (COSTS OFF) SELECT count(*) FROM r.order_notes WHERE order_id = 43;
SELECT count(*) FROM r.order_notes WHERE order_id = 43;
EXPLAIN (COSTS OFF) SELECT count(*) FROM r.settings_options WHERE group_id = 'general';
SELECT count(*) FROM r.settings_options WHERE group_id = 'general';
-- Not exact (the store's code lookup ignores case): rows are counted.
EXPLAIN (COSTS OFF) SELECT count(*) FROM r.coupons WHERE code = 'SUMMER10';
SELECT count(*) FROM r.coupons WHERE code = 'SUMMER10';
\! python3 test/store/store_log.py show

SET client_min_messages = warning;
DROP SCHEMA r CASCADE;
RESET client_min_messages;
DROP USER MAPPING FOR CURRENT_USER SERVER read_store;
DROP SERVER read_store;
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/reset"
