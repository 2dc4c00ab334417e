"""Replays of orders, order notes and refunds (real/40, 58, 58b, 59, 70, 72)."""
import copy

from . import captures
from .captures import replays
from .client import api
from .replay import ReplayCase


def order_before(ex70):
    """Order 2050 as it was before 70 completed it (processing, not completed)."""
    order = copy.deepcopy(ex70["response"]["body"])
    order.update(status="processing", date_completed=None, date_completed_gmt=None)
    return order


@captures.register
class OrderReplayTest(ReplayCase):
    def setUp(self):
        self.reset(products=18)

    @replays("39-customers-create.json")
    def test_39_customer_create(self):
        ex39 = captures.load("39-customers-create.json")
        meta_id = ex39["response"]["body"]["meta_data"][0]["id"]
        self.state(replace=["customers"], next_ids={"user": 2, "user_meta": meta_id})
        self.replay(ex39)
        again = self.send(ex39)[0]
        self.assertEqual((400, "registration-error-email-exists"), (again.status, again.json["code"]))

    @replays("40-orders-create.json")
    def test_40_order_create(self):
        ex39, ex40 = captures.load("39-customers-create.json"), captures.load("40-orders-create.json")
        # the capture's products 239 and 240: names, prices and SKUs as the order lines show them;
        # their stock is managed (the lines record _reduced_stock)
        products = [{"id": li["product_id"], "type": "simple", "status": "publish", "name": li["name"],
                     "sku": li["sku"], "regular_price": "%.2f" % li["price"], "manage_stock": True,
                     "stock_quantity": 50} for li in ex40["response"]["body"]["line_items"]]
        self.state(replace=["orders", "customers"], customers=[ex39["response"]["body"]], products=products,
                   next_ids={"post": 2239, "order_item": 1, "order_item_meta": 1})
        self.replay(ex40)
        stock = {p["id"]: api("GET", "/wp-json/wc/v3/products/%d" % p["id"]).json["stock_quantity"] for p in products}
        self.assertEqual({240: 48, 239: 49}, stock)

    @replays("58-order-notes-create.json", "58b-order-notes-list.json")
    def test_58_order_notes(self):
        ex70 = captures.load("70-orders-update-status-completed.json")
        listed = captures.load("58b-order-notes-list.json")["response"]["body"]
        written = [n for n in listed if n["id"] < 12]   # the notes WooCommerce wrote before 58
        self.state(orders=[order_before(ex70)], order_notes=written, next_ids={"comment": 12})
        for ex in captures.exchanges(captures.load("58-order-notes-create.json")):
            self.replay(ex)
        self.replay(captures.load("58b-order-notes-list.json"))

    @replays("59-order-refunds-list.json")
    def test_59_refunds_list(self):
        ex = captures.load("59-order-refunds-list.json")
        self.state(orders=[{"id": 2048, "status": "completed", "total": "20.00"}], refunds=ex["response"]["body"])
        self.replay(ex)

    @replays("70-orders-update-status-completed.json", "72-order-refund-create-api_refund-false.json")
    def test_70_72_complete_and_refund(self):
        ex70 = captures.load("70-orders-update-status-completed.json")
        self.state(orders=[order_before(ex70)], next_ids={"post": 3207})
        self.replay(ex70)
        self.replay(captures.load("72-order-refund-create-api_refund-false.json"))
