-- Key setup without copying secrets, end to end: a role asks for
-- authorize_url, the shop owner approves in the test store (its control
-- stands in for the click), WooCommerce's POST reaches the receiver over
-- HTTPS (TLS in the receiver itself), and the role has a verified
-- connection whose secret appears nowhere but in its user mapping: not in
-- SQL text, not in the server log (log_statement is 'all' meanwhile), not in
-- a table. Replays, expired and unknown tokens are refused.
\i sql/include/sync_setup.psql
\set QUIET on
SET client_min_messages = warning;
\i examples/grants.sql
RESET client_min_messages;
\set callback 'https://127.0.0.1:18787/woocommerce/auth-callback'
CREATE TEMP TABLE store_keys (k jsonb);
\set load_keys 'TRUNCATE store_keys; \\copy store_keys FROM PROGRAM ''curl -sf "$WOO_STORE_HTTP/__store/wc-auth/keys/all" | python3 -c "import json,sys; [print(json.dumps(k)) for k in json.load(sys.stdin)]"'' WITH (FORMAT csv, QUOTE E''\\x01'', DELIMITER E''\\x02'')'
CREATE FUNCTION pg_temp.mapping_option(role_name name, srv name, opt text) RETURNS text LANGUAGE sql AS $$
  SELECT o.option_value FROM pg_user_mappings u, pg_options_to_table(u.umoptions) o
   WHERE u.srvname = srv AND u.usename = role_name AND o.option_name = opt $$;
CREATE FUNCTION pg_temp.masked(url text) RETURNS text LANGUAGE sql AS $$
  SELECT regexp_replace(replace(url, current_setting('test.store'), '<store>'), 'user_id=[0-9a-f]{64}', 'user_id=<state>') $$;
SELECT set_config('test.store', :'https', false) IS NOT NULL AS store_set;
\set QUIET off

CREATE ROLE alice_65 IN ROLE woocommerce_user;
CREATE ROLE bob_65 IN ROLE woocommerce_user;
-- The receiver's role: receive_webhook and receive_auth_callback only.
CREATE ROLE woo_key_receiver LOGIN;
GRANT USAGE ON SCHEMA woocommerce TO woo_key_receiver;
GRANT EXECUTE ON FUNCTION woocommerce.receive_webhook(jsonb, bytea), woocommerce.receive_auth_callback(jsonb, bytea)
   TO woo_key_receiver;

-- The receiver with its own certificate (WooCommerce posts keys over https
-- only); the store trusts that certificate and may call the port.
\! sh sql/include/receiver_tls.sh
ALTER SYSTEM SET woocommerce.webhook_listen = '127.0.0.1:18787';
ALTER SYSTEM SET woocommerce.webhook_role = 'woo_key_receiver';
SELECT format('ALTER SYSTEM SET woocommerce.webhook_database = %L', current_database()) \gexec
ALTER SYSTEM SET woocommerce.webhook_tls_cert_file = '/tmp/woocommerce_fdw_receiver_tls/cert.pem';
ALTER SYSTEM SET woocommerce.webhook_tls_key_file = '/tmp/woocommerce_fdw_receiver_tls/key.pem';
ALTER SYSTEM SET log_statement = 'all';
SELECT pg_reload_conf();
\setenv WEBHOOK_CA /tmp/woocommerce_fdw_receiver_tls/cert.pem
\! python3 sql/include/webhook_client.py wait https://127.0.0.1:18787/woocommerce/webhook
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/wc-auth/config" -d '{"ca_file": "/tmp/woocommerce_fdw_receiver_tls/cert.pem", "allowed_ports": [18787]}'

-- Alice asks for a key (her connection will verify the store with the test CA).
SET ROLE alice_65;
SELECT woocommerce.authorize_url(:'https', 'Catalog sync', 'http://127.0.0.1:9099/return', :'callback',
                                 options => jsonb_build_object('ca_file', :'ca')) AS auth_url \gset
SELECT pg_temp.masked(:'auth_url') AS authorize_url;
SELECT owner::text, store_name, app_name, scope, used_at IS NULL AS open, expires_at - created_at AS valid_for
  FROM woocommerce.authorization_request;
RESET ROLE;
-- Bob sees nothing of it.
SET ROLE bob_65;
SELECT count(*) AS bob_sees FROM woocommerce.authorization_request;
RESET ROLE;

-- The shop owner approves: the store makes a key, POSTs it to the callback
-- URL, and, because the receiver answered 200, sends the browser back.
\setenv AUTH_URL :auth_url
\! python3 sql/include/webhook_client.py approve
SELECT c.owner::text AS owner, c.store_name, c.store_url = :'https' AS store_url_ok, r.outcome, r.used_at IS NOT NULL AS closed
  FROM woocommerce.connection c JOIN woocommerce.authorization_request r ON r.connection_id = c.id;
SELECT server_name AS srv FROM woocommerce.connection WHERE owner = 'alice_65'::regrole \gset
:load_keys
SELECT pg_temp.mapping_option('alice_65', :'srv', 'consumer_key') = (SELECT k->>'consumer_key' FROM store_keys) AS mapping_has_the_key,
       pg_temp.mapping_option('alice_65', :'srv', 'consumer_secret') = (SELECT k->>'consumer_secret' FROM store_keys) AS and_its_secret;
SET ROLE alice_65;
SELECT answer->>'ok' AS ok, answer->>'permissions' AS permissions
  FROM woocommerce.test_connection((SELECT id FROM woocommerce.connection)) AS answer;
RESET ROLE;
-- Bob cannot read Alice's user mapping, connection or flow.
SET ROLE bob_65;
SELECT count(*) AS bob_sees_connections FROM woocommerce.connection;
SELECT umoptions IS NULL AS options_hidden FROM pg_user_mappings WHERE srvname = :'srv';
RESET ROLE;
-- The secret is in no table of the schema (as the superuser, every row).
SELECT count(*) AS rows_holding_the_secret
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, store_keys k
 WHERE n.nspname = 'woocommerce' AND c.relkind = 'r'
   AND query_to_xml(format('SELECT * FROM %I.%I', n.nspname, c.relname), true, false, '')::text
       LIKE '%' || (k->>'consumer_secret') || '%';

-- Approving the same link again: the state was used, the receiver refuses,
-- WooCommerce deletes the new key. Alice's connection keeps the first one.
\! python3 sql/include/webhook_client.py approve
SELECT refusals, outcome FROM woocommerce.authorization_request;
:load_keys
SELECT count(*) AS keys_made, count(*) FILTER (WHERE (k->>'deleted')::boolean) AS deleted_by_the_store,
       pg_temp.mapping_option('alice_65', :'srv', 'consumer_key') =
           (SELECT k->>'consumer_key' FROM store_keys WHERE NOT (k->>'deleted')::boolean) AS first_key_kept
  FROM store_keys;

-- An unknown state token, an expired one, a connection that fails to
-- verify: refused, the key deleted by the store, nothing created.
\setenv AUTH_URL :https/wc-auth/v1/authorize?app_name=Catalog&scope=read_write&user_id=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef&return_url=http%3A%2F%2F127.0.0.1%3A9099%2Freturn&callback_url=https%3A%2F%2F127.0.0.1%3A18787%2Fwoocommerce%2Fauth-callback
\! python3 sql/include/webhook_client.py approve
SET ROLE alice_65;
SELECT woocommerce.authorize_url(:'https', 'Catalog', 'http://127.0.0.1:9099/return', :'callback',
                                 options => jsonb_build_object('ca_file', :'ca'), valid_for => '1 second') AS expiring \gset
SELECT woocommerce.authorize_url(:'https', 'Catalog', 'http://127.0.0.1:9099/return', :'callback',
                                 options => jsonb_build_object('ca_file', '/nonexistent/ca.pem')) AS unverifiable \gset
RESET ROLE;
SELECT pg_sleep(1.2);
\setenv AUTH_URL :expiring
\! python3 sql/include/webhook_client.py approve
\setenv AUTH_URL :unverifiable
\! python3 sql/include/webhook_client.py approve
-- libcurl's words for the unreadable CA file change with its version (8.22:
-- "error adding trust anchors from file"): only ours are compared.
SELECT regexp_replace(regexp_replace(outcome, '\s+', ' ', 'g'), '(TLS failure talking to [^:]*): .*$', '\1: <libcurl>')
         AS outcome, refusals, used_at IS NOT NULL AS closed
  FROM woocommerce.authorization_request ORDER BY id;
SELECT count(*) AS connections FROM woocommerce.connection;

-- A second flow for the same store rotates the key of the existing connection.
SET ROLE alice_65;
SELECT woocommerce.authorize_url(:'https', 'Catalog sync', 'http://127.0.0.1:9099/return', :'callback',
                                 options => jsonb_build_object('ca_file', :'ca')) AS again \gset
RESET ROLE;
\setenv AUTH_URL :again
\! python3 sql/include/webhook_client.py approve
SELECT outcome FROM woocommerce.authorization_request ORDER BY id DESC LIMIT 1;
:load_keys
SELECT count(*) AS connections,
       pg_temp.mapping_option('alice_65', :'srv', 'consumer_key') =
           (SELECT k->>'consumer_key' FROM store_keys WHERE NOT (k->>'deleted')::boolean ORDER BY (k->>'key_id')::int DESC LIMIT 1)
           AS rotated
  FROM woocommerce.connection;

-- Not one of the keys the flow made is in the server log, although every
-- statement was logged (the log is the one holding the receiver's start).
\! python3 sql/include/webhook_client.py secrets-in-log 'webhook receiver listening on 127.0.0.1:18787 with TLS'

-- Refused before anything reaches the store.
SET ROLE alice_65;
SELECT pg_temp.try(format($$SELECT woocommerce.authorize_url(%L, 'Catalog', 'http://x/r', 'http://127.0.0.1:18787/auth-callback')$$, :'https'));
SELECT pg_temp.try(format($$SELECT woocommerce.authorize_url(%L, '', 'http://x/r', 'https://x/auth-callback')$$, :'https'));
SELECT pg_temp.try(format($$SELECT woocommerce.authorize_url(%L, 'Catalog', 'http://x/r', 'https://x/auth-callback', 'admin')$$, :'https'));
SELECT pg_temp.try(format($$SELECT woocommerce.authorize_url(%L, 'Catalog', 'not a url', 'https://x/auth-callback')$$, :'https'));
SELECT pg_temp.try(format($$SELECT woocommerce.authorize_url(%L, 'Catalog', 'http://x/r', 'https://x/auth-callback', options => '{"consumer_secret": "x"}')$$, :'https'));
SELECT pg_temp.try($$SELECT woocommerce.authorize_url('ftp://shop', 'Catalog', 'http://x/r', 'https://x/auth-callback')$$);
RESET ROLE;
-- Malformed callbacks, straight to the function.
SELECT woocommerce.receive_auth_callback('{}', convert_to('{"key_id": 1}', 'UTF8')) - 'message' AS malformed;
SELECT woocommerce.receive_auth_callback('{}', convert_to(repeat(' ', 20000), 'UTF8')) ->> 'status' AS too_large;

-- Off again.
ALTER SYSTEM RESET woocommerce.webhook_listen;
ALTER SYSTEM RESET woocommerce.webhook_role;
ALTER SYSTEM RESET woocommerce.webhook_database;
ALTER SYSTEM RESET woocommerce.webhook_tls_cert_file;
ALTER SYSTEM RESET woocommerce.webhook_tls_key_file;
ALTER SYSTEM RESET log_statement;
SELECT pg_reload_conf();
SELECT count(woocommerce.delete_connection(id)) AS deleted FROM woocommerce.connection;
DELETE FROM woocommerce.authorization_request;
REVOKE ALL ON SCHEMA woocommerce FROM woo_key_receiver;
REVOKE ALL ON FUNCTION woocommerce.receive_webhook(jsonb, bytea), woocommerce.receive_auth_callback(jsonb, bytea)
  FROM woo_key_receiver;
DROP ROLE woo_key_receiver, alice_65, bob_65;
