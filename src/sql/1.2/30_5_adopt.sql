-- woocommerce_fdw 1.2, issue 12 part 5: adopting a hand-made server.
--
-- woocommerce.adopt_server registers a woocommerce_fdw foreign server the
-- caller owns, and the caller's user mapping on it, as a connection: the
-- store is checked with the mapping's keys (as create_connection checks
-- them), without the caller passing the secret again. From then on the
-- server belongs to the connection: update_connection changes its options,
-- delete_connection drops it with its user mappings.

CREATE FUNCTION woocommerce.adopt_server(server_name name, store_name text DEFAULT NULL)
RETURNS woocommerce.connection
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    srv record;
    url text;
    options jsonb;
    answer jsonb;
    c woocommerce.connection;
BEGIN
    SELECT s.oid, s.srvowner, w.fdwname, s.srvoptions INTO srv
      FROM pg_catalog.pg_foreign_server s JOIN pg_catalog.pg_foreign_data_wrapper w ON w.oid = s.srvfdw
     WHERE s.srvname = adopt_server.server_name;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'server "%" does not exist', server_name USING ERRCODE = '42704';
    END IF;
    IF srv.fdwname <> 'woocommerce_fdw' THEN
        RAISE EXCEPTION 'server "%" is not a woocommerce_fdw server', server_name USING ERRCODE = '42809';
    END IF;
    IF NOT pg_has_role(current_user, srv.srvowner, 'MEMBER') THEN
        RAISE EXCEPTION 'server "%" belongs to another role', server_name
            USING ERRCODE = '42501', HINT = 'Only the owner of a server can make it a connection.';
    END IF;
    IF EXISTS (SELECT 1 FROM woocommerce.connection x WHERE x.server_name = adopt_server.server_name) THEN
        RAISE EXCEPTION 'server "%" is a connection already', server_name USING ERRCODE = '23505';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_user_mappings u
                    WHERE u.srvname = adopt_server.server_name AND u.usename = current_user) THEN
        RAISE EXCEPTION 'you have no user mapping on server "%"', server_name
            USING ERRCODE = '42704',
                  HINT = 'CREATE USER MAPPING FOR CURRENT_USER SERVER ... OPTIONS (consumer_key ''...'', consumer_secret ''...'') first.';
    END IF;
    SELECT o.option_value INTO url FROM pg_catalog.pg_options_to_table(srv.srvoptions) o WHERE o.option_name = 'url';
    SELECT coalesce(jsonb_object_agg(o.option_name, o.option_value), '{}') INTO options
      FROM pg_catalog.pg_options_to_table(srv.srvoptions) o WHERE o.option_name <> 'url';
    -- The store, with the caller's user mapping on the server.
    answer := woocommerce.test_server(server_name);
    IF NOT coalesce((answer->>'ok')::boolean, false) THEN
        RAISE EXCEPTION 'could not verify the connection to %', url
            USING ERRCODE = coalesce(answer->>'sqlstate', 'HV000'),
                  DETAIL = coalesce(answer->>'message', 'The store did not answer as WooCommerce.'),
                  HINT = coalesce(answer->>'hint', 'Check the server''s url and the user mapping''s keys.');
    END IF;
    INSERT INTO woocommerce.connection (store_name, store_url, server_name, options)
    VALUES (coalesce(adopt_server.store_name, server_name::text), url, server_name, options)
    RETURNING * INTO c;
    RETURN c;
END
$$;

COMMENT ON FUNCTION woocommerce.adopt_server(name, text) IS
'Register a hand-made woocommerce_fdw server and your user mapping on it as a connection (the store is checked first)';

REVOKE EXECUTE ON FUNCTION woocommerce.adopt_server(name, text) FROM PUBLIC;
