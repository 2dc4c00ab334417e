"""Replaying one captured exchange against the store and comparing the answer exactly.

A replay sends the captured request (method, path and query, body, the capture's authentication
mode and key permission) with the store's clock frozen at the capture's time, then compares the
answer with exact.response_diff(). Tests seed the capture's own catalogue state first with
state() (POST /__store/load)."""
import re
import unittest
import urllib.parse

from . import exact
from .client import CFG, KEYS, basic, ctl, oauth_url, request

_OAUTH = re.compile(r"[&?](oauth_[a-z_]+)=([^&]*)")


def capture_clock(ex):
    """The store's "now" for a replay: the time the capture's answer gives its written object
    (date_modified_gmt of a 200/201 POST/PUT/PATCH: the second can tick before the Date header
    is written), else the answer's Date header."""
    req, resp = ex["request"], ex["response"]
    body = resp.get("body")
    if req["method"] in ("POST", "PUT", "PATCH") and resp["status"] in (200, 201) and isinstance(body, dict):
        stamp = body.get("date_modified_gmt") or body.get("date_created_gmt")
        if stamp:
            return stamp
    return resp["headers"]["Date"]


def _in_link(value):
    """How WordPress's page Link carries a query value: one trailing "=" dropped, "+" read as a
    space, then url-encoded (see woostore_lib/wp_query_args.py; written here independently)."""
    if value.endswith("="):
        value = value[:-1]
    return urllib.parse.quote_plus(value.replace("+", " "), safe="").replace("~", "%7E")


class ReplayCase(unittest.TestCase):
    maxDiff = None

    @classmethod
    def reset(cls, products=20, seed=0):
        r = ctl("POST", "/reset", {"products": products, "seed": seed})
        assert r.status == 200, r.raw

    def tearDown(self):
        ctl("POST", "/config", {"now": None})

    # ------------------------------------------------------------------ state
    def state(self, **body):
        """Seeds the store with objects as the API shows them (see woostore_lib/fixtures.py)."""
        r = ctl("POST", "/load", body)
        self.assertEqual(200, r.status, r.raw[:500])
        return r.json

    def freeze(self, when):
        r = ctl("POST", "/config", {"now": when})
        self.assertEqual(200, r.status, r.raw[:300])

    # ------------------------------------------------------------------ sending
    def base(self, ex):
        scheme = ex["request"].get("scheme") or "https"
        if scheme == "https":
            self.assertTrue(CFG["https"], "an HTTPS replay needs an HTTPS listener")
            return CFG["https"]
        return CFG["http"]

    def send(self, ex, path=None, body=None, key=None, wrong_secret=False):
        """Sends the captured request; returns (Resp, substitutions the comparison applies)."""
        req = ex["request"]
        path = req["path_and_query"] if path is None else path
        method = req["method"]
        mode = ex.get("auth_mode") or "basic"
        k = key or KEYS.get(ex.get("api_key_permissions") or "read_write")
        send_body = req["body"] if body is None else body
        base = self.base(ex)
        subs = []
        if mode.startswith("oauth1"):
            captured = _OAUTH.findall(path)
            plain = _OAUTH.sub("", path)
            if "?" not in plain and "&" in plain:
                plain = plain.replace("&", "?", 1)
            sig = "HMAC-SHA1" if "SHA1" in mode else "HMAC-SHA256"
            url = oauth_url(method, base + plain, k, sig)
            mine = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
            subs = []
            for n, v in captured:
                if n in mine:
                    subs.append((_in_link(urllib.parse.unquote(v)), _in_link(mine[n])))
                    subs.append((urllib.parse.unquote(v), mine[n]))
            return request(method, url, send_body), subs
        if mode == "none":
            return request(method, base + path, send_body), subs
        headers = basic(k[0], "cs_wrong" if wrong_secret else k[1])
        return request(method, base + path, send_body, headers), subs

    def replay(self, ex, path=None, body=None, expected_body=None, clock=True, **send_args):
        """Sends `ex` and asserts the store's answer equals the captured one exactly."""
        if clock:
            self.freeze(capture_clock(ex))
        r, subs = self.send(ex, path, body, **send_args)
        diffs = exact.response_diff(ex["response"], r, self.base(ex), subs, expected_body)
        label = "%s %s" % (ex["request"]["method"], path or ex["request"]["path_and_query"])
        self.assertEqual([], diffs, "%s: the store differs from the capture" % label)
        return r
