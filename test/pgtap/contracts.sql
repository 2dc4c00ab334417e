-- Contracts users rely on: SQLSTATEs, object names and privileges.
\set QUIET on
\set ON_ERROR_ROLLBACK 1
\set ON_ERROR_STOP true
\getenv http WOO_STORE_HTTP
BEGIN;
CREATE EXTENSION woocommerce_fdw;
SELECT plan(26);

-- Objects
SELECT has_schema('woocommerce');
SELECT has_function('woocommerce', 'fdw_handler', ARRAY[]::name[]);
SELECT has_function('woocommerce', 'fdw_validator', ARRAY['text[]', 'oid']);
SELECT has_function('woocommerce', 'test_connection', ARRAY['text', 'text', 'text', 'jsonb']);
SELECT has_function('woocommerce', 'test_server', ARRAY['name']);
SELECT function_returns('woocommerce', 'test_connection', ARRAY['text', 'text', 'text', 'jsonb'], 'jsonb');
SELECT is((SELECT count(*)::int FROM pg_foreign_data_wrapper WHERE fdwname = 'woocommerce_fdw'), 1,
          'the woocommerce_fdw wrapper exists');

-- Option validation SQLSTATEs (postgres_fdw's choices)
SELECT throws_ok($$CREATE SERVER t1 FOREIGN DATA WRAPPER woocommerce_fdw$$, 'HV00D',
                 'a woocommerce_fdw server needs the option "url"', 'missing url: fdw_invalid_option_name');
SELECT throws_ok($$CREATE SERVER t2 FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url 'https://x.example', bogus '1')$$,
                 'HV00D', NULL, 'unknown option: fdw_invalid_option_name');
SELECT throws_ok($$CREATE SERVER t3 FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url 'https://x.example', max_retries '-1')$$,
                 '22023', NULL, 'bad value: invalid_parameter_value');
SELECT throws_ok($$CREATE SERVER t4 FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url 'https://x.example', consumer_secret 's3cr3t')$$,
                 'HV00D', NULL, 'secret on a server: fdw_invalid_option_name');
SELECT throws_like($$CREATE SERVER t5 FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url 'https://x.example', consumer_secret 's3cr3t')$$,
                   '%consumer_secret%', 'the error names the option');
CREATE FUNCTION pg_temp.error_text(statement text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE m text; d text; h text;
BEGIN
  EXECUTE statement;
  RETURN '';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT;
  RETURN concat_ws(' | ', m, d, h);
END $f$;
SELECT unalike(pg_temp.error_text($$CREATE SERVER t6 FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url 'https://x.example', consumer_secret 's3cr3t')$$),
               '%s3cr3t%', 'the secret value is in no part of the error');

-- A role without a user mapping: invalid_authorization_specification, before any request;
-- a read-only resource: feature_not_supported, at plan time.
CREATE SERVER tap_store FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url 'https://x.example');
CREATE FOREIGN TABLE tap_products (id bigint) SERVER tap_store OPTIONS (resource 'products');
SELECT throws_ok($$SELECT * FROM tap_products$$, '28000', NULL, 'scan without user mapping: invalid_authorization_specification');
CREATE FOREIGN TABLE tap_sales (total_sales numeric, period text) SERVER tap_store OPTIONS (resource 'report_sales');
SELECT throws_ok($$INSERT INTO tap_sales (total_sales) VALUES (1)$$, '0A000', NULL, 'write to a report: feature_not_supported');
SELECT throws_ok($$EXPLAIN INSERT INTO tap_sales (total_sales) VALUES (1)$$, '0A000', NULL,
                 '... refused when planning (EXPLAIN only plans)');

-- test_server: no user mapping is 42704 (as postgres_fdw), another wrapper's server 42809
SELECT throws_ok($$SELECT woocommerce.test_server('tap_store')$$, '42704', NULL, 'no user mapping: undefined_object');
SELECT throws_ok($$SELECT woocommerce.test_server('missing_server')$$, '42704', NULL, 'unknown server: undefined_object');
CREATE FOREIGN DATA WRAPPER tap_other_fdw;
CREATE SERVER tap_other FOREIGN DATA WRAPPER tap_other_fdw;
SELECT throws_ok($$SELECT woocommerce.test_server('tap_other')$$, '42809', NULL, 'other wrapper: wrong_object_type');

-- test_connection: failures are answers, bad option names are errors
SELECT lives_ok($$SELECT woocommerce.test_connection('http://127.0.0.1:9', 'ck', 'cs', '{"max_retries": 0}')$$,
                'an unreachable store does not raise');
SELECT is((woocommerce.test_connection('http://127.0.0.1:9', 'ck', 'cs', '{"max_retries": 0}'))->>'error_code',
          'connect', 'unreachable store: error_code connect');
SELECT throws_ok($$SELECT woocommerce.test_connection('http://127.0.0.1:9', 'ck', 'cs', '{"retries": 0}')$$,
                 'HV00D', NULL, 'unknown test_connection option: fdw_invalid_option_name');

-- statement_timeout while the store is slow: 57014, PostgreSQL's message
SELECT lives_ok(format($$COPY (SELECT 1) TO PROGRAM 'curl -sf -o /dev/null -X POST -d ''{"path_prefix": "/wp-json/wc/v3/system_status", "kind": "latency", "latency_ms": 3000}'' %s/__store/faults'$$, :'http'),
                'a slow store');
-- (throws_ok cannot catch a cancel: PL/pgSQL's WHEN OTHERS excludes it.)
CREATE FUNCTION pg_temp.cancel_sqlstate(url text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE state text; msg text;
BEGIN
  PERFORM woocommerce.test_connection(url, 'ck_test_readwrite_0000000000000000000000000',
                                      'cs_test_readwrite_0000000000000000000000000');
  RETURN 'not cancelled';
EXCEPTION WHEN query_canceled THEN
  GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
  RETURN state || ' ' || msg;
END $f$;
SET LOCAL statement_timeout = '200ms';
SELECT pg_temp.cancel_sqlstate(:'http') AS cancel_result \gset
SET LOCAL statement_timeout = 0;
SELECT is(:'cancel_result'::text, '57014 canceling statement due to statement timeout'::text,
          'statement_timeout cancels a slow request with 57014 and PostgreSQL''s message');

-- Privileges: credentials-carrying functions need an explicit GRANT
CREATE ROLE tap_analyst;
SET LOCAL ROLE tap_analyst;
SELECT throws_ok($$SELECT woocommerce.test_connection('http://127.0.0.1:9', 'ck', 'cs')$$, '42501', NULL,
                 'PUBLIC cannot call test_connection');
RESET ROLE;
GRANT USAGE ON SCHEMA woocommerce TO tap_analyst;
GRANT EXECUTE ON FUNCTION woocommerce.test_connection(text, text, text, jsonb) TO tap_analyst;
SET LOCAL ROLE tap_analyst;
SELECT lives_ok($$SELECT woocommerce.test_connection('http://127.0.0.1:9', 'ck', 'cs', '{"max_retries": 0}')$$,
                'a granted role can call test_connection');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
