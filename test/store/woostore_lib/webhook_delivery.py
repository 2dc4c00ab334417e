"""Webhook deliveries the way WooCommerce 10 makes them (real/38a, 38b, 75-77h; WC_Webhook,
wc-webhook-functions.php). The webhooks themselves are the REST resource of webhooks.py.

* A webhook's creation pings its delivery URL synchronously, unsigned ("webhook_id=N", real/76a);
  a ping that does not get 200 only leaves pending_delivery.
* Store writes fire WordPress/WooCommerce hooks (fire()); every active webhook whose topic
  listens to the hook gets a delivery, queued once per (webhook, resource id) while pending
  (coalesced), and sent asynchronously by a worker thread that builds the payload when it sends it
  (view context, links on the home URL), signs the raw body (base64 HMAC-SHA256 with the secret
  after wp_specialchars_decode) and sends WooCommerce's headers in its order. 200-302 is success;
  otherwise failure_count grows and a webhook whose count already exceeds 5 becomes "disabled".
  Deliveries go through wp_safe_remote_request's URL rules (ports 80/443/8080 or the home URL's
  port, loopback only on the home host; more ports through config "allowed_ports", as the
  capture's mu-plugin does) and verify TLS.
* /__store/webhooks controls: config, flush (run the queue until empty), fire (queue any topic
  for a resource id), untrash (wp-admin's Restore), deliveries (the log), and the webhooks with
  their secrets.
"""
import base64
import hashlib
import hmac
import http.client
import ipaddress
import json
import os
import ssl
import threading
import time
import types
import urllib.parse

from . import serialize as ser
from .common import fmt
from .webhooks import hooks as topic_hooks

WC_VERSION = "10.0.2"
WP_VERSION = "6.8.8"
USER_AGENT = "WooCommerce/%s Hookshot (WordPress/%s)" % (WC_VERSION, WP_VERSION)
MAX_FAILURES = 5  # woocommerce_max_webhook_delivery_failures


def wp_json_encode(obj):
    """trim(wp_json_encode($payload)): compact, non-ASCII as \\uXXXX, '/' escaped as '\\/'."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=True).replace("/", "\\/")


def wp_specialchars_decode(text):
    for entity, ch in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#039;", "'"), ("&#39;", "'"),
                       ("&#x27;", "'"), ("&amp;", "&")):
        text = text.replace(entity, ch)
    return text


def signature(secret, body):
    mac = hmac.new(wp_specialchars_decode(secret).encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(mac).decode("ascii")


class UnsafeURL(Exception):
    pass


def check_safe_url(url, home, allowed_ports):
    """wp_http_validate_url() as wp_safe_remote_request applies it (real/80e)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeURL("A valid URL was not provided.")
    home_parts = urllib.parse.urlsplit(home)
    same_host = (parts.hostname or "").lower() == (home_parts.hostname or "").lower()
    try:
        ip = ipaddress.ip_address(parts.hostname)
    except ValueError:
        ip = None
    if ip is not None and not same_host and (ip.is_private or ip.is_loopback or ip.is_unspecified):
        raise UnsafeURL("A valid URL was not provided.")
    port = parts.port
    if port is None or port in (80, 443, 8080) or port in allowed_ports:
        return
    if same_host and home_parts.port == port:
        return
    raise UnsafeURL("A valid URL was not provided.")


def send_post(url, headers, body, timeout, ca_file, verify, home, allowed_ports):
    """POST as WordPress's Requests does it: header order as given (Content-Length last unless
    placed), no redirects.
    Returns (status or None, error text or None, elapsed seconds)."""
    t0 = time.time()
    try:
        check_safe_url(url, home, allowed_ports)
    except UnsafeURL as e:
        return None, str(e), time.time() - t0
    parts = urllib.parse.urlsplit(url)
    path = (parts.path or "/") + ("?" + parts.query if parts.query else "")
    try:
        if parts.scheme == "https":
            ctx = ssl.create_default_context(cafile=ca_file) if verify else ssl._create_unverified_context()
            conn = http.client.HTTPSConnection(parts.hostname, parts.port or 443, timeout=timeout, context=ctx)
        else:
            conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
        try:
            conn.putrequest("POST", path, skip_host=True, skip_accept_encoding=True)
            for name, value in headers:
                conn.putheader(name, value)
            if not any(name == "Content-Length" for name, _ in headers):
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            resp = conn.getresponse()
            resp.read(1 << 20)
            return resp.status, None, time.time() - t0
        finally:
            conn.close()
    except ssl.SSLCertVerificationError as e:
        return None, "cURL error 60: SSL certificate problem: %s" % (e.verify_message or e.reason), time.time() - t0
    except ssl.SSLError as e:
        return None, "cURL error 35: %s" % (e.reason or e), time.time() - t0
    except (OSError, http.client.HTTPException) as e:
        return None, "cURL error: %s" % e, time.time() - t0


def fire(store, action, arg):
    """A store hook fired with its first argument (write_product, trash, ...)."""
    service = getattr(store, "webhook_events", None)
    if service is not None:
        service.fire(action, arg)


class WebhookDelivery:
    def __init__(self, app):
        self.app = app
        self.lock = threading.Condition()
        self.salt = os.urandom(16).hex()   # wp_hash()'s salt
        app.store.webhook_events = self
        self.reset()
        self.thread = threading.Thread(target=self._run, name="webhook-deliveries", daemon=True)
        self.thread.start()

    def reset(self):
        with self.lock:
            self.queue = []          # [(webhook_id, arg)] in order
            self.in_flight = 0
            self.deliveries = []     # log of what was sent
            self.config = {"home_url": None, "delay_ms": 0, "timeout_s": 60, "ca_file": None, "verify_tls": True,
                           "allowed_ports": [], "hold": False}
            self.lock.notify_all()

    def hooks(self):
        return getattr(self.app.store, "webhooks", {})

    def home_of(self, hook):
        return (self.config["home_url"] or hook.get("home") or "http://127.0.0.1").rstrip("/")

    # ------------------------------------------------------------------ creation and ping
    def created(self, hook, base):
        """A webhook was created through the API: WooCommerce pings it before answering 201. The
        store lock is let go meanwhile (the receiver may call the store back)."""
        hook.setdefault("failure_count", 0)
        hook["pending_delivery"] = True
        hook["home"] = base
        if hook["status"] != "active":
            return
        lock = self.app.store.lock
        try:
            lock.release()
            released = True
        except RuntimeError:
            released = False
        try:
            self.ping(hook)
        finally:
            if released:
                lock.acquire()

    def ping(self, hook):
        """WC_Webhook::deliver_ping(): form body, no X-WC-* headers, needs exactly 200."""
        url = hook["delivery_url"]
        body = ("webhook_id=%d" % hook["id"]).encode()
        headers = [("Host", urllib.parse.urlsplit(url).netloc), ("User-Agent", USER_AGENT), ("Accept", "*/*"),
                   ("Accept-Encoding", "deflate, gzip, br, zstd"), ("Connection", "close"),
                   ("Content-Length", str(len(body))), ("Content-Type", "application/x-www-form-urlencoded")]
        status, error, elapsed = self._post(hook, url, headers, body)
        self._log(hook, "ping", None, None, status, error, elapsed, len(body))
        if status == 200:
            hook["pending_delivery"] = False

    def _post(self, hook, url, headers, body):
        c = self.config
        return send_post(url, headers, body, c["timeout_s"], c["ca_file"], c["verify_tls"], self.home_of(hook),
                         c["allowed_ports"])

    def _log(self, hook, topic, arg, delivery_id, status, error, elapsed, size):
        with self.lock:
            self.deliveries.append({"webhook_id": hook["id"], "topic": topic, "arg": arg, "delivery_id": delivery_id,
                                    "url": hook["delivery_url"], "status": status, "error": error,
                                    "ms": round(elapsed * 1000, 1), "bytes": size, "time": round(time.time(), 6)})
            if len(self.deliveries) > 20000:
                del self.deliveries[:2000]

    # ------------------------------------------------------------------ events
    def fire(self, action, arg):
        """Queue a delivery for every active webhook listening to `action` (one per webhook and
        argument while pending, like Action Scheduler's unique woocommerce_deliver_webhook_async)."""
        with self.lock:
            for hook in sorted(self.hooks().values(), key=lambda h: h["id"]):
                if hook["status"] != "active" or action not in topic_hooks(hook["topic"]):
                    continue
                key = (hook["id"], arg)
                if key not in self.queue:
                    self.queue.append(key)
            self.lock.notify_all()

    # ------------------------------------------------------------------ delivery
    def _run(self):
        while True:
            with self.lock:
                while not self.queue or self.config["hold"]:
                    self.lock.wait()
                delay = self.config["delay_ms"] / 1000.0
            if delay > 0:
                time.sleep(delay)
            with self.lock:
                if not self.queue or self.config["hold"]:
                    continue
                wid, arg = self.queue.pop(0)
                hook = self.hooks().get(wid)
                self.in_flight += 1
            try:
                if hook is not None and hook["status"] == "active":
                    self.deliver(hook, arg)
            except Exception as e:  # the store keeps delivering whatever one delivery did
                self._log(hook, hook["topic"] if hook else "?", arg, None, None, "store error: %r" % e, 0, 0)
            finally:
                with self.lock:
                    self.in_flight -= 1
                    self.lock.notify_all()

    def payload(self, hook, arg):
        """WC_Webhook::build_payload(): the object as GET /wc/v3/<resource>s/<id> shows it (view
        context, links on the home URL), {"id"} for deleted, {"action", "arg"} for actions."""
        resource, event = hook["topic"].split(".", 1)
        if resource == "action":
            return {"action": event, "arg": arg}
        if event == "deleted":
            return {"id": arg}
        st = self.app.store
        base = self.home_of(hook)
        with st.lock:
            if resource == "product":
                p = st.posts.get(arg)
                if p is None:
                    return {"code": "woocommerce_rest_product_invalid_id", "message": "Invalid ID.",
                            "data": {"status": 404}}
                if p["kind"] == "variation":
                    out = ser.variation_json(st, p, base, "view")
                    return dict(out, type="variation", parent_id=p["parent_id"])
                return ser.product_json(st, p, base, "view")
            records = {"order": getattr(st, "orders", {}), "customer": getattr(st, "customers", {}),
                       "coupon": getattr(st, "coupons", {})}.get(resource, {})
            served = self.app.api.resources.get(resource + "s")
            if arg in records and served is not None:
                req = types.SimpleNamespace(base=base, params={}, query={}, query_pairs=[], match={}, auth=None)
                return served.render(req, records[arg], "view")
        return {"id": arg}

    def delivery_id(self, hook):
        """wp_hash($this->get_id() . strtotime('now')): the same for one webhook within a second."""
        return hmac.new(self.salt.encode(), ("%d%d" % (hook["id"], int(time.time()))).encode(), hashlib.md5).hexdigest()

    def deliver(self, hook, arg):
        body = wp_json_encode(self.payload(hook, arg)).strip().encode("ascii")
        resource, event = hook["topic"].split(".", 1)
        delivery_id = self.delivery_id(hook)
        url = hook["delivery_url"]
        headers = [("Host", urllib.parse.urlsplit(url).netloc), ("User-Agent", USER_AGENT), ("Accept", "*/*"),
                   ("Accept-Encoding", "deflate, gzip, br, zstd"), ("Content-Type", "application/json"),
                   ("X-WC-Webhook-Source", self.home_of(hook) + "/"), ("X-WC-Webhook-Topic", hook["topic"]),
                   ("X-WC-Webhook-Resource", resource), ("X-WC-Webhook-Event", event),
                   ("X-WC-Webhook-Signature", signature(hook["secret"], body)),
                   ("X-WC-Webhook-ID", str(hook["id"])), ("X-WC-Webhook-Delivery-ID", delivery_id),
                   ("Connection", "close")]
        status, error, elapsed = self._post(hook, url, headers, body)
        self._log(hook, hook["topic"], arg, delivery_id, status, error, elapsed, len(body))
        with self.lock:
            failures = hook.get("failure_count", 0)
            if status is not None and 200 <= status < 303:
                hook["failure_count"] = 0
            elif failures > MAX_FAILURES:
                hook["status"] = "disabled"
            else:
                hook["failure_count"] = failures + 1

    def flush(self, timeout):
        """Runs the queue until it is empty (like running Action Scheduler by hand)."""
        deadline = time.time() + timeout
        with self.lock:
            self.config["hold"] = False
            self.lock.notify_all()
            while self.queue or self.in_flight:
                left = deadline - time.time()
                if left <= 0:
                    return False
                self.lock.wait(left)
        return True

    # ------------------------------------------------------------------ wp-admin
    def untrash(self, post_id, status=None):
        """wp-admin's Restore link (real/77f): wp_untrash_post() puts the product back to the status
        kept in _wp_trash_meta_status and removes that meta; the only way to fire product.restored
        (the update hooks fire first)."""
        st = self.app.store
        with st.lock:
            p = st.posts.get(post_id)
            if p is None or p["kind"] != "product" or p["status"] != "trash":
                raise ValueError("product %d is not in the trash" % post_id)
            kept = next((m["value"] for m in p["meta_data"] if m["key"] == "_wp_trash_meta_status"), None)
            status = status or kept or "publish"
            p["meta_data"] = [m for m in p["meta_data"] if m["key"] not in ("_wp_trash_meta_status", "_wp_trash_meta_time")]
            st.unindex_post(p)
            p["status"] = status
            p["date_modified"] = st.now()
            st.index_post(p)
            st.reindex_sku(p)
            st.touch()
        for action in ("woocommerce_update_product", "untrashed_post"):
            self.fire(action, post_id)
        return {"ok": True, "id": post_id, "status": status}

    # ------------------------------------------------------------------ controls
    def control(self, method, sub, body, query, base):
        """/__store/webhooks[/config|/flush|/fire|/untrash|/deliveries]."""
        if sub == "" and method == "GET":
            with self.lock:
                return 200, [{"id": h["id"], "name": h["name"], "status": h["status"], "topic": h["topic"],
                              "delivery_url": h["delivery_url"], "secret": h["secret"],
                              "failure_count": h.get("failure_count", 0), "pending_delivery": h.get("pending_delivery", False),
                              "date_created": fmt(h["_created"])}
                             for h in sorted(self.hooks().values(), key=lambda h: h["id"])]
        if sub == "/config" and method in ("GET", "POST"):
            if method == "POST":
                if not isinstance(body, dict):
                    raise ValueError("body must be a JSON object")
                with self.lock:
                    for k, v in body.items():
                        if k not in self.config:
                            raise ValueError("unknown webhook setting %s (known: %s)" % (k, ", ".join(self.config)))
                        self.config[k] = v
                    self.lock.notify_all()
            return 200, dict(self.config)
        if sub == "/flush" and method == "POST":
            ok = self.flush(float(body.get("timeout_s", 30)) if isinstance(body, dict) else 30.0)
            return (200 if ok else 504), {"ok": ok, "queued": len(self.queue)}
        if sub == "/fire" and method == "POST":
            topic, arg = body.get("topic"), body.get("resource_id")
            if not isinstance(topic, str) or "." not in topic or not isinstance(arg, int):
                raise ValueError('give {"topic": "order.updated", "resource_id": 42}')
            with self.lock:
                for hook in self.hooks().values():
                    if hook["status"] == "active" and hook["topic"] == topic and (hook["id"], arg) not in self.queue:
                        self.queue.append((hook["id"], arg))
                self.lock.notify_all()
            return 200, {"ok": True}
        if sub == "/untrash" and method == "POST":
            return 200, self.untrash(int(body.get("id", 0)), body.get("status"))
        if sub == "/deliveries":
            if method == "GET":
                with self.lock:
                    items = list(self.deliveries)
                if query.get("webhook_id"):
                    items = [d for d in items if d["webhook_id"] == int(query["webhook_id"])]
                return 200, items
            if method == "DELETE":
                with self.lock:
                    self.deliveries = []
                return 200, {"ok": True}
        return None
