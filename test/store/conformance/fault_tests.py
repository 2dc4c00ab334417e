"""Fault injection: each kind answers like what it imitates."""
import http.client
import time
import unittest

from .client import CFG, RW, api, ctl, oauth_url, request


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




class FaultTimingTest(unittest.TestCase):
    """Each fault answers when what it imitates would: a rate limiter, an overloaded gateway's
    503 and the maintenance page before the store does the work; a reset connection, a cut body,
    a PHP warning after it (issue 17, item 6)."""
    P = "/wp-json/wc/v3/products"

    def setUp(self):
        ctl("DELETE", "/faults")

    def tearDown(self):
        ctl("DELETE", "/faults")

    def create(self, sku, **fault):
        if fault:
            r = ctl("POST", "/faults", dict(fault, path_prefix=self.P, method="POST"))
            self.assertEqual(200, r.status, r.raw)
        try:
            return api("POST", self.P, {"name": "Fault probe", "sku": sku, "regular_price": "1.00"})
        except (ConnectionError, http.client.HTTPException, OSError) as exc:
            return exc

    def exists(self, sku):
        return [p["sku"] for p in api("GET", self.P + "?sku=" + sku).json] == [sku]

    def test_refusals_come_before_the_work(self):
        for n, fault in enumerate(({"kind": "rate_limit"}, {"kind": "status", "status": 503},
                                   {"kind": "status", "status": 502}, {"kind": "html"},
                                   {"kind": "reset", "when": "before"})):
            with self.subTest(fault=fault):
                sku = "FAULT-BEFORE-%d-%d" % (n, time.time_ns())
                self.create(sku, **fault)
                self.assertFalse(self.exists(sku), "%s did the work" % fault)
                log = ctl("GET", "/requests?path_prefix=%s&method=POST" % self.P).json
                self.assertEqual("before", log[-1].get("fault_when"))

    def test_broken_answers_come_after_the_work(self):
        for n, fault in enumerate(({"kind": "reset"}, {"kind": "truncate"}, {"kind": "invalid_json"},
                                   {"kind": "trickle", "delay_ms": 1, "chunk_bytes": 4096},
                                   {"kind": "status", "status": 504, "when": "after"})):
            with self.subTest(fault=fault):
                sku = "FAULT-AFTER-%d-%d" % (n, time.time_ns())
                self.create(sku, **fault)
                self.assertTrue(self.exists(sku), "%s skipped the work" % fault)

    def test_when_only_where_it_means_something(self):
        r = ctl("POST", "/faults", {"kind": "truncate", "when": "before"})
        self.assertEqual(400, r.status)
        r = ctl("POST", "/faults", {"kind": "rate_limit", "when": "after"})
        self.assertEqual(400, r.status)
