-- The management schema: structure, validation rules, default handling,
-- ownership (row-level security) between two roles and secrets.
-- Connections are created with verify => false: no store is needed.
\set QUIET on
\set ON_ERROR_ROLLBACK 1
\set ON_ERROR_STOP true
BEGIN;
CREATE EXTENSION woocommerce_fdw;
-- The documented example GRANT script, as shipped.
\ir ../../examples/grants.sql
SELECT plan(103);

-- Every part of the error a statement raises (message, detail, hint,
-- context). The secret is passed as $1, as an application would bind it,
-- so that only the extension could put it into the error.
CREATE FUNCTION pg_temp.error_text(statement text, arg text DEFAULT NULL) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE m text; d text; h text; c text;
BEGIN
  EXECUTE statement USING arg;
  RETURN '';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT, c = PG_EXCEPTION_CONTEXT;
  RETURN concat_ws(' | ', m, d, h, c);
END $f$;
GRANT EXECUTE ON FUNCTION pg_temp.error_text(text, text) TO PUBLIC;

-- Every text-like value of every row of every woocommerce table containing
-- the string (run as superuser: sees all rows).
CREATE FUNCTION pg_temp.tables_containing(needle text) RETURNS bigint LANGUAGE plpgsql AS $f$
DECLARE col record; n bigint; total bigint := 0;
BEGIN
  FOR col IN SELECT c.relname, a.attname FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
               JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
              WHERE s.nspname = 'woocommerce' AND c.relkind IN ('r', 'v', 'm')
                AND a.atttypid IN ('text'::regtype, 'jsonb'::regtype, 'text[]'::regtype, 'name'::regtype, 'json'::regtype)
  LOOP
    EXECUTE format('SELECT count(*) FROM woocommerce.%I WHERE %I::text LIKE %L', col.relname, col.attname, '%' || needle || '%')
       INTO n;
    total := total + n;
  END LOOP;
  RETURN total;
END $f$;

CREATE ROLE tap_alice IN ROLE woocommerce_user;
CREATE ROLE tap_bob IN ROLE woocommerce_user;
CREATE ROLE tap_reader IN ROLE woocommerce_reader;
CREATE ROLE tap_nobody;

-- Structure ------------------------------------------------------------------
SELECT has_table('woocommerce', t, 'table woocommerce.' || t)
  FROM unnest(ARRAY['connection', 'export_mapping', 'import_mapping', 'product', 'product_sync', 'sync_run',
                    'product_field']) AS t;
SELECT has_function('woocommerce', 'create_connection',
                    ARRAY['text', 'text', 'text', 'text', 'text', 'boolean', 'boolean', 'jsonb']);
SELECT function_returns('woocommerce', 'create_connection',
                        ARRAY['text', 'text', 'text', 'text', 'text', 'boolean', 'boolean', 'jsonb'], 'woocommerce.connection');
SELECT has_function('woocommerce', 'update_connection',
                    ARRAY['bigint', 'text', 'text', 'text', 'text', 'text', 'boolean', 'boolean', 'jsonb', 'boolean']);
SELECT has_function('woocommerce', f, ARRAY['bigint'])
  FROM unnest(ARRAY['delete_connection', 'test_connection', 'require_active_connection',
                    'delete_export_mapping', 'active_export_mapping', 'delete_import_mapping', 'active_import_mapping']) AS f;
SELECT has_function('woocommerce', 'default_connection', ARRAY[]::name[]);
SELECT has_function('woocommerce', 'create_export_mapping', ARRAY['bigint', 'text', 'text[]', 'jsonb', 'boolean']);
SELECT has_function('woocommerce', 'create_import_mapping', ARRAY['bigint', 'text', 'jsonb', 'jsonb', 'boolean']);
SELECT is((SELECT count(*)::int FROM pg_class WHERE relnamespace = 'woocommerce'::regnamespace AND relrowsecurity
              AND relname IN ('connection', 'export_mapping', 'import_mapping', 'product', 'product_sync', 'sync_run')),
          6, 'row-level security on the six management tables');
SELECT col_is_unique('woocommerce', 'connection', ARRAY['owner', 'store_url'], 'connection unique per owner and URL');
SELECT col_is_unique('woocommerce', 'product_sync', ARRAY['connection_id', 'product_id'], 'one sync row per product');
SELECT col_is_unique('woocommerce', 'product_sync', ARRAY['connection_id', 'woo_product_id'], 'one sync row per store product');
SELECT has_index('woocommerce', 'product_sync', 'product_sync_connection_status_idx', ARRAY['connection_id', 'sync_status']);

-- product_field is the store's own schema
SELECT is((SELECT count(*)::int FROM woocommerce.product_field), 72, '72 product fields from the schema capture');
SELECT is((SELECT array_agg(name ORDER BY name) FROM woocommerce.product_field WHERE name IN ('price', 'permalink', 'sku', 'name') AND readonly),
          ARRAY['permalink', 'price'], 'price and permalink are read-only, name and sku writable');

-- Alice's connections -------------------------------------------------------------
SET LOCAL ROLE tap_alice;
SELECT id AS a1, server_name AS a1_server, is_default AS a1_default
  FROM woocommerce.create_connection('Alice shop', 'https://Shop.Example.com/', 'ck_alice_key', 'cs_ALICE_SECRET_1',
                                     webhook_secret => 'wh_ALICE_HOOK', verify => false) \gset
SELECT is(:'a1_default'::boolean, true, 'the first connection becomes the default');
SELECT is((SELECT store_url FROM woocommerce.connection WHERE id = :a1), 'https://shop.example.com',
          'the store URL is normalised');
SELECT is((SELECT owner::text FROM woocommerce.connection WHERE id = :a1), 'tap_alice', 'owned by the creating role');
SELECT is((SELECT srvoptions FROM pg_foreign_server WHERE srvname = :'a1_server'), ARRAY['url=https://shop.example.com'],
          'a foreign server with the URL');
SELECT ok((SELECT umoptions @> ARRAY['consumer_secret=cs_ALICE_SECRET_1'] FROM pg_user_mappings WHERE srvname = :'a1_server'),
          'the secret is in the owner''s user mapping, readable by the owner');
SELECT id AS a2 FROM woocommerce.create_connection('Alice second', 'https://second.example.com', 'ck_alice_key',
                                                   'cs_ALICE_SECRET_2', verify => false,
                                                   options => '{"timeout_ms": 5000, "require_write": false}') \gset
SELECT is((SELECT srvoptions FROM pg_foreign_server s JOIN woocommerce.connection c ON c.server_name = s.srvname WHERE c.id = :a2),
          ARRAY['url=https://second.example.com', 'timeout_ms=5000'], 'options become server options (require_write only checks)');
SELECT is((SELECT is_default FROM woocommerce.connection WHERE id = :a2), false, 'a second connection is not the default');
SELECT lives_ok(format('SELECT woocommerce.update_connection(%s, is_default => true)', :a2), 'make the second the default');
SELECT is((SELECT array_agg(id ORDER BY id) FROM woocommerce.connection WHERE is_default), ARRAY[:a2::bigint],
          'making another default unsets the old one');
SELECT is((woocommerce.default_connection()).id, :a2::bigint, 'default_connection()');

-- Duplicates after normalisation
SELECT throws_ok($$SELECT woocommerce.create_connection('again', 'https://SHOP.example.com', 'ck', 'cs', verify => false)$$,
                 '23505', 'a connection to https://shop.example.com already exists for role tap_alice',
                 'duplicate store URL (after normalisation) refused');
SELECT throws_ok($$INSERT INTO woocommerce.connection (store_name, store_url) VALUES ('again', 'https://shop.example.com/')$$,
                 '23505', NULL, 'plain INSERT of a duplicate refused too');
SELECT throws_ok($$SELECT woocommerce.create_connection('creds', 'https://bob:hunter2@shop.example.com', 'ck', 'cs', verify => false)$$,
                 '22023', 'invalid store URL: it contains credentials (user:password@)', 'URL with credentials refused');
SELECT unalike(pg_temp.error_text($$SELECT woocommerce.create_connection('creds', $1, 'ck', 'cs', verify => false)$$,
                                  'https://bob:hunter2@shop.example.com'),
               '%hunter2%', 'the password in a URL is not repeated');
SELECT throws_ok($$SELECT woocommerce.create_connection('q', 'https://shop.example.com/?x=1', 'ck', 'cs', verify => false)$$,
                 '22023', 'invalid store URL: it contains a query string', 'URL with a query refused');
SELECT throws_ok($$SELECT woocommerce.create_connection('opts', 'https://o.example.com', 'ck', 'cs', verify => false, options => '{"consumer_secret": "x"}')$$,
                 'HV00D', NULL, 'secrets are refused in options');
SELECT throws_ok($$SELECT woocommerce.create_connection('opts', 'https://o.example.com', 'ck', 'cs', verify => false, options => '{"bogus": 1}')$$,
                 'HV00D', NULL, 'unknown server options refused by the wrapper''s validator');

-- Verification failure: the store's diagnosis, never the secret
SELECT throws_ok($$SELECT woocommerce.create_connection('down', 'http://127.0.0.1:9', 'ck_x', 'cs_DOWN_SECRET', options => '{"max_retries": 0}')$$,
                 '08001', 'could not verify the connection to http://127.0.0.1:9', 'verify refuses to save an unreachable store');
SELECT unalike(pg_temp.error_text($$SELECT woocommerce.create_connection('down', 'http://127.0.0.1:9', 'ck_x', $1, options => '{"max_retries": 0}')$$,
                                  'cs_DOWN_SECRET'),
               '%cs_DOWN_SECRET%', 'the secret is in no part of the verification error');
-- What a failed create leaves behind, read by the statements after a call
-- that fails on its own (inside throws_ok its exception block would roll
-- back whatever the call did).
SELECT count(*) AS servers_before FROM pg_foreign_server \gset
\set ON_ERROR_STOP false
\set VERBOSITY sqlstate
SELECT woocommerce.create_connection('down', 'http://127.0.0.1:9', 'ck_x', 'cs_DOWN_SECRET', options => '{"max_retries": 0}')
       /* fails on purpose: 08001 */;
\set VERBOSITY default
\set ON_ERROR_STOP true
SELECT is(:'ERROR' || ' ' || :'LAST_ERROR_SQLSTATE', 'true 08001', 'the create failed on its own');
SELECT is((SELECT count(*)::int FROM woocommerce.connection WHERE store_url = 'http://127.0.0.1:9'), 0, 'nothing saved');
SELECT is((SELECT count(*) FROM pg_foreign_server), :servers_before::bigint, 'no foreign server left behind');
SELECT is((SELECT count(*)::int FROM pg_user_mappings WHERE umoptions::text LIKE '%ck_x%'), 0, 'no user mapping left behind');

-- Mappings: validation
SELECT throws_ok(format($$SELECT woocommerce.create_export_mapping(%s, 'no sku', ARRAY['name', 'regular_price'])$$, :a1),
                 '22023', 'selected_fields must include "name" and "sku" (missing: sku)', 'sku is mandatory');
SELECT throws_ok(format($$INSERT INTO woocommerce.export_mapping (connection_id, name, selected_fields) VALUES (%s, 'x', '{sku}')$$, :a1),
                 '22023', 'selected_fields must include "name" and "sku" (missing: name)', 'name is mandatory for plain INSERT too');
SELECT throws_ok(format($$SELECT woocommerce.create_export_mapping(%s, 'bad', ARRAY['name', 'sku', 'colour'])$$, :a1),
                 '22023', 'unknown WooCommerce product field "colour" in selected_fields', 'unknown field rejected');
SELECT matches(pg_temp.error_text(format($$SELECT woocommerce.create_export_mapping(%s, 'bad', ARRAY['name', 'sku', 'colour'])$$, :a1)),
               'Valid fields: attributes, .*regular_price, .*weight\.', 'the hint lists the valid fields');
SELECT throws_ok(format($$SELECT woocommerce.create_export_mapping(%s, 'ro', ARRAY['name', 'sku', 'price'])$$, :a1),
                 '22023', 'WooCommerce product field "price" in selected_fields is read-only: the store does not accept it',
                 'read-only field rejected for export');
SELECT throws_ok(format($$SELECT woocommerce.create_export_mapping(%s, 'fm', ARRAY['name', 'sku'], '{"colour": "name"}')$$, :a1),
                 '22023', 'unknown local field "colour" in field_mappings', 'unknown local field rejected');
SELECT throws_ok(format($$SELECT woocommerce.create_export_mapping(%s, 'fm', ARRAY['name', 'sku'], '{"regular_price": "price"}')$$, :a1),
                 '22023', NULL, 'export field_mappings target must be writable');
SELECT throws_ok(format($$SELECT woocommerce.create_import_mapping(%s, 'im', '{"Color": ""}')$$, :a1),
                 '22023', NULL, 'attribute mappings need non-empty local keys');
SELECT throws_ok(format($$SELECT woocommerce.create_import_mapping(%s, 'im', '{}', '{"total_salez": "name"}')$$, :a1),
                 '22023', 'unknown WooCommerce product field "total_salez" in field_mappings', 'unknown import field rejected');
SELECT lives_ok(format($$SELECT woocommerce.create_import_mapping(%s, 'im', '{"Color": "color", "pa_size": "size"}', '{"price": "regular_price"}')$$, :a1),
                'import may read read-only fields');

-- Mappings: one active per connection
SELECT id AS m1 FROM woocommerce.create_export_mapping(:a1, 'first', ARRAY['name', 'sku', 'regular_price'],
                                                       '{"regular_price": "regular_price"}') \gset
SELECT id AS m2 FROM woocommerce.create_export_mapping(:a1, 'second', ARRAY['sku', 'name', 'description']) \gset
SELECT is((SELECT array_agg(id ORDER BY id) FROM woocommerce.export_mapping WHERE is_active), ARRAY[:m2::bigint],
          'activating a mapping deactivates the others');
UPDATE woocommerce.export_mapping SET is_active = true WHERE id = :m1;
SELECT is((SELECT array_agg(id ORDER BY id) FROM woocommerce.export_mapping WHERE is_active), ARRAY[:m1::bigint],
          'plain UPDATE follows the same rule');
SELECT is((woocommerce.active_export_mapping(:a1)).id, :m1::bigint, 'active_export_mapping(connection)');
SELECT is((woocommerce.active_export_mapping()).id, NULL::bigint, 'active_export_mapping() uses the default connection (none there)');
SELECT is((woocommerce.update_export_mapping(:m2, is_active => true)).is_active, true, 'update_export_mapping');
SELECT is((woocommerce.active_export_mapping(:a1)).id, :m2::bigint, '... and the other one is inactive');
SELECT lives_ok(format('SELECT woocommerce.delete_export_mapping(%s)', :m2), 'delete_export_mapping');
SELECT is((woocommerce.active_import_mapping(:a1)).name, 'im', 'active_import_mapping');

-- Alice's catalog and sync state
INSERT INTO woocommerce.product (sku, name, regular_price, sale_price, manage_stock, stock_quantity)
VALUES ('ALICE-1', 'Alice product', 20, 15, true, 3);
SELECT id AS p1 FROM woocommerce.product WHERE sku = 'ALICE-1' \gset
INSERT INTO woocommerce.product_sync (connection_id, product_id, woo_product_id) VALUES (:a1, :p1, 101);
INSERT INTO woocommerce.sync_run (connection_id, direction) VALUES (:a1, 'export');
SELECT throws_ok($$INSERT INTO woocommerce.product (sku, name, regular_price, sale_price) VALUES ('X', 'x', 10, 12)$$,
                 '23514', NULL, 'sale price below regular price');
SELECT throws_ok($$INSERT INTO woocommerce.product (sku, name, regular_price) VALUES ('X', 'x', -1)$$,
                 '23514', NULL, 'prices are non-negative');
SELECT throws_ok($$INSERT INTO woocommerce.product (sku, name, status) VALUES ('X', 'x', 'published')$$,
                 '23514', 'invalid product status: "published"', 'status from WooCommerce''s enumeration');
SELECT throws_ok($$INSERT INTO woocommerce.product (sku, name) VALUES ('ALICE-1', 'again')$$, '23505', NULL,
                 'sku unique per owner');
RESET ROLE;

-- Bob cannot see or change Alice's rows ----------------------------------------------
SET LOCAL ROLE tap_bob;
SELECT id AS b1, server_name AS b1_server
  FROM woocommerce.create_connection('Bob shop', 'https://shop.example.com', 'ck_bob', 'cs_BOB_SECRET', verify => false) \gset
SELECT is((SELECT array_agg(id) FROM woocommerce.connection), ARRAY[:b1::bigint],
          'Bob sees only his connection (same URL as Alice''s is fine)');
SELECT is((SELECT count(*)::int FROM woocommerce.export_mapping) + (SELECT count(*)::int FROM woocommerce.import_mapping)
          + (SELECT count(*)::int FROM woocommerce.product) + (SELECT count(*)::int FROM woocommerce.product_sync)
          + (SELECT count(*)::int FROM woocommerce.sync_run), 0, 'Bob sees no mapping, product, sync row or run of Alice');
SELECT is((woocommerce.default_connection()).id, :b1::bigint, 'Bob''s default is his own');
WITH u AS (UPDATE woocommerce.connection SET store_name = 'mine' WHERE id = :a1 RETURNING 1)
SELECT is(count(*)::int, 0, 'Bob cannot update Alice''s connection') FROM u;
WITH d AS (DELETE FROM woocommerce.product WHERE sku = 'ALICE-1' RETURNING 1)
SELECT is(count(*)::int, 0, 'Bob cannot delete Alice''s product') FROM d;
SELECT throws_ok(format('SELECT woocommerce.update_connection(%s, store_name => %L)', :a1, 'mine'), '42704',
                 format('connection %s not found', :a1), 'update_connection: Alice''s connection does not exist for Bob');
SELECT throws_ok(format('SELECT woocommerce.delete_connection(%s)', :a1), '42704', NULL, 'delete_connection too');
SELECT throws_ok(format('SELECT woocommerce.test_connection(%s::bigint)', :a1), '42704', NULL, 'test_connection too');
SELECT throws_ok(format($$SELECT woocommerce.create_export_mapping(%s, 'steal', ARRAY['name', 'sku'])$$, :a1), '42704', NULL,
                 'Bob cannot create a mapping for Alice''s connection');
SELECT throws_ok(format($$INSERT INTO woocommerce.import_mapping (connection_id, name) VALUES (%s, 'steal')$$, :a1), '42501', NULL,
                 '... not even with a plain INSERT');
SELECT throws_ok(format($$INSERT INTO woocommerce.product_sync (connection_id, product_id) VALUES (%s, %s)$$, :b1, :p1), '42501', NULL,
                 'Bob cannot link Alice''s product to his connection');
SELECT throws_ok($$INSERT INTO woocommerce.product (owner, sku, name) VALUES ('tap_alice', 'B', 'b')$$, '42501', NULL,
                 'Bob cannot create a product owned by Alice');
SELECT is((SELECT umoptions FROM pg_user_mappings WHERE srvname = :'a1_server'), NULL,
          'Bob cannot read Alice''s user mapping options');
SELECT throws_ok(format('DROP SERVER %I CASCADE', :'a1_server'), '42501', NULL, 'Bob cannot drop Alice''s server');
RESET ROLE;

-- Readers and strangers
SET LOCAL ROLE tap_reader;
SELECT is((SELECT count(*)::int FROM woocommerce.connection), 0, 'a reader sees no other role''s connections');
SELECT throws_ok($$SELECT woocommerce.create_connection('r', 'https://r.example.com', 'ck', 'cs', verify => false)$$, '42501', NULL,
                 'a reader cannot create connections');
RESET ROLE;
SET LOCAL ROLE tap_nobody;
SELECT throws_ok($$SELECT * FROM woocommerce.connection$$, '42501', NULL, 'without grants: no access');
RESET ROLE;

-- Secrets live only in user mappings
SELECT is(pg_temp.tables_containing('SECRET'), 0::bigint, 'no table column holds a consumer secret');
SELECT is(pg_temp.tables_containing('ALICE_HOOK'), 0::bigint, 'no table column holds a webhook secret');
SELECT is((SELECT count(*)::int FROM pg_views WHERE schemaname = 'woocommerce'), 0, 'no views that could expose them');

-- Default handling, inactive connections, delete cascade -----------------------------
SET LOCAL ROLE tap_alice;
SELECT id AS a3 FROM woocommerce.create_connection('Alice third', 'https://third.example.com', 'ck', 'cs_ALICE_SECRET_3',
                                                   verify => false) \gset
SELECT lives_ok(format('SELECT woocommerce.update_connection(%s, is_active => false)', :a1), 'deactivate the oldest');
SELECT throws_ok(format('SELECT woocommerce.require_active_connection(%s)', :a1), '55000',
                 format('connection %s (Alice shop) is inactive', :a1), 'inactive connections refuse to sync');
SELECT lives_ok(format('SELECT woocommerce.require_active_connection(%s)', :a3), 'active connections pass');
SELECT lives_ok(format('SELECT woocommerce.delete_connection(%s)', :a2), 'delete the default');
SELECT is((woocommerce.default_connection()).id, :a3::bigint, 'the oldest remaining active connection becomes the default');
SELECT lives_ok(format('SELECT woocommerce.delete_connection(%s)', :a1), 'delete a connection with mappings and sync rows');
SELECT is((SELECT count(*)::int FROM pg_foreign_server WHERE srvname = :'a1_server'), 0, 'its foreign server is gone');
SELECT is((SELECT count(*)::int FROM pg_user_mappings WHERE srvname = :'a1_server'), 0, 'its user mapping is gone');
SELECT is((SELECT count(*)::int FROM woocommerce.export_mapping WHERE connection_id = :a1)
          + (SELECT count(*)::int FROM woocommerce.import_mapping WHERE connection_id = :a1)
          + (SELECT count(*)::int FROM woocommerce.product_sync WHERE connection_id = :a1)
          + (SELECT count(*)::int FROM woocommerce.sync_run WHERE connection_id = :a1), 0,
          'its mappings, sync rows and runs are gone');
SELECT is((SELECT count(*)::int FROM woocommerce.product WHERE id = :p1), 1, 'the local product stays');
DELETE FROM woocommerce.connection WHERE id = :a3;
SELECT is((SELECT count(*)::int FROM pg_foreign_server WHERE srvname = 'woocommerce_connection_' || :a3), 0,
          'a plain DELETE removes the server too');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
