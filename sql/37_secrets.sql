-- Secrets. A store (or a proxy before it) may echo what it received: the
-- request URL with auth 'query_string', the Authorization header with
-- 'basic'. Whatever comes back and wherever it goes (errors, details,
-- hints, test_connection's diagnosis, EXPLAIN, the sync engine's
-- sync_run.errors and product_sync.last_error, the server log) the
-- consumer secret is masked, in every auth mode. Last, what PostgreSQL's
-- own statement logging sees of a secret passed as a literal, as a bound
-- parameter, and with log_parameter_max_length = 0.
\i sql/include/sync_setup.psql

\i sql/include/try_statement.psql
\set SHOW_CONTEXT never
-- The server log of this cluster (Debian's layout, as pg_virtualenv makes it:
-- /var/log/postgresql for root, the work directory's log/ for other users).
SELECT CASE WHEN (pg_stat_file('/var/log/postgresql/' || f, true)).size > 0 THEN '/var/log/postgresql/' || f
            ELSE regexp_replace(current_setting('data_directory'), '/data/[^/]+/[^/]+/?$', '') || '/log/' || f END AS logfile
  FROM (SELECT 'postgresql-' || replace(current_setting('cluster_name'), '/', '-') || '.log' AS f) AS cluster_log \gset
\setenv WOO_LOGFILE :logfile
-- Only what this file adds to the log counts.
\! stat -c %s "$WOO_LOGFILE" > "${TMPDIR:-/tmp}/woo_log_offset"
SELECT left(:'rw_secret', 20) AS secret_part \gset
\setenv WOO_SECRET_PART :secret_part
-- How many of the texts show the secret, or a part of it (its first 20
-- characters, 16 characters of the Basic credentials that encode it): a
-- function, so that the output shows counts and never the secret itself.
CREATE FUNCTION pg_temp.leaks(VARIADIC texts text[]) RETURNS integer LANGUAGE sql AS $$
  SELECT count(*)::integer FROM unnest(texts) t
   WHERE position(left(current_setting('woo.secret'), 20) IN t) > 0
      OR position(substr(current_setting('woo.basic'), 61, 16) IN t) > 0
$$;
SELECT set_config('woo.secret', :'rw_secret', false) IS NOT NULL AS secret_known,
       set_config('woo.basic', replace(encode(convert_to(:'rw_key' || ':' || :'rw_secret', 'UTF8'), 'base64'), E'\n', ''),
                  false) IS NOT NULL AS basic_known;

CREATE SERVER sec_query FOREIGN DATA WRAPPER woocommerce_fdw
  OPTIONS (url :'https', ca_file :'ca', auth 'query_string', max_retries '0');
CREATE SERVER sec_basic FOREIGN DATA WRAPPER woocommerce_fdw
  OPTIONS (url :'https', ca_file :'ca', auth 'basic', max_retries '0');
CREATE SERVER sec_oauth FOREIGN DATA WRAPPER woocommerce_fdw
  OPTIONS (url :'http', auth 'oauth1', max_retries '0');
CREATE USER MAPPING FOR CURRENT_USER SERVER sec_query OPTIONS (consumer_key :'rw_key', consumer_secret :'rw_secret');
CREATE USER MAPPING FOR CURRENT_USER SERVER sec_basic OPTIONS (consumer_key :'rw_key', consumer_secret :'rw_secret');
CREATE USER MAPPING FOR CURRENT_USER SERVER sec_oauth OPTIONS (consumer_key :'rw_key', consumer_secret :'rw_secret');
CREATE SCHEMA sq;
CREATE SCHEMA sb;
CREATE SCHEMA so;
CREATE FOREIGN TABLE sq.products (id bigint, name text, sku text) SERVER sec_query OPTIONS (resource 'products');
CREATE FOREIGN TABLE sb.products (id bigint, name text, sku text) SERVER sec_basic OPTIONS (resource 'products');
CREATE FOREIGN TABLE so.products (id bigint, name text, sku text) SERVER sec_oauth OPTIONS (resource 'products');
-- Each mode works.
SELECT (SELECT count(*) FROM sq.products) AS query_string, (SELECT count(*) FROM sb.products) AS basic,
       (SELECT count(*) FROM so.products) AS oauth1;

-- Error pages that echo what they received: the URL with its query string,
-- the Authorization header, and (for OAuth, which never sends the secret) a
-- body that quotes it anyway. The excerpts are cut at 160 bytes, inside the
-- secret: the part before the cut is masked too.
\! bash sql/include/echo_faults.sh GET 404 url
SELECT sqlstate, pg_temp.leaks(message, detail, hint) AS leaks, detail FROM try_statement('SELECT * FROM sq.products');
\! bash sql/include/echo_faults.sh GET 404 basic
SELECT sqlstate, pg_temp.leaks(message, detail, hint) AS leaks, detail FROM try_statement('SELECT * FROM sb.products');
\! bash sql/include/echo_faults.sh GET 404 raw
SELECT sqlstate, pg_temp.leaks(message, detail, hint) AS leaks, detail FROM try_statement('SELECT * FROM so.products');
\! bash sql/include/echo_faults.sh POST 400 url
SELECT sqlstate, pg_temp.leaks(message, detail, hint) AS leaks, detail
  FROM try_statement($$INSERT INTO sq.products (name, sku) VALUES ('Echo', 'ECHO-1') RETURNING id$$);
-- Errors that are not caught reach the client and the server log as they
-- are (terse here: the details name the store's port).
\set VERBOSITY terse
\! bash sql/include/echo_faults.sh GET 404 url
SELECT * FROM sq.products;
\! bash sql/include/echo_faults.sh GET 404 basic
SELECT * FROM sb.products;
\set VERBOSITY default

-- test_server's diagnosis, with every request of the store answered by the page.
\! bash sql/include/echo_faults.sh GET 401 url -1 /wp-json
SELECT woocommerce.test_server('sec_query') AS diagnosis \gset
\! curl -sf -o /dev/null -X DELETE "$WOO_STORE_HTTP/__store/faults"
SELECT pg_temp.leaks(:'diagnosis') AS leaks, (:'diagnosis'::jsonb)->>'ok' AS ok,
       (:'diagnosis'::jsonb)->>'message' AS message;
-- EXPLAIN shows the requests, never their credentials.
EXPLAIN (COSTS OFF) SELECT name FROM sq.products WHERE sku = 'MUG-CAFE';

-- The sync engine records what the store answered per product: masked too.
SELECT id AS conn FROM woocommerce.create_connection('Secret shop', :'https', :'rw_key', :'rw_secret',
    options => jsonb_build_object('ca_file', :'ca', 'auth', 'query_string', 'max_retries', 0)) \gset
INSERT INTO woocommerce.product (sku, name, regular_price) VALUES ('SECRET-1', 'Echoed', 3), ('SECRET-2', 'Echoed too', 4);
\! bash sql/include/echo_faults.sh POST 400 url -1
SELECT action, pg_temp.leaks(error) AS leaks, error IS NOT NULL AS has_error
  FROM woocommerce.export_products(:conn) ORDER BY product_id;
SELECT count(*) AS sync_rows, sum(pg_temp.leaks(last_error)) AS leaks
  FROM woocommerce.product_sync WHERE connection_id = :conn AND last_error IS NOT NULL;
SELECT count(*) AS runs, sum(pg_temp.leaks(errors::text)) AS leaks FROM woocommerce.sync_run WHERE connection_id = :conn;
\! curl -sf -o /dev/null -X DELETE "$WOO_STORE_HTTP/__store/faults"

-- Nothing above put the secret (or a part of it) into the server log.
\! tail -c +$(( $(cat "${TMPDIR:-/tmp}/woo_log_offset") + 1 )) "$WOO_LOGFILE" | grep -c "$WOO_SECRET_PART"

-- PostgreSQL's statement logging. A literal (psql's :'var' interpolation
-- is one) is part of the statement text: logged. A bound parameter is
-- not part of the text (pgbench -M extended sends its variables as
-- parameters, as psql's \bind (16+) and any driver's PQexecParams do), but
-- log_statement still logs parameter values unless log_parameter_max_length
-- is 0 (a superuser setting: postgresql.conf, ALTER ROLE/DATABASE ... SET).
\! printf 'SELECT woocommerce.test_connection(:url, :key, :secret) IS NOT NULL;\n' > "${TMPDIR:-/tmp}/woo_bound.sql"
\! PGOPTIONS='-c log_statement=all' psql -X -q -d contrib_regression -c "SELECT length('cs_literal_LOGGED_00000000000000000000001') AS literal" >/dev/null
\! PGOPTIONS='-c log_statement=all' pgbench -n -t 1 -M extended -d contrib_regression -f "${TMPDIR:-/tmp}/woo_bound.sql" -D url="$WOO_STORE_HTTP" -D key=ck_bound -D secret=cs_bound_param_LOGGED_000000000000000002 >/dev/null 2>&1
\! PGOPTIONS='-c log_statement=all -c log_parameter_max_length=0' pgbench -n -t 1 -M extended -d contrib_regression -f "${TMPDIR:-/tmp}/woo_bound.sql" -D url="$WOO_STORE_HTTP" -D key=ck_bound -D secret=cs_bound_param_HIDDEN_000000000000000003 >/dev/null 2>&1
-- psql 15 has no \bind: COPY data is not logged either.
\! printf 'cs_copied_HIDDEN_0000000000000000000000004\n' > "${TMPDIR:-/tmp}/woo_secret"
SET log_statement = 'all';
CREATE TEMP TABLE woo_secret (secret text);
\copy woo_secret FROM PROGRAM 'cat "${TMPDIR:-/tmp}/woo_secret"'
SELECT length(secret) FROM woo_secret;
RESET log_statement;
\! for s in cs_literal_LOGGED_00000000000000000000001 cs_bound_param_LOGGED_000000000000000002 cs_bound_param_HIDDEN_000000000000000003 cs_copied_HIDDEN_0000000000000000000000004; do echo "$s: $(grep -c "$s" "$WOO_LOGFILE")"; done
\! rm -f "${TMPDIR:-/tmp}/woo_bound.sql" "${TMPDIR:-/tmp}/woo_secret" "${TMPDIR:-/tmp}/woo_log_offset"

SELECT count(woocommerce.delete_connection(id)) AS dropped FROM woocommerce.connection;
DELETE FROM woocommerce.product;
DROP SCHEMA sq, sb, so CASCADE;
DROP USER MAPPING FOR CURRENT_USER SERVER sec_query;
DROP USER MAPPING FOR CURRENT_USER SERVER sec_basic;
DROP USER MAPPING FOR CURRENT_USER SERVER sec_oauth;
DROP SERVER sec_query, sec_basic, sec_oauth;
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/reset"
