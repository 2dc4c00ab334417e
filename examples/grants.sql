-- Example GRANTs for woocommerce_fdw's management schema (tested by
-- test/pgtap/management.sql). Run it as a superuser after
-- CREATE EXTENSION woocommerce_fdw; it is idempotent.
--
-- The original system's permission strings become group roles:
--   woocommerce_user    read, create, update, delete, export, import
--   woocommerce_reader  read only
-- A login role gets them by membership:
--   CREATE ROLE alice LOGIN IN ROLE woocommerce_user;
-- Row-level security then limits every member to the rows (connections,
-- mappings, products, sync state) its own role owns.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'woocommerce_user') THEN
        CREATE ROLE woocommerce_user NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'woocommerce_reader') THEN
        CREATE ROLE woocommerce_reader NOLOGIN;
    END IF;
END
$$;

-- Everybody needs to reach the schema; product_field is public reference data.
GRANT USAGE ON SCHEMA woocommerce TO woocommerce_user, woocommerce_reader;
GRANT SELECT ON woocommerce.product_field TO woocommerce_user, woocommerce_reader;

-- read: list connections, mappings, products, sync state and runs, and
-- (1.2) webhooks, their deliveries and events, and key setup flows.
GRANT SELECT ON woocommerce.connection, woocommerce.export_mapping, woocommerce.import_mapping,
                woocommerce.product, woocommerce.product_sync, woocommerce.sync_run
   TO woocommerce_user, woocommerce_reader;
GRANT SELECT ON woocommerce.webhook, woocommerce.webhook_setting, woocommerce.webhook_delivery,
                woocommerce.webhook_event, woocommerce.authorization_request
   TO woocommerce_user, woocommerce_reader;
GRANT EXECUTE ON FUNCTION woocommerce.default_connection(),
                          woocommerce.get_connection(bigint),
                          woocommerce.connection_or_default(bigint),
                          woocommerce.active_export_mapping(bigint),
                          woocommerce.active_import_mapping(bigint)
   TO woocommerce_reader;

-- create: a connection creates a foreign server of the wrapper (USAGE on it)
-- and a user mapping; test it (test_connection, test_server).
GRANT USAGE ON FOREIGN DATA WRAPPER woocommerce_fdw TO woocommerce_user;
-- create, update, delete: the tables themselves (the functions are
-- SECURITY INVOKER and only do what the caller could do with plain DML).
GRANT INSERT, UPDATE, DELETE ON woocommerce.connection, woocommerce.export_mapping, woocommerce.import_mapping
   TO woocommerce_user;
-- export, import: the local catalog and the sync state the sync functions write.
GRANT INSERT, UPDATE, DELETE ON woocommerce.product, woocommerce.product_sync, woocommerce.sync_run
   TO woocommerce_user;
-- webhooks (register_webhooks, set_webhook_options), consuming queued events
-- (processed_at, DELETE), and starting key setup flows (authorize_url).
GRANT INSERT, UPDATE, DELETE ON woocommerce.webhook, woocommerce.webhook_setting, woocommerce.webhook_event,
                                woocommerce.authorization_request
   TO woocommerce_user;
-- Every function of the extension, including test_connection(text, ...)
-- and test_server(name), which are revoked from PUBLIC.
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA woocommerce TO woocommerce_user;
-- Identity columns need no sequence privilege; this keeps explicit
-- nextval()/currval() calls working too.
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA woocommerce TO woocommerce_user;
