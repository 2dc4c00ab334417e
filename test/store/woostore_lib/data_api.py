"""The data endpoints: the index, continents, countries, currencies and the store's currency.

Sources: Version3/class-wc-rest-data-controller.php, -data-continents-, -data-countries-,
-data-currencies-controller.php ("There are no locations matching these parameters." 404);
capture real/64. Countries, states and currencies are those WooCommerce lists in the general
settings' options (real/62b); the continents hold the store's own few countries
(data/continents.json).
"""
import functools
import html
import re

from .common import WPError
from .crud import Resource
from . import schema as sch

INDEX = [("continents", "List of supported continents, countries, and states."),
         ("countries", "List of supported states in a given country."),
         ("currencies", "List of supported currencies.")]


def _options(option_id):
    for o in sch.load_data("settings.json")["options"]["general"]:
        if o["id"] == option_id:
            return o["options"]
    return {}


@functools.lru_cache(maxsize=None)
def countries():
    """((code, name, ((state code, state name), ...)), ...) from the selling-location options
    (static data: built once; every price_html asks for the currency symbol)."""
    names = _options("woocommerce_all_except_countries")
    states = {}
    for key, label in _options("woocommerce_default_country").items():
        if ":" in key:
            code, state = key.split(":", 1)
            states.setdefault(code, []).append((state, label[len(names.get(code, "")) + 3:]))
    return tuple((code, html.unescape(name), tuple(states.get(code, ()))) for code, name in names.items())


@functools.lru_cache(maxsize=None)
def currencies():
    """((code, name, symbol), ...) from the currency option ("Euro (&euro;) — EUR")."""
    out = []
    for code, label in _options("woocommerce_currency").items():
        m = re.match(r"^(.*) \((.*)\) — (\w+)$", label)
        if m:
            out.append((code, m.group(1), m.group(2)))
    return tuple(out)


def _links(req, path, collection, item_methods=("GET",)):
    return {"self": [{"href": "%s/wp-json/wc/v3/%s" % (req.base, path), "targetHints": {"allow": list(item_methods)}}],
            "collection": [{"href": "%s/wp-json/wc/v3/%s" % (req.base, collection)}]}


def _no_location():
    return WPError("woocommerce_rest_data_invalid_location", "There are no locations matching these parameters.", 404)


class DataIndex(Resource):
    name = "data"
    totals = False
    sortable = False

    def records(self, req, parent):
        return [{"slug": s, "description": d} for s, d in INDEX]

    def render(self, req, r, context):
        return dict(r, _links=_links(req, "data/" + r["slug"], "data"))


class Countries(Resource):
    name = "data_countries"
    totals = False
    sortable = False

    def records(self, req, parent):
        return list(countries())

    def find(self, req, parent, code):
        return next((c for c in countries() if c[0].lower() == str(code).lower()), None)

    def parse_id(self, v):
        return v

    def invalid_id(self, status):
        return _no_location()

    def render(self, req, c, context):
        code, name, states = c
        return {"code": code, "name": name, "states": [{"code": s, "name": n} for s, n in states],
                "_links": _links(req, "data/countries/%s" % code.lower(), "data/countries")}


class Continents(Resource):
    name = "data_continents"
    totals = False
    sortable = False

    def records(self, req, parent):
        return sch.load_data("continents.json")["continents"]

    def find(self, req, parent, code):
        return next((c for c in self.records(req, None) if c["code"].lower() == str(code).lower()), None)

    def parse_id(self, v):
        return v

    def invalid_id(self, status):
        return _no_location()

    def render(self, req, c, context):
        names = {code: (name, states) for code, name, states in countries()}
        rows = []
        for country in c["countries"]:
            name, states = names[country["code"]]
            row = {"code": country["code"], "currency_code": country["currency_code"],
                   "currency_pos": country["currency_pos"], "decimal_sep": country["decimal_sep"],
                   "dimension_unit": country["dimension_unit"], "name": name,
                   "num_decimals": country["num_decimals"],
                   "states": [{"code": s, "name": n} for s, n in states],
                   "thousand_sep": country["thousand_sep"], "weight_unit": country["weight_unit"]}
            rows.append(row)
        return {"code": c["code"], "name": c["name"], "countries": rows,
                "_links": _links(req, "data/continents/%s" % c["code"].lower(), "data/continents")}


class Currencies(Resource):
    name = "data_currencies"
    totals = False
    sortable = False

    def records(self, req, parent):
        return list(currencies())

    def find(self, req, parent, code):
        if str(code).lower() == "current":
            code = self.store.options.get("woocommerce_currency", "EUR")
        return next((c for c in currencies() if c[0].lower() == str(code).lower()), None)

    def parse_id(self, v):
        return v

    def item_id(self, req):
        return req.match.get("currency", "current")

    def invalid_id(self, status):
        return WPError("woocommerce_rest_data_invalid_currency", "There are no currencies matching these parameters.", 404)

    def render(self, req, c, context):
        code, name, symbol = c
        return {"code": code, "name": name, "symbol": symbol,
                "_links": _links(req, "data/currencies/%s" % code, "data/currencies")}
