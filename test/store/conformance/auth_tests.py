"""Authentication: the OAuth 1.0a verifier against reference vectors, and live auth behaviour."""
import json
import os
import time
import unittest
import urllib.parse

from woostore_lib import auth as wauth

from .client import CFG, RO, RW, WO, api, basic, ctl, oauth_url, request

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def needs_https(fn):
    """An HTTPS case: without an HTTPS listener it fails (a skip would hide a missing layer)."""
    def wrapper(self, *a, **kw):
        self.assertTrue(CFG["https"], "no HTTPS listener (openssl missing or --tls-url not given)")
        return fn(self, *a, **kw)
    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


class OAuthVectorsTest(unittest.TestCase):
    def vectors(self):
        paths = []
        if CFG["reference"]:
            paths.append(os.path.join(CFG["reference"], "oauth1-signature.test-vectors.constructed.json"))
        paths.append(os.path.join(HERE, "testdata", "oauth1-signature.test-vectors.constructed.json"))
        for p in paths:
            if os.path.exists(p):
                with open(p, encoding="utf-8") as fh:
                    return json.load(fh)["vectors"]
        self.fail("OAuth vectors file not found")

    def test_vectors_base_string_and_signature(self):
        for v in self.vectors():
            params = dict(v["query_params"])
            params.update({k: v[k] for k in ("oauth_consumer_key", "oauth_timestamp", "oauth_nonce",
                                             "oauth_signature_method")})
            self.assertEqual(v["signature_base_string"], wauth.signature_base_string(v["method"], v["url"], params))
            self.assertEqual(v["oauth_signature"], wauth.sign(v["method"], v["url"], params, v["consumer_secret"],
                                                              v["oauth_signature_method"]))

    def test_verifier_accepts_vectors(self):
        for v in self.vectors():
            ring = wauth.KeyRing([(v["oauth_consumer_key"], v["consumer_secret"], "read_write")])
            q = dict(v["query_params"])
            q.update({k: v[k] for k in ("oauth_consumer_key", "oauth_timestamp", "oauth_nonce",
                                        "oauth_signature_method", "oauth_signature")})
            res = wauth.authenticate(ring, v["method"], False, q, {}, None, v["url"], now=int(v["oauth_timestamp"]))
            self.assertIsNone(res.error, res.error and res.error.message)
            self.assertEqual("oauth1", res.mode)
            # the same request in an Authorization: OAuth header
            ring.clear_nonces()
            hdr = "OAuth " + ", ".join('%s="%s"' % (k, urllib.parse.quote(q[k], safe=""))
                                       for k in q if k.startswith("oauth_"))
            plain = {k: val for k, val in q.items() if not k.startswith("oauth_")}
            res = wauth.authenticate(ring, v["method"], False, plain, {}, hdr, v["url"], now=int(v["oauth_timestamp"]))
            self.assertIsNone(res.error, res.error and res.error.message)
            # replay -> nonce error; tampered -> signature error
            res = wauth.authenticate(ring, v["method"], False, plain, {}, hdr, v["url"], now=int(v["oauth_timestamp"]))
            self.assertEqual("Invalid nonce - nonce has already been used.", res.error.message)
            q2 = dict(q, oauth_signature="AAAA" + q["oauth_signature"][4:])
            res = wauth.authenticate(ring, v["method"], False, q2, {}, None, v["url"], now=int(v["oauth_timestamp"]))
            self.assertEqual("Invalid signature - provided signature does not match.", res.error.message)



class AuthTest(unittest.TestCase):
    P = "/wp-json/wc/v3/products?per_page=1"

    def setUp(self):
        ctl("DELETE", "/faults")
        ctl("POST", "/config", {"strip_authorization": False})

    def err(self, r, status, code, message=None):
        self.assertEqual(status, r.status, r.raw[:300])
        self.assertEqual(code, r.json["code"])
        if message:
            self.assertEqual(message, r.json["message"])

    def test_basic_ignored_over_http(self):
        r = request("GET", CFG["http"] + self.P, headers=basic(*RW))
        self.err(r, 401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")
        r = request("GET", CFG["http"] + self.P + "&consumer_key=%s&consumer_secret=%s" % RW)
        self.err(r, 401, "woocommerce_rest_cannot_view")

    def test_single_object_message(self):
        r = request("GET", CFG["http"] + "/wp-json/wc/v3/products/11")
        self.err(r, 401, "woocommerce_rest_cannot_view", "Sorry, you cannot view this resource.")

    def test_oauth_errors(self):
        url = CFG["http"] + self.P
        self.assertEqual(200, request("GET", oauth_url("GET", url, RW, "HMAC-SHA1")).status)
        self.err(request("GET", oauth_url("GET", url, ("ck_nope", "cs_x"))), 401,
                 "woocommerce_rest_authentication_error", "Consumer key is invalid.")
        self.err(request("GET", oauth_url("GET", url, RW, bad_sig=True)), 401,
                 "woocommerce_rest_authentication_error", "Invalid signature - provided signature does not match.")
        self.err(request("GET", oauth_url("GET", url, RW, ts=time.time() - 3600)), 401,
                 "woocommerce_rest_authentication_error", "Invalid timestamp.")
        self.err(request("GET", oauth_url("GET", url, RW, sig_method="PLAINTEXT")), 401,
                 "woocommerce_rest_authentication_error", "Invalid signature - signature method is invalid.")
        u = oauth_url("GET", url, RW, nonce="fixed-nonce-%d" % time.time_ns())
        self.assertEqual(200, request("GET", u).status)
        self.err(request("GET", u), 401, "woocommerce_rest_authentication_error",
                 "Invalid nonce - nonce has already been used.")
        self.err(request("GET", url + "&oauth_consumer_key=" + RW[0]), 401,
                 "woocommerce_rest_authentication_missing_parameter")

    def test_oauth_header(self):
        url = oauth_url("GET", CFG["http"] + "/wp-json/wc/v3/products", RW)
        u = urllib.parse.urlsplit(url)
        q = urllib.parse.parse_qsl(u.query)
        hdr = "OAuth " + ", ".join('%s="%s"' % (k, urllib.parse.quote(v, safe="")) for k, v in q)
        r = request("GET", CFG["http"] + "/wp-json/wc/v3/products", headers={"Authorization": hdr})
        self.assertEqual(200, r.status, r.raw[:200])

    def test_key_permissions(self):
        self.err(api("POST", "/wp-json/wc/v3/products", {"name": "x"}, key=RO), 401,
                 "woocommerce_rest_authentication_error", "The API key provided does not have write permissions.")
        self.err(api("GET", "/wp-json/wc/v3/products", key=WO), 401,
                 "woocommerce_rest_authentication_error", "The API key provided does not have read permissions.")
        self.assertEqual(200, api("GET", "/wp-json/wc/v3/products/26?context=edit", key=RO).status)

    @needs_https
    def test_https_query_string_and_strip(self):
        url = CFG["https"] + self.P
        self.assertEqual(200, request("GET", url + "&consumer_key=%s&consumer_secret=%s" % RW).status)
        self.err(request("GET", url + "&consumer_key=%s&consumer_secret=bad" % RW[0]), 401,
                 "woocommerce_rest_authentication_error", "Consumer secret is invalid.")
        ctl("POST", "/config", {"strip_authorization": True})
        try:
            self.err(request("GET", url, headers=basic(*RW)), 401, "woocommerce_rest_cannot_view")
            self.assertEqual(200, request("GET", url + "&consumer_key=%s&consumer_secret=%s" % RW).status)
        finally:
            ctl("POST", "/config", {"strip_authorization": False})
        ctl("POST", "/faults", {"kind": "strip_authorization", "path_prefix": "/wp-json/wc/v3/products"})
        self.err(request("GET", url, headers=basic(*RW)), 401, "woocommerce_rest_cannot_view")
        self.assertEqual(200, request("GET", url, headers=basic(*RW)).status)

    def test_logs_have_no_secrets(self):
        ctl("DELETE", "/requests")
        request("GET", oauth_url("GET", CFG["http"] + self.P, RW))
        if CFG["https"]:
            request("GET", CFG["https"] + self.P + "&consumer_key=%s&consumer_secret=%s" % RW)
            request("GET", CFG["https"] + self.P, headers=basic(*RW))
        log = ctl("GET", "/requests").json
        text = json.dumps(log)
        self.assertNotIn(RW[1], text)
        for e in log:
            self.assertNotIn("oauth_signature", e["query"])
            self.assertNotIn("consumer_secret", e["query"])
        self.assertNotIn("Authorization", text)
        modes = [e["auth_mode"] for e in log]
        self.assertIn("oauth1", modes)
        if CFG["https"]:
            self.assertIn("query_string", modes)
            self.assertIn("basic", modes)
        for e in log:
            for k in ("seq", "method", "path", "query", "body", "status", "auth_mode", "time"):
                self.assertIn(k, e)


