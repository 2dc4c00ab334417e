-- The import streams: pages are read, converted and written a round at a
-- time (woocommerce.import_round_pages pages of woocommerce.import_page_size
-- products), the next round's requests in flight while SQL writes. A row
-- that breaks a table rule in a later round is reported failed and keeps
-- the high-water mark where it was; an error in a later round stops the
-- import (a function call rolls back whole; CALL woocommerce.sync keeps
-- the slices it committed and records the run as failed).
\i sql/include/sync_setup.psql
SELECT id AS conn FROM woocommerce.create_connection('Rounds shop', :'http', :'rw_key', :'rw_secret',
                                                     options => '{"concurrency": 2}') \gset
-- Pages of 4 products, written one page at a time.
SET woocommerce.import_page_size = 4;
SET woocommerce.import_round_pages = 1;
-- Each INSERT into the catalog, with its rows, in order.
CREATE TABLE round_writes (n serial, kind text, skus text[]);
CREATE FUNCTION log_round_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO round_writes (kind, skus)
    SELECT CASE WHEN bool_and(parent_id IS NULL) THEN 'products' ELSE 'variations' END, array_agg(sku ORDER BY id)
      FROM new_rows HAVING count(*) > 0;
    RETURN NULL;
END $$;
CREATE TRIGGER log_round_write AFTER INSERT ON woocommerce.product REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION log_round_write();
:load_products
-- A rule of the local catalog that the store's last simple product breaks:
-- its page is the last round.
SELECT max(id) AS last_id FROM store_products WHERE coalesce(parent_id, 0) = 0 AND type = 'simple' \gset
SELECT sku AS last_sku FROM store_products WHERE id = :last_id \gset
SELECT (count(*) + 3) / 4 AS its_page, (SELECT count(*) FROM store_products WHERE coalesce(parent_id, 0) = 0) AS products
  FROM store_products WHERE coalesce(parent_id, 0) = 0 AND id <= :last_id;
CREATE FUNCTION refuse_last() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.sku = current_setting('regress.refused_sku') THEN
        RAISE EXCEPTION 'regress: % is refused here', NEW.sku USING ERRCODE = '23514';
    END IF;
    RETURN NEW;
END $$;
SELECT set_config('regress.refused_sku', :'last_sku', false) IS NOT NULL AS set;
CREATE TRIGGER refuse_last BEFORE INSERT ON woocommerce.product FOR EACH ROW EXECUTE FUNCTION refuse_last();

:clear_log
SET woocommerce.sync_progress = on;
SELECT action, count(*) FROM woocommerce.import_products(:conn) GROUP BY action ORDER BY action;
SET woocommerce.sync_progress = off;
-- Five pages of 4, one request each, plus the two variation lists.
:load_log
SELECT entry->'query'->'per_page' AS per_page, count(*) FROM store_log
 WHERE entry->>'path' = '/wp-json/wc/v3/products' GROUP BY 1;
-- One INSERT per round of one page (4 products each), page 1 included;
-- the last round holds the refused product and two variable products: its
-- set-based write fails, and the halving writes its other rows and the
-- variations in smaller statements.
SELECT kind, cardinality(skus) AS rows FROM round_writes ORDER BY n;
-- Every product but the refused one is in the catalog and linked.
SELECT count(*) AS store_products,
       count(s.woo_product_id) AS linked,
       array_agg(sp.id) FILTER (WHERE s.woo_product_id IS NULL) = ARRAY[:last_id]::bigint[] AS only_refused_missing
  FROM store_products sp LEFT JOIN woocommerce.product_sync s ON s.woo_product_id = sp.id AND s.connection_id = :conn;
-- The run: the failure counted and named; the high-water mark not set, so
-- the next import reads everything again.
SELECT created, failed, errors->0->>'woo_product_id' = :'last_id' AS failed_is_last,
       errors->0->>'error' AS error, high_water_mark IS NULL AS no_mark
  FROM woocommerce.sync_run ORDER BY id DESC LIMIT 1;

-- The rule lifted, the next import is a full one and completes the catalog.
DROP TRIGGER refuse_last ON woocommerce.product;
:clear_log
SELECT action, count(*) FROM woocommerce.import_products(:conn) GROUP BY action ORDER BY action;
:load_log
SELECT count(*) FILTER (WHERE entry->'query' ? 'modified_after') AS incremental_requests FROM store_log
 WHERE entry->>'path' = '/wp-json/wc/v3/products';
SELECT created, updated, failed, high_water_mark IS NOT NULL AS has_mark
  FROM woocommerce.sync_run ORDER BY id DESC LIMIT 1;

-- An error in a later round: the variation list of the last variable
-- product answers 500 (not retried).
SELECT max(parent_id) AS last_parent FROM store_products \gset
\setenv REGRESS_LAST_PARENT :last_parent
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/faults" -d '{"path_prefix": "/wp-json/wc/v3/products/'"$REGRESS_LAST_PARENT"'/variations", "kind": "status", "status": 500, "count": -1}'
TRUNCATE round_writes;
DELETE FROM woocommerce.product_sync;
DELETE FROM woocommerce.product;
DELETE FROM woocommerce.sync_run;
-- A function call: the statement fails and nothing of it stays, earlier
-- rounds included (one transaction).
\set VERBOSITY terse
SELECT count(*) FROM woocommerce.import_products(:conn);
\set VERBOSITY default
SELECT (SELECT count(*) FROM woocommerce.product) AS products, (SELECT count(*) FROM woocommerce.sync_run) AS runs;
-- CALL woocommerce.sync commits a slice of pages at a time: the slices
-- before the failing one stay written, the run is recorded failed, and
-- no high-water mark is set.
\set VERBOSITY terse
CALL woocommerce.sync(:conn, 'import');
\set VERBOSITY default
SELECT count(*) > 0 AS some_written, count(*) < (SELECT count(*) FROM store_products) AS not_all
  FROM woocommerce.product_sync WHERE connection_id = :conn;
SELECT status, sqlstate, high_water_mark IS NULL AS no_mark, created > 0 AS counted
  FROM woocommerce.sync_run ORDER BY id DESC LIMIT 1;
\! curl -sf -o /dev/null -X DELETE "$WOO_STORE_HTTP/__store/faults"

DROP TRIGGER log_round_write ON woocommerce.product;
DROP FUNCTION log_round_write(), refuse_last();
DROP TABLE round_writes;
RESET woocommerce.import_page_size;
RESET woocommerce.import_round_pages;
