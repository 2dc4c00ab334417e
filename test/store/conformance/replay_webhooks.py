"""Replays of webhook deliveries and the wc-auth flow (real/38a, 38b, 75-77h, 80-80f).

Local listeners stand where the capture's receivers stood (127.0.0.1:9099 for deliveries and
return_url, https://127.0.0.1:9098 for the callback). What the store sends to them, or answers, is
compared with what WooCommerce sent or answered: header names in WooCommerce's order and their
values, the signature over the raw body with the webhook's secret, body shapes (member names and
JSON types), the topics each write delivers (and that a permanent delete delivers none), and the
wc-auth pages, redirects, callback body and key lifecycle. The rules WC_Webhook applies around a
delivery (coalescing, failures, disabling, wp_safe_remote_request's URL rules) are checked too."""
import base64
import hashlib
import hmac
import http.server
import json
import os
import re
import shutil
import ssl
import subprocess
import tempfile
import threading
import unittest
import urllib.parse

from . import captures
from .captures import replays
from .client import CFG, RW, basic, request

SECRET = "realwoo-webhook-secret-50"
NAMES = {
    "38a": "38a-webhook-delivery-ping.json", "38b": "38b-webhook-delivery-product-updated.json",
    "75": "75-webhooks-create-topics.json",
    "76a": "76a-webhook-delivery-ping.json", "76b": "76b-webhook-delivery-product-created.json",
    "76c": "76c-webhook-delivery-product-updated.json", "76d": "76d-webhook-delivery-product-deleted.json",
    "76e": "76e-webhook-delivery-product-restored.json", "76f": "76f-webhook-delivery-order-updated.json",
    "76g": "76g-webhook-delivery-customer-created.json",
    "76h": "76h-webhook-delivery-action-woocommerce_update_product.json",
    "76i": "76i-webhook-delivery-order-updated-after-refund.json",
    "76j": "76j-webhook-delivery-product-updated-after-rest-untrash.json",
    "77": "77-products-create-webhook-trigger.json", "77b": "77b-products-update-webhook-trigger.json",
    "77c": "77c-products-delete-trash-webhook-trigger.json", "77d": "77d-products-put-status-publish-on-trashed.json",
    "77e": "77e-products-delete-trash-again.json", "77f": "77f-wp-admin-untrash-product.json",
    "77g": "77g-customers-create-webhook-trigger.json", "77h": "77h-products-delete-force-no-webhook.json",
    "80": "80-wc-auth-authorize-login-and-grant-page.json", "80a": "80a-wc-auth-approve-and-return.json",
    "80b": "80b-wc-auth-callback-received.json", "80c": "80c-wc-auth-http-callback_url-rejected.json",
    "80d": "80d-wc-auth-parameter-validation.json", "80e": "80e-wc-auth-access_granted-blocked-port.json",
    "80f": "80f-wc-auth-access_granted-self-signed-callback.json",
}


def capture(short):
    return captures.load(NAMES[short])


# ---------------------------------------------------------------------------- helpers
def shape_diff(real, ours, path="$"):
    """Member names and JSON types, recursively (arrays by their first element)."""
    out = []
    if isinstance(real, dict) and isinstance(ours, dict):
        out += ["%s.%s missing" % (path, k) for k in real if k not in ours]
        out += ["%s.%s extra" % (path, k) for k in ours if k not in real]
        for k in real:
            if k in ours:
                out += shape_diff(real[k], ours[k], "%s.%s" % (path, k))
    elif isinstance(real, list) and isinstance(ours, list):
        if real and ours:
            out += shape_diff(real[0], ours[0], path + "[0]")
    elif real is not None and ours is not None and type(real) != type(ours) and "" not in (real, ours):
        # WooCommerce gives "" for a missing id (40b: image {"id": ""}); the type follows the data
        out.append("%s: %s vs %s" % (path, type(real).__name__, type(ours).__name__))
    return out


def api(method, path, body=None, key=RW):
    r = request(method, CFG["https"] + "/wp-json/wc/v3/" + path, body, basic(*key))
    return r.status, r, r.json


def ctl(method, path, body=None):
    r = request(method, CFG["http"] + "/__store/" + path, body)
    return r.json


def openssl(*args):
    subprocess.run(["openssl"] + list(args), check=True, capture_output=True)


class Certificates:
    """A CA with a certificate for 127.0.0.1 (the callback listener the store trusts), and a
    self-signed certificate no CA vouches for (80f). Made once per run."""
    dir = None

    @classmethod
    def make(cls):
        if cls.dir:
            return cls.dir
        if not shutil.which("openssl"):
            raise AssertionError("the openssl CLI is needed for the wc-auth callback listener")
        d = tempfile.mkdtemp(prefix="woostore-webhooks-")
        key = os.path.join(d, "ca.key")
        # The extensions strict verifiers demand (Python 3.13 sets VERIFY_X509_STRICT by
        # default): without keyUsage on the CA the store's callback fails on Debian 13.
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-addext", "subjectKeyIdentifier=hash", "-keyout", key, "-out", os.path.join(d, "ca.pem"))
        with open(os.path.join(d, "ext.cnf"), "w") as f:
            f.write("subjectAltName=IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\n"
                    "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n"
                    "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid,issuer\n")
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", os.path.join(d, "srv.key"),
                "-out", os.path.join(d, "srv.csr"))
        openssl("x509", "-req", "-in", os.path.join(d, "srv.csr"), "-CA", os.path.join(d, "ca.pem"), "-CAkey", key,
                "-CAcreateserial", "-days", "2", "-extfile", os.path.join(d, "ext.cnf"), "-out", os.path.join(d, "srv.pem"))
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                "-keyout", os.path.join(d, "self.key"), "-out", os.path.join(d, "self.pem"))
        cls.dir = d
        return d


class Listener:
    """Records what reaches it (method, path, headers in order, raw body) and answers `status`."""

    def __init__(self, tls=None, status=200):
        self.received = []
        self.status = status
        self.lock = threading.Lock()
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with owner.lock:
                    owner.received.append({"path": self.path, "headers": list(self.headers.items()), "body": body})
                answer = b"ok"
                self.send_response(owner.status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(answer)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(answer)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(*tls)
            self.server.socket = ctx.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.url = "%s://127.0.0.1:%d" % ("https" if tls else "http", self.port)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def take(self):
        with self.lock:
            out, self.received = self.received, []
        return out

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def headers_of(request_seen):
    return dict(request_seen["headers"])


def topic_of(request_seen):
    return headers_of(request_seen)["X-WC-Webhook-Topic"]


def verify(secret, body, header):
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode() == header


# ---------------------------------------------------------------------------- webhooks
@captures.register
class WebhookReplayTest(unittest.TestCase):
    """75-77h: webhook creation with its ping, then each write and the deliveries it makes."""
    maxDiff = None

    def setUp(self):
        # a reset forgets the delivery config too: the listener's port is allowed afresh
        ctl("POST", "reset", {"products": 20, "seed": 0})
        self.listener = Listener()
        ctl("POST", "webhooks/config", {"allowed_ports": [self.listener.port], "home_url": None})

    def tearDown(self):
        self.listener.close()

    def deliveries(self):
        self.assertTrue(ctl("POST", "webhooks/flush", {})["ok"])
        return self.listener.take()

    def create_webhooks(self):
        """75's eight creates, delivering to the listener: their answers and the pings they made."""
        made = {}
        for ex in captures.exchanges(capture("75")):
            body = dict(ex["request"]["body"], delivery_url=self.listener.url + "/hook")
            status, resp, answer = api("POST", "webhooks", body)
            made[body["topic"]] = (ex, status, resp, answer, self.listener.take())
        return made

    @replays(NAMES["75"], NAMES["76a"], NAMES["38a"])
    def test_75_76a_create_answers_like_woocommerce_and_pings_once(self):
        made = self.create_webhooks()
        self.assertEqual(len(made), 8)
        for topic, (ex, status, resp, answer, pings) in made.items():
            real = ex["response"]
            self.assertEqual(status, real["status"], topic)
            self.assertEqual(shape_diff(real["body"], answer), [], topic)
            for k in ("status", "topic", "resource", "event", "hooks", "name"):
                self.assertEqual(answer[k], real["body"][k], (topic, k))
            self.assertNotIn("secret", answer)
            self.assertEqual(resp.h("Location"), "%s/wp-json/wc/v3/webhooks/%d" % (CFG["https"], answer["id"]))
            self.assertEqual(len(pings), 1, topic)
            ping = pings[0]
            self.assertEqual(ping["body"], ("webhook_id=%d" % answer["id"]).encode())
            for real_file in ("76a", "38a"):
                sent = capture(real_file)["request"]["headers_sent_without_secrets"]
                self.assertEqual([k for k, _ in ping["headers"]], list(sent), (real_file, topic))
                for k in ("User-Agent", "Accept", "Accept-Encoding", "Connection", "Content-Type"):
                    self.assertEqual(headers_of(ping)[k], sent[k], (real_file, k))

    def check_delivery(self, seen, real_file, hook_id, topic):
        real = capture(real_file)["request"]
        sent = real["headers_sent_without_secrets"]
        ours = headers_of(seen)
        self.assertEqual([k for k, _ in seen["headers"]], list(sent), real_file)
        for k in ("User-Agent", "Accept", "Accept-Encoding", "Content-Type", "X-WC-Webhook-Resource",
                  "X-WC-Webhook-Event", "Connection"):
            self.assertEqual(ours[k], sent[k], (real_file, k))
        self.assertEqual(ours["X-WC-Webhook-Topic"], topic)
        self.assertEqual(ours["X-WC-Webhook-ID"], str(hook_id))
        self.assertEqual(ours["X-WC-Webhook-Source"], CFG["https"] + "/")
        self.assertRegex(ours["X-WC-Webhook-Delivery-ID"], r"^[0-9a-f]{32}$")
        self.assertEqual(int(ours["Content-Length"]), len(seen["body"]))
        self.assertTrue(verify(SECRET, seen["body"], ours["X-WC-Webhook-Signature"]), real_file)
        raw = seen["body"].decode("ascii")            # wp_json_encode: ASCII only, compact, '/' escaped
        self.assertNotIn('", "', raw)
        self.assertIsNone(re.search(r'[^\\]/', raw), real_file)
        self.assertEqual(shape_diff(json.loads(real["body_raw"]), json.loads(raw)), [], real_file)
        return json.loads(raw)

    @replays(NAMES["77"], NAMES["77b"], NAMES["77c"], NAMES["77d"], NAMES["77e"], NAMES["77f"], NAMES["77h"],
             NAMES["76b"], NAMES["76c"], NAMES["76d"], NAMES["76e"], NAMES["76h"], NAMES["76j"], NAMES["38b"])
    def test_77_product_lifecycle_delivers_like_woocommerce(self):
        hooks = {t: m[3]["id"] for t, m in self.create_webhooks().items()}
        status, _, product = api("POST", "products", capture("77")["request"]["body"])
        self.assertEqual(status, 201)
        pid = product["id"]
        got = self.deliveries()
        self.assertEqual([topic_of(r) for r in got], ["product.created"])  # 77: nothing else on a create
        body = self.check_delivery(got[0], "76b", hooks["product.created"], "product.created")
        self.assertEqual(body["id"], pid)
        self.assertEqual(body["permalink"].split("/product/")[0], CFG["https"])  # links on the home URL

        api("PUT", "products/%d" % pid, capture("77b")["request"]["body"])
        got = self.deliveries()
        self.assertEqual(sorted(topic_of(r) for r in got), ["action.woocommerce_update_product", "product.updated"])
        for r in got:
            if topic_of(r) == "product.updated":
                self.assertEqual(self.check_delivery(r, "76c", hooks["product.updated"], "product.updated")["regular_price"],
                                 "13.00")
                self.check_delivery(r, "38b", hooks["product.updated"], "product.updated")
            else:
                self.assertEqual(self.check_delivery(r, "76h", hooks["action.woocommerce_update_product"],
                                                     "action.woocommerce_update_product"),
                                 {"action": "woocommerce_update_product", "arg": pid})

        api("DELETE", "products/%d" % pid, capture("77c")["request"]["body"])  # a move to the trash
        got = self.deliveries()
        self.assertEqual([topic_of(r) for r in got], ["product.deleted"])
        self.check_delivery(got[0], "76d", hooks["product.deleted"], "product.deleted")
        self.assertEqual(got[0]["body"], ('{"id":%d}' % pid).encode())

        api("PUT", "products/%d" % pid, capture("77d")["request"]["body"])  # a REST "restore" is an update
        got = self.deliveries()
        self.assertEqual(sorted(topic_of(r) for r in got), ["action.woocommerce_update_product", "product.updated"])
        for r in got:
            if topic_of(r) == "product.updated":
                self.check_delivery(r, "76j", hooks["product.updated"], "product.updated")

        api("DELETE", "products/%d" % pid, capture("77e")["request"]["body"])
        self.assertEqual([topic_of(r) for r in self.deliveries()], ["product.deleted"])

        self.assertEqual(len(captures.exchanges(capture("77f"))), 2)  # wp-admin's trash list and Restore link
        restored = ctl("POST", "webhooks/untrash", {"id": pid})
        self.assertEqual(restored["status"], "publish")
        got = self.deliveries()
        self.assertEqual(sorted(topic_of(r) for r in got),
                         ["action.woocommerce_update_product", "product.restored", "product.updated"])
        for r in got:
            if topic_of(r) == "product.restored":
                self.assertEqual(self.check_delivery(r, "76e", hooks["product.restored"], "product.restored")["status"],
                                 "publish")

        status, _, _ = api("DELETE", "products/%d?force=true" % pid, capture("77h")["request"]["body"])
        self.assertEqual(status, 200)
        self.assertEqual(self.deliveries(), [])  # 77h: a permanent delete delivers nothing

    @replays(NAMES["77g"], NAMES["76g"], NAMES["76f"], NAMES["76i"])
    def test_76f_76g_76i_orders_and_customers_deliver_too(self):
        hooks = {t: m[3]["id"] for t, m in self.create_webhooks().items()}
        status, _, customer = api("POST", "customers", capture("77g")["request"]["body"])
        self.assertEqual(status, 201)
        got = self.deliveries()
        self.assertEqual([topic_of(r) for r in got], ["customer.created"])  # once, despite three hooks
        self.assertEqual(self.check_delivery(got[0], "76g", hooks["customer.created"], "customer.created")["id"],
                         customer["id"])
        order = ctl("GET", "summary")["orders"][0]
        api("PUT", "orders/%d" % order, {"status": "completed"})
        got = self.deliveries()
        self.assertEqual([topic_of(r) for r in got], ["order.updated"])
        self.check_delivery(got[0], "76f", hooks["order.updated"], "order.updated")
        ctl("POST", "webhooks/fire", {"topic": "order.updated", "resource_id": order})  # as a refund would (72)
        [seen] = self.deliveries()
        self.check_delivery(seen, "76i", hooks["order.updated"], "order.updated")


@captures.register
class WebhookDeliveryRulesTest(unittest.TestCase):
    """What WC_Webhook does around a delivery: coalescing, failures, disabling, URL rules."""

    def setUp(self):
        ctl("POST", "reset", {"products": 20, "seed": 0})
        self.listener = Listener()
        ctl("POST", "webhooks/config", {"allowed_ports": [self.listener.port]})

    def tearDown(self):
        ctl("POST", "webhooks/config", {"hold": False})
        self.listener.close()

    def create(self, url=None):
        status, _, hook = api("POST", "webhooks", {"topic": "product.updated", "secret": SECRET,
                                                   "delivery_url": url or self.listener.url + "/hook"})
        self.assertEqual(status, 201)
        self.listener.take()
        return hook

    def update_price(self, price):
        api("PUT", "products/%d" % ctl("GET", "summary")["first_product_id"], {"regular_price": price})

    def test_pending_deliveries_coalesce_and_carry_the_latest_state(self):
        self.create()
        ctl("POST", "webhooks/config", {"hold": True})
        self.update_price("20.00")
        self.update_price("21.00")
        ctl("POST", "webhooks/flush", {})
        got = self.listener.take()
        self.assertEqual(len(got), 1)
        self.assertEqual(json.loads(got[0]["body"])["regular_price"], "21.00")

    def test_more_than_five_failures_disable_the_webhook(self):
        hook = self.create()
        self.listener.status = 500
        for n in range(1, 8):
            self.update_price("%d.00" % (30 + n))
            ctl("POST", "webhooks/flush", {})
            # failure_count reaches 6; the 7th failure finds it above 5 and disables
            self.assertEqual(api("GET", "webhooks/%d" % hook["id"])[2]["status"], "disabled" if n == 7 else "active", n)
        self.assertEqual(len(self.listener.take()), 7)
        self.update_price("40.00")
        ctl("POST", "webhooks/flush", {})
        self.assertEqual(self.listener.take(), [])
        self.listener.status = 200  # re-enabled through the API, it delivers again
        api("PUT", "webhooks/%d" % hook["id"], {"status": "active"})
        self.update_price("41.00")
        ctl("POST", "webhooks/flush", {})
        self.assertEqual(len(self.listener.take()), 1)

    def test_success_is_200_to_302(self):
        hook = self.create()
        for n, status in enumerate((500, 302, 500)):
            self.listener.status = status
            self.update_price("5%d.00" % n)
            ctl("POST", "webhooks/flush", {})
        self.assertEqual(next(h for h in ctl("GET", "webhooks") if h["id"] == hook["id"])["failure_count"], 1)

    def test_delivery_id_is_the_same_within_a_second(self):
        self.create()
        second = self.create()
        del second
        self.update_price("60.00")
        got = self.listener.take() + (ctl("POST", "webhooks/flush", {}) and self.listener.take())
        ids = {headers_of(r)["X-WC-Webhook-ID"]: headers_of(r)["X-WC-Webhook-Delivery-ID"] for r in got}
        self.assertEqual(len(ids), 2)  # different webhooks: different ids (wp_hash of webhook id and second)
        self.assertEqual(len(set(ids.values())), 2)

    def test_wp_safe_remote_request_refuses_other_ports(self):
        other = Listener()
        try:
            hook = self.create(url=other.url + "/hook")  # not an allowed port: the ping never arrives
            self.assertEqual(other.take(), [])
            log = ctl("GET", "webhooks/deliveries?webhook_id=%d" % hook["id"])
            self.assertEqual(log[0]["error"], "A valid URL was not provided.")
            self.assertTrue(next(h for h in ctl("GET", "webhooks") if h["id"] == hook["id"])["pending_delivery"])
        finally:
            other.close()


# ---------------------------------------------------------------------------- wc-auth
def authorize_url(callback, return_url="http://127.0.0.1:9099/return", **override):
    params = {"app_name": "Catalog", "scope": "read_write", "user_id": "42", "return_url": return_url,
              "callback_url": callback}
    params.update(override)
    return CFG["https"] + "/wc-auth/v1/authorize?" + urllib.parse.urlencode(params)


def die_message(raw):
    m = re.search(rb'<div class="wp-die-message">(.*?)</div>', raw, re.S)
    return m.group(1).decode() if m else None


@captures.register
class WcAuthReplayTest(unittest.TestCase):
    def setUp(self):
        ctl("POST", "reset", {"products": 20, "seed": 0})
        d = Certificates.make()
        self.callback = Listener((os.path.join(d, "srv.pem"), os.path.join(d, "srv.key")))
        ctl("POST", "wc-auth/config", {"ca_file": os.path.join(d, "ca.pem"), "allowed_ports": [self.callback.port]})

    def tearDown(self):
        self.callback.close()

    def approve(self, callback_url, **override):
        return ctl("POST", "wc-auth/approve", {"url": authorize_url(callback_url, **override)})

    @replays(NAMES["80"])
    def test_80_authorize_without_login_redirects_to_login(self):
        real = captures.exchanges(capture("80"))
        r = request("GET", authorize_url("https://127.0.0.1:9098/callback"))
        self.assertEqual(r.status, real[0]["response"]["status"])
        self.assertEqual(r.h("Location"), real[0]["response"]["headers"]["Location"].replace("https://127.0.0.1:8443", CFG["https"]))
        self.assertEqual(r.h("X-Redirect-By"), "WordPress")
        login = request("GET", r.h("Location"))
        self.assertEqual(login.status, real[1]["response"]["status"])
        self.assertIn(b"Application authentication request", login.raw)
        self.assertIn(b"return?success=0&amp;user_id=42", login.raw)

    @replays(NAMES["80c"], NAMES["80d"])
    def test_80c_80d_parameter_checks(self):
        real = capture("80c")
        r = request("GET", authorize_url("http://127.0.0.1:9098/callback"))
        self.assertEqual(r.status, real["response"]["status"])
        self.assertEqual(die_message(r.raw), "Error: The callback_url needs to be over SSL.")
        for ex in captures.exchanges(capture("80d")):
            r = request("GET", CFG["https"] + ex["request"]["path_and_query"])
            if ex["response"]["status"] == 401:
                self.assertEqual(r.status, 401, ex["note"])
                self.assertEqual(die_message(r.raw), re.search(r"'(Error: [^']*)'", ex["note"]).group(1), ex["note"])
            else:  # a scheme-less callback_url passes (the capture was logged in: grant page; here: login)
                self.assertEqual(r.status, 302, ex["note"])

    @replays(NAMES["80a"], NAMES["80b"])
    def test_80a_80b_approval_posts_the_key_and_returns(self):
        real = capture("80b")
        answer = self.approve(self.callback.url + "/callback")
        self.assertEqual(answer["status"], 302)
        self.assertEqual(answer["location"], captures.exchanges(capture("80a"))[1]["response"]["headers"]["Location"])
        [seen] = self.callback.take()
        sent = real["request"]["headers_sent_without_secrets"]
        self.assertEqual([k for k, _ in seen["headers"]], list(sent))
        for k in ("Accept", "Accept-Encoding", "Content-Type", "Connection"):
            self.assertEqual(headers_of(seen)[k], sent[k], k)
        self.assertEqual(headers_of(seen)["User-Agent"], "WordPress/6.8.8; " + CFG["https"])
        body = json.loads(seen["body"])
        self.assertEqual(list(body), list(json.loads(real["request"]["body_raw"])))
        self.assertEqual(body["user_id"], "42")  # echoed as sent: a string
        self.assertRegex(body["consumer_key"], r"^ck_[0-9a-f]{40}$")
        self.assertRegex(body["consumer_secret"], real["_redaction"]["consumer_secret"]["pattern"])
        self.assertEqual(body["key_permissions"], "read_write")
        self.assertEqual(len(seen["body"]), len(real["request"]["body_raw"]) + len(str(body["key_id"])) - 1)
        self.assertEqual(api("GET", "products?per_page=1", key=(body["consumer_key"], body["consumer_secret"]))[0], 200)

    @replays(NAMES["80e"])
    def test_80e_blocked_port_deletes_the_key(self):
        self.assertEqual(capture("80e")["response"]["status"], 401)
        d = Certificates.make()
        blocked = Listener((os.path.join(d, "srv.pem"), os.path.join(d, "srv.key")))
        try:
            answer = self.approve(blocked.url + "/callback")
            self.assertEqual(answer["message"], "Error: A valid URL was not provided..")
            self.assertEqual(blocked.take(), [])
            self.assertTrue(answer["key_deleted"])
            self.assertEqual(ctl("GET", "wc-auth/keys"), [])
        finally:
            blocked.close()

    @replays(NAMES["80f"])
    def test_80f_self_signed_callback_is_refused(self):
        self.assertEqual(capture("80f")["response"]["status"], 401)
        d = Certificates.make()
        selfsigned = Listener((os.path.join(d, "self.pem"), os.path.join(d, "self.key")))
        try:
            ctl("POST", "wc-auth/config", {"allowed_ports": [selfsigned.port]})
            answer = self.approve(selfsigned.url + "/callback")
            self.assertEqual(answer["message"], "Error: cURL error 60: SSL certificate problem: self-signed certificate.")
            self.assertEqual(ctl("GET", "wc-auth/keys"), [])
        finally:
            selfsigned.close()

    def test_callback_not_200_deletes_the_key(self):
        self.callback.status = 500
        answer = self.approve(self.callback.url + "/callback")
        self.assertEqual(answer["message"],
                         "Error: An error occurred in the request and at the time were unable to send the consumer data.")
        [seen] = self.callback.take()
        key = json.loads(seen["body"])
        self.assertEqual(api("GET", "products?per_page=1", key=(key["consumer_key"], key["consumer_secret"]))[0], 401)

    def test_deny_returns_without_a_key(self):
        answer = ctl("POST", "wc-auth/deny", {"url": authorize_url(self.callback.url + "/callback")})
        self.assertEqual(answer["location"], "http://127.0.0.1:9099/return?success=0&user_id=42")
        self.assertEqual(self.callback.take(), [])
