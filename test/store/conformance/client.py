"""HTTP helpers of the conformance suite: plain requests, the three authentication modes, and
the store's /__store/ controls. CFG holds the URLs of the store under test."""
import base64
import http.client
import json
import ssl
import time
import urllib.parse

from woostore_lib import auth as wauth

RW = ("ck_test_readwrite_0000000000000000000000000", "cs_test_readwrite_0000000000000000000000000")
RO = ("ck_test_read_00000000000000000000000000000", "cs_test_read_00000000000000000000000000000")
WO = ("ck_test_write_0000000000000000000000000000", "cs_test_write_0000000000000000000000000000")
KEYS = {"read_write": RW, "read": RO, "write": WO}

CFG = {"http": None, "https": None, "reference": None, "proc": None, "tmp": None}


class Resp:
    def __init__(self, status, headers, raw):
        self.status = status
        self.headers = headers      # list of (name, value) as sent
        self.raw = raw
        try:
            self.json = json.loads(raw.decode("utf-8")) if raw else None
        except ValueError:
            self.json = None

    def h(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None


def _tls_context():
    # made once: loading the system's CA bundle costs ~70 ms, and the test store's certificate
    # is self-signed anyway
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


_TLS = _tls_context()


def connection(url, timeout=30):
    u = urllib.parse.urlsplit(url)
    if u.scheme == "https":
        return http.client.HTTPSConnection(u.hostname, u.port, timeout=timeout, context=_TLS)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)


def request(method, url, body=None, headers=None, conn=None, timeout=30):
    u = urllib.parse.urlsplit(url)
    own = conn is None
    c = conn or connection(url, timeout)
    hdrs = {"Accept": "application/json"}
    hdrs.update(headers or {})
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
        hdrs.setdefault("Content-Type", "application/json")
    path = u.path + (("?" + u.query) if u.query else "")
    c.request(method, path or "/", body=data, headers=hdrs)
    r = c.getresponse()
    raw = r.read()
    out = Resp(r.status, r.getheaders(), raw)
    if own:
        c.close()
    return out


def basic(ck, cs):
    return {"Authorization": "Basic " + base64.b64encode(("%s:%s" % (ck, cs)).encode()).decode()}


def oauth_url(method, url, key=RW, sig_method="HMAC-SHA256", ts=None, nonce=None, extra=None, bad_sig=False):
    u = urllib.parse.urlsplit(url)
    params = dict(urllib.parse.parse_qsl(u.query, keep_blank_values=True))
    params.update({"oauth_consumer_key": key[0], "oauth_timestamp": str(int(ts if ts is not None else time.time())),
                   "oauth_nonce": nonce or ("n%d" % time.time_ns()), "oauth_signature_method": sig_method})
    params.update(extra or {})
    base_url = "%s://%s%s" % (u.scheme, u.netloc, u.path)
    sig = wauth.sign(method, base_url, params, key[1],
                     sig_method if sig_method in ("HMAC-SHA1", "HMAC-SHA256") else "HMAC-SHA256")
    params["oauth_signature"] = ("x" + sig) if bad_sig else sig
    return base_url + "?" + urllib.parse.urlencode(params)


def api(method, path, body=None, key=RW, conn=None, scheme=None):
    """Authenticated call: Basic over HTTPS (the suite always has an HTTPS listener), OAuth over HTTP."""
    if scheme != "http" and CFG["https"]:
        return request(method, CFG["https"] + path, body, basic(*key), conn=conn)
    return request(method, oauth_url(method, CFG["http"] + path, key), body, conn=conn)


def ctl(method, path, body=None):
    return request(method, CFG["http"] + "/__store" + path, body)
