-- Whose keys a statement uses: the role a table is checked as, which for a
-- view is the view's owner (PostgreSQL 16 moved that role from the range
-- table into RTEPermissionInfo and the plan; src/pg/pg_compat.hpp finds it
-- on every version). The reader below has a user mapping of its own whose
-- secret is wrong: any request made with it fails with 28000, so every
-- statement through the owner's view that succeeds used the owner's keys,
-- in the planner (remote estimate), a scan, count(*) pushed down, and writes.
\i sql/include/test_store.psql
SET client_min_messages = warning;
DROP ROLE IF EXISTS regress_wc_view_owner;
DROP ROLE IF EXISTS regress_wc_reader;
RESET client_min_messages;
CREATE ROLE regress_wc_view_owner;
CREATE ROLE regress_wc_reader;
CREATE SERVER owner_store FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url :'https', ca_file :'ca');
GRANT USAGE ON FOREIGN SERVER owner_store TO regress_wc_view_owner;
CREATE USER MAPPING FOR regress_wc_view_owner SERVER owner_store
  OPTIONS (consumer_key :'rw_key', consumer_secret :'rw_secret');
CREATE USER MAPPING FOR regress_wc_reader SERVER owner_store
  OPTIONS (consumer_key :'rw_key', consumer_secret 'cs_wrong');
CREATE SCHEMA owned AUTHORIZATION regress_wc_view_owner;
GRANT USAGE ON SCHEMA owned TO regress_wc_reader;

SET ROLE regress_wc_view_owner;
CREATE FOREIGN TABLE owned.products (id bigint, sku text, name text, status text, regular_price numeric)
  SERVER owner_store OPTIONS (resource 'products', use_remote_estimate 'true');
CREATE VIEW owned.catalog AS SELECT id, sku, name, status, regular_price FROM owned.products;
GRANT SELECT, INSERT, UPDATE, DELETE ON owned.catalog TO regress_wc_reader;
GRANT SELECT ON owned.products TO regress_wc_reader;
RESET ROLE;

SET ROLE regress_wc_reader;
-- Read through the view: planned with a remote estimate, scanned, counted.
SELECT sku, name FROM owned.catalog WHERE sku = 'MUG-PLAIN';
SELECT count(*) > 0 AS counted FROM owned.catalog WHERE status = 'publish';
EXPLAIN (COSTS OFF) SELECT count(*) FROM owned.catalog WHERE status = 'publish';
-- Write through the view: insert, update, delete, each returning the store's answer.
INSERT INTO owned.catalog (name, sku, regular_price) VALUES ('View Mug', 'VIEW-MUG-1', 5) RETURNING sku, regular_price;
UPDATE owned.catalog SET regular_price = 6 WHERE sku = 'VIEW-MUG-1' RETURNING sku, regular_price;
DELETE FROM owned.catalog WHERE sku = 'VIEW-MUG-1' RETURNING sku;
-- The same table read directly uses the reader's own (wrong) keys: the
-- store refuses them, so the statements above did not use them.
\set VERBOSITY terse
SELECT sku FROM owned.products WHERE sku = 'MUG-PLAIN';
\set VERBOSITY default
RESET ROLE;

DROP SCHEMA owned CASCADE;
DROP USER MAPPING FOR regress_wc_view_owner SERVER owner_store;
DROP USER MAPPING FOR regress_wc_reader SERVER owner_store;
DROP SERVER owner_store;
DROP ROLE regress_wc_view_owner;
DROP ROLE regress_wc_reader;
