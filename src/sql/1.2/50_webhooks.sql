-- woocommerce_fdw 1.2, webhooks in: the tables that remember registered
-- webhooks, every delivery attempt and the queued events, and
-- woocommerce.receive_webhook, which checks a delivery and applies it.
--
-- Who does what: receive_webhook runs as the extension's owner (SECURITY
-- DEFINER), because a delivery must find its connection whoever owns it. It
-- never applies anything with those rights: product changes run as the
-- connection's owner (woocommerce._webhook_apply_as switches to that role
-- for the call), so row-level security, GRANTs and the owner's user mapping
-- apply exactly as if the owner had imported the product.
-- The webhook secret is read in C from the owner's user mapping and never
-- passes through SQL.

-- Tables -------------------------------------------------------------------------

CREATE TABLE woocommerce.webhook (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    connection_id bigint NOT NULL REFERENCES woocommerce.connection (id) ON DELETE CASCADE,
    woo_webhook_id bigint NOT NULL CHECK (woo_webhook_id > 0),
    topic text NOT NULL,
    delivery_url text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT webhook_connection_woo_webhook_key UNIQUE (connection_id, woo_webhook_id)
);
CREATE INDEX webhook_woo_webhook_idx ON woocommerce.webhook (woo_webhook_id);

COMMENT ON TABLE woocommerce.webhook IS
'The store webhooks a connection registered (register_webhooks): a delivery is accepted only from one of them. Their state in the store (active, paused, disabled) is what sync_status and test_connection ask the store for';

CREATE TABLE woocommerce.webhook_setting (
    connection_id bigint PRIMARY KEY REFERENCES woocommerce.connection (id) ON DELETE CASCADE,
    on_product_deleted text NOT NULL DEFAULT 'mark' CHECK (on_product_deleted IN ('mark', 'flag', 'delete')),
    updated_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE woocommerce.webhook_setting IS
'Per connection: what a product.deleted delivery does to the local product (mark: only the sync row; flag: status trash; delete: the row)';

-- Every delivery attempt, accepted or not. Never the body: a refused body is
-- hostile or broken, an accepted one is applied or queued.
CREATE TABLE woocommerce.webhook_delivery (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    connection_id bigint REFERENCES woocommerce.connection (id) ON DELETE CASCADE,
    woo_webhook_id bigint,
    delivery_id text,
    signature text,
    topic text,
    resource_id bigint,
    source text,
    received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    outcome text NOT NULL CHECK (outcome IN ('applied', 'queued', 'ignored', 'duplicate', 'refused', 'failed')),
    http_status integer NOT NULL,
    reason text,
    detail text
);
-- WooCommerce's delivery id is wp_hash(webhook id . current second): two
-- deliveries of one webhook within a second share it. The signature tells
-- their bodies apart, so a delivery is the same one only when both match.
CREATE UNIQUE INDEX webhook_delivery_once ON woocommerce.webhook_delivery (connection_id, woo_webhook_id, delivery_id, signature)
    WHERE outcome IN ('applied', 'queued', 'ignored');
CREATE INDEX webhook_delivery_connection_idx ON woocommerce.webhook_delivery (connection_id, received_at);

COMMENT ON TABLE woocommerce.webhook_delivery IS
'Every webhook delivery attempt with its outcome and the HTTP status answered (never the body); connection_id is NULL when no connection matched';
COMMENT ON COLUMN woocommerce.webhook_delivery.signature IS
'X-WC-Webhook-Signature as sent (a MAC of the body, not a secret): with delivery_id it identifies a delivery for de-duplication';

CREATE TABLE woocommerce.webhook_event (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    connection_id bigint NOT NULL REFERENCES woocommerce.connection (id) ON DELETE CASCADE,
    topic text NOT NULL,
    resource_id bigint,
    received_at timestamptz NOT NULL DEFAULT now(),
    payload jsonb NOT NULL,
    processed_at timestamptz
);
CREATE INDEX webhook_event_pending_idx ON woocommerce.webhook_event (connection_id, id) WHERE processed_at IS NULL;

COMMENT ON TABLE woocommerce.webhook_event IS
'Verified order.*, customer.*, coupon.* and action.* deliveries, for your own triggers or jobs: set processed_at (or delete the row) when done';

-- product.deleted marks the sync row; the next delivery that brings the
-- product back (restored, updated) clears the mark.
ALTER TABLE woocommerce.product_sync ADD COLUMN store_deleted_at timestamptz;
COMMENT ON COLUMN woocommerce.product_sync.store_deleted_at IS
'When the store reported the product moved to its trash (a product.deleted webhook); NULL while it is in the store';

ALTER TABLE woocommerce.webhook ENABLE ROW LEVEL SECURITY;
ALTER TABLE woocommerce.webhook_setting ENABLE ROW LEVEL SECURITY;
ALTER TABLE woocommerce.webhook_delivery ENABLE ROW LEVEL SECURITY;
ALTER TABLE woocommerce.webhook_event ENABLE ROW LEVEL SECURITY;

CREATE POLICY webhook_owner ON woocommerce.webhook
    USING (EXISTS (SELECT 1 FROM woocommerce.connection c
                    WHERE c.id = connection_id AND pg_has_role(current_user, c.owner, 'MEMBER')))
    WITH CHECK (EXISTS (SELECT 1 FROM woocommerce.connection c
                         WHERE c.id = connection_id AND pg_has_role(current_user, c.owner, 'MEMBER')));
CREATE POLICY webhook_setting_owner ON woocommerce.webhook_setting
    USING (EXISTS (SELECT 1 FROM woocommerce.connection c
                    WHERE c.id = connection_id AND pg_has_role(current_user, c.owner, 'MEMBER')))
    WITH CHECK (EXISTS (SELECT 1 FROM woocommerce.connection c
                         WHERE c.id = connection_id AND pg_has_role(current_user, c.owner, 'MEMBER')));
-- Attempts that matched no connection are visible to superusers only.
CREATE POLICY webhook_delivery_owner ON woocommerce.webhook_delivery
    USING (EXISTS (SELECT 1 FROM woocommerce.connection c
                    WHERE c.id = connection_id AND pg_has_role(current_user, c.owner, 'MEMBER')));
CREATE POLICY webhook_event_owner ON woocommerce.webhook_event
    USING (EXISTS (SELECT 1 FROM woocommerce.connection c
                    WHERE c.id = connection_id AND pg_has_role(current_user, c.owner, 'MEMBER')))
    WITH CHECK (EXISTS (SELECT 1 FROM woocommerce.connection c
                         WHERE c.id = connection_id AND pg_has_role(current_user, c.owner, 'MEMBER')));

-- The C side ------------------------------------------------------------------------

-- Headers and size only, before anything is looked up (core/webhook/delivery).
CREATE FUNCTION woocommerce._webhook_inspect(headers jsonb, body bytea)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'woocommerce_webhook_inspect'
LANGUAGE C STRICT STABLE PARALLEL SAFE;

-- The signature checked with the webhook_secret of `owner`'s user mapping on
-- the server (read in C, never returned), then the body parsed and planned:
-- {"signature": "ok" | "bad" | "no_secret", "payload", "plan"} or "error".
-- Superusers only (receive_webhook): it checks anyway.
CREATE FUNCTION woocommerce._webhook_open(server_name name, owner regrole, topic text, signature text, body bytea)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'woocommerce_webhook_open'
LANGUAGE C STRICT VOLATILE;

-- Runs woocommerce._webhook_apply(connection, topic, plan, payload) as
-- `owner`. Superusers only (receive_webhook): it checks anyway.
CREATE FUNCTION woocommerce._webhook_apply_as(owner regrole, connection_id bigint, topic text, plan jsonb, payload jsonb)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'woocommerce_webhook_apply_as'
LANGUAGE C STRICT VOLATILE;

-- Applying a delivery (as the connection's owner) ----------------------------------

-- The one place webhooks import products: read these store products again
-- (context=edit, with their variations) and import them through the
-- connection's active import mapping, on today's import path
-- (_sync_request 'import' by ids, then _import_apply into woocommerce.product
-- and product_sync). When imports learn other targets, this follows them.
-- A delivery's body is not imported as it is: WooCommerce builds it in view
-- context (descriptions rendered through wpautop), and several edits may
-- have happened since it was queued.
CREATE FUNCTION woocommerce._import_store_products(c woocommerce.connection, woo_product_ids bigint[])
RETURNS jsonb
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    m woocommerce.import_mapping;
    answer jsonb;
BEGIN
    SELECT * INTO m FROM woocommerce.import_mapping x WHERE x.connection_id = c.id AND x.is_active;
    answer := woocommerce._sync_request(c.server_name, 'import', json_build_object(
        'connection_id', c.id,
        'woo_product_ids', to_jsonb(woo_product_ids),
        'attribute_mappings', coalesce(m.attribute_mappings, '{}'),
        'field_mappings', coalesce(m.field_mappings, '{}')));
    RETURN woocommerce._import_apply(c, answer->'rows', true, false);
END
$$;

COMMENT ON FUNCTION woocommerce._import_store_products(woocommerce.connection, bigint[]) IS
'Internal: read store products (and their variations) again and import them with the active import mapping; the seam webhooks import through';

-- What a verified delivery does to the owner's data. plan is
-- core/webhook/payload's DeliveryPlan: {"action", "resource_id",
-- "import_id", "variation"}. Answers {"outcome", "detail"}.
CREATE FUNCTION woocommerce._webhook_apply(connection_id bigint, topic text, plan jsonb, payload jsonb)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    c woocommerce.connection := woocommerce.get_connection(_webhook_apply.connection_id);
    woo_id bigint := (plan->>'resource_id')::bigint;
    results jsonb;
    mode text;
    local_id bigint;
BEGIN
    IF plan->>'action' = 'import_product' THEN
        results := woocommerce._import_store_products(c, ARRAY[(plan->>'import_id')::bigint]);
        UPDATE woocommerce.product_sync s SET store_deleted_at = NULL
         WHERE s.connection_id = c.id AND s.store_deleted_at IS NOT NULL
           AND s.woo_product_id IN (SELECT (r->>'woo_product_id')::bigint FROM jsonb_array_elements(results) r
                                     WHERE r->>'action' IN ('created', 'updated', 'skipped'));
        IF EXISTS (SELECT 1 FROM jsonb_array_elements(results) r WHERE r->>'action' = 'failed') THEN
            RAISE EXCEPTION 'store product % could not be imported: %', plan->>'import_id',
                (SELECT string_agg(r->>'error', '; ') FROM jsonb_array_elements(results) r WHERE r->>'action' = 'failed')
                USING ERRCODE = '22023',
                      HINT = 'The local catalog refused it; woocommerce.import_products reports the same error.';
        END IF;
        RETURN jsonb_build_object('outcome', 'applied', 'detail',
            CASE WHEN jsonb_array_length(results) = 0
                 THEN format('store product %s is not in the store any more (deleted or trashed since)', plan->>'import_id')
                 ELSE (SELECT string_agg(format('store product %s %s', r->>'woo_product_id', r->>'action'), ', ')
                         FROM jsonb_array_elements(results) r) END);
    ELSIF plan->>'action' = 'mark_deleted' THEN
        UPDATE woocommerce.product_sync s SET store_deleted_at = now()
         WHERE s.connection_id = c.id AND s.woo_product_id = woo_id
        RETURNING s.product_id INTO local_id;
        IF local_id IS NULL THEN
            RETURN jsonb_build_object('outcome', 'ignored', 'detail',
                                      format('no local product is linked to store product %s', woo_id));
        END IF;
        SELECT w.on_product_deleted INTO mode FROM woocommerce.webhook_setting w WHERE w.connection_id = c.id;
        mode := coalesce(mode, 'mark');
        IF mode = 'flag' THEN
            UPDATE woocommerce.product p SET status = 'trash' WHERE p.id = local_id;
        ELSIF mode = 'delete' THEN
            DELETE FROM woocommerce.product p WHERE p.id = local_id;
        END IF;
        RETURN jsonb_build_object('outcome', 'applied', 'detail',
                                  format('store product %s trashed: local product %s %s', woo_id, local_id,
                                         CASE mode WHEN 'mark' THEN 'marked' WHEN 'flag' THEN 'flagged (status trash)'
                                                   ELSE 'deleted' END));
    END IF;
    RETURN jsonb_build_object('outcome', 'ignored', 'detail', format('topic %s is not applied', topic));
END
$$;

COMMENT ON FUNCTION woocommerce._webhook_apply(bigint, text, jsonb, jsonb) IS
'Internal: apply a verified product delivery as the connection''s owner (import the product again, or mark it trashed)';

-- Recording -------------------------------------------------------------------------

-- A refused attempt: recorded (without the body), nothing else changes.
CREATE FUNCTION woocommerce._webhook_refuse(connection_id bigint, d jsonb, reason text, message text, status integer)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    INSERT INTO woocommerce.webhook_delivery (connection_id, woo_webhook_id, delivery_id, topic, source, outcome,
                                              http_status, reason, detail)
    VALUES (_webhook_refuse.connection_id, (d->>'webhook_id')::bigint, left(d->>'delivery_id', 128),
            left(d->>'topic', 200), left(d->>'source', 2048), 'refused', status, reason, message);
    RETURN jsonb_build_object('status', status, 'outcome', 'refused', 'reason', reason, 'message', message);
END
$$;

-- Receiving ------------------------------------------------------------------------------

CREATE FUNCTION woocommerce.receive_webhook(headers jsonb, body bytea)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    d jsonb;
    c record;
    opened jsonb;
    delivery bigint;
    applied jsonb;
    sqlstate_text text;
    message text;
BEGIN
    d := woocommerce._webhook_inspect(coalesce(headers, '{}'), coalesce(body, ''::bytea));
    IF d->>'kind' = 'ping' THEN
        -- Unsigned and sent while the webhook is being created (before its id
        -- is known here): answered, never recorded.
        RETURN jsonb_build_object('status', 200, 'outcome', 'ping', 'webhook_id', d->'webhook_id');
    ELSIF d->>'kind' = 'refused' THEN
        RETURN woocommerce._webhook_refuse(NULL, d, d->>'reason', d->>'message', (d->>'http_status')::integer);
    END IF;

    -- The connection: a webhook it registered, in the store the delivery
    -- says it comes from (X-WC-Webhook-Source is WordPress's home URL).
    SELECT x.id, x.owner, x.server_name, x.is_active INTO c
      FROM woocommerce.webhook w JOIN woocommerce.connection x ON x.id = w.connection_id
     WHERE w.woo_webhook_id = (d->>'webhook_id')::bigint AND x.store_url = d->>'source_url';
    IF NOT FOUND THEN
        IF EXISTS (SELECT 1 FROM woocommerce.webhook w WHERE w.woo_webhook_id = (d->>'webhook_id')::bigint) THEN
            RETURN woocommerce._webhook_refuse(NULL, d, 'wrong_source',
                format('webhook %s is registered, but not for a connection to %s', d->>'webhook_id', d->>'source'), 404);
        END IF;
        RETURN woocommerce._webhook_refuse(NULL, d, 'unknown_webhook',
            format('no connection registered webhook %s', d->>'webhook_id'), 404);
    END IF;

    opened := woocommerce._webhook_open(c.server_name, c.owner, d->>'topic', d->>'signature', body);
    IF opened->>'signature' = 'no_secret' THEN
        RETURN woocommerce._webhook_refuse(c.id, d, 'no_secret',
            format('connection %s has no webhook_secret in its owner''s user mapping', c.id), 401);
    ELSIF opened->>'signature' <> 'ok' THEN
        RETURN woocommerce._webhook_refuse(c.id, d, 'bad_signature',
            'X-WC-Webhook-Signature does not match the body and the connection''s webhook secret', 401);
    ELSIF opened ? 'error' THEN
        RETURN woocommerce._webhook_refuse(c.id, d, 'malformed_body', opened->>'error', 400);
    END IF;

    -- At most once: the first attempt of a delivery inserts the row; a
    -- replay (or a concurrent copy, which waits here for the first to
    -- commit) finds it.
    INSERT INTO woocommerce.webhook_delivery AS x (connection_id, woo_webhook_id, delivery_id, signature, topic,
                                                   resource_id, source, outcome, http_status)
    VALUES (c.id, (d->>'webhook_id')::bigint, d->>'delivery_id', d->>'signature', d->>'topic',
            nullif((opened->'plan'->>'resource_id')::bigint, 0), d->>'source', 'applied', 200)
    ON CONFLICT (connection_id, woo_webhook_id, delivery_id, signature) WHERE outcome IN ('applied', 'queued', 'ignored')
    DO NOTHING
    RETURNING x.id INTO delivery;
    IF delivery IS NULL THEN
        INSERT INTO woocommerce.webhook_delivery (connection_id, woo_webhook_id, delivery_id, topic, source, outcome,
                                                  http_status, reason, detail)
        VALUES (c.id, (d->>'webhook_id')::bigint, d->>'delivery_id', d->>'topic', d->>'source', 'duplicate', 200,
                'duplicate', 'this delivery was received before; not applied again');
        RETURN jsonb_build_object('status', 200, 'outcome', 'duplicate', 'connection_id', c.id);
    END IF;

    IF NOT c.is_active THEN
        applied := jsonb_build_object('outcome', 'ignored', 'detail', format('connection %s is inactive', c.id));
    ELSIF opened->'plan'->>'action' = 'queue' THEN
        INSERT INTO woocommerce.webhook_event (connection_id, topic, resource_id, payload)
        VALUES (c.id, d->>'topic', nullif((opened->'plan'->>'resource_id')::bigint, 0), opened->'payload');
        applied := jsonb_build_object('outcome', 'queued', 'detail', 'queued in woocommerce.webhook_event');
    ELSE
        BEGIN
            applied := woocommerce._webhook_apply_as(c.owner, c.id, d->>'topic', opened->'plan', opened->'payload');
        EXCEPTION WHEN OTHERS THEN
            -- The product changes are undone; the attempt stays recorded.
            GET STACKED DIAGNOSTICS sqlstate_text = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
            UPDATE woocommerce.webhook_delivery x
               SET outcome = 'failed', http_status = 500, reason = sqlstate_text, detail = left(message, 2000)
             WHERE x.id = delivery;
            RETURN jsonb_build_object('status', 500, 'outcome', 'failed', 'connection_id', c.id,
                                      'sqlstate', sqlstate_text, 'message', message);
        END;
    END IF;
    UPDATE woocommerce.webhook_delivery x SET outcome = applied->>'outcome', detail = applied->>'detail'
     WHERE x.id = delivery;
    RETURN jsonb_build_object('status', 200, 'outcome', applied->>'outcome', 'connection_id', c.id,
                              'topic', d->>'topic', 'resource_id', opened->'plan'->'resource_id',
                              'detail', applied->>'detail');
END
$$;

COMMENT ON FUNCTION woocommerce.receive_webhook(jsonb, bytea) IS
'Check and apply one WooCommerce webhook delivery (headers as a JSON object, the raw body); answers {"status": HTTP status, "outcome", ...}';

-- Settings ----------------------------------------------------------------------------------

CREATE FUNCTION woocommerce.set_webhook_options(connection_id bigint, on_product_deleted text DEFAULT 'mark')
RETURNS woocommerce.webhook_setting
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    c woocommerce.connection := woocommerce.get_connection(set_webhook_options.connection_id);
    s woocommerce.webhook_setting;
BEGIN
    IF on_product_deleted IS NULL OR on_product_deleted NOT IN ('mark', 'flag', 'delete') THEN
        RAISE EXCEPTION 'invalid on_product_deleted "%"', on_product_deleted
            USING ERRCODE = '22023',
                  HINT = 'mark: only the sync row (store_deleted_at); flag: also the local product''s status becomes trash; delete: the local product is deleted.';
    END IF;
    INSERT INTO woocommerce.webhook_setting AS w (connection_id, on_product_deleted)
    VALUES (c.id, on_product_deleted)
    ON CONFLICT ON CONSTRAINT webhook_setting_pkey DO UPDATE
       SET on_product_deleted = EXCLUDED.on_product_deleted, updated_at = now()
    RETURNING * INTO s;
    RETURN s;
END
$$;

COMMENT ON FUNCTION woocommerce.set_webhook_options(bigint, text) IS
'What a product.deleted delivery does to the local product: mark (default), flag or delete';

-- Privileges ------------------------------------------------------------------------------------

REVOKE ALL ON woocommerce.webhook, woocommerce.webhook_setting, woocommerce.webhook_delivery,
              woocommerce.webhook_event FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION
    woocommerce._webhook_inspect(jsonb, bytea),
    woocommerce._webhook_open(name, regrole, text, text, bytea),
    woocommerce._webhook_apply_as(regrole, bigint, text, jsonb, jsonb),
    woocommerce._webhook_apply(bigint, text, jsonb, jsonb),
    woocommerce._webhook_refuse(bigint, jsonb, text, text, integer),
    woocommerce._import_store_products(woocommerce.connection, bigint[]),
    woocommerce.receive_webhook(jsonb, bytea),
    woocommerce.set_webhook_options(bigint, text)
FROM PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('woocommerce.webhook', '');
SELECT pg_catalog.pg_extension_config_dump('woocommerce.webhook_setting', '');
SELECT pg_catalog.pg_extension_config_dump('woocommerce.webhook_delivery', '');
SELECT pg_catalog.pg_extension_config_dump('woocommerce.webhook_event', '');
