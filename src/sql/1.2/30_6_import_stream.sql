-- woocommerce_fdw 1.2, issue 15 (import half): the import streams.
--
-- Before, woocommerce._sync_request read every page, held every product
-- and answered with every row in one JSON document, which SQL then wrote:
-- an import of 100,000 products grew the backend by about 3 GB, and no
-- row was written before the last page was in. Now the engine hands the
-- rows over a round at a time (woocommerce.import_round_pages pages, by
-- default as many as the connection's concurrency) by calling
-- woocommerce._import_round while the next round's requests are in flight,
-- and the round is written at once with the same set-based functions as
-- before (_import_apply, _import_apply_table: the advisory lock, the
-- halving on a failing row, product_sync). Each round's outcomes go into a
-- session-local table that import_products reads at the end; memory holds
-- one round. A later round that fails row by row leaves the earlier rounds
-- written and the high-water mark where it was; an error (the store, the
-- network, a cancel) rolls the whole statement back, as before.

-- The outcomes of the import running in this session (emptied at commit
-- and at the start of every import).
CREATE FUNCTION woocommerce._import_results_table()
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    IF to_regclass('pg_temp.woocommerce_import_results') IS NULL THEN
        CREATE TEMP TABLE woocommerce_import_results (
            ord bigint NOT NULL, woo_product_id bigint, product_id bigint, key text, action text NOT NULL,
            error text) ON COMMIT DELETE ROWS;
        -- Another role of this session (SET ROLE) imports with it too.
        GRANT ALL ON pg_temp.woocommerce_import_results TO PUBLIC;
    ELSE
        DELETE FROM pg_temp.woocommerce_import_results;
    END IF;
END
$$;

-- One round of rows from the engine (src/pg/sync_functions.cpp calls it
-- while the next pages are in flight). state: {connection_id,
-- update_existing, dedup, round}; rows: as _import_apply(_table) take them.
-- The outcomes are numbered so that import_products lists them as before:
-- the rows written in order, then those read again unchanged.
--
-- plan_cache_mode: the foreign key of product_sync on woocommerce.product is
-- checked per row by a plan PostgreSQL prepares once per session. Made in
-- the first round, when the catalog holds a few hundred rows, it is a
-- sequential scan, and kept while the catalog grows in the same
-- transaction: each round then read the whole catalog once per row (an
-- import of 100,000 products took minutes instead of seconds). Custom plans
-- while a round is written see the catalog's current size.
CREATE FUNCTION woocommerce._import_round(state jsonb, rows jsonb)
RETURNS void
LANGUAGE plpgsql VOLATILE
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    c woocommerce.connection;
    m woocommerce.import_mapping;
    update_existing boolean := (state->>'update_existing')::boolean;
    dedup boolean := (state->>'dedup')::boolean;
    results jsonb;
    base bigint;
BEGIN
    SELECT * INTO STRICT c FROM woocommerce.connection x WHERE x.id = (state->>'connection_id')::bigint;
    SELECT * INTO m FROM woocommerce.import_mapping x WHERE x.connection_id = c.id AND x.is_active;
    SELECT coalesce(max(r.ord) FILTER (WHERE r.ord < 1000000000000), 0) INTO base
      FROM pg_temp.woocommerce_import_results r;
    IF coalesce(m.target, 'woocommerce.product'::regclass) <> 'woocommerce.product'::regclass THEN
        results := woocommerce._import_apply_table(c, m, rows, update_existing, dedup);
        INSERT INTO pg_temp.woocommerce_import_results (ord, woo_product_id, product_id, key, action, error)
        SELECT base + r.o, r.woo_product_id, NULL, r.key, r.action, r.error
          FROM ROWS FROM (jsonb_to_recordset(results) AS (woo_product_id bigint, key text, action text, error text))
               WITH ORDINALITY AS r(woo_product_id, key, action, error, o);
    ELSE
        results := woocommerce._import_apply(c, rows, update_existing, dedup);
        INSERT INTO pg_temp.woocommerce_import_results (ord, woo_product_id, product_id, key, action, error)
        SELECT base + r.o, r.woo_product_id, r.product_id, r.product_id::text, r.action, r.error
          FROM ROWS FROM (jsonb_to_recordset(results) AS (woo_product_id bigint, product_id bigint, action text,
                                                          error text))
               WITH ORDINALITY AS r(woo_product_id, product_id, action, error, o);
    END IF;
    -- Rows left out were read again unchanged (an incremental import's
    -- overlap): listed after every written row.
    INSERT INTO pg_temp.woocommerce_import_results (ord, woo_product_id, product_id, key, action, error)
    SELECT 1000000000000 + base + x.o, x.woo_id, s.product_id, s.key, 'unchanged', NULL
      FROM (SELECT (t.e->>'woo_product_id')::bigint AS woo_id, t.o
              FROM jsonb_array_elements(rows) WITH ORDINALITY AS t(e, o)
             WHERE (t.e->>'woo_product_id')::bigint NOT IN (   -- a hashed subplan: once, not per row
                       SELECT r.woo_product_id FROM jsonb_to_recordset(results) AS r(woo_product_id bigint)
                        WHERE r.woo_product_id IS NOT NULL)) x
      LEFT JOIN woocommerce.product_sync s ON s.connection_id = c.id AND s.woo_product_id = x.woo_id;
END
$$;

-- The import: {"results": [...] (with p_results), "high_water_mark",
-- "total_pages", "failed", "previous_mark"}. With p_page_from, only those
-- pages; with p_objects, these products (already fetched) and no request to
-- the store. The outcomes are in pg_temp.woocommerce_import_results.
CREATE OR REPLACE FUNCTION woocommerce._import(p_connection_id bigint, p_woo_product_ids bigint[],
                                               p_update_existing boolean, p_modified_after timestamptz,
                                               p_run_id bigint DEFAULT NULL, p_page_from integer DEFAULT NULL,
                                               p_page_count integer DEFAULT NULL, p_objects jsonb DEFAULT NULL)
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

    PERFORM woocommerce._import_results_table();
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
        'page_count', p_page_count,
        -- the rounds come back through woocommerce._import_round
        'round_state', json_build_object('connection_id', c.id, 'update_existing', coalesce(p_update_existing, true),
                                         'dedup', incremental)));

    SELECT jsonb_build_object(
               'created', count(*) FILTER (WHERE r.action = 'created'),
               'updated', count(*) FILTER (WHERE r.action = 'updated'),
               'unchanged', count(*) FILTER (WHERE r.action = 'unchanged'),
               'skipped', count(*) FILTER (WHERE r.action = 'skipped'),
               'failed', count(*) FILTER (WHERE r.action = 'failed'),
               'errors', coalesce(jsonb_agg(jsonb_build_object('woo_product_id', r.woo_product_id, 'error', r.error)
                                            ORDER BY r.ord) FILTER (WHERE r.action = 'failed'), '[]'))
      INTO counts
      FROM pg_temp.woocommerce_import_results r;
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
    RETURN jsonb_build_object('high_water_mark', answer->'high_water_mark', 'total_pages', answer->'total_pages',
                              'failed', counts->'failed', 'previous_mark', mark);
END
$$;

-- One row per store product, read from the session's outcomes table (not
-- from one JSON document of them all: memory holds a round).
CREATE OR REPLACE FUNCTION woocommerce.import_products(
    connection_id bigint DEFAULT NULL,
    woo_product_ids bigint[] DEFAULT NULL,
    update_existing boolean DEFAULT true,
    modified_after timestamptz DEFAULT NULL)
RETURNS TABLE (woo_product_id bigint, product_id bigint, action text, error text, key text)
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    PERFORM woocommerce._import($1, $2, $3, $4);
    RETURN QUERY SELECT r.woo_product_id, r.product_id, r.action, r.error, r.key
                   FROM pg_temp.woocommerce_import_results r ORDER BY r.ord;
END
$$;

CREATE OR REPLACE FUNCTION woocommerce._import_objects(connection_id bigint, products jsonb,
                                                       update_existing boolean DEFAULT true)
RETURNS TABLE (woo_product_id bigint, product_id bigint, action text, error text, key text)
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    PERFORM woocommerce._import($1, NULL, $3, NULL, NULL, NULL, NULL, $2);
    RETURN QUERY SELECT r.woo_product_id, r.product_id, r.action, r.error, r.key
                   FROM pg_temp.woocommerce_import_results r ORDER BY r.ord;
END
$$;

REVOKE EXECUTE ON FUNCTION
    woocommerce._import_results_table(),
    woocommerce._import_round(jsonb, jsonb)
FROM PUBLIC;
