-- 1.0 -> 1.1: the shipped 1.0 script still installs, ALTER EXTENSION
-- UPDATE adds the sync engine and keeps the rows, and the result has the
-- same objects as a fresh 1.1 install.
\set regress_db :DBNAME
SET client_min_messages = warning;
DROP DATABASE IF EXISTS sync_upgraded;
DROP DATABASE IF EXISTS sync_fresh;
CREATE DATABASE sync_upgraded;
CREATE DATABASE sync_fresh;
RESET client_min_messages;
-- Every object of the extension as text: functions with their results and
-- tables with their columns.
\set objects 'SELECT md5(string_agg(x, E''\\n'' ORDER BY x)) AS digest, count(*) AS objects FROM (SELECT p.oid::regprocedure::text || '' -> '' || pg_get_function_result(p.oid) AS x FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ''woocommerce'' UNION ALL SELECT c.relname || ''.'' || a.attname || '' '' || format_type(a.atttypid, a.atttypmod) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped WHERE n.nspname = ''woocommerce'' AND c.relkind = ''r'') o'

\c sync_fresh
CREATE EXTENSION woocommerce_fdw;
SELECT extversion FROM pg_extension WHERE extname = 'woocommerce_fdw';
:objects \gset fresh_

\c sync_upgraded
CREATE EXTENSION woocommerce_fdw VERSION '1.0';
SELECT extversion FROM pg_extension WHERE extname = 'woocommerce_fdw';
SELECT count(*) AS sync_functions FROM pg_proc WHERE proname IN ('export_products', 'import_products', 'sync_status');
INSERT INTO woocommerce.product (sku, name) VALUES ('KEEP-1', 'Kept across the upgrade');
SELECT id AS conn FROM woocommerce.create_connection('Upgraded', 'https://shop.example.com', 'ck_x', 'cs_x', verify => false) \gset
ALTER EXTENSION woocommerce_fdw UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'woocommerce_fdw';
SELECT p.oid::regprocedure AS function
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'woocommerce' AND p.proname IN ('export_products', 'import_products', 'update_product', 'delete_product',
                                                   'sync_status', 'sync', 'schedule_sync', 'unschedule_sync')
 ORDER BY p.proname;
SELECT sku, name FROM woocommerce.product;
SELECT store_name FROM woocommerce.connection;
:objects \gset upgraded_
SELECT :'upgraded_digest' = :'fresh_digest' AS same_objects_as_fresh_install, :upgraded_objects = :fresh_objects AS same_count;
-- Without pg_cron in this database, scheduling explains what is missing.
\set VERBOSITY terse
SELECT woocommerce.schedule_sync(:conn, '*/5 * * * *');
\set VERBOSITY default

\c :regress_db
DROP DATABASE sync_upgraded;
DROP DATABASE sync_fresh;
