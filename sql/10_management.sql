-- Connections and mappings against the test store (test/store): create with
-- verification on good and bad keys, default handling, update, test, and
-- delete with everything that belongs to a connection.
\i sql/include/test_store.psql

-- An error as stable text: SQLSTATE, message, detail and hint, with the
-- store's address (its port varies) and the current role's name replaced. Secrets are bound as $1/$2,
-- as an application would, so only the extension could leak them. Errors
-- are kept for 31's secret scan (error_record.psql).
CREATE FUNCTION try(statement text, a text DEFAULT NULL, b text DEFAULT NULL)
RETURNS TABLE (sqlstate text, message text, detail text, hint text)
LANGUAGE plpgsql AS $$
DECLARE s text; m text; d text; h text; c text;
BEGIN
  EXECUTE statement USING a, b;
  RETURN QUERY SELECT '00000', 'no error', NULL::text, NULL::text;
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS s = RETURNED_SQLSTATE, m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT,
                          c = PG_EXCEPTION_CONTEXT;
  PERFORM public.regress_keep_error('10_management try', s, m, d, h, c);
  RETURN QUERY SELECT s, replace(regexp_replace(m, '(127\.0\.0\.1|localhost):[0-9]+', '<store>', 'g'),
                                 ' for role ' || current_user, ' for role <current_user>'),
                      regexp_replace(d, '127\.0\.0\.1(:[0-9]+)?', '<store>', 'g'), h;
END $$;

-- Bad keys: nothing is saved; the store's diagnosis is in DETAIL and HINT.
SELECT * FROM try(format($$SELECT woocommerce.create_connection('Bad secret', %L, %L, $1)$$, :'http', :'rw_key'), 'cs_wrong');
SELECT * FROM try(format($$SELECT woocommerce.create_connection('Bad key', %L, 'ck_unknown', $1, options => %L)$$,
                         :'https', jsonb_build_object('ca_file', :'ca')), :'rw_secret');
-- A read-only key fails the default check (exports need write) ...
SELECT * FROM try(format($$SELECT woocommerce.create_connection('Read only', %L, %L, $1)$$, :'http', :'ro_key'), :'ro_secret');
-- Nothing saved, read after failing calls that are statements of their own
-- (try()'s exception block rolls back whatever a call did, so counting
-- after it would prove nothing about the call).
\set VERBOSITY sqlstate
SELECT woocommerce.create_connection('Bad secret', :'http', :'rw_key', 'cs_wrong');
SELECT woocommerce.create_connection('Read only', :'http', :'ro_key', :'ro_secret');
\set VERBOSITY default
SELECT (SELECT count(*) FROM woocommerce.connection) AS connections,
       (SELECT count(*) FROM pg_foreign_server WHERE srvname LIKE 'woocommerce_connection_%') AS servers,
       (SELECT count(*) FROM pg_user_mappings WHERE srvname LIKE 'woocommerce_connection_%') AS user_mappings;

-- Success: a verified connection over HTTPS (Basic auth, the test CA).
SELECT store_name, store_url = :'https' AS url_ok, server_name LIKE 'woocommerce_connection_%' AS server_named,
       is_default, is_active, options ? 'ca_file' AS has_ca_file
  FROM woocommerce.create_connection('Main shop', :'https' || '/', :'rw_key', :'rw_secret',
                                     options => jsonb_build_object('ca_file', :'ca'));
SELECT id AS main_id, server_name AS main_server FROM woocommerce.connection WHERE store_name = 'Main shop' \gset
-- The server carries the URL and options; the keys are in the user mapping.
SELECT array_to_string(array_agg(regexp_replace(o, '=.*', '') ORDER BY o), ', ') AS server_options
  FROM pg_foreign_server, unnest(srvoptions) AS o WHERE srvname = :'main_server';
SELECT array_to_string(array_agg(regexp_replace(o, '=.*', '') ORDER BY o), ', ') AS user_mapping_options
  FROM pg_user_mappings, unnest(umoptions) AS o WHERE srvname = :'main_server';
-- test_connection(connection_id): the same answer as the URL form.
SELECT r->>'ok' AS ok, r->>'auth' AS auth, r->>'permissions' AS permissions
  FROM woocommerce.test_connection(:main_id) AS r;

-- ... and passes when only reading is wanted (over HTTP: OAuth 1.0a).
SELECT store_name, is_default, options
  FROM woocommerce.create_connection('Read only', :'http', :'ro_key', :'ro_secret', options => '{"require_write": false}');
SELECT id AS ro_id FROM woocommerce.connection WHERE store_name = 'Read only' \gset

-- Default handling: the first connection is the default; making another
-- one the default unsets it.
SELECT store_name, is_default FROM woocommerce.connection ORDER BY id;
SELECT (woocommerce.update_connection(:ro_id, is_default => true)).is_default;
SELECT store_name, is_default FROM woocommerce.connection ORDER BY id;
SELECT store_name FROM woocommerce.default_connection();

-- The same store twice (after normalisation) is refused.
SELECT * FROM try(format($$SELECT woocommerce.create_connection('Again', %L, %L, $1, verify => false)$$,
                         upper(:'http') || '//', :'rw_key'), :'rw_secret');

-- Update: a wrong secret is refused with verification and nothing changes;
-- without verification it is saved, and test_connection says what is wrong.
SELECT * FROM try(format($$SELECT woocommerce.update_connection(%s, consumer_secret => $1)$$, :main_id), 'cs_wrong');
SELECT r->>'ok' AS ok FROM woocommerce.test_connection(:main_id) AS r;
SELECT store_name FROM woocommerce.update_connection(:main_id, consumer_secret => 'cs_wrong', verify => false);
-- (the hint fits the form: a connection's keys change with update_connection)
SELECT r->>'ok' AS ok, r->>'status' AS status, r->>'error_code' AS error_code,
       replace(r->>'hint', format('update_connection(%s,', :main_id), 'update_connection(<main_id>,') AS hint
  FROM woocommerce.test_connection(:main_id) AS r;
SELECT store_name FROM woocommerce.update_connection(:main_id, store_name => 'Main shop (renamed)', consumer_secret => :'rw_secret');
SELECT r->>'ok' AS ok FROM woocommerce.test_connection(:main_id) AS r;
-- Moving the connection to another address of the store (plain HTTP,
-- OAuth 1.0a), with other options: the server follows.
SELECT store_url = replace(:'http', '127.0.0.1', 'localhost') AS url_ok, options
  FROM woocommerce.update_connection(:main_id, store_url => replace(:'http', '127.0.0.1', 'LocalHost') || '/',
                                     options => '{"timeout_ms": 20000}');
SELECT array_to_string(array_agg(regexp_replace(o, 'localhost:[0-9]+', '<store>') ORDER BY o), ', ') AS server_options
  FROM pg_foreign_server, unnest(srvoptions) AS o WHERE srvname = :'main_server';
SELECT r->>'ok' AS ok, r->>'auth' AS auth FROM woocommerce.test_connection(:main_id) AS r;
-- Inactive connections refuse to sync.
SELECT is_active FROM woocommerce.update_connection(:main_id, is_active => false);
SELECT * FROM try(format('SELECT woocommerce.require_active_connection(%s)', :main_id));
SELECT is_active FROM woocommerce.update_connection(:main_id, is_active => true);

-- Mappings on the connection.
SELECT name, selected_fields, field_mappings, is_active
  FROM woocommerce.create_export_mapping(:main_id, 'Basic export', ARRAY['name', 'sku', 'regular_price', 'stock_quantity'],
                                         '{"regular_price": "regular_price"}');
SELECT name, attribute_mappings, field_mappings, is_active
  FROM woocommerce.create_import_mapping(:main_id, 'Basic import', '{"Color": "color", "pa_size": "size"}',
                                         '{"price": "regular_price"}');
SELECT * FROM try(format($$SELECT woocommerce.create_export_mapping(%s, 'No SKU', ARRAY['name', 'description'])$$, :main_id));
SELECT * FROM try(format($$SELECT woocommerce.create_export_mapping(%s, 'Read-only', ARRAY['name', 'sku', 'total_sales'])$$, :main_id));
SELECT (woocommerce.active_export_mapping(:main_id)).name AS active_export,
       (woocommerce.active_import_mapping(:main_id)).name AS active_import;
INSERT INTO woocommerce.product (sku, name, regular_price) VALUES ('REG-1', 'Regress product', 9.5);
INSERT INTO woocommerce.product_sync (connection_id, product_id, woo_product_id, sync_status)
SELECT :main_id, id, 4242, 'synced' FROM woocommerce.product WHERE sku = 'REG-1';
INSERT INTO woocommerce.sync_run (connection_id, direction, created) VALUES (:main_id, 'export', 1);

-- No secret in any row of any table of the extension, nor in any error
-- caught above, the server log or another session (secret_scan.psql).
\i sql/include/secret_scan.psql
SELECT place, secret FROM pg_temp.secret_sightings(ARRAY[:'rw_secret', :'ro_secret', 'cs_wrong']);

-- Delete: the default goes to the oldest remaining active connection; the
-- server, user mapping, mappings, sync rows and runs go with the connection.
SELECT woocommerce.delete_connection(:ro_id);
SELECT store_name, is_default FROM woocommerce.connection ORDER BY id;
SELECT woocommerce.delete_connection(:main_id);
SELECT count(*) AS servers FROM pg_foreign_server WHERE srvname = :'main_server';
SELECT count(*) AS user_mappings FROM pg_user_mappings WHERE srvname = :'main_server';
SELECT (SELECT count(*) FROM woocommerce.connection) AS connections,
       (SELECT count(*) FROM woocommerce.export_mapping) AS export_mappings,
       (SELECT count(*) FROM woocommerce.import_mapping) AS import_mappings,
       (SELECT count(*) FROM woocommerce.product_sync) AS sync_rows,
       (SELECT count(*) FROM woocommerce.sync_run) AS runs,
       (SELECT count(*) FROM woocommerce.product) AS local_products;
SELECT woocommerce.default_connection() IS NULL AS no_default;
SELECT * FROM try('SELECT woocommerce.delete_connection(1000000)');

DELETE FROM woocommerce.product;
DROP FUNCTION try;
