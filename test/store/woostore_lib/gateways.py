"""Payment gateways: bacs, cheque and cod as WooCommerce 10 answers them (real/61).

Source: Version2/class-wc-rest-payment-gateways-v2-controller.php (update_item: settings
validated per field type, enabled/title/description also stored in the settings, order in
woocommerce_gateway_order, "" until set). Answered whole with X-WP-Total (real/61).
"""
import copy

from .common import WPError
from .crud import Resource
from .settings import validate_value
from . import schema as sch


def seed(store):
    store.gateways = {g["id"]: copy.deepcopy(g) for g in sch.load_data("gateways.json")["gateways"]}


class PaymentGateways(Resource):
    name = "payment_gateways"
    object_type = "payment_gateway"
    totals = "whole"
    sortable = False

    def records(self, req, parent):
        return list(self.store.gateways.values())

    def find(self, req, parent, gid):
        return self.store.gateways.get(gid)

    def parse_id(self, v):
        return v

    def invalid_id(self, status):
        return WPError("woocommerce_rest_payment_gateway_invalid", "Resource does not exist.", 404)

    def render(self, req, g, context):
        out = sch.rehost(g, req.base)
        out["_links"] = {"self": [{"href": "%s/wp-json/wc/v3/payment_gateways/%s" % (req.base, g["id"]),
                                   "targetHints": {"allow": ["GET", "POST", "PUT", "PATCH"]}}],
                         "collection": [{"href": "%s/wp-json/wc/v3/payment_gateways" % req.base}]}
        return out

    def update(self, req, parent, g, data):
        settings = data.get("settings")
        if isinstance(settings, dict):
            new = {}
            for key, field in g["settings"].items():
                if key in settings:
                    new[key] = validate_value(field, settings[key])
            for key, value in new.items():
                g["settings"][key]["value"] = value
        if data.get("enabled") is not None:
            g["enabled"] = data["enabled"] is True or str(data["enabled"]).lower() in ("1", "true", "yes")
        for key in ("title", "description"):
            if data.get(key) is not None:
                g[key] = str(data[key])
                if key in g["settings"]:
                    g["settings"][key]["value"] = g[key]
        if data.get("settings", {}) and isinstance(settings, dict) and "title" in settings:
            g["title"] = g["settings"]["title"]["value"]
        if data.get("order") is not None:
            g["order"] = abs(int(data["order"]))
        self.store.touch()
        return g
