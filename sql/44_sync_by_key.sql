-- One row of your own table at a time (issue 12): update_product and
-- delete_product by key, for a user table with variations; and a conflict
-- on a variation (changed in the store and locally since the last
-- exchange) under conflict_policy manual, found by one list request of the
-- parent's variations and resolved. Requests from the store's log.
\i sql/include/sync_setup.psql
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/reset" -d '{"products": 0}'
SELECT id AS conn, server_name FROM woocommerce.create_connection('By key shop', :'http', :'rw_key', :'rw_secret') \gset
DROP SCHEMA IF EXISTS pim3 CASCADE;
CREATE SCHEMA pim3;
CREATE TABLE pim3.shirts (code text PRIMARY KEY, parent_code text REFERENCES pim3.shirts, kind text NOT NULL,
                          title text NOT NULL, color text, price numeric);
INSERT INTO pim3.shirts VALUES ('POLO', NULL, 'variable', 'Polo', NULL, NULL),
                               ('POLO-RED', 'POLO', 'variation', 'Polo red', 'Red', 30),
                               ('POLO-BLUE', 'POLO', 'variation', 'Polo blue', 'Blue', 31),
                               ('CAP', NULL, 'simple', 'Cap', NULL, 9);
SELECT name FROM woocommerce.create_export_mapping(:conn, 'Shirts', ARRAY['name', 'sku', 'type', 'regular_price', 'attributes'],
    source => 'pim3.shirts', key_column => 'code', parent_key_column => 'parent_code',
    field_expressions => $${"name": "title", "sku": "code", "type": "kind", "regular_price": "price",
        "attributes": "CASE WHEN kind = 'variable' THEN '{\"Color\": [\"Red\", \"Blue\"]}'::jsonb WHEN kind = 'variation' THEN jsonb_build_object('Color', jsonb_build_array(color)) END"}$$);
SELECT key, action, error FROM woocommerce.export_products(:conn) ORDER BY key;
CREATE SCHEMA bykey_store;
IMPORT FOREIGN SCHEMA woocommerce LIMIT TO (products, variations) FROM SERVER :server_name INTO bykey_store;
CREATE FUNCTION pg_temp.woo_id(k text) RETURNS bigint LANGUAGE sql AS $$
  SELECT woo_product_id FROM woocommerce.product_sync WHERE key = k
$$;

-- update_product by key: the changed field of that row only, in one request,
-- a variation under its parent's variations endpoint.
UPDATE pim3.shirts SET price = price + 1;
:clear_log
SELECT key, action, fields FROM woocommerce.update_product(:conn, key => 'POLO-RED');
:load_log
SELECT entry->>'method' AS method, regexp_replace(entry->>'path', '/[0-9]+/', '/N/') AS path,
       entry->'body'->'update' AS update_items
  FROM store_log ORDER BY (entry->>'seq')::int;
SELECT key, action, fields FROM woocommerce.update_product(:conn, key => 'POLO-RED');
SELECT key, action, fields FROM woocommerce.update_product(:conn, NULL, ARRAY['regular_price'], 'CAP');
SELECT sku, regular_price FROM bykey_store.variations WHERE parent_id = pg_temp.woo_id('POLO') ORDER BY sku;
SELECT pg_temp.try(format('SELECT * FROM woocommerce.update_product(%s, key => ''NO-SUCH'')', :conn));
SELECT pg_temp.try(format('SELECT * FROM woocommerce.update_product(%s)', :conn));
SELECT pg_temp.try(format('SELECT * FROM woocommerce.update_product(%s, 1, key => ''CAP'')', :conn));

-- A conflict on a variation: its price changed in the store a second after
-- the last exchange, and locally. One list request of the parent's
-- variations (by include) finds it; the export skips it and lists it.
UPDATE woocommerce.connection SET conflict_policy = 'manual' WHERE id = :conn;
SELECT key, action FROM woocommerce.export_products(:conn) WHERE action <> 'unchanged' ORDER BY key;
SELECT pg_sleep(1.1);
UPDATE bykey_store.variations SET regular_price = 99 WHERE parent_id = pg_temp.woo_id('POLO') AND sku = 'POLO-BLUE';
UPDATE pim3.shirts SET price = 35 WHERE code = 'POLO-BLUE';
:clear_log
SELECT key, action, warning FROM woocommerce.export_products(:conn) WHERE action <> 'unchanged';
:load_log
SELECT entry->>'method' AS method, regexp_replace(entry->>'path', '/[0-9]+/', '/N/') AS path,
       entry->'query'->'include'->>0 = pg_temp.woo_id('POLO-BLUE')::text AS by_include
  FROM store_log ORDER BY (entry->>'seq')::int;
SELECT source, key, fields, local_values, store_values FROM woocommerce.conflict;
SELECT sku, regular_price FROM bykey_store.variations WHERE sku = 'POLO-BLUE' AND parent_id = pg_temp.woo_id('POLO');
-- keep => 'local': the next export sends the local price.
SELECT woocommerce.resolve_conflict(:conn, 'POLO-BLUE', 'local');
SELECT key, action, fields FROM woocommerce.export_products(:conn) WHERE action <> 'unchanged';
SELECT sku, regular_price FROM bykey_store.variations WHERE sku = 'POLO-BLUE' AND parent_id = pg_temp.woo_id('POLO');
UPDATE woocommerce.connection SET conflict_policy = 'pim_wins' WHERE id = :conn;

-- delete_product by key: a variation (always for good, under its parent),
-- a simple product to the trash, then the variable product for good: its
-- remaining variation's link goes with it.
:clear_log
SELECT key, action, note FROM woocommerce.delete_product(:conn, key => 'POLO-RED');
SELECT key, action, note FROM woocommerce.delete_product(:conn, key => 'CAP');
SELECT key, action, note FROM woocommerce.delete_product(:conn, key => 'POLO', force => true);
:load_log
SELECT entry->>'method' AS method, regexp_replace(entry->>'path', '/[0-9]+', '/N', 'g') AS path,
       entry->'query'->>'force' AS force
  FROM store_log ORDER BY (entry->>'seq')::int;
SELECT key, woo_product_id IS NULL AS unlinked, sync_status FROM woocommerce.product_sync ORDER BY key;
SELECT count(*) AS local_rows FROM pim3.shirts;
SELECT pg_temp.try(format('SELECT * FROM woocommerce.delete_product(%s, key => ''CAP'')', :conn));
SELECT pg_temp.try(format('SELECT * FROM woocommerce.delete_product(%s, key => ''NO-SUCH'')', :conn));
SELECT pg_temp.try(format('SELECT * FROM woocommerce.delete_product(%s)', :conn));
SELECT pg_temp.try(format('SELECT * FROM woocommerce.delete_product(%s, 1, key => ''CAP'')', :conn));
-- Exported again, the rows are created again.
SELECT key, action FROM woocommerce.export_products(:conn) ORDER BY key;

DROP SCHEMA bykey_store CASCADE;
SELECT count(woocommerce.delete_connection(id)) FROM woocommerce.connection;
DROP SCHEMA pim3 CASCADE;
