"""WooCommerce's write semantics, rule by rule (test/store/README.md, "Write semantics", gives each
rule's source). The product lifecycle of real/77-77h is replayed exactly here; the webhook deliveries
it makes are replayed by replay_webhooks.py, which declares the files."""
from . import captures
from .client import api, ctl
from .replay import ReplayCase

P = "/wp-json/wc/v3/products"


class ProductLifecycleTest(ReplayCase):
    """create, update, trash (answered as before the trash), a status change out of the trash
    (the trash meta stays), trash again, force delete: real/77, 77b, 77c, 77d, 77e, 77h."""

    def setUp(self):
        self.reset(products=18)

    def test_77_lifecycle(self):
        names = ("77-products-create-webhook-trigger.json", "77b-products-update-webhook-trigger.json",
                 "77c-products-delete-trash-webhook-trigger.json", "77d-products-put-status-publish-on-trashed.json",
                 "77e-products-delete-trash-again.json")
        exs = [captures.exchanges(captures.load(n))[0] for n in names]
        created = exs[0]["response"]["body"]
        trash_meta = exs[3]["response"]["body"]["meta_data"]
        general = captures.load("62b-settings-general-options.json")["response"]["body"]
        self.state(options={o["id"]: o["value"] for o in general},      # the second store: EUR right_space
                   next_ids={"post": created["id"], "meta": trash_meta[0]["id"]})
        for ex in exs[:3]:
            self.replay(ex)
        # 77c trashed it at its Date: the trash meta records that time (77d shows it)
        for ex in exs[3:]:
            self.replay(ex)
        # 77f restores it in wp-admin (untrash removes the trash meta); 77h then force-deletes
        restored = dict(exs[4]["response"]["body"], meta_data=[], status="publish")
        ex77h = captures.exchanges(captures.load("77h-products-delete-force-no-webhook.json"))[0]
        restored.update(date_modified=ex77h["response"]["body"]["date_modified"],
                        date_modified_gmt=ex77h["response"]["body"]["date_modified_gmt"])
        self.state(products=[restored])
        self.replay(ex77h)
        self.assertEqual(404, api("GET", "%s/%d" % (P, created["id"])).status)


class WriteRulesTest(ReplayCase):
    """One test per rule of test/store/README.md "Write semantics"."""

    def setUp(self):
        self.reset(products=20)

    def batch_create(self, item, path=P):
        r = api("POST", path + "/batch", {"create": [item]})
        self.assertEqual(200, r.status, r.raw[:300])
        return r.json["create"][0]

    def test_batch_items_are_not_validated_single_requests_are(self):
        single = api("POST", P, {"name": "Typed", "regular_price": 5})
        self.assertEqual((400, "rest_invalid_param"), (single.status, single.json["code"]))
        created = self.batch_create({"name": "Typed", "regular_price": 5, "featured": "false",
                                     "manage_stock": "yes", "stock_quantity": "7.9", "status": "bogus"})
        self.assertEqual(("5", False, True, 7, "bogus"), (created["regular_price"], created["featured"],
                                                          created["manage_stock"], created["stock_quantity"],
                                                          created["status"]))
        failed = self.batch_create({"name": "Hidden?", "catalog_visibility": "invisible"})
        self.assertEqual(0, failed["id"])
        self.assertEqual("product_invalid_catalog_visibility", failed["error"]["code"])
        odd = self.batch_create({"name": "Odd type", "type": "bundle"})
        self.assertEqual("simple", odd["type"])

    def test_batch_create_gets_the_schema_defaults_and_update_errors_keep_the_sent_id(self):
        r = api("POST", P + "/batch", {"update": [{"id": "999999", "regular_price": "1.00"}],
                                       "delete": [0, "999998"]})
        self.assertEqual("999999", r.json["update"][0]["id"])
        self.assertEqual([999998], [d["id"] for d in r.json["delete"]])     # 0 skipped, "999998" cast
        # the batch route's args are the item schema's: create/update/delete are not validated, and
        # (int) of an object is 1 in PHP
        r = api("POST", P + "/batch", {"delete": [{"id": 11}]})
        self.assertEqual([(1, "woocommerce_rest_product_invalid_id")],
                         [(d["id"], d["error"]["code"]) for d in r.json["delete"]])

    def test_null_means_not_sent(self):
        r = api("PUT", P + "/11", {"date_on_sale_from": None, "date_on_sale_to": "2099-01-01T00:00:00"})
        self.assertEqual(200, r.status)
        r = api("POST", P + "/batch", {"update": [{"id": 11, "description": None, "name": None}]})
        after = r.json["update"][0]
        self.assertEqual("Café Crème Mug ☕", after["name"])
        self.assertTrue(after["description"].startswith("<p>This is"))

    def test_stock_only_with_managed_stock(self):
        r = api("POST", P, {"name": "Unmanaged", "stock_quantity": 5, "backorders": "yes", "low_stock_amount": 2})
        self.assertEqual((None, "no", None, False), (r.json["stock_quantity"], r.json["backorders"],
                                                     r.json["low_stock_amount"], r.json["manage_stock"]))
        r = api("POST", P, {"name": "Managed", "manage_stock": True, "stock_quantity": 5, "inventory_delta": 3,
                            "stock_status": "outofstock"})
        self.assertEqual((5, "instock"), (r.json["stock_quantity"], r.json["stock_status"]))
        r = api("PUT", P + "/%d" % r.json["id"], {"inventory_delta": -5})
        self.assertEqual((0, "outofstock"), (r.json["stock_quantity"], r.json["stock_status"]))
        r = api("POST", P, {"name": "External", "type": "external", "manage_stock": True, "stock_quantity": 3,
                            "stock_status": "outofstock"})
        self.assertEqual((False, None, "instock"), (r.json["manage_stock"], r.json["stock_quantity"],
                                                    r.json["stock_status"]))

    def test_sale_price_needs_a_regular_price_above_it(self):
        r = api("POST", P, {"name": "Sale only", "sale_price": "5.00"})
        self.assertEqual(("", "5.00", False, False, ""), (r.json["price"], r.json["sale_price"], r.json["on_sale"],
                                                          r.json["purchasable"], r.json["price_html"]))
        r = api("POST", P, {"name": "Later sale", "regular_price": "10.00", "sale_price": "5.00",
                            "date_on_sale_from": "2099-01-01"})
        self.assertEqual(("10.00", False, "2099-01-01T00:00:00"), (r.json["price"], r.json["on_sale"],
                                                                   r.json["date_on_sale_from"]))

    def test_ids_and_lists_as_woocommerce_keeps_them(self):
        r = api("POST", P, {"name": "Upsells", "upsell_ids": [999999, 11, 11], "grouped_products": [11],
                            "downloads": [{"name": "f", "file": "https://example.com/f.pdf"}],
                            "default_attributes": [{"id": 1, "option": "Red"}]})
        self.assertEqual(([999999, 11, 11], [], [], []), (r.json["upsell_ids"], r.json["grouped_products"],
                                                          r.json["downloads"], r.json["default_attributes"]))
        r = api("POST", P, {"name": "Group", "type": "grouped", "grouped_products": [12, "12", 0, 999999]})
        self.assertEqual([12, 999999], r.json["grouped_products"])
        r = api("POST", P, {"name": "Shipped", "shipping_class": "no-such-class"})
        self.assertEqual(("", 0), (r.json["shipping_class"], r.json["shipping_class_id"]))

    def test_meta_updates(self):
        pid = api("POST", P, {"name": "Meta", "meta_data": [{"key": "a", "value": "1"}]}).json["id"]
        meta = api("GET", P + "/%d?context=edit" % pid).json["meta_data"]
        first = meta[0]["id"]
        r = api("PUT", P + "/%d" % pid, {"meta_data": [{"key": "a", "value": "2"}]})
        self.assertEqual([(first, "a", "2")], [(m["id"], m["key"], m["value"]) for m in r.json["meta_data"]])
        r = api("PUT", P + "/%d" % pid, {"meta_data": [{"id": 424242, "key": "a", "value": "3"}]})
        self.assertEqual(["3"], [m["value"] for m in r.json["meta_data"]])
        self.assertNotEqual(first, r.json["meta_data"][0]["id"])        # an unknown id replaces the key
        r = api("PUT", P + "/%d" % pid, {"meta_data": [{"key": "a", "value": None}]})
        self.assertEqual([], r.json["meta_data"])

    def test_drafts_have_no_slug_until_published(self):
        r = api("POST", P, {"name": "Entwurf Ä", "status": "draft"})
        self.assertEqual(("", "entwurf-a"), (r.json["slug"], r.json["generated_slug"]))
        r = api("PUT", P + "/%d" % r.json["id"], {"status": "publish"})
        self.assertEqual("entwurf-a", r.json["slug"])

    def test_slugs_lowercase_before_encoding(self):
        r = api("POST", P, {"name": "Ünïcödé Τ-shirt «Ελληνικά» 2"})
        self.assertEqual("unicode-%cf%84-shirt-%ce%b5%ce%bb%ce%bb%ce%b7%ce%bd%ce%b9%ce%ba%ce%ac-2", r.json["slug"])

    def test_variation_attributes_and_status(self):
        path = P + "/26/variations"
        r = api("POST", path, {"regular_price": "50.00", "attributes": [{"name": "Color", "option": "Red"},
                                                                         {"name": "pa_size", "option": "XL"}]})
        self.assertEqual([("pa_size", "XL")], [(a["slug"], a["option"]) for a in r.json["attributes"]])
        created = self.batch_create({"regular_price": "1.00", "status": "bogus"}, path)
        self.assertEqual("draft", created["status"])

    def test_status_codes_and_contexts(self):
        r = api("POST", P, {"name": "Context"})
        self.assertEqual(201, r.status)
        self.assertIn("permalink_template", r.json)                  # create answers context=edit
        r = api("PUT", P + "/%d" % r.json["id"], {"description": "x"})
        self.assertEqual((200, "x"), (r.status, r.json["description"]))   # update: edit, no wpautop


class ResourceRulesTest(ReplayCase):
    """Rules of the newer resources that no capture pins down on its own."""

    def setUp(self):
        self.reset(products=20)

    def test_webhooks(self):
        r = api("POST", "/wp-json/wc/v3/webhooks", {"name": "Hook", "topic": "product.updated",
                                                    "delivery_url": "https://example.com/hook", "secret": "s3cret"})
        self.assertEqual(201, r.status)
        self.assertEqual((None, ["woocommerce_process_product_meta", "woocommerce_update_product",
                                 "woocommerce_update_product_variation"]), (r.json["date_modified"], r.json["hooks"]))
        self.assertNotIn("secret", r.json)
        self.assertNotIn("s3cret", api("GET", "/wp-json/wc/v3/webhooks/%d?context=edit" % r.json["id"]).raw.decode())
        r = api("PUT", "/wp-json/wc/v3/webhooks/%d" % r.json["id"], {"status": "paused"})
        self.assertIsNotNone(r.json["date_modified"])
        r = api("POST", "/wp-json/wc/v3/webhooks", {"topic": "product.nonsense", "delivery_url": "https://e.x/h"})
        self.assertEqual((400, "woocommerce_rest_webhook_invalid_topic"), (r.status, r.json["code"]))
        r = api("DELETE", "/wp-json/wc/v3/webhooks/999")
        self.assertEqual((501, "Webhooks do not support trashing."), (r.status, r.json["message"]))

    def test_order_lifecycle(self):
        r = api("POST", "/wp-json/wc/v3/orders", {"status": "processing", "customer_id": 2,
                                                  "line_items": [{"product_id": 11, "quantity": 2}]})
        self.assertEqual(201, r.status, r.raw[:300])
        order = r.json
        self.assertEqual("ana.lima@example.com", order["billing"]["email"])   # the customer's e-mail
        self.assertEqual(("19.98", "processing"), (order["total"], order["status"]))
        self.assertIsNotNone(order["date_paid"])
        self.assertEqual([("_reduced_stock", "2")], [(m["key"], m["value"]) for m in order["line_items"][0]["meta_data"]])
        self.assertEqual(23, api("GET", P + "/11").json["stock_quantity"])        # 25 - 2
        notes = api("GET", "/wp-json/wc/v3/orders/%d/notes" % order["id"]).json
        # the stock note is written first (woocommerce_order_status_processing runs before the transition
        # note); notes of the same second list by id ascending (58b)
        self.assertEqual(["Stock levels reduced: Café Crème Mug ☕ (MUG-CAFE) 25&rarr;23",
                          "Order status changed from Pending payment to Processing."], [n["note"] for n in notes])
        r = api("PUT", "/wp-json/wc/v3/orders/%d" % order["id"], {"status": "completed"})
        self.assertIsNotNone(r.json["date_completed"])
        r = api("POST", "/wp-json/wc/v3/orders/%d/refunds" % order["id"], {"amount": "5.00"})   # api_refund true
        self.assertEqual((500, "The payment gateway for this order does not exist."), (r.status, r.json["message"]))
        api("PUT", "/wp-json/wc/v3/orders/%d" % order["id"], {"payment_method": "bacs"})
        r = api("POST", "/wp-json/wc/v3/orders/%d/refunds" % order["id"], {"amount": "5.00"})
        self.assertEqual((500, "The payment gateway for this order does not support automatic refunds."),
                         (r.status, r.json["message"]))
        r = api("POST", "/wp-json/wc/v3/orders/%d/refunds" % order["id"], {"amount": "50.00", "api_refund": False})
        self.assertEqual((500, "Invalid refund amount."), (r.status, r.json["message"]))
        r = api("POST", "/wp-json/wc/v3/orders/%d/refunds" % order["id"], {"amount": "19.98", "api_refund": False})
        self.assertEqual(201, r.status)
        self.assertEqual("refunded", api("GET", "/wp-json/wc/v3/orders/%d" % order["id"]).json["status"])
        r = api("DELETE", "/wp-json/wc/v3/orders/%d/notes/999999" % order["id"])
        self.assertEqual((501, "Webhooks do not support trashing."), (r.status, r.json["message"]))
        r = api("DELETE", "/wp-json/wc/v3/orders/%d" % order["id"])
        self.assertEqual("refunded", r.json["status"])                             # answered as before the trash
        self.assertEqual("trash", api("GET", "/wp-json/wc/v3/orders/%d" % order["id"]).json["status"])

    def test_customers_reviews_taxes(self):
        r = api("DELETE", "/wp-json/wc/v3/customers/2")
        self.assertEqual((501, "Customers do not support trashing."), (r.status, r.json["message"]))
        r = api("POST", "/wp-json/wc/v3/customers", {"email": "neu@example.test"})
        self.assertEqual(("neu", [("default_password_nag", "1")]),
                         (r.json["username"], [(m["key"], m["value"]) for m in r.json["meta_data"]]))
        r = api("POST", "/wp-json/wc/v3/products/reviews", {"product_id": 11, "review": "Gut", "reviewer": "A",
                                                            "reviewer_email": "a@example.test", "rating": 4})
        self.assertEqual((201, "Gut", False), (r.status, r.json["review"], r.json["verified"]))
        self.assertEqual(("4.00", 1), tuple(api("GET", P + "/11?context=edit").json[k]
                                            for k in ("average_rating", "rating_count")))
        again = api("POST", "/wp-json/wc/v3/products/reviews", {"product_id": 11, "review": "Gut", "reviewer": "A",
                                                                "reviewer_email": "a@example.test"})
        self.assertEqual(409, again.status)
        gone = api("DELETE", "/wp-json/wc/v3/products/reviews/%d?force=true" % r.json["id"])
        self.assertEqual((True, r.json["id"]), (gone.json["deleted"], gone.json["previous"]["id"]))
        r = api("POST", "/wp-json/wc/v3/products/reviews", {"product_id": 27, "review": "x", "reviewer": "A",
                                                            "reviewer_email": "a@example.test"})   # a variation
        self.assertEqual((404, "woocommerce_rest_product_invalid_id"), (r.status, r.json["code"]))
        r = api("POST", "/wp-json/wc/v3/taxes/batch", {"create": [{"country": "at", "rate": 20, "class": "nope"}]})
        self.assertEqual(("AT", "20.0000", "standard"), tuple(r.json["create"][0][k] for k in ("country", "rate", "class")))
