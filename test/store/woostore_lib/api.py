"""The wc/v3 REST API: routing, permission checks, validation, handlers."""
import copy
import json
import math
import re
import urllib.parse

from . import schema as sch
from . import serialize as ser
from .auth import authenticate, check_key_permissions
from .common import WPError, collation_key, kses_normalize, price_decimal, sanitize_title, to_bool
from .state import UNCATEGORIZED_ID
from .listing import (_field_prefixes, _fields, _fields_filter, _ids, _search_terms, _sort,  # noqa: F401
                      paginate)
from .writes import delete_post, write_product, write_variation
from .webhook_delivery import fire as fire_webhooks
from . import crud
from .customers import CustomerDownloads, Customers
from .data_api import Continents, Countries, Currencies, DataIndex
from .orders import OrderNotes, OrderRefunds, Orders, OrderStatuses, Refunds
from . import reports
from .system_tools import SystemTools
from .coupons import Coupons
from .gateways import PaymentGateways
from .reviews import Reviews
from .webhooks import Webhooks
from .settings import AllSettings, SettingGroups, SettingOptions
from .shipping import ShippingMethods, ZoneLocations, ZoneMethods, Zones
from .taxes import TaxClasses, TaxRates
from .terms import ProductBrands, ShippingClasses

# Resources served by the generic controller flow (crud.py).
RESOURCES = (Orders, OrderNotes, OrderRefunds, Customers, CustomerDownloads, ProductBrands, ShippingClasses,
             TaxRates, TaxClasses, Zones, ZoneLocations, ZoneMethods, ShippingMethods,
             SettingGroups, SettingOptions, AllSettings, PaymentGateways, Coupons, Reviews, Webhooks,
             Refunds, OrderStatuses, DataIndex, Continents, Countries, Currencies, SystemTools) + reports.RESOURCES

NS = "/wc/v3"
BATCH_LIMIT = 100
# Query parameters that do not select or order the products of a list (its cache key ignores them).
_NOT_LIST_FILTERS = frozenset(("page", "per_page", "offset", "context", "_fields", "consumer_key",
                               "consumer_secret"))
LIST_CACHE_ENTRIES = 64


def _json_bytes(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _list_filter_key(params):
    return tuple(sorted((k, repr(v)) for k, v in params.items()
                        if k not in _NOT_LIST_FILTERS and not k.startswith("oauth_")))


class Response:
    def __init__(self, status=200, body=None, headers=None, raw=None, content_type="application/json; charset=UTF-8"):
        self.status = status
        self.body = body
        self.headers = headers or []
        self.raw = raw
        self.content_type = content_type


class Req:
    """A parsed REST request."""

    def __init__(self, method, route, query_pairs, body, base_url, is_ssl, auth_header, form, via_rest_route=False):
        self.method = method
        self.route = route                  # e.g. /wc/v3/products/10 (no /wp-json)
        self.query_pairs = query_pairs      # ordered [(k, v)]
        self.query = {}
        for k, v in query_pairs:
            if k.endswith("[]"):            # PHP array syntax: include[]=1&include[]=2
                lst = self.query.setdefault(k[:-2], [])
                if isinstance(lst, list):
                    lst.append(v)
                continue
            self.query[k] = v               # last value wins (PHP)
        self.body = body if isinstance(body, dict) else ({} if body is None else body)
        self.base = base_url
        self.is_ssl = is_ssl
        self.auth_header = auth_header
        self.form = form or {}
        self.via_rest_route = via_rest_route
        self.auth = None
        self.params = {}
        self.match = {}
        self.template = None


# ---------------------------------------------------------------------------- routing table
# The routes the store serves: WooCommerce route key (a regex, as the namespace index lists it)
# -> (kind, resource). Requests are matched against them in the index's order, case-insensitively,
# as WordPress does (so "settings/batch" wins over "settings/(?P<group_id>[\w-]+)").
SERVED = {
    "/wc/v3": ("index", None),
    "/wc/v3/system_status": ("system_status", None),
    "/wc/v3/coupons": ("collection", "coupons"),
    "/wc/v3/coupons/batch": ("batch", "coupons"),
    "/wc/v3/coupons/(?P<id>[\\d]+)": ("item", "coupons"),
    "/wc/v3/products/reviews": ("collection", "reviews"),
    "/wc/v3/products/reviews/batch": ("batch", "reviews"),
    "/wc/v3/products/reviews/(?P<id>[\\d]+)": ("item", "reviews"),
    "/wc/v3/webhooks": ("collection", "webhooks"),
    "/wc/v3/webhooks/batch": ("batch", "webhooks"),
    "/wc/v3/webhooks/(?P<id>[\\d]+)": ("item", "webhooks"),
    "/wc/v3/refunds": ("collection", "refunds"),
    "/wc/v3/orders/statuses": ("collection", "order_statuses"),
    "/wc/v3/reports": ("collection", "reports"),
    "/wc/v3/reports/sales": ("collection", "report_sales"),
    "/wc/v3/reports/top_sellers": ("collection", "report_top_sellers"),
    "/wc/v3/reports/orders/totals": ("collection", "report_orders_totals"),
    "/wc/v3/reports/products/totals": ("collection", "report_products_totals"),
    "/wc/v3/reports/customers/totals": ("collection", "report_customers_totals"),
    "/wc/v3/reports/coupons/totals": ("collection", "report_coupons_totals"),
    "/wc/v3/reports/reviews/totals": ("collection", "report_reviews_totals"),
    "/wc/v3/data": ("collection", "data"),
    "/wc/v3/data/continents": ("collection", "data_continents"),
    "/wc/v3/data/continents/(?P<location>[\\w-]+)": ("item", "data_continents"),
    "/wc/v3/data/countries": ("collection", "data_countries"),
    "/wc/v3/data/countries/(?P<location>[\\w-]+)": ("item", "data_countries"),
    "/wc/v3/data/currencies": ("collection", "data_currencies"),
    "/wc/v3/data/currencies/current": ("item", "data_currencies"),
    "/wc/v3/data/currencies/(?P<currency>[\\w-]{3})": ("item", "data_currencies"),
    "/wc/v3/system_status/tools": ("collection", "system_tools"),
    "/wc/v3/system_status/tools/(?P<id>[\\w-]+)": ("item", "system_tools"),
    "/wc/v3/settings": ("collection", "setting_groups"),
    "/wc/v3/settings/batch": ("batch", "settings_batch"),
    "/wc/v3/settings/(?P<group_id>[\\w-]+)": ("collection", "setting_options"),
    "/wc/v3/settings/(?P<group_id>[\\w-]+)/batch": ("batch", "setting_options"),
    "/wc/v3/settings/(?P<group_id>[\\w-]+)/(?P<id>[\\w-]+)": ("item", "setting_options"),
    "/wc/v3/payment_gateways": ("collection", "payment_gateways"),
    "/wc/v3/payment_gateways/(?P<id>[\\w-]+)": ("item", "payment_gateways"),
    "/wc/v3/shipping/zones": ("collection", "zones"),
    "/wc/v3/shipping/zones/(?P<id>[\\d]+)": ("item", "zones"),
    "/wc/v3/shipping/zones/(?P<id>[\\d]+)/locations": ("collection", "zone_locations"),
    "/wc/v3/shipping/zones/(?P<zone_id>[\\d]+)/methods": ("collection", "zone_methods"),
    "/wc/v3/shipping/zones/(?P<zone_id>[\\d]+)/methods/(?P<instance_id>[\\d]+)": ("item", "zone_methods"),
    "/wc/v3/shipping_methods": ("collection", "shipping_methods"),
    "/wc/v3/shipping_methods/(?P<id>[\\w-]+)": ("item", "shipping_methods"),
    "/wc/v3/taxes/classes": ("collection", "tax_classes"),
    "/wc/v3/taxes/classes/(?P<slug>\\w[\\w\\s\\-]*)": ("item", "tax_classes"),
    "/wc/v3/taxes": ("collection", "taxes"),
    "/wc/v3/taxes/batch": ("batch", "taxes"),
    "/wc/v3/taxes/(?P<id>[\\d]+)": ("item", "taxes"),
    "/wc/v3/products": ("collection", "products"),
    "/wc/v3/products/batch": ("batch", "products"),
    "/wc/v3/products/(?P<id>[\\d]+)": ("item", "products"),
    "/wc/v3/products/categories": ("collection", "categories"),
    "/wc/v3/products/categories/batch": ("batch", "categories"),
    "/wc/v3/products/categories/(?P<id>[\\d]+)": ("item", "categories"),
    "/wc/v3/products/brands": ("collection", "brands"),
    "/wc/v3/products/brands/batch": ("batch", "brands"),
    "/wc/v3/products/brands/(?P<id>[\\d]+)": ("item", "brands"),
    "/wc/v3/products/shipping_classes": ("collection", "shipping_classes"),
    "/wc/v3/products/shipping_classes/batch": ("batch", "shipping_classes"),
    "/wc/v3/products/shipping_classes/(?P<id>[\\d]+)": ("item", "shipping_classes"),
    "/wc/v3/products/tags": ("collection", "tags"),
    "/wc/v3/products/tags/batch": ("batch", "tags"),
    "/wc/v3/products/tags/(?P<id>[\\d]+)": ("item", "tags"),
    "/wc/v3/products/attributes": ("collection", "attributes"),
    "/wc/v3/products/attributes/batch": ("batch", "attributes"),
    "/wc/v3/products/attributes/(?P<id>[\\d]+)": ("item", "attributes"),
    "/wc/v3/products/attributes/(?P<attribute_id>[\\d]+)/terms": ("collection", "terms"),
    "/wc/v3/products/attributes/(?P<attribute_id>[\\d]+)/terms/batch": ("batch", "terms"),
    "/wc/v3/products/attributes/(?P<attribute_id>[\\d]+)/terms/(?P<id>[\\d]+)": ("item", "terms"),
    "/wc/v3/products/(?P<product_id>[\\d]+)/variations": ("collection", "variations"),
    "/wc/v3/products/(?P<product_id>[\\d]+)/variations/batch": ("batch", "variations"),
    "/wc/v3/products/(?P<product_id>[\\d]+)/variations/(?P<id>[\\d]+)": ("item", "variations"),
    "/wc/v3/orders": ("collection", "orders"),
    "/wc/v3/orders/batch": ("batch", "orders"),
    "/wc/v3/orders/(?P<id>[\\d]+)": ("item", "orders"),
    "/wc/v3/orders/(?P<order_id>[\\d]+)/notes": ("collection", "order_notes"),
    "/wc/v3/orders/(?P<order_id>[\\d]+)/notes/(?P<id>[\\d]+)": ("item", "order_notes"),
    "/wc/v3/orders/(?P<order_id>[\\d]+)/refunds": ("collection", "order_refunds"),
    "/wc/v3/orders/(?P<order_id>[\\d]+)/refunds/(?P<id>[\\d]+)": ("item", "order_refunds"),
    "/wc/v3/customers": ("collection", "customers"),
    "/wc/v3/customers/batch": ("batch", "customers"),
    "/wc/v3/customers/(?P<id>[\\d]+)": ("item", "customers"),
    "/wc/v3/customers/(?P<customer_id>[\\d]+)/downloads": ("collection", "customer_downloads"),
}
ROUTES = []  # (compiled regex, template, route_key, kind, resource) in index order


def _template(route_key):
    """"/wc/v3/products/(?P<id>[\\d]+)" -> "/wc/v3/products/<id>" (counters, logs)."""
    return re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route_key)


def build_routes():
    del ROUTES[:]
    for key in sch.routes():
        if key in SERVED:
            kind, resource = SERVED[key]
            ROUTES.append((re.compile("^" + key + "$", re.I), _template(key), key, kind, resource))
    missing = set(SERVED) - {r[2] for r in ROUTES}
    if missing:
        raise RuntimeError("served routes not in the namespace index: %s" % sorted(missing))


build_routes()



def match_route(path):
    for rx, template, key, kind, resource in ROUTES:
        m = rx.match(path)
        if m:
            return m, template, key, kind, resource
    return None


def route_methods(route_key):
    entry = sch.routes().get(route_key)
    return entry["methods"] if entry else ["GET"]


def no_route():
    return WPError("rest_no_route", "No route was found matching the URL and request method.", 404)


# ---------------------------------------------------------------------------- API
class API:
    def __init__(self, store, keyring, config):
        self.store = store
        self.ring = keyring
        self.config = config   # dict: strip_authorization, ...
        self.resources = {cls.name: cls(store) for cls in RESOURCES}

    # ------------------------------------------------------------------ dispatch
    def handle(self, req):
        try:
            return self._handle(req)
        except WPError as e:
            return self.error(e, req)

    def error(self, e, req=None, extra_headers=None):
        return Response(e.status, e.body(), list(extra_headers or []))

    def _handle(self, req):
        store = self.store
        path = req.route.rstrip("/") or "/"
        req.route = path
        if path == "/" or path == "":
            req.template = "/"
            return Response(200, self.site_index(req), [("Allow", "GET")])
        is_wc = path.lower().startswith("/wc/")
        if is_wc and not req.via_rest_route:
            res = authenticate(self.ring, req.method if req.method != "HEAD" else "HEAD", req.is_ssl, req.query,
                               req.form, req.auth_header, req.base + "/wp-json" + path)
            req.auth = res
            if res.error is not None:
                raise res.error
            if res.user is not None:
                err = check_key_permissions(res.user, req.method)
                if err is not None:
                    raise err
        m = match_route(path)
        if m is None:
            raise no_route()
        match, template, route_key, kind, resource = m
        req.template = template
        req.match = {k: (int(v) if v.isdigit() else v) for k, v in match.groupdict().items()}
        methods = route_methods(route_key)
        allow = ", ".join(methods)
        method = "GET" if req.method == "HEAD" else req.method
        if method == "OPTIONS":
            return Response(200, self.options_body(req, route_key), [("Allow", allow)] if self.authed(req) else [])
        if method not in methods:
            raise no_route()
        try:
            with store.lock:
                try:
                    resp = self._dispatch(req, method, route_key, kind, resource)
                finally:
                    if method != "GET":
                        # Any write (even a failed or partial one) invalidates the read caches.
                        store.touch()
        except WPError as e:
            resp = self.error(e, req)
        # WordPress's Allow lists the route's methods whose permission check passes: all of them
        # for an authenticated key, none without one (no header), except on the public index.
        if (self.authed(req) or kind == "index") and not any(h[0] == "Allow" for h in resp.headers):
            resp.headers.append(("Allow", allow))
        return resp

    def authed(self, req):
        return req.auth is not None and req.auth.user is not None

    def require(self, req, action):
        if self.authed(req):
            return
        msgs = {"list": ("woocommerce_rest_cannot_view", "Sorry, you cannot list resources."),
                "read": ("woocommerce_rest_cannot_view", "Sorry, you cannot view this resource."),
                "create": ("woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources."),
                "edit": ("woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource."),
                "delete": ("woocommerce_rest_cannot_delete", "Sorry, you are not allowed to delete this resource."),
                "batch": ("woocommerce_rest_cannot_batch", "Sorry, you are not allowed to batch manipulate this resource.")}
        code, msg = msgs[action]
        raise WPError(code, msg, 401)

    def validate(self, req, route_key, method, source, adjust=None):
        args = sch.route_args(route_key, method)
        if adjust is not None:
            args = adjust(args)
        skip = ("id", "product_id", "attribute_id") + tuple(req.match)   # URL parameters
        params = sch.validate_params(source, args, skip=skip)
        return params

    def _dispatch(self, req, method, route_key, kind, resource):
        if kind == "index":
            return Response(200, self.namespace_index(req))
        if kind == "system_status":
            self.require(req, "list")
            return Response(200, self.system_status(req))
        if resource in self.resources:
            return crud.handle(self, req, method, kind, route_key, self.resources[resource])
        if kind == "collection":
            if method == "GET":
                req.params = self.validate(req, route_key, "GET", req.query)
                self.require(req, "list")
                return getattr(self, "list_" + resource)(req)
            body = self._body_dict(req)
            req.params = self.validate(req, route_key, "POST", body)
            self.require(req, "create")
            obj, status = self.create_one(req, resource, req.params, body)
            location = obj.pop("__location__")
            return Response(201, _fields_filter(obj, _fields(req)), [("Location", location)])
        if kind == "item":
            if method == "GET":
                req.params = self.validate(req, route_key, "GET", req.query)
                return self.get_one(req, resource)
            if method == "DELETE":
                req.params = self.validate(req, route_key, "DELETE", req.query)
                return self.delete_one(req, resource)
            body = self._body_dict(req)
            req.params = self.validate(req, route_key, method, body)
            return self.update_one(req, resource, req.params, body)
        if kind == "batch":
            body = self._body_dict(req)
            self.validate(req, route_key, method, body)
            self.require(req, "batch")
            return self.batch(req, resource, body)
        raise no_route()

    def _body_dict(self, req):
        if isinstance(req.body, dict):
            b = dict(req.body)
        else:
            b = {}
        if req.form:
            for k, v in req.form.items():
                b.setdefault(k, v)
        return b

    # ------------------------------------------------------------------ index docs
    def site_index(self, req):
        base = req.base
        routes = {key: sch.index_entry(key) for key in self.served_routes()}
        return sch.rehost({
            "name": "WooStore Test Shop", "description": "WooCommerce-compatible test store (woocommerce_fdw)",
            "url": base, "home": base, "gmt_offset": self._gmt_offset(), "timezone_string": self.store.timezone_name,
            "page_for_posts": 0, "page_on_front": 0, "show_on_front": "posts",
            "namespaces": ["oembed/1.0", "wc/store/v1", "wc/v1", "wc/v2", "wc/v3", "wc-analytics", "wp/v2",
                           "wp-site-health/v1", "wp-block-editor/v1"],
            "authentication": [], "routes": {"/": {"namespace": "", "methods": ["GET"],
                                                   "endpoints": [{"methods": ["GET"], "args": {"context": {"default": "view", "required": False}}}],
                                                   "_links": {"self": [{"href": base + "/wp-json/"}]}}, **routes},
            "site_logo": 0, "site_icon": 0, "site_icon_url": "",
            "_links": {"help": [{"href": "https://developer.wordpress.org/rest-api/"}]},
        }, base, self.store.units())

    @staticmethod
    def served_routes():
        return [r[2] for r in ROUTES]

    def _gmt_offset(self):
        off = self.store.to_local(self.store.now()) - self.store.now()
        hours = off.total_seconds() / 3600.0
        return int(hours) if hours == int(hours) else hours

    def namespace_index(self, req):
        routes = {key: sch.index_entry(key) for key in self.served_routes()}
        return sch.rehost({"namespace": "wc/v3", "routes": routes,
                           "_links": sch.load_data("routes.json")["index_links"]}, req.base, self.store.units())

    def options_body(self, req, route_key):
        return sch.rehost(sch.options_body(route_key), req.base, self.store.units())

    def system_status(self, req):
        tpl = copy.deepcopy(sch.load_data("system-status.template.json"))
        env = tpl["environment"]
        env.update({"home_url": req.base, "site_url": req.base, "version": "10.0.2", "wp_version": "6.8.8",
                    "server_info": "nginx/1.22.1 (woostore)", "php_version": "8.2.0", "mysql_version": "10.11.6-MariaDB",
                    "default_timezone": "UTC", "wp_debug_mode": False, "wp_cron": False, "language": "en_US",
                    "log_directory": "/var/www/html/wp-content/uploads/wc-logs/"})
        tpl["database"]["wc_database_version"] = "10.0.2"
        tpl["settings"].update({"currency": "EUR", "currency_symbol": "&euro;", "currency_position": "left",
                                "thousand_separator": ",", "decimal_separator": ".", "number_of_decimals": 2,
                                "force_ssl": False})
        tpl["security"]["secure_connection"] = req.is_ssl
        tpl["theme"]["name"] = "Storefront"
        return tpl

    # ------------------------------------------------------------------ products list
    def list_products(self, req):
        st = self.store
        p = req.params
        per_page = p.get("per_page", 10)
        page = p.get("page", 1)
        # The filtered and sorted list depends only on the filter parameters and the catalogue
        # (version, timezone, sale-window position: see Store.cache), so it is kept until any change.
        lists = st.cache("product_lists")
        fkey = _list_filter_key(p)
        items = lists.get(fkey)
        if items is None:
            items = self._select_products(p)
            if len(lists) >= LIST_CACHE_ENTRIES:
                lists.clear()
            lists[fkey] = items
        offset = p.get("offset")
        chunk, headers = paginate(req, items, per_page, page, offset)
        ctx = p.get("context", "view")
        fields = _fields(req)
        return Response(200, None, headers, raw=self._products_json(req, chunk, ctx, fields))

    def _products_json(self, req, chunk, ctx, fields):
        """The JSON array of `chunk` as product_json() + _fields_filter() would give it; each object
        is rendered once per catalogue state (only the requested members) and kept as bytes."""
        st = self.store
        base = req.base
        if fields:
            wanted = [f.strip() for f in fields if f.strip()]
            keys = set(wanted) | _field_prefixes(wanted)
            if keys <= ser.PRODUCT_KEYS:
                def render(x):
                    return _fields_filter(ser.product_json_keys(st, x, base, ctx, keys), fields)
            else:
                def render(x):
                    return _fields_filter(ser.product_json(st, x, base, ctx), fields)
            cache = st.cache("product_json", ctx, base, tuple(fields))
        else:
            def render(x):
                return ser.product_json(st, x, base, ctx)
            cache = st.cache("product_json", ctx, base, None)
        parts = []
        for x in chunk:
            b = cache.get(x["id"])
            if b is None:
                b = _json_bytes(render(x))
                if st.cache_room(len(b)):
                    cache[x["id"]] = b
            parts.append(b)
        return b"[" + b",".join(parts) + b"]"

    def _select_products(self, p):
        st = self.store
        skus = [s.strip() for s in p["sku"].split(",")] if p.get("sku") else None
        kinds = ("product", "variation") if skus else ("product",)
        items = [x for x in st.posts.values() if x["kind"] in kinds]
        status = p.get("status", "any")
        if status == "any":
            items = [x for x in items if x["status"] not in ("trash", "auto-draft")]
        else:
            items = [x for x in items if x["status"] == status]
        if p.get("include_status"):
            inc = set(p["include_status"])
            items = [x for x in items if x["status"] in inc]
        if p.get("exclude_status"):
            exc = set(p["exclude_status"])
            items = [x for x in items if x["status"] not in exc]
        if skus is not None:
            skuset = set(skus)
            items = [x for x in items if x["sku"] in skuset and x["sku"] != ""]
        include = _ids(p.get("include")) if p.get("include") else None
        if include:
            s = set(include)
            items = [x for x in items if x["id"] in s]
        if p.get("exclude"):
            s = set(_ids(p["exclude"]))
            items = [x for x in items if x["id"] not in s]
        if p.get("parent"):
            s = set(_ids(p["parent"]))
            items = [x for x in items if x["parent_id"] in s]
        if p.get("parent_exclude"):
            s = set(_ids(p["parent_exclude"]))
            items = [x for x in items if x["parent_id"] not in s]
        if p.get("slug"):
            slugs = set(sch.parse_list(p["slug"]))
            items = [x for x in items if x["slug"] in slugs]
        if p.get("type"):
            items = [x for x in items if x["type"] == p["type"]]
        if p.get("include_types"):
            s = set(p["include_types"])
            items = [x for x in items if x["type"] in s]
        if p.get("exclude_types"):
            s = set(p["exclude_types"])
            items = [x for x in items if x["type"] not in s]
        if "featured" in p:
            items = [x for x in items if x["featured"] == p["featured"]]
        for flag in ("virtual", "downloadable"):
            if flag in p:
                items = [x for x in items if x[flag] == p[flag]]
        if p.get("category"):
            cats = set()
            for cid in _ids(p["category"]):
                cats.add(cid)
                cats.update(self._descendants(cid))
            items = [x for x in items if cats.intersection(x["categories"])]
        if p.get("tag"):
            tags = set(_ids(p["tag"]))
            items = [x for x in items if tags.intersection(x["tags"])]
        if p.get("attribute") and p.get("attribute_term"):
            attr = st.attribute_by_taxonomy(p["attribute"])
            tids = set(_ids(p["attribute_term"]))
            if attr is None:
                items = []
            else:
                items = [x for x in items if any(a["id"] == attr["id"] and tids.intersection(a["options"])
                                                 for a in x["attributes"] if "options" in a)]
        if "on_sale" in p:
            items = [x for x in items if st.is_on_sale(x) == p["on_sale"]]
        if p.get("stock_status"):
            items = [x for x in items if st.derived_stock_status(x) == p["stock_status"]]
        if p.get("min_price") not in (None, ""):
            lo = price_decimal(p["min_price"]) or 0
            items = [x for x in items if (price_decimal(st.active_price(x)) or 0) >= lo]
        if p.get("max_price") not in (None, ""):
            hi = price_decimal(p["max_price"])
            if hi is not None:
                items = [x for x in items if (price_decimal(st.active_price(x)) or 0) <= hi]
        if p.get("search"):
            terms = _search_terms(p["search"])
            items = [x for x in items if all(
                t in x["name"].lower() or t in x["description"].lower() or t in x["short_description"].lower()
                for t in terms)]
        if p.get("search_sku"):
            s = p["search_sku"].lower()
            items = [x for x in items if s in x["sku"].lower()]
        if p.get("search_name_or_sku"):
            s = p["search_name_or_sku"].lower()
            items = [x for x in items if s in x["sku"].lower() or s in x["name"].lower()]
        items = self._date_filters(items, p)
        orderby = p.get("orderby", "date")
        order = p.get("order", "desc")
        keyf = {"date": lambda o: o["date_created"], "id": lambda o: 0, "title": lambda o: collation_key(o["name"]),
                "slug": lambda o: o["slug"], "modified": lambda o: o["date_modified"],
                "price": lambda o: price_decimal(st.active_price(o)) or 0.0, "popularity": lambda o: o["total_sales"],
                "sales": lambda o: o["total_sales"], "rating": lambda o: price_decimal(o["average_rating"]) or 0.0,
                "menu_order": lambda o: (o["menu_order"], collation_key(o["name"])),
                "random": lambda o: (o["id"] * 2654435761 + st.seed_value) % 4294967291}
        return _sort(items, orderby, order, keyf, include)

    def _descendants(self, cid):
        out = set()
        frontier = [cid]
        while frontier:
            nxt = []
            for t in self.store.terms.values():
                if t["taxonomy"] == "product_cat" and t["parent"] in frontier and t["id"] not in out:
                    out.add(t["id"])
                    nxt.append(t["id"])
            frontier = nxt
        return out

    def _date_filters(self, items, p):
        st = self.store
        gmt = bool(p.get("dates_are_gmt"))
        for param, field, op in (("after", "date_created", "after"), ("before", "date_created", "before"),
                                 ("modified_after", "date_modified", "after"),
                                 ("modified_before", "date_modified", "before")):
            if p.get(param):
                bound = st.date_bound(p[param])
                items = [x for x in items if st.product_matches_date(x, field, bound, op, gmt)]
        return items

    # ------------------------------------------------------------------ variations list
    def _parent_or_404(self, req):
        parent = self.store.get_product(req.match["product_id"])
        if parent is None:
            raise WPError("woocommerce_rest_product_invalid_id", "Invalid ID.", 404)
        return parent

    def list_variations(self, req):
        st = self.store
        p = req.params
        parent = self._parent_or_404(req)
        items = st.children(parent)
        status = p.get("status", "any")
        if status == "any":
            items = [x for x in items if x["status"] != "trash"]
        else:
            items = [x for x in items if x["status"] == status]
        include = _ids(p.get("include")) if p.get("include") else None
        if include:
            s = set(include)
            items = [x for x in items if x["id"] in s]
        if p.get("exclude"):
            s = set(_ids(p["exclude"]))
            items = [x for x in items if x["id"] not in s]
        if p.get("sku"):
            skus = {s.strip() for s in p["sku"].split(",")}
            items = [x for x in items if x["sku"] in skus]
        if "on_sale" in p:
            items = [x for x in items if st.is_on_sale(x) == p["on_sale"]]
        if p.get("stock_status"):
            items = [x for x in items if st.derived_stock_status(x) == p["stock_status"]]
        if p.get("search"):
            terms = _search_terms(p["search"])
            items = [x for x in items if all(t in x["description"].lower() or t in x["sku"].lower() for t in terms)]
        items = self._date_filters(items, p)
        keyf = {"date": lambda o: o["date_created"], "id": lambda o: 0, "modified": lambda o: o["date_modified"],
                "menu_order": lambda o: o["menu_order"], "title": lambda o: o["name"], "slug": lambda o: o["slug"]}
        items = _sort(items, p.get("orderby", "date"), p.get("order", "desc"), keyf, include)
        chunk, headers = paginate(req, items, p.get("per_page", 10), p.get("page", 1), p.get("offset"))
        ctx = p.get("context", "view")
        fields = _fields(req)
        return Response(200, [_fields_filter(ser.variation_json(st, x, req.base, ctx), fields) for x in chunk], headers)

    # ------------------------------------------------------------------ terms lists
    def _list_terms(self, req, taxonomy, render, hierarchical=False):
        st = self.store
        p = req.params
        items = st.terms_of(taxonomy)
        counts = st.term_counts()
        include = _ids(p.get("include")) if p.get("include") else None
        if include:
            s = set(include)
            items = [t for t in items if t["id"] in s]
        if p.get("exclude"):
            s = set(_ids(p["exclude"]))
            items = [t for t in items if t["id"] not in s]
        if hierarchical and "parent" in p and p.get("parent") is not None:
            items = [t for t in items if t["parent"] == p["parent"]]
        if p.get("slug"):
            slugs = set(sch.parse_list(p["slug"]))
            items = [t for t in items if t["slug"] in slugs]
        if p.get("search"):
            s = p["search"].lower()
            items = [t for t in items if s in t["name"].lower() or s in t["slug"].lower()
                     or s in (t["description"] or "").lower()]
        if p.get("hide_empty"):
            items = [t for t in items if counts.get(t["id"], 0) > 0]
        if p.get("product"):
            prod = st.posts.get(p["product"])
            ids = set()
            if prod is not None:
                ids = set(prod.get("categories", [])) | set(prod.get("tags", []))
                for a in prod.get("attributes", []):
                    ids.update(a.get("options", []) if a.get("id") else [])
            items = [t for t in items if t["id"] in ids]
        keyf = {"name": lambda t: collation_key(t["name"]), "id": lambda t: 0, "slug": lambda t: t["slug"],
                "term_group": lambda t: 0, "description": lambda t: t["description"],
                "count": lambda t: counts.get(t["id"], 0)}
        orderby = p.get("orderby", "name")
        if taxonomy.startswith("pa_") and orderby == "name" and "orderby" not in req.query:
            attr = st.attribute_by_taxonomy(taxonomy)
            if attr and attr["order_by"] == "menu_order":
                keyf["name"] = lambda t: (t["menu_order"], collation_key(t["name"]))
        items = _sort(items, orderby, p.get("order", "asc"), keyf, include)
        chunk, headers = paginate(req, items, p.get("per_page", 10), p.get("page", 1), p.get("offset"))
        fields = _fields(req)
        return Response(200, [_fields_filter(render(t, counts), fields) for t in chunk], headers)

    def list_categories(self, req):
        return self._list_terms(req, "product_cat", lambda t, c: ser.category_json(self.store, t, req.base, c), True)

    def list_tags(self, req):
        return self._list_terms(req, "product_tag", lambda t, c: ser.tag_json(self.store, t, req.base, c))

    def list_terms(self, req):
        attr = self._attribute_or_404(req.match["attribute_id"])
        aid = attr["id"]
        return self._list_terms(req, attr["slug"], lambda t, c: ser.attribute_term_json(self.store, aid, t, req.base, c))

    def list_attributes(self, req):
        st = self.store
        items = sorted(st.attributes.values(), key=lambda a: a["id"])
        fields = _fields(req)
        body = [_fields_filter(ser.attribute_json(st, a, req.base), fields) for a in items]
        return Response(200, body, [("X-WP-Total", str(len(items))), ("X-WP-TotalPages", "1")])

    def _attribute_or_404(self, aid):
        a = self.store.attributes.get(aid)
        if a is None:
            raise WPError("woocommerce_rest_taxonomy_invalid", "Resource does not exist.", 404)
        return a

    # ------------------------------------------------------------------ single objects
    def _render(self, req, resource, obj, ctx):
        st = self.store
        if resource == "products":
            return ser.product_json(st, obj, req.base, ctx)
        if resource == "variations":
            return ser.variation_json(st, obj, req.base, ctx)
        counts = st.term_counts() if resource in ("categories", "tags", "terms") else None
        if resource == "categories":
            return ser.category_json(st, obj, req.base, counts)
        if resource == "tags":
            return ser.tag_json(st, obj, req.base, counts)
        if resource == "terms":
            return ser.attribute_term_json(st, req.match["attribute_id"], obj, req.base, counts)
        if resource == "attributes":
            return ser.attribute_json(st, obj, req.base)
        raise no_route()

    def _find(self, req, resource, status_missing=404):
        st = self.store
        oid = req.match.get("id")
        if resource == "products":
            obj = st.posts.get(oid)
            if obj is None:
                raise WPError("woocommerce_rest_product_invalid_id", "Invalid ID.", status_missing)
            return obj
        if resource == "variations":
            obj = st.get_variation(oid)
            if obj is None or obj["parent_id"] != req.match["product_id"]:
                raise WPError("woocommerce_rest_product_variation_invalid_id", "Invalid ID.", status_missing)
            return obj
        if resource in ("categories", "tags"):
            tax = "product_cat" if resource == "categories" else "product_tag"
            t = st.terms.get(oid)
            if t is None or t["taxonomy"] != tax:
                raise WPError("woocommerce_rest_term_invalid", "Resource does not exist.", 404)
            return t
        if resource == "terms":
            attr = self._attribute_or_404(req.match["attribute_id"])
            t = st.terms.get(oid)
            if t is None or t["taxonomy"] != attr["slug"]:
                raise WPError("woocommerce_rest_term_invalid", "Resource does not exist.", 404)
            return t
        if resource == "attributes":
            return self._attribute_or_404(oid)
        raise no_route()

    def get_one(self, req, resource):
        obj = self._find(req, resource, 404)
        self.require(req, "read")
        ctx = req.params.get("context", "view")
        return Response(200, _fields_filter(self._render(req, resource, obj, ctx), _fields(req)))

    def update_one(self, req, resource, params, body):
        obj = self._find(req, resource, 400)
        self.require(req, "edit")
        out = self._update(req, resource, obj, params, body)
        return Response(200, _fields_filter(out, _fields(req)))

    def delete_one(self, req, resource):
        obj = self._find(req, resource, 404)
        self.require(req, "delete")
        force = to_bool(req.params.get("force", False))
        return Response(200, self._delete(req, resource, obj, force))

    def create_one(self, req, resource, params, body):
        obj = self._create(req, resource, params, body)
        return obj, 201

    # ------------------------------------------------------------------ create / update / delete cores
    def _create(self, req, resource, params, body):
        st = self.store
        now = st.now()
        data = dict(body)
        data.update({k: v for k, v in params.items() if k in body})
        if resource == "products":
            if data.get("id"):
                raise WPError("woocommerce_rest_product_exists", "Cannot create existing product.", 400)
            p = write_product(st, None, data, now)
            fire_webhooks(st, "woocommerce_new_product", p["id"])
            out = ser.product_json(st, p, req.base, "edit")
            out["__location__"] = "%s/wp-json/wc/v3/products/%d" % (req.base, p["id"])
            return out
        if resource == "variations":
            if data.get("id"):
                raise WPError("woocommerce_rest_product_variation_exists", "Cannot create existing product_variation.", 400)
            parent = self._parent_or_404(req)
            v = write_variation(st, parent, None, data, now)
            fire_webhooks(st, "woocommerce_new_product_variation", v["id"])
            out = ser.variation_json(st, v, req.base, "edit")
            out["__location__"] = "%s/wp-json/wc/v3/products/%d/variations/%d" % (req.base, parent["id"], v["id"])
            return out
        if resource in ("categories", "tags", "terms"):
            if resource == "terms":
                attr = self._attribute_or_404(req.match["attribute_id"])
                tax = attr["slug"]
            else:
                tax = "product_cat" if resource == "categories" else "product_tag"
            name = data.get("name")
            if not isinstance(name, str) or not name.strip():
                raise WPError("empty_term_name", "A name is required for this term.", 400)
            parent = int(data.get("parent") or 0) if resource == "categories" else 0
            if parent and (parent not in st.terms or st.terms[parent]["taxonomy"] != tax):
                raise WPError("woocommerce_rest_term_invalid", "Parent resource does not exist.", 404)
            existing = st.term_by_name(tax, name, parent if resource == "categories" else None)
            slug = sanitize_title(data.get("slug") or name)
            if existing is None and data.get("slug"):
                existing = st.term_by_slug(tax, slug)
            if existing is not None:
                msg = ("A term with the name provided already exists with this parent." if resource == "categories"
                       else "A term with the name provided already exists in this taxonomy.")
                raise WPError("term_exists", msg, 400, resource_id=existing["id"])
            image = None
            if resource == "categories" and isinstance(data.get("image"), dict):
                image = self._term_image(data["image"])
            t = st.add_term(tax, name, slug=slug, parent=parent, description=kses_normalize(data.get("description") or ""),
                            menu_order=int(data.get("menu_order") or 0), display=data.get("display") or "default",
                            image=image)
            out = self._render(req, resource, t, "edit")
            path = {"categories": "/products/categories/%d", "tags": "/products/tags/%d"}.get(resource)
            if resource == "terms":
                path = "/products/attributes/%d/terms/%%d" % req.match["attribute_id"]
            out["__location__"] = "%s/wp-json/wc/v3%s" % (req.base, path % t["id"])
            return out
        if resource == "attributes":
            name = data.get("name")
            if not isinstance(name, str) or not name.strip():
                raise WPError("woocommerce_rest_cannot_create", "Please provide an attribute name.", 400)
            slug = sanitize_title(data.get("slug") or name)
            if slug.startswith("pa_"):
                slug = slug[3:]
            if len(slug) > 28:
                raise WPError("invalid_product_attribute_slug_too_long",
                              'Slug "%s" is too long (28 characters max). Shorten it, please.' % slug, 400)
            if st.attribute_by_taxonomy("pa_" + slug) is not None:
                raise WPError("invalid_product_attribute_slug_already_exists",
                              'Slug "%s" is already in use. Change it, please.' % slug, 400)
            a = st.add_attribute(name, "pa_" + slug, order_by=data.get("order_by") or "menu_order",
                                 has_archives=bool(data.get("has_archives")), type_=data.get("type") or "select")
            out = ser.attribute_json(st, a, req.base)
            out["__location__"] = "%s/wp-json/wc/v3/products/attributes/%d" % (req.base, a["id"])
            return out
        raise no_route()

    def _term_image(self, img):
        st = self.store
        if img.get("id"):
            if int(img["id"]) not in st.media:
                raise WPError("woocommerce_product_invalid_image_id", "#%s is an invalid image ID." % img["id"], 400)
            return int(img["id"])
        if img.get("src"):
            info = st.upload_image(img["src"], img.get("name"), img.get("alt") or "")
            return st.add_media(info["src"], info.get("name"), info.get("alt") or "")["id"]
        return None

    def _update(self, req, resource, obj, params, body):
        st = self.store
        now = st.now()
        data = dict(body)
        data.update({k: v for k, v in params.items() if k in body})
        if resource == "products":
            if obj["kind"] == "variation":
                raise WPError("woocommerce_rest_invalid_product_id",
                              "To manipulate product variations you should use the "
                              "/products/&lt;product_id&gt;/variations/&lt;id&gt; endpoint.", 404)
            p = write_product(st, obj, data, now)
            fire_webhooks(st, "woocommerce_update_product", p["id"])
            return ser.product_json(st, p, req.base, "edit")
        if resource == "variations":
            parent = st.posts.get(obj["parent_id"])
            v = write_variation(st, parent, obj, data, now)
            fire_webhooks(st, "woocommerce_update_product_variation", v["id"])
            return ser.variation_json(st, v, req.base, "edit")
        if resource in ("categories", "tags", "terms"):
            t = obj
            if "name" in data and data["name"]:
                t["name"] = kses_normalize(data["name"])
            if "slug" in data and data["slug"]:
                t["slug"] = st.unique_term_slug(t["taxonomy"], sanitize_title(data["slug"]), t["id"])
            if "description" in data:
                t["description"] = kses_normalize(data["description"] or "")
            if "menu_order" in data:
                t["menu_order"] = int(data["menu_order"] or 0)
            if resource == "categories":
                if "parent" in data:
                    parent = int(data["parent"] or 0)
                    if parent and (parent not in st.terms or st.terms[parent]["taxonomy"] != "product_cat"):
                        raise WPError("woocommerce_rest_term_invalid", "Parent resource does not exist.", 400)
                    t["parent"] = parent
                if "display" in data:
                    t["display"] = data["display"]
                if "image" in data:
                    t["image"] = self._term_image(data["image"]) if isinstance(data["image"], dict) else None
            st.touch()
            return self._render(req, resource, t, "edit")
        if resource == "attributes":
            a = obj
            if "name" in data and data["name"]:
                a["name"] = kses_normalize(data["name"])
            for k in ("order_by", "type"):
                if k in data and data[k]:
                    a[k] = data[k]
            if "has_archives" in data:
                a["has_archives"] = bool(data["has_archives"])
            if "slug" in data and data["slug"]:
                slug = sanitize_title(data["slug"])
                slug = slug if slug.startswith("pa_") else "pa_" + slug
                if slug != a["slug"]:
                    other = st.attribute_by_taxonomy(slug)
                    if other is not None:
                        raise WPError("invalid_product_attribute_slug_already_exists",
                                      'Slug "%s" is already in use. Change it, please.' % slug[3:], 400)
                    for t in st.terms.values():
                        if t["taxonomy"] == a["slug"]:
                            t["taxonomy"] = slug
                    a["slug"] = slug
            st.touch()
            return ser.attribute_json(st, a, req.base)
        raise no_route()

    def _delete(self, req, resource, obj, force):
        st = self.store
        if resource == "products":
            if obj["kind"] == "variation":
                raise WPError("woocommerce_rest_invalid_product_id",
                              "To manipulate product variations you should use the "
                              "/products/&lt;product_id&gt;/variations/&lt;id&gt; endpoint.", 404)
            if force:
                out = ser.product_json(st, obj, req.base, "edit")
                delete_post(st, obj, True)
                return out
            if obj["status"] == "trash":
                raise WPError("woocommerce_rest_already_trashed", "The product has already been deleted.", 410)
            out = ser.product_json(st, obj, req.base, "edit")   # as before the trash (real/77c)
            delete_post(st, obj, False)
            fire_webhooks(st, "wp_trash_post", obj["id"])
            return out
        if resource == "variations":
            if not force:
                raise WPError("woocommerce_rest_trash_not_supported",
                              "The product_variation does not support trashing.", 501)
            out = ser.variation_json(st, obj, req.base, "edit")
            delete_post(st, obj, True)
            parent = st.posts.get(obj["parent_id"])
            if parent:
                parent["date_modified"] = st.now()
            return out
        if resource in ("categories", "tags", "terms", "attributes"):
            if not force:
                raise WPError("woocommerce_rest_trash_not_supported", "Resource does not support trashing.", 501)
            out = self._render(req, resource, obj, "edit")
            if resource == "attributes":
                tax = obj["slug"]
                for tid in [t["id"] for t in st.terms.values() if t["taxonomy"] == tax]:
                    del st.terms[tid]
                for p in st.posts.values():
                    p["attributes"] = [a for a in p["attributes"] if a.get("id") != obj["id"]]
                del st.attributes[obj["id"]]
            else:
                if resource == "categories" and obj["id"] == UNCATEGORIZED_ID:
                    raise WPError("woocommerce_rest_cannot_delete", "Sorry, you are not allowed to delete this resource.", 403)
                del st.terms[obj["id"]]
                st.drop_post_indexes()  # categories/tags of posts change in place below
                for p in st.posts.values():
                    if obj["id"] in p["categories"]:
                        p["categories"] = [c for c in p["categories"] if c != obj["id"]] or [UNCATEGORIZED_ID]
                    if obj["id"] in p["tags"]:
                        p["tags"] = [c for c in p["tags"] if c != obj["id"]]
                    for a in p["attributes"]:
                        if a.get("id") and obj["id"] in a.get("options", []):
                            a["options"] = [x for x in a["options"] if x != obj["id"]]
                    if resource == "categories":
                        pass
                for t in st.terms.values():
                    if t["parent"] == obj["id"]:
                        t["parent"] = obj["parent"]
            st.touch()
            return out
        raise no_route()

    # ------------------------------------------------------------------ batch
    def batch(self, req, resource, body):
        st = self.store
        if not isinstance(body, dict):
            body = {}
        total = 0
        for k in ("create", "update", "delete"):
            v = body.get(k)
            if isinstance(v, list):
                total += len(v)
        if total > BATCH_LIMIT:
            raise WPError("woocommerce_rest_request_entity_too_large",
                          "Unable to accept more than %d items for this request." % BATCH_LIMIT, 413)
        if resource == "variations":
            self._parent_or_404(req)
        if resource == "terms":
            self._attribute_or_404(req.match["attribute_id"])
        coll_key = {"products": "/wc/v3/products", "variations": "/wc/v3/products/(?P<product_id>[\\d]+)/variations",
                    "categories": "/wc/v3/products/categories", "tags": "/wc/v3/products/tags",
                    "attributes": "/wc/v3/products/attributes",
                    "terms": "/wc/v3/products/attributes/(?P<attribute_id>[\\d]+)/terms"}[resource]
        # batch_items() (WC_REST_Controller): creates get the item schema's defaults, no item is
        # validated or sanitised against the endpoint's args (a single request is), deletes are
        # (int) ids, 0 skipped, always forced; a failed update names the id as sent
        defaults = {k: v["default"] for k, v in (sch.route_schema(coll_key) or {}).get("properties", {}).items()
                    if "default" in v}
        out = {}
        if isinstance(body.get("create"), list) and body["create"]:
            res = []
            for item in body["create"]:
                data = dict(defaults)
                data.update(item if isinstance(item, dict) else {})
                try:
                    obj = self._create(req, resource, data, data)
                    obj.pop("__location__", None)
                    res.append(obj)
                except WPError as e:
                    res.append({"id": 0, "error": e.body()})
            out["create"] = res
        if isinstance(body.get("update"), list) and body["update"]:
            res = []
            for item in body["update"]:
                item = item if isinstance(item, dict) else {}
                try:
                    sub = self._sub(req, crud._int_id(item.get("id")))
                    obj = self._find(sub, resource, 400)
                    res.append(self._update(sub, resource, obj, item, item))
                except WPError as e:
                    res.append({"id": item.get("id"), "error": e.body()})
            out["update"] = res
        if isinstance(body.get("delete"), list) and body["delete"]:
            res = []
            for iid in body["delete"]:
                iid_int = crud._int_id(iid)
                if iid_int == 0:
                    continue
                try:
                    sub = self._sub(req, iid_int)
                    obj = self._find(sub, resource, 404)
                    res.append(self._delete(sub, resource, obj, True))
                except WPError as e:
                    res.append({"id": iid_int, "error": e.body()})
            out["delete"] = res
        return Response(200, out if out else [])

    def _sub(self, req, iid):
        sub = Req(req.method, req.route, req.query_pairs, {}, req.base, req.is_ssl, None, None)
        sub.auth = req.auth
        sub.match = dict(req.match)
        sub.match["id"] = iid
        return sub
