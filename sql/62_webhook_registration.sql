-- register_webhooks / unregister_webhooks through the store's API, the
-- secret they keep in the owner's user mapping (and nowhere else), and the
-- webhook health sync_status and test_connection report.
\i sql/include/sync_setup.psql
-- Warnings name the connection: give it a known id.
SELECT setval(pg_get_serial_sequence('woocommerce.connection', 'id'), 6200) AS connection_ids_from;
SELECT id AS conn FROM woocommerce.create_connection('Registered shop', :'https', :'rw_key', :'rw_secret',
                                                     options => jsonb_build_object('ca_file', :'ca')) \gset
\set QUIET on
-- The store's webhooks (with their secrets: a test control) and the secret
-- the connection's user mapping holds.
CREATE TEMP TABLE store_hooks (h jsonb);
\set load_hooks 'TRUNCATE store_hooks; \\copy store_hooks FROM PROGRAM ''curl -sf "$WOO_STORE_HTTP/__store/webhooks" | python3 -c "import json,sys; [print(json.dumps(h)) for h in json.load(sys.stdin)]"'' WITH (FORMAT csv, QUOTE E''\\x01'', DELIMITER E''\\x02'')'
CREATE FUNCTION pg_temp.mapping_secret(srv name) RETURNS text LANGUAGE sql AS $$
  SELECT o.option_value FROM pg_user_mappings u, pg_options_to_table(u.umoptions) o
   WHERE u.srvname = srv AND u.usename = current_user AND o.option_name = 'webhook_secret' $$;
SELECT server_name AS srv FROM woocommerce.connection WHERE id = :conn \gset
\set QUIET off

-- No delivery URL is reachable here: WooCommerce's creation ping fails
-- (wp_safe_remote_request refuses the port), the webhooks are created anyway.
SELECT count(*) AS registered FROM woocommerce.register_webhooks(:conn, 'https://127.0.0.1:1/woocommerce/webhook');
:load_hooks
SELECT h->>'topic' AS topic, h->>'status' AS status, h->>'delivery_url' AS delivery_url, h->>'name' AS name,
       (h->>'pending_delivery')::boolean AS ping_failed
  FROM store_hooks ORDER BY (h->>'id')::int;
SELECT topic, delivery_url FROM woocommerce.webhook ORDER BY woo_webhook_id;
-- One fresh secret, in the user mapping and in every store webhook.
SELECT pg_temp.mapping_secret(:'srv') AS first_secret \gset
SELECT length(:'first_secret') AS secret_length, :'first_secret' ~ '^[A-Za-z0-9]+$' AS plain,
       (SELECT bool_and(h->>'secret' = :'first_secret') FROM store_hooks) AS store_has_it;

-- Again: the same webhooks (updated, not duplicated), a new secret, a new URL.
SELECT array_agg(woo_webhook_id ORDER BY woo_webhook_id) AS ids FROM woocommerce.webhook \gset
SELECT array_agg(x ORDER BY x) = :'ids'::bigint[] AS same_ids
  FROM woocommerce.register_webhooks(:conn, 'https://127.0.0.1:2/woocommerce/webhook') x;
:load_hooks
SELECT count(*) AS store_webhooks, count(DISTINCT h->>'secret') AS secrets,
       bool_and(h->>'secret' = pg_temp.mapping_secret(:'srv')) AS store_has_mapping_secret,
       pg_temp.mapping_secret(:'srv') <> :'first_secret' AS secret_changed,
       bool_and(h->>'delivery_url' = 'https://127.0.0.1:2/woocommerce/webhook') AS moved
  FROM store_hooks;
-- Forgotten locally (a restore from an old backup): the store's webhooks of
-- this delivery URL are adopted, not created twice, whatever their topic.
DELETE FROM woocommerce.webhook;
\! python3 sql/include/sync_store.py put webhooks/4 '{"delivery_url": "https://127.0.0.1:3/elsewhere"}'
SELECT array_agg(x ORDER BY x) AS registered
  FROM woocommerce.register_webhooks(:conn, 'https://127.0.0.1:2/woocommerce/webhook', ARRAY['product.created', 'product.deleted']) x;
SELECT array_agg(woo_webhook_id ORDER BY woo_webhook_id) AS recorded FROM woocommerce.webhook;
:load_hooks
SELECT h->>'id' AS id, h->>'delivery_url' AS delivery_url, h->>'secret' = pg_temp.mapping_secret(:'srv') AS current_secret
  FROM store_hooks ORDER BY (h->>'id')::int;
-- The one pointing elsewhere is not this connection's any more: a new
-- product.restored webhook replaces it; the other stays in the store.
SELECT count(*) AS all_product_topics FROM woocommerce.register_webhooks(:conn, 'https://127.0.0.1:2/woocommerce/webhook');
\! curl -sf -o /dev/null -X DELETE -u ck_test_readwrite_0000000000000000000000000:cs_test_readwrite_0000000000000000000000000 --cacert "$WOO_STORE_CA_FILE" "$WOO_STORE_HTTPS/wp-json/wc/v3/webhooks/4?force=true"
:load_hooks
SELECT count(*) AS store_webhooks FROM store_hooks;
-- More topics later: only the new one is created; every webhook shares the
-- latest secret (also those of topics not named this time).
SELECT count(*) AS product_and_order FROM woocommerce.register_webhooks(:conn, 'https://127.0.0.1:2/woocommerce/webhook',
                                                                        ARRAY['product.updated', 'order.updated']);
:load_hooks
SELECT count(*) AS store_webhooks, count(DISTINCT h->>'secret') AS secrets FROM store_hooks;

-- The secret is only in the user mapping: no table, no result.
SELECT count(*) AS tables_holding_the_secret
  FROM (SELECT to_jsonb(x)::text AS t FROM woocommerce.webhook x
        UNION ALL SELECT to_jsonb(x)::text FROM woocommerce.connection x
        UNION ALL SELECT to_jsonb(x)::text FROM woocommerce.webhook_delivery x) all_rows
 WHERE t LIKE '%' || pg_temp.mapping_secret(:'srv') || '%';

-- Health: all active, then one paused and one disabled in the store (as
-- WooCommerce does after a run of failed deliveries) and one deleted there.
SELECT jsonb_agg(w->>'status') AS statuses FROM woocommerce.sync_status(:conn) s, jsonb_array_elements(s.webhooks) w;
\! python3 sql/include/sync_store.py put webhooks/1 '{"status": "paused"}'
\! python3 sql/include/sync_store.py put webhooks/2 '{"status": "disabled"}'
\! curl -sf -o /dev/null -X DELETE -u ck_test_readwrite_0000000000000000000000000:cs_test_readwrite_0000000000000000000000000 --cacert "$WOO_STORE_CA_FILE" "$WOO_STORE_HTTPS/wp-json/wc/v3/webhooks/3?force=true"
SELECT total >= 0 AS counted, jsonb_agg(jsonb_build_object('id', w->'id', 'status', w->'status')) AS webhooks
  FROM woocommerce.sync_status(:conn) s, jsonb_array_elements(s.webhooks) w GROUP BY total;
SELECT answer->>'ok' AS ok, answer->>'webhook_warning' AS warning,
       regexp_replace(answer->>'webhook_hint', '\(\d+,', '(N,') AS hint
  FROM woocommerce.test_connection(:conn) AS answer;
-- Registering again re-activates them and replaces the deleted one.
SELECT count(*) AS registered FROM woocommerce.register_webhooks(:conn, 'https://127.0.0.1:2/woocommerce/webhook');
SELECT jsonb_agg(w->>'status') AS statuses FROM woocommerce.sync_status(:conn) s, jsonb_array_elements(s.webhooks) w;
SELECT count(*) AS recorded FROM woocommerce.webhook;
-- A store that cannot be asked: reported, not raised.
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/faults" -d '{"path_prefix": "/wp-json/wc/v3/webhooks", "kind": "status", "status": 404, "count": -1, "body": {"code": "rest_no_route", "message": "No route was found matching the URL and request method.", "data": {"status": 404}}}'
SELECT s.webhooks->0->>'status' AS status, s.webhooks->0->>'hint' AS hint FROM woocommerce.sync_status(:conn) s;
\! curl -sf -o /dev/null -X DELETE "$WOO_STORE_HTTP/__store/faults"

-- Refused before anything is sent.
SELECT pg_temp.try(format($$SELECT woocommerce.register_webhooks(%s, 'https://x.example/', ARRAY['product.exploded'])$$, :conn));
SELECT pg_temp.try(format($$SELECT woocommerce.register_webhooks(%s, 'https://x.example/', '{}')$$, :conn));
SELECT pg_temp.try(format($$SELECT woocommerce.register_webhooks(%s, 'not a url')$$, :conn));
SELECT pg_temp.try(format($$SELECT woocommerce.register_webhooks(%s, 'https://x.example/', ARRAY[NULL])$$, :conn));
SELECT pg_temp.try('SELECT woocommerce.register_webhooks(1000000, ''https://x.example/'')');
-- A member of the owner role sees the connection but the secret belongs in
-- the owner's user mapping: refused with a hint.
CREATE ROLE hook_member_62 IN ROLE :"USER";
GRANT EXECUTE ON FUNCTION woocommerce.register_webhooks(bigint, text, text[]) TO hook_member_62;
SET ROLE hook_member_62;
SELECT regexp_replace(pg_temp.try(format($$SELECT woocommerce.register_webhooks(%s, 'https://x.example/')$$, :conn)),
                      'owner, .*$', 'owner, <owner>') AS member;
RESET ROLE;
REVOKE ALL ON FUNCTION woocommerce.register_webhooks(bigint, text, text[]) FROM hook_member_62;
DROP ROLE hook_member_62;

-- Unregistered: gone from the store, from the table, and the secret from
-- the mapping (so no delivery is accepted any more).
SELECT count(*) AS unregistered FROM woocommerce.unregister_webhooks(:conn);
:load_hooks
SELECT count(*) AS store_webhooks FROM store_hooks;
SELECT count(*) AS recorded FROM woocommerce.webhook;
SELECT pg_temp.mapping_secret(:'srv') IS NULL AS secret_removed;
SELECT count(*) AS again FROM woocommerce.unregister_webhooks(:conn);
