-- Exports hand their rows to the engine in chunks
-- (woocommerce.sync_chunk_rows): a variation whose parent an earlier chunk
-- created goes under the parent's new store id, the progress NOTICEs count
-- chunks, and a failure in a later chunk, after earlier ones reached the
-- store, fails the statement and costs no duplicate on the next run.
\i sql/include/sync_setup.psql
SELECT id AS conn FROM woocommerce.create_connection('Chunk shop', :'http', :'rw_key', :'rw_secret') \gset
INSERT INTO woocommerce.product (sku, name, regular_price)
SELECT format('CHUNK-%s', g), format('Chunk %s', g), 10 + g FROM generate_series(1, 5) g;
INSERT INTO woocommerce.product (sku, name, type) VALUES ('CHUNK-VAR', 'Chunk variable', 'variable');
INSERT INTO woocommerce.product (sku, name, type, parent_id, regular_price)
SELECT v.sku, v.sku, 'variation', p.id, 7
  FROM woocommerce.product p, (VALUES ('CHUNK-VAR-A'), ('CHUNK-VAR-B')) AS v(sku)
 WHERE p.sku = 'CHUNK-VAR';

-- Chunks of 2 rows: the parent is the sixth row (chunk 3), its variations
-- come in chunk 4.
SET woocommerce.sync_chunk_rows = 2;
SHOW woocommerce.sync_chunk_rows;
SET woocommerce.sync_progress = on;
:clear_log
SELECT p.sku, e.action, e.error FROM woocommerce.export_products(:conn) e JOIN woocommerce.product p ON p.id = e.product_id
 ORDER BY p.id;
SET woocommerce.sync_progress = off;
:load_log
SELECT entry->>'method' AS method, regexp_replace(entry->>'path', '/[0-9]+/', '/N/', 'g') AS path,
       jsonb_array_length(entry->'body'->'create') AS creates
  FROM store_log ORDER BY (entry->>'seq')::int;
:load_products
SELECT sp.type, sp.parent_id = ps.woo_product_id AS under_parent, count(*)
  FROM store_products sp JOIN woocommerce.product_sync s ON s.woo_product_id = sp.id
  JOIN woocommerce.product p ON p.id = s.product_id
  LEFT JOIN woocommerce.product_sync ps ON ps.product_id = p.parent_id
 WHERE p.sku LIKE 'CHUNK-%' GROUP BY 1, 2 ORDER BY 1;
SELECT created, updated, unchanged, failed, requests FROM woocommerce.sync_run ORDER BY id DESC LIMIT 1;
-- Unchanged in every chunk: nothing sent.
:clear_log
SELECT action, count(*) FROM woocommerce.export_products(:conn) GROUP BY action;
:load_log
SELECT count(*) AS requests FROM store_log;

-- A price changed in the first and in the last chunk: two updates, each
-- in its chunk's request.
UPDATE woocommerce.product SET regular_price = 99 WHERE sku IN ('CHUNK-1', 'CHUNK-VAR-B');
:clear_log
SELECT p.sku, e.action, e.fields FROM woocommerce.export_products(:conn) e JOIN woocommerce.product p ON p.id = e.product_id
 WHERE e.action <> 'unchanged' ORDER BY p.id;
:load_log
SELECT regexp_replace(entry->>'path', '/[0-9]+/', '/N/', 'g') AS path, jsonb_array_length(entry->'body'->'update') AS updates
  FROM store_log ORDER BY (entry->>'seq')::int;

-- A failure in a later chunk (here the local write-back of the second
-- chunk, refused by a trigger): the first chunks reached the store; the
-- statement fails, and its transaction (sync rows included) is rolled back.
INSERT INTO woocommerce.product (sku, name, regular_price)
SELECT format('LATE-%s', g), format('Late %s', g), 20 + g FROM generate_series(1, 5) g;
CREATE FUNCTION pg_temp.refuse_late_3() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.product_id = (SELECT id FROM woocommerce.product WHERE sku = 'LATE-3') THEN
    RAISE EXCEPTION 'refused by the test' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER refuse_late_3 BEFORE INSERT ON woocommerce.product_sync
  FOR EACH ROW EXECUTE FUNCTION pg_temp.refuse_late_3();
:clear_log
SELECT pg_temp.try(format('SELECT count(*) FROM woocommerce.export_products(%s)', :conn)) AS export;
:load_products
SELECT count(*) AS late_in_store FROM store_products WHERE sku LIKE 'LATE-%';
SELECT count(*) AS late_sync_rows FROM woocommerce.product_sync s JOIN woocommerce.product p ON p.id = s.product_id
 WHERE p.sku LIKE 'LATE-%';
DROP TRIGGER refuse_late_3 ON woocommerce.product_sync;
-- The next run adopts what the store created (by SKU) and creates the
-- rest: no duplicate.
SELECT p.sku, e.action, e.error FROM woocommerce.export_products(:conn) e JOIN woocommerce.product p ON p.id = e.product_id
 WHERE p.sku LIKE 'LATE-%' ORDER BY p.id;
:load_products
SELECT count(*) AS late_in_store, count(DISTINCT sku) AS distinct_skus FROM store_products WHERE sku LIKE 'LATE-%';
SELECT count(*) AS synced FROM woocommerce.product_sync s JOIN woocommerce.product p ON p.id = s.product_id
 JOIN store_products sp ON sp.id = s.woo_product_id AND sp.sku = p.sku
 WHERE p.sku LIKE 'LATE-%' AND s.sync_status = 'synced';

-- The setting is checked when the library is loaded.
SELECT pg_temp.try('SET woocommerce.sync_chunk_rows = -1') AS negative;
RESET woocommerce.sync_chunk_rows;
SELECT woocommerce.delete_connection(:conn);
