-- Sharing a connection's sync status (issue 17, item 4) between roles:
-- a share lets a role see one connection, its runs and its product sync
-- states, and nothing else: not the owner's products or mappings, not the
-- keys, not the right to change or sync it. Role membership, by contrast,
-- hands over the secret (README's warning), and PostgreSQL shows every role
-- a server's options and who has user mappings. No store is needed.
\set QUIET on
\set ON_ERROR_ROLLBACK 1
\set ON_ERROR_STOP true
BEGIN;
CREATE EXTENSION woocommerce_fdw;
\ir ../../examples/grants.sql
SELECT plan(40);

-- Every part of the error a statement raises.
CREATE FUNCTION pg_temp.error_text(statement text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE m text; d text; h text; c text;
BEGIN
  EXECUTE statement;
  RETURN '';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT, c = PG_EXCEPTION_CONTEXT;
  RETURN concat_ws(' | ', m, d, h, c);
END $f$;
GRANT EXECUTE ON FUNCTION pg_temp.error_text(text) TO PUBLIC;

-- Structure ---------------------------------------------------------------------------
SELECT has_table('woocommerce', 'connection_share', 'connection_share exists');
SELECT has_function('woocommerce', 'share_connection', ARRAY['bigint', 'regrole']);
SELECT has_function('woocommerce', 'unshare_connection', ARRAY['bigint', 'regrole']);
SELECT is(has_function_privilege('public', 'woocommerce.share_connection(bigint,regrole)', 'EXECUTE'), false,
          'share_connection is not executable by PUBLIC');
SELECT is(has_function_privilege('woocommerce_reader', 'woocommerce.sync_status(bigint)', 'EXECUTE'), true,
          'examples/grants.sql lets woocommerce_reader call sync_status');
SELECT is(has_function_privilege('woocommerce_reader', 'woocommerce.share_connection(bigint,regrole)', 'EXECUTE'), false,
          'a reader cannot share');
SELECT is(has_function_privilege('woocommerce_user', 'woocommerce.share_connection(bigint,regrole)', 'EXECUTE'), true,
          'a user can share its connections');

CREATE ROLE tap_share_alice IN ROLE woocommerce_user;   -- owner
CREATE ROLE tap_share_carol IN ROLE woocommerce_reader; -- an observer
CREATE ROLE tap_share_bob IN ROLE woocommerce_user;     -- a user the connection is shared with
CREATE ROLE tap_share_dave;                             -- made a member of alice below

-- Alice's connection, product, sync state and a failed run -----------------------------
SET LOCAL ROLE tap_share_alice;
SELECT id AS conn, server_name FROM woocommerce.create_connection('Alice shop', 'http://127.0.0.1:1', 'ck_alice',
                                                                  'cs_ALICE_SHARE_SECRET', verify => false) \gset
INSERT INTO woocommerce.product (sku, name) VALUES ('ALICE-S1', 'Alice''s product') RETURNING id AS product \gset
INSERT INTO woocommerce.product_sync (connection_id, product_id, woo_product_id, sync_status) VALUES (:conn, :product, 77, 'synced');
INSERT INTO woocommerce.sync_run (connection_id, direction, status, error, sqlstate, finished_at)
VALUES (:conn, 'export', 'failed', 'could not connect to the store', '08001', now());
SELECT name FROM woocommerce.create_export_mapping(:conn, 'Private mapping', ARRAY['name', 'sku']) \g /dev/null
RESET ROLE;

-- Before a share, the others see nothing --------------------------------------------------
SET LOCAL ROLE tap_share_carol;
SELECT is((SELECT count(*)::int FROM woocommerce.connection), 0, 'an observer without a share sees no connection');
SELECT throws_ok(format('SELECT * FROM woocommerce.sync_status(%s)', :conn), '42704', NULL,
                 'nor its sync status');
RESET ROLE;

-- Alice shares with carol and bob -----------------------------------------------------
SET LOCAL ROLE tap_share_alice;
SELECT lives_ok(format('SELECT woocommerce.share_connection(%s, ''tap_share_carol'')', :conn), 'alice shares with carol');
SELECT lives_ok(format('SELECT woocommerce.share_connection(%s, ''tap_share_bob'')', :conn), 'and with bob');
SELECT lives_ok(format('SELECT woocommerce.share_connection(%s, ''tap_share_bob'')', :conn), 'sharing twice is harmless');
SELECT is((SELECT array_agg(grantee::text ORDER BY grantee::text) FROM woocommerce.connection_share WHERE connection_id = :conn),
          ARRAY['tap_share_bob', 'tap_share_carol'], 'the shares are listed for the owner');
RESET ROLE;

-- Carol sees the status, runs and product states ------------------------------------------
SET LOCAL ROLE tap_share_carol;
SELECT is((SELECT total::int FROM woocommerce.sync_status(:conn)), 1, 'carol reads sync_status');
SELECT is((SELECT last_run_status FROM woocommerce.sync_status(:conn)), 'failed', 'including the last run');
SELECT is((SELECT last_error FROM woocommerce.sync_status(:conn)), 'could not connect to the store', 'and why it failed');
SELECT is((SELECT count(*)::int FROM woocommerce.sync_run WHERE connection_id = :conn), 1, 'carol sees the runs');
SELECT is((SELECT woo_product_id FROM woocommerce.product_sync WHERE connection_id = :conn), 77::bigint,
          'and the product sync states');
SELECT is((SELECT store_name FROM woocommerce.connection WHERE id = :conn), 'Alice shop', 'and the connection row');
-- ...and nothing else.
SELECT is((SELECT count(*)::int FROM woocommerce.product), 0, 'carol does not see alice''s products');
SELECT is((SELECT count(*)::int FROM woocommerce.export_mapping), 0, 'nor her mappings');
SELECT is((SELECT umoptions FROM pg_user_mappings WHERE srvname = :'server_name'), NULL,
          'nor the options of her user mapping');
SELECT unalike(pg_temp.error_text(format('SELECT * FROM woocommerce.sync_status(%s)', :conn))
                 || coalesce((SELECT string_agg(x::text, ' ') FROM woocommerce.sync_status(:conn) x), ''),
               '%cs_ALICE_SHARE_SECRET%', 'the secret appears nowhere in what carol reads');
SELECT is((SELECT count(*)::int FROM woocommerce.connection_share), 1, 'carol sees only her own share');
SELECT throws_ok(format('INSERT INTO woocommerce.connection_share (connection_id, grantee) VALUES (%s, ''tap_share_dave'')', :conn),
                 '42501', NULL, 'carol cannot pass the share on');
RESET ROLE;

-- Bob, a full user, cannot change or delete what is shared with him ---------------------
SET LOCAL ROLE tap_share_bob;
SELECT throws_ok(format('SELECT woocommerce.update_connection(%s, store_name => ''Mine now'')', :conn), '42501', NULL,
                 'update_connection refuses a shared connection');
SELECT throws_ok(format('SELECT woocommerce.delete_connection(%s)', :conn), '42501', NULL,
                 'delete_connection refuses it');
SELECT throws_ok(format('SELECT woocommerce.create_export_mapping(%s, ''Sneaky'', ARRAY[''name'', ''sku''])', :conn), '42501', NULL,
                 'so do the mapping functions');
SELECT throws_ok(format('SELECT * FROM woocommerce.export_products(%s)', :conn), '42501',
                 format('connection %s (Alice shop) is shared with you for viewing only', :conn),
                 'a share does not allow syncing');
SELECT throws_ok(format('CALL woocommerce.sync(%s)', :conn), '42501',
                 format('connection %s (Alice shop) is shared with you for viewing only', :conn), 'nor CALL sync');
UPDATE woocommerce.connection SET store_name = 'Mine now' WHERE id = :conn;
DELETE FROM woocommerce.sync_run WHERE connection_id = :conn;
RESET ROLE;
SET LOCAL ROLE tap_share_alice;
SELECT is((SELECT store_name FROM woocommerce.connection WHERE id = :conn), 'Alice shop',
          'a plain UPDATE by bob changed nothing');
SELECT is((SELECT count(*)::int FROM woocommerce.sync_run WHERE connection_id = :conn), 1,
          'nor did a plain DELETE of its runs');
RESET ROLE;
SET LOCAL ROLE tap_share_bob;
SELECT throws_ok(format('SELECT woocommerce.unshare_connection(%s, ''tap_share_carol'')', :conn), '42501', NULL,
                 'bob cannot end carol''s share');
RESET ROLE;

-- Unsharing ends it ------------------------------------------------------------------------
SET LOCAL ROLE tap_share_alice;
SELECT is(woocommerce.unshare_connection(:conn, 'tap_share_carol'), true, 'alice ends carol''s share');
SELECT is(woocommerce.unshare_connection(:conn, 'tap_share_carol'), false, 'a second time there is none');
RESET ROLE;
SET LOCAL ROLE tap_share_carol;
SELECT throws_ok(format('SELECT * FROM woocommerce.sync_status(%s)', :conn), '42704', NULL,
                 'carol no longer sees the status');
SELECT is((SELECT count(*)::int FROM woocommerce.sync_run), 0, 'nor the runs');
RESET ROLE;

-- What membership hands over, and what every role sees anyway -----------------------------
GRANT tap_share_alice TO tap_share_dave;
SET LOCAL ROLE tap_share_dave;
SET LOCAL ROLE tap_share_alice;  -- a member may become alice...
SELECT alike((SELECT array_to_string(umoptions, ',') FROM pg_user_mappings WHERE srvname = :'server_name'),
            '%consumer_secret=cs_ALICE_SHARE_SECRET%',
            'a member of alice reads her consumer secret: membership is not a way to share status');
RESET ROLE;
SET LOCAL ROLE tap_share_carol;
SELECT alike((SELECT array_to_string(srvoptions, ',') FROM pg_foreign_server WHERE srvname = :'server_name'),
            '%url=http://127.0.0.1:1%', 'every role sees a server''s options (the store URL)');
SELECT is((SELECT usename::text FROM pg_user_mappings WHERE srvname = :'server_name'), 'tap_share_alice',
          'and who has a user mapping on it');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
