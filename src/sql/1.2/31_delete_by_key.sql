-- woocommerce_fdw 1.2, issue 12: delete_product names a row of any export
-- source by its key, as update_product and export_products do.
--
-- The store id comes from product_sync (connection, source, key). A
-- variation is deleted under its parent's store id: its parent key comes
-- from the source row (the mapping's parent key expression), so a row that
-- is already gone from a source with variations cannot say whether it was
-- one; the error says how to delete it through a foreign table instead.

DROP FUNCTION woocommerce.delete_product(bigint, bigint, boolean);
DROP FUNCTION woocommerce._delete(bigint, bigint, boolean);

-- The row's parent key in the export source: NULL for a row without a
-- parent; an error when the source has no such row and variations.
CREATE FUNCTION woocommerce._delete_parent_key(c woocommerce.connection, m woocommerce.export_mapping, p_key text)
RETURNS text
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    source regclass := coalesce(m.source, 'woocommerce.product'::regclass);
    found_row boolean;
    parent_key text;
BEGIN
    IF woocommerce._parent_key_expression(m) IS NULL THEN
        RETURN NULL;  -- no variations in this source
    END IF;
    EXECUTE format('SELECT true, r.parent_key FROM (%s) r',
                   woocommerce._export_source_query(c, m, ARRAY['name', 'sku'], false))
       INTO found_row, parent_key
      USING c.owner, ARRAY[p_key];
    IF found_row IS NULL THEN
        RAISE EXCEPTION 'export source % has no row with key %', source, quote_literal(p_key)
            USING ERRCODE = 'P0002',
                  DETAIL = 'Without the row its parent key is unknown, and a variation is deleted under its parent.',
                  HINT = 'Delete it through a foreign table instead: DELETE FROM products WHERE id = ... (or variations, with parent_id).';
    END IF;
    RETURN parent_key;
END
$$;

CREATE FUNCTION woocommerce._delete(p_connection_id bigint, p_product_id bigint, p_force boolean, p_key text)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    started timestamptz := clock_timestamp();
    c woocommerce.connection;
    m woocommerce.export_mapping;
    src regclass := 'woocommerce.product'::regclass;
    k text;
    parent_key text;
    s woocommerce.product_sync;
    parent_woo bigint;
    answer jsonb;
BEGIN
    c := woocommerce.require_active_connection(woocommerce.connection_or_default(p_connection_id));
    PERFORM woocommerce._require_product_or_key('delete_product', p_product_id, p_key);
    IF p_product_id IS NOT NULL THEN
        PERFORM woocommerce._check_products(c, ARRAY[p_product_id]);
        k := p_product_id::text;
        SELECT x.parent_id::text INTO parent_key FROM woocommerce.product x WHERE x.id = p_product_id;
    ELSE
        SELECT * INTO m FROM woocommerce.export_mapping x WHERE x.connection_id = c.id AND x.is_active;
        src := coalesce(m.source, src);
        k := p_key;
        IF src = 'woocommerce.product'::regclass THEN
            -- The key is the product's id: the same checks as product_id.
            IF k !~ '^[0-9]{1,18}$' THEN
                RAISE EXCEPTION 'export source woocommerce.product has no row with key %', quote_literal(k)
                    USING ERRCODE = 'P0002', HINT = 'Its key is the product''s id.';
            END IF;
            PERFORM woocommerce._check_products(c, ARRAY[k::bigint]);
            SELECT x.parent_id::text INTO parent_key FROM woocommerce.product x WHERE x.id = k::bigint;
        ELSE
            parent_key := woocommerce._delete_parent_key(c, m, k);
        END IF;
    END IF;
    SELECT * INTO s FROM woocommerce.product_sync x WHERE x.connection_id = c.id AND x.source = src AND x.key = k;
    IF s.woo_product_id IS NULL THEN
        RAISE EXCEPTION '% is not in the store of connection %',
              CASE WHEN p_product_id IS NOT NULL THEN format('product %s', p_product_id)
                   ELSE format('the row of %s with key %s', src, quote_literal(k)) END, c.id
            USING ERRCODE = '42704', HINT = 'Only exported or imported products can be deleted from the store.';
    END IF;
    IF parent_key IS NOT NULL THEN
        SELECT x.woo_product_id INTO parent_woo FROM woocommerce.product_sync x
         WHERE x.connection_id = c.id AND x.source = src AND x.key = parent_key;
        IF parent_woo IS NULL THEN
            RAISE EXCEPTION 'the parent of % is not in the store of connection %', quote_literal(k), c.id
                USING ERRCODE = '42704', DETAIL = format('Parent key: %s.', parent_key),
                      HINT = 'A variation is deleted under its parent''s store id; export the parent first, or delete it through the variations foreign table.';
        END IF;
    END IF;
    answer := woocommerce._sync_request(c.server_name, 'delete', json_build_object(
        'woo_product_id', s.woo_product_id, 'parent_woo_id', parent_woo, 'force', coalesce(p_force, false)));
    -- The local row stays; its link to the store is gone (a later export
    -- creates it again). A variable product deleted for good takes its
    -- variations with it: their links go too.
    PERFORM woocommerce._delete_unlink(c, m, src, k, answer->>'action' = 'deleted' AND parent_key IS NULL);
    PERFORM woocommerce._record_run(c, 'export', NULL, started, answer, jsonb_build_object('deleted', 1));
    RETURN jsonb_build_array(jsonb_build_object('product_id', p_product_id, 'key', k, 'woo_product_id', s.woo_product_id,
                                                'action', answer->>'action', 'note', answer->>'note'));
END
$$;

-- The row's sync row forgets its store id (status pending: a later export
-- creates it again); with `variations` (a variable product deleted for
-- good), so do the rows of the same source whose parent key is `k`.
CREATE FUNCTION woocommerce._delete_unlink(c woocommerce.connection, m woocommerce.export_mapping,
                                           src regclass, k text, variations boolean)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    keys text[] := ARRAY[k];
BEGIN
    IF variations AND src = 'woocommerce.product'::regclass THEN
        keys := keys || ARRAY(SELECT v.id::text FROM woocommerce.product v WHERE v.parent_id::text = k);
    ELSIF variations AND woocommerce._parent_key_expression(m) IS NOT NULL THEN
        EXECUTE format('SELECT $4 || coalesce(array_agg(r.key), ''{}'') FROM (%s) r WHERE r.parent_key = $3',
                       woocommerce._export_source_query(c, m, ARRAY['name', 'sku'], false))
           INTO keys USING c.owner, NULL::text[], k, keys;
    END IF;
    UPDATE woocommerce.product_sync x
       SET woo_product_id = NULL, last_exchanged = NULL, last_modified_fields = '{}', sync_status = 'pending',
           last_error = NULL, local_hash = NULL
     WHERE x.connection_id = c.id AND x.source = src AND x.key = ANY (keys);
END
$$;

CREATE FUNCTION woocommerce.delete_product(connection_id bigint, product_id bigint DEFAULT NULL,
                                           force boolean DEFAULT false, key text DEFAULT NULL)
RETURNS TABLE (product_id bigint, woo_product_id bigint, action text, note text, key text)
LANGUAGE sql VOLATILE
AS $$
    SELECT r.product_id, r.woo_product_id, r.action, r.note, r.key
      FROM jsonb_to_recordset(woocommerce._delete($1, $2, $3, $4))
           AS r(product_id bigint, woo_product_id bigint, action text, note text, key text)
$$;

COMMENT ON FUNCTION woocommerce.delete_product(bigint, bigint, boolean, text) IS
'Move a product to the store''s trash (force: delete it for good; variations always are), named by product_id (woocommerce.product) or by key (a row of the export mapping''s source); the sync row forgets the store id';

REVOKE EXECUTE ON FUNCTION
    woocommerce.delete_product(bigint, bigint, boolean, text),
    woocommerce._delete(bigint, bigint, boolean, text),
    woocommerce._delete_parent_key(woocommerce.connection, woocommerce.export_mapping, text),
    woocommerce._delete_unlink(woocommerce.connection, woocommerce.export_mapping, regclass, text, boolean)
FROM PUBLIC;
