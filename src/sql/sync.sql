-- woocommerce_fdw install script, part 4 (since 1.1): the sync engine.
-- This part is also, unchanged, the whole 1.0 -> 1.1 upgrade script: the
-- Makefile builds woocommerce_fdw--1.0--1.1.sql from it.
--
-- The work is split the way the boundary rules want it: the functions here
-- check their arguments, read local rows and the connection, and write the
-- outcome back with set-based SQL; woocommerce._sync_request (C++,
-- src/core/sync_engine) talks to the store: payloads, change detection,
-- batches in parallel, SKU adoption, pages, mapping.

-- State the sync engine keeps beside 1.0's tables --------------------------------

ALTER TABLE woocommerce.sync_run
    ADD COLUMN deleted integer NOT NULL DEFAULT 0 CHECK (deleted >= 0),
    ADD COLUMN high_water_mark timestamptz;

COMMENT ON COLUMN woocommerce.sync_run.high_water_mark IS
'Imports: the latest date_modified_gmt read, where the next incremental import continues (with an overlap)';

-- The store conversation (C++) -----------------------------------------------------

CREATE FUNCTION woocommerce._sync_request(server_name name, operation text, request json)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'woocommerce_sync_request'
LANGUAGE C STRICT VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION woocommerce._sync_request(name, text, json) IS
'Internal: one export, import or delete conversation with the store of a woocommerce_fdw server (current role''s user mapping)';

-- Helpers ---------------------------------------------------------------------------

-- WooCommerce fields an export sends when the connection has no active export
-- mapping: every writable WooCommerce field with a local column of the same name.
CREATE FUNCTION woocommerce.default_export_fields()
RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT array_agg(f.name ORDER BY array_position(woocommerce.local_product_fields(), f.name))
      FROM woocommerce.product_field f
     WHERE NOT f.readonly AND f.name = ANY (woocommerce.local_product_fields()) AND f.name <> 'parent_id'
$$;

COMMENT ON FUNCTION woocommerce.default_export_fields() IS
'The WooCommerce fields an export sends without an active export mapping (writable fields that are local columns)';

-- A server option of a connection's foreign server, as an integer.
CREATE FUNCTION woocommerce._server_option_int(server_name name, option_name text, fallback integer)
RETURNS integer
LANGUAGE sql STABLE
AS $$
    SELECT coalesce((SELECT o.option_value::integer
                       FROM pg_catalog.pg_foreign_server s, pg_catalog.pg_options_to_table(s.srvoptions) o
                      WHERE s.srvname = $1 AND o.option_name = $2), $3)
$$;

-- Raise unless every product belongs to the connection's owner.
CREATE FUNCTION woocommerce._check_products(c woocommerce.connection, product_ids bigint[])
RETURNS void
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    bad bigint;
    bad_owner regrole;
BEGIN
    IF product_ids IS NULL THEN
        RETURN;
    END IF;
    IF array_position(product_ids, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'product ids must not contain NULL' USING ERRCODE = '22004';
    END IF;
    SELECT x INTO bad FROM unnest(product_ids) AS x
     WHERE NOT EXISTS (SELECT 1 FROM woocommerce.product p WHERE p.id = x AND p.owner = c.owner)
     LIMIT 1;
    IF bad IS NULL THEN
        RETURN;
    END IF;
    SELECT p.owner INTO bad_owner FROM woocommerce.product p WHERE p.id = bad;
    IF FOUND THEN
        RAISE EXCEPTION 'product % belongs to role %, not to %, the owner of connection %', bad, bad_owner, c.owner, c.id
            USING ERRCODE = '42501',
                  HINT = 'A connection syncs the products of its owner.';
    END IF;
    RAISE EXCEPTION 'product % not found', bad
        USING ERRCODE = '42704',
              HINT = 'SELECT id, sku, name FROM woocommerce.product lists the products you can sync.';
END
$$;

-- Counts of a run into its sync_run row (new, or added to run_id's).
CREATE FUNCTION woocommerce._record_run(c woocommerce.connection, direction text, run_id bigint, started timestamptz,
                                        answer jsonb, counts jsonb, high_water_mark timestamptz DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    run bigint := run_id;
BEGIN
    IF run IS NULL THEN
        INSERT INTO woocommerce.sync_run (connection_id, direction, started_at)
        VALUES (c.id, direction, started)
        RETURNING sync_run.id INTO run;
    END IF;
    UPDATE woocommerce.sync_run r
       SET finished_at = greatest(clock_timestamp(), r.started_at),
           created = r.created + coalesce((counts->>'created')::int, 0),
           updated = r.updated + coalesce((counts->>'updated')::int, 0),
           unchanged = r.unchanged + coalesce((counts->>'unchanged')::int, 0),
           skipped = r.skipped + coalesce((counts->>'skipped')::int, 0),
           failed = r.failed + coalesce((counts->>'failed')::int, 0),
           deleted = r.deleted + coalesce((counts->>'deleted')::int, 0),
           requests = r.requests + coalesce((answer->>'requests')::int, 0),
           bytes = r.bytes + coalesce((answer->>'bytes')::bigint, 0),
           errors = r.errors || coalesce(counts->'errors', '[]'),
           high_water_mark = coalesce(_record_run.high_water_mark, r.high_water_mark)
     WHERE r.id = run;
    UPDATE woocommerce.connection x SET last_synced_at = now() WHERE x.id = c.id;
    RETURN run;
END
$$;

-- Export ------------------------------------------------------------------------------

-- The export: returns the per-product results as a JSON array. run_id adds
-- the counts to an existing sync_run row (woocommerce.sync does).
CREATE FUNCTION woocommerce._export(p_connection_id bigint, p_product_ids bigint[], p_fields text[],
                                    p_only_changed boolean, p_run_id bigint DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    started timestamptz := clock_timestamp();
    c woocommerce.connection;
    m woocommerce.export_mapping;
    selected text[];
    f text;
    products json;
    answer jsonb;
    errors jsonb;
BEGIN
    c := woocommerce.require_active_connection(woocommerce.connection_or_default(p_connection_id));
    SELECT * INTO m FROM woocommerce.export_mapping x WHERE x.connection_id = c.id AND x.is_active;
    IF p_fields IS NOT NULL THEN
        IF array_position(p_fields, NULL) IS NOT NULL THEN
            RAISE EXCEPTION 'fields must not contain NULL' USING ERRCODE = '22004';
        END IF;
        FOREACH f IN ARRAY p_fields LOOP
            PERFORM woocommerce.check_woo_field(f, 'export', 'fields');
        END LOOP;
        selected := p_fields;
    ELSE
        selected := coalesce(m.selected_fields, woocommerce.default_export_fields());
    END IF;
    PERFORM woocommerce._check_products(c, p_product_ids);

    -- Parents before variations; prices and weight also as exact text. Built
    -- as json (text), which the engine parses once.
    SELECT coalesce(json_agg(json_build_object(
               'product', to_json(p),
               'text', json_build_object('regular_price', p.regular_price::text, 'sale_price', p.sale_price::text,
                                         'weight', p.weight::text),
               'woo_product_id', s.woo_product_id,
               'last_exchanged', s.last_exchanged,
               'parent_woo_id', ps.woo_product_id)
             ORDER BY p.parent_id IS NOT NULL, p.id), '[]')
      INTO products
      FROM woocommerce.product p
      LEFT JOIN woocommerce.product_sync s ON s.connection_id = c.id AND s.product_id = p.id
      LEFT JOIN woocommerce.product_sync ps ON ps.connection_id = c.id AND ps.product_id = p.parent_id
     WHERE p.owner = c.owner AND (p_product_ids IS NULL OR p.id = ANY (p_product_ids));

    answer := woocommerce._sync_request(c.server_name, 'export', json_build_object(
        'connection_id', c.id,
        'fields', to_json(selected),
        'field_mappings', coalesce(m.field_mappings, '{}'),
        'field_types', (SELECT json_object_agg(pf.name, pf.json_type) FROM woocommerce.product_field pf),
        'only_changed', coalesce(p_only_changed, true),
        'batch_size', woocommerce._server_option_int(c.server_name, 'batch_size', 100),
        'products', products));

    -- A store id this run wrote belongs to this product only.
    UPDATE woocommerce.product_sync s SET woo_product_id = NULL, sync_status = 'pending'
      FROM jsonb_to_recordset(answer->'results') AS r(product_id bigint, woo_product_id bigint, action text)
     WHERE s.connection_id = c.id AND r.action IN ('created', 'updated')
       AND s.woo_product_id = r.woo_product_id AND s.product_id <> r.product_id;

    INSERT INTO woocommerce.product_sync AS s
           (connection_id, product_id, woo_product_id, last_exported_at, last_modified_fields, last_exchanged,
            sync_status, last_error)
    SELECT c.id, r.product_id, r.woo_product_id,
           CASE WHEN r.action IN ('created', 'updated') THEN now() END,
           coalesce(r.fields, '{}'), r.exchanged,
           CASE WHEN r.action = 'failed' THEN 'error' ELSE 'synced' END, r.error
      FROM jsonb_to_recordset(answer->'results')
           AS r(product_id bigint, woo_product_id bigint, action text, fields text[], error text, exchanged jsonb)
     WHERE r.action <> 'unchanged'
    ON CONFLICT (connection_id, product_id) DO UPDATE
       SET woo_product_id = coalesce(EXCLUDED.woo_product_id, s.woo_product_id),
           last_exported_at = coalesce(EXCLUDED.last_exported_at, s.last_exported_at),
           last_modified_fields = CASE WHEN EXCLUDED.sync_status = 'synced' THEN EXCLUDED.last_modified_fields
                                       ELSE s.last_modified_fields END,
           last_exchanged = coalesce(EXCLUDED.last_exchanged, s.last_exchanged),
           sync_status = EXCLUDED.sync_status,
           last_error = EXCLUDED.last_error;

    UPDATE woocommerce.product_sync s SET sync_status = 'synced', last_error = NULL
      FROM jsonb_to_recordset(answer->'results') AS r(product_id bigint, action text)
     WHERE r.action = 'unchanged' AND s.connection_id = c.id AND s.product_id = r.product_id
       AND (s.sync_status <> 'synced' OR s.last_error IS NOT NULL);

    SELECT coalesce(jsonb_agg(jsonb_build_object('product_id', r.product_id, 'error', r.error)), '[]') INTO errors
      FROM (SELECT * FROM jsonb_to_recordset(answer->'results') AS r(product_id bigint, action text, error text)
             WHERE r.action = 'failed' LIMIT 100) r;
    PERFORM woocommerce._record_run(c, 'export', p_run_id, started, answer,
                                    jsonb_build_object('created', answer->'created', 'updated', answer->'updated',
                                                       'unchanged', answer->'unchanged', 'failed', answer->'failed',
                                                       'errors', errors));
    RETURN answer->'results';
END
$$;

CREATE FUNCTION woocommerce.export_products(
    connection_id bigint DEFAULT NULL,
    product_ids bigint[] DEFAULT NULL,
    fields text[] DEFAULT NULL,
    only_changed boolean DEFAULT true)
RETURNS TABLE (product_id bigint, woo_product_id bigint, action text, fields text[], error text)
LANGUAGE sql VOLATILE
AS $$
    SELECT r.product_id, r.woo_product_id, r.action, r.fields, r.error
      FROM jsonb_to_recordset(woocommerce._export($1, $2, $3, $4))
           AS r(product_id bigint, woo_product_id bigint, action text, fields text[], error text)
$$;

COMMENT ON FUNCTION woocommerce.export_products(bigint, bigint[], text[], boolean) IS
'Export the connection owner''s products (NULL: all) to the store: only changed fields, batches of up to 100 in parallel, SKU adoption; one row per product';

CREATE FUNCTION woocommerce.update_product(connection_id bigint, product_id bigint, fields text[] DEFAULT NULL)
RETURNS TABLE (product_id bigint, woo_product_id bigint, action text, fields text[], error text)
LANGUAGE sql VOLATILE
AS $$
    SELECT * FROM woocommerce.export_products($1, ARRAY[$2], $3, true)
$$;

COMMENT ON FUNCTION woocommerce.update_product(bigint, bigint, text[]) IS
'Send the changed fields (of `fields`, default the export mapping''s) of one product to the store';

-- Import --------------------------------------------------------------------------------

-- Writes imported rows (the C++ import's "rows") into woocommerce.product and
-- product_sync, set-based. Raises on the first failing row; _import_apply
-- then retries row by row.
CREATE FUNCTION woocommerce._import_apply_set(c woocommerce.connection, rows jsonb, update_existing boolean, dedup boolean)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    answer jsonb;
BEGIN
    IF to_regclass('pg_temp.woocommerce_import_rows') IS NOT NULL THEN
        DROP TABLE pg_temp.woocommerce_import_rows;
    END IF;
    CREATE TEMP TABLE woocommerce_import_rows (
        ord bigint, woo_id bigint, parent_woo_id bigint, sku text, modified text, exchanged jsonb, l jsonb,
        product_id bigint, parent_product_id bigint, action text, error text) ON COMMIT DROP;
    INSERT INTO woocommerce_import_rows (ord, woo_id, parent_woo_id, sku, modified, exchanged, l)
    SELECT t.o, (t.e->>'woo_product_id')::bigint, (t.e->>'parent_woo_id')::bigint, t.e->>'sku',
           t.e->>'date_modified_gmt', t.e->'exchanged', t.e->'local'
      FROM jsonb_array_elements(rows) WITH ORDINALITY AS t(e, o);
    -- Local product: the owner's product with the SKU, else the one this
    -- store product is linked to.
    UPDATE woocommerce_import_rows t SET product_id = p.id
      FROM woocommerce.product p WHERE p.owner = c.owner AND p.sku = t.sku;
    UPDATE woocommerce_import_rows t SET product_id = s.product_id
      FROM woocommerce.product_sync s
     WHERE t.product_id IS NULL AND s.connection_id = c.id AND s.woo_product_id = t.woo_id;
    IF dedup THEN
        -- The overlap window of an incremental import reads again what the
        -- last one saw: unchanged since then, it is not reported twice.
        DELETE FROM woocommerce_import_rows t USING woocommerce.product_sync s
         WHERE s.connection_id = c.id AND s.product_id = t.product_id AND s.woo_product_id = t.woo_id
           AND s.last_exchanged->>'date_modified_gmt' = t.modified;
    END IF;
    UPDATE woocommerce_import_rows
       SET action = CASE WHEN product_id IS NULL THEN 'created' WHEN update_existing THEN 'updated' ELSE 'skipped' END;
    -- Statistics, so that the joins below are hash joins for thousands of
    -- rows and index lookups for a few.
    ANALYZE woocommerce_import_rows;

    -- Parents and simple products.
    WITH ins AS (
        INSERT INTO woocommerce.product (owner, sku, name, type, status, description, short_description, regular_price,
                                         sale_price, stock_quantity, manage_stock, stock_status, weight, dimensions,
                                         categories, tags, images, attributes, meta_data)
        SELECT c.owner, r.sku, r.name, r.type, r.status, r.description, r.short_description, r.regular_price,
               r.sale_price, r.stock_quantity, coalesce(r.manage_stock, false), coalesce(r.stock_status, 'instock'),
               r.weight, r.dimensions, coalesce(r.categories, '{}'), coalesce(r.tags, '{}'), coalesce(r.images, '{}'),
               coalesce(r.attributes, '{}'), coalesce(r.meta_data, '{}')
          FROM woocommerce_import_rows t, jsonb_populate_record(NULL::woocommerce.product, t.l) r
         WHERE t.action = 'created' AND t.parent_woo_id IS NULL
         ORDER BY t.ord
        RETURNING id, sku)
    UPDATE woocommerce_import_rows t SET product_id = ins.id
      FROM ins WHERE t.sku = ins.sku AND t.action = 'created' AND t.parent_woo_id IS NULL;
    UPDATE woocommerce.product p
       SET sku = r.sku, name = r.name, type = r.type, status = r.status, description = r.description,
           short_description = r.short_description, regular_price = r.regular_price, sale_price = r.sale_price,
           stock_quantity = r.stock_quantity, manage_stock = coalesce(r.manage_stock, false),
           stock_status = coalesce(r.stock_status, 'instock'), weight = r.weight, dimensions = r.dimensions,
           categories = coalesce(r.categories, '{}'), tags = coalesce(r.tags, '{}'), images = coalesce(r.images, '{}'),
           attributes = coalesce(r.attributes, '{}'), meta_data = coalesce(r.meta_data, '{}')
      FROM woocommerce_import_rows t, jsonb_populate_record(NULL::woocommerce.product, t.l) r
     WHERE t.action = 'updated' AND t.parent_woo_id IS NULL AND p.id = t.product_id;

    -- Variations, under their parent's local product.
    UPDATE woocommerce_import_rows t SET parent_product_id = pt.product_id
      FROM woocommerce_import_rows pt
     WHERE t.parent_woo_id IS NOT NULL AND pt.parent_woo_id IS NULL AND pt.woo_id = t.parent_woo_id;
    UPDATE woocommerce_import_rows t SET parent_product_id = s.product_id
      FROM woocommerce.product_sync s
     WHERE t.parent_woo_id IS NOT NULL AND t.parent_product_id IS NULL
       AND s.connection_id = c.id AND s.woo_product_id = t.parent_woo_id;
    UPDATE woocommerce_import_rows t
       SET action = 'failed', error = format('its parent (store product %s) is not a local product', t.parent_woo_id)
     WHERE t.parent_woo_id IS NOT NULL AND t.parent_product_id IS NULL;
    WITH ins AS (
        INSERT INTO woocommerce.product (owner, sku, name, type, status, description, regular_price, sale_price,
                                         stock_quantity, manage_stock, stock_status, weight, dimensions, images,
                                         attributes, meta_data, parent_id)
        SELECT c.owner, r.sku, r.name, 'variation', r.status, r.description, r.regular_price, r.sale_price,
               r.stock_quantity, coalesce(r.manage_stock, false), coalesce(r.stock_status, 'instock'), r.weight,
               r.dimensions, coalesce(r.images, '{}'), coalesce(r.attributes, '{}'), coalesce(r.meta_data, '{}'),
               t.parent_product_id
          FROM woocommerce_import_rows t, jsonb_populate_record(NULL::woocommerce.product, t.l) r
         WHERE t.action = 'created' AND t.parent_woo_id IS NOT NULL
         ORDER BY t.ord
        RETURNING id, sku)
    UPDATE woocommerce_import_rows t SET product_id = ins.id
      FROM ins WHERE t.sku = ins.sku AND t.action = 'created' AND t.parent_woo_id IS NOT NULL;
    UPDATE woocommerce.product p
       SET sku = r.sku, name = r.name, type = 'variation', status = r.status, description = r.description,
           regular_price = r.regular_price, sale_price = r.sale_price, stock_quantity = r.stock_quantity,
           manage_stock = coalesce(r.manage_stock, false), stock_status = coalesce(r.stock_status, 'instock'),
           weight = r.weight, dimensions = r.dimensions, images = coalesce(r.images, '{}'),
           attributes = coalesce(r.attributes, '{}'), meta_data = coalesce(r.meta_data, '{}'),
           parent_id = t.parent_product_id
      FROM woocommerce_import_rows t, jsonb_populate_record(NULL::woocommerce.product, t.l) r
     WHERE t.action = 'updated' AND t.parent_woo_id IS NOT NULL AND p.id = t.product_id;

    -- Sync records: a store product is linked to one local product.
    UPDATE woocommerce.product_sync s SET woo_product_id = NULL, sync_status = 'pending'
      FROM woocommerce_import_rows t
     WHERE s.connection_id = c.id AND s.woo_product_id = t.woo_id AND s.product_id <> t.product_id
       AND t.action IN ('created', 'updated', 'skipped');
    INSERT INTO woocommerce.product_sync AS s (connection_id, product_id, woo_product_id, last_imported_at,
                                               last_exchanged, sync_status, last_error)
    SELECT DISTINCT ON (t.product_id) c.id, t.product_id, t.woo_id, now(), t.exchanged, 'synced', NULL
      FROM woocommerce_import_rows t
     WHERE t.action IN ('created', 'updated')
     ORDER BY t.product_id, t.ord DESC
    ON CONFLICT (connection_id, product_id) DO UPDATE
       SET woo_product_id = EXCLUDED.woo_product_id, last_imported_at = EXCLUDED.last_imported_at,
           last_exchanged = EXCLUDED.last_exchanged, sync_status = 'synced', last_error = NULL;
    -- Skipped products keep their local data: linked, but nothing claimed
    -- as exchanged (the next export sends every field).
    INSERT INTO woocommerce.product_sync (connection_id, product_id, woo_product_id)
    SELECT DISTINCT ON (t.product_id) c.id, t.product_id, t.woo_id
      FROM woocommerce_import_rows t
     WHERE t.action = 'skipped'
     ORDER BY t.product_id, t.ord DESC
    ON CONFLICT (connection_id, product_id) DO NOTHING;

    SELECT coalesce(jsonb_agg(jsonb_build_object('woo_product_id', t.woo_id, 'product_id', t.product_id,
                                                 'action', t.action, 'error', t.error) ORDER BY t.ord), '[]')
      INTO answer
      FROM woocommerce_import_rows t;
    DROP TABLE woocommerce_import_rows;
    RETURN answer;
END
$$;

CREATE FUNCTION woocommerce._import_apply(c woocommerce.connection, rows jsonb, update_existing boolean, dedup boolean)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    answer jsonb := '[]';
    one jsonb;
BEGIN
    BEGIN
        RETURN woocommerce._import_apply_set(c, rows, update_existing, dedup);
    EXCEPTION WHEN OTHERS THEN
        NULL;  -- some row breaks a rule of the local catalog: find it, keep the others
    END;
    FOR one IN SELECT e FROM jsonb_array_elements(rows) AS e LOOP
        BEGIN
            answer := answer || woocommerce._import_apply_set(c, jsonb_build_array(one), update_existing, dedup);
        EXCEPTION WHEN OTHERS THEN
            answer := answer || jsonb_build_array(jsonb_build_object(
                'woo_product_id', (one->>'woo_product_id')::bigint, 'product_id', NULL, 'action', 'failed',
                'error', SQLERRM));
        END;
    END LOOP;
    RETURN answer;
END
$$;

-- How far back an incremental import reads before its high-water mark:
-- WooCommerce's modified_after is strict and clocks are coarse.
CREATE FUNCTION woocommerce.import_overlap()
RETURNS interval
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT interval '60 seconds' $$;

-- The import: returns {"results": [...], "high_water_mark", "total_pages",
-- "failed", "previous_mark"}. With p_page_from, only pages p_page_from ..
-- p_page_from + p_page_count - 1 are read and the caller (woocommerce.sync)
-- records the high-water mark once every page is in.
CREATE FUNCTION woocommerce._import(p_connection_id bigint, p_woo_product_ids bigint[], p_update_existing boolean,
                                    p_modified_after timestamptz, p_run_id bigint DEFAULT NULL,
                                    p_page_from integer DEFAULT NULL, p_page_count integer DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    started timestamptz := clock_timestamp();
    c woocommerce.connection;
    m woocommerce.import_mapping;
    mark timestamptz;
    since timestamptz := p_modified_after;
    incremental boolean := false;
    answer jsonb;
    results jsonb;
    counts jsonb;
    new_mark timestamptz;
BEGIN
    c := woocommerce.require_active_connection(woocommerce.connection_or_default(p_connection_id));
    IF array_position(p_woo_product_ids, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'woo_product_ids must not contain NULL' USING ERRCODE = '22004';
    END IF;
    SELECT * INTO m FROM woocommerce.import_mapping x WHERE x.connection_id = c.id AND x.is_active;
    IF p_woo_product_ids IS NULL AND p_modified_after IS NULL THEN
        SELECT r.high_water_mark INTO mark FROM woocommerce.sync_run r
         WHERE r.connection_id = c.id AND r.direction = 'import' AND r.finished_at IS NOT NULL
           AND r.high_water_mark IS NOT NULL AND r.id IS DISTINCT FROM p_run_id
         ORDER BY r.id DESC LIMIT 1;
        IF mark IS NOT NULL THEN
            incremental := true;
            since := mark - woocommerce.import_overlap();
        END IF;
    END IF;

    answer := woocommerce._sync_request(c.server_name, 'import', json_build_object(
        'connection_id', c.id,
        'woo_product_ids', to_jsonb(p_woo_product_ids),
        'modified_after', to_char(since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
        'attribute_mappings', coalesce(m.attribute_mappings, '{}'),
        'field_mappings', coalesce(m.field_mappings, '{}'),
        'page_from', p_page_from,
        'page_count', p_page_count));

    results := woocommerce._import_apply(c, answer->'rows', coalesce(p_update_existing, true), incremental);

    SELECT jsonb_build_object(
               'created', count(*) FILTER (WHERE r.action = 'created'),
               'updated', count(*) FILTER (WHERE r.action = 'updated'),
               'skipped', count(*) FILTER (WHERE r.action = 'skipped'),
               'failed', count(*) FILTER (WHERE r.action = 'failed'),
               'errors', coalesce(jsonb_agg(jsonb_build_object('woo_product_id', r.woo_product_id, 'error', r.error))
                                      FILTER (WHERE r.action = 'failed'), '[]'))
      INTO counts
      FROM jsonb_to_recordset(results) AS r(woo_product_id bigint, action text, error text);
    -- The next incremental import continues from here, unless something
    -- failed (then it reads from the previous mark again).
    IF p_page_from IS NOT NULL THEN
        new_mark := NULL;
    ELSIF p_woo_product_ids IS NULL AND (counts->>'failed')::int = 0 THEN
        new_mark := greatest(((answer->>'high_water_mark')::timestamp AT TIME ZONE 'UTC'), mark);
    ELSIF p_woo_product_ids IS NULL THEN
        new_mark := mark;
    END IF;
    PERFORM woocommerce._record_run(c, 'import', p_run_id, started, answer, counts, new_mark);
    RETURN jsonb_build_object('results', results, 'high_water_mark', answer->'high_water_mark',
                              'total_pages', answer->'total_pages', 'failed', counts->'failed', 'previous_mark', mark);
END
$$;

CREATE FUNCTION woocommerce.import_products(
    connection_id bigint DEFAULT NULL,
    woo_product_ids bigint[] DEFAULT NULL,
    update_existing boolean DEFAULT true,
    modified_after timestamptz DEFAULT NULL)
RETURNS TABLE (woo_product_id bigint, product_id bigint, action text, error text)
LANGUAGE sql VOLATILE
AS $$
    SELECT r.woo_product_id, r.product_id, r.action, r.error
      FROM jsonb_to_recordset(woocommerce._import($1, $2, $3, $4)->'results')
           AS r(woo_product_id bigint, product_id bigint, action text, error text)
$$;

COMMENT ON FUNCTION woocommerce.import_products(bigint, bigint[], boolean, timestamptz) IS
'Import products (and variations) from the store with the active import mapping; incremental from the last import''s high-water mark; one row per store product';

-- Delete ------------------------------------------------------------------------------

CREATE FUNCTION woocommerce._delete(p_connection_id bigint, p_product_id bigint, p_force boolean)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    started timestamptz := clock_timestamp();
    c woocommerce.connection;
    p woocommerce.product;
    s woocommerce.product_sync;
    parent_woo bigint;
    answer jsonb;
BEGIN
    c := woocommerce.require_active_connection(woocommerce.connection_or_default(p_connection_id));
    IF p_product_id IS NULL THEN
        RAISE EXCEPTION 'product_id is required' USING ERRCODE = '22004';
    END IF;
    PERFORM woocommerce._check_products(c, ARRAY[p_product_id]);
    SELECT * INTO p FROM woocommerce.product x WHERE x.id = p_product_id;
    SELECT * INTO s FROM woocommerce.product_sync x WHERE x.connection_id = c.id AND x.product_id = p_product_id;
    IF s.woo_product_id IS NULL THEN
        RAISE EXCEPTION 'product % is not in the store of connection %', p_product_id, c.id
            USING ERRCODE = '42704', HINT = 'Only exported or imported products can be deleted from the store.';
    END IF;
    IF p.parent_id IS NOT NULL THEN
        SELECT x.woo_product_id INTO parent_woo FROM woocommerce.product_sync x
         WHERE x.connection_id = c.id AND x.product_id = p.parent_id;
    END IF;
    answer := woocommerce._sync_request(c.server_name, 'delete', json_build_object(
        'woo_product_id', s.woo_product_id, 'parent_woo_id', parent_woo, 'force', coalesce(p_force, false)));
    -- The local product stays; its link to the store is gone (a later
    -- export creates it again).
    UPDATE woocommerce.product_sync x
       SET woo_product_id = NULL, last_exchanged = NULL, last_modified_fields = '{}', sync_status = 'pending',
           last_error = NULL
     WHERE x.id = s.id
        OR (answer->>'action' = 'deleted' AND x.connection_id = c.id
            AND x.product_id IN (SELECT v.id FROM woocommerce.product v WHERE v.parent_id = p_product_id));
    PERFORM woocommerce._record_run(c, 'export', NULL, started, answer, jsonb_build_object('deleted', 1));
    RETURN jsonb_build_array(jsonb_build_object('product_id', p_product_id, 'woo_product_id', s.woo_product_id,
                                                'action', answer->>'action', 'note', answer->>'note'));
END
$$;

CREATE FUNCTION woocommerce.delete_product(connection_id bigint, product_id bigint, force boolean DEFAULT false)
RETURNS TABLE (product_id bigint, woo_product_id bigint, action text, note text)
LANGUAGE sql VOLATILE
AS $$
    SELECT r.product_id, r.woo_product_id, r.action, r.note
      FROM jsonb_to_recordset(woocommerce._delete($1, $2, $3))
           AS r(product_id bigint, woo_product_id bigint, action text, note text)
$$;

COMMENT ON FUNCTION woocommerce.delete_product(bigint, bigint, boolean) IS
'Move a product to the store''s trash (force: delete it for good; variations always are); the sync row forgets the store id';

-- Status ------------------------------------------------------------------------------

CREATE FUNCTION woocommerce.sync_status(connection_id bigint DEFAULT NULL)
RETURNS TABLE (connection_id bigint, total bigint, synced bigint, pending bigint, error bigint,
               last_synced_at timestamptz, products woocommerce.product_sync[])
LANGUAGE sql STABLE
AS $$
    SELECT c.id, count(s.id), count(s.id) FILTER (WHERE s.sync_status = 'synced'),
           count(s.id) FILTER (WHERE s.sync_status = 'pending'), count(s.id) FILTER (WHERE s.sync_status = 'error'),
           c.last_synced_at,
           coalesce(array_agg(s ORDER BY s.product_id) FILTER (WHERE s.id IS NOT NULL), '{}')
      FROM woocommerce.get_connection(woocommerce.connection_or_default($1)) c
      LEFT JOIN woocommerce.product_sync s ON s.connection_id = c.id
     GROUP BY c.id, c.last_synced_at
$$;

COMMENT ON FUNCTION woocommerce.sync_status(bigint) IS
'Counts of a connection''s sync rows by status, and the rows themselves (unnest(products))';

-- Long runs and schedules ---------------------------------------------------------------

-- The export or import as a procedure that commits after every round of
-- batches (export) or of pages (import): stopped anywhere, it keeps what is
-- done and loses at most the round in flight; the next run goes on from
-- there (unchanged products cost no request, products the store already has
-- are adopted by SKU, an import without a new high-water mark reads again
-- from the previous one).
CREATE PROCEDURE woocommerce.sync(connection_id bigint, direction text DEFAULT 'export')
LANGUAGE plpgsql
AS $$
DECLARE
    c woocommerce.connection;
    chunk integer;
    ids bigint[];
    last_id bigint;
    run_id bigint;
    pass integer;
    page integer;
    answer jsonb;
    mark timestamptz;
    previous_mark timestamptz;
    failures integer := 0;
BEGIN
    IF direction IS NULL OR direction NOT IN ('export', 'import', 'both') THEN
        RAISE EXCEPTION 'invalid sync direction "%"', direction
            USING ERRCODE = '22023', HINT = 'Use export, import or both.';
    END IF;
    c := woocommerce.require_active_connection(woocommerce.connection_or_default(sync.connection_id));
    IF direction IN ('export', 'both') THEN
        chunk := woocommerce._server_option_int(c.server_name, 'batch_size', 100)
                 * woocommerce._server_option_int(c.server_name, 'concurrency', 4);
        run_id := woocommerce._record_run(c, 'export', NULL, clock_timestamp(), '{}', '{}');
        COMMIT;
        FOR pass IN 0..1 LOOP  -- products, then variations
            last_id := 0;
            LOOP
                SELECT array_agg(x.id ORDER BY x.id) INTO ids
                  FROM (SELECT p.id FROM woocommerce.product p
                         WHERE p.owner = c.owner AND (p.parent_id IS NOT NULL) = (pass = 1) AND p.id > last_id
                         ORDER BY p.id LIMIT chunk) x;
                EXIT WHEN ids IS NULL;
                PERFORM woocommerce._export(c.id, ids, NULL, true, run_id);
                last_id := ids[cardinality(ids)];
                COMMIT;
            END LOOP;
        END LOOP;
    END IF;
    IF direction IN ('import', 'both') THEN
        chunk := woocommerce._server_option_int(c.server_name, 'concurrency', 4);
        run_id := woocommerce._record_run(c, 'import', NULL, clock_timestamp(), '{}', '{}');
        COMMIT;
        page := 1;
        LOOP
            answer := woocommerce._import(c.id, NULL, true, NULL, run_id, page, chunk);
            mark := greatest(mark, (answer->>'high_water_mark')::timestamp AT TIME ZONE 'UTC');
            previous_mark := (answer->>'previous_mark')::timestamptz;
            failures := failures + coalesce((answer->>'failed')::integer, 0);
            COMMIT;
            page := page + chunk;
            EXIT WHEN page > coalesce((answer->>'total_pages')::integer, 0);
        END LOOP;
        -- Only a run that read every page moves the mark.
        UPDATE woocommerce.sync_run r
           SET high_water_mark = CASE WHEN failures = 0 THEN greatest(mark, previous_mark) ELSE previous_mark END
         WHERE r.id = run_id;
        COMMIT;
    END IF;
END
$$;

COMMENT ON PROCEDURE woocommerce.sync(bigint, text) IS
'Export, import or both for a connection, committing after every round of batches or pages (for long runs and pg_cron)';

CREATE FUNCTION woocommerce._require_pg_cron()
RETURNS void
LANGUAGE plpgsql STABLE
AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
        RAISE EXCEPTION 'pg_cron is not installed in this database'
            USING ERRCODE = '0A000',
                  HINT = 'Add pg_cron to shared_preload_libraries, set cron.database_name to this database, restart, and CREATE EXTENSION pg_cron.';
    END IF;
END
$$;

CREATE FUNCTION woocommerce.schedule_sync(connection_id bigint, schedule text, direction text DEFAULT 'export')
RETURNS bigint
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    c woocommerce.connection;
    job bigint;
BEGIN
    IF direction IS NULL OR direction NOT IN ('export', 'import', 'both') THEN
        RAISE EXCEPTION 'invalid sync direction "%"', direction
            USING ERRCODE = '22023', HINT = 'Use export, import or both.';
    END IF;
    c := woocommerce.require_active_connection(schedule_sync.connection_id);
    PERFORM woocommerce._require_pg_cron();
    -- One job per connection and direction (pg_cron replaces a job of the
    -- same name and role); it runs as the role that scheduled it.
    EXECUTE 'SELECT cron.schedule($1, $2, $3)' INTO job
      USING format('woocommerce_sync_%s_%s', c.id, direction), schedule,
            format('CALL woocommerce.sync(%s, %L)', c.id, direction);
    RETURN job;
END
$$;

COMMENT ON FUNCTION woocommerce.schedule_sync(bigint, text, text) IS
'Schedule CALL woocommerce.sync(connection, direction) with pg_cron (cron syntax or ''30 seconds''); returns the job id';

CREATE FUNCTION woocommerce.unschedule_sync(connection_id bigint, direction text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    c woocommerce.connection := woocommerce.get_connection(unschedule_sync.connection_id);
    job bigint;
    n integer := 0;
BEGIN
    PERFORM woocommerce._require_pg_cron();
    FOR job IN EXECUTE 'SELECT jobid FROM cron.job WHERE username = current_user AND jobname = ANY ($1) ORDER BY jobid'
               USING (SELECT array_agg(format('woocommerce_sync_%s_%s', c.id, d))
                        FROM unnest(ARRAY['export', 'import', 'both']) d
                       WHERE unschedule_sync.direction IS NULL OR d = unschedule_sync.direction) LOOP
        EXECUTE 'SELECT cron.unschedule($1)' USING job;
        n := n + 1;
    END LOOP;
    RETURN n;
END
$$;

COMMENT ON FUNCTION woocommerce.unschedule_sync(bigint, text) IS
'Remove the pg_cron jobs of a connection (one direction, or all); returns how many';

CREATE FUNCTION woocommerce.sync_forget_cache(connection_id bigint DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    c woocommerce.connection;
BEGIN
    IF connection_id IS NOT NULL THEN
        c := woocommerce.get_connection(connection_id);
    END IF;
    PERFORM woocommerce._sync_request('', 'forget', json_build_object('connection_id', coalesce(c.id, 0)));
END
$$;

COMMENT ON FUNCTION woocommerce.sync_forget_cache(bigint) IS
'Forget the store categories, attributes and decimals this session remembers for a connection (NULL: all)';

-- Privileges: like the management functions, nothing for PUBLIC.
REVOKE EXECUTE ON FUNCTION
    woocommerce._sync_request(name, text, json),
    woocommerce.export_products(bigint, bigint[], text[], boolean),
    woocommerce.update_product(bigint, bigint, text[]),
    woocommerce.import_products(bigint, bigint[], boolean, timestamptz),
    woocommerce.delete_product(bigint, bigint, boolean),
    woocommerce.sync_status(bigint),
    woocommerce.schedule_sync(bigint, text, text),
    woocommerce.unschedule_sync(bigint, text),
    woocommerce.sync_forget_cache(bigint),
    woocommerce._export(bigint, bigint[], text[], boolean, bigint),
    woocommerce._import(bigint, bigint[], boolean, timestamptz, bigint, integer, integer),
    woocommerce._delete(bigint, bigint, boolean),
    woocommerce._import_apply(woocommerce.connection, jsonb, boolean, boolean),
    woocommerce._import_apply_set(woocommerce.connection, jsonb, boolean, boolean),
    woocommerce._record_run(woocommerce.connection, text, bigint, timestamptz, jsonb, jsonb, timestamptz),
    woocommerce._check_products(woocommerce.connection, bigint[])
FROM PUBLIC;
REVOKE EXECUTE ON PROCEDURE woocommerce.sync(bigint, text) FROM PUBLIC;
