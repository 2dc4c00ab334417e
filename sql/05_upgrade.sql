-- Upgrades: from every released version (1.0 and 1.1), ALTER EXTENSION
-- UPDATE reaches the current version, keeps the rows, and leaves exactly the
-- objects a fresh install has: every object the extension owns, with its
-- definition, attributes, privileges and comments
-- (sql/include/extension_objects.psql). A difference is listed object by
-- object; none is expected.
\set regress_db :DBNAME
SET client_min_messages = warning;
DROP DATABASE IF EXISTS upgrade_fresh;
DROP DATABASE IF EXISTS upgrade_from_1_0;
DROP DATABASE IF EXISTS upgrade_from_1_1;
CREATE DATABASE upgrade_fresh;
CREATE DATABASE upgrade_from_1_0;
CREATE DATABASE upgrade_from_1_1;
RESET client_min_messages;

-- A fresh install of the current version: the reference.
\c upgrade_fresh
\set ECHO none
\i sql/include/extension_objects.psql
\set ECHO all
CREATE EXTENSION woocommerce_fdw;
SELECT extversion = (SELECT default_version FROM pg_available_extensions WHERE name = 'woocommerce_fdw') AS current_version
  FROM pg_extension WHERE extname = 'woocommerce_fdw';
SELECT json_agg(o) AS fresh_objects FROM pg_temp.extension_objects('woocommerce_fdw') o \gset
-- The description is not empty and sees every kind of object the extension
-- has today (a kind missing here would go unchecked).
SELECT count(*) > 300 AS many_rows FROM pg_temp.extension_objects('woocommerce_fdw');
SELECT kind AS kind_not_described
  FROM unnest(ARRAY['member', 'comment', 'definition', 'owner', 'relation', 'column', 'constraint', 'index',
                    'trigger', 'policy', 'schema', 'foreign-data', 'extension']) AS kind
EXCEPT SELECT split_part(aspect, ' ', 1) FROM pg_temp.extension_objects('woocommerce_fdw');

-- 1.0, the shipped script, with rows in its tables.
\c upgrade_from_1_0
\set ECHO none
\i sql/include/extension_objects.psql
\set ECHO all
CREATE EXTENSION woocommerce_fdw VERSION '1.0';
SELECT extversion FROM pg_extension WHERE extname = 'woocommerce_fdw';
SELECT count(*) AS sync_functions FROM pg_proc WHERE proname IN ('export_products', 'import_products', 'sync_status');
INSERT INTO woocommerce.product (sku, name) VALUES ('KEEP-1', 'Kept across the upgrade');
SELECT id AS conn FROM woocommerce.create_connection('Upgraded', 'https://shop.example.com', 'ck_x', 'cs_x', verify => false) \gset
ALTER EXTENSION woocommerce_fdw UPDATE;
SELECT extversion = (SELECT default_version FROM pg_available_extensions WHERE name = 'woocommerce_fdw') AS current_version
  FROM pg_extension WHERE extname = 'woocommerce_fdw';
SELECT sku, name FROM woocommerce.product;
SELECT store_name FROM woocommerce.connection;
\i sql/include/upgrade_differences.psql
-- Without pg_cron in this database, scheduling explains what is missing.
\set VERBOSITY terse
SELECT woocommerce.schedule_sync(:conn, '*/5 * * * *');
\set VERBOSITY default

-- 1.1 as PostgreSQL installs it (1.0's script and the 1.0 -> 1.1 update),
-- with a product, its sync state and a sync run.
\c upgrade_from_1_1
\set ECHO none
\i sql/include/extension_objects.psql
\set ECHO all
CREATE EXTENSION woocommerce_fdw VERSION '1.1';
SELECT extversion FROM pg_extension WHERE extname = 'woocommerce_fdw';
INSERT INTO woocommerce.product (sku, name) VALUES ('KEEP-2', 'Kept from 1.1');
SELECT id AS conn FROM woocommerce.create_connection('From 1.1', 'https://shop.example.com', 'ck_y', 'cs_y', verify => false) \gset
ALTER EXTENSION woocommerce_fdw UPDATE;
SELECT extversion = (SELECT default_version FROM pg_available_extensions WHERE name = 'woocommerce_fdw') AS current_version
  FROM pg_extension WHERE extname = 'woocommerce_fdw';
SELECT sku, name FROM woocommerce.product;
SELECT store_name FROM woocommerce.connection;
\i sql/include/upgrade_differences.psql

\c :regress_db
DROP DATABASE upgrade_fresh;
DROP DATABASE upgrade_from_1_0;
DROP DATABASE upgrade_from_1_1;
