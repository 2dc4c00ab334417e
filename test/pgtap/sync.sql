-- The sync engine's contracts: its functions and their privileges, the
-- SQLSTATEs of bad input, ownership between two roles, a store that cannot
-- be reached (no secret in the error), the progress setting, and pg_cron
-- being optional. No store is needed: connections point at a closed port.
\set QUIET on
\set ON_ERROR_ROLLBACK 1
\set ON_ERROR_STOP true
BEGIN;
CREATE EXTENSION woocommerce_fdw;
\ir ../../examples/grants.sql
SELECT plan(37);

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

-- Structure ------------------------------------------------------------------------
SELECT has_function('woocommerce', 'export_products', ARRAY['bigint', 'bigint[]', 'text[]', 'boolean', 'text[]']);
SELECT has_function('woocommerce', 'import_products', ARRAY['bigint', 'bigint[]', 'boolean', 'timestamp with time zone']);
SELECT has_function('woocommerce', 'update_product', ARRAY['bigint', 'bigint', 'text[]', 'text']);
SELECT has_function('woocommerce', 'delete_product', ARRAY['bigint', 'bigint', 'boolean', 'text']);
SELECT has_function('woocommerce', 'sync_status', ARRAY['bigint']);
SELECT has_function('woocommerce', 'schedule_sync', ARRAY['bigint', 'text', 'text']);
SELECT has_function('woocommerce', 'unschedule_sync', ARRAY['bigint', 'text']);
SELECT has_function('woocommerce', 'sync', ARRAY['bigint', 'text']);
SELECT function_returns('woocommerce', 'schedule_sync', ARRAY['bigint', 'text', 'text'], 'bigint');
SELECT has_column('woocommerce', 'sync_run', 'high_water_mark', 'sync_run keeps the import high-water mark');
SELECT has_column('woocommerce', 'sync_run', 'deleted', 'sync_run counts deletions');
SELECT is((SELECT count(*)::int FROM unnest(ARRAY[
             'woocommerce.export_products(bigint,bigint[],text[],boolean,text[])',
             'woocommerce.import_products(bigint,bigint[],boolean,timestamptz)',
             'woocommerce.update_product(bigint,bigint,text[],text)', 'woocommerce.delete_product(bigint,bigint,boolean,text)',
             'woocommerce.sync_status(bigint)', 'woocommerce.schedule_sync(bigint,text,text)',
             'woocommerce.unschedule_sync(bigint,text)', 'woocommerce.sync(bigint,text)',
             'woocommerce._sync_request(name,text,json)']) f
           WHERE has_function_privilege('public', f::regprocedure, 'EXECUTE')), 0,
          'no sync function is executable by PUBLIC');

-- examples/grants.sql gives woocommerce_user every function and procedure
-- of the schema (the sync functions call internal ones).
CREATE ROLE tap_sync_alice IN ROLE woocommerce_user;
CREATE ROLE tap_sync_bob IN ROLE woocommerce_user;

-- Bob's product and connection -------------------------------------------------------
SET LOCAL ROLE tap_sync_bob;
SELECT id AS bob_conn FROM woocommerce.create_connection('Bob shop', 'http://127.0.0.1:1', 'ck_bob', 'cs_BOB_SECRET',
                                                         verify => false, options => '{"max_retries": 0}') \gset
INSERT INTO woocommerce.product (sku, name) VALUES ('BOB-1', 'Bob''s') RETURNING id AS bob_product \gset
RESET ROLE;

-- Alice -----------------------------------------------------------------------------
SET LOCAL ROLE tap_sync_alice;
SELECT id AS conn FROM woocommerce.create_connection('Alice shop', 'http://127.0.0.1:1', 'ck_alice', 'cs_ALICE_SECRET_2',
                                                     verify => false, options => '{"max_retries": 0}') \gset
INSERT INTO woocommerce.product (sku, name, regular_price) VALUES ('ALICE-1', 'Alice''s', 3) RETURNING id AS product \gset

SELECT throws_ok(format('SELECT * FROM woocommerce.export_products(%s)', :bob_conn), '42704',
                 format('connection %s not found', :bob_conn), 'another role''s connection is not found');
SELECT throws_ok(format('SELECT * FROM woocommerce.export_products(%s, ARRAY[%s])', :conn, :bob_product), '42704',
                 format('product %s not found', :bob_product), 'another role''s product is not found');
SELECT throws_ok(format('SELECT * FROM woocommerce.import_products(%s)', :bob_conn), '42704', NULL,
                 'imports refuse another role''s connection');
SELECT throws_ok(format('SELECT * FROM woocommerce.delete_product(%s, %s)', :conn, :bob_product), '42704', NULL,
                 'delete_product refuses another role''s product');
SELECT throws_ok(format('SELECT * FROM woocommerce.sync_status(%s)', :bob_conn), '42704', NULL,
                 'sync_status refuses another role''s connection');
SELECT throws_ok(format('SELECT * FROM woocommerce.export_products(%s, fields => ARRAY[''colour''])', :conn), '22023',
                 'unknown WooCommerce product field "colour" in fields', 'unknown fields are refused');
SELECT throws_ok(format('SELECT * FROM woocommerce.export_products(%s, fields => ARRAY[''total_sales''])', :conn), '22023',
                 NULL, 'read-only fields are refused');
SELECT throws_ok(format('SELECT * FROM woocommerce.update_product(%s, NULL)', :conn), '22004', NULL,
                 'update_product needs a product');
SELECT throws_ok(format('SELECT * FROM woocommerce.delete_product(%s, %s)', :conn, :product), '42704',
                 format('product %s is not in the store of connection %s', :product, :conn),
                 'a product never exported cannot be deleted from the store');
SELECT throws_ok(format('CALL woocommerce.sync(%s, ''up'')', :conn), '22023', 'invalid sync direction "up"',
                 'sync checks its direction');
SELECT throws_ok(format('SELECT woocommerce.schedule_sync(%s, ''* * * * *'')', :conn), '0A000',
                 'pg_cron is not installed in this database', 'without pg_cron, scheduling says so');

-- A store that cannot be reached: PostgreSQL's connection SQLSTATE, no
-- secret anywhere in the error, nothing recorded as synced. The failing
-- call is a statement of its own, not inside throws_ok: an exception block
-- rolls back whatever the call did, so what it leaves behind can only be
-- read by the statements after it.
\set ON_ERROR_STOP false
\set VERBOSITY sqlstate
SELECT * FROM woocommerce.export_products(:conn) /* fails on purpose: 08001 */;
\set VERBOSITY default
\set ON_ERROR_STOP true
SELECT is(:'ERROR' || ' ' || :'LAST_ERROR_SQLSTATE', 'true 08001', 'an unreachable store is a connection error');
SELECT is((SELECT count(*)::int FROM woocommerce.product_sync), 0, 'a failed export records no product as exchanged');
SELECT is((SELECT last_synced_at FROM woocommerce.connection WHERE id = :conn), NULL,
          'a failed export does not count as a sync of the connection');
SELECT is((SELECT count(*)::int FROM woocommerce.sync_run WHERE failed = 0 AND errors = '[]'), 0,
          'and leaves no run that looks clean');
SELECT unalike(pg_temp.error_text(format('SELECT * FROM woocommerce.export_products(%s)', :conn)),
               '%cs_ALICE_SECRET_2%', 'the error does not contain the secret');
SELECT throws_ok(format('SELECT * FROM woocommerce.import_products(%s)', :conn), '08001', NULL,
                 'imports report the same error');
SELECT is((SELECT total::int FROM woocommerce.sync_status(:conn)), 0, 'sync_status counts the connection''s rows');
SELECT is((SELECT cardinality(products) FROM woocommerce.sync_status(:conn)), 0, 'and lists them');

SELECT throws_ok(format('SELECT woocommerce.unschedule_sync(%s)', :conn), '0A000', NULL,
                 'unscheduling without pg_cron says so too');
SELECT is((woocommerce.update_connection(:conn, is_active => false)).is_active, false, 'deactivate');
SELECT throws_ok(format('SELECT * FROM woocommerce.export_products(%s)', :conn), '55000', NULL,
                 'inactive connections refuse to export');
SELECT throws_ok(format('SELECT * FROM woocommerce.update_product(%s, %s)', :conn, :product), '55000', NULL,
                 'and to update a product');
RESET ROLE;

-- The progress setting exists once the library is loaded and is a boolean.
SELECT is(current_setting('woocommerce.sync_progress'), 'on', 'progress NOTICEs are on by default');
SELECT throws_ok('SET woocommerce.sync_progress = sometimes', '22023', NULL, 'woocommerce.sync_progress is a boolean');

SELECT * FROM finish();
ROLLBACK;
