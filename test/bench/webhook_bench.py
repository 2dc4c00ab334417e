#!/usr/bin/env python3
"""The webhook benchmark's measurements (see webhook_bench.sh); runs inside pg_virtualenv."""
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "sql", "include"))
import webhook_client as wc  # noqa: E402

PORT = 19787
URL = "http://127.0.0.1:%d/woocommerce/webhook" % PORT
STORE = os.environ["WOO_STORE_HTTP"]
SYNC_STORE = os.path.join(HERE, "..", "..", "sql", "include", "sync_store.py")


def psql(sql):
    out = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    return out.stdout.strip()


def store(path, body):
    urllib.request.urlopen(urllib.request.Request(STORE + path, data=body.encode(), method="POST")).read()


def setup():
    psql("CREATE EXTENSION woocommerce_fdw")
    psql("CREATE ROLE bench_receiver LOGIN")
    psql("GRANT USAGE ON SCHEMA woocommerce TO bench_receiver")
    psql("GRANT EXECUTE ON FUNCTION woocommerce.receive_webhook(jsonb, bytea) TO bench_receiver")
    conn = psql("SELECT id FROM woocommerce.create_connection('Bench', '%s', 'ck_test_readwrite_0000000000000000000000000', "
                "'cs_test_readwrite_0000000000000000000000000', options => jsonb_build_object('ca_file', '%s'))"
                % (os.environ["WOO_STORE_HTTPS"], os.environ["WOO_STORE_CA_FILE"]))
    psql("SET woocommerce.sync_progress = off; SELECT count(*) FROM woocommerce.import_products(%s)" % conn)
    psql("ALTER SYSTEM SET woocommerce.webhook_listen = '127.0.0.1:%d'" % PORT)
    psql("ALTER SYSTEM SET woocommerce.webhook_role = 'bench_receiver'")
    psql("ALTER SYSTEM SET woocommerce.webhook_database = '%s'" % psql("SELECT current_database()"))
    psql("SELECT pg_reload_conf()")
    wc.cmd_wait(URL)
    store("/__store/webhooks/config", '{"allowed_ports": [%d]}' % PORT)
    psql("SELECT count(*) FROM woocommerce.register_webhooks(%s, '%s', ARRAY['product.updated', 'order.updated'])"
         % (conn, URL))


def end_to_end(runs=20):
    times = []
    for i in range(runs):
        price = "%d.%02d" % (30 + i, i)
        t0 = time.time()
        subprocess.run([sys.executable, SYNC_STORE, "put", "products/10", '{"regular_price": "%s"}' % price], check=True)
        while psql("SELECT regular_price = %s FROM woocommerce.product WHERE sku = 'MUG-PLAIN'" % price) != "t":
            time.sleep(0.005)
        times.append(time.time() - t0)
    print("1. end to end, price changed in the store -> local catalog: median %.0f ms, worst %.0f ms (%d runs)"
          % (statistics.median(times) * 1000, max(times) * 1000, runs))


def burst(topic, body_of, n=500):
    hook = wc.store_hook(topic)
    statuses = []
    lock = threading.Lock()
    start = threading.Barrier(n + 1)

    def one(i):
        raw, headers = wc.delivery(hook, body_of(i))
        start.wait()
        status = wc.post(URL, raw, headers, timeout=300)[0]
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.time()
    for t in threads:
        t.join()
    elapsed = time.time() - t0
    ok = sum(1 for s in statuses if s == 200)
    return elapsed, ok


def main():
    setup()
    end_to_end()
    first = int(psql("SELECT min(woo_product_id) FROM woocommerce.product_sync"))
    elapsed, ok = burst("product.updated", lambda i: '{"id":%d,"n":%d}' % (first + i % 20, i))
    print("2. 500 product.updated at once (each product read again): %d answered 200 in %.2f s: %.0f deliveries/s"
          % (ok, elapsed, 500 / elapsed))
    elapsed, ok = burst("order.updated", lambda i: '{"id":%d,"status":"processing"}' % (1000 + i))
    print("3. 500 order.updated at once (queued): %d answered 200 in %.2f s: %.0f deliveries/s" % (ok, elapsed, 500 / elapsed))
    hook = wc.store_hook("order.updated")
    out = psql("""CREATE EXTENSION IF NOT EXISTS pgcrypto;
        SELECT round((extract(epoch FROM clock_timestamp() - t0) * 1000 / 2000)::numeric, 3)
          FROM (SELECT clock_timestamp() AS t0) s,
               LATERAL (SELECT count(woocommerce.receive_webhook(jsonb_build_object(
                   'X-WC-Webhook-Source', '%s', 'X-WC-Webhook-Topic', 'order.updated',
                   'X-WC-Webhook-Signature', encode(hmac(convert_to(b, 'UTF8'), convert_to('%s', 'UTF8'), 'sha256'), 'base64'),
                   'X-WC-Webhook-ID', '%d', 'X-WC-Webhook-Delivery-ID', md5(b)), convert_to(b, 'UTF8')))
                  FROM (SELECT format('{"id":%%s,"status":"x"}', g) AS b FROM generate_series(1, 2000) g) bodies) x"""
               % (wc.SOURCE, hook["secret"], hook["id"]))
    print("4. receive_webhook from SQL, queued events: %s ms per delivery" % out.splitlines()[-1])


if __name__ == "__main__":
    main()
