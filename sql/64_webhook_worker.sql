-- The webhook receiver inside PostgreSQL (a background worker; the cluster
-- runs with woocommerce_fdw in shared_preload_libraries): deliveries made by
-- the test store the way WooCommerce makes them, end to end; 200 at once;
-- slow and stalled clients; oversized bodies; bad signatures; SIGTERM and
-- the restart after it.
\i sql/include/sync_setup.psql
\set QUIET on
\set url 'http://127.0.0.1:18787/woocommerce/webhook'
-- Seconds from t0 until the query answers true (checked every 20 ms).
CREATE FUNCTION pg_temp.seconds_until(condition text, t0 timestamptz, give_up_after interval DEFAULT '20 seconds')
RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE ok boolean;
BEGIN
  LOOP
    EXECUTE condition INTO ok;
    IF ok THEN
      RETURN round(extract(epoch FROM clock_timestamp() - t0), 3);
    END IF;
    IF clock_timestamp() - t0 > give_up_after THEN
      RAISE EXCEPTION 'gave up after %: %', give_up_after, condition;
    END IF;
    PERFORM pg_sleep(0.02);
  END LOOP;
END $$;
-- (pg_stat_activity is read once per transaction unless the snapshot is cleared.)
CREATE FUNCTION pg_temp.receiver_pid() RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_stat_clear_snapshot();
  RETURN (SELECT pid FROM pg_stat_activity WHERE backend_type = 'woocommerce_fdw webhook receiver');
END $$;
\set QUIET off
SELECT current_setting('shared_preload_libraries') ~ 'woocommerce_fdw' AS worker_preloaded;

-- The receiver's role may only call receive_webhook (SECURITY DEFINER).
CREATE ROLE woo_webhook_receiver LOGIN;
GRANT USAGE ON SCHEMA woocommerce TO woo_webhook_receiver;
GRANT EXECUTE ON FUNCTION woocommerce.receive_webhook(jsonb, bytea) TO woo_webhook_receiver;

SELECT id AS conn FROM woocommerce.create_connection('Live shop', :'https', :'rw_key', :'rw_secret',
                                                     options => jsonb_build_object('ca_file', :'ca')) \gset
SELECT count(*) > 0 AS imported FROM woocommerce.import_products(:conn);

-- Turned on by configuration alone (no restart: the worker was idle).
ALTER SYSTEM SET woocommerce.webhook_listen = '127.0.0.1:18787';
ALTER SYSTEM SET woocommerce.webhook_role = 'woo_webhook_receiver';
SELECT format('ALTER SYSTEM SET woocommerce.webhook_database = %L', current_database()) \gexec
ALTER SYSTEM SET woocommerce.webhook_read_timeout = 2;
SELECT pg_reload_conf();
\! python3 sql/include/webhook_client.py wait http://127.0.0.1:18787/woocommerce/webhook
SELECT datname = current_database() AS worker_in_this_database, usename AS worker_role
  FROM pg_stat_activity WHERE backend_type = 'woocommerce_fdw webhook receiver';

-- WordPress refuses delivery URLs on other ports than 80, 443 and 8080 unless
-- allowed (as the capture's mu-plugin did); the test store does the same.
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/webhooks/config" -d '{"allowed_ports": [18787]}'
SELECT count(*) AS registered FROM woocommerce.register_webhooks(:conn, :'url');
-- Each creation pinged the receiver, which answered 200.
\! curl -sf "$WOO_STORE_HTTP/__store/webhooks/deliveries" | python3 -c "import json,sys; d=json.load(sys.stdin); print('pings answered 200:', sum(1 for x in d if x['topic']=='ping' and x['status']==200), 'of', sum(1 for x in d if x['topic']=='ping'))"

-- End to end: a price changed in the store is in the local catalog within
-- two seconds (the store delivers at once; the receiver reads the product
-- again and imports it).
SELECT clock_timestamp() AS t0 \gset
\! python3 sql/include/sync_store.py put products/10 '{"regular_price": "77.00"}'
SELECT pg_temp.seconds_until($$SELECT regular_price = 77 FROM woocommerce.product WHERE sku = 'MUG-PLAIN'$$, :'t0') AS seconds \gset
SELECT :seconds < 2 AS arrived_within_2_seconds;
SELECT outcome, http_status, topic FROM woocommerce.webhook_delivery ORDER BY id DESC LIMIT 1;
-- A move to the trash marks the sync row.
SELECT clock_timestamp() AS t0 \gset
\! curl -sf -o /dev/null -X DELETE -u ck_test_readwrite_0000000000000000000000000:cs_test_readwrite_0000000000000000000000000 --cacert "$WOO_STORE_CA_FILE" "$WOO_STORE_HTTPS/wp-json/wc/v3/products/11"
SELECT pg_temp.seconds_until($$SELECT store_deleted_at IS NOT NULL FROM woocommerce.product_sync WHERE woo_product_id = 11$$, :'t0') < 20 AS trashed_marked;
-- The wp-admin restore brings it back.
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/webhooks/untrash" -d '{"id": 11}'
SELECT pg_temp.seconds_until($$SELECT store_deleted_at IS NULL FROM woocommerce.product_sync WHERE woo_product_id = 11$$, :'t0') < 20 AS restored;

-- 200 deliveries at once: every one answered 200 after its commit.
\! curl -sf -o /dev/null -X POST "$WOO_STORE_HTTP/__store/webhooks/flush" -d '{}'
SELECT count(*) AS before FROM woocommerce.webhook_delivery WHERE outcome = 'applied' \gset
\! python3 sql/include/webhook_client.py concurrent http://127.0.0.1:18787/woocommerce/webhook 200
SELECT count(*) - :before AS applied FROM woocommerce.webhook_delivery WHERE outcome = 'applied';

-- A client that never sends the body it announced and one that trickles its
-- headers forever do not hold the others up, and are cut off after the read
-- timeout (2 seconds here).
\! python3 sql/include/webhook_client.py slow http://127.0.0.1:18787/woocommerce/webhook 2

-- Refused at the door: a bad signature (recorded), an oversized body (the
-- receiver answers 413 without reading it), another method.
\! python3 sql/include/webhook_client.py deliver http://127.0.0.1:18787/woocommerce/webhook product.updated '{"id":10}' not-the-secret
SELECT outcome, http_status, reason FROM woocommerce.webhook_delivery ORDER BY id DESC LIMIT 1;
ALTER SYSTEM SET woocommerce.webhook_max_body_bytes = 65536;
SELECT pg_reload_conf();
SELECT pg_sleep(0.5);
\! python3 sql/include/webhook_client.py wait http://127.0.0.1:18787/woocommerce/webhook
\! python3 sql/include/webhook_client.py oversize http://127.0.0.1:18787/woocommerce/webhook 70000
\! curl -s -o /dev/null -w '%{http_code}\n' http://127.0.0.1:18787/woocommerce/webhook

-- 200 only after the commit: a commit that fails (a deferred trigger here)
-- is answered 500, and nothing of the delivery remains.
CREATE FUNCTION public.webhook_fail_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.resource_id = 4242 THEN RAISE EXCEPTION 'refused at commit'; END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER webhook_fail_at_commit AFTER INSERT OR UPDATE ON woocommerce.webhook_delivery
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.webhook_fail_at_commit();
\! python3 sql/include/webhook_client.py deliver http://127.0.0.1:18787/woocommerce/webhook product.deleted '{"id":4242}'
SELECT count(*) AS recorded FROM woocommerce.webhook_delivery WHERE resource_id = 4242;
DROP TRIGGER webhook_fail_at_commit ON woocommerce.webhook_delivery;
DROP FUNCTION public.webhook_fail_at_commit();

-- SIGTERM (pg_terminate_backend): the worker exits and is started again.
SELECT pg_temp.receiver_pid() AS old_pid \gset
SELECT pg_terminate_backend(:old_pid);
SELECT clock_timestamp() AS t0 \gset
SELECT pg_temp.seconds_until(format('SELECT coalesce(pg_temp.receiver_pid() <> %s, false)', :old_pid), :'t0') < 20 AS restarted;
\! python3 sql/include/webhook_client.py wait http://127.0.0.1:18787/woocommerce/webhook
SELECT clock_timestamp() AS t0 \gset
\! python3 sql/include/sync_store.py put products/10 '{"regular_price": "78.00"}'
SELECT pg_temp.seconds_until($$SELECT regular_price = 78 FROM woocommerce.product WHERE sku = 'MUG-PLAIN'$$, :'t0') < 20 AS delivers_again;

-- Turned off again.
SELECT count(*) AS unregistered FROM woocommerce.unregister_webhooks(:conn);
ALTER SYSTEM RESET woocommerce.webhook_listen;
ALTER SYSTEM RESET woocommerce.webhook_role;
ALTER SYSTEM RESET woocommerce.webhook_database;
ALTER SYSTEM RESET woocommerce.webhook_read_timeout;
ALTER SYSTEM RESET woocommerce.webhook_max_body_bytes;
SELECT pg_reload_conf();
SELECT clock_timestamp() AS t0 \gset
SELECT pg_temp.seconds_until('SELECT pg_temp.receiver_pid() IS NULL', :'t0') < 20 AS worker_left_the_database;
\! curl -s -o /dev/null -w '%{http_code}\n' -X POST -d webhook_id=1 http://127.0.0.1:18787/woocommerce/webhook
REVOKE ALL ON FUNCTION woocommerce.receive_webhook(jsonb, bytea) FROM woo_webhook_receiver;
REVOKE ALL ON SCHEMA woocommerce FROM woo_webhook_receiver;
DROP ROLE woo_webhook_receiver;
