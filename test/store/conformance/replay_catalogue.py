"""Replays of the first capture (real/02-41: products, variations, terms, orders, customers).

The store is reset to the 18 products of the capture's catalogue (16 simple + 2 variable; the seed
mirrors its ids, names, prices, terms and attributes) and loaded with every product object the
captures show, so the replays compare values exactly."""
from . import captures
from .captures import replays
from .client import CFG, api, ctl, request
from .exact import response_diff
from .replay import ReplayCase
from .unserved import UNSERVED_ROUTES



FIRST_CAPTURE_PRODUCTS = ("04e-auth-basic-https.json", "05-products-per_page5-page1.json",
                          "06-products-per_page5-page2.json", "10-product-by-id-simple-on-sale.json",
                          "26-product-variable-by-id.json")


# 26 lists the sizes L, M, S (by name): the capture's size terms share one menu_order, 0 like the
# colours of 32 (the seed orders them S, M, L, XL).
SIZE_TERMS = [{"id": 32, "name": "S", "slug": "s", "menu_order": 0}, {"id": 33, "name": "M", "slug": "m", "menu_order": 0},
              {"id": 34, "name": "L", "slug": "l", "menu_order": 0}, {"id": 35, "name": "XL", "slug": "xl", "menu_order": 0}]


def first_capture_state():
    """The catalogue the first capture shows: products and variations (view context) by id, and
    the load body for them with the categories, attributes and terms."""
    products = {}
    for name in FIRST_CAPTURE_PRODUCTS:
        body = captures.load(name)["response"]["body"]
        for obj in body if isinstance(body, list) else [body]:
            products[obj["id"]] = obj
    body = {"categories": captures.load("29-products-categories.json")["response"]["body"],
            "attributes": captures.load("31-products-attributes.json")["response"]["body"],
            "attribute_terms": {"1": captures.load("32-products-attribute-terms.json")["response"]["body"],
                                "2": SIZE_TERMS},
            "products": list(products.values()),
            "variations": {"26": captures.load("27-product-variations-list.json")["response"]["body"]}}
    return products, body


@captures.register
class FirstCaptureReplayTest(ReplayCase):
    def setUp(self):
        self.reset(products=18)
        self.products, body = first_capture_state()
        self.state(**body)

    def page_by_id(self, ex):
        """Replays a product page whose rows tie on date_created (see exact.NORMALISATIONS): each
        row is compared with the capture's object of the same id; rows no capture shows are not."""
        self.freeze(ex["response"]["headers"]["Date"])
        r, subs = self.send(ex)
        expected = [self.products.get(row["id"], None) for row in r.json]
        ours_only = [i for i, row in enumerate(expected) if row is None]
        for i in ours_only:
            expected[i] = r.json[i]
        base = self.base(ex)
        diffs = response_diff(ex["response"], r, base, subs, expected_body=expected)
        self.assertEqual([], diffs, ex["request"]["path_and_query"])
        return r

    @replays("02-wc-v3-namespace-index.json")
    def test_02_namespace_index(self):
        ex = captures.load("02-wc-v3-namespace-index.json")
        body = ex["response"]["body"]
        served = {k: v for k, v in body["routes"].items() if k not in UNSERVED_ROUTES}
        self.assertEqual(sorted(set(body["routes"]) - set(served)), sorted(UNSERVED_ROUTES))
        self.replay(ex, expected_body=dict(body, routes=served))

    @replays("04b-auth-oauth1-hmac-sha1-http-query.json", "04e-auth-basic-https.json",
             "04h-auth-wrong-secret-https-basic.json", "04j-auth-none-http.json")
    def test_04_auth(self):
        self.replay(captures.load("04b-auth-oauth1-hmac-sha1-http-query.json"))
        self.replay(captures.load("04e-auth-basic-https.json"))
        r = self.replay(captures.load("04h-auth-wrong-secret-https-basic.json"), wrong_secret=True)
        self.assertIsNone(r.h("WWW-Authenticate"))  # real sends none (auth_method ends as oauth1)
        self.replay(captures.load("04j-auth-none-http.json"))

    @replays("05-products-per_page5-page1.json", "06-products-per_page5-page2.json",
             "09-products-page-beyond-end.json")
    def test_05_06_09_product_pages(self):
        self.page_by_id(captures.load("05-products-per_page5-page1.json"))
        self.page_by_id(captures.load("06-products-per_page5-page2.json"))
        self.replay(captures.load("09-products-page-beyond-end.json"))

    @replays("08-products-per_page101-error.json", "10-product-by-id-simple-on-sale.json",
             "21-product-get-nonexistent-404.json", "26-product-variable-by-id.json",
             "27-product-variations-list.json")
    def test_single_products_and_errors(self):
        for name in ("08-products-per_page101-error.json", "10-product-by-id-simple-on-sale.json",
                     "21-product-get-nonexistent-404.json", "26-product-variable-by-id.json",
                     "27-product-variations-list.json"):
            with self.subTest(name=name):
                self.replay(captures.load(name))

    @replays("29-products-categories.json", "31-products-attributes.json", "32-products-attribute-terms.json")
    def test_terms(self):
        self.replay(captures.load("31-products-attributes.json"))
        self.replay(captures.load("32-products-attribute-terms.json"))
        # Term counts count the published products of a category: the capture shows the
        # categories of only 9 of its products, so 29's counts are the capture's own (exact.py).
        ex = captures.load("29-products-categories.json")
        r = self.send(ex)[0]
        counts = {c["id"]: c["count"] for c in r.json}
        self.replay(ex, expected_body=[dict(c, count=counts.get(c["id"])) for c in ex["response"]["body"]])

    @replays("18-products-create-simple.json", "19-products-update-partial-regular_price.json",
             "20-products-create-duplicate-sku.json", "22-products-batch-mixed-with-errors.json",
             "23-products-batch-101-items-error.json")
    def test_18_to_23_writes(self):
        ex18 = captures.load("18-products-create-simple.json")
        self.state(next_ids={"post": 40, "meta": ex18["response"]["body"]["meta_data"][0]["id"]})
        self.replay(ex18)
        self.replay(captures.load("19-products-update-partial-regular_price.json"))
        self.replay(captures.load("20-products-create-duplicate-sku.json"))
        ex22 = captures.load("22-products-batch-mixed-with-errors.json")
        # the batch's targets 42 (updated) and 43 (deleted) as its answer shows them
        answer = ex22["response"]["body"]
        self.state(products=[answer["update"][0], answer["delete"][0]], next_ids={"post": 44})
        self.replay(ex22)
        self.assertEqual(404, api("GET", "/wp-json/wc/v3/products/43").status)  # batch deletes are forced
        self.replay(captures.load("23-products-batch-101-items-error.json"))

    @replays("41-open-questions-settled.json")
    def test_41_open_questions(self):
        exs = captures.exchanges(captures.load("41-open-questions-settled.json"))
        before, after = exs[0]["response"]["body"][0], exs[10]["response"]["body"]
        # The capture's hoodie at that time: its edit-context form (exs[10]) as it was before the
        # variation edit (exs[0]); variation 27 as the edit leaves it (exs[1], edit context; the
        # edit sets only regular_price); 29-34 as 27-product-variations-list shows them; and 47,
        # which the hoodie lists and whose price its price range (39.00-55.00) gives.
        hoodie = dict(after, date_modified=before["date_modified"], date_modified_gmt=before["date_modified_gmt"])
        variations = [v for v in captures.load("27-product-variations-list.json")["response"]["body"]
                      if v["id"] in before["variations"]]
        variations = [exs[1]["response"]["body"] if v["id"] == 27 else v for v in variations]
        variations.append({"id": 47, "type": "variation", "regular_price": "55.00", "status": "publish"})
        self.state(products=[hoodie], variations={"26": variations})
        for i, ex in enumerate(exs):
            if i == 6:   # the product create: ids as the capture gives them
                self.state(next_ids={"post": ex["response"]["body"]["id"]})
            if i == 8:
                self.state(next_ids={"meta": ex["response"]["body"]["meta_data"][0]["id"]})
            with self.subTest(step=i, note=ex.get("note")):
                self.replay(ex)

    @replays("39b-customers-list.json", "40b-orders-list.json")
    def test_39b_40b_customer_and_order_lists(self):
        customers = captures.load("39b-customers-list.json")
        orders = captures.load("40b-orders-list.json")
        self.state(replace=["orders", "customers"], customers=customers["response"]["body"],
                   orders=orders["response"]["body"])
        self.replay(customers)
        self.replay(orders)
