-- woocommerce_fdw 1.2, issue 12 part 2: exports read any source.
--
-- _export evaluates the mapping's expressions over its source in one
-- statement, with the caller's privileges, into a session temp table
-- (woocommerce_export_rows). A row whose values hash to what the last clean
-- export recorded (product_sync.local_hash) is unchanged without further
-- work; the others go to the engine (woocommerce._sync_request), which
-- compares them with last_exchanged, sends what changed and reports what
-- the store answered. The outcome is written back set-based.

-- The value SQL of one WooCommerce field for the engine: decimals as exact
-- text, dates as WooCommerce's YYYY-MM-DDTHH:MM:SS (UTC for *_gmt), the
-- rest as to_jsonb gives it.
CREATE FUNCTION woocommerce._export_value_sql(field text, expression text, t regtype)
RETURNS text
LANGUAGE sql STABLE
AS $$
    SELECT CASE
        WHEN field IN ('regular_price', 'sale_price', 'weight') THEN format('((%s)::numeric)::text', expression)
        WHEN ty.typcategory = 'D' AND t = 'timestamptz'::regtype AND field LIKE '%\_gmt' THEN
            format('to_char((%s) AT TIME ZONE ''UTC'', ''YYYY-MM-DD"T"HH24:MI:SS'')', expression)
        WHEN ty.typcategory = 'D' THEN format('to_char((%s)::timestamp, ''YYYY-MM-DD"T"HH24:MI:SS'')', expression)
        ELSE format('(%s)', expression)
    END
      FROM pg_catalog.pg_type ty WHERE ty.oid = t
$$;

-- The statement that reads an export's rows: key and parent key as text,
-- and the WooCommerce values of `fields` (plus type, manage_stock and
-- stock_quantity where the source has them: WooCommerce's rules need them)
-- as one jsonb object (with_values), or only a hash of those values: an
-- md5 of the field names and the row of values, much cheaper than building
-- the jsonb, so that unchanged rows cost little. $1 is the connection's
-- owner (for woocommerce.product), $2 the keys to read (NULL: all).
CREATE FUNCTION woocommerce._export_source_query(c woocommerce.connection, m woocommerce.export_mapping, fields text[],
                                                 with_values boolean)
RETURNS text
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    source regclass := coalesce(m.source, 'woocommerce.product'::regclass);
    key_column text := coalesce(m.key_column, 'id');
    key_type text;
    parent text := woocommerce._parent_key_expression(m);
    e record;
    pairs text[] := '{}';
    chunks text[] := '{}';
    hashed text[] := '{}';
    names text[] := '{}';
    t regtype;
    from_clause text := format('%s AS src', source);
    json_type text;
    wanted text[] := fields || ARRAY(SELECT x FROM unnest(ARRAY['type', 'manage_stock', 'stock_quantity']) x
                                      WHERE NOT x = ANY (fields));
BEGIN
    FOR e IN SELECT x.field, x.expression
               FROM woocommerce._export_expressions(source, coalesce(m.field_mappings, '{}'),
                                                    coalesce(m.field_expressions, '{}'), wanted) x LOOP
        IF e.expression IS NULL THEN
            IF e.field = ANY (fields) THEN
                RAISE EXCEPTION 'WooCommerce field "%" has no value in export source %', e.field, source
                    USING ERRCODE = '22023',
                          HINT = format('Give it an expression in the export mapping''s field_expressions, or a column "%s" in the source.',
                                        e.field);
            END IF;
            CONTINUE;  -- a rule's helper the source does not have
        END IF;
        t := woocommerce._expression_type(from_clause, e.expression, format('WooCommerce field "%s"', e.field));
        SELECT f.json_type INTO json_type FROM woocommerce.product_field f WHERE f.name = e.field;
        IF woocommerce._field_type_needed(e.field, json_type, t) IS NOT NULL THEN
            IF NOT e.field = ANY (fields) THEN CONTINUE; END IF;
            RAISE EXCEPTION 'the expression for WooCommerce field "%" is of type %, which does not suit it', e.field, t
                USING ERRCODE = '22023', DETAIL = format('Expression: %s', e.expression),
                      HINT = format('Cast it to %s.', woocommerce._field_type_needed(e.field, json_type, t));
        END IF;
        pairs := pairs || format('%L, %s', e.field, woocommerce._export_value_sql(e.field, e.expression, t));
        hashed := hashed || woocommerce._export_value_sql(e.field, e.expression, t);
        names := names || e.field;
        -- jsonb_build_object takes at most 100 arguments: objects of 40
        -- pairs, concatenated.
        IF cardinality(pairs) = 40 THEN
            chunks := chunks || format('jsonb_build_object(%s)', array_to_string(pairs, ', '));
            pairs := '{}';
        END IF;
    END LOOP;
    IF cardinality(pairs) > 0 OR cardinality(chunks) = 0 THEN
        chunks := chunks || format('jsonb_build_object(%s)', array_to_string(pairs, ', '));
    END IF;
    SELECT format_type(a.atttypid, a.atttypmod) INTO key_type FROM pg_catalog.pg_attribute a
     WHERE a.attrelid = source AND a.attname = key_column AND a.attnum > 0 AND NOT a.attisdropped;
    IF key_type IS NULL THEN
        RAISE EXCEPTION 'export source % has no key column "%"', source, key_column USING ERRCODE = '22023';
    END IF;
    RETURN format('SELECT (src.%1$I)::text AS key, (%2$s)::text AS parent_key, %3$s FROM %4$s '
                  'WHERE %5$s AND ($2::text[] IS NULL OR src.%1$I = ANY ($2::text[]::%6$s[]))',
                  key_column, coalesce(parent, 'NULL'),
                  format('md5(%L || ROW(%s)::text) AS hash', array_to_string(names, ','), array_to_string(hashed, ', '))
                  || CASE WHEN with_values THEN ', ' || array_to_string(chunks, ' || ') || ' AS vals' ELSE '' END,
                  from_clause,
                  CASE WHEN source = 'woocommerce.product'::regclass THEN 'src.owner = $1' ELSE '$1 IS NOT NULL' END,
                  key_type);
END
$$;

-- An export writes back chunk by chunk; a store id it wrote is taken from
-- any other row of the connection that held it (_export_record): found by
-- this index, not by a scan of the connection's sync rows per chunk.
CREATE INDEX product_sync_store_id_idx ON woocommerce.product_sync (connection_id, woo_product_id);

-- The rows of one export run (session-local, emptied at commit).
CREATE FUNCTION woocommerce._export_rows_table()
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    -- (A session that began before the chunks has the table without seq.)
    IF to_regclass('pg_temp.woocommerce_export_rows') IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                        WHERE a.attrelid = to_regclass('pg_temp.woocommerce_export_rows') AND a.attname = 'seq') THEN
        DROP TABLE pg_temp.woocommerce_export_rows;
    END IF;
    IF to_regclass('pg_temp.woocommerce_export_rows') IS NULL THEN
        -- seq: the place of a row to send in the run (chunks are ranges).
        CREATE TEMP TABLE woocommerce_export_rows (
            key text PRIMARY KEY, parent_key text, vals jsonb, hash text, product_id bigint,
            woo_product_id bigint, last_exchanged jsonb, local_hash text, sync_status text, parent_woo_id bigint,
            send boolean, action text, fields text[], error text, warning text, drifted boolean, exchanged jsonb,
            conflict jsonb, seq bigint) ON COMMIT DELETE ROWS;
        -- (Partial: the rows an export reads but does not send cost no entry.)
        CREATE INDEX ON pg_temp.woocommerce_export_rows (seq) WHERE seq IS NOT NULL;
        -- Another role of this session (SET ROLE) exports with it too; it
        -- is this session's alone, and emptied before every use.
        GRANT ALL ON pg_temp.woocommerce_export_rows TO PUBLIC;
    ELSE
        DELETE FROM pg_temp.woocommerce_export_rows;
    END IF;
END
$$;

-- How many rows an export hands to the engine at once: the setting
-- woocommerce.sync_chunk_rows, or by default two full rounds of
-- `concurrency` batches (800 rows with the default options): a chunk of
-- new products holds about 40 kB per row in the backend while it is sent
-- (the payloads and the store's answers), and every chunk boundary waits
-- for the chunk's slowest request.
CREATE FUNCTION woocommerce._export_chunk_rows(c woocommerce.connection, batch_size integer)
RETURNS integer
LANGUAGE sql STABLE
AS $$
    SELECT coalesce(nullif(nullif(current_setting('woocommerce.sync_chunk_rows', true), ''), '0')::integer,
                    greatest(batch_size, 1) * greatest(woocommerce._server_option_int(c.server_name, 'concurrency', 4), 1) * 2)
$$;

-- One chunk of an export (the rows to send first_seq..last_seq): their
-- values (and what was last
-- exchanged) read now, sent by the engine, and its outcome written back to
-- the run's rows and to product_sync. Returns the engine's answer counters.
CREATE FUNCTION woocommerce._export_chunk(c woocommerce.connection, m woocommerce.export_mapping, source regclass,
                                          value_fields text[], selected text[], only_changed boolean,
                                          batch_size integer, field_types json, first_seq bigint, last_seq bigint,
                                          chunk json)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE
AS $$
#variable_conflict use_column
DECLARE
    products json;
    answer jsonb;
    keys text[] := ARRAY(SELECT r.key FROM pg_temp.woocommerce_export_rows r WHERE r.seq BETWEEN first_seq AND last_seq);
BEGIN
    -- A variation whose parent an earlier chunk created (or found gone
    -- and created again) goes under the parent's new store id.
    IF woocommerce._parent_key_expression(m) IS NOT NULL THEN
        UPDATE pg_temp.woocommerce_export_rows t SET parent_woo_id = p.woo_product_id
          FROM pg_temp.woocommerce_export_rows p
         WHERE t.seq BETWEEN first_seq AND last_seq AND t.parent_key IS NOT NULL AND p.key = t.parent_key
           AND p.woo_product_id IS NOT NULL AND t.parent_woo_id IS DISTINCT FROM p.woo_product_id;
    END IF;
    -- The values (and what was last exchanged) of the rows to send; the
    -- hash again, of the values read now.
    EXECUTE format('UPDATE pg_temp.woocommerce_export_rows t
                       SET vals = v.vals, hash = v.hash, last_exchanged = s.last_exchanged
                      FROM (%s OFFSET 0) v
                      LEFT JOIN LATERAL (SELECT x.last_exchanged FROM woocommerce.product_sync x
                                          WHERE x.connection_id = $3 AND x.source = $4 AND x.key = v.key OFFSET 0) s ON true
                     WHERE t.key = v.key',
                   woocommerce._export_source_query(c, m, value_fields, true))
    USING c.owner, keys, c.id, source;

    SELECT json_agg(json_build_object('key', r.key, 'parent_key', r.parent_key, 'product', r.vals,
                                      'woo_product_id', r.woo_product_id, 'last_exchanged', r.last_exchanged,
                                      'parent_woo_id', r.parent_woo_id,
                                      'in_conflict', coalesce(r.sync_status = 'conflict', false))
                    ORDER BY r.parent_key IS NOT NULL, r.product_id, r.key)
      INTO products
      FROM pg_temp.woocommerce_export_rows r WHERE r.seq BETWEEN first_seq AND last_seq;

    answer := woocommerce._sync_request(c.server_name, 'export', json_build_object(
        'connection_id', c.id,
        'fields', to_json(selected),
        'field_mappings', '{}'::json,
        'field_types', field_types,
        'only_changed', coalesce(only_changed, true),
        'conflict_policy', c.conflict_policy,
        'batch_size', batch_size,
        'chunk', chunk,
        'products', products));
    products := NULL;
    -- The values are not needed any more: the run's table keeps the outcome.
    UPDATE pg_temp.woocommerce_export_rows r
       SET action = x.action, fields = coalesce(x.fields, '{}'), error = x.error, warning = x.warning,
           drifted = coalesce(x.drifted, false), exchanged = x.exchanged, conflict = x.conflict,
           woo_product_id = coalesce(x.woo_product_id, r.woo_product_id), vals = NULL, last_exchanged = NULL
      FROM jsonb_to_recordset(answer->'results')
           AS x(key text, woo_product_id bigint, action text, fields text[], error text, warning text,
                drifted boolean, exchanged jsonb, conflict jsonb)
     WHERE r.key = x.key;
    PERFORM woocommerce._export_record(c, source, first_seq, last_seq);
    RETURN jsonb_build_object('requests', coalesce((answer->>'requests')::bigint, 0),
                              'bytes', coalesce((answer->>'bytes')::bigint, 0));
END
$$;

DROP FUNCTION woocommerce.update_product(bigint, bigint, text[]);
DROP FUNCTION woocommerce.export_products(bigint, bigint[], text[], boolean);
DROP FUNCTION woocommerce._export(bigint, bigint[], text[], boolean, bigint);

-- The export: one row per local row it read.
CREATE FUNCTION woocommerce._export(p_connection_id bigint, p_product_ids bigint[], p_fields text[],
                                    p_only_changed boolean, p_run_id bigint DEFAULT NULL, p_keys text[] DEFAULT NULL)
RETURNS TABLE (product_id bigint, woo_product_id bigint, action text, fields text[], error text, warning text, key text)
LANGUAGE plpgsql VOLATILE
AS $$
#variable_conflict use_column
DECLARE
    started timestamptz := clock_timestamp();
    c woocommerce.connection;
    m woocommerce.export_mapping;
    source regclass;
    selected text[];
    value_fields text[];
    f text;
    keys text[] := p_keys;
    n bigint;
    sync_join text;
    parent_join text;
    msg text;
    answer jsonb;
    chunk_answer jsonb;
    to_send bigint;
    chunk_no integer;
    chunk_rows integer;
    batch_size integer;
    field_types json;
    errors jsonb;
    counts jsonb;
BEGIN
    c := woocommerce.require_active_connection(woocommerce.connection_or_default(p_connection_id));
    SELECT * INTO m FROM woocommerce.export_mapping x WHERE x.connection_id = c.id AND x.is_active;
    source := coalesce(m.source, 'woocommerce.product'::regclass);
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
    IF array_position(p_keys, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'keys must not contain NULL' USING ERRCODE = '22004';
    END IF;
    IF p_product_ids IS NOT NULL THEN
        IF source <> 'woocommerce.product'::regclass THEN
            RAISE EXCEPTION 'product_ids name rows of woocommerce.product, but this export reads %', source
                USING ERRCODE = '22023', HINT = 'Name the rows of the source by their key: keys => ARRAY[...].';
        END IF;
        PERFORM woocommerce._check_products(c, p_product_ids);
        keys := coalesce(keys, '{}') || p_product_ids::text[];
    END IF;
    -- The values read: name and sku (a create sends them) and the selected
    -- fields; an update compares and sends the selected fields only.
    value_fields := ARRAY['name', 'sku'] || ARRAY(SELECT s FROM unnest(selected) WITH ORDINALITY u(s, o)
                                                  WHERE s NOT IN ('name', 'sku') ORDER BY o);

    PERFORM woocommerce._export_rows_table();
    -- The sync state of each row is looked up by connection, source and key
    -- (an index lookup per row, OFFSET 0 keeping it one), whatever the
    -- statistics of product_sync say: right after a first export they are
    -- stale, and a join chose a nested loop that compared every pair of rows.
    sync_join := 'LEFT JOIN LATERAL (SELECT x.woo_product_id, x.local_hash, x.sync_status
                                       FROM woocommerce.product_sync x
                                      WHERE x.connection_id = $3 AND x.source = $4 AND x.key = r.key OFFSET 0) s ON true';
    parent_join := 'LEFT JOIN LATERAL (SELECT x.woo_product_id FROM woocommerce.product_sync x
                                        WHERE x.connection_id = $3 AND x.source = $4
                                          AND x.key = r.parent_key OFFSET 0) ps ON true';
    BEGIN
        -- Equal hash: the values the last clean export sent or confirmed,
        -- and nothing else has written last_exchanged since (an import
        -- clears it): unchanged, and only the key is kept.
        EXECUTE format('INSERT INTO pg_temp.woocommerce_export_rows (key, parent_key, hash, product_id, woo_product_id,
                                                                     sync_status, parent_woo_id, send, action, fields)
                        SELECT r.key, r.parent_key, r.hash, %s, s.woo_product_id, s.sync_status, %s,
                               NOT $5 OR s.woo_product_id IS NULL OR s.local_hash IS DISTINCT FROM r.hash
                               OR s.sync_status IS DISTINCT FROM ''synced'', ''unchanged'', ''{}''
                          FROM (%s OFFSET 0) r   -- (OFFSET 0: each row''s values computed once)
                          %s %s',
                       CASE WHEN source = 'woocommerce.product'::regclass THEN 'r.key::bigint' ELSE 'NULL::bigint' END,
                       CASE WHEN woocommerce._parent_key_expression(m) IS NULL THEN 'NULL::bigint' ELSE 'ps.woo_product_id' END,
                       woocommerce._export_source_query(c, m, value_fields, false),
                       sync_join,
                       CASE WHEN woocommerce._parent_key_expression(m) IS NULL THEN '' ELSE parent_join END)
        USING c.owner, keys, c.id, source, coalesce(p_only_changed, true);
        GET DIAGNOSTICS n = ROW_COUNT;
    EXCEPTION
        WHEN unique_violation THEN
            RAISE EXCEPTION 'export source % has two rows with the same key', source
                USING ERRCODE = '23505', DETAIL = (SELECT format('Key column: %s.', coalesce(m.key_column, 'id'))),
                      HINT = 'The key column must be unique: fix the rows, or name another key_column in the export mapping.';
        WHEN not_null_violation THEN
            RAISE EXCEPTION 'export source % has a row without a key', source
                USING ERRCODE = '23502', DETAIL = (SELECT format('Key column: %s.', coalesce(m.key_column, 'id'))),
                      HINT = 'The key column must not be NULL.';
    END;

    -- The rows to send go to the engine in chunks (parents and simple
    -- products first, then variations): each chunk's values are read, sent
    -- and its outcome written back before the next one is read, so that
    -- memory follows the chunk, not the catalog.
    UPDATE pg_temp.woocommerce_export_rows t SET seq = o.seq
      FROM (SELECT r.key, row_number() OVER (ORDER BY r.parent_key IS NOT NULL, r.product_id, r.key) AS seq
              FROM pg_temp.woocommerce_export_rows r WHERE r.send) o
     WHERE t.key = o.key;
    GET DIAGNOSTICS to_send = ROW_COUNT;
    IF to_send > 0 THEN
        ANALYZE pg_temp.woocommerce_export_rows;  -- the chunks' statements join it
        batch_size := woocommerce._server_option_int(c.server_name, 'batch_size', 100);
        chunk_rows := woocommerce._export_chunk_rows(c, batch_size);
        field_types := (SELECT json_object_agg(pf.name, pf.json_type) FROM woocommerce.product_field pf);
        answer := jsonb_build_object('requests', 0, 'bytes', 0);
        FOR chunk_no IN 1..ceil(to_send::numeric / chunk_rows)::integer LOOP
            chunk_answer := woocommerce._export_chunk(c, m, source, value_fields, selected, p_only_changed, batch_size,
                                                      field_types, (chunk_no - 1)::bigint * chunk_rows + 1,
                                                      chunk_no::bigint * chunk_rows, json_build_object(
                                                          'index', chunk_no, 'count', ceil(to_send::numeric / chunk_rows),
                                                          'rows_before', (chunk_no - 1)::bigint * chunk_rows,
                                                          'rows_total', to_send));
            answer := jsonb_build_object('requests', (answer->>'requests')::bigint + (chunk_answer->>'requests')::bigint,
                                         'bytes', (answer->>'bytes')::bigint + (chunk_answer->>'bytes')::bigint);
        END LOOP;
    END IF;

    SELECT jsonb_build_object(
               'created', count(*) FILTER (WHERE r.action = 'created'),
               'updated', count(*) FILTER (WHERE r.action = 'updated'),
               'unchanged', count(*) FILTER (WHERE r.action = 'unchanged'),
               'skipped', count(*) FILTER (WHERE r.action IN ('skipped', 'conflict')),
               'failed', count(*) FILTER (WHERE r.action = 'failed'),
               'warnings', count(*) FILTER (WHERE r.warning IS NOT NULL),
               'errors', coalesce((SELECT jsonb_agg(e) FROM (
                   SELECT jsonb_strip_nulls(jsonb_build_object('key', x.key, 'product_id', x.product_id,
                                                               'error', x.error, 'warning', x.warning)) AS e
                     FROM pg_temp.woocommerce_export_rows x
                    WHERE x.error IS NOT NULL OR x.warning IS NOT NULL
                    ORDER BY x.parent_key IS NOT NULL, x.product_id, x.key LIMIT 100) y), '[]'))
      INTO counts
      FROM pg_temp.woocommerce_export_rows r;
    PERFORM woocommerce._record_run(c, 'export', p_run_id, started, coalesce(answer, '{}'), counts);
    RETURN QUERY
        SELECT r.product_id, r.woo_product_id, r.action, r.fields, r.error, r.warning, r.key
          FROM pg_temp.woocommerce_export_rows r
         ORDER BY r.parent_key IS NOT NULL, r.product_id, r.key;
END
$$;

-- The engine's outcome into product_sync, set-based.
CREATE FUNCTION woocommerce._export_record(c woocommerce.connection, p_source regclass, first_seq bigint,
                                           last_seq bigint)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    -- A store id this run wrote belongs to this row only.
    UPDATE woocommerce.product_sync s SET woo_product_id = NULL, sync_status = 'pending', conflict = NULL
      FROM pg_temp.woocommerce_export_rows r
     WHERE r.seq BETWEEN first_seq AND last_seq AND s.connection_id = c.id AND r.action IN ('created', 'updated')
       AND s.woo_product_id = r.woo_product_id AND NOT (s.source = p_source AND s.key = r.key);

    -- What the store answered: a row whose answer differs from what was
    -- sent is 'pending' (sent again next time), its warning in last_error;
    -- a clean write records the hash of the values, so that the next export
    -- finds them unchanged without comparing.
    INSERT INTO woocommerce.product_sync AS s
           (connection_id, source, key, product_id, woo_product_id, last_exported_at, last_modified_fields,
            last_exchanged, sync_status, last_error, local_hash, conflict)
    SELECT c.id, p_source, r.key, r.product_id, r.woo_product_id,
           CASE WHEN r.action IN ('created', 'updated') THEN now() END,
           r.fields, r.exchanged,
           CASE WHEN r.action = 'failed' THEN 'error' WHEN r.action = 'conflict' THEN 'conflict'
                WHEN r.drifted OR r.action = 'skipped' THEN 'pending' ELSE 'synced' END,
           coalesce(r.error, r.warning),
           CASE WHEN r.action IN ('created', 'updated', 'unchanged') AND NOT r.drifted THEN r.hash END,
           r.conflict
      FROM pg_temp.woocommerce_export_rows r
     WHERE r.seq BETWEEN first_seq AND last_seq AND r.send AND r.action IN ('created', 'updated', 'failed', 'skipped', 'conflict')
       AND NOT (r.action = 'conflict' AND r.conflict IS NULL)  -- a conflict recorded before: as it is
    ON CONFLICT (connection_id, source, key) DO UPDATE
       SET woo_product_id = coalesce(EXCLUDED.woo_product_id, s.woo_product_id),
           last_exported_at = coalesce(EXCLUDED.last_exported_at, s.last_exported_at),
           last_modified_fields = CASE WHEN EXCLUDED.sync_status IN ('synced', 'pending') AND EXCLUDED.last_exported_at IS NOT NULL
                                       THEN EXCLUDED.last_modified_fields ELSE s.last_modified_fields END,
           last_exchanged = coalesce(EXCLUDED.last_exchanged, s.last_exchanged),
           sync_status = EXCLUDED.sync_status,
           last_error = EXCLUDED.last_error,
           local_hash = EXCLUDED.local_hash,
           conflict = CASE WHEN EXCLUDED.sync_status = 'conflict' THEN coalesce(EXCLUDED.conflict, s.conflict) END;

    -- Compared and found equal: synced, and hashed for next time.
    UPDATE woocommerce.product_sync s
       SET sync_status = 'synced', last_error = NULL, local_hash = r.hash, conflict = NULL
      FROM pg_temp.woocommerce_export_rows r
     WHERE r.seq BETWEEN first_seq AND last_seq AND r.send AND r.action = 'unchanged' AND s.connection_id = c.id AND s.source = p_source AND s.key = r.key
       AND (s.sync_status <> 'synced' OR s.last_error IS NOT NULL OR s.local_hash IS DISTINCT FROM r.hash);
END
$$;

CREATE FUNCTION woocommerce.export_products(
    connection_id bigint DEFAULT NULL,
    product_ids bigint[] DEFAULT NULL,
    fields text[] DEFAULT NULL,
    only_changed boolean DEFAULT true,
    keys text[] DEFAULT NULL)
RETURNS TABLE (product_id bigint, woo_product_id bigint, action text, fields text[], error text, warning text, key text)
LANGUAGE sql VOLATILE
AS $$
    SELECT * FROM woocommerce._export($1, $2, $3, $4, NULL, $5)
$$;

COMMENT ON FUNCTION woocommerce.export_products(bigint, bigint[], text[], boolean, text[]) IS
'Export the rows of the active export mapping''s source (default woocommerce.product; NULL: all, or these product_ids / keys): only changed fields, batches in parallel, SKU adoption; one row per local row, with a warning when the store did not keep what was sent';

-- update_product and delete_product name one row: by product_id (a row of
-- woocommerce.product) or by key (a row of the export mapping's source).
CREATE FUNCTION woocommerce._require_product_or_key(fn text, product_id bigint, key text)
RETURNS void
LANGUAGE plpgsql STABLE
AS $$
BEGIN
    IF product_id IS NULL AND key IS NULL THEN
        RAISE EXCEPTION '% needs product_id or key', fn
            USING ERRCODE = '22004',
                  HINT = 'Name a row of woocommerce.product by product_id, or a row of the export mapping''s source by key => ''...''.';
    ELSIF product_id IS NOT NULL AND key IS NOT NULL THEN
        RAISE EXCEPTION '% takes product_id or key, not both', fn
            USING ERRCODE = '22023',
                  HINT = 'Name a row of woocommerce.product by product_id, or a row of the export mapping''s source by key => ''...''.';
    END IF;
END
$$;

-- One row, named by product_id (a row of woocommerce.product) or by key (a
-- row of the export mapping's source, as export_products' keys).
CREATE FUNCTION woocommerce._update_one(p_connection_id bigint, p_product_id bigint, p_fields text[], p_key text)
RETURNS TABLE (product_id bigint, woo_product_id bigint, action text, fields text[], error text, warning text, key text)
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    PERFORM woocommerce._require_product_or_key('update_product', p_product_id, p_key);
    RETURN QUERY SELECT * FROM woocommerce.export_products(p_connection_id, CASE WHEN p_product_id IS NOT NULL THEN ARRAY[p_product_id] END,
                                                           p_fields, true,
                                                           CASE WHEN p_key IS NOT NULL THEN ARRAY[p_key] END);
    IF NOT FOUND THEN  -- (a product_id that does not exist is refused by export_products)
        RAISE EXCEPTION 'export source % has no row with key %',
              coalesce((SELECT m.source FROM woocommerce.export_mapping m
                         WHERE m.connection_id = woocommerce.connection_or_default(p_connection_id) AND m.is_active),
                        'woocommerce.product'::regclass), quote_literal(p_key)
            USING ERRCODE = 'P0002', HINT = 'The key is the export mapping''s key_column, compared as text.';
    END IF;
END
$$;

CREATE FUNCTION woocommerce.update_product(connection_id bigint, product_id bigint DEFAULT NULL,
                                           fields text[] DEFAULT NULL, key text DEFAULT NULL)
RETURNS TABLE (product_id bigint, woo_product_id bigint, action text, fields text[], error text, warning text, key text)
LANGUAGE sql VOLATILE
AS $$
    SELECT * FROM woocommerce._update_one($1, $2, $3, $4)
$$;

COMMENT ON FUNCTION woocommerce.update_product(bigint, bigint, text[], text) IS
'Send the changed fields (of `fields`, default the export mapping''s) of one row to the store: a product of woocommerce.product by product_id, or a row of the export mapping''s source by key';

-- CALL sync exports in rounds of keys of the mapping's source: parents
-- first (rows without a parent key), then variations.
CREATE FUNCTION woocommerce._export_round_keys(c woocommerce.connection, variations boolean)
RETURNS text[]
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    m woocommerce.export_mapping;
    source regclass;
    keys text[];
BEGIN
    SELECT * INTO m FROM woocommerce.export_mapping x WHERE x.connection_id = c.id AND x.is_active;
    source := coalesce(m.source, 'woocommerce.product'::regclass);
    EXECUTE format('SELECT array_agg(k ORDER BY o, k) FROM (SELECT (src.%I)::text AS k, %s AS o FROM %s AS src WHERE %s AND (%s) IS %s NULL) x',
                   coalesce(m.key_column, 'id'),
                   CASE WHEN source = 'woocommerce.product'::regclass THEN 'src.id' ELSE '0' END,
                   source,
                   CASE WHEN source = 'woocommerce.product'::regclass THEN 'src.owner = $1' ELSE '$1 IS NOT NULL' END,
                   coalesce(woocommerce._parent_key_expression(m), 'NULL'),
                   CASE WHEN variations THEN 'NOT' ELSE '' END)
       INTO keys USING c.owner;
    RETURN coalesce(keys, '{}');
END
$$;

CREATE OR REPLACE PROCEDURE woocommerce.sync(connection_id bigint, direction text DEFAULT 'export')
LANGUAGE plpgsql
AS $$
DECLARE
    c woocommerce.connection;
    chunk integer;
    keys text[];
    i integer;
    run_id bigint;
    pass integer;
    page integer;
    answer jsonb;
    mark timestamptz;
    previous_mark timestamptz;
    failures integer := 0;
    e_state text;
    e_message text;
    e_detail text;
    e_hint text;
BEGIN
    IF direction IS NULL OR direction NOT IN ('export', 'import', 'both') THEN
        RAISE EXCEPTION 'invalid sync direction "%"', direction
            USING ERRCODE = '22023', HINT = 'Use export, import or both.';
    END IF;
    c := woocommerce.get_connection(woocommerce.connection_or_default(sync.connection_id));
    IF direction IN ('export', 'both') THEN
        run_id := woocommerce._start_run(c, 'export');
        COMMIT;
        FOR pass IN 0..1 LOOP  -- products, then variations
            EXIT WHEN e_state IS NOT NULL;
            BEGIN
                PERFORM woocommerce.require_active_connection(c.id);
                chunk := woocommerce._server_option_int(c.server_name, 'batch_size', 100)
                         * woocommerce._server_option_int(c.server_name, 'concurrency', 4);
                keys := woocommerce._export_round_keys(c, pass = 1);
            EXCEPTION WHEN OTHERS OR query_canceled THEN
                GET STACKED DIAGNOSTICS e_state = RETURNED_SQLSTATE, e_message = MESSAGE_TEXT,
                                        e_detail = PG_EXCEPTION_DETAIL, e_hint = PG_EXCEPTION_HINT;
            END;
            i := 1;
            WHILE e_state IS NULL AND i <= cardinality(keys) LOOP
                BEGIN
                    PERFORM count(*) FROM woocommerce._export(c.id, NULL, NULL, true, run_id, keys[i:i + chunk - 1]);
                EXCEPTION WHEN OTHERS OR query_canceled THEN
                    GET STACKED DIAGNOSTICS e_state = RETURNED_SQLSTATE, e_message = MESSAGE_TEXT,
                                            e_detail = PG_EXCEPTION_DETAIL, e_hint = PG_EXCEPTION_HINT;
                END;
                EXIT WHEN e_state IS NOT NULL;
                i := i + chunk;
                COMMIT;
            END LOOP;
        END LOOP;
        PERFORM woocommerce._finish_run(c, run_id, e_state,
                                        e_message || coalesce(E'\n' || nullif(e_detail, ''), ''));
        COMMIT;
        IF e_state IS NOT NULL THEN
            PERFORM woocommerce._raise_again(e_state, e_message, e_detail, e_hint);
        END IF;
    END IF;
    IF direction IN ('import', 'both') THEN
        run_id := woocommerce._start_run(c, 'import');
        COMMIT;
        BEGIN
            PERFORM woocommerce.require_active_connection(c.id);
            chunk := woocommerce._server_option_int(c.server_name, 'concurrency', 4);
        EXCEPTION WHEN OTHERS OR query_canceled THEN
            GET STACKED DIAGNOSTICS e_state = RETURNED_SQLSTATE, e_message = MESSAGE_TEXT,
                                    e_detail = PG_EXCEPTION_DETAIL, e_hint = PG_EXCEPTION_HINT;
        END;
        page := 1;
        LOOP
            EXIT WHEN e_state IS NOT NULL;
            BEGIN
                answer := woocommerce._import(c.id, NULL, true, NULL, run_id, page, chunk);
            EXCEPTION WHEN OTHERS OR query_canceled THEN
                GET STACKED DIAGNOSTICS e_state = RETURNED_SQLSTATE, e_message = MESSAGE_TEXT,
                                        e_detail = PG_EXCEPTION_DETAIL, e_hint = PG_EXCEPTION_HINT;
            END;
            EXIT WHEN e_state IS NOT NULL;
            mark := greatest(mark, (answer->>'high_water_mark')::timestamp AT TIME ZONE 'UTC');
            previous_mark := (answer->>'previous_mark')::timestamptz;
            failures := failures + coalesce((answer->>'failed')::integer, 0);
            COMMIT;
            page := page + chunk;
            EXIT WHEN page > coalesce((answer->>'total_pages')::integer, 0);
        END LOOP;
        -- Only a run that read every page without a failure moves the mark.
        UPDATE woocommerce.sync_run r
           SET high_water_mark = CASE WHEN failures = 0 AND e_state IS NULL THEN greatest(mark, previous_mark)
                                      ELSE previous_mark END
         WHERE r.id = run_id;
        PERFORM woocommerce._finish_run(c, run_id, e_state,
                                        e_message || coalesce(E'\n' || nullif(e_detail, ''), ''));
        COMMIT;
        IF e_state IS NOT NULL THEN
            PERFORM woocommerce._raise_again(e_state, e_message, e_detail, e_hint);
        END IF;
    END IF;
END
$$;

REVOKE EXECUTE ON FUNCTION
    woocommerce._export(bigint, bigint[], text[], boolean, bigint, text[]),
    woocommerce._export_record(woocommerce.connection, regclass, bigint, bigint),
    woocommerce._export_chunk(woocommerce.connection, woocommerce.export_mapping, regclass, text[], text[], boolean,
                              integer, json, bigint, bigint, json),
    woocommerce._export_chunk_rows(woocommerce.connection, integer),
    woocommerce._export_rows_table(),
    woocommerce._export_round_keys(woocommerce.connection, boolean),
    woocommerce._export_source_query(woocommerce.connection, woocommerce.export_mapping, text[], boolean),
    woocommerce.export_products(bigint, bigint[], text[], boolean, text[]),
    woocommerce.update_product(bigint, bigint, text[], text),
    woocommerce._update_one(bigint, bigint, text[], text),
    woocommerce._require_product_or_key(text, bigint, text)
FROM PUBLIC;
