"""WordPress's query-string helpers as the pagination Link header uses them.

WooCommerce builds a page link as add_query_arg('page', N, add_query_arg($request->get_query_params(),
rest_url(route))): the request's decoded parameters are joined without encoding (build_query with
urlencode off), "=" before "&" or the end is dropped, and the second call re-parses that string
(parse_str: "+" is a space) and url-encodes each value (urlencode_deep) before adding page. So a
"+" in an OAuth signature survives, its trailing "=" does not (real/04b)."""
import collections
import re
import urllib.parse

_EMPTY_VALUE = re.compile(r"=(&|$)")


def php_urlencode(s):
    return urllib.parse.quote_plus(s, safe="").replace("~", "%7E")


def get_query_params(pairs):
    """$_GET of a decoded query: last value wins at the first key's position; "k[]" makes a list."""
    out = collections.OrderedDict()
    for k, v in pairs:
        if k.endswith("[]"):
            lst = out.setdefault(k[:-2], [])
            if isinstance(lst, list):
                lst.append(v)
            else:
                out[k[:-2]] = [v]
            continue
        out[k] = v
    return out


def build_query(params):
    """build_query() (urlencode off); lists as key%5Bi%5D=value like _http_build_query."""
    parts = []
    for k, v in params.items():
        if isinstance(v, list):
            parts += ["%s%%5B%d%%5D=%s" % (k, i, x) for i, x in enumerate(v)]
        else:
            parts.append("%s=%s" % (k, v))
    return _EMPTY_VALUE.sub(r"\1", "&".join(parts))


def parse_str(query):
    pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
    out = collections.OrderedDict()
    for k, v in pairs:
        m = re.match(r"^(.*?)\[(\d*)\]$", k)
        if m:
            lst = out.setdefault(m.group(1), [])
            if isinstance(lst, list):
                lst.append(v)
            continue
        out[k] = v
    return out


def add_query_arg(key, value, url):
    base, _, query = url.partition("?")
    params = parse_str(query)
    params = collections.OrderedDict((k, [php_urlencode(x) for x in v] if isinstance(v, list) else php_urlencode(v))
                                     for k, v in params.items())
    params[key] = str(value)
    return base + "?" + build_query(params)


def page_link(route_url, query_pairs, page):
    """The URL WooCommerce puts in a prev/next Link for `page` of the request."""
    first = build_query(get_query_params(query_pairs))
    base = route_url + ("?" + first if first else "")
    return add_query_arg("page", page, base)
