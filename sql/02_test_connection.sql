-- woocommerce.test_connection against the test store (test/store), over
-- HTTPS (Basic, query string) and HTTP (OAuth 1.0a), and every failure mode
-- it must explain instead of raising.
\i sql/include/test_store.psql

-- The stable part of an answer (latency and URLs vary from run to run).
CREATE FUNCTION tc(url text, key text, secret text, opts jsonb DEFAULT '{}')
RETURNS TABLE (ok boolean, status int, code text, auth text, message text, hint text)
LANGUAGE sql AS $$
  SELECT (r->>'ok')::boolean, (r->>'status')::int, r->>'error_code', r->>'auth', r->>'message', r->>'hint'
    FROM woocommerce.test_connection(url, key, secret, opts) AS r
$$;

-- Success over HTTPS with Basic auth (auto picks Basic for https).
SELECT r->>'ok' AS ok, r->>'status' AS status, r->>'auth' AS auth, r->>'permissions' AS permissions,
       r->>'woocommerce_version' AS woocommerce, r->>'wordpress_version' AS wordpress,
       (r->>'latency_ms')::int >= 0 AS has_latency, r->>'api_url' = :'https' || '/wp-json/wc/v3' AS api_url_ok
  FROM woocommerce.test_connection(:'https', :'rw_key', :'rw_secret', jsonb_build_object('ca_file', :'ca')) AS r;

-- Success over HTTPS with query-string keys, and over HTTP with OAuth 1.0a.
SELECT * FROM tc(:'https', :'rw_key', :'rw_secret', jsonb_build_object('ca_file', :'ca', 'auth', 'query_string'));
SELECT * FROM tc(:'http', :'rw_key', :'rw_secret');
SELECT * FROM tc(:'http', :'rw_key', :'rw_secret', '{"oauth_signature_method": "HMAC-SHA1"}');
SELECT * FROM tc(:'http', :'rw_key', :'rw_secret', '{"auth": "oauth1"}');

-- The store saw what a real client sends: Basic, query string, OAuth.
\! curl -sf "$WOO_STORE_HTTP/__store/requests?path_prefix=/wp-json/wc/v3/system_status" | python3 -c 'import json,sys; print(sorted({r["auth_mode"] for r in json.load(sys.stdin)}))'

-- Wrong key, wrong secret: the store's words and a hint that fits this
-- form (the keys are arguments: no user mapping to update).
SELECT * FROM tc(:'https', 'ck_unknown', :'rw_secret', jsonb_build_object('ca_file', :'ca'));
SELECT * FROM tc(:'https', :'rw_key', 'cs_wrong', jsonb_build_object('ca_file', :'ca'));
SELECT * FROM tc(:'http', :'rw_key', 'cs_wrong');
-- A failure names the SQLSTATE that raising it would use.
SELECT r->>'sqlstate' AS sqlstate, r->>'error_kind' AS kind
  FROM woocommerce.test_connection(:'https', :'rw_key', 'cs_wrong', jsonb_build_object('ca_file', :'ca')) AS r;
SELECT r->>'sqlstate' AS sqlstate, r->>'error_code' AS code
  FROM woocommerce.test_connection(:'https', :'ro_key', :'ro_secret', jsonb_build_object('ca_file', :'ca')) AS r;
-- Missing credentials.
SELECT * FROM tc(:'https', '', '', jsonb_build_object('ca_file', :'ca'));

-- Plain http with Basic or query-string keys: WooCommerce ignores them.
SELECT * FROM tc(:'http', :'rw_key', :'rw_secret', '{"auth": "basic"}');

-- A web server that strips the Authorization header: auto falls back to
-- query-string keys and says so; explicit basic fails with the fix.
\! curl -sf -o /dev/null -X POST -d '{"strip_authorization": true}' "$WOO_STORE_HTTP/__store/config"
SELECT r->>'ok' AS ok, r->>'auth' AS auth, r->>'warning' AS warning
  FROM woocommerce.test_connection(:'https', :'rw_key', :'rw_secret', jsonb_build_object('ca_file', :'ca')) AS r;
SELECT * FROM tc(:'https', :'rw_key', :'rw_secret', jsonb_build_object('ca_file', :'ca', 'auth', 'basic'));
\! curl -sf -o /dev/null -X POST -d '{"strip_authorization": false}' "$WOO_STORE_HTTP/__store/config"

-- Key permissions: read-only fails by default (exports need write), passes
-- when only reading is wanted; write-only cannot read.
SELECT * FROM tc(:'https', :'ro_key', :'ro_secret', jsonb_build_object('ca_file', :'ca'));
SELECT r->>'ok' AS ok, r->>'permissions' AS permissions
  FROM woocommerce.test_connection(:'https', :'ro_key', :'ro_secret',
                                   jsonb_build_object('ca_file', :'ca', 'require_write', false)) AS r;
SELECT * FROM tc(:'https', :'wo_key', :'wo_secret', jsonb_build_object('ca_file', :'ca'));

-- TLS: the test store's certificate is signed by a private CA.
SELECT ok, status, code, auth, message LIKE 'could not connect%' OR message LIKE '%certificate%' AS tls_message, hint
  FROM tc(:'https', :'rw_key', :'rw_secret');
SELECT ok, auth FROM tc(:'https', :'rw_key', :'rw_secret', '{"verify_tls": false}');

-- Not a WooCommerce REST API: wrong prefix (an HTML 404 page), wrong version.
SELECT ok, status, code, message, hint
  FROM tc(:'https', :'rw_key', :'rw_secret', jsonb_build_object('ca_file', :'ca', 'api_prefix', 'api'));
SELECT ok, status, code, message, hint
  FROM tc(:'https', :'rw_key', :'rw_secret', jsonb_build_object('ca_file', :'ca', 'api_version', 'wc/v9'));

-- Broken answers: an HTML page with status 200, truncated JSON, invalid JSON.
\! curl -sf -o /dev/null -X POST -d '{"path_prefix": "/wp-json/wc/v3/system_status", "kind": "html"}' "$WOO_STORE_HTTP/__store/faults"
SELECT ok, status, code, message, hint FROM tc(:'http', :'rw_key', :'rw_secret');
\! curl -sf -o /dev/null -X POST -d '{"path_prefix": "/wp-json/wc/v3/system_status", "kind": "truncate", "count": 4}' "$WOO_STORE_HTTP/__store/faults"
SELECT ok, code, message LIKE 'response from 127.0.0.1 was truncated%' AS says_truncated, hint
  FROM tc(:'http', :'rw_key', :'rw_secret', '{"max_retries": 0}');
\! curl -sf -o /dev/null -X DELETE "$WOO_STORE_HTTP/__store/faults"
\! curl -sf -o /dev/null -X POST -d '{"path_prefix": "/wp-json/wc/v3/system_status", "kind": "invalid_json"}' "$WOO_STORE_HTTP/__store/faults"
SELECT ok, status, code, message, hint FROM tc(:'http', :'rw_key', :'rw_secret');

-- A store that is too slow for timeout_ms.
\! curl -sf -o /dev/null -X POST -d '{"path_prefix": "/wp-json/wc/v3/system_status", "kind": "latency", "latency_ms": 3000}' "$WOO_STORE_HTTP/__store/faults"
SELECT ok, status, code, hint FROM tc(:'http', :'rw_key', :'rw_secret', '{"timeout_ms": 300, "max_retries": 0}');
\! curl -sf -o /dev/null -X DELETE "$WOO_STORE_HTTP/__store/faults"

-- 503 then success: retried transparently (the store saw the 503, then
-- the retry).
\! curl -sf -o /dev/null -X POST -d '{"path_prefix": "/wp-json/wc/v3/system_status", "kind": "status", "status": 503}' "$WOO_STORE_HTTP/__store/faults"
\! curl -sf -o /dev/null -X DELETE "$WOO_STORE_HTTP/__store/requests"
SELECT ok FROM tc(:'http', :'rw_key', :'rw_secret');
\! curl -sf "$WOO_STORE_HTTP/__store/requests?path_prefix=/wp-json/wc/v3/system_status" | python3 -c 'import json,sys; print([x["status"] for x in json.load(sys.stdin)])'
-- 429 with Retry-After, then success; the store saw the 429, then a retry
-- no sooner than Retry-After.
\! curl -sf -o /dev/null -X DELETE "$WOO_STORE_HTTP/__store/requests"
\! curl -sf -o /dev/null -X POST -d '{"path_prefix": "/wp-json/wc/v3/system_status", "kind": "rate_limit", "retry_after": 1}' "$WOO_STORE_HTTP/__store/faults"
SELECT ok FROM tc(:'http', :'rw_key', :'rw_secret');
\! curl -sf "$WOO_STORE_HTTP/__store/requests?path_prefix=/wp-json/wc/v3/system_status" | python3 -c 'import json,sys; r=json.load(sys.stdin); print([x["status"] for x in r], "waited >= 1 s:", r[1]["time"] - r[0]["time"] >= 0.95)' 
-- A store that keeps failing: the status and a hint, after the retries.
\! curl -sf -o /dev/null -X POST -d '{"path_prefix": "/wp-json/wc/v3/system_status", "kind": "status", "status": 500, "count": -1}' "$WOO_STORE_HTTP/__store/faults"
SELECT ok, status, code, hint FROM tc(:'http', :'rw_key', :'rw_secret', '{"max_retries": 1}');
\! curl -sf -o /dev/null -X DELETE "$WOO_STORE_HTTP/__store/faults"

-- Nothing listening.
SELECT ok, status, code, hint FROM tc('http://127.0.0.1:9', :'rw_key', :'rw_secret', '{"max_retries": 0}');

-- Bad arguments: an invalid URL is a diagnosis; an unknown option name is an error.
SELECT ok, code, message, hint FROM tc('ftp://shop.example.com', :'rw_key', :'rw_secret');
SELECT ok, code, message, hint FROM tc('https://shop.example.com/?page=2', :'rw_key', :'rw_secret');
SELECT * FROM tc(:'http', :'rw_key', :'rw_secret', '{"timeout": 5}');
SELECT * FROM tc(:'http', :'rw_key', :'rw_secret', '{"timeout_ms": [1]}');

-- The secret never appears in any answer, success or failure.
SELECT count(*) AS answers_with_secret
  FROM (VALUES (woocommerce.test_connection(:'https', :'rw_key', :'rw_secret', jsonb_build_object('ca_file', :'ca'))),
               (woocommerce.test_connection(:'https', :'rw_key', :'rw_secret')),
               (woocommerce.test_connection(:'http', :'rw_key', :'rw_secret', '{"auth": "query_string"}')),
               (woocommerce.test_connection('http://127.0.0.1:9', :'rw_key', :'rw_secret', '{"max_retries": 0}')),
               (woocommerce.test_connection(:'https', :'ro_key', :'ro_secret', jsonb_build_object('ca_file', :'ca'))))
       AS t(answer)
 WHERE answer::text LIKE '%' || :'rw_secret' || '%' OR answer::text LIKE '%' || :'ro_secret' || '%';

-- test_server: the same check through a foreign server and the current
-- role's user mapping.
\set ECHO none
SELECT format('CREATE SERVER store FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url %L, ca_file %L)', :'https', :'ca') \gexec
\set ECHO all
SELECT woocommerce.test_server('store');
CREATE USER MAPPING FOR CURRENT_USER SERVER store OPTIONS (consumer_key :'rw_key', consumer_secret :'rw_secret');
SELECT r->>'ok' AS ok, r->>'auth' AS auth FROM woocommerce.test_server('store') AS r;
ALTER USER MAPPING FOR CURRENT_USER SERVER store OPTIONS (SET consumer_secret 'cs_wrong');
-- A wrong secret here is fixed in the user mapping, and the hint says how
-- (test_connection(url, ...) above has no user mapping: its hint names the
-- argument; test_connection(connection_id) in 10_management names
-- update_connection).
SELECT r->>'ok' AS ok, r->>'error_code' AS code, r->>'hint' AS hint FROM woocommerce.test_server('store') AS r;
ALTER USER MAPPING FOR CURRENT_USER SERVER store OPTIONS (SET consumer_key 'ck_unknown');
SELECT r->>'ok' AS ok, r->>'error_code' AS code, r->>'hint' AS hint FROM woocommerce.test_server('store') AS r;
SELECT woocommerce.test_server('no_such_server');
DROP USER MAPPING FOR CURRENT_USER SERVER store;
DROP SERVER store;
DROP FUNCTION tc;
