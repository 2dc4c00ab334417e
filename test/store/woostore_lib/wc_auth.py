"""The /wc-auth/v1/ key setup flow as WooCommerce 10 answers it (real/80-80f, WC_Auth).

* /wc-auth/v1/authorize, /login/, /access_granted/: every route first checks the five
  parameters (missing ones in the order app_name, user_id, return_url, callback_url, scope; the
  scope; URLs, which get "https://" when they have no "://"; an https callback_url) and answers
  a 401 "Access denied" page with "Error: <message>." otherwise. Nobody is logged in to the test
  store, so authorize redirects to login/ and login/ shows the login form.
* Approval is simulated: POST /__store/wc-auth/approve {"url": <authorize URL>} acts as an
  administrator clicking Approve. The store creates a key (ck_/cs_ + 40 hex, the scope's
  permission), POSTs {key_id, user_id (as sent), consumer_key, consumer_secret, key_permissions}
  to callback_url with wp_safe_remote_post (its URL rules, TLS verified), keeps the key only if
  the callback answered exactly 200 and then redirects to return_url?success=1&user_id=...;
  otherwise the key is deleted and the 401 page says why.
  POST /__store/wc-auth/deny {"url"} is the Deny button; GET /__store/wc-auth/keys lists the
  keys the flow made (with secrets: a test control); /keys/all also the deleted ones.
"""
import hashlib
import html
import os
import threading
import time
import urllib.parse

from .auth import DEFAULT_KEYS
from .webhook_delivery import WP_VERSION, send_post, wp_json_encode

PARAMS = ("app_name", "user_id", "return_url", "callback_url", "scope")
SCOPES = ("read", "write", "read_write")
SCOPE_NAMES = {"read": "Read", "write": "Write", "read_write": "Read/Write"}
SCOPE_PERMISSIONS = {
    "read": ["View coupons", "View customers", "View orders and sales reports", "View products"],
    "write": ["Create webhooks", "Create coupons", "Create customers", "Create orders", "Create products"],
    "read_write": ["Create webhooks", "View and manage coupons", "View and manage customers",
                   "View and manage orders and sales reports", "View and manage products"],
}


class AuthFailure(Exception):
    pass


def formatted_url(url):
    """WC_Auth::get_formatted_url(): urldecode, and https:// when there is no scheme."""
    url = urllib.parse.unquote_plus(url)
    return url if "://" in url else "https://" + url


def php_valid_url(url):
    """A close reading of filter_var(FILTER_VALIDATE_URL): a scheme, a host, no spaces."""
    parts = urllib.parse.urlsplit(url)
    return bool(parts.scheme) and bool(parts.netloc) and not any(c.isspace() for c in url)


def validate(params):
    """WC_Auth::make_validation(), messages without the final period."""
    for name in PARAMS:
        if not params.get(name):
            raise AuthFailure("Missing parameter %s" % name)
    if params["scope"] not in SCOPES:
        raise AuthFailure("Invalid scope %s" % params["scope"])
    for name in ("return_url", "callback_url"):
        url = formatted_url(params[name])
        if not php_valid_url(url):
            raise AuthFailure("The %s is not a valid URL" % url)
    if not formatted_url(params["callback_url"]).lower().startswith("https://"):
        raise AuthFailure("The callback_url needs to be over SSL")


def build_url(home, params, endpoint):
    query = [("app_name", params["app_name"]), ("user_id", params["user_id"]),
             ("return_url", formatted_url(params["return_url"])),
             ("callback_url", formatted_url(params["callback_url"])), ("scope", params["scope"])]
    return "%s/wc-auth/v1/%s/?%s" % (home, endpoint, urllib.parse.urlencode(query, quote_via=urllib.parse.quote))


def with_query(url, pairs):
    sep = "&" if "?" in url else "?"
    return url + sep + "&".join("%s=%s" % (k, urllib.parse.quote(str(v), safe="")) for k, v in pairs)


def die_page(message):
    """wp_die(): "Access denied" page with status 401."""
    text = html.escape("Error: %s." % message)
    return ("<!DOCTYPE html>\n<html lang=\"en-US\">\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; "
            "charset=utf-8\" />\n<title>Access denied</title>\n</head>\n<body id=\"error-page\">\n"
            "\t<div class=\"wp-die-message\">%s</div></body>\n</html>\n" % text).encode("utf-8")


def page(title, body):
    return ("<!DOCTYPE html>\n<html lang=\"en-US\">\n<head>\n<meta charset=\"UTF-8\" />\n<title>%s</title>\n</head>\n"
            "<body class=\"wc-auth wp-core-ui\">\n<h1 id=\"wc-logo\">WooCommerce</h1>\n<div class=\"wc-auth-content\">%s"
            "</div>\n</body>\n</html>\n" % (html.escape(title), body)).encode("utf-8")


class WcAuth:
    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            made = getattr(self, "keys", {})
            with self.app.ring.lock:
                for key in made.values():
                    self.app.ring.keys.pop(key["consumer_key"], None)
            self.keys = {}
            self.made = []           # every key ever made, deleted ones too (a test control)
            self.next_key_id = 4 + len(DEFAULT_KEYS)
            self.callbacks = []
            self.config = {"ca_file": None, "verify_tls": True, "allowed_ports": [], "timeout_s": 60}

    # ------------------------------------------------------------------ public routes
    def handle(self, method, path, query_pairs, base):
        """GET /wc-auth/v1/<route>: (status, headers, body)."""
        route = path[len("/wc-auth/v1/"):].strip("/").lower()
        params = dict(query_pairs)
        try:
            validate(params)
            if route == "authorize":
                return 302, [("X-Redirect-By", "WordPress"), ("Location", build_url(base, params, "login"))], b""
            if route == "login":
                cancel = with_query(formatted_url(params["return_url"]), [("success", 0), ("user_id", params["user_id"])])
                body = ("<h1>Application authentication request</h1><p>%s would like to connect to your store. "
                        "To allow this, please log in below.</p><form method=\"post\"><input name=\"username\"/>"
                        "<input name=\"password\" type=\"password\"/></form><a href=\"%s\">Cancel and return to %s</a>"
                        % (html.escape(params["app_name"]), html.escape(cancel), html.escape(params["app_name"])))
                return 200, [], page("Application authentication request", body)
            raise AuthFailure("You do not have permission to access this page")
        except AuthFailure as e:
            return 401, [], die_page(str(e))

    # ------------------------------------------------------------------ controls
    def control(self, method, sub, body, query, base):
        if sub == "/keys" and method == "GET":
            with self.lock:
                return 200, list(self.keys.values())
        if sub == "/keys/all" and method == "GET":
            with self.lock:
                return 200, [dict(k, deleted=k["key_id"] not in self.keys) for k in self.made]
        if sub == "/callbacks" and method == "GET":
            with self.lock:
                return 200, list(self.callbacks)
        if sub == "/config" and method in ("GET", "POST"):
            if method == "POST":
                for k, v in body.items():
                    if k not in self.config:
                        raise ValueError("unknown wc-auth setting %s (known: %s)" % (k, ", ".join(self.config)))
                    self.config[k] = v
            return 200, dict(self.config)
        if sub in ("/approve", "/deny") and method == "POST":
            url = body.get("url") if isinstance(body, dict) else None
            if not isinstance(url, str):
                raise ValueError('give {"url": "<the authorize URL>"}')
            parsed = urllib.parse.urlsplit(url)
            params = dict(urllib.parse.parse_qsl(parsed.query, keep_blank_values=True))
            home = "%s://%s" % (parsed.scheme, parsed.netloc) if parsed.netloc else base
            try:
                validate(params)
                if sub == "/deny":
                    return 200, {"status": 302, "location": with_query(formatted_url(params["return_url"]),
                                                                      [("success", 0), ("user_id", params["user_id"])])}
                return 200, self.approve(params, home)
            except AuthFailure as e:
                return 200, {"status": 401, "message": "Error: %s." % e}
        return None

    def approve(self, params, home):
        """The access_granted route for a logged-in administrator."""
        key = self.create_key(params)
        consumer_data = {"key_id": key["key_id"], "user_id": params["user_id"], "consumer_key": key["consumer_key"],
                         "consumer_secret": key["consumer_secret"], "key_permissions": key["permissions"]}
        body = wp_json_encode(consumer_data).encode("ascii")
        url = formatted_url(params["callback_url"])
        headers = [("Host", urllib.parse.urlsplit(url).netloc), ("User-Agent", "WordPress/%s; %s" % (WP_VERSION, home)),
                   ("Accept", "*/*"), ("Accept-Encoding", "deflate, gzip, br, zstd"),
                   ("Content-Type", "application/json;charset=UTF-8"), ("Connection", "close")]
        c = self.config
        status, error, elapsed = send_post(url, headers, body, c["timeout_s"], c["ca_file"], c["verify_tls"], home,
                                           c["allowed_ports"])
        with self.lock:
            self.callbacks.append({"url": url, "status": status, "error": error, "key_id": key["key_id"],
                                   "ms": round(elapsed * 1000, 1), "time": round(time.time(), 6)})
        if error is not None or status != 200:
            self.delete_key(key)
            message = error or "An error occurred in the request and at the time were unable to send the consumer data"
            return {"status": 401, "message": "Error: %s." % message, "key_id": key["key_id"], "key_deleted": True}
        return {"status": 302, "location": with_query(formatted_url(params["return_url"]),
                                                     [("success", 1), ("user_id", params["user_id"])]),
                "key_id": key["key_id"], "consumer_key": key["consumer_key"]}

    def create_key(self, params):
        rand = lambda: hashlib.sha1(os.urandom(32)).hexdigest()  # wc_rand_hash()
        with self.lock:
            key = {"key_id": self.next_key_id, "consumer_key": "ck_" + rand(), "consumer_secret": "cs_" + rand(),
                   "permissions": params["scope"],
                   "description": "%s - API (%s)" % (params["app_name"][:170], time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()))}
            self.next_key_id += 1
            self.keys[key["key_id"]] = key
            self.made.append(key)
        with self.app.ring.lock:
            self.app.ring.keys[key["consumer_key"]] = {"consumer_key": key["consumer_key"],
                                                       "consumer_secret": key["consumer_secret"],
                                                       "permissions": key["permissions"]}
        return key

    def delete_key(self, key):
        with self.lock:
            self.keys.pop(key["key_id"], None)
        with self.app.ring.lock:
            self.app.ring.keys.pop(key["consumer_key"], None)
