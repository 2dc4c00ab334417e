-- woocommerce_fdw 1.2, issue 17 part 2: runs that tell the truth.
--
-- What is recorded when:
--  * The function forms (export_products, import_products, update_product,
--    delete_product) are one statement in the caller's transaction. When
--    they complete, their sync_run row says 'completed' and the
--    connection's last_synced_at moves. When they fail they raise the error:
--    the caller's transaction is rolled back, and their sync_run row with
--    it (a function cannot commit). The caller sees the error; nothing
--    claims a success.
--  * CALL woocommerce.sync (and so every pg_cron schedule) commits a
--    'running' row first. A failure in any round is caught, the row is
--    marked 'failed' with the error's SQLSTATE and message and committed,
--    and the error is raised again (pg_cron records the job as failed).
--    last_synced_at moves only when a run completes.
--  * A run whose session ended before it finished (pg_terminate_backend, a
--    crash) stays 'running' until the next CALL of the connection marks it
--    'failed' ("interrupted").
-- Counts add up: created + updated + unchanged + skipped + failed is every
-- product the run read (imports) or considered (exports).

ALTER TABLE woocommerce.sync_run
    ADD COLUMN status text NOT NULL DEFAULT 'completed',
    ADD COLUMN error text,
    ADD COLUMN sqlstate text,
    ADD COLUMN pid integer;
ALTER TABLE woocommerce.sync_run
    ALTER COLUMN status SET DEFAULT 'running',
    ADD CONSTRAINT sync_run_status_check CHECK (status IN ('running', 'completed', 'failed')),
    ADD CONSTRAINT sync_run_error_check CHECK ((status = 'failed') = (error IS NOT NULL));
CREATE INDEX sync_run_connection_status_idx ON woocommerce.sync_run (connection_id, status, id);

COMMENT ON COLUMN woocommerce.sync_run.status IS
'running (a CALL in progress), completed, or failed (error and sqlstate say why)';
COMMENT ON COLUMN woocommerce.sync_run.error IS 'Why a failed run stopped: the error''s message (and detail)';
COMMENT ON COLUMN woocommerce.sync_run.sqlstate IS 'The SQLSTATE of the error that stopped a failed run';
COMMENT ON COLUMN woocommerce.sync_run.pid IS 'The backend running a CALL woocommerce.sync (to tell an interrupted run)';

-- Counts of a run into its sync_run row. Without run_id (a function form),
-- a new row, completed with this statement, and last_synced_at moves; with
-- run_id (a round of CALL woocommerce.sync), the counts are added and
-- _finish_run completes the row.
CREATE OR REPLACE FUNCTION woocommerce._record_run(c woocommerce.connection, direction text, run_id bigint,
                                                   started timestamptz, answer jsonb, counts jsonb,
                                                   high_water_mark timestamptz DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    run bigint := run_id;
BEGIN
    IF run IS NULL THEN
        INSERT INTO woocommerce.sync_run (connection_id, direction, started_at, status)
        VALUES (c.id, direction, started, 'completed')
        RETURNING sync_run.id INTO run;
    END IF;
    UPDATE woocommerce.sync_run r
       SET finished_at = CASE WHEN run_id IS NULL THEN greatest(clock_timestamp(), r.started_at) END,
           created = r.created + coalesce((counts->>'created')::int, 0),
           updated = r.updated + coalesce((counts->>'updated')::int, 0),
           unchanged = r.unchanged + coalesce((counts->>'unchanged')::int, 0),
           skipped = r.skipped + coalesce((counts->>'skipped')::int, 0),
           failed = r.failed + coalesce((counts->>'failed')::int, 0),
           deleted = r.deleted + coalesce((counts->>'deleted')::int, 0),
           warnings = r.warnings + coalesce((counts->>'warnings')::int, 0),
           requests = r.requests + coalesce((answer->>'requests')::int, 0),
           bytes = r.bytes + coalesce((answer->>'bytes')::bigint, 0),
           errors = CASE WHEN jsonb_array_length(r.errors) < 100
                         THEN r.errors || coalesce(counts->'errors', '[]') ELSE r.errors END,
           high_water_mark = coalesce(_record_run.high_water_mark, r.high_water_mark)
     WHERE r.id = run;
    IF run_id IS NULL THEN
        UPDATE woocommerce.connection x SET last_synced_at = now() WHERE x.id = c.id;
    END IF;
    RETURN run;
END
$$;

-- A run of CALL woocommerce.sync begins: a 'running' row with this
-- backend's pid. Runs of the connection left 'running' by a session that is
-- gone are marked failed first.
CREATE FUNCTION woocommerce._start_run(c woocommerce.connection, direction text)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    run bigint;
BEGIN
    UPDATE woocommerce.sync_run r
       SET status = 'failed', finished_at = greatest(clock_timestamp(), r.started_at),
           error = 'the run was interrupted: its session ended before it finished'
     WHERE r.connection_id = c.id AND r.status = 'running'
       AND (r.pid IS NULL OR r.pid = pg_backend_pid()
            OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_activity a WHERE a.pid = r.pid));
    INSERT INTO woocommerce.sync_run (connection_id, direction, started_at, status, pid)
    VALUES (c.id, direction, clock_timestamp(), 'running', pg_backend_pid())
    RETURNING id INTO run;
    RETURN run;
END
$$;

-- A run of CALL woocommerce.sync ends: completed (error NULL; the
-- connection's last_synced_at moves) or failed.
CREATE FUNCTION woocommerce._finish_run(c woocommerce.connection, run_id bigint, error_sqlstate text, error text)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    UPDATE woocommerce.sync_run r
       SET finished_at = greatest(clock_timestamp(), r.started_at),
           status = CASE WHEN _finish_run.error IS NULL THEN 'completed' ELSE 'failed' END,
           error = _finish_run.error, sqlstate = error_sqlstate
     WHERE r.id = run_id;
    IF error IS NULL THEN
        UPDATE woocommerce.connection x SET last_synced_at = clock_timestamp() WHERE x.id = c.id;
    END IF;
END
$$;

-- Raises an error again from its parts (an empty detail or hint is left out).
CREATE FUNCTION woocommerce._raise_again(error_sqlstate text, message text, detail text, hint text)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    IF coalesce(detail, '') <> '' AND coalesce(hint, '') <> '' THEN
        RAISE EXCEPTION USING ERRCODE = error_sqlstate, MESSAGE = message, DETAIL = detail, HINT = hint;
    ELSIF coalesce(detail, '') <> '' THEN
        RAISE EXCEPTION USING ERRCODE = error_sqlstate, MESSAGE = message, DETAIL = detail;
    ELSIF coalesce(hint, '') <> '' THEN
        RAISE EXCEPTION USING ERRCODE = error_sqlstate, MESSAGE = message, HINT = hint;
    ELSE
        RAISE EXCEPTION USING ERRCODE = error_sqlstate, MESSAGE = message;
    END IF;
END
$$;

-- Imports: a product read again in the overlap window, unchanged since the
-- last import, is counted and reported as 'unchanged' (it was read; nothing
-- was written). The incremental mark comes from the last completed import.
CREATE OR REPLACE FUNCTION woocommerce._import(p_connection_id bigint, p_woo_product_ids bigint[], p_update_existing boolean,
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
        'modified_after', to_char(since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
        'attribute_mappings', coalesce(m.attribute_mappings, '{}'),
        'field_mappings', coalesce(m.field_mappings, '{}'),
        'page_from', p_page_from,
        'page_count', p_page_count));

    results := woocommerce._import_apply(c, answer->'rows', coalesce(p_update_existing, true), incremental);
    -- Rows _import_apply left out were read again unchanged (the overlap).
    SELECT results || coalesce(jsonb_agg(jsonb_build_object('woo_product_id', x.woo_id, 'product_id', s.product_id,
                                                            'action', 'unchanged', 'error', NULL) ORDER BY x.o), '[]')
      INTO results
      FROM (SELECT (t.e->>'woo_product_id')::bigint AS woo_id, t.o
              FROM jsonb_array_elements(answer->'rows') WITH ORDINALITY AS t(e, o)
             WHERE NOT EXISTS (SELECT 1 FROM jsonb_to_recordset(results) AS r(woo_product_id bigint)
                                WHERE r.woo_product_id = (t.e->>'woo_product_id')::bigint)) x
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

-- The export or import as a procedure that commits after every round of
-- batches (export) or of pages (import): stopped anywhere, it keeps what is
-- done and loses at most the round in flight; the next run goes on from
-- there. Its sync_run row is committed as 'running' before the first
-- request and says 'completed' or 'failed' at the end; a failure is raised
-- again after it is recorded.
CREATE OR REPLACE PROCEDURE woocommerce.sync(connection_id bigint, direction text DEFAULT 'export')
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
        BEGIN
            PERFORM woocommerce.require_active_connection(c.id);
            chunk := woocommerce._server_option_int(c.server_name, 'batch_size', 100)
                     * woocommerce._server_option_int(c.server_name, 'concurrency', 4);
        EXCEPTION WHEN OTHERS OR query_canceled THEN
            GET STACKED DIAGNOSTICS e_state = RETURNED_SQLSTATE, e_message = MESSAGE_TEXT,
                                    e_detail = PG_EXCEPTION_DETAIL, e_hint = PG_EXCEPTION_HINT;
        END;
        FOR pass IN 0..1 LOOP  -- products, then variations
            EXIT WHEN e_state IS NOT NULL;
            last_id := 0;
            LOOP
                SELECT array_agg(x.id ORDER BY x.id) INTO ids
                  FROM (SELECT p.id FROM woocommerce.product p
                         WHERE p.owner = c.owner AND (p.parent_id IS NOT NULL) = (pass = 1) AND p.id > last_id
                         ORDER BY p.id LIMIT chunk) x;
                EXIT WHEN ids IS NULL;
                BEGIN
                    PERFORM woocommerce._export(c.id, ids, NULL, true, run_id);
                EXCEPTION WHEN OTHERS OR query_canceled THEN
                    GET STACKED DIAGNOSTICS e_state = RETURNED_SQLSTATE, e_message = MESSAGE_TEXT,
                                            e_detail = PG_EXCEPTION_DETAIL, e_hint = PG_EXCEPTION_HINT;
                END;
                EXIT WHEN e_state IS NOT NULL;
                last_id := ids[cardinality(ids)];
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

COMMENT ON PROCEDURE woocommerce.sync(bigint, text) IS
'Export, import or both for a connection, committing after every round of batches or pages (for long runs and pg_cron); its sync_run row says running, completed or failed';

REVOKE EXECUTE ON FUNCTION
    woocommerce._start_run(woocommerce.connection, text),
    woocommerce._finish_run(woocommerce.connection, bigint, text, text),
    woocommerce._raise_again(text, text, text, text)
FROM PUBLIC;
