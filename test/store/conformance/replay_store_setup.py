"""Replays of the second capture's store set-up: shipping classes, taxes, shipping zones,
payment gateways, settings, coupons, reviews, webhooks (real/55-67b, 74, 74b)."""
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
