"""Shipping zones, their locations and methods, and the shipping methods WooCommerce offers.

Sources: Version2/class-wc-rest-shipping-zones-v2-controller.php, -zone-locations-, -zone-methods-
controllers and class-wc-rest-shipping-zones-controller-base.php (zone 0 always first, "Resource
does not exist." for a missing zone, zone 0 cannot be changed), class-wc-shipping-flat-rate.php
(a cost per shipping class), class-wc-rest-shipping-methods-controller.php; captures real/60, 60b,
60c (settings as WooCommerce describes them, values strings or null).
"""
import copy

from .common import WPError
from .crud import Resource
from . import schema as sch

ZONE0_NAME = "Locations not covered by your other zones"
LOCATION_TYPES = ("postcode", "state", "country", "continent")
# the methods of shipping_methods (id, title, description); settings of flat_rate and free_shipping
# come from real/60c (data/shipping.json)
METHODS = [("flat_rate", "Flat rate", "<p>Lets you charge a fixed rate for shipping.</p>\n"),
           ("free_shipping", "Free shipping",
            "<p>Free shipping is a special method which can be triggered with coupons and minimum spends.</p>\n")]


def seed(store):
    """Zone 0 only, like a fresh store (the capture's zone "Deutschland" is loaded by its replay)."""
    store.zones = {0: {"id": 0, "name": ZONE0_NAME, "order": 0, "locations": []}}
    store.zone_methods = {}
    store.next_zone_id = 1
    store.next_instance_id = 1


def zone_or_404(store, zid):
    z = store.zones.get(zid)
    if z is None:
        raise WPError("woocommerce_rest_shipping_zone_invalid", "Resource does not exist.", 404)
    return z


def _zone0_readonly():
    return WPError("woocommerce_rest_shipping_zone_invalid_zone",
                   'The "locations not covered by your other zones" zone cannot be updated.', 403)


def method_settings(store, method_id, values, base):
    """The settings object of a method instance: WooCommerce's definitions with the stored
    values (null when never saved); flat_rate gets one cost per shipping class."""
    data = sch.rehost(sch.load_data("shipping.json")["methods"][method_id]["settings"], base)
    out = {}
    for key, definition in data:
        if key == "class_cost_%d":
            for t in sorted(store.terms_of("product_shipping_class"), key=lambda t: t["id"]):
                k = key % t["id"]
                out[k] = _setting(dict(definition, id=k, label=definition["label"] % t["name"]), values.get(k))
            continue
        out[key] = _setting(definition, values.get(key))
    return out


def _setting(definition, value):
    """One setting as WooCommerce answers it: value between type and default."""
    d = dict(definition, value=value)
    out = {k: d[k] for k in ("id", "label", "description", "type", "value", "default", "tip", "placeholder") if k in d}
    if "options" in d:
        out["options"] = d["options"]
    return out


class Zones(Resource):
    sortable = False
    name = "zones"
    object_type = "shipping_zone"
    totals = "whole"

    def records(self, req, parent):
        st = self.store
        rest = sorted((z for z in st.zones.values() if z["id"] != 0), key=lambda z: (z["order"], z["id"]))
        return [st.zones[0]] + rest

    def sort_keys(self):
        return {"date": lambda z: 0, "id": lambda z: 0}

    def find(self, req, parent, oid):
        return self.store.zones.get(oid)

    def invalid_id(self, status):
        return WPError("woocommerce_rest_shipping_zone_invalid", "Resource does not exist.", 404)

    def trash_not_supported(self):
        return WPError("rest_trash_not_supported", "Shipping zones do not support trashing.", 501)

    def render(self, req, z, context):
        href = req.base + "/wp-json/wc/v3/shipping/zones/%d" % z["id"]
        return {"id": z["id"], "name": z["name"], "order": z["order"],
                "_links": {"self": [{"href": href, "targetHints": {"allow": ["GET", "POST", "PUT", "PATCH", "DELETE"]}}],
                           "collection": [{"href": req.base + "/wp-json/wc/v3/shipping/zones"}],
                           "describedby": [{"href": href + "/locations"}]}}

    def location(self, req, rec):
        return "%s/wp-json/wc/v3/shipping/zones/%d" % (req.base, rec["id"])

    def create(self, req, parent, data):
        st = self.store
        name = data.get("name")
        z = {"id": st.next_zone_id, "name": "" if name is None else str(name), "order": int(data.get("order") or 0),
             "locations": []}
        st.next_zone_id += 1
        st.zones[z["id"]] = z
        st.touch()
        return z

    def update(self, req, parent, rec, data):
        if rec["id"] == 0:
            raise _zone0_readonly()
        if data.get("name") is not None:
            rec["name"] = str(data["name"])
        if data.get("order") is not None:
            rec["order"] = int(data["order"])
        self.store.touch()
        return rec

    def remove(self, req, parent, rec, force):
        st = self.store
        if rec["id"] == 0:
            raise _zone0_readonly()
        del st.zones[rec["id"]]
        for iid in [i for i, m in st.zone_methods.items() if m["zone_id"] == rec["id"]]:
            del st.zone_methods[iid]
        st.touch()


class ZoneLocations(Resource):
    """shipping/zones/<id>/locations: GET lists, POST/PUT replace the whole list with the body
    (an array of {code, type}); zone 0 cannot be changed."""
    sortable = False
    name = "zone_locations"
    object_type = "shipping_zone_location"
    totals = "whole"
    default_orderby = "none"

    def records(self, req, parent):
        return list(zone_or_404(self.store, req.match["id"])["locations"])

    def sort_keys(self):
        return {"none": lambda x: 0}

    def render(self, req, loc, context):
        href = req.base + "/wp-json/wc/v3/shipping/zones/%d" % req.match["id"]
        return {"code": loc["code"], "type": loc["type"],
                "_links": {"collection": [{"href": href + "/locations"}], "describes": [{"href": href}]}}

    def replace(self, req, body):
        st = self.store
        z = zone_or_404(st, req.match["id"])
        if z["id"] == 0:
            raise _zone0_readonly()
        locations = []
        for item in body if isinstance(body, list) else []:
            if not isinstance(item, dict) or not item.get("code"):
                continue
            kind = item.get("type") or "country"
            if kind not in LOCATION_TYPES:
                continue
            locations.append({"code": str(item["code"]), "type": kind})
        z["locations"] = locations
        st.touch()
        return [self.render(req, loc, "view") for loc in locations]


class ZoneMethods(Resource):
    sortable = False
    name = "zone_methods"
    object_type = "shipping_zone_method"
    totals = "whole"
    default_orderby = "none"

    def parent(self, req):
        return zone_or_404(self.store, req.match["zone_id"])

    def records(self, req, parent):
        ms = [m for m in self.store.zone_methods.values() if m["zone_id"] == parent["id"]]
        return sorted(ms, key=lambda m: (m["order"], m["instance_id"]))

    def sort_keys(self):
        return {"none": lambda x: 0}

    def find(self, req, parent, iid):
        m = self.store.zone_methods.get(iid)
        return m if m is not None and m["zone_id"] == parent["id"] else None

    def invalid_id(self, status):
        return WPError("woocommerce_rest_shipping_zone_method_invalid", "Resource does not exist.", 404)

    def trash_not_supported(self):
        return WPError("rest_trash_not_supported", "Shipping methods do not support trashing.", 501)

    def render(self, req, m, context):
        meta = sch.load_data("shipping.json")["methods"][m["method_id"]]
        settings = method_settings(self.store, m["method_id"], m["values"], req.base)
        href = req.base + "/wp-json/wc/v3/shipping/zones/%d" % m["zone_id"]
        return {"id": m["instance_id"], "instance_id": m["instance_id"], "title": m["values"].get("title") or meta["method_title"],
                "order": m["order"], "enabled": m["enabled"], "method_id": m["method_id"],
                "method_title": meta["method_title"], "method_description": meta["method_description"],
                "settings": settings,
                "_links": {"self": [{"href": href + "/methods/%d" % m["instance_id"],
                                     "targetHints": {"allow": ["GET", "POST", "PUT", "PATCH", "DELETE"]}}],
                           "collection": [{"href": href + "/methods"}], "describes": [{"href": href}]}}

    def location(self, req, rec):
        return "%s/wp-json/wc/v3/shipping/zones/%d/methods/%d" % (req.base, rec["zone_id"], rec["instance_id"])

    def create(self, req, parent, data):
        st = self.store
        method_id = data.get("method_id")
        if method_id not in sch.load_data("shipping.json")["methods"]:
            raise WPError("woocommerce_rest_shipping_zone_method_invalid", "Resource does not exist.", 404)
        m = {"instance_id": st.next_instance_id, "zone_id": parent["id"], "method_id": method_id,
             "order": len([x for x in st.zone_methods.values() if x["zone_id"] == parent["id"]]) + 1,
             "enabled": True, "values": {}}
        st.next_instance_id += 1
        st.zone_methods[m["instance_id"]] = m
        return self.update(req, parent, m, data)

    def update(self, req, parent, rec, data):
        known = {k for k, _ in sch.load_data("shipping.json")["methods"][rec["method_id"]]["settings"]}
        for key, value in (data.get("settings") or {}).items() if isinstance(data.get("settings"), dict) else []:
            if key in known or (rec["method_id"] == "flat_rate" and key.startswith("class_cost_")):
                rec["values"][key] = "" if value is None else str(value)
        if data.get("enabled") is not None:
            rec["enabled"] = data["enabled"] is True or str(data["enabled"]).lower() in ("1", "true", "yes")
        if data.get("order") is not None:
            rec["order"] = int(data["order"])
        self.store.touch()
        return rec

    def remove(self, req, parent, rec, force):
        del self.store.zone_methods[rec["instance_id"]]
        self.store.touch()


class ShippingMethods(Resource):
    """shipping_methods: the methods WooCommerce registers (id, title, description)."""
    sortable = False
    name = "shipping_methods"
    object_type = "shipping_method"
    totals = False
    default_orderby = "none"

    def records(self, req, parent):
        return [{"id": i, "title": t, "description": d} for i, t, d in METHODS]

    def sort_keys(self):
        return {"none": lambda x: 0}

    def find(self, req, parent, mid):
        return next((m for m in self.records(req, parent) if m["id"] == mid), None)

    def parse_id(self, v):
        return v

    def invalid_id(self, status):
        return WPError("woocommerce_rest_shipping_method_invalid", "Resource does not exist.", 404)

    def render(self, req, m, context):
        return {"id": m["id"], "title": m["title"], "description": m["description"],
                "_links": {"self": [{"href": req.base + "/wp-json/wc/v3/shipping_methods/%s" % m["id"],
                                     "targetHints": {"allow": ["GET"]}}],
                           "collection": [{"href": req.base + "/wp-json/wc/v3/shipping_methods"}]}}
