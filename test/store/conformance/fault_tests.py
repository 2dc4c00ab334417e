"""Fault injection: each kind answers like what it imitates."""
import http.client
import time
import unittest

from .client import CFG, RW, ctl, oauth_url, request


class FaultsTest(unittest.TestCase):
    P = "/wp-json/wc/v3/products/11"

    def setUp(self):
        ctl("DELETE", "/faults")

    def tearDown(self):
        ctl("DELETE", "/faults")

    def fault(self, **spec):
        spec.setdefault("path_prefix", "/wp-json/wc/v3/products")
        r = ctl("POST", "/faults", spec)
        self.assertEqual(200, r.status, r.raw)
        return r.json

    def get(self):
        return request("GET", oauth_url("GET", CFG["http"] + self.P, RW))

    def test_status_and_rate_limit(self):
        self.fault(kind="status", status=503, count=2)
        self.assertEqual(503, self.get().status)
        self.assertEqual(503, self.get().status)
        self.assertEqual(200, self.get().status)
        self.fault(kind="rate_limit", retry_after=7)
        r = self.get()
        self.assertEqual((429, "7"), (r.status, r.h("Retry-After")))
        self.fault(kind="status", status=500, body={"code": "x", "message": "y", "data": {"status": 500}})
        self.assertEqual("x", self.get().json["code"])

    def test_method_filter_and_listing(self):
        self.fault(kind="status", status=502, method="POST", count=-1)
        self.assertEqual(200, self.get().status)
        self.assertEqual(1, len(ctl("GET", "/faults").json))
        ctl("DELETE", "/faults")
        self.assertEqual([], ctl("GET", "/faults").json)

    def test_latency(self):
        self.fault(kind="latency", latency_ms=300)
        t0 = time.time()
        self.assertEqual(200, self.get().status)
        self.assertGreaterEqual(time.time() - t0, 0.28)

    def test_reset_and_truncate(self):
        self.fault(kind="reset")
        with self.assertRaises((ConnectionError, http.client.HTTPException, OSError)):
            self.get()
        self.fault(kind="truncate")
        with self.assertRaises(http.client.IncompleteRead):
            self.get()
        self.assertEqual(200, self.get().status)

    def test_invalid_json_html_trickle(self):
        self.fault(kind="invalid_json")
        r = self.get()
        self.assertEqual(200, r.status)
        self.assertIsNone(r.json)
        self.fault(kind="html")
        r = self.get()
        self.assertIn("text/html", r.h("Content-Type"))
        self.fault(kind="trickle", delay_ms=5, chunk_bytes=512)
        r = self.get()
        self.assertEqual(11, r.json["id"])

    def test_controls_not_faulted_and_counters(self):
        self.fault(kind="status", status=500, path_prefix="/", count=-1)
        self.assertEqual(200, ctl("GET", "/health").status)
        ctl("DELETE", "/faults")
        ctl("DELETE", "/counters")
        self.get()
        self.get()
        c = ctl("GET", "/counters").json
        self.assertEqual(2, c.get("GET /wc/v3/products/<id>"))
        log = ctl("GET", "/requests?path_prefix=/wp-json/wc/v3/products/11&method=GET").json
        self.assertTrue(log and log[-1]["status"] == 200)


