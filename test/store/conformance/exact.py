"""Exact comparison of a store answer with a captured one.

Status, every header (value and presence, both ways) and the whole body are compared: every
member's value and type, member order, whole arrays (empty ones too), error codes and messages.
The only differences allowed are the NORMALISATIONS below, each applied to both sides:
"""
import re

NORMALISATIONS = (
    ("base URL", "the capture's store address (http://127.0.0.1:8080, https://127.0.0.1:8080 - the "
                 "capture's https-with-http-port artifact - and https://127.0.0.1:8443) reads as the "
                 "address of the store under test, in bodies and headers"),
    ("transport headers", "Date, Server, Connection, Keep-Alive, Transfer-Encoding and Content-Length "
                          "describe the connection, not the answer (the capture's server chunked, the "
                          "store sends Content-Length)"),
    ("client's OAuth parameters", "in an OAuth-signed replay the consumer key, timestamp, nonce and "
                                  "signature are the replay's own; the capture's values read as them"),
    ("random values", "values WooCommerce draws at random: order keys (wc_order_ + 13 letters or "
                      "digits, also inside payment_url) and a product's related_ids (a random sample "
                      "of up to 5 related products, drawn from a catalogue the captures show only in "
                      "part: compared as a list of at most 5 distinct ids)"),
    ("term counts of 29", "the categories list of real/29 counts products of the capture's catalogue "
                          "whose categories no capture shows (9 of 18): its count members are "
                          "not compared; the store's counting is checked on known state elsewhere"),
    ("rows with equal sort keys", "only where a replay says so (the product pages 05/06, whose rows "
                                  "share one date_created second: real WooCommerce orders them by date "
                                  "alone and MySQL returns ties in any order, 05 and 06 even share "
                                  "rows): each row is compared with the capture's object of the same "
                                  "id; rows no capture shows are not compared"),
)

CAPTURE_BASES = ("https://127.0.0.1:8080", "http://127.0.0.1:8080", "https://127.0.0.1:8443")
TRANSPORT_HEADERS = frozenset(("date", "server", "connection", "keep-alive", "transfer-encoding",
                               "content-length"))
_ORDER_KEY = re.compile(r"wc_order_[A-Za-z0-9]{13}")
RANDOM_ORDER_KEY = "wc_order_<random>"


def rebase(value, base, substitutions=()):
    """`value` with every capture base URL replaced by `base` and each (old, new) substitution
    applied to every string (keys and values)."""
    if isinstance(value, str):
        for b in CAPTURE_BASES:
            value = value.replace(b, base)
        for old, new in substitutions:
            value = value.replace(old, new)
        return value
    if isinstance(value, list):
        return [rebase(v, base, substitutions) for v in value]
    if isinstance(value, dict):
        return {rebase(k, base, substitutions): rebase(v, base, substitutions) for k, v in value.items()}
    return value


def unrandom(value):
    """Random order keys read as one placeholder; related_ids as their count."""
    if isinstance(value, str):
        return _ORDER_KEY.sub(RANDOM_ORDER_KEY, value)
    if isinstance(value, list):
        return [unrandom(v) for v in value]
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k == "related_ids" and "permalink" in value and _related_ids_shape(v):
                out[k] = "<up to 5 related product ids>"
            else:
                out[k] = unrandom(v)
        return out
    return value


def _related_ids_shape(v):
    return (isinstance(v, list) and len(v) <= 5 and len(set(v)) == len(v)
            and all(isinstance(i, int) and not isinstance(i, bool) for i in v))


def _kind(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    return "object"


def _show(v):
    text = repr(v)
    return text if len(text) <= 160 else text[:157] + "..."


def diff(real, ours, path="$", out=None):
    """Every difference between two JSON values (real first), as readable lines."""
    out = [] if out is None else out
    rk, ok = _kind(real), _kind(ours)
    if rk != ok:
        out.append("%s: %s %s (real) != %s %s (store)" % (path, rk, _show(real), ok, _show(ours)))
        return out
    if rk == "object":
        missing = [k for k in real if k not in ours]
        extra = [k for k in ours if k not in real]
        if missing:
            out.append("%s: members missing in the store: %s" % (path, missing))
        if extra:
            out.append("%s: members the capture does not have: %s" % (path, extra))
        common_real = [k for k in real if k in ours]
        common_ours = [k for k in ours if k in real]
        if common_real != common_ours:
            i = next(n for n, (a, b) in enumerate(zip(common_real, common_ours)) if a != b)
            out.append("%s: member order differs from member %d: %s (real) != %s (store)"
                       % (path, i, common_real[i:i + 4], common_ours[i:i + 4]))
        for k in common_real:
            diff(real[k], ours[k], "%s.%s" % (path, k), out)
    elif rk == "array":
        if len(real) != len(ours):
            out.append("%s: %d elements (real) != %d (store)" % (path, len(real), len(ours)))
        for i, (a, b) in enumerate(zip(real, ours)):
            diff(a, b, "%s[%d]" % (path, i), out)
    elif real != ours:
        out.append("%s: %s (real) != %s (store)" % (path, _show(real), _show(ours)))
    return out


def header_diff(real_headers, ours, base, substitutions=()):
    """Differences between the captured headers (dict; a repeated header is a list) and the store's
    (list of (name, value)), transport headers left out, names case-insensitive."""
    def table(pairs):
        t = {}
        for name, value in pairs:
            if name.lower() in TRANSPORT_HEADERS:
                continue
            values = value if isinstance(value, list) else [value]
            t.setdefault(name.lower(), []).extend(values)
        return t
    real = table((k, rebase(v, base, substitutions)) for k, v in real_headers.items())
    mine = table(ours)
    out = []
    for name in sorted(set(real) | set(mine)):
        if name not in mine:
            out.append("header %s: %s (real), absent in the store" % (name, real[name]))
        elif name not in real:
            out.append("header %s: %s in the store, absent in the capture" % (name, mine[name]))
        elif real[name] != mine[name]:
            out.append("header %s: %s (real) != %s (store)" % (name, real[name], mine[name]))
    return out


def response_diff(captured, resp, base, substitutions=(), expected_body=None):
    """All differences between a captured response and the store's `resp` (client.Resp)."""
    out = []
    if captured["status"] != resp.status:
        out.append("status %s (real) != %s (store)" % (captured["status"], resp.status))
    out += header_diff(captured["headers"], resp.headers, base, substitutions)
    body = captured["body"] if expected_body is None else expected_body
    real = unrandom(rebase(body, base, substitutions))
    if resp.json is None and resp.raw:
        out.append("body: the store's answer is not JSON: %r" % resp.raw[:200])
    else:
        out += diff(real, unrandom(resp.json))
    return out
