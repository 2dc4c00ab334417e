"""Webhooks the way WooCommerce 10 keeps and delivers them (real/38a, 38b, 67, 75-77h;
WC_Webhook, wc-webhook-functions.php, the webhooks REST controller).

* /wc/v3/webhooks CRUD: list (status filter), create (validated topic and delivery URL, a
  synchronous unsigned ping "webhook_id=N" before the 201), read, update, delete (force only),
  batch. The secret is write-only: never in a response.
* Deliveries: product writes fire the topics' hooks; a delivery is queued per (webhook, resource
  id) unless one is already pending (coalesced), and sent asynchronously by a worker thread that
  builds the payload when it sends it (view context, links on the home URL), signs the raw body
  (base64 HMAC-SHA256 with the secret after wp_specialchars_decode) and sends WooCommerce's
  headers in its order. 200-302 is success; otherwise failure_count grows and a webhook whose
  count already exceeds 5 becomes "disabled". Deliveries go through wp_safe_remote_request's URL
  rules (ports 80/443/8080 or the home URL's port, loopback only on the home host; more ports
  through config "allowed_ports", as the capture's mu-plugin does) and verify TLS.
* /__store/webhooks controls: config, flush (run the queue until empty), fire (queue any topic
  for a resource id), deliveries (the log), and the webhooks with their secrets.
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
import urllib.parse

from . import serialize as ser
from .common import WPError, fmt

WC_VERSION = "10.0.2"
WP_VERSION = "6.8.8"
USER_AGENT = "WooCommerce/%s Hookshot (WordPress/%s)" % (WC_VERSION, WP_VERSION)
STATUSES = ("active", "paused", "disabled")
RESOURCES = ("coupon", "customer", "order", "product")
EVENTS = ("created", "updated", "deleted", "restored")
MAX_FAILURES = 5  # woocommerce_max_webhook_delivery_failures

# Topic -> hooks, as WC_Webhook::get_default_topic_hooks (REST responses list them).
TOPIC_HOOKS = {
    "coupon.created": ["woocommerce_process_shop_coupon_meta", "woocommerce_new_coupon"],
    "coupon.updated": ["woocommerce_process_shop_coupon_meta", "woocommerce_update_coupon"],
    "coupon.deleted": ["wp_trash_post"],
    "coupon.restored": ["untrashed_post"],
    "customer.created": ["user_register", "woocommerce_created_customer", "woocommerce_new_customer"],
    "customer.updated": ["profile_update", "woocommerce_update_customer"],
    "customer.deleted": ["delete_user"],
    "order.created": ["woocommerce_new_order"],
    "order.updated": ["woocommerce_update_order", "woocommerce_order_refunded"],
    "order.deleted": ["wp_trash_post", "woocommerce_trash_order"],
    "order.restored": ["untrashed_post", "woocommerce_untrash_order"],
    "product.created": ["woocommerce_process_product_meta", "woocommerce_new_product", "woocommerce_new_product_variation"],
    "product.updated": ["woocommerce_process_product_meta", "woocommerce_update_product",
                        "woocommerce_update_product_variation"],
    "product.deleted": ["wp_trash_post"],
    "product.restored": ["untrashed_post"],
}

# What a product write fires, in the order WooCommerce's deliveries arrive (real/77-77h): the
# store hook names, each reaching the topics that listen to it.
PRODUCT_ACTIONS = {
    "created": ["woocommerce_new_product"],
    "variation_created": ["woocommerce_new_product_variation"],
    "updated": ["woocommerce_update_product"],
    "variation_updated": ["woocommerce_update_product_variation"],
    "trashed": ["wp_trash_post"],
    "restored": ["woocommerce_update_product", "untrashed_post"],
}


def valid_topic(topic):
    """wc_is_webhook_valid_topic(): resource.event of the defaults, or action.woocommerce_* / action.wc_*."""
    if not isinstance(topic, str) or "." not in topic:
        return False
    resource, event = topic.split(".", 1)
    if resource == "action":
        return event.startswith("woocommerce_") or event.startswith("wc_")
    return topic in TOPIC_HOOKS or topic == "product.published"


def topic_hooks(topic):
    resource, event = topic.split(".", 1)
    if resource == "action":
        return [event]
    return list(TOPIC_HOOKS.get(topic, ["woocommerce_product_published"] if topic == "product.published" else []))


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


class WebhookService:
    def __init__(self, app):
        self.app = app
        self.lock = threading.Condition()
        self.salt = os.urandom(16).hex()   # wp_hash()'s salt
        self.reset()
        self.thread = threading.Thread(target=self._run, name="webhook-deliveries", daemon=True)
        self.thread.start()

    # ------------------------------------------------------------------ state
    def reset(self):
        with self.lock:
            self.hooks = {}
            self.next_id = 1
            self.queue = []          # [(webhook_id, arg)] in order
            self.in_flight = 0
            self.deliveries = []     # log of what was sent
            self.trash_status = {}   # product id -> status before the trash
            self.config = {"home_url": None, "delay_ms": 0, "timeout_s": 60, "ca_file": None, "verify_tls": True,
                           "allowed_ports": [], "hold": False}
            self.lock.notify_all()

    def _now(self):
        return self.app.store.now()

    def home_of(self, hook):
        return (self.config["home_url"] or hook["home"]).rstrip("/")

    # ------------------------------------------------------------------ REST
    def handle(self, api, req, method):
        """Routes /wc/v3/webhooks[/<id>|/batch]. Authentication already ran."""
        parts = req.route.rstrip("/").split("/")   # ['', 'wc', 'v3', 'webhooks', ...]
        rest = parts[4:]
        if not rest:
            if method == "GET":
                api.require(req, "list")
                return self._list(req)
            if method == "POST":
                api.require(req, "create")
                hook = self._create(req, api._body_dict(req))
                return 201, self._json(req, hook), [("Location", "%s/wp-json/wc/v3/webhooks/%d" % (req.base, hook["id"]))]
            raise WPError("rest_no_route", "No route was found matching the URL and request method.", 404)
        if rest == ["batch"] and method in ("POST", "PUT", "PATCH"):
            api.require(req, "batch")
            return 200, self._batch(req, api._body_dict(req)), []
        if len(rest) == 1 and rest[0].isdigit():
            wid = int(rest[0])
            if method == "GET":
                hook = self._get(wid, 404, "Invalid ID.")
                api.require(req, "read")
                return 200, self._json(req, hook), []
            if method in ("POST", "PUT", "PATCH"):
                hook = self._get(wid, 400, "ID is invalid.")
                api.require(req, "edit")
                return 200, self._json(req, self._update(hook, api._body_dict(req))), []
            if method == "DELETE":
                api.require(req, "delete")
                force = str(dict(req.query_pairs).get("force", "")).lower() in ("1", "true", "yes")
                return 200, self._delete(req, wid, force), []
        raise WPError("rest_no_route", "No route was found matching the URL and request method.", 404)

    def _get(self, wid, status, message):
        with self.lock:
            hook = self.hooks.get(wid)
        if hook is None:
            raise WPError("woocommerce_rest_shop_webhook_invalid_id", message, status)
        return hook

    def _json(self, req, hook):
        def local(d):
            return fmt(self.app.store.to_local(d)) if d else None

        resource, event = hook["topic"].split(".", 1)
        return {"id": hook["id"], "name": hook["name"], "status": hook["status"], "topic": hook["topic"],
                "resource": resource, "event": event, "hooks": topic_hooks(hook["topic"]),
                "delivery_url": hook["delivery_url"], "date_created": local(hook["date_created"]),
                "date_created_gmt": fmt(hook["date_created"]),
                "date_modified": local(hook["date_modified"]),
                "date_modified_gmt": fmt(hook["date_modified"]) if hook["date_modified"] else None,
                "_links": {"self": [{"href": "%s/wp-json/wc/v3/webhooks/%d" % (req.base, hook["id"]),
                                     "targetHints": {"allow": ["GET", "POST", "PUT", "PATCH", "DELETE"]}}],
                           "collection": [{"href": "%s/wp-json/wc/v3/webhooks" % req.base}]}}

    def _list(self, req):
        q = dict(req.query_pairs)
        status = q.get("status", "all")
        if status not in ("all",) + STATUSES:
            raise WPError("rest_invalid_param", "Invalid parameter(s): status", 400,
                          params={"status": "status is not one of all, active, paused, and disabled."})
        try:
            per_page = int(q.get("per_page", 10))
            page = int(q.get("page", 1))
        except ValueError:
            raise WPError("rest_invalid_param", "Invalid parameter(s): per_page", 400)
        if not 1 <= per_page <= 100 or page < 1:
            raise WPError("rest_invalid_param", "Invalid parameter(s): per_page", 400)
        with self.lock:
            hooks = [h for h in self.hooks.values() if status == "all" or h["status"] == status]
        hooks.sort(key=lambda h: (h["date_created"], h["id"]), reverse=q.get("order", "desc") != "asc")
        total = len(hooks)
        pages = (total + per_page - 1) // per_page
        chunk = hooks[(page - 1) * per_page: page * per_page]
        return 200, [self._json(req, h) for h in chunk], [("X-WP-Total", str(total)), ("X-WP-TotalPages", str(pages))]

    def _validate(self, data, creating):
        topic = data.get("topic")
        if creating or topic:
            if not topic or not valid_topic(str(topic).lower()):
                raise WPError("woocommerce_rest_shop_webhook_invalid_topic",
                              "Webhook topic is required and must be valid." if creating else "Webhook topic must be valid.",
                              400)
        url = data.get("delivery_url")
        if creating or url:
            parts = urllib.parse.urlsplit(str(url or ""))
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise WPError("woocommerce_rest_shop_webhook_invalid_delivery_url",
                              "Webhook delivery URL must be a valid URL starting with http:// or https://.", 400)
        status = data.get("status")
        if status is not None and status not in STATUSES:
            raise WPError("rest_invalid_param", "Invalid parameter(s): status", 400,
                          params={"status": "status is not one of active, paused, and disabled."})

    def _create(self, req, data):
        if data.get("id"):
            raise WPError("woocommerce_rest_shop_webhook_exists", "Cannot create existing shop_webhook.", 400)
        self._validate(data, True)
        now = self._now()
        with self.lock:
            wid = self.next_id
            self.next_id += 1
            hook = {"id": wid, "name": data.get("name") or "Webhook created on %s" % now.strftime("%b %d, %Y @ %I:%M %p"),
                    "status": data.get("status") or "active", "topic": str(data["topic"]).lower(),
                    "delivery_url": data["delivery_url"], "secret": data.get("secret") or self._default_secret(req),
                    "failure_count": 0, "pending_delivery": True, "date_created": now, "date_modified": None,
                    "home": req.base}
            self.hooks[wid] = hook
        if hook["status"] == "active":
            self.ping(hook)   # synchronous, before the 201; a failure only leaves pending_delivery
        return hook

    def _default_secret(self, req):
        user = req.auth.user["consumer_key"] if req.auth is not None and req.auth.user else "1"
        return hashlib.md5(("1|" + user).encode()).hexdigest()

    def _update(self, hook, data):
        self._validate(data, False)
        with self.lock:
            if data.get("topic"):
                hook["topic"] = str(data["topic"]).lower()
            if data.get("delivery_url"):
                hook["delivery_url"] = data["delivery_url"]
            if data.get("secret"):
                hook["secret"] = data["secret"]
            if data.get("name"):
                hook["name"] = data["name"]
            if data.get("status"):
                if data["status"] == "active" and hook["status"] != "active":
                    hook["failure_count"] = 0
                hook["status"] = data["status"]
            hook["date_modified"] = self._now()
        return hook

    def _delete(self, req, wid, force):
        if not force:
            raise WPError("woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.", 501)
        hook = self._get(wid, 404, "Invalid ID.")
        out = self._json(req, hook)
        with self.lock:
            self.hooks.pop(wid, None)
            self.queue = [q for q in self.queue if q[0] != wid]
        return out

    def _batch(self, req, body):
        out = {}
        for key in ("create", "update", "delete"):
            items = body.get(key) if isinstance(body, dict) else None
            if not isinstance(items, list) or not items:
                continue
            res = []
            for item in items:
                try:
                    if key == "create":
                        res.append(self._json(req, self._create(req, item if isinstance(item, dict) else {})))
                    elif key == "update":
                        wid = int((item or {}).get("id") or 0)
                        res.append(self._json(req, self._update(self._get(wid, 400, "ID is invalid."), item)))
                    else:
                        res.append(self._delete(req, int(item), True))
                except WPError as e:
                    res.append({"id": 0, "error": e.body()})
                except (TypeError, ValueError):
                    res.append({"id": 0, "error": WPError("woocommerce_rest_shop_webhook_invalid_id", "ID is invalid.",
                                                          400).body()})
            out[key] = res
        return out

    # ------------------------------------------------------------------ ping
    def ping(self, hook):
        """WC_Webhook::deliver_ping(): form body, no X-WC-* headers, needs exactly 200."""
        url = hook["delivery_url"]
        netloc = urllib.parse.urlsplit(url).netloc
        body = ("webhook_id=%d" % hook["id"]).encode()
        headers = [("Host", netloc), ("User-Agent", USER_AGENT), ("Accept", "*/*"),
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
        """A store hook fired with its first argument: queue a delivery for every active webhook
        listening to it (one per webhook and argument while pending, like Action Scheduler's
        woocommerce_deliver_webhook_async with unique args)."""
        with self.lock:
            for hook in sorted(self.hooks.values(), key=lambda h: h["id"]):
                if hook["status"] != "active" or action not in topic_hooks(hook["topic"]):
                    continue
                key = (hook["id"], arg)
                if key not in self.queue:
                    self.queue.append(key)
            self.lock.notify_all()

    def product_event(self, kind, arg):
        for action in PRODUCT_ACTIONS[kind]:
            self.fire(action, arg)

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
                hook = self.hooks.get(wid)
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
            if resource == "order" and arg in st.orders:
                return ser.order_json(st, st.orders[arg], base)
            if resource == "customer" and arg in st.customers:
                return ser.customer_json(st, st.customers[arg], base)
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
            if status is not None and 200 <= status < 303:
                hook["failure_count"] = 0
            elif hook["failure_count"] > MAX_FAILURES:
                hook["status"] = "disabled"
            else:
                hook["failure_count"] += 1

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
    def trashed(self, post_id, previous_status):
        """A product moved to the trash: remember its status for the wp-admin restore."""
        with self.lock:
            self.trash_status[post_id] = previous_status
        self.product_event("trashed", post_id)

    def untrash(self, post_id, status=None):
        """wp-admin's Restore link (real/77f): wp_untrash_post() puts the product back to its
        previous status; the only way to fire product.restored."""
        st = self.app.store
        with st.lock:
            p = st.posts.get(post_id)
            if p is None or p["kind"] != "product" or p["status"] != "trash":
                raise ValueError("product %d is not in the trash" % post_id)
            with self.lock:
                status = status or self.trash_status.pop(post_id, "publish")
            st.unindex_post(p)
            p["status"] = status
            p["date_modified"] = st.now()
            st.index_post(p)
            st.reindex_sku(p)
            st.touch()
        self.product_event("restored", post_id)
        return {"ok": True, "id": post_id, "status": status}

    # ------------------------------------------------------------------ controls
    def control(self, method, sub, body, query):
        """/__store/webhooks[/config|/flush|/fire|/deliveries]."""
        if sub == "" and method == "GET":
            with self.lock:
                return 200, [dict(h, date_created=fmt(h["date_created"]),
                                  date_modified=fmt(h["date_modified"]) if h["date_modified"] else None)
                             for h in sorted(self.hooks.values(), key=lambda h: h["id"])]
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
            if not valid_topic(topic) or not isinstance(arg, int):
                raise ValueError('give {"topic": "order.updated", "resource_id": 42}')
            with self.lock:
                for hook in self.hooks.values():
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
