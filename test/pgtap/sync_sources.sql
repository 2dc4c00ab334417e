-- Syncing your own tables with two roles (issue 12): a mapping's
-- expressions run with the privileges of the role that runs the export,
-- never the extension owner's; row-level security on a source applies; an
-- expression that reads a table the role cannot read fails when saved and
-- when run. Exports go to the test store (WOO_STORE_HTTP).
\set QUIET on
\set ON_ERROR_ROLLBACK 1
\set ON_ERROR_STOP true
\getenv http WOO_STORE_HTTP
BEGIN;
CREATE EXTENSION woocommerce_fdw;
\ir ../../examples/grants.sql
SELECT plan(13);
SET woocommerce.sync_progress = off;

-- Every part of the error a statement raises.
CREATE FUNCTION pg_temp.error_text(statement text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE m text; d text;
BEGIN
  EXECUTE statement;
  RETURN '';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL;
  RETURN concat_ws(' | ', m, d);
END $f$;
GRANT EXECUTE ON FUNCTION pg_temp.error_text(text) TO PUBLIC;

SELECT is((SELECT array_agg(proname::text ORDER BY proname) FROM pg_proc
            WHERE pronamespace = 'woocommerce'::regnamespace AND prosecdef
              AND (proname LIKE '%export%' OR proname LIKE '%import%' OR proname LIKE '%expression%'
                   OR proname IN ('sync', '_sync_request', '_check_export_source', '_check_import_target'))),
          NULL, 'no function that evaluates a mapping''s expressions is SECURITY DEFINER');

CREATE ROLE tap_src_alice IN ROLE woocommerce_user;
CREATE ROLE tap_src_bob IN ROLE woocommerce_user;
CREATE SCHEMA tap_src;
GRANT USAGE ON SCHEMA tap_src TO tap_src_alice, tap_src_bob;
-- A shared catalog: each role sees its own rows (row-level security).
CREATE TABLE tap_src.catalog (sku text PRIMARY KEY, title text NOT NULL, price numeric, owned_by text NOT NULL);
ALTER TABLE tap_src.catalog ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON tap_src.catalog USING (owned_by = current_user);
GRANT SELECT ON tap_src.catalog TO tap_src_alice, tap_src_bob;
INSERT INTO tap_src.catalog
SELECT format('TAP-SRC-%s-%s', upper(split_part(r, '_', 3)), g), format('Item %s', g), 10 + g, r
  FROM unnest(ARRAY['tap_src_alice', 'tap_src_alice', 'tap_src_bob']) WITH ORDINALITY AS u(r, g);
-- Prices only alice may read.
CREATE TABLE tap_src.cost (sku text PRIMARY KEY, cost numeric);
INSERT INTO tap_src.cost SELECT sku, price / 2 FROM tap_src.catalog;
GRANT SELECT ON tap_src.cost TO tap_src_alice;
-- A table bob may read but not write.
CREATE TABLE tap_src.readonly_copy (sku text PRIMARY KEY, title text);
GRANT SELECT ON tap_src.readonly_copy TO tap_src_bob;

-- Alice -------------------------------------------------------------------------------
SET LOCAL ROLE tap_src_alice;
SELECT id AS alice_conn FROM woocommerce.create_connection('Alice tables', :'http', 'ck_test_readwrite_0000000000000000000000000',
                                                           'cs_test_readwrite_0000000000000000000000000', verify => false) \gset
SELECT lives_ok(format($$SELECT woocommerce.create_export_mapping(%s, 'Catalog', ARRAY['name', 'sku', 'regular_price'],
                          source => 'tap_src.catalog', key_column => 'sku',
                          field_expressions => '{"name": "title", "regular_price": "(SELECT c.cost FROM tap_src.cost c WHERE c.sku = src.sku) * 2"}')$$,
                        :alice_conn),
                'alice saves an expression reading a table she can read');
SELECT is((SELECT count(*)::int FROM woocommerce.export_products(:alice_conn) WHERE action = 'created'), 2,
          'her export reads the two rows row-level security shows her');
SELECT is((SELECT array_agg(key ORDER BY key) FROM woocommerce.product_sync WHERE connection_id = :alice_conn),
          ARRAY['TAP-SRC-ALICE-1', 'TAP-SRC-ALICE-2'], 'and keeps their sync state by key');
RESET ROLE;
-- Without her privilege, her own export fails: it never runs as the extension's owner.
REVOKE SELECT ON tap_src.cost FROM tap_src_alice;
UPDATE tap_src.catalog SET price = price + 1;
SET LOCAL ROLE tap_src_alice;
SELECT throws_ok(format('SELECT * FROM woocommerce.export_products(%s, only_changed => false)', :alice_conn), '42501', NULL,
                 'an export evaluates expressions with the privileges of the role that runs it');
RESET ROLE;

-- Bob -----------------------------------------------------------------------------------
SET LOCAL ROLE tap_src_bob;
SELECT id AS bob_conn FROM woocommerce.create_connection('Bob tables', :'http', 'ck_test_readwrite_0000000000000000000000000',
                                                         'cs_test_readwrite_0000000000000000000000000', verify => false) \gset
SELECT throws_ok(format($$SELECT woocommerce.create_export_mapping(%s, 'Peek', ARRAY['name', 'sku', 'regular_price'],
                          source => 'tap_src.catalog', key_column => 'sku',
                          field_expressions => '{"name": "title", "regular_price": "(SELECT c.cost FROM tap_src.cost c WHERE c.sku = src.sku)"}')$$,
                        :bob_conn),
                 '42501', NULL, 'bob cannot save an expression reading a table he cannot read');
SELECT matches(pg_temp.error_text(format($$INSERT INTO woocommerce.export_mapping (connection_id, name, selected_fields, source, key_column, field_expressions)
                          VALUES (%s, 'Peek', '{name,sku,regular_price}', 'tap_src.catalog', 'sku',
                                  '{"name": "title", "regular_price": "(SELECT c.cost FROM tap_src.cost c WHERE c.sku = src.sku)"}')$$,
                        :bob_conn)),
               'invalid expression for WooCommerce field "regular_price".*permission denied for table cost',
               'nor by a plain INSERT: the error names the field, and PostgreSQL''s message follows');
SELECT throws_ok(format($$SELECT woocommerce.create_export_mapping(%s, 'Costs', ARRAY['name', 'sku'],
                          source => 'tap_src.cost', key_column => 'sku', field_expressions => '{"name": "sku"}')$$, :bob_conn),
                 '42501', NULL, 'nor export from it');
SELECT lives_ok(format($$SELECT woocommerce.create_export_mapping(%s, 'Catalog', ARRAY['name', 'sku', 'regular_price'],
                          source => 'tap_src.catalog', key_column => 'sku',
                          field_expressions => '{"name": "title", "regular_price": "price"}')$$, :bob_conn),
                'bob exports the same catalog');
SELECT is((SELECT array_agg(key ORDER BY key) FROM woocommerce.export_products(:bob_conn)),
          ARRAY['TAP-SRC-BOB-3'], 'and reads only his row');
SELECT throws_ok(format($$SELECT woocommerce.create_import_mapping(%s, 'Into read-only', target => 'tap_src.readonly_copy',
                          column_expressions => '{"title": "p->>''name''"}')$$, :bob_conn),
                 '42501', NULL, 'an import target the role cannot write is refused when saved');
SELECT is((SELECT count(*)::int FROM woocommerce.export_mapping WHERE connection_id = :alice_conn), 0,
          'bob does not see alice''s mappings');
SELECT throws_ok(format('SELECT * FROM woocommerce.export_products(%s)', :alice_conn), '42704', NULL,
                 'nor can he run her export');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
