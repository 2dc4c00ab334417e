-- woocommerce_fdw 1.2: fixes found while making the tests able to fail.

-- test_connection(connection_id) (51_webhook_registration.sql) calls this:
-- a wrong key or secret is fixed with update_connection, so its hint says
-- that (test_server's hint names the user mapping, test_connection(url,
-- ...)'s the arguments). The C function is test_server's, told which
-- connection the server belongs to.
CREATE FUNCTION woocommerce._test_connection_server(server_name name, connection_id bigint)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'woocommerce_test_server'
LANGUAGE C STRICT VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION woocommerce._test_connection_server(name, bigint) IS
'test_server for the server of a stored connection (hints name woocommerce.update_connection)';

REVOKE ALL ON FUNCTION woocommerce._test_connection_server(name, bigint) FROM PUBLIC;
