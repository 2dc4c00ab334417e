"""Rendering only the requested _fields, and the per-state list and object caches."""
import json
import unittest

from .client import api, ctl


class ListCacheTest(unittest.TestCase):
    """The products list renders only the requested _fields and caches lists and objects per
    catalogue state: results must equal the plain full rendering, and writes must show at once."""

    @staticmethod
    def _reference_filter(obj, fields):
        """_fields_filter() as it was written first (the obvious, slow form)."""
        def nested(o, fl):
            out = {}
            for key, val in o.items():
                subs = [f[len(key) + 1:] for f in fl if f.startswith(key + ".")]
                if key in fl:
                    out[key] = val
                elif subs and isinstance(val, dict):
                    out[key] = nested(val, subs)
            return out
        wanted = [f.strip() for f in fields if f.strip()]
        out = {}
        for key, val in obj.items():
            if key in ("_links", "id"):
                out[key] = val
                continue
            subs = [f[len(key) + 1:] for f in wanted if f.startswith(key + ".")]
            if key in wanted:
                out[key] = val
            elif subs and isinstance(val, dict):
                out[key] = nested(val, subs)
        return out

    def test_partial_rendering_equals_full(self):
        from woostore_lib import api as wapi, serialize as wser
        from woostore_lib.state import Store
        st = Store(products=60)
        st.posts[27]["weight"] = ""          # variation inheriting the parent's weight in view
        st.posts[11]["purchase_note"] = "Thanks & enjoy"
        base = "https://127.0.0.1:8443"
        groups = [[k] for k in sorted(wser.PRODUCT_KEYS)] + [sorted(wser.PRODUCT_KEYS)] + [
            ["dimensions.length", "_links.self", "name"], ["images.src", "dimensions", "dimensions.width"],
            ["nope", "id"], [" sku ", "", "type"]]
        for ctx in ("view", "edit"):
            for p in st.posts.values():
                full = wser.product_json(st, p, base, ctx)
                self.assertEqual(list(full), [k for k in list(full) if k in wser.PRODUCT_KEYS])
                for fields in groups:
                    wanted = [f.strip() for f in fields if f.strip()]
                    keys = set(wanted) | wapi._field_prefixes(wanted)
                    want = self._reference_filter(full, fields)
                    self.assertEqual(want, wapi._fields_filter(full, fields))
                    got = wapi._fields_filter(wser.product_json_keys(st, p, base, ctx, keys), fields)
                    self.assertEqual(json.dumps(want), json.dumps(got), (p["id"], ctx, fields))

    def test_lists_follow_writes(self):
        ctl("POST", "/reset", {"products": 60, "seed": 0})
        q = "/wp-json/wc/v3/products?context=edit&_fields=id,sku,name,regular_price,type&per_page=100&orderby=id&order=asc"
        before = api("GET", q).json
        self.assertEqual(before, api("GET", q).json)
        r = api("PUT", "/wp-json/wc/v3/products/11", {"regular_price": "99.99"})
        self.assertEqual(200, r.status)
        row = [x for x in api("GET", q).json if x["id"] == 11][0]
        self.assertEqual("99.99", row["regular_price"])
        full = [x for x in api("GET", "/wp-json/wc/v3/products?include=11").json]
        self.assertEqual("99.99", full[0]["regular_price"])
        r = api("POST", "/wp-json/wc/v3/products/batch", {"update": [{"id": 12, "name": "Renamed"}], "delete": [13]})
        self.assertEqual(200, r.status)
        rows = {x["id"]: x for x in api("GET", q).json}
        self.assertEqual("Renamed", rows[12]["name"])
        self.assertNotIn(13, rows)
        self.assertEqual(str(len(before) - 1), api("GET", q).h("X-WP-Total"))
        r = api("PUT", "/wp-json/wc/v3/products/categories/19", {"name": "Accessoires"})
        self.assertEqual(200, r.status)
        names = {c["name"] for x in api("GET", "/wp-json/wc/v3/products?category=19&_fields=categories").json
                 for c in x["categories"]}
        self.assertIn("Accessoires", names)
        ctl("POST", "/reset", {"products": 20, "seed": 0})


