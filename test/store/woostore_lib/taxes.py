"""Tax rates and tax classes.

Sources: Version3/class-wc-rest-taxes-controller.php and Version1 (create_or_update_tax,
prepare_item_for_response, delete_item), class-wc-tax.php (format_tax_rate: 4 decimals,
format_tax_rate_class, create_tax_class), Version3/class-wc-rest-tax-classes-controller.php;
captures real/57, 57b, 57c.
"""
from .common import WPError, sanitize_title
from .crud import Resource
from .serialize import links

BUILTIN_CLASSES = [("standard", "Standard rate"), ("reduced-rate", "Reduced rate"), ("zero-rate", "Zero rate")]


def seed(store):
    store.tax_rates = {}
    store.tax_classes = [dict(slug=s, name=n) for s, n in BUILTIN_CLASSES]
    store.next_tax_rate_id = 1


def class_slugs(store):
    return [c["slug"] for c in store.tax_classes]


def _class_enum(store, args):
    if "class" in args:
        args = dict(args)
        args["class"] = dict(args["class"], enum=class_slugs(store))
    return args


def format_rate(v):
    try:
        return "%.4f" % float(v)
    except (TypeError, ValueError):
        return "0.0000"


def _clean(v):
    return "" if v is None else str(v).strip()


class TaxRates(Resource):
    name = "taxes"
    object_type = "tax"
    collection_key = "/wc/v3/taxes"
    default_orderby = "order"
    default_order = "asc"

    def adjust_args(self, args):
        return _class_enum(self.store, args)

    def records(self, req, parent):
        return self.store.tax_rates.values()

    def select(self, req, p, items):
        if p.get("class"):
            cls = "" if p["class"] == "standard" else p["class"]
            items = [t for t in items if t["class"] == cls]
        return items

    def sort_keys(self):
        return {"order": lambda t: t["order"], "id": lambda t: 0, "priority": lambda t: t["priority"]}

    def find(self, req, parent, oid):
        return self.store.tax_rates.get(oid)

    def invalid_id(self, status):
        return WPError("woocommerce_rest_invalid_id", "Invalid resource ID.", 404)

    def trash_not_supported(self):
        return WPError("woocommerce_rest_trash_not_supported", "Taxes do not support trashing.", 501)

    def render(self, req, t, context):
        return {"id": t["id"], "country": t["country"], "state": t["state"],
                "postcode": "; ".join(t["postcodes"]), "city": "; ".join(t["cities"]), "rate": t["rate"],
                "name": t["name"], "priority": t["priority"], "compound": t["compound"], "shipping": t["shipping"],
                "order": t["order"], "class": t["class"] or "standard", "postcodes": list(t["postcodes"]),
                "cities": list(t["cities"]),
                "_links": links(req.base, "/wp-json/wc/v3/taxes/%d" % t["id"], "/wp-json/wc/v3/taxes")}

    def location(self, req, rec):
        return "%s/wp-json/wc/v3/taxes/%d" % (req.base, rec["id"])

    def create(self, req, parent, data):
        st = self.store
        t = {"id": st.next_tax_rate_id, "country": "", "state": "", "postcodes": [], "cities": [], "rate": "0.0000",
             "name": "", "priority": 1, "compound": False, "shipping": True, "order": 0, "class": ""}
        st.next_tax_rate_id += 1
        self._apply(t, data)
        st.tax_rates[t["id"]] = t
        st.touch()
        return t

    def _apply(self, t, data):
        """create_or_update_tax(): country and state upper case, rate with 4 decimals, an unknown
        class is the standard one, postcode/city as "; "-lists or arrays."""
        if data.get("country") is not None:
            t["country"] = _clean(data["country"]).upper()
        if data.get("state") is not None:
            t["state"] = _clean(data["state"]).upper()
        if data.get("rate") is not None:
            t["rate"] = format_rate(data["rate"])
        if data.get("name") is not None:
            t["name"] = _clean(data["name"])
        for key in ("priority", "order"):
            if data.get(key) is not None:
                t[key] = abs(int(float(data[key] or 0)))
        for key in ("compound", "shipping"):
            if data.get(key) is not None:
                t[key] = data[key] is True or str(data[key]).lower() in ("1", "true", "yes")
        if data.get("class") is not None:
            slug = sanitize_title(str(data["class"]))
            t["class"] = slug if slug in class_slugs(self.store) and slug != "standard" else ""
        for key, plural in (("postcode", "postcodes"), ("city", "cities")):
            if data.get(plural) is not None:
                t[plural] = [_clean(x).upper() if key == "postcode" else _clean(x).upper()
                             for x in data[plural] if _clean(x)]
            elif data.get(key) is not None:
                t[plural] = [x.strip().upper() for x in str(data[key]).split(";") if x.strip()]

    def update(self, req, parent, rec, data):
        self._apply(rec, data)
        self.store.touch()
        return rec

    def remove(self, req, parent, rec, force):
        del self.store.tax_rates[rec["id"]]
        self.store.touch()


class TaxClasses(Resource):
    """taxes/classes: the standard class first, then the store's classes; answered whole with
    totals (real/57c); addressed by slug."""
    sortable = False
    name = "tax_classes"
    object_type = "tax_class"
    collection_key = "/wc/v3/taxes/classes"
    default_orderby = "none"

    def records(self, req, parent):
        return list(self.store.tax_classes)

    def sort_keys(self):
        return {"none": lambda c: 0, "id": lambda c: 0}

    def find(self, req, parent, slug):
        if req.method == "DELETE" and slug == "standard":
            return None                          # the standard class is no stored class
        return next((c for c in self.store.tax_classes if c["slug"] == slug), None)

    def parse_id(self, v):
        return v

    def invalid_id(self, status):
        return WPError("woocommerce_rest_invalid_id", "Invalid resource id.", 404)

    def trash_not_supported(self):
        return WPError("woocommerce_rest_trash_not_supported", "Taxes do not support trashing.", 501)

    def render(self, req, c, context):
        return {"slug": c["slug"], "name": c["name"],
                "_links": {"collection": [{"href": req.base + "/wp-json/wc/v3/taxes/classes"}]}}

    def location(self, req, rec):
        return "%s/wp-json/wc/v3/taxes/classes/%s" % (req.base, rec["slug"])

    def create(self, req, parent, data):
        name = _clean(data.get("name"))
        slug = sanitize_title(name)
        if not name or not slug:
            raise WPError("woocommerce_rest_tax_class_invalid_name", "Tax class requires a valid name", 400)
        if self.find(req, None, slug) is not None or any(c["name"] == name for c in self.store.tax_classes):
            raise WPError("woocommerce_rest_tax_class_exists", "Tax class already exists", 400)
        c = {"slug": slug, "name": name}
        self.store.tax_classes.append(c)
        self.store.touch()
        return c

    def remove(self, req, parent, rec, force):
        st = self.store
        st.tax_classes = [c for c in st.tax_classes if c["slug"] != rec["slug"]]
        for rid in [r["id"] for r in st.tax_rates.values() if r["class"] == rec["slug"]]:
            del st.tax_rates[rid]               # WC_Tax::delete_tax_class_by() deletes its rates
        st.touch()
