-- Where requests may go (woocommerce.allowed_hosts), on every path: scans,
-- writes, IMPORT FOREIGN SCHEMA, test_connection, test_server, the sync
-- functions. Only loopback addresses are ever connected to: the link-local
-- and metadata urls below are refused before any packet is sent, and the
-- narrower settings are shown refusing the test store on 127.0.0.1.
-- Then: a store name that never resolves (the hostile store's silent DNS
-- server, set up by scripts/test.sh in a mount namespace of the cluster),
-- cancelled by statement_timeout and by pg_cancel_backend within 150 ms.
\i sql/include/test_store.psql
\i sql/include/try_statement.psql
\i sql/include/hostile.psql
LOAD 'woocommerce_fdw';
SHOW woocommerce.allowed_hosts;

-- The default: every host but link-local and cloud metadata addresses.
CREATE SERVER metadata FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url 'http://169.254.169.254');
CREATE USER MAPPING FOR CURRENT_USER SERVER metadata OPTIONS (consumer_key 'ck_x', consumer_secret 'cs_x');
CREATE FOREIGN TABLE meta_products (id bigint, name text) SERVER metadata OPTIONS (resource 'products');
CREATE SCHEMA ah_import;
SELECT * FROM try_statement('SELECT * FROM meta_products');
SELECT sqlstate, message FROM try_statement($$INSERT INTO meta_products (name) VALUES ('x')$$);
SELECT sqlstate, message FROM try_statement('IMPORT FOREIGN SCHEMA woocommerce LIMIT TO (products) FROM SERVER metadata INTO ah_import');
SELECT r->>'ok' AS ok, r->>'error_code' AS code, r->>'message' AS message FROM woocommerce.test_server('metadata') r;
SELECT r->>'ok' AS ok, r->>'error_code' AS code, r->>'message' AS message
  FROM unnest(ARRAY['http://169.254.169.254/latest', 'http://[fe80::1]:8080', 'http://metadata.google.internal',
                    'http://[::ffff:169.254.169.254]', 'http://[fd00:ec2::254]']) AS u,
       woocommerce.test_connection(u, 'ck_x', 'cs_x') r;
SELECT sqlstate, message FROM try_statement($$SELECT woocommerce.create_connection('Metadata', 'http://169.254.169.254', 'ck_x', 'cs_x')$$);

-- Only a superuser sets it; a bad entry is named.
CREATE ROLE ah_user;
SET ROLE ah_user;
SELECT sqlstate, message FROM try_statement($$SET woocommerce.allowed_hosts = '*, 169.254.169.254'$$);
RESET ROLE;
DROP ROLE ah_user;
SELECT * FROM try_statement($$SET woocommerce.allowed_hosts = '*, 10.0.0.0/33'$$);

-- Narrower settings, against the test store on 127.0.0.1.
CREATE SERVER ah_store FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url :'http', max_retries '3');
CREATE USER MAPPING FOR CURRENT_USER SERVER ah_store OPTIONS (consumer_key :'rw_key', consumer_secret :'rw_secret');
CREATE FOREIGN TABLE ah_products (id bigint, sku text) SERVER ah_store OPTIONS (resource 'products');
SELECT replace(:'http', '127.0.0.1', 'localhost') AS by_name \gset
CREATE SERVER ah_named FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url :'by_name');
CREATE USER MAPPING FOR CURRENT_USER SERVER ah_named OPTIONS (consumer_key :'rw_key', consumer_secret :'rw_secret');
CREATE FOREIGN TABLE ah_named_products (id bigint, sku text) SERVER ah_named OPTIONS (resource 'products');
SELECT id AS conn FROM woocommerce.create_connection('Allowed hosts', :'by_name', :'rw_key', :'rw_secret') \gset
SELECT id, sku FROM ah_products WHERE id = 11;
\! python3 test/store/store_log.py clear
-- Only 127.0.0.2: the store's address is refused, a name resolving to
-- 127.0.0.1 at connect time too, and refusals are not retried.
SET woocommerce.allowed_hosts = '127.0.0.2';
SELECT sqlstate, message, hint FROM try_statement('SELECT id, sku FROM ah_products WHERE id = 11');
-- (localhost is ::1 and 127.0.0.1: the last address tried is named)
SELECT sqlstate, regexp_replace(message, 'to (::1|127\.0\.0\.1) \(', 'to <loopback> (') AS message
  FROM try_statement('SELECT id, sku FROM ah_named_products WHERE id = 11');
SELECT sqlstate, message FROM try_statement($$UPDATE ah_products SET sku = 'X' WHERE id = 11$$);
SELECT sqlstate, regexp_replace(message, 'to (::1|127\.0\.0\.1) \(', 'to <loopback> (') AS message
  FROM try_statement(format('SELECT * FROM woocommerce.import_products(%s)', :conn));
SELECT r->>'ok' AS ok, r->>'error_code' AS code FROM woocommerce.test_connection(:'http', :'rw_key', :'rw_secret') r;
\! python3 test/store/store_log.py show | wc -l
-- A host name entry allows that name (whatever address it resolves to,
-- outside link-local and metadata), not the address written out.
SET woocommerce.allowed_hosts = 'localhost';
SELECT id, sku FROM ah_named_products WHERE id = 11;
SELECT sqlstate, message FROM try_statement('SELECT id, sku FROM ah_products WHERE id = 11');
-- A range entry allows its addresses.
SET woocommerce.allowed_hosts = '10.0.0.0/8, 127.0.0.0/8';
SELECT id, sku FROM ah_products WHERE id = 11;
SELECT action, count(*) FROM woocommerce.import_products(:conn, woo_product_ids => '{11}') GROUP BY action;
RESET woocommerce.allowed_hosts;
SELECT id, sku FROM ah_named_products WHERE id = 11;

-- EXPLAIN shows what a scan will ask, values computed at run time as
-- placeholders, never left out; the request sent carries them.
CREATE FOREIGN TABLE ah_dated (id bigint, date_modified timestamptz OPTIONS (field 'date_modified_gmt'))
  SERVER ah_store OPTIONS (resource 'products');
EXPLAIN (COSTS OFF) SELECT id FROM ah_dated WHERE date_modified > now() - interval '1 day';
\! python3 test/store/store_log.py clear
SELECT count(*) FROM ah_dated WHERE date_modified > now() - interval '1 day' AND id < 0;
\! python3 test/store/store_log.py show | sed -E 's/(modified_after=)[0-9T:-]+/\1<yesterday>/; s/&oauth[^&]*//g'
DROP FOREIGN TABLE ah_dated;

-- A store whose name never resolves: statement_timeout and pg_cancel_backend
-- from another session end the lookup within 150 ms (libcurl's resolver
-- thread is left to finish on its own instead of being waited for).
\getenv private_resolver WOO_PRIVATE_RESOLVER
\if :private_resolver
SELECT replace(:'http', '127.0.0.1', 'store.blackhole.test') AS blackhole \gset
CREATE SERVER blackhole FOREIGN DATA WRAPPER woocommerce_fdw
  OPTIONS (url :'blackhole', connect_timeout_ms '30000', max_retries '0');
CREATE USER MAPPING FOR CURRENT_USER SERVER blackhole OPTIONS (consumer_key 'ck_x', consumer_secret 'cs_x');
CREATE FOREIGN TABLE bh_products (id bigint) SERVER blackhole OPTIONS (resource 'products');
SET statement_timeout = '300ms';
SELECT cancel_delay('SELECT * FROM bh_products', '300ms');
RESET statement_timeout;
SET statement_timeout = '300ms';
SELECT cancel_delay($$SELECT woocommerce.test_connection('http://store.blackhole.test', 'ck_x', 'cs_x')$$, '300ms');
RESET statement_timeout;
-- pg_cancel_backend, measured from the call until the backend leaves its query.
CREATE FUNCTION dns_cancel_latency() RETURNS text LANGUAGE plpgsql AS $$
DECLARE victim int; t0 timestamptz; t1 timestamptz;
BEGIN
  t0 := clock_timestamp();
  LOOP  -- until the other session has been in its lookup for half a second
    PERFORM pg_stat_clear_snapshot();
    SELECT pid INTO victim FROM pg_stat_activity
     WHERE application_name = 'woo_dns_victim' AND state = 'active' AND query_start < clock_timestamp() - interval '500 ms';
    EXIT WHEN victim IS NOT NULL;
    IF clock_timestamp() - t0 > interval '20 s' THEN RETURN 'the other session never started'; END IF;
    PERFORM pg_sleep(0.02);
  END LOOP;
  t0 := clock_timestamp();
  PERFORM pg_cancel_backend(victim);
  LOOP
    PERFORM pg_stat_clear_snapshot();
    EXIT WHEN NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = victim AND state = 'active');
    IF clock_timestamp() - t0 > interval '30 s' THEN RETURN 'still in its query after 30 s'; END IF;
    PERFORM pg_sleep(0.002);
  END LOOP;
  t1 := clock_timestamp();
  RETURN CASE WHEN t1 - t0 <= interval '150 ms' THEN 'cancelled within 150 ms'
              ELSE 'cancelled late: ' || (t1 - t0)::text END;
END $$;
\setenv WOO_DB :DBNAME
\! PGAPPNAME=woo_dns_victim psql -X -q -d "$WOO_DB" -c 'SELECT * FROM bh_products' > /dev/null 2>&1 &
SELECT dns_cancel_latency();
DROP FUNCTION dns_cancel_latency();
DROP FOREIGN TABLE bh_products;
DROP USER MAPPING FOR CURRENT_USER SERVER blackhole;
DROP SERVER blackhole;
\else
\echo 'skipped: no private resolver (scripts/test.sh sets one up when it runs as root)'
\endif

SELECT woocommerce.delete_connection(:conn);
DROP SCHEMA ah_import;
DROP FOREIGN TABLE meta_products, ah_products, ah_named_products;
DROP USER MAPPING FOR CURRENT_USER SERVER metadata;
DROP USER MAPPING FOR CURRENT_USER SERVER ah_store;
DROP USER MAPPING FOR CURRENT_USER SERVER ah_named;
DROP SERVER metadata;
DROP SERVER ah_store;
DROP SERVER ah_named;
