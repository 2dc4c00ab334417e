-- woocommerce_fdw 1.2, issue 12 part 4: conflicts.
--
-- A product changed on both sides since the last exchange (its store
-- version is newer than last_exchanged and holds other values, and the
-- local row differs from last_exchanged too) is decided by the
-- connection's conflict_policy: pim_wins (the export overwrites; no
-- request is spent looking), store_wins (the export skips it; the next
-- import takes the store's values) or manual (skipped, recorded with both
-- versions in product_sync.conflict, listed by woocommerce.conflict, and
-- kept until woocommerce.resolve_conflict).

-- With the privileges of the role that reads it: row-level security of
-- product_sync applies (security_invoker).
CREATE VIEW woocommerce.conflict WITH (security_invoker = true) AS
SELECT s.connection_id, s.source, s.key, s.product_id, s.woo_product_id,
       ARRAY(SELECT jsonb_array_elements_text(s.conflict->'fields')) AS fields,
       s.conflict->'local' AS local_values, s.conflict->'store' AS store_values,
       (s.conflict->>'store_modified')::timestamp AT TIME ZONE 'UTC' AS store_modified_at,
       s.updated_at AS detected_at
  FROM woocommerce.product_sync s
 WHERE s.sync_status = 'conflict';

COMMENT ON VIEW woocommerce.conflict IS
'Products changed on both sides since the last exchange (conflict_policy manual): both versions of the fields; resolve with woocommerce.resolve_conflict';

-- keep 'local': the next export sends the local values (the store's version
-- counts as exchanged). keep 'store': the store's product is imported now
-- through the active import mapping, which must write the export's source.
CREATE FUNCTION woocommerce.resolve_conflict(connection_id bigint, key text, keep text)
RETURNS text
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    c woocommerce.connection := woocommerce.require_active_connection(connection_id);
    s woocommerce.product_sync;
    v_source regclass;
    v_target regclass;
BEGIN
    IF keep IS NULL OR keep NOT IN ('local', 'store') THEN
        RAISE EXCEPTION 'invalid value "%" for keep', keep
            USING ERRCODE = '22023', HINT = 'keep => ''local'' (the next export overwrites the store) or ''store'' (the store''s product is imported).';
    END IF;
    SELECT x.source INTO v_source FROM woocommerce.export_mapping x WHERE x.connection_id = c.id AND x.is_active;
    v_source := coalesce(v_source, 'woocommerce.product'::regclass);
    SELECT * INTO s FROM woocommerce.product_sync x
     WHERE x.connection_id = c.id AND x.source = v_source AND x.key = resolve_conflict.key AND x.sync_status = 'conflict';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no conflict for key "%" of connection %', resolve_conflict.key, c.id
            USING ERRCODE = '42704', HINT = 'SELECT * FROM woocommerce.conflict lists the conflicts.';
    END IF;
    IF keep = 'local' THEN
        UPDATE woocommerce.product_sync x
           SET last_exchanged = coalesce(x.last_exchanged, '{}') || (s.conflict->'store')
                                || jsonb_build_object('date_modified_gmt', s.conflict->'store_modified'),
               sync_status = 'pending', last_error = NULL
         WHERE x.id = s.id;
        RETURN 'local: the next export sends the local values';
    END IF;
    SELECT x.target INTO v_target FROM woocommerce.import_mapping x WHERE x.connection_id = c.id AND x.is_active;
    v_target := coalesce(v_target, 'woocommerce.product'::regclass);
    IF v_target <> v_source THEN
        RAISE EXCEPTION 'the import of connection % writes %, not the export''s source %', c.id, v_target, v_source
            USING ERRCODE = '55000',
                  HINT = 'Activate an import mapping whose target is the export''s source, or copy the store''s values (woocommerce.conflict) yourself and resolve with keep => ''local''.';
    END IF;
    UPDATE woocommerce.product_sync x SET sync_status = 'pending', last_error = NULL WHERE x.id = s.id;
    PERFORM 1 FROM woocommerce.import_products(c.id, ARRAY[s.woo_product_id]);
    RETURN 'store: the store''s product was imported';
END
$$;

COMMENT ON FUNCTION woocommerce.resolve_conflict(bigint, text, text) IS
'Resolve a conflict: keep ''local'' (the next export overwrites the store) or ''store'' (import the store''s product now)';

REVOKE ALL ON woocommerce.conflict FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION woocommerce.resolve_conflict(bigint, text, text) FROM PUBLIC;
