-- woocommerce_fdw 1.2, key setup without copying secrets: authorize_url
-- sends the shop owner to WooCommerce's /wc-auth/v1/authorize with a
-- one-time state token (as user_id, which WooCommerce echoes back), and
-- receive_auth_callback takes the keys WooCommerce then POSTs to the
-- callback URL: it checks the token, verifies the keys against the store and
-- creates the connection and the user mapping for the role that asked, in C,
-- so that the secret never appears in SQL text, a log line or a table.

CREATE TABLE woocommerce.authorization_request (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner regrole NOT NULL DEFAULT woocommerce.current_owner(),
    token_hash text NOT NULL UNIQUE,
    store_url text NOT NULL,
    store_name text NOT NULL CHECK (btrim(store_name) <> ''),
    app_name text NOT NULL CHECK (btrim(app_name) <> ''),
    scope text NOT NULL CHECK (scope IN ('read', 'write', 'read_write')),
    options jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(options) = 'object'),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    connection_id bigint REFERENCES woocommerce.connection (id) ON DELETE SET NULL,
    outcome text,
    refusals integer NOT NULL DEFAULT 0
);

COMMENT ON TABLE woocommerce.authorization_request IS
'Key setup flows started with authorize_url: the state token only as its SHA-256, what the resulting connection gets, and how the callback ended';
COMMENT ON COLUMN woocommerce.authorization_request.token_hash IS
'Hex SHA-256 of the one-time state token sent to WooCommerce as user_id';

ALTER TABLE woocommerce.authorization_request ENABLE ROW LEVEL SECURITY;
CREATE POLICY authorization_request_owner ON woocommerce.authorization_request
    USING (pg_has_role(current_user, owner, 'MEMBER'))
    WITH CHECK (pg_has_role(current_user, owner, 'MEMBER'));

-- RFC 3986 percent-encoding (as PHP's rawurlencode) of the UTF-8 bytes.
CREATE FUNCTION woocommerce._url_encode(text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT coalesce(string_agg(CASE WHEN b BETWEEN 48 AND 57 OR b BETWEEN 65 AND 90 OR b BETWEEN 97 AND 122
                                         OR b IN (45, 46, 95, 126)
                                    THEN chr(b) ELSE '%' || upper(lpad(to_hex(b), 2, '0')) END, '' ORDER BY i), '')
      FROM (SELECT i, get_byte(convert_to($1, 'UTF8'), i) AS b
              FROM generate_series(0, octet_length(convert_to($1, 'UTF8')) - 1) AS i) bytes
$$;

CREATE FUNCTION woocommerce.authorize_url(
    store_url text,
    app_name text,
    return_url text,
    callback_url text,
    scope text DEFAULT 'read_write',
    store_name text DEFAULT NULL,
    options jsonb DEFAULT '{}',
    valid_for interval DEFAULT interval '30 minutes')
RETURNS text
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    url text := woocommerce.normalize_store_url(store_url);
    token text := replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '');
    bad text;
BEGIN
    IF coalesce(btrim(app_name), '') = '' THEN
        RAISE EXCEPTION 'app_name is required' USING ERRCODE = '22023',
            HINT = 'WooCommerce shows it to the shop owner: "<app_name> would like to connect to your store".';
    END IF;
    IF scope IS NULL OR scope NOT IN ('read', 'write', 'read_write') THEN
        RAISE EXCEPTION 'invalid scope "%"', scope USING ERRCODE = '22023', HINT = 'Use read, write or read_write.';
    END IF;
    IF coalesce(return_url, '') !~* '^https?://[^/?#[:space:]]+([/?#][^[:space:]]*)?$' THEN
        RAISE EXCEPTION 'invalid return_url "%"', return_url USING ERRCODE = '22023',
            HINT = 'The page the shop owner''s browser returns to, e.g. https://catalog.example.com/woocommerce/connected.';
    END IF;
    IF coalesce(callback_url, '') !~* '^https://[^/?#[:space:]]+([/?][^[:space:]]*)?$' THEN
        RAISE EXCEPTION 'callback_url must be an https:// URL' USING ERRCODE = '22023',
            DETAIL = 'WooCommerce refuses any other ("The callback_url needs to be over SSL").',
            HINT = 'Give the webhook receiver a certificate (woocommerce.webhook_tls_cert_file) or put a TLS proxy in front of it; the path ends in /auth-callback.';
    END IF;
    IF valid_for IS NULL OR valid_for <= interval '0' OR valid_for > interval '7 days' THEN
        RAISE EXCEPTION 'valid_for must be between 0 and 7 days' USING ERRCODE = '22023';
    END IF;
    IF jsonb_typeof(options) IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION 'options must be a JSON object of connection options' USING ERRCODE = '22023';
    END IF;
    SELECT k INTO bad FROM jsonb_object_keys(options) AS k
     WHERE k IN ('url', 'consumer_key', 'consumer_secret', 'webhook_secret') LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'option "%" does not belong in connection options', bad USING ERRCODE = 'HV00D';
    END IF;
    INSERT INTO woocommerce.authorization_request (token_hash, store_url, store_name, app_name, scope, options, expires_at)
    VALUES (encode(sha256(convert_to(token, 'UTF8')), 'hex'), url,
            coalesce(nullif(btrim(authorize_url.store_name), ''), substring(url FROM '://([^/:]+)')),
            btrim(app_name), scope, options, now() + valid_for);
    RETURN url || '/wc-auth/v1/authorize?app_name=' || woocommerce._url_encode(btrim(app_name))
           || '&scope=' || scope || '&user_id=' || token
           || '&return_url=' || woocommerce._url_encode(return_url)
           || '&callback_url=' || woocommerce._url_encode(callback_url);
END
$$;

COMMENT ON FUNCTION woocommerce.authorize_url(text, text, text, text, text, text, jsonb, interval) IS
'WooCommerce''s /wc-auth/v1/authorize URL for the shop owner to approve, with a one-time state token bound to the calling role';

CREATE FUNCTION woocommerce.receive_auth_callback(headers jsonb, body bytea)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'woocommerce_receive_auth_callback'
LANGUAGE C STRICT VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION woocommerce.receive_auth_callback(jsonb, bytea) IS
'Take the key WooCommerce posts to an authorize_url''s callback_url: check the state token, verify the key, create (or update) the connection and user mapping of the role that asked; answers {"status": HTTP status, ...}';

REVOKE ALL ON woocommerce.authorization_request FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION
    woocommerce.authorize_url(text, text, text, text, text, text, jsonb, interval),
    woocommerce.receive_auth_callback(jsonb, bytea)
FROM PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('woocommerce.authorization_request', '');
