-- COPY FROM and partitions. COPY into a foreign table is batched like a
-- multi-row INSERT; rows PostgreSQL routes into a foreign partition
-- (INSERT, COPY, an UPDATE that moves a row) are created in the store; the
-- other ways PostgreSQL may reach a foreign table (UPDATE and DELETE through
-- a parent, triggers, views, cursors, prepared statements, CTEs) work, and
-- what cannot be honoured is refused with 0A000 before any request. Request
-- counts and bodies come from the store's log.
\i sql/include/test_store.psql

\i sql/include/try_statement.psql
\set SHOW_CONTEXT never

CREATE SERVER copy_store FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url :'https', ca_file :'ca');
CREATE USER MAPPING FOR CURRENT_USER SERVER copy_store OPTIONS (consumer_key :'rw_key', consumer_secret :'rw_secret');
CREATE SCHEMA c;
IMPORT FOREIGN SCHEMA woocommerce LIMIT TO (products) FROM SERVER copy_store INTO c;

-- psql's \copy (COPY ... FROM STDIN) of 10,000 rows: 100 batch requests of 100.
\! python3 test/store/store_log.py clear
\copy c.products (sku, name, regular_price, status) FROM PROGRAM 'seq 1 10000 | awk ''{ printf "CP-%05d\tCopied %d\t%d.50\tdraft\n", $1, $1, $1 % 90 }'''
\! python3 test/store/store_log.py show | sed 's/?.*//' | sort | uniq -c
\! python3 test/store/store_log.py show --body | python3 sql/include/batch_items.py
SELECT count(*), min(sku), max(sku), sum(regular_price), count(DISTINCT name) FROM c.products WHERE sku LIKE 'CP-%';

-- The table option batch_size is respected.
ALTER FOREIGN TABLE c.products OPTIONS (ADD batch_size '40');
\! python3 test/store/store_log.py clear
COPY c.products (sku, name, regular_price) FROM PROGRAM 'seq 1 100 | awk ''{ printf "CB-%03d\tForty %d\t1\n", $1, $1 }''';
\! python3 test/store/store_log.py show --body | python3 sql/include/batch_items.py
ALTER FOREIGN TABLE c.products OPTIONS (DROP batch_size);

-- A row refused mid-COPY: the error names it and says what the earlier
-- batches already created (the store cannot roll back). Rows wait until
-- batch_size x concurrency (400) are there: rows 1-400 were sent, 401-649
-- were still waiting and are not.
\! python3 test/store/store_log.py clear
SELECT sqlstate, message, regexp_replace(detail, 'ids [0-9, ]+', 'ids <first 20> ') AS detail FROM try_statement($$
  COPY c.products (sku, name, regular_price) FROM PROGRAM 'seq 1 650 | awk ''{ printf "CE-%03d\tE\t%d\n", $1, $1 == 650 ? -1 : 1 }'''$$);
\! python3 test/store/store_log.py show --body | python3 sql/include/batch_items.py

-- COPY with row triggers: one request per row, and the AFTER trigger sees
-- what the store made (its id).
CREATE FUNCTION pg_temp.report() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE NOTICE '% % of %: id given %', TG_WHEN, TG_OP, NEW.sku, NEW.id IS NOT NULL;
  RETURN NEW;
END $$;
CREATE TRIGGER before_row BEFORE INSERT ON c.products FOR EACH ROW EXECUTE FUNCTION pg_temp.report();
CREATE TRIGGER after_row AFTER INSERT OR UPDATE ON c.products FOR EACH ROW EXECUTE FUNCTION pg_temp.report();
\! python3 test/store/store_log.py clear
COPY c.products (sku, name) FROM STDIN;
TRIG-1	Triggered one
TRIG-2	Triggered two
\.
INSERT INTO c.products (sku, name) VALUES ('TRIG-3', 'Triggered three'), ('TRIG-4', 'Triggered four');
UPDATE c.products SET name = 'Triggered again' WHERE sku = 'TRIG-1';
\! python3 test/store/store_log.py show | sed -E 's/\?.*//; s/[0-9]+$/<id>/'
EXPLAIN (COSTS OFF) INSERT INTO c.products (sku) VALUES ('x');
DROP TRIGGER before_row ON c.products;
DROP TRIGGER after_row ON c.products;

-- A view WITH CHECK OPTION: each row is checked before it is sent, and
-- against the store's answer.
CREATE VIEW c.published AS SELECT id, sku, name, status FROM c.products WHERE status = 'publish' WITH CHECK OPTION;
\! python3 test/store/store_log.py clear
INSERT INTO c.published (sku, name, status) VALUES ('VIEW-1', 'Through a view', 'publish'), ('VIEW-2', 'Again', 'publish');
\! python3 test/store/store_log.py show | sed 's/?.*//'
\! python3 test/store/store_log.py clear
SELECT sqlstate, message FROM try_statement($$INSERT INTO c.published (sku, name, status) VALUES ('VIEW-3', 'Hidden', 'draft')$$);
\! python3 test/store/store_log.py count

-- A partitioned table with a WooCommerce foreign partition.
CREATE TABLE c.catalog (id bigint, sku text, name text, regular_price numeric, status text) PARTITION BY LIST (status);
CREATE TABLE c.catalog_drafts PARTITION OF c.catalog FOR VALUES IN ('draft');
CREATE FOREIGN TABLE c.catalog_store PARTITION OF c.catalog FOR VALUES IN ('publish')
  SERVER copy_store OPTIONS (resource 'products');

-- INSERT routes the published rows to the store, in one batch.
\! python3 test/store/store_log.py clear
INSERT INTO c.catalog (sku, name, regular_price, status)
VALUES ('PART-1', 'Routed one', 1, 'publish'), ('PART-2', 'Local two', 2, 'draft'), ('PART-3', 'Routed three', 3, 'publish');
\! python3 test/store/store_log.py show --body
-- RETURNING: one request per routed row, and the store's answer comes back.
\! python3 test/store/store_log.py clear
INSERT INTO c.catalog (sku, name, regular_price, status)
VALUES ('PART-4', 'Routed four', 4, 'publish'), ('PART-5', 'Local five', 5, 'draft'), ('PART-6', 'Routed six', 6, 'publish')
RETURNING tableoid::regclass AS partition, id > 0 AS store_id, sku, regular_price;
\! python3 test/store/store_log.py show | sed 's/?.*//'
-- COPY into the parent: the routed rows are batched too.
\! python3 test/store/store_log.py clear
\copy c.catalog (sku, name, regular_price, status) FROM STDIN
PART-7	Copied seven	7	publish
PART-8	Copied eight	8	draft
PART-9	Copied nine	9	publish
\.
\! python3 test/store/store_log.py show --body
SELECT tableoid::regclass AS partition, sku, name, regular_price, status FROM c.catalog WHERE sku LIKE 'PART-%' ORDER BY sku;
-- A statement-level AFTER trigger sees every row COPY sent, on the foreign
-- table and on the partitioned table COPY routes from.
CREATE FUNCTION pg_temp.count_in_store() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE NOTICE 'after COPY into %: % rows in the store', TG_TABLE_NAME,
    (SELECT count(*) FROM c.products WHERE sku LIKE 'STMT-%');
  RETURN NULL;
END $$;
CREATE TRIGGER after_copy AFTER INSERT ON c.products FOR EACH STATEMENT EXECUTE FUNCTION pg_temp.count_in_store();
CREATE TRIGGER after_copy AFTER INSERT ON c.catalog FOR EACH STATEMENT EXECUTE FUNCTION pg_temp.count_in_store();
COPY c.products (sku, name) FROM STDIN;
STMT-1	Statement one
STMT-2	Statement two
\.
COPY c.catalog (sku, name, status) FROM STDIN;
STMT-3	Statement three	publish
STMT-4	Statement four	publish
\.
DROP TRIGGER after_copy ON c.products;
DROP TRIGGER after_copy ON c.catalog;

-- UPDATE and DELETE through the parent: PUT and DELETE for the store's rows.
EXPLAIN (COSTS OFF) UPDATE c.catalog SET regular_price = regular_price + 10 WHERE sku IN ('PART-1', 'PART-2');
\! python3 test/store/store_log.py clear
UPDATE c.catalog SET regular_price = regular_price + 10 WHERE sku IN ('PART-1', 'PART-2')
RETURNING tableoid::regclass AS partition, sku, regular_price;
\! python3 test/store/store_log.py show --method PUT --body | sed -E 's/[0-9]+ \{/<id> {/'
EXPLAIN (COSTS OFF) DELETE FROM c.catalog WHERE sku IN ('PART-3', 'PART-5');
\! python3 test/store/store_log.py clear
DELETE FROM c.catalog WHERE sku IN ('PART-3', 'PART-5') RETURNING tableoid::regclass AS partition, sku;
\! python3 test/store/store_log.py show --method DELETE | sed -E 's/[0-9]+\?/<id>?/'

-- Row movement. Into the foreign partition, when the UPDATE does not also
-- change it: the row is created in the store.
\! python3 test/store/store_log.py clear
UPDATE c.catalog SET status = 'publish' WHERE status = 'draft' AND sku = 'PART-2'
RETURNING tableoid::regclass AS partition, id > 0 AS store_id, sku, status;
\! python3 test/store/store_log.py show --body
-- An UPDATE of the partition key that covers the foreign partition too:
-- refused at plan time (PostgreSQL cannot move rows out of it).
SELECT sqlstate, message, hint FROM try_statement($$UPDATE c.catalog SET status = 'publish' WHERE sku = 'PART-8'$$);
SELECT sqlstate, message, detail FROM try_statement($$UPDATE c.catalog SET status = 'draft' WHERE sku = 'PART-1'$$);
SELECT sqlstate, message FROM try_statement($$UPDATE c.catalog_store SET status = 'draft' WHERE sku = 'PART-1'$$);
SELECT tableoid::regclass AS partition, sku, status FROM c.catalog WHERE sku LIKE 'PART-%' ORDER BY sku;

-- ON CONFLICT and MERGE are refused, before any request.
\! python3 test/store/store_log.py clear
SELECT sqlstate, message FROM try_statement($$INSERT INTO c.products (sku, name) VALUES ('OC-1', 'x') ON CONFLICT DO NOTHING$$);
SELECT sqlstate, message FROM try_statement($$INSERT INTO c.catalog (sku, status) VALUES ('OC-2', 'publish') ON CONFLICT DO NOTHING$$);
SELECT sqlstate FROM try_statement($$INSERT INTO c.products (sku) VALUES ('OC-3') ON CONFLICT (sku) DO UPDATE SET name = 'y'$$);
SELECT sqlstate FROM try_statement($$MERGE INTO c.products p USING (VALUES ('MG-1')) v(sku) ON p.sku = v.sku
                                    WHEN NOT MATCHED THEN INSERT (sku) VALUES (v.sku)$$);
SELECT sqlstate FROM try_statement($$MERGE INTO c.catalog p USING (VALUES ('MG-2')) v(sku) ON p.sku = v.sku
                                    WHEN NOT MATCHED THEN INSERT (sku, status) VALUES (v.sku, 'publish')$$);
SELECT sqlstate FROM try_statement($$TRUNCATE c.products$$);
SELECT sqlstate FROM try_statement($$COPY c.products TO STDOUT$$);
\! python3 test/store/store_log.py count

-- A foreign table as an inheritance child.
CREATE TABLE c.everything (sku text, name text, regular_price numeric);
CREATE FOREIGN TABLE c.everything_store (id bigint) INHERITS (c.everything) SERVER copy_store OPTIONS (resource 'products');
UPDATE c.everything SET regular_price = 21 WHERE sku = 'PART-1';
SELECT tableoid::regclass AS child, sku, regular_price FROM c.everything WHERE sku = 'PART-1';
DELETE FROM c.everything WHERE sku = 'PART-7';
SELECT count(*) AS still_there FROM c.products WHERE sku = 'PART-7';

-- A cursor fetched in steps, a prepared statement run past the switch to a
-- generic plan, a foreign table in CTEs and subqueries.
BEGIN;
DECLARE steps CURSOR FOR SELECT sku FROM c.products WHERE sku LIKE 'PART-%' ORDER BY sku;
FETCH 2 FROM steps;
FETCH 2 FROM steps;
CLOSE steps;
COMMIT;
PREPARE add_product(text) AS INSERT INTO c.products (sku, name, regular_price) VALUES ($1, 'Prepared', 3);
PREPARE find_product(text) AS SELECT sku, name FROM c.products WHERE sku = $1;
EXECUTE add_product('PREP-1'); EXECUTE add_product('PREP-2'); EXECUTE add_product('PREP-3');
EXECUTE add_product('PREP-4'); EXECUTE add_product('PREP-5'); EXECUTE add_product('PREP-6'); EXECUTE add_product('PREP-7');
EXECUTE find_product('PREP-1'); EXECUTE find_product('PREP-2'); EXECUTE find_product('PREP-3');
EXECUTE find_product('PREP-4'); EXECUTE find_product('PREP-5'); EXECUTE find_product('PREP-6'); EXECUTE find_product('PREP-7');
DEALLOCATE add_product;
DEALLOCATE find_product;
WITH created AS (INSERT INTO c.products (sku, name) VALUES ('CTE-1', 'From a CTE') RETURNING id, sku)
SELECT id > 0 AS has_id, sku FROM created;
WITH removed AS (DELETE FROM c.products WHERE sku = 'CTE-1' RETURNING sku) SELECT sku FROM removed;
SELECT count(*) FROM (SELECT sku FROM c.products WHERE sku LIKE 'PREP-%') s;
SELECT sku FROM c.products WHERE id IN (SELECT id FROM c.products WHERE sku = 'PREP-7');

SELECT 'still connected' AS session;
DROP SCHEMA c CASCADE;
DROP USER MAPPING FOR CURRENT_USER SERVER copy_store;
DROP SERVER copy_store;
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/reset"
