#!/usr/bin/env python3
"""Checks that the benchmark store (bench_store) answers like the test store
(test/store/woostore.py, the reference for behaviour) for every kind of
request the benchmarks make: both are started with the same catalogue and
seed and a frozen clock, the same requests (OAuth 1.0a signed for each) go
to both, and the status, the headers the extension reads (Content-Type,
X-WP-Total, X-WP-TotalPages, Link, Location) and the JSON bodies (members in
order) must be equal. The bench store refuses what it does not implement
(501 bench_store_unsupported), so a benchmark that starts asking something
new fails loudly; add its request here when you add it there.

Prints one line per failed comparison and ends with "N passed, N failed".

Usage: check_bench_store.py [--bench-store PATH] [--verbose]
"""
import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "test", "store"))

from woostore_lib.auth import sign  # noqa: E402

KEY = ("ck_test_readwrite_0000000000000000000000000", "cs_test_readwrite_0000000000000000000000000")
READ_KEY = ("ck_test_read_00000000000000000000000000000", "cs_test_read_00000000000000000000000000000")
NOW = "2026-01-15T10:00:00"
COMPARED_HEADERS = ("content-type", "x-wp-total", "x-wp-totalpages", "link", "location")
PAGE = "per_page=100&orderby=id&order=asc"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Store:
    def __init__(self, name, argv, port):
        self.name, self.port = name, port
        self.base = "http://127.0.0.1:%d" % port
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for _ in range(200):
            try:
                if self.call("GET", "/__store/health", raw=True)[0] == 200:
                    return
            except OSError:
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError("%s did not start: %s" % (name, self.proc.stdout.read() if self.proc.poll() is not None else ""))

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def call(self, method, path, body=None, key=KEY, raw=False, auth=True):
        """(status, headers {lower: value}, body text) of one request."""
        url, _, query = path.partition("?")
        pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
        if not raw and auth:
            params = dict(pairs)
            signing = key or KEY
            oauth = {"oauth_consumer_key": signing[0], "oauth_nonce": uuid.uuid4().hex,
                     "oauth_signature_method": "HMAC-SHA256", "oauth_timestamp": str(int(time.time()))}
            params.update(oauth)
            oauth["oauth_signature"] = sign(method, self.base + url, params, signing[1])
            pairs += list(oauth.items())
        if key is None and not raw:  # a signature that cannot match
            pairs = [(k, "x" if k == "oauth_signature" else v) for k, v in pairs]
        target = url + ("?" + urllib.parse.urlencode(pairs, quote_via=urllib.parse.quote) if pairs else "")
        data = json.dumps(body).encode() if body is not None else None
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, target, body=data,
                         headers={"Content-Type": "application/json"} if data is not None else {})
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def control(self, path, body):
        status, _, text = self.call("POST", "/__store/" + path, body, raw=True)
        if status != 200:
            raise RuntimeError("%s: %s %s" % (self.name, path, text))


def ordered(text):
    return json.loads(text, object_pairs_hook=lambda pairs: ("{}", [list(p) for p in pairs]))


class Check:
    def __init__(self, reference, bench, verbose):
        self.ref, self.bench, self.verbose = reference, bench, verbose
        self.passed = self.failed = 0

    def same(self, label, method, path, body=None, **kw):
        """Sends the request to both stores; returns the reference's parsed body."""
        answers = []
        for store in (self.ref, self.bench):
            status, headers, text = store.call(method, path, body, **kw)
            text = text.replace(store.base, "http://STORE")
            hdrs = {k: headers.get(k, "").replace(store.base, "http://STORE") for k in COMPARED_HEADERS}
            answers.append((status, hdrs, text))
        (s1, h1, t1), (s2, h2, t2) = answers
        problems = []
        if s1 != s2:
            problems.append("status %s != %s" % (s1, s2))
        for k in COMPARED_HEADERS:
            if k == "link" and h1[k] != h2[k] and ("oauth_" in h1[k]):
                # Links repeat the request's own OAuth parameters (signatures differ per store).
                strip = lambda v: "&".join(p for p in v.split("&") if not p.startswith("oauth_"))
                if strip(h1[k]) == strip(h2[k]):
                    continue
            if h1[k] != h2[k]:
                problems.append("header %s: %r != %r" % (k, h1[k], h2[k]))
        try:
            if ordered(t1) != ordered(t2):
                problems.append("body differs: %s" % first_difference(json.loads(t1), json.loads(t2)))
        except ValueError as exc:
            problems.append("body is not JSON (%s): %r / %r" % (exc, t1[:200], t2[:200]))
        if problems:
            self.failed += 1
            print("FAIL %s (%s %s): %s" % (label, method, path, "; ".join(problems)))
        else:
            self.passed += 1
            if self.verbose:
                print("ok   %s" % label)
        try:
            return json.loads(t1)
        except ValueError:
            return None


def first_difference(a, b, where="$"):
    if type(a) is not type(b):
        return "%s: %r vs %r" % (where, a, b)
    if isinstance(a, dict):
        if list(a) != list(b):
            i = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            return "%s: member %d is %r vs %r" % (where, i, (list(a) + [None])[i], (list(b) + [None])[i])
        for k in a:
            if a[k] != b[k]:
                return first_difference(a[k], b[k], "%s.%s" % (where, k))
    if isinstance(a, list):
        if len(a) != len(b):
            return "%s: %d vs %d items" % (where, len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return first_difference(x, y, "%s[%d]" % (where, i))
    return "%s: %r vs %r" % (where, a, b)


def insert_items(first, count):
    """What INSERT INTO products (name, sku, regular_price) SELECT ... sends."""
    return [{"name": "Bench item %d" % g, "regular_price": "%d.99" % (1 + g % 90), "sku": "WB-%06d" % g}
            for g in range(first, first + count)]


def export_items(first, count, category_id):
    """What export_products sends for new products of the benchmark."""
    return [{"attributes": [], "categories": [{"id": category_id}], "description": "",
             "dimensions": {"height": "", "length": "", "width": ""}, "images": [], "manage_stock": True,
             "meta_data": [], "name": "Bench product %d" % g, "regular_price": "%.2f" % (5 + (g % 200) * 0.25),
             "sale_price": "", "short_description": "", "sku": "BENCH-%05d" % g, "status": "publish",
             "stock_quantity": g % 40, "stock_status": "instock", "tags": [{"name": "Sale"}, {"name": "bench"}],
             "type": "simple", "weight": ""} for g in range(first, first + count)]


def reads(c, products):
    c.same("OPTIONS products (IMPORT FOREIGN SCHEMA)", "OPTIONS", "/wp-json/wc/v3/products")
    pages = (products + 99) // 100
    for fields in ("id,regular_price,type", "id,sku,name,regular_price,type",
                   "id,sku,name,regular_price,description,categories,images,type"):
        for page in (1, 2, pages, pages + 1):
            c.same("scan page %d (_fields=%s)" % (page, fields), "GET",
                   "/wp-json/wc/v3/products?context=edit&_fields=%s&%s&page=%d" % (fields, PAGE, page))
    for page in (1, 2, pages):
        c.same("whole page %d (import, scan with attrs)" % page, "GET",
               "/wp-json/wc/v3/products?%s&context=edit&page=%d" % (PAGE, page))
    for parent in (26, 35):
        c.same("variations of %d (import)" % parent, "GET",
               "/wp-json/wc/v3/products/%d/variations?%s&context=edit&page=1" % (parent, PAGE))
    c.same("sku lookup (export adoption)", "GET",
           "/wp-json/wc/v3/products?sku=BULK-00001,HOODIE-RED-S,TEE-UNI,BULK-00007,NOPE&per_page=100&context=edit")
    c.same("include (import by ids)", "GET",
           "/wp-json/wc/v3/products?%s&context=edit&include=11,26,40,41,45" % PAGE)
    c.same("incremental import page", "GET", "/wp-json/wc/v3/products?%s&context=edit&modified_after="
           "2025-03-03T12:00:00&dates_are_gmt=true&page=1" % PAGE)
    for pid in (11, 20, 26, 27, 41, 99999):
        c.same("product %d" % pid, "GET", "/wp-json/wc/v3/products/%d?context=edit" % pid)
    c.same("product with _fields", "GET", "/wp-json/wc/v3/products/11?context=edit&_fields=id,sku,price")
    c.same("system_status (test_connection)", "GET", "/wp-json/wc/v3/system_status?_fields=environment")
    c.same("system_status (price decimals)", "GET", "/wp-json/wc/v3/system_status?_fields=settings")
    c.same("categories (export)", "GET", "/wp-json/wc/v3/products/categories?orderby=id&order=asc&per_page=100&page=1")
    c.same("attributes", "GET", "/wp-json/wc/v3/products/attributes")
    c.same("per_page 101", "GET", "/wp-json/wc/v3/products?per_page=101&context=edit")
    c.same("no credentials", "GET", "/wp-json/wc/v3/products?context=edit", auth=False)
    c.same("wrong signature", "GET", "/wp-json/wc/v3/products?context=edit", key=None)
    c.same("read key writes", "POST", "/wp-json/wc/v3/products/batch", {"create": []}, key=READ_KEY)
    c.same("unknown route", "GET", "/wp-json/wc/v3/nothing")


def writes(c):
    c.same("empty batch (write probe)", "POST", "/wp-json/wc/v3/products/batch", {})
    c.same("INSERT batch", "POST", "/wp-json/wc/v3/products/batch", {"create": insert_items(1, 100)})
    bench = c.same("category create", "POST", "/wp-json/wc/v3/products/categories", {"name": "Bench"})
    parent = bench.get("id", 0) if isinstance(bench, dict) else 0
    sub = c.same("subcategory create", "POST", "/wp-json/wc/v3/products/categories", {"name": "Sub 0", "parent": parent})
    c.same("category exists", "POST", "/wp-json/wc/v3/products/categories", {"name": "Bench"})
    sub_id = sub.get("id", 17) if isinstance(sub, dict) else 17
    created = c.same("export batch", "POST", "/wp-json/wc/v3/products/batch", {"create": export_items(1, 100, sub_id)})
    c.same("export batch, seeded category", "POST", "/wp-json/wc/v3/products/batch",
           {"create": export_items(101, 50, 22)})
    c.same("duplicate SKUs", "POST", "/wp-json/wc/v3/products/batch",
           {"create": export_items(1, 2, sub_id) + insert_items(1, 1) + [{"name": "No SKU"}]})
    ids = [x["id"] for x in created.get("create", [])] if isinstance(created, dict) else []
    updates = [{"id": i, "regular_price": "%d.50" % (i % 50), "stock_quantity": i % 7, "name": "Renamed %d" % i}
               for i in ids[:50]] + [{"id": 999999, "name": "missing"}, {"id": 27, "name": "a variation"}]
    c.same("export update batch", "POST", "/wp-json/wc/v3/products/batch", {"update": updates})
    c.same("variation batch", "POST", "/wp-json/wc/v3/products/26/variations/batch",
           {"create": [{"sku": "HOODIE-GREEN-S", "regular_price": "41.00",
                        "attributes": [{"id": 1, "option": "Green"}, {"id": 2, "option": "S"}]}],
            "update": [{"id": 28, "regular_price": "46.00", "stock_quantity": 3}]})
    c.same("variations after writes", "GET", "/wp-json/wc/v3/products/26/variations?%s&context=edit&page=1" % PAGE)
    for page in (1, 3, 4):
        c.same("whole page %d after writes" % page, "GET", "/wp-json/wc/v3/products?%s&context=edit&page=%d" % (PAGE, page))
    c.same("categories after writes", "GET", "/wp-json/wc/v3/products/categories?orderby=id&order=asc&per_page=100&page=1")
    one = c.same("single create (INSERT ... RETURNING)", "POST", "/wp-json/wc/v3/products",
                 {"name": "One & only", "sku": "ONE-1", "regular_price": "3.10"})
    pid = one.get("id", 0) if isinstance(one, dict) else 0
    c.same("single update (UPDATE)", "PUT", "/wp-json/wc/v3/products/%d" % pid, {"regular_price": "3.30"})
    c.same("trash (DELETE)", "DELETE", "/wp-json/wc/v3/products/%d" % pid)
    c.same("delete (DELETE force)", "DELETE", "/wp-json/wc/v3/products/%d?force=true" % pid)
    c.same("batch delete", "POST", "/wp-json/wc/v3/products/batch", {"delete": ids[-3:] + [999999]})
    c.same("too many items", "POST", "/wp-json/wc/v3/products/batch", {"create": insert_items(500, 101)})


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench-store", default=os.path.join(REPO, "build", "cmake", "test", "bench", "store", "bench_store"))
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    ref_port, bench_port = free_port(), free_port()
    ref = Store("test store", [sys.executable, os.path.join(REPO, "test", "store", "woostore.py"), "--port",
                               str(ref_port), "--products", "20", "--quiet"], ref_port)
    try:
        bench = Store("bench store", [args.bench_store, "--port", str(bench_port), "--products", "20", "--repo", REPO],
                      bench_port)
    except Exception:
        ref.stop()
        raise
    c = Check(ref, bench, args.verbose)
    try:
        for products, seed in ((260, 7), (1234, 0)):
            for store in (ref, bench):
                store.control("reset", {"products": products, "seed": seed})
                store.control("config", {"now": NOW})
            reads(c, products)
        writes(c)
        for store in (ref, bench):  # the export benchmark's empty store
            store.control("reset", {"products": 0})
            store.control("config", {"now": NOW})
        c.same("empty store page", "GET", "/wp-json/wc/v3/products?%s&context=edit&page=1" % PAGE)
        c.same("export into an empty store", "POST", "/wp-json/wc/v3/products/batch",
               {"create": export_items(1, 100, 19)})
    finally:
        ref.stop()
        bench.stop()
    print("%d passed, %d failed" % (c.passed, c.failed))
    return 0 if c.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
