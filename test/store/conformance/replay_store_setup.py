"""Replays of the second capture's store set-up and read-only resources: shipping classes, taxes,
shipping zones, payment gateways, settings, coupons, reviews, webhooks, reports, data, tools
(real/55-67b, 74, 74b)."""
from . import captures
from .captures import replays
from .replay import ReplayCase


@captures.register
class StoreSetupReplayTest(ReplayCase):
    def setUp(self):
        self.reset(products=18)

    @replays("56-products-shipping_classes-create.json", "56b-products-shipping_classes-list.json")
    def test_56_shipping_classes(self):
        ex = captures.load("56-products-shipping_classes-create.json")
        self.state(next_ids={"term": ex["response"]["body"]["id"]})
        self.replay(ex)
        self.replay(captures.load("56b-products-shipping_classes-list.json"))

    @replays("57-taxes-create.json", "57b-taxes-list.json", "57c-taxes-classes-list.json")
    def test_57_taxes(self):
        for ex in captures.exchanges(captures.load("57-taxes-create.json")):
            self.replay(ex)
        self.replay(captures.load("57b-taxes-list.json"))
        self.replay(captures.load("57c-taxes-classes-list.json"))

    @replays("60-shipping-zones-list.json", "60b-shipping-zone-locations.json", "60c-shipping-zone-methods.json")
    def test_60_shipping_zones(self):
        zones, locations, methods = (captures.load(n) for n in (
            "60-shipping-zones-list.json", "60b-shipping-zone-locations.json", "60c-shipping-zone-methods.json"))
        self.state(shipping_classes=captures.load("56b-products-shipping_classes-list.json")["response"]["body"],
                   zones=zones["response"]["body"], zone_locations=locations["response"]["body"],
                   zone_methods=methods["response"]["body"])
        self.replay(zones)
        self.replay(locations)
        self.replay(methods)

    @replays("61-payment_gateways-list.json")
    def test_61_payment_gateways(self):
        ex = captures.load("61-payment_gateways-list.json")
        self.state(gateways=ex["response"]["body"])
        self.replay(ex)

    @replays("62-settings-groups-list.json", "62b-settings-general-options.json")
    def test_62_settings(self):
        self.replay(captures.load("62-settings-groups-list.json"))
        ex = captures.load("62b-settings-general-options.json")
        self.state(options={o["id"]: o["value"] for o in ex["response"]["body"]})
        self.replay(ex)

    @replays("55-products-reviews-create.json", "55b-products-reviews-list.json",
             "55c-products-reviews-list-per_page1.json")
    def test_55_reviews(self):
        creates = captures.exchanges(captures.load("55-products-reviews-create.json"))
        # the reviewed products as the reviews show them (the second capture's ids: 14 is the
        # mug, 32 the hoodie), and the order that makes the first reviewer a verified owner
        products = [{"id": r["product_id"], "name": r["product_name"], "type": "simple", "status": "publish",
                     "slug": r["product_permalink"].rstrip("/").rsplit("/", 1)[1]}
                    for r in (ex["response"]["body"] for ex in creates)]
        buyer = {"id": 2049, "status": "completed", "billing": {"email": "juergen.mueller@example.test"},
                 "line_items": [{"id": 1, "product_id": 14, "variation_id": 0, "quantity": 1}]}
        self.state(products=products, orders=[buyer], next_ids={"comment": creates[0]["response"]["body"]["id"]})
        for ex in creates:
            self.replay(ex)
        self.replay(captures.load("55b-products-reviews-list.json"))
        self.replay(captures.load("55c-products-reviews-list-per_page1.json"))

    @replays("66-coupons-list.json", "66b-coupons-list-per_page1.json", "74-coupons-delete-force.json",
             "74b-coupons-get-after-force-delete.json")
    def test_66_74_coupons(self):
        listed = captures.load("66-coupons-list.json")
        deleted = captures.load("74-coupons-delete-force.json")
        self.state(coupons=listed["response"]["body"] + [deleted["response"]["body"]])
        self.replay(deleted)
        self.replay(listed)
        self.replay(captures.load("66b-coupons-list-per_page1.json"))
        self.replay(captures.load("74b-coupons-get-after-force-delete.json"))

    @replays("67-webhooks-list.json", "67b-webhooks-batch-pause.json")
    def test_67_webhooks(self):
        listed = captures.load("67-webhooks-list.json")
        self.state(webhooks=listed["response"]["body"])
        self.replay(listed)
        self.replay(captures.load("67b-webhooks-batch-pause.json"))

    @replays("63-reports-sales.json", "63b-reports-sales-date-range.json", "63c-reports-top_sellers.json",
             "63d-reports.json")
    def test_63_legacy_reports(self):
        # The capture's store keeps orders in HPOS tables: the legacy reports see none. Its three
        # customers registered on 2026-11-29 after midnight (63b counts them that day, 63's
        # "today" window, which ends at midnight, does not): at the seeding time of 66's coupons.
        customers = [{"id": 2 + i, "date_created_gmt": "2026-11-29T00:34:17", "date_modified_gmt": "2026-11-29T00:34:17",
                      "email": "c%d@example.test" % i, "first_name": "", "last_name": "", "role": "customer",
                      "username": "c%d" % i, "billing": {}, "shipping": {}, "is_paying_customer": i == 0,
                      "meta_data": []} for i in range(3)]
        self.state(replace=["customers"], customers=customers)
        for name in ("63-reports-sales.json", "63b-reports-sales-date-range.json", "63c-reports-top_sellers.json",
                     "63d-reports.json"):
            with self.subTest(name=name):
                self.replay(captures.load(name))

    @replays("63e-reports-orders-totals.json", "63f-reports-products-totals.json",
             "63g-reports-customers-totals.json", "63h-reports-coupons-totals.json",
             "63i-reports-reviews-totals.json")
    def test_63_totals_reports(self):
        # The capture's counts: 5 orders, one per status of 63e; 2,014 published simple and 2
        # variable products (the seed of 2,019: 13 published showcase products + 2,001 bulk);
        # the 3 customers of the seed (one paying, as 63g); 66's coupons; 55b's reviews.
        self.reset(products=2019)
        orders = [{"id": 2046 + i, "status": s, "billing": {"email": ""}, "line_items": []}
                  for i, s in enumerate(("pending", "processing", "on-hold", "completed", "cancelled"))]
        self.state(replace=["orders"], orders=orders,
                   coupons=captures.load("66-coupons-list.json")["response"]["body"],
                   reviews=captures.load("55b-products-reviews-list.json")["response"]["body"])
        for name in ("63e-reports-orders-totals.json", "63f-reports-products-totals.json",
                     "63g-reports-customers-totals.json", "63h-reports-coupons-totals.json",
                     "63i-reports-reviews-totals.json"):
            with self.subTest(name=name):
                self.replay(captures.load(name))

    @replays("64-data-currencies-current.json", "65-system_status-tools-list.json")
    def test_64_65_data_and_tools(self):
        self.replay(captures.load("64-data-currencies-current.json"))
        self.replay(captures.load("65-system_status-tools-list.json"))
