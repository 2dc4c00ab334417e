-- The benchmark's database: the extension, a connection to the benchmark
-- store (its server also serves the foreign tables), the products foreign
-- table, and the backend's own CPU and memory readers.
\set ON_ERROR_STOP on
\getenv store STORE
CREATE EXTENSION woocommerce_fdw;
-- Progress NOTICEs off in every session of the benchmark.
SELECT current_database() AS db \gset
ALTER DATABASE :"db" SET woocommerce.sync_progress = off;
SELECT id AS conn, server_name FROM woocommerce.create_connection('Bench', :'store',
       'ck_test_readwrite_0000000000000000000000000', 'cs_test_readwrite_0000000000000000000000000',
       verify => false, options => '{"concurrency": 4}') \gset
CREATE SCHEMA shop;
IMPORT FOREIGN SCHEMA woocommerce LIMIT TO (products) FROM SERVER :"server_name" INTO shop;
-- CPU time of this backend in nanoseconds (scheduler statistics: exact,
-- unlike the clock ticks of /proc/self/stat).
CREATE FUNCTION bench_cpu_ns() RETURNS bigint LANGUAGE sql AS $$
  SELECT split_part(pg_read_file('/proc/self/schedstat'), ' ', 1)::bigint $$;
CREATE FUNCTION bench_connection() RETURNS bigint LANGUAGE sql AS $$
  SELECT id FROM woocommerce.connection WHERE store_name = 'Bench' $$;
-- Sets the connection's concurrency (server option) without asking the store.
CREATE FUNCTION bench_concurrency(n int) RETURNS void LANGUAGE sql AS $$
  SELECT FROM woocommerce.update_connection(bench_connection(), options => jsonb_build_object('concurrency', n),
                                            verify => false) $$;
