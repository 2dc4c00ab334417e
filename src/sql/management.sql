-- woocommerce_fdw install script, part 3: connections, mappings, the local
-- catalog and sync state, with row-level security.
--
-- Design (see docs/management.md):
--  * every row has an owner (regrole, default the current role); row-level
--    security lets a role see and change only rows owned by roles it is a
--    member of. Superusers and BYPASSRLS roles see everything.
--  * child tables (mappings, product_sync, sync_run) are guarded through their
--    connection's owner, so a foreign key cannot reach another owner's rows.
--  * a connection owns a foreign server of woocommerce_fdw; its credentials
--    live only in user mappings on that server, never in a table.
--  * every rule is a constraint or a trigger, so plain INSERT / UPDATE /
--    DELETE enforce exactly what the functions do; the functions only add
--    the user mapping and the store check.

-- Helpers -------------------------------------------------------------------

-- The canonical store URL, as the wrapper's validator computes it: scheme
-- and host lower-cased, the scheme's default port dropped, trailing slashes
-- removed. Credentials, query strings and fragments are refused (and a URL
-- with credentials is never repeated in the error).
CREATE FUNCTION woocommerce.normalize_store_url(store_url text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
DECLARE
    url text := btrim(store_url, E' \t\r\n');
    m text[];
    scheme text;
    authority text;
    rest text;
    host text;
    port text;
    path text;
    example constant text := 'Give the site address, e.g. https://shop.example.com or http://localhost:8080/shop.';
BEGIN
    IF url = '' THEN
        RAISE EXCEPTION 'invalid store URL: it is empty' USING ERRCODE = '22023', HINT = example;
    END IF;
    m := regexp_match(url, '^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)(.*)$');
    IF m IS NULL THEN
        RAISE EXCEPTION 'invalid store URL: it does not start with http:// or https://'
            USING ERRCODE = '22023', HINT = example;
    END IF;
    scheme := lower(m[1]);
    authority := m[2];
    rest := m[3];
    IF scheme NOT IN ('http', 'https') THEN
        RAISE EXCEPTION 'invalid store URL: unsupported scheme "%"', scheme
            USING ERRCODE = '22023', HINT = 'WooCommerce stores are reached over http or https. ' || example;
    END IF;
    IF position('@' IN authority) > 0 THEN
        RAISE EXCEPTION 'invalid store URL: it contains credentials (user:password@)'
            USING ERRCODE = '22023',
                  HINT = 'Remove them from the URL; pass the API keys as consumer_key and consumer_secret: they are kept in a user mapping.';
    END IF;
    IF url ~ '[[:space:][:cntrl:]]' THEN
        RAISE EXCEPTION 'invalid store URL: it contains spaces or control characters'
            USING ERRCODE = '22023', HINT = 'Percent-encode spaces in the path (%20) and remove surrounding blanks.';
    END IF;
    IF position('?' IN rest) > 0 THEN
        RAISE EXCEPTION 'invalid store URL: it contains a query string'
            USING ERRCODE = '22023',
                  HINT = 'Give only the site address; the extension adds /wp-json/wc/v3/... and its parameters itself.';
    END IF;
    IF position('#' IN rest) > 0 THEN
        RAISE EXCEPTION 'invalid store URL: it contains a fragment (#...)'
            USING ERRCODE = '22023', HINT = 'Remove the ''#'' and what follows.';
    END IF;
    m := regexp_match(authority, '^(\[[^\]]*\]|[^:]*)(?::([0-9]*))?$');
    IF m IS NULL OR m[1] = '' OR m[1] = '[]' THEN
        RAISE EXCEPTION 'invalid store URL: it has no host name or an invalid port'
            USING ERRCODE = '22023', HINT = example;
    END IF;
    host := lower(m[1]);
    port := m[2];
    IF port = '' OR length(port) > 5 OR port::int NOT BETWEEN 1 AND 65535 THEN
        RAISE EXCEPTION 'invalid store URL: invalid port "%"', port USING ERRCODE = '22023', HINT = example;
    END IF;
    IF (scheme = 'http' AND port::int = 80) OR (scheme = 'https' AND port::int = 443) THEN
        port := NULL;
    END IF;
    path := regexp_replace(rest, '/+$', '');
    RETURN scheme || '://' || host || coalesce(':' || port::int::text, '') || path;
END
$$;

COMMENT ON FUNCTION woocommerce.normalize_store_url(text) IS
'The canonical store URL (scheme and host lower-cased, default port and trailing slashes dropped); refuses credentials, query and fragment';

-- The role a row belongs to by default: the current role.
CREATE FUNCTION woocommerce.current_owner()
RETURNS regrole
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT oid::regrole FROM pg_catalog.pg_roles WHERE rolname = current_user $$;

-- The columns of woocommerce.product a mapping may name (the data columns).
CREATE FUNCTION woocommerce.local_product_fields()
RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT array_agg(attname::text ORDER BY attnum)
      FROM pg_catalog.pg_attribute
     WHERE attrelid = 'woocommerce.product'::regclass AND attnum > 0 AND NOT attisdropped
       AND attname NOT IN ('id', 'owner', 'created_at', 'updated_at')
$$;

COMMENT ON FUNCTION woocommerce.local_product_fields() IS
'Local fields a mapping may name: the data columns of woocommerce.product';

CREATE FUNCTION woocommerce.set_updated_at()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

-- Connections -----------------------------------------------------------------

CREATE TABLE woocommerce.connection (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner regrole NOT NULL DEFAULT woocommerce.current_owner(),
    store_name text NOT NULL CHECK (btrim(store_name) <> ''),
    store_url text NOT NULL,
    server_name name NOT NULL UNIQUE,
    is_default boolean NOT NULL DEFAULT false,
    is_active boolean NOT NULL DEFAULT true,
    options jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(options) = 'object'),
    last_synced_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT connection_owner_store_url_key UNIQUE (owner, store_url)
);

CREATE UNIQUE INDEX connection_one_default_per_owner ON woocommerce.connection (owner) WHERE is_default;
CREATE INDEX connection_owner_active_idx ON woocommerce.connection (owner, is_active);

COMMENT ON TABLE woocommerce.connection IS
'WooCommerce store connections: a foreign server (server_name) plus the owner''s user mapping holding the keys';

-- Checks and derived values on INSERT and UPDATE.
CREATE FUNCTION woocommerce.connection_before_write()
RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    bad text;
BEGIN
    NEW.store_url := woocommerce.normalize_store_url(NEW.store_url);

    IF jsonb_typeof(NEW.options) IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION 'connection options must be a JSON object of server options'
            USING ERRCODE = '22023', HINT = 'For example {"ca_file": "/etc/ssl/shop-ca.pem", "timeout_ms": 30000}.';
    END IF;
    SELECT k INTO bad FROM jsonb_object_keys(NEW.options) AS k
     WHERE k IN ('url', 'consumer_key', 'consumer_secret', 'webhook_secret') LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'option "%" does not belong in connection options', bad
            USING ERRCODE = 'HV00D',
                  HINT = CASE WHEN bad = 'url' THEN 'The URL is the store_url column.'
                              ELSE 'Keys and secrets are arguments of create_connection / update_connection and live only in the user mapping.' END;
    END IF;
    SELECT key INTO bad FROM jsonb_each(NEW.options)
     WHERE jsonb_typeof(value) NOT IN ('string', 'number', 'boolean') LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'connection option "%" must be a string, number or boolean', bad USING ERRCODE = '22023';
    END IF;

    IF TG_OP = 'INSERT' THEN
        NEW.server_name := coalesce(NEW.server_name, 'woocommerce_connection_' || NEW.id);
        -- The first connection of an owner is its default.
        IF NOT EXISTS (SELECT 1 FROM woocommerce.connection c WHERE c.owner = NEW.owner) THEN
            NEW.is_default := true;
        END IF;
    ELSE
        IF NEW.owner <> OLD.owner OR NEW.server_name <> OLD.server_name OR NEW.id <> OLD.id THEN
            RAISE EXCEPTION 'the id, owner and server_name of a connection cannot change'
                USING ERRCODE = '55000', HINT = 'Create a new connection instead.';
        END IF;
    END IF;

    IF EXISTS (SELECT 1 FROM woocommerce.connection c
                WHERE c.owner = NEW.owner AND c.store_url = NEW.store_url AND c.id <> NEW.id) THEN
        RAISE EXCEPTION 'a connection to % already exists for role %', NEW.store_url, NEW.owner
            USING ERRCODE = '23505', CONSTRAINT = 'connection_owner_store_url_key',
                  DETAIL = 'Store URLs are compared after normalisation (scheme and host lower-cased, no trailing slash).',
                  HINT = 'Update the existing connection with woocommerce.update_connection, or delete it first.';
    END IF;

    -- One default per owner: making this one the default unsets the old one.
    IF NEW.is_default AND (TG_OP = 'INSERT' OR NOT OLD.is_default) THEN
        UPDATE woocommerce.connection c SET is_default = false
         WHERE c.owner = NEW.owner AND c.is_default AND c.id <> NEW.id;
    END IF;
    RETURN NEW;
END
$$;

-- The foreign server follows the row: created (or adopted) on INSERT,
-- altered when store_url or options change.
CREATE FUNCTION woocommerce.connection_sync_server()
RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    srv record;
    wanted jsonb;
    current jsonb := '{}';
    changes text[] := '{}';
    k text;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.store_url = OLD.store_url AND NEW.options = OLD.options THEN
        RETURN NULL;
    END IF;
    -- Server options: the URL and every connection option except the
    -- verification-only require_write; values as text.
    SELECT jsonb_object_agg(key, value #>> '{}') INTO wanted
      FROM jsonb_each(NEW.options) WHERE key <> 'require_write';
    wanted := coalesce(wanted, '{}') || jsonb_build_object('url', NEW.store_url);

    SELECT s.oid, s.srvowner, w.fdwname, s.srvoptions INTO srv
      FROM pg_catalog.pg_foreign_server s JOIN pg_catalog.pg_foreign_data_wrapper w ON w.oid = s.srvfdw
     WHERE s.srvname = NEW.server_name;
    IF NOT FOUND THEN
        SELECT string_agg(format('%I %L', key, value #>> '{}'), ', ' ORDER BY key = 'url' DESC, key) INTO k
          FROM jsonb_each(wanted);
        EXECUTE format('CREATE SERVER %I FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (%s)', NEW.server_name, k);
        EXECUTE format('COMMENT ON SERVER %I IS %L', NEW.server_name,
                       format('WooCommerce store %s (woocommerce.connection %s)', NEW.store_url, NEW.id));
        RETURN NULL;
    END IF;
    IF srv.fdwname <> 'woocommerce_fdw' THEN
        RAISE EXCEPTION 'server "%" is not a woocommerce_fdw server', NEW.server_name USING ERRCODE = '42809';
    END IF;
    IF NOT pg_has_role(current_user, srv.srvowner, 'MEMBER') THEN
        RAISE EXCEPTION 'server "%" belongs to another role', NEW.server_name
            USING ERRCODE = '42501', HINT = 'A connection can only use a foreign server its owner owns.';
    END IF;
    SELECT coalesce(jsonb_object_agg(option_name, option_value), '{}') INTO current
      FROM pg_options_to_table(srv.srvoptions);
    FOR k IN SELECT jsonb_object_keys(wanted || current) ORDER BY 1 LOOP
        IF wanted ? k AND current ? k THEN
            IF wanted->>k IS DISTINCT FROM current->>k THEN
                changes := changes || format('SET %I %L', k, wanted->>k);
            END IF;
        ELSIF wanted ? k THEN
            changes := changes || format('ADD %I %L', k, wanted->>k);
        ELSE
            changes := changes || format('DROP %I', k);
        END IF;
    END LOOP;
    IF cardinality(changes) > 0 THEN
        EXECUTE format('ALTER SERVER %I OPTIONS (%s)', NEW.server_name, array_to_string(changes, ', '));
    END IF;
    RETURN NULL;
END
$$;

-- After the default was unset or deleted: the oldest remaining active
-- connection of the owner becomes the default (if there is one and no other
-- default exists).
CREATE FUNCTION woocommerce.connection_promote_default()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF pg_trigger_depth() > 1 THEN
        RETURN NULL;  -- our own "unset the old default" update
    END IF;
    IF TG_OP = 'UPDATE' AND NOT (OLD.is_default AND NOT NEW.is_default) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' AND NOT OLD.is_default THEN
        RETURN NULL;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM woocommerce.connection c WHERE c.owner = OLD.owner AND c.is_default) THEN
        UPDATE woocommerce.connection c SET is_default = true
         WHERE c.id = (SELECT o.id FROM woocommerce.connection o
                        WHERE o.owner = OLD.owner AND o.is_active AND o.id <> OLD.id
                        ORDER BY o.created_at, o.id LIMIT 1);
    END IF;
    RETURN NULL;
END
$$;

-- A deleted connection takes its user mappings and foreign server along.
-- (Foreign tables defined on the server keep the server alive: PostgreSQL's
-- dependency error says which; drop them first.)
CREATE FUNCTION woocommerce.connection_drop_server()
RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    um record;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_foreign_server WHERE srvname = OLD.server_name) THEN
        RETURN NULL;
    END IF;
    FOR um IN SELECT umuser, usename FROM pg_catalog.pg_user_mappings WHERE srvname = OLD.server_name LOOP
        EXECUTE format('DROP USER MAPPING FOR %s SERVER %I',
                       CASE WHEN um.umuser = 0 THEN 'PUBLIC' ELSE quote_ident(um.usename) END, OLD.server_name);
    END LOOP;
    EXECUTE format('DROP SERVER %I', OLD.server_name);
    RETURN NULL;
END
$$;

CREATE TRIGGER connection_before_write BEFORE INSERT OR UPDATE ON woocommerce.connection
    FOR EACH ROW EXECUTE FUNCTION woocommerce.connection_before_write();
CREATE TRIGGER connection_updated_at BEFORE UPDATE ON woocommerce.connection
    FOR EACH ROW EXECUTE FUNCTION woocommerce.set_updated_at();
CREATE TRIGGER connection_sync_server AFTER INSERT OR UPDATE ON woocommerce.connection
    FOR EACH ROW EXECUTE FUNCTION woocommerce.connection_sync_server();
CREATE TRIGGER connection_promote_default AFTER UPDATE OR DELETE ON woocommerce.connection
    FOR EACH ROW EXECUTE FUNCTION woocommerce.connection_promote_default();
CREATE TRIGGER connection_drop_server AFTER DELETE ON woocommerce.connection
    FOR EACH ROW EXECUTE FUNCTION woocommerce.connection_drop_server();

-- Mappings --------------------------------------------------------------------

CREATE TABLE woocommerce.export_mapping (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    connection_id bigint NOT NULL REFERENCES woocommerce.connection (id) ON DELETE CASCADE,
    name text NOT NULL CHECK (btrim(name) <> ''),
    selected_fields text[] NOT NULL,
    field_mappings jsonb NOT NULL DEFAULT '{}',
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX export_mapping_one_active ON woocommerce.export_mapping (connection_id) WHERE is_active;
CREATE INDEX export_mapping_connection_idx ON woocommerce.export_mapping (connection_id);

COMMENT ON TABLE woocommerce.export_mapping IS
'Which WooCommerce product fields an export sends (always name and sku), and local field -> WooCommerce field renames';

CREATE TABLE woocommerce.import_mapping (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    connection_id bigint NOT NULL REFERENCES woocommerce.connection (id) ON DELETE CASCADE,
    name text NOT NULL CHECK (btrim(name) <> ''),
    attribute_mappings jsonb NOT NULL DEFAULT '{}',
    field_mappings jsonb NOT NULL DEFAULT '{}',
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX import_mapping_one_active ON woocommerce.import_mapping (connection_id) WHERE is_active;
CREATE INDEX import_mapping_connection_idx ON woocommerce.import_mapping (connection_id);

COMMENT ON TABLE woocommerce.import_mapping IS
'How an import maps WooCommerce attributes (name or pa_ slug) to local attribute keys and WooCommerce fields to local fields';

-- Field-name checks shared by both kinds. kind: 'export' (WooCommerce side
-- must be writable) or 'import' (any WooCommerce field).
CREATE FUNCTION woocommerce.check_woo_field(field text, kind text, context text)
RETURNS void
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    ro boolean;
BEGIN
    SELECT f.readonly INTO ro FROM woocommerce.product_field f WHERE f.name = field;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown WooCommerce product field "%" in %', field, context
            USING ERRCODE = '22023',
                  HINT = format('Valid fields: %s.',
                                (SELECT string_agg(f.name, ', ' ORDER BY f.name) FROM woocommerce.product_field f
                                  WHERE kind = 'import' OR NOT f.readonly));
    END IF;
    IF kind = 'export' AND ro THEN
        RAISE EXCEPTION 'WooCommerce product field "%" in % is read-only: the store does not accept it', field, context
            USING ERRCODE = '22023',
                  HINT = format('Writable fields: %s.',
                                (SELECT string_agg(f.name, ', ' ORDER BY f.name) FROM woocommerce.product_field f
                                  WHERE NOT f.readonly));
    END IF;
END
$$;

CREATE FUNCTION woocommerce.check_local_field(field text, context text)
RETURNS void
LANGUAGE plpgsql STABLE
AS $$
BEGIN
    IF NOT field = ANY (woocommerce.local_product_fields()) THEN
        RAISE EXCEPTION 'unknown local field "%" in %', field, context
            USING ERRCODE = '22023',
                  HINT = format('Local fields (columns of woocommerce.product): %s.',
                                array_to_string(woocommerce.local_product_fields(), ', '));
    END IF;
END
$$;

CREATE FUNCTION woocommerce.check_string_map(doc jsonb, context text, meaning text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
    bad text;
BEGIN
    IF jsonb_typeof(doc) IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION '% must be a JSON object', context
            USING ERRCODE = '22023', HINT = format('It maps %s, e.g. {"a": "b"}.', meaning);
    END IF;
    SELECT key INTO bad FROM jsonb_each(doc)
     WHERE btrim(key) = '' OR jsonb_typeof(value) <> 'string' OR btrim(value #>> '{}') = '' LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'invalid entry "%" in %: keys and values must be non-empty strings', bad, context
            USING ERRCODE = '22023', HINT = format('It maps %s.', meaning);
    END IF;
END
$$;

CREATE FUNCTION woocommerce.export_mapping_before_write()
RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    f text;
    missing text[];
    e record;
BEGIN
    IF TG_OP = 'INSERT' OR NEW.selected_fields IS DISTINCT FROM OLD.selected_fields
       OR NEW.field_mappings IS DISTINCT FROM OLD.field_mappings THEN
        IF NEW.selected_fields IS NULL OR array_position(NEW.selected_fields, NULL) IS NOT NULL THEN
            RAISE EXCEPTION 'selected_fields must be an array of WooCommerce product field names without NULLs'
                USING ERRCODE = '22023';
        END IF;
        SELECT array_agg(r ORDER BY r) INTO missing
          FROM unnest(ARRAY['name', 'sku']) AS r WHERE NOT r = ANY (NEW.selected_fields);
        IF missing IS NOT NULL THEN
            RAISE EXCEPTION 'selected_fields must include "name" and "sku" (missing: %)', array_to_string(missing, ', ')
                USING ERRCODE = '22023',
                      HINT = 'name and sku identify a product in the store: every export sends them. Add them to selected_fields.';
        END IF;
        FOREACH f IN ARRAY NEW.selected_fields LOOP
            PERFORM woocommerce.check_woo_field(f, 'export', 'selected_fields');
        END LOOP;
        PERFORM woocommerce.check_string_map(NEW.field_mappings, 'field_mappings',
                                             'a local field (column of woocommerce.product) to a writable WooCommerce product field');
        FOR e IN SELECT key, value #>> '{}' AS value FROM jsonb_each(NEW.field_mappings) ORDER BY key LOOP
            PERFORM woocommerce.check_local_field(e.key, 'field_mappings');
            PERFORM woocommerce.check_woo_field(e.value, 'export', format('field_mappings (for local field "%s")', e.key));
        END LOOP;
    END IF;
    -- At most one active mapping per connection: activating this one
    -- deactivates the others.
    IF NEW.is_active THEN
        UPDATE woocommerce.export_mapping m SET is_active = false
         WHERE m.connection_id = NEW.connection_id AND m.is_active AND m.id <> NEW.id;
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION woocommerce.import_mapping_before_write()
RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    e record;
BEGIN
    IF TG_OP = 'INSERT' OR NEW.attribute_mappings IS DISTINCT FROM OLD.attribute_mappings
       OR NEW.field_mappings IS DISTINCT FROM OLD.field_mappings THEN
        PERFORM woocommerce.check_string_map(NEW.attribute_mappings, 'attribute_mappings',
                                             'a WooCommerce attribute name or pa_ slug to a local attribute key');
        FOR e IN SELECT key FROM jsonb_each(NEW.attribute_mappings) WHERE key LIKE 'pa\_%' ORDER BY key LOOP
            IF e.key !~ '^pa_[a-z0-9_-]+$' THEN
                RAISE EXCEPTION 'invalid attribute slug "%" in attribute_mappings', e.key
                    USING ERRCODE = '22023',
                          HINT = 'Global attribute slugs are "pa_" followed by lower-case letters, digits, "-" and "_" (e.g. pa_color); other keys are attribute names.';
            END IF;
        END LOOP;
        PERFORM woocommerce.check_string_map(NEW.field_mappings, 'field_mappings',
                                             'a WooCommerce product field to a local field (column of woocommerce.product)');
        FOR e IN SELECT key, value #>> '{}' AS value FROM jsonb_each(NEW.field_mappings) ORDER BY key LOOP
            PERFORM woocommerce.check_woo_field(e.key, 'import', 'field_mappings');
            PERFORM woocommerce.check_local_field(e.value, format('field_mappings (for WooCommerce field "%s")', e.key));
        END LOOP;
    END IF;
    IF NEW.is_active THEN
        UPDATE woocommerce.import_mapping m SET is_active = false
         WHERE m.connection_id = NEW.connection_id AND m.is_active AND m.id <> NEW.id;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER export_mapping_before_write BEFORE INSERT OR UPDATE ON woocommerce.export_mapping
    FOR EACH ROW EXECUTE FUNCTION woocommerce.export_mapping_before_write();
CREATE TRIGGER export_mapping_updated_at BEFORE UPDATE ON woocommerce.export_mapping
    FOR EACH ROW EXECUTE FUNCTION woocommerce.set_updated_at();
CREATE TRIGGER import_mapping_before_write BEFORE INSERT OR UPDATE ON woocommerce.import_mapping
    FOR EACH ROW EXECUTE FUNCTION woocommerce.import_mapping_before_write();
CREATE TRIGGER import_mapping_updated_at BEFORE UPDATE ON woocommerce.import_mapping
    FOR EACH ROW EXECUTE FUNCTION woocommerce.set_updated_at();

-- The local catalog -----------------------------------------------------------

CREATE TABLE woocommerce.product (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner regrole NOT NULL DEFAULT woocommerce.current_owner(),
    sku text NOT NULL CHECK (btrim(sku) <> ''),
    name text NOT NULL CHECK (btrim(name) <> ''),
    type text NOT NULL DEFAULT 'simple',
    status text NOT NULL DEFAULT 'publish',
    description text,
    short_description text,
    regular_price numeric CHECK (regular_price >= 0),
    sale_price numeric CHECK (sale_price >= 0),
    stock_quantity integer CHECK (stock_quantity >= 0),
    manage_stock boolean NOT NULL DEFAULT false,
    stock_status text NOT NULL DEFAULT 'instock',
    weight numeric CHECK (weight >= 0),
    dimensions jsonb CHECK (jsonb_typeof(dimensions) = 'object'),
    categories text[] NOT NULL DEFAULT '{}',
    tags text[] NOT NULL DEFAULT '{}',
    images text[] NOT NULL DEFAULT '{}',
    attributes jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(attributes) = 'object'),
    meta_data jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(meta_data) = 'object'),
    parent_id bigint REFERENCES woocommerce.product (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT product_owner_sku_key UNIQUE (owner, sku),
    CONSTRAINT product_sale_below_regular CHECK (sale_price IS NULL OR (regular_price IS NOT NULL AND sale_price < regular_price)),
    CONSTRAINT product_stock_needs_manage_stock CHECK (stock_quantity IS NULL OR manage_stock),
    CONSTRAINT product_variation_has_parent CHECK ((type = 'variation') = (parent_id IS NOT NULL))
);
CREATE INDEX product_parent_idx ON woocommerce.product (parent_id);

COMMENT ON TABLE woocommerce.product IS
'The default local catalog (a small PIM) that exports read and imports write';

-- type, status and stock_status take WooCommerce's own enumerations (from
-- woocommerce.product_field, i.e. the store's schema); a variation (type
-- 'variation', as WooCommerce's variations endpoint names it) has a parent
-- of the same owner.
CREATE FUNCTION woocommerce.product_before_write()
RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    col text;
    val text;
    allowed text[];
BEGIN
    FOREACH col IN ARRAY ARRAY['type', 'status', 'stock_status'] LOOP
        val := to_jsonb(NEW) ->> col;
        SELECT f.allowed_values INTO allowed FROM woocommerce.product_field f WHERE f.name = col;
        IF NOT (val = ANY (allowed) OR (col = 'type' AND val = 'variation')) THEN
            RAISE EXCEPTION 'invalid product %: "%"', col, val
                USING ERRCODE = '23514',
                      HINT = format('WooCommerce accepts: %s.', array_to_string(
                          allowed || CASE WHEN col = 'type' THEN ARRAY['variation (with parent_id)'] ELSE '{}' END, ', '));
        END IF;
    END LOOP;
    IF NEW.parent_id IS NOT NULL AND NOT EXISTS (
           SELECT 1 FROM woocommerce.product p WHERE p.id = NEW.parent_id AND p.owner = NEW.owner AND p.parent_id IS NULL) THEN
        RAISE EXCEPTION 'parent product % not found', NEW.parent_id
            USING ERRCODE = '23503', HINT = 'A variation''s parent is a product of the same owner that is not itself a variation.';
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.owner <> OLD.owner THEN
        RAISE EXCEPTION 'the owner of a product cannot change' USING ERRCODE = '55000';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER product_before_write BEFORE INSERT OR UPDATE ON woocommerce.product
    FOR EACH ROW EXECUTE FUNCTION woocommerce.product_before_write();
CREATE TRIGGER product_updated_at BEFORE UPDATE ON woocommerce.product
    FOR EACH ROW EXECUTE FUNCTION woocommerce.set_updated_at();

-- Sync state ------------------------------------------------------------------

CREATE TABLE woocommerce.product_sync (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    connection_id bigint NOT NULL REFERENCES woocommerce.connection (id) ON DELETE CASCADE,
    product_id bigint NOT NULL REFERENCES woocommerce.product (id) ON DELETE CASCADE,
    woo_product_id bigint CHECK (woo_product_id > 0),
    last_exported_at timestamptz,
    last_imported_at timestamptz,
    last_modified_fields text[] NOT NULL DEFAULT '{}',
    last_exchanged jsonb,
    sync_status text NOT NULL DEFAULT 'pending' CHECK (sync_status IN ('synced', 'pending', 'error')),
    last_error text,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT product_sync_connection_product_key UNIQUE (connection_id, product_id),
    CONSTRAINT product_sync_connection_woo_product_key UNIQUE (connection_id, woo_product_id)
);
CREATE INDEX product_sync_connection_status_idx ON woocommerce.product_sync (connection_id, sync_status);
CREATE INDEX product_sync_product_idx ON woocommerce.product_sync (product_id);

COMMENT ON TABLE woocommerce.product_sync IS
'Per connection and local product: the WooCommerce product id, the state last exchanged (for change detection) and the sync status';
COMMENT ON COLUMN woocommerce.product_sync.last_exchanged IS
'The product''s fields as last sent to or received from the store (WooCommerce JSON)';

CREATE TRIGGER product_sync_updated_at BEFORE UPDATE ON woocommerce.product_sync
    FOR EACH ROW EXECUTE FUNCTION woocommerce.set_updated_at();

CREATE TABLE woocommerce.sync_run (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    connection_id bigint NOT NULL REFERENCES woocommerce.connection (id) ON DELETE CASCADE,
    direction text NOT NULL CHECK (direction IN ('export', 'import')),
    started_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz CHECK (finished_at >= started_at),
    created integer NOT NULL DEFAULT 0 CHECK (created >= 0),
    updated integer NOT NULL DEFAULT 0 CHECK (updated >= 0),
    unchanged integer NOT NULL DEFAULT 0 CHECK (unchanged >= 0),
    skipped integer NOT NULL DEFAULT 0 CHECK (skipped >= 0),
    failed integer NOT NULL DEFAULT 0 CHECK (failed >= 0),
    requests integer NOT NULL DEFAULT 0 CHECK (requests >= 0),
    bytes bigint NOT NULL DEFAULT 0 CHECK (bytes >= 0),
    errors jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(errors) = 'array')
);
CREATE INDEX sync_run_connection_idx ON woocommerce.sync_run (connection_id, started_at);

COMMENT ON TABLE woocommerce.sync_run IS 'History of export and import runs, with counts by outcome';

-- Row-level security ----------------------------------------------------------
-- A role sees and changes the rows owned by roles it is a member of. Child
-- rows go through their connection (and product_sync also through its
-- product), so neither a foreign key nor a guessed id reaches another
-- owner's rows. The tables belong to the extension's owner (a superuser),
-- so ENABLE is enough: FORCE would only concern the table owner.

ALTER TABLE woocommerce.connection ENABLE ROW LEVEL SECURITY;
ALTER TABLE woocommerce.export_mapping ENABLE ROW LEVEL SECURITY;
ALTER TABLE woocommerce.import_mapping ENABLE ROW LEVEL SECURITY;
ALTER TABLE woocommerce.product ENABLE ROW LEVEL SECURITY;
ALTER TABLE woocommerce.product_sync ENABLE ROW LEVEL SECURITY;
ALTER TABLE woocommerce.sync_run ENABLE ROW LEVEL SECURITY;

CREATE POLICY connection_owner ON woocommerce.connection
    USING (pg_has_role(current_user, owner, 'MEMBER'))
    WITH CHECK (pg_has_role(current_user, owner, 'MEMBER'));

CREATE POLICY product_owner ON woocommerce.product
    USING (pg_has_role(current_user, owner, 'MEMBER'))
    WITH CHECK (pg_has_role(current_user, owner, 'MEMBER'));

CREATE POLICY export_mapping_owner ON woocommerce.export_mapping
    USING (EXISTS (SELECT 1 FROM woocommerce.connection c
                    WHERE c.id = connection_id AND pg_has_role(current_user, c.owner, 'MEMBER')))
    WITH CHECK (EXISTS (SELECT 1 FROM woocommerce.connection c
                         WHERE c.id = connection_id AND pg_has_role(current_user, c.owner, 'MEMBER')));

CREATE POLICY import_mapping_owner ON woocommerce.import_mapping
    USING (EXISTS (SELECT 1 FROM woocommerce.connection c
                    WHERE c.id = connection_id AND pg_has_role(current_user, c.owner, 'MEMBER')))
    WITH CHECK (EXISTS (SELECT 1 FROM woocommerce.connection c
                         WHERE c.id = connection_id AND pg_has_role(current_user, c.owner, 'MEMBER')));

CREATE POLICY sync_run_owner ON woocommerce.sync_run
    USING (EXISTS (SELECT 1 FROM woocommerce.connection c
                    WHERE c.id = connection_id AND pg_has_role(current_user, c.owner, 'MEMBER')))
    WITH CHECK (EXISTS (SELECT 1 FROM woocommerce.connection c
                         WHERE c.id = connection_id AND pg_has_role(current_user, c.owner, 'MEMBER')));

CREATE POLICY product_sync_owner ON woocommerce.product_sync
    USING (EXISTS (SELECT 1 FROM woocommerce.connection c
                    WHERE c.id = connection_id AND pg_has_role(current_user, c.owner, 'MEMBER')))
    WITH CHECK (EXISTS (SELECT 1 FROM woocommerce.connection c
                         WHERE c.id = connection_id AND pg_has_role(current_user, c.owner, 'MEMBER'))
                AND EXISTS (SELECT 1 FROM woocommerce.product p
                             WHERE p.id = product_id AND pg_has_role(current_user, p.owner, 'MEMBER')));

-- Functions: connections ------------------------------------------------------

-- The connection, if the current role may see it; a clear error otherwise.
CREATE FUNCTION woocommerce.get_connection(connection_id bigint)
RETURNS woocommerce.connection
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    c woocommerce.connection;
BEGIN
    SELECT * INTO c FROM woocommerce.connection x WHERE x.id = get_connection.connection_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'connection % not found', coalesce(connection_id::text, 'NULL')
            USING ERRCODE = '42704',
                  HINT = 'SELECT id, store_name, store_url FROM woocommerce.connection lists the connections you can use.';
    END IF;
    RETURN c;
END
$$;

-- Raise unless the connection exists and is active: the sync functions call
-- it before they talk to the store.
CREATE FUNCTION woocommerce.require_active_connection(connection_id bigint)
RETURNS woocommerce.connection
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    c woocommerce.connection := woocommerce.get_connection(connection_id);
BEGIN
    IF NOT c.is_active THEN
        RAISE EXCEPTION 'connection % (%) is inactive', c.id, c.store_name
            USING ERRCODE = '55000',
                  HINT = format('Activate it first: SELECT woocommerce.update_connection(%s, is_active => true);', c.id);
    END IF;
    RETURN c;
END
$$;


-- Check the store with the given keys; raise (message in DETAIL, hint in
-- HINT) when it fails. Only option names test_connection knows are passed.
CREATE FUNCTION woocommerce.verify_store(store_url text, consumer_key text, consumer_secret text, options jsonb)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    answer jsonb;
    test_options jsonb;
BEGIN
    SELECT coalesce(jsonb_object_agg(key, value), '{}') INTO test_options
      FROM jsonb_each(coalesce(options, '{}'))
     WHERE key IN ('api_prefix', 'api_version', 'auth', 'oauth_signature_method', 'timeout_ms', 'connect_timeout_ms',
                   'max_retries', 'verify_tls', 'ca_file', 'max_response_bytes', 'require_write');
    answer := woocommerce.test_connection(store_url, consumer_key, consumer_secret, test_options);
    IF NOT coalesce((answer->>'ok')::boolean, false) THEN
        RAISE EXCEPTION 'could not verify the connection to %', store_url
            USING ERRCODE = coalesce(answer->>'sqlstate', 'HV000'),
                  DETAIL = coalesce(answer->>'message', 'the store check failed'),
                  HINT = coalesce(answer->>'hint', 'Pass verify => false to save it without checking.');
    END IF;
    RETURN answer;
END
$$;

-- Create or change the current role's user mapping on a server. The
-- statement carries secrets, so an error is re-raised without it (an
-- error's CONTEXT would otherwise quote the statement).
CREATE FUNCTION woocommerce.set_user_mapping(server_name name, consumer_key text, consumer_secret text, webhook_secret text)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    existing jsonb;
    wanted jsonb := jsonb_strip_nulls(jsonb_build_object('consumer_key', consumer_key, 'consumer_secret', consumer_secret,
                                                         'webhook_secret', webhook_secret));
    changes text[] := '{}';
    k text;
    m text; d text; h text; s text;
BEGIN
    SELECT coalesce((SELECT jsonb_object_agg(option_name, option_value) FROM pg_options_to_table(u.umoptions)), '{}')
      INTO existing
      FROM pg_catalog.pg_user_mappings u
     WHERE u.srvname = set_user_mapping.server_name AND u.usename = current_user;
    BEGIN
        IF existing IS NULL THEN
            SELECT string_agg(format('%I %L', key, value #>> '{}'), ', ' ORDER BY key) INTO k
              FROM jsonb_each(wanted) WHERE value #>> '{}' <> '';
            EXECUTE format('CREATE USER MAPPING FOR CURRENT_USER SERVER %I', server_name)
                    || coalesce(format(' OPTIONS (%s)', k), '');
        ELSE
            FOR k IN SELECT jsonb_object_keys(wanted) ORDER BY 1 LOOP
                IF wanted->>k = '' THEN
                    IF existing ? k THEN changes := changes || format('DROP %I', k); END IF;
                ELSIF existing ? k THEN
                    changes := changes || format('SET %I %L', k, wanted->>k);
                ELSE
                    changes := changes || format('ADD %I %L', k, wanted->>k);
                END IF;
            END LOOP;
            IF cardinality(changes) > 0 THEN
                EXECUTE format('ALTER USER MAPPING FOR CURRENT_USER SERVER %I OPTIONS (%s)',
                               server_name, array_to_string(changes, ', '));
            END IF;
        END IF;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT, s = RETURNED_SQLSTATE;
        IF d <> '' AND h <> '' THEN
            RAISE EXCEPTION USING ERRCODE = s, MESSAGE = m, DETAIL = d, HINT = h;
        ELSIF d <> '' THEN
            RAISE EXCEPTION USING ERRCODE = s, MESSAGE = m, DETAIL = d;
        ELSIF h <> '' THEN
            RAISE EXCEPTION USING ERRCODE = s, MESSAGE = m, HINT = h;
        ELSE
            RAISE EXCEPTION USING ERRCODE = s, MESSAGE = m;
        END IF;
    END;
END
$$;

CREATE FUNCTION woocommerce.create_connection(
    store_name text,
    store_url text,
    consumer_key text,
    consumer_secret text,
    webhook_secret text DEFAULT NULL,
    is_default boolean DEFAULT false,
    verify boolean DEFAULT true,
    options jsonb DEFAULT '{}')
RETURNS woocommerce.connection
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    c woocommerce.connection;
BEGIN
    IF coalesce(consumer_key, '') = '' OR coalesce(consumer_secret, '') = '' THEN
        RAISE EXCEPTION 'consumer_key and consumer_secret are required'
            USING ERRCODE = '22023',
                  HINT = 'Create a key under WooCommerce > Settings > Advanced > REST API and pass both parts.';
    END IF;
    -- The row (its triggers check it and create the foreign server), then
    -- the user mapping, then the store check: a failure undoes all three.
    INSERT INTO woocommerce.connection (store_name, store_url, is_default, options)
    VALUES (create_connection.store_name, create_connection.store_url, coalesce(create_connection.is_default, false),
            coalesce(create_connection.options, '{}'))
    RETURNING * INTO c;
    PERFORM woocommerce.set_user_mapping(c.server_name, consumer_key, consumer_secret, webhook_secret);
    IF coalesce(verify, true) THEN
        PERFORM woocommerce.verify_store(c.store_url, consumer_key, consumer_secret, c.options);
    END IF;
    RETURN c;
END
$$;

CREATE FUNCTION woocommerce.update_connection(
    connection_id bigint,
    store_name text DEFAULT NULL,
    store_url text DEFAULT NULL,
    consumer_key text DEFAULT NULL,
    consumer_secret text DEFAULT NULL,
    webhook_secret text DEFAULT NULL,
    is_default boolean DEFAULT NULL,
    is_active boolean DEFAULT NULL,
    options jsonb DEFAULT NULL,
    verify boolean DEFAULT true)
RETURNS woocommerce.connection
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    prev woocommerce.connection := woocommerce.get_connection(connection_id);
    c woocommerce.connection;
    keys jsonb;
BEGIN
    IF consumer_key = '' OR consumer_secret = '' THEN
        RAISE EXCEPTION 'consumer_key and consumer_secret cannot be empty'
            USING ERRCODE = '22023', HINT = 'Pass NULL (or leave them out) to keep the current keys.';
    END IF;
    UPDATE woocommerce.connection x
       SET store_name = coalesce(update_connection.store_name, x.store_name),
           store_url = coalesce(update_connection.store_url, x.store_url),
           is_default = coalesce(update_connection.is_default, x.is_default),
           is_active = coalesce(update_connection.is_active, x.is_active),
           options = coalesce(update_connection.options, x.options)
     WHERE x.id = prev.id
    RETURNING * INTO c;
    IF consumer_key IS NOT NULL OR consumer_secret IS NOT NULL OR webhook_secret IS NOT NULL THEN
        PERFORM woocommerce.set_user_mapping(c.server_name, consumer_key, consumer_secret, webhook_secret);
    END IF;
    IF coalesce(verify, true) AND (c.store_url <> prev.store_url OR c.options <> prev.options
                                   OR consumer_key IS NOT NULL OR consumer_secret IS NOT NULL) THEN
        SELECT jsonb_object_agg(option_name, option_value) INTO keys
          FROM pg_catalog.pg_user_mappings u, pg_options_to_table(u.umoptions)
         WHERE u.srvname = c.server_name AND u.usename = current_user;
        PERFORM woocommerce.verify_store(c.store_url, keys->>'consumer_key', keys->>'consumer_secret', c.options);
    END IF;
    RETURN c;
END
$$;

CREATE FUNCTION woocommerce.delete_connection(connection_id bigint)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    c woocommerce.connection := woocommerce.get_connection(connection_id);
BEGIN
    -- The triggers drop the user mappings and the server and promote a new
    -- default; foreign keys remove the mappings, sync rows and runs.
    DELETE FROM woocommerce.connection x WHERE x.id = c.id;
END
$$;

CREATE FUNCTION woocommerce.default_connection()
RETURNS woocommerce.connection
LANGUAGE sql STABLE
AS $$
    SELECT * FROM woocommerce.connection c
     WHERE c.is_default AND c.owner = woocommerce.current_owner()
$$;

CREATE FUNCTION woocommerce.test_connection(connection_id bigint)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    RETURN woocommerce.test_server((woocommerce.get_connection(connection_id)).server_name);
END
$$;

-- Functions: mappings ---------------------------------------------------------

-- The connection a mapping function works on: the given one or the default.
CREATE FUNCTION woocommerce.connection_or_default(connection_id bigint)
RETURNS bigint
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    id bigint;
BEGIN
    IF connection_id IS NOT NULL THEN
        RETURN (woocommerce.get_connection(connection_id)).id;
    END IF;
    id := (woocommerce.default_connection()).id;
    IF id IS NULL THEN
        RAISE EXCEPTION 'you have no default connection'
            USING ERRCODE = '42704', HINT = 'Pass a connection id, or create a connection with woocommerce.create_connection.';
    END IF;
    RETURN id;
END
$$;

CREATE FUNCTION woocommerce.create_export_mapping(
    connection_id bigint,
    name text,
    selected_fields text[],
    field_mappings jsonb DEFAULT '{}',
    is_active boolean DEFAULT true)
RETURNS woocommerce.export_mapping
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    m woocommerce.export_mapping;
BEGIN
    INSERT INTO woocommerce.export_mapping (connection_id, name, selected_fields, field_mappings, is_active)
    VALUES ((woocommerce.get_connection(create_export_mapping.connection_id)).id, create_export_mapping.name,
            create_export_mapping.selected_fields, coalesce(create_export_mapping.field_mappings, '{}'),
            coalesce(create_export_mapping.is_active, true))
    RETURNING * INTO m;
    RETURN m;
END
$$;

CREATE FUNCTION woocommerce.update_export_mapping(
    mapping_id bigint,
    name text DEFAULT NULL,
    selected_fields text[] DEFAULT NULL,
    field_mappings jsonb DEFAULT NULL,
    is_active boolean DEFAULT NULL)
RETURNS woocommerce.export_mapping
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    m woocommerce.export_mapping;
BEGIN
    UPDATE woocommerce.export_mapping x
       SET name = coalesce(update_export_mapping.name, x.name),
           selected_fields = coalesce(update_export_mapping.selected_fields, x.selected_fields),
           field_mappings = coalesce(update_export_mapping.field_mappings, x.field_mappings),
           is_active = coalesce(update_export_mapping.is_active, x.is_active)
     WHERE x.id = mapping_id
    RETURNING * INTO m;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'export mapping % not found', coalesce(mapping_id::text, 'NULL') USING ERRCODE = '42704';
    END IF;
    RETURN m;
END
$$;

CREATE FUNCTION woocommerce.delete_export_mapping(mapping_id bigint)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    DELETE FROM woocommerce.export_mapping x WHERE x.id = mapping_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'export mapping % not found', coalesce(mapping_id::text, 'NULL') USING ERRCODE = '42704';
    END IF;
END
$$;

CREATE FUNCTION woocommerce.active_export_mapping(connection_id bigint DEFAULT NULL)
RETURNS woocommerce.export_mapping
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    m woocommerce.export_mapping;
BEGIN
    SELECT * INTO m FROM woocommerce.export_mapping x
     WHERE x.connection_id = woocommerce.connection_or_default(active_export_mapping.connection_id) AND x.is_active;
    RETURN m;
END
$$;

CREATE FUNCTION woocommerce.create_import_mapping(
    connection_id bigint,
    name text,
    attribute_mappings jsonb DEFAULT '{}',
    field_mappings jsonb DEFAULT '{}',
    is_active boolean DEFAULT true)
RETURNS woocommerce.import_mapping
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    m woocommerce.import_mapping;
BEGIN
    INSERT INTO woocommerce.import_mapping (connection_id, name, attribute_mappings, field_mappings, is_active)
    VALUES ((woocommerce.get_connection(create_import_mapping.connection_id)).id, create_import_mapping.name,
            coalesce(create_import_mapping.attribute_mappings, '{}'), coalesce(create_import_mapping.field_mappings, '{}'),
            coalesce(create_import_mapping.is_active, true))
    RETURNING * INTO m;
    RETURN m;
END
$$;

CREATE FUNCTION woocommerce.update_import_mapping(
    mapping_id bigint,
    name text DEFAULT NULL,
    attribute_mappings jsonb DEFAULT NULL,
    field_mappings jsonb DEFAULT NULL,
    is_active boolean DEFAULT NULL)
RETURNS woocommerce.import_mapping
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    m woocommerce.import_mapping;
BEGIN
    UPDATE woocommerce.import_mapping x
       SET name = coalesce(update_import_mapping.name, x.name),
           attribute_mappings = coalesce(update_import_mapping.attribute_mappings, x.attribute_mappings),
           field_mappings = coalesce(update_import_mapping.field_mappings, x.field_mappings),
           is_active = coalesce(update_import_mapping.is_active, x.is_active)
     WHERE x.id = mapping_id
    RETURNING * INTO m;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'import mapping % not found', coalesce(mapping_id::text, 'NULL') USING ERRCODE = '42704';
    END IF;
    RETURN m;
END
$$;

CREATE FUNCTION woocommerce.delete_import_mapping(mapping_id bigint)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    DELETE FROM woocommerce.import_mapping x WHERE x.id = mapping_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'import mapping % not found', coalesce(mapping_id::text, 'NULL') USING ERRCODE = '42704';
    END IF;
END
$$;

CREATE FUNCTION woocommerce.active_import_mapping(connection_id bigint DEFAULT NULL)
RETURNS woocommerce.import_mapping
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    m woocommerce.import_mapping;
BEGIN
    SELECT * INTO m FROM woocommerce.import_mapping x
     WHERE x.connection_id = woocommerce.connection_or_default(active_import_mapping.connection_id) AND x.is_active;
    RETURN m;
END
$$;

-- Comments --------------------------------------------------------------------

COMMENT ON FUNCTION woocommerce.create_connection(text, text, text, text, text, boolean, boolean, jsonb) IS
'Create a connection: a foreign server, the current role''s user mapping with the keys, and the row; with verify, the store is checked first';
COMMENT ON FUNCTION woocommerce.update_connection(bigint, text, text, text, text, text, boolean, boolean, jsonb, boolean) IS
'Change a connection (NULL keeps a value); keeps its server and user mapping in step and re-checks the store when the URL, keys or options change';
COMMENT ON FUNCTION woocommerce.delete_connection(bigint) IS
'Delete a connection with its server, user mappings, mappings, sync rows and runs';
COMMENT ON FUNCTION woocommerce.default_connection() IS 'The current role''s default connection (NULL if none)';
COMMENT ON FUNCTION woocommerce.test_connection(bigint) IS
'test_connection for a stored connection, with the current role''s user mapping';
COMMENT ON FUNCTION woocommerce.require_active_connection(bigint) IS
'The connection, or an error if it is not visible or inactive (used by the sync functions)';
COMMENT ON FUNCTION woocommerce.active_export_mapping(bigint) IS
'The active export mapping of a connection (NULL: the default connection), or NULL';
COMMENT ON FUNCTION woocommerce.active_import_mapping(bigint) IS
'The active import mapping of a connection (NULL: the default connection), or NULL';

-- Privileges --------------------------------------------------------------------
-- Nothing here is usable by PUBLIC: examples/grants.sql shows the GRANTs
-- that give a role the abilities to read, create, update, delete, export and
-- import. (Triggers run whatever the caller's function privileges are.)

REVOKE ALL ON woocommerce.connection, woocommerce.export_mapping, woocommerce.import_mapping,
              woocommerce.product, woocommerce.product_sync, woocommerce.sync_run FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION
    woocommerce.create_connection(text, text, text, text, text, boolean, boolean, jsonb),
    woocommerce.update_connection(bigint, text, text, text, text, text, boolean, boolean, jsonb, boolean),
    woocommerce.delete_connection(bigint),
    woocommerce.default_connection(),
    woocommerce.test_connection(bigint),
    woocommerce.get_connection(bigint),
    woocommerce.require_active_connection(bigint),
    woocommerce.connection_or_default(bigint),
    woocommerce.verify_store(text, text, text, jsonb),
    woocommerce.set_user_mapping(name, text, text, text),
    woocommerce.create_export_mapping(bigint, text, text[], jsonb, boolean),
    woocommerce.update_export_mapping(bigint, text, text[], jsonb, boolean),
    woocommerce.delete_export_mapping(bigint),
    woocommerce.active_export_mapping(bigint),
    woocommerce.create_import_mapping(bigint, text, jsonb, jsonb, boolean),
    woocommerce.update_import_mapping(bigint, text, jsonb, jsonb, boolean),
    woocommerce.delete_import_mapping(bigint),
    woocommerce.active_import_mapping(bigint),
    woocommerce.connection_before_write(),
    woocommerce.connection_sync_server(),
    woocommerce.connection_promote_default(),
    woocommerce.connection_drop_server(),
    woocommerce.export_mapping_before_write(),
    woocommerce.import_mapping_before_write(),
    woocommerce.product_before_write(),
    woocommerce.set_updated_at()
FROM PUBLIC;

-- pg_dump keeps the rows of these tables (the extension's objects themselves
-- come from CREATE EXTENSION).
SELECT pg_catalog.pg_extension_config_dump('woocommerce.connection', '');
SELECT pg_catalog.pg_extension_config_dump('woocommerce.export_mapping', '');
SELECT pg_catalog.pg_extension_config_dump('woocommerce.import_mapping', '');
SELECT pg_catalog.pg_extension_config_dump('woocommerce.product', '');
SELECT pg_catalog.pg_extension_config_dump('woocommerce.product_sync', '');
SELECT pg_catalog.pg_extension_config_dump('woocommerce.sync_run', '');
