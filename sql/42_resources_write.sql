-- Writing the resources beyond the catalog, with the guarantees products
-- have: only assigned members sent (bodies from the store's request log),
-- local checks before any request (enumerations, read-only and insert-only
-- members, required members, writes WooCommerce does not offer), batch
-- endpoints for multi-row INSERT where they exist and a POST per row where
-- not, RETURNING, and honest reports of what a failed statement applied.
\i sql/include/test_store.psql

\i sql/include/try_statement.psql

\! python3 sql/include/resources_store.py seed

CREATE SERVER write_res FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url :'https', ca_file :'ca');
CREATE USER MAPPING FOR CURRENT_USER SERVER write_res OPTIONS (consumer_key :'rw_key', consumer_secret :'rw_secret');
CREATE SCHEMA wr;
IMPORT FOREIGN SCHEMA woocommerce FROM SERVER write_res INTO wr;

-- Orders ----------------------------------------------------------------------------
\! python3 test/store/store_log.py clear
INSERT INTO wr.orders (customer_id, status, line_items, billing)
VALUES (3, 'pending', '[{"product_id": 11, "quantity": 2}]', '{"email": "jonas.mueller@example.com"}')
RETURNING id > 44 AS new_id, status, total, customer_id, jsonb_array_length(line_items) AS lines;
-- Several rows without RETURNING: one batch request.
INSERT INTO wr.orders (customer_id, status, line_items)
VALUES (2, 'on-hold', '[{"product_id": 12, "quantity": 1}]'), (4, 'pending', '[{"product_id": 19, "quantity": 3}]');
UPDATE wr.orders SET status = 'completed' WHERE id = 42 RETURNING id, status, date_completed IS NOT NULL AS completed;
\! python3 test/store/store_log.py show --body | grep -v '^GET'
-- WooCommerce's note of the status change.
SELECT note FROM wr.order_notes WHERE order_id = 42 AND note LIKE 'Order status changed%';
-- DELETE deletes (force); with the table option trash the order goes to the trash.
CREATE FOREIGN TABLE wr.trashed_orders (id bigint, status text) SERVER write_res OPTIONS (resource 'orders', trash 'true');
\! python3 test/store/store_log.py clear
DELETE FROM wr.trashed_orders WHERE id = 44 RETURNING id;
DELETE FROM wr.orders WHERE customer_id = 4 AND status = 'pending' RETURNING id > 44 AS new_id, status;
\! python3 test/store/store_log.py show --method DELETE | sed -E 's/orders\/4[5-9]|orders\/5[0-9]/orders\/<new>/'
SELECT id, status FROM wr.orders WHERE status = 'trash';

-- Order notes: no batch endpoint (a POST per row), no update.
\! python3 test/store/store_log.py clear
INSERT INTO wr.order_notes (order_id, note, customer_note)
VALUES (43, 'Your parcel is on its way.', true) RETURNING order_id, author, note, customer_note;
INSERT INTO wr.order_notes (order_id, note) VALUES (42, 'Checked by Ana'), (43, 'Checked by Bo');
EXPLAIN (COSTS OFF) INSERT INTO wr.order_notes (order_id, note) VALUES (42, 'x');
\! python3 test/store/store_log.py show --body
\! python3 test/store/store_log.py clear
DELETE FROM wr.order_notes WHERE order_id = 42 AND note = 'Checked by Ana' RETURNING note;
\! python3 test/store/store_log.py show --method DELETE | sed -E 's/notes\/[0-9]+/notes\/<id>/'
-- A row that fails after others were written: the error says what was applied.
SELECT sqlstate, message, regexp_replace(detail, 'id [0-9]+', 'id <n>') AS detail
  FROM try_statement($$INSERT INTO wr.order_notes (order_id, note) VALUES (43, 'First'), (999, 'Second')$$);
SELECT note FROM wr.order_notes WHERE order_id = 43 AND note = 'First';

-- Refunds: api_refund must be said (it decides whether money moves).
\! python3 test/store/store_log.py clear
SELECT * FROM try_statement($$INSERT INTO wr.order_refunds (order_id, amount, reason) VALUES (42, 1, 'dent')$$);
\! python3 test/store/store_log.py count
-- One line of order 43 refunded, recorded only.
INSERT INTO wr.order_refunds (order_id, amount, reason, api_refund, line_items)
SELECT o.id, (li->>'price')::numeric, 'Returned one tea', false,
       jsonb_build_array(jsonb_build_object('id', li->'id', 'quantity', 1, 'refund_total', li->>'price'))
  FROM wr.orders o, jsonb_array_elements(o.line_items) li
 WHERE o.id = 43 AND li->>'sku' = 'TEA-JP-100'
RETURNING order_id, amount, reason;
-- Asking the gateway to pay it back: WooCommerce's offline gateways cannot.
SELECT sqlstate, message, hint
  FROM try_statement($$INSERT INTO wr.order_refunds (order_id, amount, api_refund) VALUES (43, 1, true)$$);
\! python3 test/store/store_log.py show --method POST --body
\! python3 test/store/store_log.py clear
DELETE FROM wr.order_refunds WHERE order_id = 43 AND reason = 'Returned one tea' RETURNING amount;
\! python3 test/store/store_log.py show --method DELETE | sed -E 's/refunds\/[0-9]+/refunds\/<id>/'
SELECT * FROM try_statement($$UPDATE wr.order_refunds SET reason = 'x' WHERE order_id = 43$$);

-- Customers, coupons, reviews ----------------------------------------------------------
\! python3 test/store/store_log.py clear
INSERT INTO wr.customers (email, first_name, last_name) VALUES ('mia@example.com', 'Mia', 'Roth')
RETURNING username, role, first_name;
INSERT INTO wr.customers (email, first_name) VALUES ('lea@example.com', 'Lea'), ('tom@example.com', 'Tom');
UPDATE wr.customers SET last_name = 'Roth-Weber' WHERE email = 'mia@example.com' RETURNING email, last_name;
DELETE FROM wr.customers WHERE email IN ('lea@example.com', 'tom@example.com') RETURNING email;
\! python3 test/store/store_log.py show --body | grep -v '^GET' | sed -E 's/customers\/[0-9]+/customers\/<id>/'
SELECT * FROM try_statement($$UPDATE wr.customers SET username = 'mia2' WHERE email = 'mia@example.com'$$);
SELECT * FROM try_statement($$INSERT INTO wr.customers (first_name) VALUES ('Nobody')$$);

\! python3 test/store/store_log.py clear
INSERT INTO wr.coupons (code, amount, discount_type, individual_use) VALUES ('AUTUMN15', 15, 'percent', true)
RETURNING code, amount, discount_type, individual_use;
UPDATE wr.coupons SET amount = 20, description = 'Autumn sale' WHERE code = 'autumn15' RETURNING code, amount, description;
CREATE FOREIGN TABLE wr.trashed_coupons (id bigint, code text) SERVER write_res OPTIONS (resource 'coupons', trash 'true');
DELETE FROM wr.trashed_coupons WHERE code = 'autumn15' RETURNING id AS trashed_coupon \gset
-- The list leaves trashed coupons out; the item still answers.
SELECT code, status FROM wr.coupons WHERE code = 'autumn15';
SELECT code, status FROM wr.coupons WHERE id = :trashed_coupon;
\! python3 test/store/store_log.py show --body | grep -v '^GET' | sed -E 's/coupons\/[0-9]+/coupons\/<id>/'
SELECT * FROM try_statement($$INSERT INTO wr.coupons (code, discount_type) VALUES ('X1', 'half_off')$$);
SELECT * FROM try_statement($$UPDATE wr.coupons SET usage_count = 0 WHERE code = 'summer10'$$);

\! python3 test/store/store_log.py clear
INSERT INTO wr.reviews (product_id, review, reviewer, reviewer_email, rating)
VALUES (12, 'Very fresh.', 'Mia Roth', 'mia@example.com', 5) RETURNING product_id, status, rating, verified;
UPDATE wr.reviews SET status = 'hold' WHERE reviewer_email = 'mia@example.com' RETURNING status;
DELETE FROM wr.reviews WHERE reviewer_email = 'mia@example.com' AND status = 'hold' RETURNING reviewer, status;
\! python3 test/store/store_log.py show --body | grep -v '^GET' | sed -E 's/reviews\/[0-9]+/reviews\/<id>/'
SELECT * FROM try_statement($$INSERT INTO wr.reviews (product_id, review, reviewer) VALUES (12, 'x', 'y')$$);
SELECT * FROM try_statement($$UPDATE wr.reviews SET status = 'published' WHERE id = 4$$);

-- Taxes, shipping, webhooks, settings, gateways -------------------------------------------
\! python3 test/store/store_log.py clear
INSERT INTO wr.tax_rates (country, state, rate, name, class)
VALUES ('AT', '', 20, 'USt', 'standard'), ('AT', '', 10, 'USt ermäßigt', 'reduced-rate');
UPDATE wr.tax_rates SET rate = 13 WHERE country = 'AT' AND class = 'reduced-rate' RETURNING country, rate, class;
DELETE FROM wr.tax_rates WHERE country = 'AT' RETURNING rate;
INSERT INTO wr.tax_classes (name) VALUES ('Books') RETURNING slug, name;
DELETE FROM wr.tax_classes WHERE slug = 'books' RETURNING slug;
\! python3 test/store/store_log.py show --body | grep -v '^GET' | sed -E 's/taxes\/[0-9]+/taxes\/<id>/'
SELECT * FROM try_statement($$UPDATE wr.tax_classes SET name = 'x' WHERE slug = 'zero-rate'$$);

\! python3 test/store/store_log.py clear
INSERT INTO wr.shipping_classes (name, description) VALUES ('Bulky', 'Needs a pallet') RETURNING name, slug;
UPDATE wr.shipping_classes SET description = 'Two people' WHERE slug = 'bulky' RETURNING description;
INSERT INTO wr.shipping_zones (name, "order") VALUES ('Österreich', 2) RETURNING name, "order";
INSERT INTO wr.shipping_zone_methods (zone_id, method_id, settings)
SELECT id, 'flat_rate', '{"title": "Post AT", "cost": "9.90"}' FROM wr.shipping_zones WHERE name = 'Österreich'
RETURNING method_id, title, enabled, settings->'cost'->>'value' AS cost;
UPDATE wr.shipping_zone_methods SET enabled = false
 WHERE zone_id = (SELECT id FROM wr.shipping_zones WHERE name = 'Österreich') RETURNING title, enabled;
DELETE FROM wr.shipping_zone_methods WHERE zone_id = (SELECT id FROM wr.shipping_zones WHERE name = 'Österreich')
RETURNING method_id;
UPDATE wr.shipping_zones SET name = 'Austria' WHERE name = 'Österreich' RETURNING name;
DELETE FROM wr.shipping_zones WHERE name = 'Austria' RETURNING name;
DELETE FROM wr.shipping_classes WHERE slug = 'bulky' RETURNING name;
\! python3 test/store/store_log.py show --body | grep -v '^GET' | sed -E 's/(zones|methods|shipping_classes)\/[0-9]+/\1\/<id>/g'
SELECT * FROM try_statement($$UPDATE wr.shipping_zone_methods SET method_id = 'free_shipping' WHERE zone_id = 1$$);
-- Zone 0 is WooCommerce's own: the store refuses, the error says so.
\! python3 test/store/store_log.py clear
SELECT sqlstate, message FROM try_statement($$UPDATE wr.shipping_zones SET name = 'Rest' WHERE id = 0$$);
\! python3 test/store/store_log.py show --body
SELECT * FROM try_statement($$INSERT INTO wr.shipping_zone_locations (zone_id, code, type) VALUES (1, 'AT', 'country')$$);

\! python3 test/store/store_log.py clear
INSERT INTO wr.webhooks (name, topic, delivery_url, secret, status)
VALUES ('Coupons created', 'coupon.created', 'http://127.0.0.1:9/hooks/new-coupons', 'whsec-regress-42', 'paused')
RETURNING name, status, topic, resource, event, secret IS NULL AS secret_never_read;
UPDATE wr.webhooks SET status = 'disabled' WHERE name = 'Coupons created' RETURNING status;
\! python3 test/store/store_log.py show --body | grep -v '^GET' | sed -E 's/webhooks\/[0-9]+/webhooks\/<id>/'
-- The secret reached the store (the log never records secrets).
\! curl -sf "$WOO_STORE_HTTP/__store/webhooks" | python3 -c 'import json,sys; print([h["secret"] for h in json.load(sys.stdin) if h["name"] == "Coupons created"])'
DELETE FROM wr.webhooks WHERE name = 'Coupons created' RETURNING name;
SELECT * FROM try_statement($$INSERT INTO wr.webhooks (name, topic, delivery_url, status) VALUES ('x', 'order.updated', 'http://127.0.0.1:9/x', 'sleeping')$$);

\! python3 test/store/store_log.py clear
UPDATE wr.settings_options SET value = 'right_space'
 WHERE group_id = 'general' AND id = 'woocommerce_currency_pos' RETURNING group_id, id, value;
EXPLAIN (COSTS OFF) UPDATE wr.settings_options SET value = 'x' WHERE group_id = 'general' AND id = 'woocommerce_currency_pos';
-- The store checks a select's value.
SELECT sqlstate, message FROM try_statement($$UPDATE wr.settings_options SET value = 'middle' WHERE group_id = 'general' AND id = 'woocommerce_currency_pos'$$);
UPDATE wr.payment_gateways SET enabled = true, title = 'Pay on delivery' WHERE id = 'cod' RETURNING id, enabled, title;
\! python3 test/store/store_log.py show --body | grep -v '^GET'
SELECT * FROM try_statement($$UPDATE wr.settings_options SET label = 'x' WHERE group_id = 'general' AND id = 'woocommerce_currency_pos'$$);
SELECT * FROM try_statement($$DELETE FROM wr.settings_options WHERE group_id = 'general' AND id = 'woocommerce_currency_pos'$$);
SELECT * FROM try_statement($$INSERT INTO wr.payment_gateways (id, title) VALUES ('stripe', 'Stripe')$$);

-- COPY FROM: a POST per row where WooCommerce has no batch endpoint (notes),
-- the batch endpoint where it has one (coupons); a read-only resource
-- refuses COPY before any request ------------------------------------------------------
\! python3 test/store/store_log.py clear
COPY wr.order_notes (order_id, note) FROM PROGRAM 'printf "42\tCopied one\n43\tCopied two\n"';
\! python3 test/store/store_log.py show --method POST --body
\! python3 test/store/store_log.py clear
COPY wr.coupons (code, discount_type, amount) FROM PROGRAM 'printf "copy1\tpercent\t5\ncopy2\tfixed_cart\t3\n"';
\! python3 test/store/store_log.py show --method POST --body
SELECT code, discount_type, amount FROM wr.coupons WHERE code IN ('copy1', 'copy2') ORDER BY code;
\! python3 test/store/store_log.py clear
SELECT * FROM try_statement($$COPY wr.report_sales (total_sales) FROM PROGRAM 'echo 1'$$);
SELECT * FROM try_statement($$COPY wr.order_refunds (order_id, amount) FROM PROGRAM 'printf "42\t1\n"'$$);
\! python3 test/store/store_log.py count

-- Read-only resources refuse every write before any request -----------------------------
\! python3 test/store/store_log.py clear
SELECT * FROM try_statement($$INSERT INTO wr.report_sales (total_sales) VALUES (1)$$);
SELECT * FROM try_statement($$UPDATE wr.countries SET name = 'Deutschland' WHERE code = 'DE'$$);
SELECT * FROM try_statement($$DELETE FROM wr.system_status_tools WHERE id = 'clear_transients'$$);
SELECT * FROM try_statement($$DELETE FROM wr.settings_groups$$);
SELECT * FROM try_statement($$UPDATE wr.order_statuses SET name = 'x'$$);
SELECT * FROM try_statement($$DELETE FROM wr.shipping_zone_locations WHERE zone_id = 1$$);
SELECT * FROM try_statement($$UPDATE wr.current_currency SET code = 'USD'$$);
CREATE FOREIGN TABLE wr.trashed_rates (id bigint) SERVER write_res OPTIONS (resource 'tax_rates', trash 'true');
SELECT * FROM try_statement($$DELETE FROM wr.trashed_rates WHERE id = 1$$);
\! python3 test/store/store_log.py count

SET client_min_messages = warning;
DROP SCHEMA wr CASCADE;
RESET client_min_messages;
DROP USER MAPPING FOR CURRENT_USER SERVER write_res;
DROP SERVER write_res;
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/reset"
