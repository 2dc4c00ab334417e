"""HTTP(S) front end: keep-alive handler, /__store/ controls, faults, request log."""
import http.server
import json
import socket
import socketserver
import ssl
import struct
import sys
import threading
import time
import traceback
import urllib.parse

from . import api as apimod
from . import fixtures
from . import sku_race
from .auth import KeyRing
from .common import WPError
from .state import Store
from .wc_auth import WcAuth
from .webhook_delivery import WebhookDelivery

SECRET_QUERY_KEYS = ("consumer_secret", "oauth_signature", "secret")
COMMON_HEADERS = [
    ("X-Robots-Tag", "noindex"),
    ("X-Content-Type-Options", "nosniff"),
    ("Access-Control-Expose-Headers", "X-WP-Total, X-WP-TotalPages, Link"),
    ("Access-Control-Allow-Headers", "Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type"),
]
NOCACHE_HEADERS = [("Expires", "Wed, 11 Jan 1984 05:00:00 GMT"),
                   ("Cache-Control", "no-cache, must-revalidate, max-age=0, no-store, private")]
FAULT_KINDS = ("latency", "status", "rate_limit", "reset", "truncate", "invalid_json", "html", "trickle",
               "strip_authorization")
# Whether a fault answers before the store does the request's work or after it, as what it
# imitates does: a rate limiter, an overloaded proxy's 502/503/504, WordPress's maintenance page
# refuse before anything runs; a connection that dies, a response cut short, a PHP warning in the
# output, a slow body happen to a request that was carried out. "when" may choose for status
# (e.g. a 504 after the work: the backend finished, the gateway gave up) and reset; "during" for
# status answers at once and does the work afterwards (a gateway's 504 while PHP carries on).
FAULT_WHEN = {"status": "before", "rate_limit": "before", "html": "before", "reset": "after",
              "truncate": "after", "invalid_json": "after", "trickle": "after"}
FAULT_WHEN_CHOICE = ("status", "reset")


def _json_bytes(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _created_products(method, resp):
    """[[id, sku], ...] of the products and variations a POST created (a
    single create or a batch's create items that succeeded): the log's
    record of what was created, for "each SKU created at most once"."""
    if method != "POST" or resp.status not in (200, 201) or resp.raw is not None:
        return []
    body = resp.body
    if isinstance(body, dict) and isinstance(body.get("create"), list):
        items = body["create"]
    elif resp.status == 201 and isinstance(body, dict):
        items = [body]
    else:
        return []
    return [[o["id"], o["sku"]] for o in items
            if isinstance(o, dict) and "sku" in o and "error" not in o and o.get("id")]


def wp_html_page(base, title, body_html):
    return ("<!DOCTYPE html>\n<html lang=\"en-US\">\n<head>\n<meta charset=\"UTF-8\" />\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n"
            "<title>%s &#8211; WooStore Test Shop</title>\n"
            "<link rel=\"https://api.w.org/\" href=\"%s/wp-json/\" />\n"
            "<meta name=\"generator\" content=\"WordPress 6.8.8\" />\n"
            "<meta name=\"generator\" content=\"WooCommerce 10.0.2\" />\n"
            "</head>\n<body class=\"home wp-theme-storefront woocommerce-no-js\">\n<div id=\"page\" class=\"hfeed site\">\n"
            "<header id=\"masthead\" class=\"site-header\"><a href=\"%s/\">WooStore Test Shop</a></header>\n"
            "<main id=\"main\" class=\"site-main\">%s</main>\n</div>\n</body>\n</html>\n"
            % (title, base, base, body_html)).encode("utf-8")


class App:
    """Shared state of all listeners."""

    def __init__(self, products=20, seed=0, keys=None, latency_ms=0, quiet=False, timezone="Europe/Berlin"):
        self.defaults = {"products": products, "seed": seed, "latency_ms": latency_ms, "timezone": timezone}
        self.store = Store(products, seed, timezone)
        self.ring = KeyRing(keys)
        self.quiet = quiet
        self.lock = threading.Lock()
        self._reset_runtime()
        self.api = apimod.API(self.store, self.ring, self.config)
        # Webhook deliveries and the wc-auth flow (issue 13) live in their own modules; store
        # writes reach the deliveries through store.webhook_events.
        self.webhooks = WebhookDelivery(self)
        self.wc_auth = WcAuth(self)

    def _reset_runtime(self):
        self.config = getattr(self, "config", {})
        self.config.clear()
        self.config.update({"latency_ms": self.defaults["latency_ms"], "strip_authorization": False,
                            "timezone": self.defaults["timezone"], "now": None, "sku_race": False})
        self.faults = []
        self.fault_seq = 0
        self.in_flight = getattr(self, "in_flight", 0)   # API requests being served now (survives a reset)
        self.log = []
        self.log_seq = 0
        self.counters = {}
        self.store.frozen_now = None
        self.store.set_timezone(self.defaults["timezone"])

    # ------------------------------------------------------------------ faults
    def take_fault(self, method, path):
        with self.lock:
            for f in self.faults:
                if not path.startswith(f["path_prefix"]):
                    continue
                if f.get("method") and f["method"].upper() != method:
                    continue
                if f["remaining"] == 0:
                    continue
                if f["remaining"] > 0:
                    f["remaining"] -= 1
                f["hits"] += 1
                fault = dict(f)
                if f["remaining"] == 0:
                    self.faults.remove(f)
                return fault
        return None

    def add_fault(self, spec):
        if not isinstance(spec, dict):
            raise ValueError("body must be a JSON object")
        kind = spec.get("kind")
        if kind not in FAULT_KINDS:
            raise ValueError("kind must be one of %s" % ", ".join(FAULT_KINDS))
        count = int(spec.get("count", 1))
        if count == 0 or count < -1:
            raise ValueError("count must be >= 1 or -1")
        when = spec.get("when", FAULT_WHEN.get(kind))
        if "when" in spec and (kind not in FAULT_WHEN_CHOICE or when not in ("before", "after", "during")
                               or (when == "during" and kind != "status")):
            raise ValueError("when (before|after) can be chosen for the kinds %s only, and during for status"
                             % ", ".join(FAULT_WHEN_CHOICE))
        with self.lock:
            self.fault_seq += 1
            f = dict(spec)
            f.update({"id": self.fault_seq, "kind": kind, "path_prefix": spec.get("path_prefix") or "/", "when": when,
                      "method": (spec.get("method") or "").upper() or None, "count": count, "remaining": count,
                      "hits": 0})
            self.faults.append(f)
            return f

    # ------------------------------------------------------------------ log
    def record(self, entry):
        # [time, end]: when the store served the request, so that a log
        # shows how many of its requests were in flight at once.
        entry["end"] = round(time.time(), 6)
        with self.lock:
            self.log_seq += 1
            entry["seq"] = self.log_seq
            self.log.append(entry)
            if len(self.log) > 100000:
                del self.log[:10000]
            key = entry.pop("_counter")
            self.counters[key] = self.counters.get(key, 0) + 1


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nginx/1.22.1"
    sys_version = ""

    def version_string(self):
        return "nginx/1.22.1 (woostore)"
    timeout = 300

    # silence default logging unless verbose
    def log_message(self, fmt, *args):
        if not self.server.app.quiet:
            sys.stderr.write("%s - %s\n" % (self.address_string(), fmt % args))

    def setup(self):
        super().setup()
        if isinstance(self.request, ssl.SSLSocket):
            try:
                self.request.settimeout(30)
                self.request.do_handshake()
                self.request.settimeout(self.timeout)
            except (ssl.SSLError, OSError):
                self.close_connection = True
                raise

    def handle(self):
        try:
            super().handle()
        except (ConnectionError, ssl.SSLError, socket.timeout, OSError):
            pass

    def do_GET(self):
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = do_GET

    # ------------------------------------------------------------------ plumbing
    @property
    def app(self):
        return self.server.app

    def _base_url(self):
        host = self.headers.get("Host")
        if not host:
            h, p = self.server.server_address[:2]
            host = "%s:%d" % (h, p)
        return "%s://%s" % ("https" if self.server.is_tls else "http", host)

    def _read_body(self):
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            chunks = []
            while True:
                line = self.rfile.readline()
                size = int(line.strip().split(b";")[0] or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def _send(self, status, headers, body, head_only=False):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if not head_only and body:
            self.wfile.write(body)
        self.wfile.flush()

    def _json(self, status, obj, extra=None):
        body = _json_bytes(obj)
        self._send(status, [("Content-Type", "application/json; charset=UTF-8")] + list(extra or []), body)

    # ------------------------------------------------------------------ main
    def _serve(self):
        method = self.command.upper()
        parsed = urllib.parse.urlsplit(self.path)
        path = parsed.path or "/"
        try:
            raw_body = self._read_body()
        except (ValueError, OSError):
            self.close_connection = True
            return
        if self.headers.get("Connection", "").lower() == "close":
            self.close_connection = True
        try:
            if path.startswith("/__store"):
                return self._control(method, path, parsed.query, raw_body)
            if path.startswith("/wc-auth/v1/") and method in ("GET", "HEAD"):
                status, headers, body = self.app.wc_auth.handle(
                    method, path, urllib.parse.parse_qsl(parsed.query, keep_blank_values=True), self._base_url())
                return self._send(status, [("Content-Type", "text/html; charset=UTF-8")] + headers, body, method == "HEAD")
            app = self.app
            with app.lock:
                app.in_flight += 1
                # sku_race: what this request's SKU check can see (sku_race.py).
                self.race_horizon = app.store.next_post_id if app.config.get("sku_race") else None
            try:
                self._api_request(method, path, parsed.query, raw_body)
            finally:
                with app.lock:
                    app.in_flight -= 1
        except (ConnectionError, ssl.SSLError, socket.timeout):
            raise
        except Exception:  # a bug in the store: say so loudly, answer like PHP's fatal error
            traceback.print_exc(file=sys.stderr)
            sys.stderr.flush()
            self.close_connection = True
            self._send(500, [("Content-Type", "application/json; charset=UTF-8")], _json_bytes(
                {"code": "woostore_internal_error", "message": "The test store failed: %s" % traceback.format_exc(limit=1)
                 .strip().splitlines()[-1], "data": {"status": 500}}))

    def _api_request(self, method, path, query_string, raw_body):
        app = self.app
        t0 = time.time()
        pairs = urllib.parse.parse_qsl(query_string, keep_blank_values=True)
        base = self._base_url()
        auth_header = self.headers.get("Authorization")
        # method override (WordPress core)
        if method == "POST":
            override = self.headers.get("X-HTTP-Method-Override") or dict(pairs).get("_method")
            if override and override.upper() in ("PUT", "PATCH", "DELETE", "GET"):
                method = override.upper()
        via_rest_route = False
        route = None
        qdict = dict(pairs)
        if path.startswith("/wp-json"):
            rest = path[len("/wp-json"):]
            if rest == "" or rest.startswith("/"):
                route = rest or "/"
        elif path in ("/", "/index.php") and "rest_route" in qdict:
            route = qdict["rest_route"] or "/"
            via_rest_route = True
            pairs = [(k, v) for k, v in pairs if k != "rest_route"]
        template = None
        if route is not None:
            m = apimod.match_route(route.rstrip("/") or "/")
            template = m[1] if m else ("/" if (route.rstrip("/") or "/") == "/" else "<no_route>")
        counter_key = "%s %s" % (method, template if route is not None else "<html>")
        body_obj, form, json_error = None, {}, None
        ctype = (self.headers.get("Content-Type") or "").lower()
        if raw_body:
            if "application/x-www-form-urlencoded" in ctype:
                form = dict(urllib.parse.parse_qsl(raw_body.decode("utf-8", "replace"), keep_blank_values=True))
                body_obj = dict(form)
            else:
                try:
                    body_obj = json.loads(raw_body.decode("utf-8"))
                except (ValueError, UnicodeDecodeError) as exc:
                    if "json" in ctype or raw_body.strip()[:1] in (b"{", b"["):
                        json_error = str(exc)
        entry = {"method": method, "path": path, "query": self._log_query(pairs),
                 "body": self._log_body(body_obj), "status": None, "auth_mode": "none",
                 "time": round(t0, 6), "_counter": counter_key}
        fault = app.take_fault(method, path)
        if fault and fault["kind"] == "strip_authorization":
            auth_header = None
            fault = None
        if app.config.get("strip_authorization"):
            auth_header = None
        latency = float(app.config.get("latency_ms") or 0)
        if fault and fault["kind"] == "latency":
            latency += float(fault.get("latency_ms", 1000))
        # A status fault "during" the work: a gateway that stops waiting (a
        # 504 while PHP carries on): the client gets the status at once, the
        # store does the work afterwards (after the fault's latency_ms).
        answered_during = bool(fault and fault["kind"] == "status" and fault.get("when") == "during")
        if answered_during:
            self.close_connection = True
            self._send(*self._fault_status(fault, base))
            latency += float(fault.get("latency_ms", 0))
        if latency > 0:
            time.sleep(latency / 1000.0)
        # ---- build the real response, unless the fault refuses before the work
        if fault and fault.get("when") == "before":
            status, headers, body = 0, [], b""
            entry["fault_when"] = "before"
        elif route is None:
            status, headers, body = self._html_response(method, path, base)
        elif json_error is not None:
            err = WPError("rest_invalid_json", "Invalid JSON body passed.", 400, json_error_code=4,
                          json_error_message="Syntax error")
            status, headers, body = 400, self._api_headers(base, [], None, False), _json_bytes(err.body())
        else:
            req = apimod.Req(method, route, pairs, body_obj, base, self.server.is_tls, auth_header, form,
                             via_rest_route=via_rest_route)
            with app.store.lock:
                sku_race.begin(app.store, self.race_horizon)
                try:
                    resp = app.api.handle(req)
                finally:
                    sku_race.end(app.store)
            created = _created_products(method, resp)
            if created:
                entry["created"] = created
            if req.auth is not None:
                entry["auth_mode"] = req.auth.mode
                if req.auth.consumer_key:
                    entry["consumer_key"] = req.auth.consumer_key
            status = resp.status
            body = _json_bytes(resp.body) if resp.raw is None else resp.raw
            logged_in = req.auth is not None and req.auth.user is not None
            headers = self._api_headers(base, resp.headers, resp.content_type, logged_in)
        if answered_during:
            entry["status"] = int(fault.get("status", 500))
            entry["fault"] = "status"
            entry["fault_when"] = "during"
            app.record(entry)
            return
        # ---- faults that replace / damage the response
        if fault:
            kind = fault["kind"]
            if fault.get("when") == "after":
                entry["fault_when"] = "after"
            if kind == "status":
                status, headers, body = self._fault_status(fault, base)
            elif kind == "rate_limit":
                ra = str(fault.get("retry_after", 1))
                status = 429
                headers = [("Content-Type", "application/json; charset=UTF-8"), ("Retry-After", ra)]
                body = _json_bytes(fault.get("body") or {
                    "code": "rate_limit_exceeded",
                    "message": "Too many requests. Please wait %s seconds before trying again." % ra,
                    "data": {"status": 429}})
            elif kind == "html":
                status = int(fault.get("status", 200))
                headers = [("Content-Type", "text/html; charset=UTF-8")]
                body = wp_html_page(base, "Briefly unavailable", "<p>Briefly unavailable for scheduled maintenance. "
                                                                 "Check back in a minute.</p>")
            elif kind == "invalid_json":
                body = (b"<br />\n<b>Warning</b>:  Undefined array key \"sku\" in <b>/var/www/html/wp-content/"
                        b"plugins/some-plugin/some-plugin.php</b> on line <b>42</b><br />\n" + body)
                if fault.get("mode") == "cut":
                    body = body[: max(1, len(body) // 2)]
            elif kind == "reset":
                entry["status"] = 0
                entry["fault"] = kind
                app.record(entry)
                self._reset_connection()
                return
        entry["status"] = status
        if fault:
            entry["fault"] = fault["kind"]
        app.record(entry)
        head_only = method == "HEAD"
        if fault and fault["kind"] == "truncate":
            self.close_connection = True
            self.send_response(status)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self._hard_close()
            return
        if fault and fault["kind"] == "trickle":
            delay = float(fault.get("delay_ms", 50)) / 1000.0
            size = max(1, int(fault.get("chunk_bytes", 16)))
            self.send_response(status)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.flush()
            if not head_only:
                for i in range(0, len(body), size):
                    self.wfile.write(body[i:i + size])
                    self.wfile.flush()
                    if i + size < len(body):
                        time.sleep(delay)
            return
        self._send(status, headers, body, head_only)

    def _api_headers(self, base, resp_headers, content_type, logged_in):
        """WordPress's headers around an API answer: no-cache headers for a logged-in user only
        (rest_send_nocache_headers), Vary: Origin on a GET without user and without Origin
        (rest_send_cors_headers: the 401s of real/04h, the public index of real/02)."""
        headers = [("Content-Type", content_type or "application/json; charset=UTF-8")]
        has_link = any(k == "Link" for k, _ in resp_headers)
        headers += COMMON_HEADERS
        if not has_link:
            headers.append(("Link", '<%s/wp-json/>; rel="https://api.w.org/"' % base))
        headers += resp_headers
        if logged_in:
            headers += NOCACHE_HEADERS
        elif self.command.upper() == "GET" and not self.headers.get("Origin"):
            headers.append(("Vary", "Origin"))
        return headers

    def _fault_status(self, fault, base):
        status = int(fault.get("status", 500))
        body = fault.get("body")
        if body is not None:
            if isinstance(body, (dict, list)):
                return status, [("Content-Type", "application/json; charset=UTF-8")], _json_bytes(body)
            return status, [("Content-Type", fault.get("content_type") or "text/plain; charset=UTF-8")], \
                str(body).encode("utf-8")
        if status == 500:
            return status, [("Content-Type", "application/json; charset=UTF-8")], _json_bytes({
                "code": "internal_server_error",
                "message": "<p>There has been a critical error on this website.</p><p><a href=\"https://wordpress.org/"
                           "documentation/article/faq-troubleshooting/\">Learn more about troubleshooting WordPress.</a></p>",
                "data": {"status": 500}, "additional_errors": []})
        reason = {502: "Bad Gateway", 503: "Service Temporarily Unavailable", 504: "Gateway Time-out"}.get(
            status, http.server.BaseHTTPRequestHandler.responses.get(status, ("Error",))[0])
        html = ("<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n<center><h1>%d %s</h1></center>\r\n"
                "<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n" % (status, reason, status, reason))
        headers = [("Content-Type", "text/html")]
        if status == 503 and fault.get("retry_after") is not None:
            headers.append(("Retry-After", str(fault["retry_after"])))
        return status, headers, html.encode("utf-8")

    def _html_response(self, method, path, base):
        headers = [("Content-Type", "text/html; charset=UTF-8"),
                   ("Link", '<%s/wp-json/>; rel="https://api.w.org/"' % base)]
        if method in ("GET", "HEAD") and path in ("/", "/index.php"):
            return 200, headers, wp_html_page(base, "Home", "<h1>WooStore Test Shop</h1><p>Just another WooCommerce "
                                                            "test store.</p>")
        return 404, headers, wp_html_page(base, "Page not found", "<h1 class=\"page-title\">Oops! That page "
                                                                  "can&rsquo;t be found.</h1>")

    def _reset_connection(self):
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        self._hard_close()

    def _hard_close(self):
        self.close_connection = True
        try:
            if isinstance(self.connection, ssl.SSLSocket):
                sock = self.connection
            else:
                sock = self.connection
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            self.connection.close()
        except OSError:
            pass

    def _log_query(self, pairs):
        out = {}
        for k, v in pairs:
            if k in SECRET_QUERY_KEYS:
                continue
            out.setdefault(k, []).append(v)
        return out

    def _log_body(self, body):
        if isinstance(body, dict):
            return {k: v for k, v in body.items() if k not in SECRET_QUERY_KEYS}
        return body

    # ------------------------------------------------------------------ controls
    def _control(self, method, path, query_string, raw_body):
        app = self.app
        q = dict(urllib.parse.parse_qsl(query_string, keep_blank_values=True))
        try:
            body = json.loads(raw_body.decode("utf-8")) if raw_body.strip() else {}
        except ValueError:
            return self._json(400, {"error": "invalid JSON body"})
        sub = path[len("/__store"):].rstrip("/")
        try:
            if sub == "/health" and method == "GET":
                with app.lock:
                    return self._json(200, {"ok": True, "in_flight": app.in_flight})
            if sub == "/reset" and method == "POST":
                products = int(body.get("products", app.defaults["products"]))
                seed = int(body.get("seed", app.defaults["seed"]))
                t0 = time.time()
                with app.store.lock:
                    app._reset_runtime()
                    app.store.reset(products, seed)
                    app.ring.clear_nonces()
                    app.webhooks.reset()
                    app.wc_auth.reset()
                return self._json(200, {"ok": True, "products": products, "seed": seed,
                                        "seconds": round(time.time() - t0, 3), **self._summary()})
            if sub == "/seed" and method == "POST":
                n = int(body.get("products", 0))
                app.store.add_products(n)
                return self._json(200, {"ok": True, "added": n, **self._summary()})
            if sub == "/load" and method == "POST":
                return self._json(200, {"ok": True, "loaded": fixtures.load(app.store, body)})
            if sub == "/summary" and method == "GET":
                return self._json(200, self._summary())
            if sub == "/requests":
                if method == "GET":
                    with app.lock:
                        items = list(app.log)
                    if q.get("path_prefix"):
                        items = [e for e in items if e["path"].startswith(q["path_prefix"])]
                    if q.get("method"):
                        items = [e for e in items if e["method"] == q["method"].upper()]
                    if q.get("since_seq"):
                        items = [e for e in items if e["seq"] > int(q["since_seq"])]
                    return self._json(200, items)
                if method == "DELETE":
                    with app.lock:
                        app.log = []
                    return self._json(200, {"ok": True})
            if sub == "/counters":
                if method == "GET":
                    with app.lock:
                        return self._json(200, dict(sorted(app.counters.items())))
                if method == "DELETE":
                    with app.lock:
                        app.counters = {}
                    return self._json(200, {"ok": True})
            if sub == "/faults":
                if method == "GET":
                    with app.lock:
                        return self._json(200, [dict(f) for f in app.faults])
                if method == "POST":
                    specs = body if isinstance(body, list) else [body]
                    added = [app.add_fault(s) for s in specs]
                    return self._json(200, added if isinstance(body, list) else added[0])
                if method == "DELETE":
                    with app.lock:
                        app.faults = []
                    return self._json(200, {"ok": True})
            if sub == "/config":
                if method == "POST":
                    self._apply_config(body)
                if method in ("GET", "POST"):
                    return self._json(200, dict(app.config))
            for prefix, service in (("/webhooks", app.webhooks), ("/wc-auth", app.wc_auth)):
                if sub.startswith(prefix):
                    answer = service.control(method, sub[len(prefix):], body, q, self._base_url())
                    if answer is not None:
                        return self._json(answer[0], answer[1])
            return self._json(404, {"error": "unknown control %s %s" % (method, path),
                                    "controls": ["GET /__store/health", "POST /__store/reset", "POST /__store/seed",
                                                 "GET /__store/summary", "POST /__store/load", "GET|DELETE /__store/requests",
                                                 "GET|DELETE /__store/counters", "GET|POST|DELETE /__store/faults",
                                                 "GET|POST /__store/config"]})
        except (ValueError, TypeError, KeyError) as exc:
            return self._json(400, {"error": str(exc)})

    def _apply_config(self, body):
        app = self.app
        if not isinstance(body, dict):
            raise ValueError("body must be a JSON object")
        if "latency_ms" in body:
            app.config["latency_ms"] = max(0.0, float(body["latency_ms"] or 0))
        if "strip_authorization" in body:
            app.config["strip_authorization"] = bool(body["strip_authorization"])
        if "sku_race" in body:
            app.config["sku_race"] = bool(body["sku_race"])
        if "timezone" in body:
            tz = body["timezone"] or "UTC"
            app.store.set_timezone(tz)
            app.config["timezone"] = tz
        if "now" in body:
            if body["now"] in (None, ""):
                app.store.frozen_now = None
                app.config["now"] = None
            else:
                try:
                    d = fixtures.parse_clock(body["now"])
                except ValueError:
                    raise ValueError("now must be YYYY-MM-DDTHH:MM:SS (UTC), an HTTP date or null")
                app.store.frozen_now = d
                app.config["now"] = d.strftime("%Y-%m-%dT%H:%M:%S")

    def _summary(self):
        st = self.app.store
        with st.lock:
            prods = [p for p in st.posts.values() if p["kind"] == "product"]
            info = getattr(st, "seed_info", {})
            return {"products": len(prods), "variations": sum(1 for p in st.posts.values() if p["kind"] == "variation"),
                    "first_product_id": min((p["id"] for p in prods), default=None),
                    "max_post_id": st.next_post_id - 1,
                    "variable_products": {str(k): v for k, v in info.get("variable", {}).items()},
                    "bulk_first_id": info.get("bulk_first"),
                    "orders": sorted(st.orders), "customers": sorted(st.customers),
                    "categories": sorted(t["id"] for t in st.terms.values() if t["taxonomy"] == "product_cat"),
                    "tags": sorted(t["id"] for t in st.terms.values() if t["taxonomy"] == "product_tag"),
                    "attributes": sorted(st.attributes)}


class StoreServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256
    block_on_close = False

    def __init__(self, addr, app, ssl_context=None):
        self.app = app
        self.ssl_context = ssl_context
        self.is_tls = ssl_context is not None
        super().__init__(addr, Handler)

    def get_request(self):
        sock, addr = self.socket.accept()
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass
        if self.ssl_context is not None:
            sock = self.ssl_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def handle_error(self, request, client_address):
        if not self.app.quiet:
            super().handle_error(request, client_address)


def make_ssl_context(cert, key):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    return ctx
