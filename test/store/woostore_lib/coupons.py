"""Coupons.

Sources: Version2/class-wc-rest-coupons-v2-controller.php (prepare_object_for_database: the code
through wc_format_coupon_code, an existing code refused, get_formatted_item_data: amounts with
2 decimals, 0 limits as null), Version3/class-wc-rest-coupons-controller.php,
class-wc-coupon.php; captures real/66, 66b, 74, 74b. Coupons are posts: their ids come from the
post sequence, DELETE without force trashes.
"""
import html

from .common import WPError, parse_rest_date, local_to_utc
from .crud import Resource
from .listing import _ids
from .serialize import links

DISCOUNT_TYPES = ("percent", "fixed_cart", "fixed_product")


def seed(store):
    store.coupons = {}


def format_code(code):
    """wc_format_coupon_code(): entities decoded, surrounding space trimmed, lower case."""
    return html.unescape(str(code)).strip().lower()


def _money(v):
    try:
        return "%.2f" % float(v or 0)
    except (TypeError, ValueError):
        return "0.00"


def _ids_list(v):
    out = []
    for x in v if isinstance(v, list) else []:
        try:
            out.append(int(x))
        except (TypeError, ValueError):
            pass
    return out


def coupon_json(store, c, base):
    d = c["_dates"]
    return {"id": c["id"], "code": c["code"], "amount": _money(c["amount"]), "status": c["status"],
            "date_created": _local(store, d["date_created"]), "date_created_gmt": _gmt(d["date_created"]),
            "date_modified": _local(store, d["date_modified"]), "date_modified_gmt": _gmt(d["date_modified"]),
            "discount_type": c["discount_type"], "description": c["description"],
            "date_expires": _local(store, d["date_expires"]), "date_expires_gmt": _gmt(d["date_expires"]),
            "usage_count": c["usage_count"], "individual_use": c["individual_use"],
            "product_ids": list(c["product_ids"]), "excluded_product_ids": list(c["excluded_product_ids"]),
            "usage_limit": c["usage_limit"] or None, "usage_limit_per_user": c["usage_limit_per_user"] or None,
            "limit_usage_to_x_items": c["limit_usage_to_x_items"] or None, "free_shipping": c["free_shipping"],
            "product_categories": list(c["product_categories"]),
            "excluded_product_categories": list(c["excluded_product_categories"]),
            "exclude_sale_items": c["exclude_sale_items"], "minimum_amount": _money(c["minimum_amount"]),
            "maximum_amount": _money(c["maximum_amount"]), "email_restrictions": list(c["email_restrictions"]),
            "used_by": list(c["used_by"]), "meta_data": [dict(m) for m in c["meta_data"]],
            "_links": links(base, "/wp-json/wc/v3/coupons/%d" % c["id"], "/wp-json/wc/v3/coupons")}


def _local(store, dt):
    return store.to_local(dt).strftime("%Y-%m-%dT%H:%M:%S") if dt is not None else None


def _gmt(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S") if dt is not None else None


def _bool(v):
    return v is True or (isinstance(v, (int, float)) and v == 1) or \
        (isinstance(v, str) and v.strip().lower() in ("1", "true", "yes"))


class Coupons(Resource):
    name = "coupons"
    object_type = "shop_coupon"
    collection_key = "/wc/v3/coupons"
    trash = True

    def records(self, req, parent):
        return [c for c in self.store.coupons.values() if c["status"] in ("publish", "private")]

    def select(self, req, p, items):
        st = self.store
        if p.get("code"):
            code = format_code(p["code"])
            items = [c for c in items if c["code"] == code]
        if p.get("include"):
            s = set(_ids(p["include"]))
            items = [c for c in items if c["id"] in s]
        if p.get("exclude"):
            s = set(_ids(p["exclude"]))
            items = [c for c in items if c["id"] not in s]
        if p.get("search"):
            s = p["search"].lower()
            items = [c for c in items if s in c["code"] or s in c["description"].lower()]
        gmt = bool(p.get("dates_are_gmt"))
        for param, field, after in (("after", "date_created", True), ("before", "date_created", False),
                                    ("modified_after", "date_modified", True),
                                    ("modified_before", "date_modified", False)):
            if p.get(param):
                bound = st.date_bound(p[param])
                items = [c for c in items
                         if ((c["_dates"][field] if gmt else st.to_local(c["_dates"][field])) > bound) == after]
        return items

    def sort_keys(self):
        return {"date": lambda c: c["_dates"]["date_created"], "id": lambda c: 0, "title": lambda c: c["code"],
                "slug": lambda c: c["code"], "modified": lambda c: c["_dates"]["date_modified"]}

    def find(self, req, parent, oid):
        return self.store.coupons.get(oid)

    def render(self, req, c, context):
        return coupon_json(self.store, c, req.base)

    def location(self, req, rec):
        return "%s/wp-json/wc/v3/coupons/%d" % (req.base, rec["id"])

    def create(self, req, parent, data):
        st = self.store
        now = st.now()
        c = {"id": 0, "code": "", "amount": "0", "status": "publish", "discount_type": "fixed_cart",
             "description": "", "usage_count": 0, "individual_use": False, "product_ids": [],
             "excluded_product_ids": [], "usage_limit": 0, "usage_limit_per_user": 0, "limit_usage_to_x_items": 0,
             "free_shipping": False, "product_categories": [], "excluded_product_categories": [],
             "exclude_sale_items": False, "minimum_amount": "", "maximum_amount": "", "email_restrictions": [],
             "used_by": [], "meta_data": [],
             "_dates": {"date_created": now, "date_modified": now, "date_expires": None}}
        self._apply(c, data)
        c["id"] = st.new_post_id()
        st.coupons[c["id"]] = c
        st.touch()
        return c

    def _apply(self, c, data):
        st = self.store
        if "code" in data and data["code"] is not None:
            code = format_code(data["code"])
            if any(o["code"] == code and o["id"] != c["id"] and o["status"] != "trash" for o in st.coupons.values()):
                raise WPError("woocommerce_rest_coupon_code_already_exists", "The coupon code already exists", 400)
            c["code"] = code
        for key in ("amount", "minimum_amount", "maximum_amount"):
            if data.get(key) is not None:
                c[key] = str(data[key])
        if data.get("discount_type") is not None:
            if data["discount_type"] not in DISCOUNT_TYPES:
                raise WPError("woocommerce_rest_invalid_coupon_type", "Invalid discount type.", 400)
            c["discount_type"] = data["discount_type"]
        if data.get("status") is not None:
            c["status"] = str(data["status"])
        if data.get("description") is not None:
            c["description"] = str(data["description"])
        for key in ("individual_use", "free_shipping", "exclude_sale_items"):
            if data.get(key) is not None:
                c[key] = _bool(data[key])
        for key in ("usage_limit", "usage_limit_per_user", "limit_usage_to_x_items"):
            if data.get(key) is not None:
                c[key] = abs(int(float(data[key] or 0)))
        for key in ("product_ids", "excluded_product_ids", "product_categories", "excluded_product_categories"):
            if data.get(key) is not None:
                c[key] = _ids_list(data[key])
        if data.get("email_restrictions") is not None:
            c["email_restrictions"] = [str(e).strip().lower() for e in data["email_restrictions"] or [] if str(e).strip()]
        for key in ("date_expires", "date_expires_gmt"):
            if key in data:
                c["_dates"]["date_expires"] = self._date(data[key], key.endswith("_gmt"))
        if isinstance(data.get("meta_data"), list):
            from .orders import _update_meta
            _update_meta(st, c["meta_data"], data["meta_data"])

    def _date(self, raw, gmt):
        if raw in (None, ""):
            return None
        parsed = parse_rest_date(raw) or parse_rest_date(str(raw)[:10] + "T00:00:00")
        if parsed is None:
            return None
        d, off = parsed
        if off is not None:
            return d - off
        return d if gmt else local_to_utc(d, self.store.tz)

    def update(self, req, parent, rec, data):
        self._apply(rec, data)
        rec["_dates"]["date_modified"] = self.store.now()
        self.store.touch()
        return rec

    def remove(self, req, parent, rec, force):
        if force:
            del self.store.coupons[rec["id"]]
        else:
            rec["status"] = "trash"
            rec["_dates"]["date_modified"] = self.store.now()
        self.store.touch()
