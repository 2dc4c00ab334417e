"""The settings API: groups, their options, option updates and batches.

Sources: Version2/class-wc-rest-settings-v2-controller.php, Version2/class-wc-rest-setting-
options-v2-controller.php (get_group_settings, update_item with validate_setting_*_field,
batch_items), Version3/class-wc-rest-controller.php (validate_setting_text_field, select,
multiselect, checkbox); captures real/62, 62b (values are strings, no paging headers).
Options live in Store.options; the general group is WooCommerce's as captured, the products
group holds the units the schemas' descriptions use.
"""
import copy
import re

from .common import WPError
from .crud import Resource
from . import schema as sch

# The products group: the options the store's answers depend on (weight and dimension units).
PRODUCTS_OPTIONS = [
    {"id": "woocommerce_weight_unit", "label": "Weight unit",
     "description": "This controls what unit you will define weights in.", "type": "select", "default": "kg",
     "options": {"kg": "kg", "g": "g", "lbs": "lbs", "oz": "oz"},
     "tip": "This controls what unit you will define weights in.", "value": None},
    {"id": "woocommerce_dimension_unit", "label": "Dimensions unit",
     "description": "This controls what unit you will define lengths in.", "type": "select", "default": "cm",
     "options": {"m": "m", "cm": "cm", "mm": "mm", "in": "in", "yd": "yd"},
     "tip": "This controls what unit you will define lengths in.", "value": None},
]


def seed(store):
    """The capture store's general options; the first capture's units (lbs, in) and currency
    position (left: the store's price_html puts the symbol first)."""
    data = sch.load_data("settings.json")
    values = dict(data["capture_values"])
    values["woocommerce_currency_pos"] = "left"
    store.options.update(values)


def group_options(group_id):
    if group_id == "general":
        return sch.load_data("settings.json")["options"]["general"]
    if group_id == "products":
        return PRODUCTS_OPTIONS
    return []


def groups():
    return sch.load_data("settings.json")["groups"]


def group_or_404(group_id):
    if not any(g["id"] == group_id for g in groups()):
        raise WPError("rest_setting_setting_group_invalid", "Invalid setting group.", 404)
    return group_id


def option_json(store, group_id, definition, base):
    out = copy.deepcopy(definition)
    out["value"] = store.options.get(definition["id"], definition.get("default", ""))
    href = "%s/wp-json/wc/v3/settings/%s" % (base, group_id)
    out["_links"] = {"self": [{"href": "%s/%s" % (href, definition["id"]),
                               "targetHints": {"allow": ["GET", "POST", "PUT", "PATCH"]}}],
                     "collection": [{"href": href}]}
    return out


def _kses(value):
    return re.sub(r"<(script|style)[^>]*>.*?</\1>", "", value, flags=re.S | re.I)


def validate_value(definition, value):
    """validate_setting_<type>_field(): select values must be option keys, checkboxes yes/no
    (empty means the default), multiselect keeps the known keys, text is trimmed and kses'd."""
    kind = definition.get("type")
    invalid = WPError("rest_setting_value_invalid", "An invalid setting value was passed.", 400)
    if kind in ("select", "radio"):
        if str(value) not in definition.get("options", {}):
            raise invalid
        return str(value)
    if kind == "multiselect":
        if value in (None, "", []):
            return []
        if not isinstance(value, list):
            raise invalid
        return [v for v in value if v in definition.get("options", {})]
    if kind == "checkbox":
        if value in ("yes", "no"):
            return value
        if not value:
            return definition.get("default") or "no"
        raise invalid
    return _kses(("" if value is None else str(value)).strip())


class SettingGroups(Resource):
    """settings: the groups, answered whole without paging headers (real/62)."""
    name = "setting_groups"
    object_type = "setting_group"
    totals = False
    sortable = False

    def records(self, req, parent):
        return groups()

    def render(self, req, g, context):
        return dict(g, _links={"options": [{"href": "%s/wp-json/wc/v3/settings/%s" % (req.base, g["id"])}]})


class SettingOptions(Resource):
    """settings/<group_id>[/<id>]: a group's options (answered whole), one option, updates."""
    name = "setting_options"
    object_type = "setting"
    totals = False
    sortable = False

    def parent(self, req):
        return group_or_404(req.match["group_id"])

    def records(self, req, parent):
        return group_options(parent)

    def find(self, req, parent, oid):
        return next((o for o in group_options(parent) if o["id"] == oid), None)

    def parse_id(self, v):
        return v

    def invalid_id(self, status):
        return WPError("rest_setting_setting_invalid", "Invalid setting.", 404)

    def render(self, req, definition, context):
        return option_json(self.store, req.match["group_id"], definition, req.base)

    def batch(self, req, body):
        """batch_items(): only updates; each item gets the route's group_id (settings/<group>/
        batch) or names its own (settings/batch); a failed item is {id, error}."""
        out = []
        for item in (body.get("update") or []) if isinstance(body, dict) else []:
            item = item if isinstance(item, dict) else {}
            group_id = req.match.get("group_id") or item.get("group_id")
            try:
                group_or_404(group_id)
                definition = self.find(req, group_id, item.get("id"))
                if definition is None:
                    raise self.invalid_id(404)
                self.update(req, group_id, definition, item)
                out.append(option_json(self.store, group_id, definition, req.base))
            except WPError as e:
                out.append({"id": item.get("id"), "error": e.body()})
        return {"update": out} if out else []

    def update(self, req, parent, rec, data):
        if "value" in data:
            self.store.options[rec["id"]] = validate_value(rec, data["value"])
            self.store.touch()
        return rec


class AllSettings(SettingOptions):
    """settings/batch: update items carry their group_id."""
    name = "settings_batch"

    def parent(self, req):
        return None
