-- Webhooks and key setup: their functions and privileges, the helpers that
-- refuse anyone but receive_webhook, ownership between two roles, the
-- SQLSTATEs of bad input, and the settings. No store is needed.
\set QUIET on
\set ON_ERROR_ROLLBACK 1
\set ON_ERROR_STOP true
BEGIN;
CREATE EXTENSION woocommerce_fdw;
\ir ../../examples/grants.sql
SELECT plan(33);

-- Structure ------------------------------------------------------------------------
SELECT has_function('woocommerce', 'receive_webhook', ARRAY['jsonb', 'bytea']);
SELECT function_returns('woocommerce', 'receive_webhook', ARRAY['jsonb', 'bytea'], 'jsonb');
SELECT has_function('woocommerce', 'register_webhooks', ARRAY['bigint', 'text', 'text[]']);
SELECT function_returns('woocommerce', 'register_webhooks', ARRAY['bigint', 'text', 'text[]'], 'setof bigint');
SELECT has_function('woocommerce', 'unregister_webhooks', ARRAY['bigint']);
SELECT has_function('woocommerce', 'authorize_url', ARRAY['text', 'text', 'text', 'text', 'text', 'text', 'jsonb', 'interval']);
SELECT has_function('woocommerce', 'receive_auth_callback', ARRAY['jsonb', 'bytea']);
SELECT is((SELECT pg_get_function_result('woocommerce.sync_status(bigint)'::regprocedure) LIKE '%webhooks jsonb)'), true,
          'sync_status ends with a webhooks column');
SELECT columns_are('woocommerce', 'webhook_event',
                   ARRAY['id', 'connection_id', 'topic', 'resource_id', 'received_at', 'payload', 'processed_at'],
                   'webhook_event has the queue''s columns');
SELECT has_column('woocommerce', 'product_sync', 'store_deleted_at', 'product.deleted marks the sync row');
SELECT hasnt_column('woocommerce', 'webhook_delivery', 'body', 'deliveries are recorded without their body');
SELECT hasnt_column('woocommerce', 'authorization_request', 'token', 'the state token is kept only as its hash');
SELECT is((SELECT bool_and(relrowsecurity) FROM pg_class
            WHERE oid IN ('woocommerce.webhook'::regclass, 'woocommerce.webhook_setting'::regclass,
                          'woocommerce.webhook_delivery'::regclass, 'woocommerce.webhook_event'::regclass,
                          'woocommerce.authorization_request'::regclass)), true,
          'row-level security on every webhook and key setup table');

-- Privileges -----------------------------------------------------------------------
SELECT is((SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'woocommerce'
              AND (p.proname LIKE '%webhook%' OR p.proname IN ('authorize_url', 'receive_auth_callback', '_webhooks_claimed'))
              AND has_function_privilege('public', p.oid, 'EXECUTE')), 0,
          'no webhook or key setup function is executable by PUBLIC');
SELECT is((SELECT prosecdef FROM pg_proc WHERE oid = 'woocommerce.receive_webhook(jsonb,bytea)'::regprocedure), true,
          'receive_webhook finds connections whoever owns them (SECURITY DEFINER)');
SELECT is((SELECT proconfig FROM pg_proc WHERE oid = 'woocommerce.receive_webhook(jsonb,bytea)'::regprocedure),
          ARRAY['search_path=pg_catalog, pg_temp'], 'with a fixed search_path');
CREATE ROLE tap_gateway;
GRANT USAGE ON SCHEMA woocommerce TO tap_gateway;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA woocommerce TO tap_gateway;
SET ROLE tap_gateway;
SELECT throws_ok($$SELECT woocommerce._webhook_apply_as('tap_gateway', 1, 'product.updated', '{}', '{}')$$, '42501', NULL,
                 'with EXECUTE granted, _webhook_apply_as still refuses anyone but a superuser');
SELECT throws_ok($$SELECT woocommerce._webhook_open('x', 'tap_gateway', 'product.updated', 's', '\x7b7d')$$, '42501', NULL,
                 'so does _webhook_open (it reads secrets)');
SELECT is((woocommerce.receive_webhook('{"X-WC-Webhook-ID": "1"}', '\x7b7d')) ->> 'status', '401',
          'a gateway role with EXECUTE gets an answer, not an error');
RESET ROLE;

-- Ownership: Bob neither sees nor registers Alice's webhooks ---------------------------
CREATE ROLE tap_alice IN ROLE woocommerce_user;
CREATE ROLE tap_bob IN ROLE woocommerce_user;
SET ROLE tap_alice;
SELECT id AS conn FROM woocommerce.create_connection('Alice shop', 'https://alice.example', 'ck_a', 'cs_a', verify => false) \gset
INSERT INTO woocommerce.webhook (connection_id, woo_webhook_id, topic, delivery_url) VALUES (:conn, 7, 'product.updated', 'https://x/');
SELECT lives_ok(format($$SELECT woocommerce.set_webhook_options(%s, 'flag')$$, :conn), 'Alice sets her webhook options');
RESET ROLE;
INSERT INTO woocommerce.webhook_event (connection_id, topic, payload) VALUES (:conn, 'order.updated', '{"id": 1}');
SET ROLE tap_bob;
SELECT is((SELECT count(*)::int FROM woocommerce.webhook) + (SELECT count(*)::int FROM woocommerce.webhook_event)
          + (SELECT count(*)::int FROM woocommerce.webhook_setting), 0, 'Bob sees none of Alice''s webhook rows');
SELECT throws_ok(format($$SELECT woocommerce.register_webhooks(%s, 'https://bob.example/hook')$$, :conn), '42704', NULL,
                 'Bob cannot register webhooks on Alice''s connection');
SELECT throws_ok(format($$INSERT INTO woocommerce.webhook (connection_id, woo_webhook_id, topic, delivery_url) VALUES (%s, 8, 'x.y', 'https://x/')$$, :conn),
                 '42501', NULL, 'nor write rows for it');
RESET ROLE;
SET ROLE tap_alice;
SELECT is((SELECT count(*)::int FROM woocommerce.webhook_event WHERE processed_at IS NULL), 1, 'Alice sees her queued event');
SELECT lives_ok($$UPDATE woocommerce.webhook_event SET processed_at = now()$$, 'and marks it processed');
-- Key setup: a token per call, only its hash kept, owned by the caller.
SELECT isnt(woocommerce.authorize_url('https://alice.example', 'Catalog', 'https://c.example/back', 'https://c.example/auth-callback'),
            woocommerce.authorize_url('https://alice.example', 'Catalog', 'https://c.example/back', 'https://c.example/auth-callback'),
            'every authorize_url has its own state token');
SELECT is((SELECT count(*)::int FROM woocommerce.authorization_request WHERE owner = 'tap_alice'::regrole
             AND token_hash ~ '^[0-9a-f]{64}$'), 2, 'the flows belong to Alice and keep only a hash');
SELECT throws_ok($$SELECT woocommerce.authorize_url('https://alice.example', 'Catalog', 'https://c.example/back', 'http://c.example/auth-callback')$$,
                 '22023', NULL, 'an http callback_url is refused (WooCommerce insists on https)');
SELECT throws_ok(format($$SELECT woocommerce.set_webhook_options(%s, 'archive')$$, :conn), '22023', NULL,
                 'on_product_deleted takes mark, flag or delete');
RESET ROLE;
SET ROLE tap_bob;
SELECT is((SELECT count(*)::int FROM woocommerce.authorization_request), 0, 'Bob sees none of Alice''s flows');
RESET ROLE;

-- Settings ------------------------------------------------------------------------------
SELECT is(current_setting('woocommerce.webhook_listen'), '', 'the receiver is off by default');
SELECT throws_ok($$SET woocommerce.webhook_listen = '127.0.0.1:1'$$, '55P02', NULL,
                 'woocommerce.webhook_listen is set in the server configuration');
SELECT throws_ok($$SET woocommerce.webhook_max_body_bytes = 100$$, '22023', NULL,
                 'webhook_max_body_bytes has a floor of 1 kB');

SELECT * FROM finish();
ROLLBACK;
