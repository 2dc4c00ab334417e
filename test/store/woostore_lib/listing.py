"""What every list answer shares: _fields, id lists, sorting and WordPress's paging headers."""
import math
import re

from . import schema as sch
from .wp_query_args import page_link


def _field_prefixes(wanted):
    """Every "a" / "a.b" that some dotted field "a.b.c" in wanted starts with (followed by a dot)."""
    out = set()
    for f in wanted:
        i = f.find(".")
        while i != -1:
            out.add(f[:i])
            i = f.find(".", i + 1)
    return out


def _fields_filter(obj, fields):
    if not fields:
        return obj
    wanted = [f.strip() for f in fields if f.strip()]
    wset = set(wanted)
    prefixes = _field_prefixes(wanted)
    out = {}
    for key, val in obj.items():
        if key == "_links" or key == "id" or key in wset:
            out[key] = val
        elif key in prefixes and isinstance(val, dict):
            out[key] = _fields_filter_nested(val, [f[len(key) + 1:] for f in wanted if f.startswith(key + ".")])
    return out


def _fields_filter_nested(obj, fields):
    fset = set(fields)
    prefixes = _field_prefixes(fields)
    out = {}
    for key, val in obj.items():
        if key in fset:
            out[key] = val
        elif key in prefixes and isinstance(val, dict):
            out[key] = _fields_filter_nested(val, [f[len(key) + 1:] for f in fields if f.startswith(key + ".")])
    return out


def _fields(req):
    f = req.query.get("_fields")
    if not f:
        return None
    return sch.parse_list(f)


def _ids(v):
    out = []
    for x in sch.parse_list(v) if v is not None else []:
        try:
            out.append(int(x))
        except (TypeError, ValueError):
            pass
    return out


def _link_url(req, page):
    return page_link("%s/wp-json%s" % (req.base, req.route), req.query_pairs, page)


def paginate(req, items, per_page, page, offset=None):
    total = len(items)
    max_pages = int(math.ceil(total / float(per_page))) if per_page else 0
    start = offset if offset is not None else (page - 1) * per_page
    if start < 0:
        start = 0
    chunk = items[start:start + per_page]
    headers = [("X-WP-Total", str(total)), ("X-WP-TotalPages", str(max_pages))]
    links = []
    if page > 1:
        prev_page = min(page - 1, max_pages)
        links.append('<%s>; rel="prev"' % _link_url(req, prev_page))
    if max_pages > page:
        links.append('<%s>; rel="next"' % _link_url(req, page + 1))
    if links:
        headers.append(("Link", ", ".join(links)))
    return chunk, headers


def _sort(items, orderby, order, keyfuncs, include=None):
    desc = order == "desc"
    if orderby in ("include", "post__in") and include:
        pos = {v: i for i, v in enumerate(include)}
        return sorted(items, key=lambda o: pos.get(o["id"], 1 << 30))
    kf = keyfuncs.get(orderby, keyfuncs["id"])
    return sorted(items, key=lambda o: (kf(o), o.get("id", 0)), reverse=desc)


def _search_terms(s):
    s = s.strip()
    terms = re.findall(r'"([^"]+)"|(\S+)', s)
    return [(a or b).lower() for a, b in terms if (a or b)]
