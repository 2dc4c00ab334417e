-- woocommerce_fdw 1.2, issue 17 part 1: an export records what the store
-- answered, not what was sent. The engine (src/core/sync, woo/store_rules)
-- compares every product's answer with its payload; a field the store
-- dropped or changed keeps the store's value in last_exchanged (so the next
-- export sends it again) and is reported:
--   * in the result: `warning` (action stays created / updated: the write
--     happened);
--   * in product_sync: sync_status 'pending' (the store does not hold the
--     local value) and last_error = the warning;
--   * in sync_run: `warnings` counts them, `errors` lists them.
-- A sale price the store keeps without applying it is a warning too, but
-- the product stays 'synced' (the store holds what was sent).

ALTER TABLE woocommerce.sync_run
    ADD COLUMN warnings integer NOT NULL DEFAULT 0 CHECK (warnings >= 0);

COMMENT ON COLUMN woocommerce.sync_run.warnings IS
'Exports: products the store did not keep as sent, or kept without applying (listed in errors with "warning")';

-- The result gains `warning`: the function is dropped and created again.
DROP FUNCTION woocommerce.update_product(bigint, bigint, text[]);
DROP FUNCTION woocommerce.export_products(bigint, bigint[], text[], boolean);

CREATE OR REPLACE FUNCTION woocommerce._export(p_connection_id bigint, p_product_ids bigint[], p_fields text[],
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

    -- What the store answered: a product whose answer differs from what was
    -- sent is 'pending' (sent again next time), its warning in last_error.
    INSERT INTO woocommerce.product_sync AS s
           (connection_id, product_id, woo_product_id, last_exported_at, last_modified_fields, last_exchanged,
            sync_status, last_error)
    SELECT c.id, r.product_id, r.woo_product_id,
           CASE WHEN r.action IN ('created', 'updated') THEN now() END,
           coalesce(r.fields, '{}'), r.exchanged,
           CASE WHEN r.action = 'failed' THEN 'error' WHEN r.drifted THEN 'pending' ELSE 'synced' END,
           coalesce(r.error, r.warning)
      FROM jsonb_to_recordset(answer->'results')
           AS r(product_id bigint, woo_product_id bigint, action text, fields text[], error text, warning text,
                drifted boolean, exchanged jsonb)
     WHERE r.action <> 'unchanged'
    ON CONFLICT (connection_id, product_id) DO UPDATE
       SET woo_product_id = coalesce(EXCLUDED.woo_product_id, s.woo_product_id),
           last_exported_at = coalesce(EXCLUDED.last_exported_at, s.last_exported_at),
           last_modified_fields = CASE WHEN EXCLUDED.sync_status <> 'error' THEN EXCLUDED.last_modified_fields
                                       ELSE s.last_modified_fields END,
           last_exchanged = coalesce(EXCLUDED.last_exchanged, s.last_exchanged),
           sync_status = EXCLUDED.sync_status,
           last_error = EXCLUDED.last_error;

    UPDATE woocommerce.product_sync s SET sync_status = 'synced', last_error = NULL
      FROM jsonb_to_recordset(answer->'results') AS r(product_id bigint, action text)
     WHERE r.action = 'unchanged' AND s.connection_id = c.id AND s.product_id = r.product_id
       AND (s.sync_status <> 'synced' OR s.last_error IS NOT NULL);

    SELECT coalesce(jsonb_agg(e), '[]') INTO errors
      FROM (SELECT jsonb_build_object('product_id', r.product_id, 'error', r.error) AS e
              FROM jsonb_to_recordset(answer->'results') AS r(product_id bigint, action text, error text)
             WHERE r.action = 'failed' LIMIT 100) x;
    errors := errors || coalesce(answer->'warnings', '[]');
    PERFORM woocommerce._record_run(c, 'export', p_run_id, started, answer,
                                    jsonb_build_object('created', answer->'created', 'updated', answer->'updated',
                                                       'unchanged', answer->'unchanged', 'failed', answer->'failed',
                                                       'warnings', answer->'warned',
                                                       'errors', errors));
    RETURN answer->'results';
END
$$;

CREATE FUNCTION woocommerce.export_products(
    connection_id bigint DEFAULT NULL,
    product_ids bigint[] DEFAULT NULL,
    fields text[] DEFAULT NULL,
    only_changed boolean DEFAULT true)
RETURNS TABLE (product_id bigint, woo_product_id bigint, action text, fields text[], error text, warning text)
LANGUAGE sql VOLATILE
AS $$
    SELECT r.product_id, r.woo_product_id, r.action, r.fields, r.error, r.warning
      FROM jsonb_to_recordset(woocommerce._export($1, $2, $3, $4))
           AS r(product_id bigint, woo_product_id bigint, action text, fields text[], error text, warning text)
$$;

COMMENT ON FUNCTION woocommerce.export_products(bigint, bigint[], text[], boolean) IS
'Export the connection owner''s products (NULL: all) to the store: only changed fields, batches of up to 100 in parallel, SKU adoption; one row per product, with a warning when the store did not keep what was sent';

CREATE FUNCTION woocommerce.update_product(connection_id bigint, product_id bigint, fields text[] DEFAULT NULL)
RETURNS TABLE (product_id bigint, woo_product_id bigint, action text, fields text[], error text, warning text)
LANGUAGE sql VOLATILE
AS $$
    SELECT * FROM woocommerce.export_products($1, ARRAY[$2], $3, true)
$$;

COMMENT ON FUNCTION woocommerce.update_product(bigint, bigint, text[]) IS
'Send the changed fields (of `fields`, default the export mapping''s) of one product to the store';

REVOKE EXECUTE ON FUNCTION woocommerce.export_products(bigint, bigint[], text[], boolean),
                           woocommerce.update_product(bigint, bigint, text[]) FROM PUBLIC;
