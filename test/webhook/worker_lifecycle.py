#!/usr/bin/env python3
"""The webhook receiver's life around its deliveries, in a cluster of its own (run inside
pg_virtualenv with woocommerce_fdw preloaded, and the test store's WOO_STORE_* variables):

  * a fast shutdown while one delivery is being applied and another waits: both clients
    get 503, and neither delivery left anything behind;
  * the cluster started again: the receiver is back and delivers;
  * the worker killed with SIGKILL (a crash): the postmaster restarts, the receiver is back.

Ends with "N passed, N failed"."""
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "sql", "include"))
import webhook_client as wc  # noqa: E402

PORT = int(os.environ.get("WOO_TEST_WEBHOOK_LIFECYCLE_PORT", "18788"))
URL = "http://127.0.0.1:%d/woocommerce/webhook" % PORT
STORE = os.environ["WOO_STORE_HTTP"]
RESULTS = []


def psql(sql, db=None):
    out = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", db or os.environ.get("PGDATABASE", "postgres"),
                          "-c", sql], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip())
    return out.stdout.strip()


def cluster(action):
    version = subprocess.run(["pg_config", "--version"], capture_output=True, text=True).stdout.split()[1].split(".")[0]
    subprocess.run(["pg_ctlcluster", version, "regress", action, "-m", "fast"] if action == "stop"
                   else ["pg_ctlcluster", version, "regress", action], check=True, capture_output=True)


def check(name, ok, detail=""):
    RESULTS.append(ok)
    print("%s %s%s" % ("ok  " if ok else "FAIL", name, (": " + detail) if detail and not ok else ""))


def store(method, path, body="{}"):
    req = urllib.request.Request(STORE + path, data=body.encode(), method=method)
    return urllib.request.urlopen(req).read()


def wait_receiver():
    deadline = time.time() + 60
    while time.time() < deadline:
        if wc.post(URL, b"webhook_id=1", {"Content-Type": "application/x-www-form-urlencoded"}, timeout=2)[0] == 200:
            return True
        time.sleep(0.2)
    return False


def setup():
    store("POST", "/__store/reset")
    store("POST", "/__store/webhooks/config", '{"allowed_ports": [%d]}' % PORT)
    psql("CREATE EXTENSION IF NOT EXISTS woocommerce_fdw")
    psql("DO $$ BEGIN CREATE ROLE woo_lifecycle_receiver LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    psql("GRANT USAGE ON SCHEMA woocommerce TO woo_lifecycle_receiver")
    psql("GRANT EXECUTE ON FUNCTION woocommerce.receive_webhook(jsonb, bytea) TO woo_lifecycle_receiver")
    conn = psql("SELECT id FROM woocommerce.create_connection('Lifecycle', '%s', 'ck_test_readwrite_0000000000000000000000000', "
                "'cs_test_readwrite_0000000000000000000000000', options => jsonb_build_object('ca_file', '%s'))"
                % (os.environ["WOO_STORE_HTTPS"], os.environ["WOO_STORE_CA_FILE"]))
    psql("SET woocommerce.sync_progress = off; SELECT count(*) FROM woocommerce.import_products(%s)" % conn)
    psql("ALTER SYSTEM SET woocommerce.webhook_listen = '127.0.0.1:%d'" % PORT)
    psql("ALTER SYSTEM SET woocommerce.webhook_role = 'woo_lifecycle_receiver'")
    psql("ALTER SYSTEM SET woocommerce.webhook_database = '%s'" % psql("SELECT current_database()"))
    psql("SELECT pg_reload_conf()")
    check("the receiver starts on reload", wait_receiver())
    psql("SELECT count(*) FROM woocommerce.register_webhooks(%s, '%s')" % (conn, URL))
    return conn


def price():
    return psql("SELECT regular_price FROM woocommerce.product WHERE sku = 'MUG-PLAIN'")


def shutdown_answers_503():
    hook = wc.store_hook("product.updated")
    before = price()
    applied_before = psql("SELECT count(*) FROM woocommerce.webhook_delivery WHERE outcome = 'applied'")
    # The store answers product reads slowly: the first delivery is being
    # applied (waiting for the store) when the shutdown comes; the second waits.
    store("POST", "/__store/faults", '{"path_prefix": "/wp-json/wc/v3/products", "method": "GET", "kind": "latency", '
                                     '"latency_ms": 5000, "count": -1}')
    store("POST", "/__store/webhooks/config", '{"hold": true}')  # only this test's deliveries reach the receiver
    answers = {}

    def send(name, body):
        raw, headers = wc.delivery(hook, body)
        answers[name] = wc.post(URL, raw, headers, timeout=60)

    first = threading.Thread(target=send, args=("in flight", '{"id":10}'))
    first.start()
    time.sleep(1.0)
    second = threading.Thread(target=send, args=("waiting", '{"id":12}'))
    second.start()
    time.sleep(0.5)
    t0 = time.time()
    cluster("stop")
    stopped_in = time.time() - t0
    first.join(30)
    second.join(30)
    check("a fast shutdown does not wait for the store", stopped_in < 10, "%.1f s" % stopped_in)
    for name in ("in flight", "waiting"):
        status, body = answers.get(name, (None, ""))
        check("the %s delivery is answered 503" % name, status == 503 and "shutting_down" in body, "%s %s" % (status, body))
    store("DELETE", "/__store/faults")
    cluster("start")
    check("after the restart the receiver answers", wait_receiver())
    check("the interrupted deliveries changed nothing", price() == before and
          psql("SELECT count(*) FROM woocommerce.webhook_delivery WHERE outcome = 'applied'") == applied_before)


def delivers(new_price):
    """A price changed in the store reaches the local catalog."""
    store("POST", "/__store/webhooks/config", '{"hold": false}')
    subprocess.run([sys.executable, os.path.join(HERE, "..", "..", "sql", "include", "sync_store.py"), "put",
                    "products/10", '{"regular_price": "%s"}' % new_price], check=True)
    deadline = time.time() + 20
    while time.time() < deadline:
        if price() == new_price.rstrip("0").rstrip("."):
            return True
        time.sleep(0.1)
    return False


def crash_restarts():
    pid = psql("SELECT pid FROM pg_stat_activity WHERE backend_type = 'woocommerce_fdw webhook receiver'")
    os.kill(int(pid), signal.SIGKILL)
    time.sleep(1)
    check("after a crash (SIGKILL) the postmaster brings the receiver back", wait_receiver())
    ok = False
    deadline = time.time() + 30
    while time.time() < deadline and not ok:
        try:
            ok = delivers("66.00")
        except (RuntimeError, subprocess.CalledProcessError):
            time.sleep(0.5)  # the cluster is still recovering
    check("and it delivers again", ok)


def main():
    try:
        setup()
        check("deliveries arrive", delivers("55.00"))
        shutdown_answers_503()
        check("deliveries arrive after the restart", delivers("56.00"))
        crash_restarts()
    except Exception as e:  # a broken step is a failure, with its reason
        check("lifecycle steps ran", False, repr(e))
    passed = sum(1 for r in RESULTS if r)
    print("%d passed, %d failed" % (passed, len(RESULTS) - passed))
    return 0 if passed == len(RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
