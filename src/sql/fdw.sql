-- woocommerce_fdw install script, part 1: the foreign-data wrapper and store checks.
-- The Makefile concatenates src/sql/*.sql parts (in SQL_PARTS order) into
-- woocommerce_fdw--<version>.sql. Objects live in schema woocommerce.
\echo Use "CREATE EXTENSION woocommerce_fdw" to load this file. \quit

-- The foreign-data wrapper ------------------------------------------------

CREATE FUNCTION woocommerce.fdw_handler()
RETURNS fdw_handler
AS 'MODULE_PATHNAME', 'woocommerce_fdw_handler'
LANGUAGE C STRICT;

CREATE FUNCTION woocommerce.fdw_validator(text[], oid)
RETURNS void
AS 'MODULE_PATHNAME', 'woocommerce_fdw_validator'
LANGUAGE C STRICT;

CREATE FOREIGN DATA WRAPPER woocommerce_fdw
  HANDLER woocommerce.fdw_handler
  VALIDATOR woocommerce.fdw_validator;

COMMENT ON FOREIGN DATA WRAPPER woocommerce_fdw IS 'WooCommerce REST API (wc/v3) stores';

-- Checking a store link ---------------------------------------------------

CREATE FUNCTION woocommerce.test_connection(
    store_url text,
    consumer_key text,
    consumer_secret text,
    options jsonb DEFAULT '{}')
RETURNS jsonb
AS 'MODULE_PATHNAME', 'woocommerce_test_connection'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION woocommerce.test_connection(text, text, text, jsonb) IS
'Reach a WooCommerce store, authenticate and read its versions; returns {"ok": true, ...} or {"ok": false, "error_code", "message", "hint"}';

CREATE FUNCTION woocommerce.test_server(server_name name)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'woocommerce_test_server'
LANGUAGE C STRICT VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION woocommerce.test_server(name) IS
'test_connection for a woocommerce_fdw foreign server, with the current role''s user mapping';

-- Functions that send credentials are not for everybody: grant explicitly.
REVOKE ALL ON FUNCTION woocommerce.test_connection(text, text, text, jsonb) FROM PUBLIC;
REVOKE ALL ON FUNCTION woocommerce.test_server(name) FROM PUBLIC;
