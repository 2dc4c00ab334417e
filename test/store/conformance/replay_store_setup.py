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
