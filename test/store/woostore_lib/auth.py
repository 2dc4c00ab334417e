"""WooCommerce REST authentication (port of WC_REST_Authentication, WooCommerce 10.0.x)."""
import base64
import hashlib
import hmac
import re
import threading
import time
import urllib.parse

from .common import WPError, rawurlencode

DEFAULT_KEYS = [
    ("ck_test_readwrite_0000000000000000000000000", "cs_test_readwrite_0000000000000000000000000", "read_write"),
    ("ck_test_read_00000000000000000000000000000", "cs_test_read_00000000000000000000000000000", "read"),
    ("ck_test_write_0000000000000000000000000000", "cs_test_write_0000000000000000000000000000", "write"),
]

OAUTH_PARAMS = ("oauth_consumer_key", "oauth_timestamp", "oauth_nonce", "oauth_signature", "oauth_signature_method")
WINDOW = 15 * 60


def _auth_error(msg):
    return WPError("woocommerce_rest_authentication_error", msg, 401)


def normalize_pairs(params):
    """check_oauth_signature(): sort by raw key, encode key/value, join k%3Dv with %26."""
    out = []
    for key in sorted(params.keys()):  # uksort strcmp on byte strings
        value = params[key]
        if isinstance(value, list):
            for i, v in enumerate(value):
                k2 = "%s[%d]" % (key, i)
                out.append(_enc(k2) + "%3D" + _enc(v))
            continue
        out.append(_enc(key) + "%3D" + _enc(value))
    return "%26".join(out)


def _enc(s):
    s = "" if s is None else str(s)
    return rawurlencode(urllib.parse.unquote(s)).replace("%", "%25")


def signature_base_string(method, url, params):
    return "%s&%s&%s" % (method.upper(), rawurlencode(url), normalize_pairs(params))


def sign(method, url, params, secret, sig_method="HMAC-SHA256"):
    base = signature_base_string(method, url, {k: v for k, v in params.items() if k != "oauth_signature"})
    algo = hashlib.sha1 if sig_method == "HMAC-SHA1" else hashlib.sha256
    return base64.b64encode(hmac.new((secret + "&").encode(), base.encode(), algo).digest()).decode()


def parse_oauth_header(header):
    header = header.strip()
    if not header.startswith("OAuth "):
        return {}
    out = {}
    for m in re.finditer(r'(oauth_[a-z_-]*)=(?:"([^"]*)"|([^,]*))', header[6:]):
        out[m.group(1)] = urllib.parse.unquote(m.group(2) if m.group(2) is not None else m.group(3))
    return out


class KeyRing:
    def __init__(self, keys=None):
        self.keys = {}
        for ck, cs, perm in (keys or DEFAULT_KEYS):
            self.keys[ck] = {"consumer_key": ck, "consumer_secret": cs, "permissions": perm}
        self.nonces = {}  # ck -> {timestamp: nonce}
        self.lock = threading.Lock()

    def clear_nonces(self):
        with self.lock:
            self.nonces = {}


class AuthResult:
    def __init__(self):
        self.user = None          # key dict when authenticated
        self.error = None         # WPError when credentials were rejected
        self.mode = "none"        # basic | query_string | oauth1 | none
        self.consumer_key = None


def authenticate(ring, method, is_ssl, query, form, auth_header, request_url_no_query, now=None):
    """Return AuthResult following WC_REST_Authentication::authenticate().

    query: dict key -> str (last value) of the query string; form: urlencoded body params;
    auth_header: value of Authorization (None when absent/stripped).
    """
    res = AuthResult()
    now = time.time() if now is None else now
    if is_ssl:
        ck = cs = None
        if query.get("consumer_key") and query.get("consumer_secret"):
            ck, cs = query["consumer_key"], query["consumer_secret"]
            res.mode = "query_string"
        elif auth_header and auth_header.strip().lower().startswith("basic "):
            try:
                raw = base64.b64decode(auth_header.strip()[6:].strip()).decode("utf-8", "replace")
            except Exception:
                raw = ""
            if ":" in raw:
                u, pw = raw.split(":", 1)
                if u and pw:
                    ck, cs = u, pw
                    res.mode = "basic"
        if ck and cs:
            res.consumer_key = ck
            user = ring.keys.get(ck)
            if user is not None:
                if hmac.compare_digest(user["consumer_secret"], cs):
                    res.user = user
                    return res
                res.error = _auth_error("Consumer secret is invalid.")
        # fall through to OAuth (WooCommerce does too; it resets auth_method to oauth1)
    params = dict(query)
    params.update(form)
    header_params = parse_oauth_header(auth_header) if auth_header else {}
    params.update(header_params)
    have = [p for p in OAUTH_PARAMS if params.get(p)]
    if not have:
        return res
    res.mode = "oauth1"
    missing = [p for p in OAUTH_PARAMS if not params.get(p)]
    if missing:
        res.error = WPError("woocommerce_rest_authentication_missing_parameter",
                            ("Missing OAuth parameter %s" if len(missing) == 1 else "Missing OAuth parameters %s")
                            % ", ".join(missing), 401)
        return res
    res.consumer_key = params["oauth_consumer_key"]
    user = ring.keys.get(params["oauth_consumer_key"])
    if user is None:
        res.error = _auth_error("Consumer key is invalid.")
        return res
    consumer_sig = urllib.parse.unquote(params["oauth_signature"].replace(" ", "+"))
    signed = {k: v for k, v in params.items() if k != "oauth_signature"}
    sig_method = params["oauth_signature_method"]
    if sig_method not in ("HMAC-SHA1", "HMAC-SHA256"):
        res.error = _auth_error("Invalid signature - signature method is invalid.")
        return res
    base = signature_base_string(method, request_url_no_query, signed)
    algo = hashlib.sha1 if sig_method == "HMAC-SHA1" else hashlib.sha256
    expected = base64.b64encode(hmac.new((user["consumer_secret"] + "&").encode(), base.encode(), algo).digest()).decode()
    if not hmac.compare_digest(expected, consumer_sig):
        res.error = _auth_error("Invalid signature - provided signature does not match.")
        return res
    try:
        ts = int(params["oauth_timestamp"])
    except ValueError:
        ts = 0
    if ts < now - WINDOW or ts > now + WINDOW:
        res.error = _auth_error("Invalid timestamp.")
        return res
    nonce = params["oauth_nonce"]
    with ring.lock:
        used = ring.nonces.setdefault(user["consumer_key"], {})
        if nonce in used.values():
            res.error = _auth_error("Invalid nonce - nonce has already been used.")
            return res
        used[ts] = nonce  # keyed by timestamp, as WooCommerce stores them
        for t in [t for t in used if t < now - WINDOW]:
            del used[t]
    res.user = user
    return res


def check_key_permissions(user, method):
    perm = user["permissions"]
    if method in ("GET", "HEAD"):
        if perm not in ("read", "read_write"):
            return _auth_error("The API key provided does not have read permissions.")
    elif method in ("POST", "PUT", "PATCH", "DELETE"):
        if perm not in ("write", "read_write"):
            return _auth_error("The API key provided does not have write permissions.")
    elif method == "OPTIONS":
        return None
    else:
        return WPError("woocommerce_rest_authentication_error", "Unknown request method.", 401)
    return None
