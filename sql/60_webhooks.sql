-- woocommerce.receive_webhook: deliveries as WooCommerce sends them (signed
-- with HMAC-SHA256 over the raw body; pgcrypto signs them here, independently
-- of the extension's own code), applied through the import path, and every
-- way a delivery is refused, each time with nothing changed.
\i sql/include/sync_setup.psql
\set QUIET on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
RESET client_min_messages;
SELECT set_config('test.store', :'https', false) IS NOT NULL AS store_set;
-- Headers of a delivery: the X-WC-Webhook-* set of real/76b, signed.
CREATE FUNCTION pg_temp.headers(topic text, webhook_id bigint, body text, secret text DEFAULT 'wh-secret-60',
                                source text DEFAULT NULL, delivery_id text DEFAULT NULL)
RETURNS jsonb LANGUAGE sql AS $$
  SELECT jsonb_build_object(
    'Host', '127.0.0.1:8787',
    'User-Agent', 'WooCommerce/10.0.2 Hookshot (WordPress/6.8.8)',
    'Content-Type', 'application/json',
    'X-WC-Webhook-Source', coalesce(source, current_setting('test.store') || '/'),
    'X-WC-Webhook-Topic', topic,
    'X-WC-Webhook-Resource', split_part(topic, '.', 1),
    'X-WC-Webhook-Event', substr(topic, strpos(topic, '.') + 1),
    'X-WC-Webhook-Signature', encode(hmac(convert_to(body, 'UTF8'), convert_to(secret, 'UTF8'), 'sha256'), 'base64'),
    'X-WC-Webhook-ID', webhook_id::text,
    'X-WC-Webhook-Delivery-ID', coalesce(delivery_id, md5(body || clock_timestamp()::text)))
$$;
CREATE FUNCTION pg_temp.deliver(topic text, webhook_id bigint, body text, secret text DEFAULT 'wh-secret-60',
                                source text DEFAULT NULL, delivery_id text DEFAULT NULL)
RETURNS jsonb LANGUAGE sql AS $$
  SELECT woocommerce.receive_webhook(pg_temp.headers(topic, webhook_id, body, secret, source, delivery_id),
                                     convert_to(body, 'UTF8'))
$$;
-- The local catalog, sync state and event queue as one digest: "nothing
-- changed" is the same digest before and after.
CREATE FUNCTION pg_temp.catalog_state()
RETURNS text LANGUAGE sql AS $$
  SELECT md5(coalesce((SELECT string_agg(p::text, '|' ORDER BY p.id) FROM woocommerce.product p), '')
          || coalesce((SELECT string_agg(s::text, '|' ORDER BY s.id) FROM woocommerce.product_sync s), '')
          || coalesce((SELECT string_agg(e::text, '|' ORDER BY e.id) FROM woocommerce.webhook_event e), ''))
$$;
-- The last recorded attempt.
CREATE FUNCTION pg_temp.last_attempt()
RETURNS TABLE (outcome text, http_status integer, reason text, has_connection boolean, topic text, resource_id bigint)
LANGUAGE sql AS $$
  SELECT outcome, http_status, reason, connection_id IS NOT NULL, topic, resource_id
    FROM woocommerce.webhook_delivery ORDER BY id DESC LIMIT 1
$$;
\set QUIET off

-- A connection with a webhook secret, its catalog imported, and the webhook
-- it registered in the store (62_webhook_registration does that through the
-- API; here the row is written directly).
SELECT id AS conn FROM woocommerce.create_connection('Hooked shop', :'https', :'rw_key', :'rw_secret',
                                                     webhook_secret => 'wh-secret-60',
                                                     options => jsonb_build_object('ca_file', :'ca')) \gset
SELECT count(*) > 0 AS imported FROM woocommerce.import_products(:conn);
INSERT INTO woocommerce.webhook (connection_id, woo_webhook_id, topic, delivery_url)
VALUES (:conn, 2, 'product.updated', 'http://127.0.0.1:8787/webhook'),
       (:conn, 3, 'product.deleted', 'http://127.0.0.1:8787/webhook'),
       (:conn, 5, 'order.updated', 'http://127.0.0.1:8787/webhook'),
       (:conn, 8, 'action.woocommerce_update_product', 'http://127.0.0.1:8787/webhook');

-- A price changed in the store, then its delivery: applied through the
-- import path (the product is read again, context=edit).
\! python3 sql/include/sync_store.py put products/10 '{"regular_price": "12.34"}'
SELECT sku, regular_price FROM woocommerce.product WHERE sku = 'MUG-PLAIN';
:clear_log
SELECT pg_temp.deliver('product.updated', 2, '{"id":10,"name":"Plain Ceramic Mug","permalink":"https:\/\/shop\/p\/","regular_price":"12.34"}',
                       delivery_id => 'd-first') - 'connection_id' AS answer;
SELECT sku, regular_price FROM woocommerce.product WHERE sku = 'MUG-PLAIN';
:load_log
SELECT entry->>'method' AS method, entry->>'path' AS path, entry->'query'->'include' AS include,
       entry->'query'->'context' AS context
  FROM store_log ORDER BY (entry->>'seq')::bigint;
SELECT * FROM pg_temp.last_attempt();

-- From here on the store has a newer price: a delivery that slipped through
-- would import it. Each refusal leaves the catalog exactly as it was and
-- records the attempt (without a body: the table has no column for one).
\! python3 sql/include/sync_store.py put products/10 '{"regular_price": "99.00"}'
SELECT pg_temp.catalog_state() AS before \gset
-- A replayed delivery (same delivery id, same body, same signature).
SELECT pg_temp.deliver('product.updated', 2, '{"id":10,"name":"Plain Ceramic Mug","permalink":"https:\/\/shop\/p\/","regular_price":"12.34"}',
                       delivery_id => 'd-first') ->> 'outcome' AS replay;
SELECT * FROM pg_temp.last_attempt();
-- A bad signature (another secret), and none at all.
SELECT pg_temp.deliver('product.updated', 2, '{"id":10}', secret => 'not-the-secret') - 'message' AS bad_signature;
SELECT * FROM pg_temp.last_attempt();
SELECT woocommerce.receive_webhook(pg_temp.headers('product.updated', 2, '{"id":10}') - 'X-WC-Webhook-Signature',
                                   convert_to('{"id":10}', 'UTF8')) - 'message' AS no_signature;
-- The body changed after signing (one byte).
SELECT woocommerce.receive_webhook(pg_temp.headers('product.updated', 2, '{"id":10}'), convert_to('{"id":11}', 'UTF8'))
       ->> 'reason' AS tampered;
-- An unknown webhook, and a known one from another store.
SELECT pg_temp.deliver('product.updated', 999, '{"id":10}') - 'message' AS unknown_webhook;
SELECT * FROM pg_temp.last_attempt();
SELECT pg_temp.deliver('product.updated', 2, '{"id":10}', source => 'https://other-shop.example/') - 'message' AS wrong_source;
SELECT * FROM pg_temp.last_attempt();
-- A body over woocommerce.webhook_max_body_bytes (signed correctly).
SET woocommerce.webhook_max_body_bytes = 1024;
SELECT pg_temp.deliver('product.updated', 2, '{"id":10,"pad":"' || repeat('x', 1100) || '"}') AS too_large;
RESET woocommerce.webhook_max_body_bytes;
-- A malformed JSON body, signed by the store all the same; an array; NUL;
-- nesting deeper than 64 levels.
SELECT pg_temp.deliver('product.updated', 2, '{"id":10,') ->> 'message' AS malformed;
SELECT * FROM pg_temp.last_attempt();
SELECT pg_temp.deliver('product.updated', 2, '[10]') ->> 'message' AS not_an_object;
SELECT pg_temp.deliver('product.updated', 2, '{"id":10,"a":"\u0000"}') ->> 'message' AS nul;
SELECT pg_temp.deliver('product.updated', 2, '{"id":10,"a":' || repeat('[', 70) || repeat(']', 70) || '}') ->> 'message' AS deep;
SELECT pg_temp.deliver('product.updated', 2, '{"name":"no id"}') ->> 'message' AS no_id;
-- Headers that are not WooCommerce's.
SELECT woocommerce.receive_webhook('{"X-WC-Webhook-ID": "2", "x-wc-webhook-id": "3"}', '\x7b7d') - 'message' AS twice;
SELECT woocommerce.receive_webhook('{"Content-Type": "application/json"}', '\x7b7d') ->> 'reason' AS not_a_delivery;
SELECT pg_temp.catalog_state() = :'before' AS nothing_changed;
SELECT sku, regular_price FROM woocommerce.product WHERE sku = 'MUG-PLAIN';
SELECT outcome, http_status, reason, count(*) FROM woocommerce.webhook_delivery GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
SELECT count(*) AS body_columns FROM information_schema.columns
 WHERE table_schema = 'woocommerce' AND table_name = 'webhook_delivery' AND column_name ~ 'body|payload';

-- WooCommerce's delivery id is wp_hash(webhook id . second): two deliveries
-- of one webhook in the same second share it. Different bodies are two
-- deliveries, both applied.
SELECT pg_temp.deliver('product.updated', 2, '{"id":10,"v":1}', delivery_id => 'same-second') ->> 'outcome' AS first,
       pg_temp.deliver('product.updated', 2, '{"id":11,"v":2}', delivery_id => 'same-second') ->> 'outcome' AS second;
SELECT sku, regular_price FROM woocommerce.product WHERE sku = 'MUG-PLAIN';

-- The ping (form body webhook_id=N, no signature, real/76a): answered 200,
-- nothing recorded.
SELECT count(*) AS attempts FROM woocommerce.webhook_delivery \gset
SELECT woocommerce.receive_webhook('{"Content-Type": "application/x-www-form-urlencoded", "User-Agent": "WooCommerce/10.0.2 Hookshot (WordPress/6.8.8)"}',
                                   convert_to('webhook_id=2', 'UTF8')) AS ping;
SELECT count(*) = :attempts AS ping_not_recorded FROM woocommerce.webhook_delivery;

-- A variation arrives as its own object: its parent is read again with
-- every variation.
\! python3 sql/include/sync_store.py put products/26/variations/27 '{"regular_price": "55.00"}'
:clear_log
SELECT pg_temp.deliver('product.updated', 2, '{"id":27,"type":"variation","parent_id":26}') ->> 'detail' AS variation;
:load_log
SELECT entry->>'path' AS path, entry->'query'->'include' AS include FROM store_log ORDER BY (entry->>'seq')::bigint;
SELECT p.sku, p.regular_price FROM woocommerce.product p JOIN woocommerce.product_sync s ON s.product_id = p.id
 WHERE s.woo_product_id = 27;

-- product.deleted (a move to the trash): the sync row is marked; with
-- on_product_deleted 'flag' the local product gets status trash, with
-- 'delete' it goes. product.updated clears the mark when it comes back.
SELECT regexp_replace(pg_temp.deliver('product.deleted', 3, '{"id":11}') ->> 'detail', 'product [0-9]+ (marked|flagged)', 'product N \1') AS mark;
SELECT p.sku, p.status, s.store_deleted_at IS NOT NULL AS store_deleted
  FROM woocommerce.product p JOIN woocommerce.product_sync s ON s.product_id = p.id WHERE s.woo_product_id = 11;
SELECT pg_temp.deliver('product.updated', 2, '{"id":11}') ->> 'outcome' AS back;
SELECT s.store_deleted_at IS NOT NULL AS store_deleted FROM woocommerce.product_sync s WHERE s.woo_product_id = 11;
SELECT on_product_deleted FROM woocommerce.set_webhook_options(:conn, 'flag');
SELECT regexp_replace(pg_temp.deliver('product.deleted', 3, '{"id":12}') ->> 'detail', 'product [0-9]+ (marked|flagged)', 'product N \1') AS flag;
SELECT p.status FROM woocommerce.product p JOIN woocommerce.product_sync s ON s.product_id = p.id WHERE s.woo_product_id = 12;
SELECT on_product_deleted FROM woocommerce.set_webhook_options(:conn, 'delete');
SELECT p.sku AS deleting FROM woocommerce.product p JOIN woocommerce.product_sync s ON s.product_id = p.id WHERE s.woo_product_id = 13;
SELECT pg_temp.deliver('product.deleted', 3, '{"id":13}') ->> 'outcome' AS delete;
SELECT count(*) AS still_there FROM woocommerce.product_sync s WHERE s.woo_product_id = 13;
SELECT pg_temp.deliver('product.deleted', 3, '{"id":4242}') ->> 'detail' AS not_linked;
SELECT pg_temp.try(format($$SELECT woocommerce.set_webhook_options(%s, 'archive')$$, :conn));

-- order.*, customer.*, coupon.* and action.* go to the queue.
SELECT pg_temp.deliver('order.updated', 5, '{"id":2050,"status":"completed","total":"61.00"}') ->> 'outcome' AS order_event,
       pg_temp.deliver('action.woocommerce_update_product', 8, '{"action":"woocommerce_update_product","arg":10}') ->> 'outcome' AS action_event;
SELECT topic, resource_id, payload, processed_at FROM woocommerce.webhook_event ORDER BY id;

-- A store that fails while the product is read: the delivery fails (500),
-- the product changes are undone, the attempt stays recorded.
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/faults" -d '{"path_prefix": "/wp-json/wc/v3/products", "kind": "status", "status": 404, "count": 1, "body": {"code": "rest_no_route", "message": "No route", "data": {"status": 404}}}'
SELECT pg_temp.catalog_state() AS before \gset
SELECT answer->>'status' AS status, answer->>'outcome' AS outcome, answer->>'sqlstate' AS sqlstate
  FROM pg_temp.deliver('product.updated', 2, '{"id":10}') AS answer;
SELECT pg_temp.catalog_state() = :'before' AS nothing_changed;
SELECT outcome, http_status, reason FROM woocommerce.webhook_delivery ORDER BY id DESC LIMIT 1;

-- An inactive connection: verified, recorded, not applied.
SELECT is_active FROM woocommerce.update_connection(:conn, is_active => false);
SELECT answer->>'outcome' AS outcome, answer->>'detail' ~ '^connection [0-9]+ is inactive$' AS inactive
  FROM pg_temp.deliver('product.updated', 2, '{"id":10}') AS answer;
SELECT is_active FROM woocommerce.update_connection(:conn, is_active => true);

-- Roles: the gateway role needs EXECUTE on receive_webhook and nothing else;
-- the change is made as the connection's owner. The helpers refuse anyone
-- but receive_webhook, even with EXECUTE.
CREATE ROLE webhook_gateway_60;
GRANT EXECUTE ON FUNCTION woocommerce.receive_webhook(jsonb, bytea) TO webhook_gateway_60;
GRANT EXECUTE ON FUNCTION woocommerce._webhook_apply_as(regrole, bigint, text, jsonb, jsonb),
                          woocommerce._webhook_open(name, regrole, text, text, bytea) TO webhook_gateway_60;
GRANT USAGE ON SCHEMA woocommerce TO webhook_gateway_60;
SELECT pg_temp.headers('product.updated', 2, '{"id":10}') AS gateway_headers \gset
SET ROLE webhook_gateway_60;
SELECT woocommerce.receive_webhook(:'gateway_headers', convert_to('{"id":10}', 'UTF8')) ->> 'outcome' AS as_gateway;
\set VERBOSITY terse
SELECT count(*) FROM woocommerce.product;
SELECT woocommerce._webhook_apply_as(current_user::regrole, :conn, 'product.updated', '{"action":"import_product","import_id":10}', '{}');
SELECT woocommerce._webhook_open('x', current_user::regrole, 'product.updated', 'sig', '\x7b7d');
\set VERBOSITY default
RESET ROLE;
SELECT sku, regular_price FROM woocommerce.product WHERE sku = 'MUG-PLAIN';
REVOKE ALL ON SCHEMA woocommerce FROM webhook_gateway_60;
REVOKE ALL ON FUNCTION woocommerce.receive_webhook(jsonb, bytea), woocommerce._webhook_apply_as(regrole, bigint, text, jsonb, jsonb),
                       woocommerce._webhook_open(name, regrole, text, text, bytea) FROM webhook_gateway_60;
DROP ROLE webhook_gateway_60;

-- The secret is nowhere but in the user mapping.
SELECT count(*) AS tables_holding_the_secret
  FROM (SELECT to_jsonb(x)::text AS t FROM woocommerce.webhook_delivery x
        UNION ALL SELECT to_jsonb(x)::text FROM woocommerce.webhook_event x
        UNION ALL SELECT to_jsonb(x)::text FROM woocommerce.webhook x
        UNION ALL SELECT to_jsonb(x)::text FROM woocommerce.connection x) all_rows
 WHERE t LIKE '%wh-secret-60%';
