-- woocommerce_fdw 1.2, webhooks registered through the API: register_webhooks
-- creates or updates the store's webhooks with a fresh secret (kept in the
-- owner's user mapping by the C side, never in SQL), unregister_webhooks
-- removes them, and sync_status and test_connection report webhooks the store
-- has paused or disabled.

CREATE FUNCTION woocommerce._webhook_request(server_name name, operation text, request json)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'woocommerce_webhook_request'
LANGUAGE C STRICT VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION woocommerce._webhook_request(name, text, json) IS
'Internal: register, health or unregister against the store''s wc/v3 webhooks (current role''s user mapping); register keeps the new secret in that mapping';

-- Store webhooks other connections to the same store registered: never
-- adopted by this one. (Row-level security would hide them from the caller.)
CREATE FUNCTION woocommerce._webhooks_claimed(store_url text, except_connection bigint)
RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(array_agg(w.woo_webhook_id ORDER BY w.woo_webhook_id), '{}')
      FROM woocommerce.webhook w JOIN woocommerce.connection c ON c.id = w.connection_id
     WHERE c.store_url = $1 AND c.id <> $2
$$;

-- The store's view of a connection's webhooks, each with a hint when it
-- does not deliver. A store that cannot be asked is reported, not raised.
CREATE FUNCTION woocommerce._webhook_health(c woocommerce.connection)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    ids bigint[];
    answer jsonb;
    message text;
BEGIN
    SELECT array_agg(w.woo_webhook_id ORDER BY w.woo_webhook_id) INTO ids
      FROM woocommerce.webhook w WHERE w.connection_id = c.id;
    IF ids IS NULL THEN
        RETURN '[]';
    END IF;
    BEGIN
        answer := woocommerce._webhook_request(c.server_name, 'health', json_build_object('ids', ids));
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS message = MESSAGE_TEXT;
        RETURN jsonb_build_array(jsonb_build_object(
            'status', 'unknown', 'error', message,
            'hint', 'The store could not be asked about its webhooks; test_connection says why.'));
    END;
    RETURN (SELECT jsonb_agg(x || jsonb_build_object('hint', CASE x->>'status'
               WHEN 'disabled' THEN
                   'WooCommerce disabled it after more than five failed deliveries. Fix the receiver, then run '
                   || format('woocommerce.register_webhooks(%s, ...) again (it re-activates them) and an import to catch up.', c.id)
               WHEN 'paused' THEN
                   'Paused in the store (WooCommerce > Settings > Advanced > Webhooks): deliveries stop until it is active again; '
                   || format('woocommerce.register_webhooks(%s, ...) re-activates it.', c.id)
               WHEN 'missing' THEN
                   'Deleted in the store: ' || format('run woocommerce.register_webhooks(%s, ...) again.', c.id)
               END) ORDER BY (x->>'id')::bigint)
              FROM jsonb_array_elements(answer->'webhooks') x);
END
$$;

COMMENT ON FUNCTION woocommerce._webhook_health(woocommerce.connection) IS
'Internal: the status the store reports for each webhook the connection registered, with a hint for those that do not deliver';

CREATE FUNCTION woocommerce.register_webhooks(
    connection_id bigint,
    delivery_url text,
    topics text[] DEFAULT ARRAY['product.created', 'product.updated', 'product.deleted', 'product.restored'])
RETURNS SETOF bigint
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    c woocommerce.connection := woocommerce.require_active_connection(register_webhooks.connection_id);
    url text := btrim(coalesce(delivery_url, ''));
    answer jsonb;
BEGIN
    IF c.owner <> woocommerce.current_owner() THEN
        RAISE EXCEPTION 'webhooks of connection % are registered by its owner, %', c.id, c.owner
            USING ERRCODE = '42501',
                  HINT = format('The webhook secret goes into the owner''s user mapping: SET ROLE %s first.', c.owner);
    END IF;
    IF url !~* '^https?://[^/?#[:space:]]+([/?][^[:space:]]*)?$' THEN
        RAISE EXCEPTION 'invalid delivery URL "%"', url
            USING ERRCODE = '22023',
                  HINT = 'Give the https:// address the store can reach the receiver at, e.g. https://db.example.com/woocommerce/webhook.';
    END IF;
    IF topics IS NULL OR array_position(topics, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'topics must be an array of webhook topics without NULLs' USING ERRCODE = '22004';
    END IF;
    answer := woocommerce._webhook_request(c.server_name, 'register', json_build_object(
        'delivery_url', url,
        'topics', to_json(topics),
        'known', (SELECT coalesce(json_agg(w.woo_webhook_id ORDER BY w.woo_webhook_id), '[]')
                    FROM woocommerce.webhook w WHERE w.connection_id = c.id),
        'claimed', to_json(woocommerce._webhooks_claimed(c.store_url, c.id))));
    DELETE FROM woocommerce.webhook w
     WHERE w.connection_id = c.id
       AND w.woo_webhook_id IN (SELECT x::bigint FROM jsonb_array_elements_text(answer->'missing') x);
    INSERT INTO woocommerce.webhook AS w (connection_id, woo_webhook_id, topic, delivery_url)
    SELECT c.id, (x->>'id')::bigint, x->>'topic', x->>'delivery_url' FROM jsonb_array_elements(answer->'webhooks') x
    ON CONFLICT ON CONSTRAINT webhook_connection_woo_webhook_key DO UPDATE
       SET topic = EXCLUDED.topic, delivery_url = EXCLUDED.delivery_url, updated_at = now();
    RETURN QUERY SELECT (x->>'id')::bigint FROM jsonb_array_elements(answer->'webhooks') x
                  WHERE x->>'topic' = ANY (topics) ORDER BY 1;
END
$$;

COMMENT ON FUNCTION woocommerce.register_webhooks(bigint, text, text[]) IS
'Create or update the store''s webhooks for these topics, delivering to delivery_url, with a fresh secret kept in the owner''s user mapping; returns their store ids';

CREATE FUNCTION woocommerce.unregister_webhooks(connection_id bigint)
RETURNS SETOF bigint
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    c woocommerce.connection := woocommerce.get_connection(unregister_webhooks.connection_id);
    ids bigint[];
    answer jsonb;
BEGIN
    IF c.owner <> woocommerce.current_owner() THEN
        RAISE EXCEPTION 'webhooks of connection % are unregistered by its owner, %', c.id, c.owner
            USING ERRCODE = '42501', HINT = format('SET ROLE %s first.', c.owner);
    END IF;
    SELECT array_agg(w.woo_webhook_id ORDER BY w.woo_webhook_id) INTO ids
      FROM woocommerce.webhook w WHERE w.connection_id = c.id;
    IF ids IS NOT NULL THEN
        answer := woocommerce._webhook_request(c.server_name, 'unregister', json_build_object('ids', ids));
        DELETE FROM woocommerce.webhook w WHERE w.connection_id = c.id;
    END IF;
    -- Without webhooks, no delivery is accepted for this connection.
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_user_mappings u, pg_catalog.pg_options_to_table(u.umoptions) o
                WHERE u.srvname = c.server_name AND u.usename = current_user AND o.option_name = 'webhook_secret') THEN
        PERFORM woocommerce.set_user_mapping(c.server_name, NULL, NULL, '');
    END IF;
    RETURN QUERY SELECT unnest(ids);
END
$$;

COMMENT ON FUNCTION woocommerce.unregister_webhooks(bigint) IS
'Delete the connection''s webhooks from the store (ones already gone are fine) and its webhook secret; returns their store ids';

-- The webhooks' health with a WARNING (and its hint) for each one that does
-- not deliver: what sync_status shows.
CREATE FUNCTION woocommerce._webhook_health_reported(c woocommerce.connection)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    health jsonb := woocommerce._webhook_health(c);
    w jsonb;
BEGIN
    FOR w IN SELECT x FROM jsonb_array_elements(health) x WHERE x->>'status' <> 'active' LOOP
        IF w->>'status' = 'unknown' THEN
            RAISE WARNING 'could not ask the store about the webhooks of connection %', c.id
                USING DETAIL = w->>'error', HINT = w->>'hint';
        ELSE
            RAISE WARNING 'webhook % (%) of connection % is %', w->>'id', coalesce(w->>'topic', 'deleted'), c.id,
                          w->>'status'
                USING HINT = w->>'hint';
        END IF;
    END LOOP;
    RETURN health;
END
$$;

-- sync_status gains the webhooks' state in the store (a column at the end).
DROP FUNCTION woocommerce.sync_status(bigint);
CREATE FUNCTION woocommerce.sync_status(connection_id bigint DEFAULT NULL)
RETURNS TABLE (connection_id bigint, total bigint, synced bigint, pending bigint, error bigint,
               last_synced_at timestamptz, products woocommerce.product_sync[], webhooks jsonb)
LANGUAGE sql VOLATILE
AS $$
    SELECT c.id, count(s.id), count(s.id) FILTER (WHERE s.sync_status = 'synced'),
           count(s.id) FILTER (WHERE s.sync_status = 'pending'), count(s.id) FILTER (WHERE s.sync_status = 'error'),
           c.last_synced_at,
           coalesce(array_agg(s ORDER BY s.product_id) FILTER (WHERE s.id IS NOT NULL), '{}'),
           c.webhooks
      FROM (SELECT x.id, x.last_synced_at, woocommerce._webhook_health_reported(x) AS webhooks
              FROM woocommerce.get_connection(woocommerce.connection_or_default($1)) x) c
      LEFT JOIN woocommerce.product_sync s ON s.connection_id = c.id
     GROUP BY c.id, c.last_synced_at, c.webhooks
$$;

COMMENT ON FUNCTION woocommerce.sync_status(bigint) IS
'Counts of a connection''s sync rows by status, the rows themselves (unnest(products)), and its webhooks as the store reports them (a WARNING for those that do not deliver)';

CREATE OR REPLACE FUNCTION woocommerce.test_connection(connection_id bigint)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    c woocommerce.connection := woocommerce.get_connection(connection_id);
    -- (hints name update_connection: 60_tests_fixes.sql)
    answer jsonb := woocommerce._test_connection_server(c.server_name, c.id);
    health jsonb;
    problem jsonb;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM woocommerce.webhook w WHERE w.connection_id = c.id) THEN
        RETURN answer;
    END IF;
    health := woocommerce._webhook_health(c);
    answer := answer || jsonb_build_object('webhooks', health);
    SELECT x INTO problem FROM jsonb_array_elements(health) x WHERE x->>'status' <> 'active' LIMIT 1;
    IF problem IS NOT NULL THEN
        answer := answer || jsonb_build_object(
            'webhook_warning', format('%s of %s webhooks do not deliver (webhook %s is %s)',
                                      (SELECT count(*) FROM jsonb_array_elements(health) x WHERE x->>'status' <> 'active'),
                                      jsonb_array_length(health), coalesce(problem->>'id', '?'), problem->>'status'),
            'webhook_hint', problem->>'hint');
    END IF;
    RETURN answer;
END
$$;

REVOKE EXECUTE ON FUNCTION
    woocommerce._webhook_request(name, text, json),
    woocommerce._webhooks_claimed(text, bigint),
    woocommerce._webhook_health(woocommerce.connection),
    woocommerce._webhook_health_reported(woocommerce.connection),
    woocommerce.register_webhooks(bigint, text, text[]),
    woocommerce.unregister_webhooks(bigint),
    woocommerce.sync_status(bigint)
FROM PUBLIC;
