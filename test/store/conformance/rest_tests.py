"""REST behaviour of the product routes beyond the captures: paging, filters, CRUD, batches."""
import re
import time
import unittest

from .client import CFG, RW, api, connection, ctl, oauth_url, request


def link_rels(value):
    return sorted(re.findall(r'rel="([^"]+)"', value or ""))


class RestBehaviourTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        ctl("POST", "/reset", {"products": 20, "seed": 0})

    def test_pagination_headers(self):
        r = api("GET", "/wp-json/wc/v3/products?per_page=5&page=2&orderby=id&order=asc")
        self.assertEqual("20", r.h("X-WP-Total"))
        self.assertEqual("4", r.h("X-WP-TotalPages"))
        self.assertEqual(["next", "prev"], link_rels(r.h("Link")))
        self.assertEqual([15, 16, 17, 18, 19], [p["id"] for p in r.json])
        self.assertEqual("application/json; charset=UTF-8", r.h("Content-Type"))
        self.assertEqual("GET, POST", r.h("Allow"))
        r = api("GET", "/wp-json/wc/v3/products?per_page=0")
        self.assertEqual("rest_invalid_param", r.json["code"])
        r = api("GET", "/wp-json/wc/v3/products?status=bogus")
        self.assertEqual(400, r.status)
        self.assertIn("status", r.json["data"]["params"])
        self.assertEqual("rest_not_in_enum", r.json["data"]["details"]["status"]["code"])

    def test_status_any_and_sku_variations(self):
        r = api("GET", "/wp-json/wc/v3/products?per_page=100")
        statuses = {p["status"] for p in r.json}
        self.assertTrue({"draft", "private", "pending", "publish"} <= statuses)
        r = api("GET", "/wp-json/wc/v3/products?sku=HOODIE-RED-S,MUG-CAFE")
        got = {p["sku"]: p for p in r.json}
        self.assertEqual({"HOODIE-RED-S", "MUG-CAFE"}, set(got))
        self.assertEqual("variation", got["HOODIE-RED-S"]["type"])
        self.assertEqual(26, got["HOODIE-RED-S"]["parent_id"])

    def test_filters(self):
        r = api("GET", "/wp-json/wc/v3/products?category=16&per_page=100")  # includes children
        self.assertTrue({26, 35} <= {p["id"] for p in r.json})
        r = api("GET", "/wp-json/wc/v3/products?search=caf%C3%A9&per_page=100")
        self.assertTrue(all("caf" in p["name"].lower() for p in r.json) and r.json)
        r = api("GET", "/wp-json/wc/v3/products?on_sale=true&per_page=100")
        self.assertTrue(all(p["on_sale"] for p in r.json))
        r = api("GET", "/wp-json/wc/v3/products?include=12,11,26&orderby=include")
        self.assertEqual([12, 11, 26], [p["id"] for p in r.json])
        r = api("GET", "/wp-json/wc/v3/products?modified_after=2025-03-03T09:15:00&dates_are_gmt=true&orderby=id&order=asc&per_page=100")
        self.assertTrue(all(p["date_modified_gmt"] > "2025-03-03T09:15:00" for p in r.json))
        r = api("GET", "/wp-json/wc/v3/products/attributes")
        self.assertEqual("2", r.h("X-WP-Total"))

    def test_context_and_entities(self):
        r = api("GET", "/wp-json/wc/v3/products/16")
        self.assertEqual("Salt &amp; Pepper Set", r.json["name"])
        self.assertTrue(r.json["description"].endswith("\n"))
        r = api("GET", "/wp-json/wc/v3/products/16?context=edit")
        self.assertIn("permalink_template", r.json)
        self.assertFalse(r.json["description"].endswith("\n"))

    def test_crud_trash_and_errors(self):
        r = api("POST", "/wp-json/wc/v3/products", {"id": 5, "name": "x"})
        self.assertEqual("woocommerce_rest_product_exists", r.json["code"])
        r = api("POST", "/wp-json/wc/v3/products", {"name": "Img", "images": [{"src": "not a url"}]})
        self.assertEqual("woocommerce_product_image_upload_error", r.json["code"])
        r = api("POST", "/wp-json/wc/v3/products", {"name": "Img", "regular_price": "abc",
                                                     "images": [{"src": "https://example.com/a.jpg"}]})
        self.assertEqual(201, r.status)
        self.assertEqual("", r.json["regular_price"])
        pid, mid = r.json["id"], r.json["images"][0]["id"]
        r = api("PUT", "/wp-json/wc/v3/products/%d" % pid, {"images": [{"src": "https://example.com/a.jpg"}]})
        self.assertNotEqual(mid, r.json["images"][0]["id"])  # src sideloads again
        r = api("PUT", "/wp-json/wc/v3/products/%d" % pid, {"images": [{"id": mid}]})
        self.assertEqual(mid, r.json["images"][0]["id"])
        r = api("PUT", "/wp-json/wc/v3/products/%d" % pid, {"regular_price": 5})
        self.assertEqual("rest_invalid_param", r.json["code"])
        self.assertEqual("woocommerce_rest_product_invalid_id", api("PUT", "/wp-json/wc/v3/products/999999", {}).json["code"])
        self.assertEqual(400, api("PUT", "/wp-json/wc/v3/products/999999", {}).status)
        r = api("PUT", "/wp-json/wc/v3/products/27", {"regular_price": "1.00"})
        self.assertEqual(("woocommerce_rest_invalid_product_id", 404), (r.json["code"], r.status))
        r = api("DELETE", "/wp-json/wc/v3/products/%d" % pid)
        self.assertEqual("publish", r.json["status"])   # the product as it was before the trash (real/77c)
        self.assertEqual("trash", api("GET", "/wp-json/wc/v3/products/%d" % pid).json["status"])
        self.assertEqual(410, api("DELETE", "/wp-json/wc/v3/products/%d" % pid).status)
        r = api("DELETE", "/wp-json/wc/v3/products/%d?force=true" % pid)
        self.assertEqual("trash", r.json["status"])
        self.assertEqual(404, api("GET", "/wp-json/wc/v3/products/%d" % pid).status)
        r = api("DELETE", "/wp-json/wc/v3/products/26/variations/27")
        self.assertEqual(("woocommerce_rest_trash_not_supported", 501), (r.json["code"], r.status))
        r = api("DELETE", "/wp-json/wc/v3/products/categories/19")
        self.assertEqual(501, r.status)
        r = api("POST", "/wp-json/wc/v3/products/tags", {"name": "Sale"})
        self.assertEqual(("term_exists", 23), (r.json["code"], r.json["data"]["resource_id"]))
        self.assertEqual(404, api("GET", "/wp-json/wc/v3/nope").status)
        self.assertEqual("rest_no_route", api("GET", "/wp-json/wc/v3/nope").json["code"])

    def test_batch_limits(self):
        items = [{"name": "B%d" % i, "regular_price": "1.00"} for i in range(100)]
        r = api("POST", "/wp-json/wc/v3/products/batch", {"create": items})
        self.assertEqual(200, r.status)
        self.assertEqual(100, len(r.json["create"]))
        ids = [p["id"] for p in r.json["create"]]
        r = api("POST", "/wp-json/wc/v3/products/batch", {"delete": ids + [999999]})
        self.assertEqual(413, r.status)
        r = api("POST", "/wp-json/wc/v3/products/batch", {"delete": ids[:50], "update": [{"id": i, "sale_price": "0.50"}
                                                                                            for i in ids[50:]]})
        self.assertEqual(200, r.status)
        self.assertEqual(50, len(r.json["delete"]))
        r = api("POST", "/wp-json/wc/v3/products/26/variations/batch",
                {"update": [{"id": 28, "regular_price": "46.00"}, {"id": 36, "regular_price": "1.00"}]})
        self.assertEqual("46.00", r.json["update"][0]["regular_price"])
        self.assertEqual("woocommerce_rest_product_variation_invalid_id", r.json["update"][1]["error"]["code"])

    def test_determinism_and_bulk_seed(self):
        ctl("POST", "/reset", {"products": 20, "seed": 7})
        a = api("GET", "/wp-json/wc/v3/products?per_page=100&orderby=id&order=asc").raw
        ctl("POST", "/reset", {"products": 20, "seed": 7})
        b = api("GET", "/wp-json/wc/v3/products?per_page=100&orderby=id&order=asc").raw
        self.assertEqual(a, b)
        t0 = time.time()
        r = ctl("POST", "/reset", {"products": 10000, "seed": 0})
        self.assertLess(time.time() - t0, 5.0)
        self.assertEqual(10000, r.json["products"])
        r = api("GET", "/wp-json/wc/v3/products?per_page=100&page=100")
        self.assertEqual("10000", r.h("X-WP-Total"))
        self.assertEqual(100, len(r.json))
        ctl("POST", "/reset", {"products": 20, "seed": 0})

    def test_keep_alive(self):
        conn = connection(CFG["http"])
        for _ in range(5):
            r = request("GET", oauth_url("GET", CFG["http"] + "/wp-json/wc/v3/products/11", RW), conn=conn)
            self.assertEqual(200, r.status)
        conn.close()

    def test_html_and_index(self):
        r = request("GET", CFG["http"] + "/")
        self.assertEqual(200, r.status)
        self.assertIn("text/html", r.h("Content-Type"))
        self.assertEqual(404, request("GET", CFG["http"] + "/shop/nothing").status)
        r = request("GET", CFG["http"] + "/wp-json/")
        self.assertIn("wc/v3", r.json["namespaces"])
        r = api("GET", "/wp-json/wc/v3/system_status")
        self.assertEqual("10.0.2", r.json["environment"]["version"])
        self.assertEqual("6.8.8", r.json["environment"]["wp_version"])


