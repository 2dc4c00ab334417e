-- The worked examples of README ("Orders, notes and refunds"), run as
-- written there against the test store: the last 7 days' orders with their
-- line items unnested, completing orders from a local shipment table (with
-- a note to the customer), and refunding one line of an order.
\i sql/include/test_store.psql

CREATE SERVER shop FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url :'https', ca_file :'ca');
CREATE USER MAPPING FOR CURRENT_USER SERVER shop OPTIONS (consumer_key :'rw_key', consumer_secret :'rw_secret');
CREATE SCHEMA store;
IMPORT FOREIGN SCHEMA woocommerce LIMIT TO (orders, order_notes, order_refunds) FROM SERVER shop INTO store;

-- Two orders placed today (the seeded ones are from 2025).
INSERT INTO store.orders (customer_id, status, set_paid, payment_method, line_items)
VALUES (2, 'processing', true, 'bacs', '[{"product_id": 11, "quantity": 2}, {"product_id": 12, "quantity": 1}]'),
       (3, 'processing', true, 'bacs', '[{"product_id": 19, "quantity": 1}]');

-- Orders of the last 7 days with their line items unnested.
\! python3 test/store/store_log.py clear
SELECT o.id > 44 AS new_order, o.status, li->>'sku' AS sku, (li->>'quantity')::int AS quantity,
       (li->>'total')::numeric AS total
  FROM store.orders o, jsonb_array_elements(o.line_items) AS li
 WHERE o.date_created > now() - interval '7 days'
 ORDER BY o.id, li->>'sku';
-- One request: the date bound reached the store (after=, widened by a second).
\! python3 test/store/store_log.py show | sed -E 's/after=[0-9T:-]+/after=<7 days ago>/'

-- Completing orders from a local shipment table, with a note to the customer.
CREATE TABLE shipments (order_id bigint PRIMARY KEY, carrier text, tracking text);
INSERT INTO shipments
SELECT id, 'DHL', 'JJD00' || id FROM store.orders WHERE status = 'processing' AND date_created > now() - interval '7 days';
\! python3 test/store/store_log.py clear
UPDATE store.orders o SET status = 'completed'
  FROM shipments s
 WHERE o.id = s.order_id AND o.status = 'processing'
RETURNING o.id > 44 AS new_order, o.status, o.date_completed IS NOT NULL AS completed;
INSERT INTO store.order_notes (order_id, note, customer_note)
SELECT order_id, 'Shipped with ' || carrier || ', tracking number ' || tracking, true FROM shipments;
-- Only the status is sent, one PUT per order; then a POST per note.
\! python3 test/store/store_log.py show --body | grep -v '^GET' | sed -E 's/orders\/[0-9]+/orders\/<id>/; s/JJD00[0-9]+/JJD00<id>/'
SELECT count(*) AS completed_today FROM store.orders
 WHERE status = 'completed' AND date_created > now() - interval '7 days';
SELECT n.customer_note, n.note LIKE 'Shipped with DHL, tracking number JJD00%' AS tracking_note
  FROM shipments s JOIN store.order_notes n ON n.order_id = s.order_id
 WHERE n.note LIKE 'Shipped%';

-- Refunding one line: one of the two mugs of today's first order, recorded
-- in WooCommerce (api_refund = false: the money goes back outside WooCommerce).
\! python3 test/store/store_log.py clear
INSERT INTO store.order_refunds (order_id, amount, reason, api_refund, line_items)
SELECT o.id, (li->>'price')::numeric, 'One mug arrived broken', false,
       jsonb_build_array(jsonb_build_object('id', li->'id', 'quantity', 1, 'refund_total', li->>'price'))
  FROM store.orders o, jsonb_array_elements(o.line_items) AS li
 WHERE o.id = (SELECT min(order_id) FROM shipments) AND li->>'sku' = 'MUG-CAFE'
RETURNING amount, reason;
\! python3 test/store/store_log.py show --body | grep -v '^GET' | sed -E 's/orders\/[0-9]+/orders\/<id>/; s/"id": [0-9]+/"id": <line item>/'
SELECT o.total, f.amount AS refunded, o.total - f.amount AS remaining
  FROM store.orders o JOIN store.order_refunds f ON f.order_id = o.id
 WHERE o.id = (SELECT min(order_id) FROM shipments);

DROP TABLE shipments;
SET client_min_messages = warning;
DROP SCHEMA store CASCADE;
RESET client_min_messages;
DROP USER MAPPING FOR CURRENT_USER SERVER shop;
DROP SERVER shop;
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/reset"
