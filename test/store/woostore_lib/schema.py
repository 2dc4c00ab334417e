"""Captured WooCommerce 10.0.2 route schemas and a WordPress-style argument validator."""
import json
import os
import re

from .common import WPError, parse_rest_date

DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")

# The host the data files are written with (data/extract.py); rehost() gives each answer the
# address of the request.
DATA_HOST = "http://127.0.0.1:8080"

_cache = {}


def load_data(name):
    if name not in _cache:
        with open(os.path.join(DATA_DIR, name), encoding="utf-8") as fh:
            _cache[name] = json.load(fh)
    return _cache[name]


def routes():
    """Every wc/v3 route of WooCommerce 10.0.2 (namespace index entries), in index order."""
    return load_data("routes.json")["routes"]


def route_schema(route_key):
    """The JSON schema OPTIONS shows for a route (None for routes without one)."""
    return load_data("routes.json")["schemas"].get(route_key)


def rehost(obj, base_url, units=None):
    """A deep copy of `obj` with the data host replaced by the store's base URL and the unit
    placeholders by `units` ({"weight": "lbs", "dimension": "in"})."""
    text = json.dumps(obj, ensure_ascii=False)
    text = text.replace(DATA_HOST, base_url)
    if units:
        text = text.replace("%WEIGHT_UNIT%", units["weight"]).replace("%DIMENSION_UNIT%", units["dimension"])
    return json.loads(text)


def route_args(route_key, method):
    entry = routes().get(route_key)
    if not entry:
        return {}
    for ep in entry["endpoints"]:
        if method in ep["methods"]:
            return ep["args"] if isinstance(ep["args"], dict) else {}   # PHP's empty array is []
    return {}


def has_parameters(route_key):
    return "(?P<" in route_key


def index_entry(route_key):
    """The route as the namespace index shows it (data host, unit placeholders)."""
    return routes()[route_key]


def options_body(route_key):
    """OPTIONS on a route: its index entry plus its schema; routes with parameters have no
    _links (real/17b, 50e: WordPress links only literal routes)."""
    entry = routes()[route_key]
    out = {"namespace": entry["namespace"], "methods": entry["methods"], "endpoints": entry["endpoints"]}
    schema = route_schema(route_key)
    if schema is not None:
        out["schema"] = schema
    if "_links" in entry:
        out["_links"] = entry["_links"]
    return out


# --------------------------------------------------------------------------
# Validation (port of the essentials of rest_validate_value_from_schema)
# --------------------------------------------------------------------------

class _Invalid(Exception):
    def __init__(self, code, message, data=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data


def _is_integer(v):
    if isinstance(v, bool):
        return False
    if isinstance(v, int):
        return True
    if isinstance(v, float):
        return v == int(v)
    if isinstance(v, str):
        try:
            f = float(v.strip())
        except ValueError:
            return False
        return v.strip() != "" and f == int(f)
    return False


def _is_number(v):
    if isinstance(v, bool):
        return False
    if isinstance(v, (int, float)):
        return True
    if isinstance(v, str):
        try:
            float(v.strip())
            return v.strip() != ""
        except ValueError:
            return False
    return False


def _is_boolean(v):
    if isinstance(v, bool):
        return True
    if isinstance(v, str):
        return v.lower() in ("false", "true", "0", "1")
    if isinstance(v, int):
        return v in (0, 1)
    return False


def _is_array(v):
    return isinstance(v, (list, str)) or (isinstance(v, dict) and all(str(k).isdigit() for k in v))


def parse_list(v):
    """wp_parse_list()."""
    if isinstance(v, list):
        return v
    if isinstance(v, dict):
        return list(v.values())
    if isinstance(v, str):
        return [x for x in re.split(r"[\s,]+", v) if x != ""]
    return [v]


def _type_ok(t, v):
    if t == "null":
        return v is None
    if t == "string":
        return isinstance(v, str)
    if t == "integer":
        return _is_integer(v)
    if t == "number":
        return _is_number(v)
    if t == "boolean":
        return _is_boolean(v)
    if t == "array":
        return _is_array(v)
    if t == "object":
        return isinstance(v, dict) or v == "" or (isinstance(v, list) and len(v) == 0)
    if t == "mixed":
        return True
    return True


def _join_l(values):
    values = [str(x) for x in values]
    if len(values) == 1:
        return values[0]
    if len(values) == 2:
        return "%s and %s" % (values[0], values[1])
    return ", ".join(values[:-1]) + ", and " + values[-1]


def sanitize(value, schema):
    t = schema.get("type")
    types = t if isinstance(t, list) else [t]
    if value is None and "null" in types:
        return None
    for tt in types:
        if tt == "null":
            continue
        if not _type_ok(tt, value):
            continue
        if tt == "integer":
            return int(float(value))
        if tt == "number":
            return float(value) if not isinstance(value, (int, float)) else value
        if tt == "boolean":
            if isinstance(value, str):
                return value.lower() in ("true", "1")
            return bool(value)
        if tt == "array":
            items = schema.get("items") or {}
            return [sanitize(x, items) if items else x for x in parse_list(value)]
        if tt == "object":
            if not isinstance(value, dict):
                return {}
            props = schema.get("properties") or {}
            return {k: (sanitize(v, props[k]) if k in props else v) for k, v in value.items()}
        return value
    return value


def validate_value(value, schema, param):
    t = schema.get("type")
    if t is None:
        return
    types = t if isinstance(t, list) else [t]
    matched = None
    for tt in types:
        if _type_ok(tt, value):
            matched = tt
            break
    if matched is None:
        raise _Invalid("rest_invalid_type", "%s is not of type %s." % (param, ",".join(types)), {"param": param})
    if matched == "null":
        return
    if "enum" in schema and matched in ("string", "integer", "number"):
        enum = []
        for x in schema["enum"]:
            if x not in enum:
                enum.append(x)
        sv = sanitize(value, {"type": matched})
        if sv not in enum and str(sv) not in [str(e) for e in enum]:
            if len(enum) == 1:
                raise _Invalid("rest_not_in_enum", "%s is not %s." % (param, enum[0]))
            raise _Invalid("rest_not_in_enum", "%s is not one of %s." % (param, _join_l(enum)))
    if matched in ("integer", "number"):
        num = float(value)
        lo, hi = schema.get("minimum"), schema.get("maximum")
        if lo is not None and hi is not None and (num < lo or num > hi):
            raise _Invalid("rest_out_of_bounds",
                           "%s must be between %d (inclusive) and %d (inclusive)" % (param, lo, hi))
        if lo is not None and hi is None and num < lo:
            raise _Invalid("rest_out_of_bounds", "%s must be greater than or equal to %d" % (param, lo))
        if hi is not None and lo is None and num > hi:
            raise _Invalid("rest_out_of_bounds", "%s must be less than or equal to %d" % (param, hi))
    if matched == "string" and schema.get("format") == "date-time":
        if parse_rest_date(value) is None:
            raise _Invalid("rest_invalid_date", "Invalid date.")
    if matched == "array" and schema.get("items"):
        for i, item in enumerate(parse_list(value)):
            validate_value(item, schema["items"], "%s[%d]" % (param, i))
    if matched == "object" and isinstance(value, dict) and schema.get("properties"):
        props = schema["properties"]
        for k, v in value.items():
            if k in props and not props[k].get("readonly"):
                validate_value(v, props[k], "%s[%s]" % (param, k))


def validate_params(params, args, skip=()):
    """Validate `params` (dict) against WP endpoint `args`. Returns sanitized copy.

    Raises WPError(rest_invalid_param / rest_missing_callback_param) like WP_REST_Request.
    """
    missing = [k for k, a in args.items() if a.get("required") and k not in params and k not in skip]
    if missing:
        raise WPError("rest_missing_callback_param", "Missing parameter(s): %s" % ", ".join(missing), 400,
                      params=missing)
    invalid, details = {}, {}
    out = dict(params)
    for k, v in params.items():
        if k in skip or k not in args:
            continue
        try:
            validate_value(v, args[k], k)
            out[k] = sanitize(v, args[k])
        except _Invalid as exc:
            invalid[k] = exc.message
            details[k] = {"code": exc.code, "message": exc.message, "data": exc.data}
    if invalid:
        raise WPError("rest_invalid_param", "Invalid parameter(s): %s" % ", ".join(invalid), 400,
                      params=invalid, details=details)
    return out
