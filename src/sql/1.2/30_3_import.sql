-- woocommerce_fdw 1.2, issue 12 part 3: imports write any table.
--
-- An import mapping whose target is not woocommerce.product upserts the
-- store's products into its table with one INSERT ... ON CONFLICT (key)
-- statement per page of 100, the columns computed by the mapping's
-- expressions over p (the product as jsonb, context=edit), with the
-- caller's privileges. product_sync links each row (connection, target,
-- key) to its store product and keeps the store's canonical values, so that
-- an export of the same table sends nothing for an unchanged row.
-- woocommerce._import_objects is the entry point for products already
-- fetched (a webhook's payload).

-- The rows of one import into a table (session-local, emptied at commit).
CREATE FUNCTION woocommerce._import_rows_table()
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    IF to_regclass('pg_temp.woocommerce_import_table_rows') IS NULL THEN
        CREATE TEMP TABLE woocommerce_import_table_rows (
            ord integer PRIMARY KEY, woo_id bigint, modified text, exchanged jsonb, p jsonb, key text,
            action text, error text) ON COMMIT DELETE ROWS;
        -- Another role of this session (SET ROLE) imports with it too; it
        -- is this session's alone, and emptied before every use.
        GRANT ALL ON pg_temp.woocommerce_import_table_rows TO PUBLIC;
    ELSE
        DELETE FROM pg_temp.woocommerce_import_table_rows;
    END IF;
END
$$;

-- The upsert of the rows ord BETWEEN first AND last that have no outcome
-- yet: one INSERT ... ON CONFLICT (key) statement, the columns computed by
-- the mapping's expressions over p. Sets their action.
CREATE FUNCTION woocommerce._import_table_upsert(m woocommerce.import_mapping, update_existing boolean,
                                                 first_ord integer, last_ord integer)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    columns text[] := woocommerce._import_columns(m);
    values_sql text;
    set_sql text;
BEGIN
    SELECT string_agg(format('(%s)', woocommerce._import_column_expression(m, col)), ', ' ORDER BY o),
           string_agg(format('%1$I = EXCLUDED.%1$I', col), ', ' ORDER BY o) FILTER (WHERE col <> m.key_column)
      INTO values_sql, set_sql
      FROM unnest(columns) WITH ORDINALITY AS u(col, o);
    EXECUTE format($sql$
        WITH up AS (
            INSERT INTO %1$s AS t (%2$s)
            SELECT %3$s FROM (SELECT r.p, r.ord FROM pg_temp.woocommerce_import_table_rows r
                               WHERE r.action IS NULL AND r.ord BETWEEN $1 AND $2) AS src
             ORDER BY src.ord
            ON CONFLICT (%4$I) DO %5$s
            RETURNING (t.%4$I)::text AS key, (t.xmax = 0) AS inserted)
        UPDATE pg_temp.woocommerce_import_table_rows r
           SET action = CASE WHEN up.inserted THEN 'created' ELSE 'updated' END
          FROM up WHERE r.key = up.key AND r.action IS NULL AND r.ord BETWEEN $1 AND $2
        $sql$,
        m.target, (SELECT string_agg(quote_ident(x), ', ') FROM unnest(columns) x), values_sql, m.key_column,
        CASE WHEN update_existing AND set_sql IS NOT NULL THEN 'UPDATE SET ' || set_sql ELSE 'NOTHING' END)
    USING first_ord, last_ord;
    -- Not inserted, not updated: it exists and update_existing is false.
    UPDATE pg_temp.woocommerce_import_table_rows r SET action = 'skipped'
     WHERE r.action IS NULL AND r.ord BETWEEN first_ord AND last_ord;
END
$$;

-- Rows into the target set-based: every row in one statement; when a row
-- breaks a rule of the table, page by page (100), and in the failing pages
-- row by row, to keep the others and name the failing ones. Then the sync
-- state: each row linked to its store product, with the store's values.
-- rows: [{woo_product_id, parent_woo_id, date_modified_gmt, exchanged, p}].
-- Returns [{woo_product_id, key, action, error}].
CREATE FUNCTION woocommerce._import_apply_table(c woocommerce.connection, m woocommerce.import_mapping, rows jsonb,
                                                update_existing boolean, dedup boolean)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    n integer;
    page integer;
    i integer;
    failed boolean;
BEGIN
    PERFORM woocommerce._import_rows_table();
    EXECUTE format($sql$
        INSERT INTO pg_temp.woocommerce_import_table_rows (ord, woo_id, modified, exchanged, p, key)
        SELECT x.o, (x.e->>'woo_product_id')::bigint, x.e->>'date_modified_gmt',
               -- The default key of a product without a SKU (woo-<connection>-<id>)
               -- counts as its SKU: an export of the table does not send it.
               CASE WHEN %2$L::boolean AND coalesce(x.p->>'sku', '') = '' THEN x.e->'exchanged' || jsonb_build_object('sku', (%1$s)::text)
                    ELSE x.e->'exchanged' END,
               x.p, (%1$s)::text
          FROM (SELECT t.e, t.o, t.e->'p' AS p FROM jsonb_array_elements($1) WITH ORDINALITY AS t(e, o)) x
        $sql$,
        -- the key as the key column holds it, as text (RETURNING gives that)
        format('((%s)::%s)', woocommerce._import_key_expression(m),
               (SELECT format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a
                 WHERE a.attrelid = m.target AND a.attname = m.key_column)),
        NOT m.column_expressions ? m.key_column)
    USING rows;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF dedup THEN
        -- Read again in an incremental import's overlap, unchanged since.
        UPDATE pg_temp.woocommerce_import_table_rows r SET action = 'unchanged'
          FROM woocommerce.product_sync s
         WHERE s.connection_id = c.id AND s.source = m.target AND s.woo_product_id = r.woo_id
           AND s.last_exchanged->>'date_modified_gmt' = r.modified;
    END IF;
    BEGIN
        PERFORM woocommerce._import_table_upsert(m, update_existing, 1, n);
        failed := false;
    EXCEPTION WHEN OTHERS THEN
        failed := true;  -- some row breaks a rule of the table: find it, keep the others
    END;
    IF failed THEN
        FOR page IN 0..(n - 1) / 100 LOOP
            BEGIN
                PERFORM woocommerce._import_table_upsert(m, update_existing, page * 100 + 1, page * 100 + 100);
                CONTINUE;
            EXCEPTION WHEN OTHERS THEN
                NULL;
            END;
            FOR i IN page * 100 + 1 .. least(n, page * 100 + 100) LOOP
                BEGIN
                    PERFORM woocommerce._import_table_upsert(m, update_existing, i, i);
                EXCEPTION WHEN OTHERS THEN
                    UPDATE pg_temp.woocommerce_import_table_rows r SET action = 'failed', error = SQLERRM WHERE r.ord = i;
                END;
            END LOOP;
        END LOOP;
    END IF;

    -- Sync state: a store product is linked to one row.
    UPDATE woocommerce.product_sync s SET woo_product_id = NULL, sync_status = 'pending'
      FROM pg_temp.woocommerce_import_table_rows r
     WHERE s.connection_id = c.id AND s.woo_product_id = r.woo_id AND r.action IN ('created', 'updated', 'skipped')
       AND NOT (s.source = m.target AND s.key = r.key);
    INSERT INTO woocommerce.product_sync AS s (connection_id, source, key, woo_product_id, last_imported_at, last_exchanged,
                                               sync_status, last_error)
    SELECT DISTINCT ON (r.key) c.id, m.target, r.key, r.woo_id, now(), r.exchanged, 'synced', NULL
      FROM pg_temp.woocommerce_import_table_rows r
     WHERE r.action IN ('created', 'updated')
     ORDER BY r.key, r.ord DESC
    ON CONFLICT (connection_id, source, key) DO UPDATE
       SET woo_product_id = EXCLUDED.woo_product_id, last_imported_at = EXCLUDED.last_imported_at,
           last_exchanged = EXCLUDED.last_exchanged, sync_status = 'synced', last_error = NULL;
    -- Skipped rows keep their data: linked, nothing claimed as exchanged.
    INSERT INTO woocommerce.product_sync (connection_id, source, key, woo_product_id)
    SELECT DISTINCT ON (r.key) c.id, m.target, r.key, r.woo_id
      FROM pg_temp.woocommerce_import_table_rows r
     WHERE r.action = 'skipped'
    ON CONFLICT (connection_id, source, key) DO NOTHING;
    RETURN (SELECT coalesce(jsonb_agg(jsonb_build_object('woo_product_id', r.woo_id, 'key', r.key, 'action', r.action,
                                                         'error', r.error) ORDER BY r.ord), '[]')
              FROM pg_temp.woocommerce_import_table_rows r WHERE r.action <> 'unchanged');
END
$$;

-- The store's values an import into a table keeps in last_exchanged: the
-- fields an export of that table compares (its export mapping's fields, or
-- those of woocommerce.product), with their JSON types.
CREATE FUNCTION woocommerce._import_field_types(c woocommerce.connection, m woocommerce.import_mapping)
RETURNS json
LANGUAGE sql STABLE
AS $$
    SELECT json_object_agg(pf.name, pf.json_type) FROM woocommerce.product_field pf
     WHERE pf.name = ANY (coalesce(
               (SELECT x.selected_fields || ARRAY['name', 'sku', 'manage_stock'] FROM woocommerce.export_mapping x
                 WHERE x.connection_id = c.id AND x.source = m.target ORDER BY x.is_active DESC, x.id DESC LIMIT 1),
               woocommerce.default_export_fields()))
$$;

DROP FUNCTION woocommerce.import_products(bigint, bigint[], boolean, timestamptz);
DROP FUNCTION woocommerce._import(bigint, bigint[], boolean, timestamptz, bigint, integer, integer);

-- The import: {"results": [...], "high_water_mark", "total_pages", "failed",
-- "previous_mark"}. With p_page_from, only those pages; with p_objects,
-- these products (already fetched) and no request to the store.
CREATE FUNCTION woocommerce._import(p_connection_id bigint, p_woo_product_ids bigint[], p_update_existing boolean,
                                    p_modified_after timestamptz, p_run_id bigint DEFAULT NULL,
                                    p_page_from integer DEFAULT NULL, p_page_count integer DEFAULT NULL,
                                    p_objects jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    started timestamptz := clock_timestamp();
    c woocommerce.connection;
    m woocommerce.import_mapping;
    to_table boolean;
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
    IF p_objects IS NOT NULL AND jsonb_typeof(p_objects) <> 'array' THEN
        RAISE EXCEPTION 'products must be a JSON array of WooCommerce products' USING ERRCODE = '22023';
    END IF;
    SELECT * INTO m FROM woocommerce.import_mapping x WHERE x.connection_id = c.id AND x.is_active;
    to_table := coalesce(m.target, 'woocommerce.product'::regclass) <> 'woocommerce.product'::regclass;
    IF p_woo_product_ids IS NULL AND p_modified_after IS NULL AND p_objects IS NULL THEN
        SELECT r.high_water_mark INTO mark FROM woocommerce.sync_run r
         WHERE r.connection_id = c.id AND r.direction = 'import' AND r.status = 'completed'
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
        'objects', p_objects,
        'modified_after', to_char(since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
        'target', CASE WHEN to_table THEN 'table' ELSE 'product' END,
        'field_types', CASE WHEN to_table THEN woocommerce._import_field_types(c, m) END,
        'attribute_mappings', coalesce(m.attribute_mappings, '{}'),
        'field_mappings', coalesce(m.field_mappings, '{}'),
        'page_from', p_page_from,
        'page_count', p_page_count));

    IF to_table THEN
        results := woocommerce._import_apply_table(c, m, answer->'rows', coalesce(p_update_existing, true), incremental);
    ELSE
        SELECT coalesce(jsonb_agg(e || jsonb_build_object('key', e->>'product_id')), '[]') INTO results
          FROM jsonb_array_elements(woocommerce._import_apply(c, answer->'rows', coalesce(p_update_existing, true),
                                                              incremental)) e;
    END IF;
    -- Rows left out were read again unchanged (the overlap).
    SELECT results || coalesce(jsonb_agg(jsonb_build_object('woo_product_id', x.woo_id, 'product_id', s.product_id,
                                                            'key', s.key, 'action', 'unchanged', 'error', NULL)
                                         ORDER BY x.o), '[]')
      INTO results
      FROM (SELECT (t.e->>'woo_product_id')::bigint AS woo_id, t.o
              FROM jsonb_array_elements(answer->'rows') WITH ORDINALITY AS t(e, o)
             WHERE (t.e->>'woo_product_id')::bigint NOT IN (   -- a hashed subplan: once, not per row
                       SELECT r.woo_product_id FROM jsonb_to_recordset(results) AS r(woo_product_id bigint)
                        WHERE r.woo_product_id IS NOT NULL)) x
      LEFT JOIN woocommerce.product_sync s ON s.connection_id = c.id AND s.woo_product_id = x.woo_id;

    SELECT jsonb_build_object(
               'created', count(*) FILTER (WHERE r.action = 'created'),
               'updated', count(*) FILTER (WHERE r.action = 'updated'),
               'unchanged', count(*) FILTER (WHERE r.action = 'unchanged'),
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
    ELSIF p_woo_product_ids IS NULL AND p_objects IS NULL AND (counts->>'failed')::int = 0 THEN
        new_mark := greatest(((answer->>'high_water_mark')::timestamp AT TIME ZONE 'UTC'), mark);
    ELSIF p_woo_product_ids IS NULL AND p_objects IS NULL THEN
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
RETURNS TABLE (woo_product_id bigint, product_id bigint, action text, error text, key text)
LANGUAGE sql VOLATILE
AS $$
    SELECT r.woo_product_id, r.product_id, r.action, r.error, r.key
      FROM jsonb_to_recordset(woocommerce._import($1, $2, $3, $4)->'results')
           AS r(woo_product_id bigint, product_id bigint, action text, error text, key text)
$$;

COMMENT ON FUNCTION woocommerce.import_products(bigint, bigint[], boolean, timestamptz) IS
'Import products (and variations) from the store through the active import mapping (woocommerce.product or its target table); incremental from the last import''s high-water mark; one row per store product';

-- For products already fetched (a webhook's payload): the same conversion,
-- mapping and writes as an import page, with no request to the store. A
-- variation (type "variation") names its parent in parent_id; the parent
-- must be linked already (imported or exported before).
CREATE FUNCTION woocommerce._import_objects(connection_id bigint, products jsonb, update_existing boolean DEFAULT true)
RETURNS TABLE (woo_product_id bigint, product_id bigint, action text, error text, key text)
LANGUAGE sql VOLATILE
AS $$
    SELECT r.woo_product_id, r.product_id, r.action, r.error, r.key
      FROM jsonb_to_recordset(woocommerce._import($1, NULL, $3, NULL, NULL, NULL, NULL, $2)->'results')
           AS r(woo_product_id bigint, product_id bigint, action text, error text, key text)
$$;

COMMENT ON FUNCTION woocommerce._import_objects(bigint, jsonb, boolean) IS
'Internal (webhooks): import WooCommerce products given as JSON objects through the connection''s active import mapping';

REVOKE EXECUTE ON FUNCTION
    woocommerce._import_rows_table(),
    woocommerce._import_field_types(woocommerce.connection, woocommerce.import_mapping),
    woocommerce._import_table_upsert(woocommerce.import_mapping, boolean, integer, integer),
    woocommerce._import_apply_table(woocommerce.connection, woocommerce.import_mapping, jsonb, boolean, boolean),
    woocommerce._import(bigint, bigint[], boolean, timestamptz, bigint, integer, integer, jsonb),
    woocommerce.import_products(bigint, bigint[], boolean, timestamptz),
    woocommerce._import_objects(bigint, jsonb, boolean)
FROM PUBLIC;
