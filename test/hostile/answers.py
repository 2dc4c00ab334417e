"""The catalogue of broken answers the hostile store can give.

Each mode is a function (request) -> Answer. An Answer is either a plain
HTTP response (status, headers, body) written honestly, or a raw action on
the socket (lying lengths, resets, trickles, stalls, garbage), for the
faults no well-behaved HTTP library would produce. Modes only decide what
to send; hostile_store.py does the sending.
"""
import json
import zlib

MiB = 1024 * 1024


class Answer:
    """What to send back. `raw` (bytes) replaces the whole response when set;
    `action` names a socket behaviour handled by the server."""

    def __init__(self, status=200, body=b"", headers=None, raw=None, action=None, close=False, **params):
        self.status = status
        self.body = body if isinstance(body, bytes) else body.encode("utf-8")
        self.headers = list(headers or [])
        self.raw = raw
        self.action = action
        self.close = close
        self.params = params


def js(obj):
    return json.dumps(obj, separators=(",", ":")).encode("utf-8")


def product(pid, **extra):
    p = {"id": pid, "name": "Hostile %d" % pid, "sku": "H-%d" % pid, "type": "simple", "status": "publish",
         "price": "5.00", "regular_price": "5.00", "featured": False, "stock_quantity": 3,
         "date_created_gmt": "2025-01-02T03:04:05", "meta_data": []}
    p.update(extra)
    return p


def page_headers(total, pages):
    return [("X-WP-Total", str(total)), ("X-WP-TotalPages", str(pages))]


def json_answer(obj_or_bytes, status=200, headers=None):
    body = obj_or_bytes if isinstance(obj_or_bytes, bytes) else js(obj_or_bytes)
    return Answer(status, body, [("Content-Type", "application/json; charset=UTF-8")] + list(headers or []))


def page_number(req):
    try:
        return max(1, int(req.query.get("page", "1")))
    except ValueError:
        return 1


def per_page(req):
    try:
        return max(1, min(100, int(req.query.get("per_page", "10"))))
    except ValueError:
        return 10


def created(req, pid=100):
    """A plausible answer to a write: the object, or a batch answer."""
    try:
        sent = json.loads(req.body or b"{}")
    except ValueError:
        sent = {}
    if req.path.endswith("/batch"):
        items = sent.get("create", []) if isinstance(sent, dict) else []
        return {"create": [dict(product(pid + i), **(it if isinstance(it, dict) else {})) for i, it in enumerate(items)]}
    body = product(pid)
    if isinstance(sent, dict):
        body.update(sent)
    body["id"] = pid
    return body


# ---- A well-behaved store, for requests a mode leaves alone ----------------

def normal(req):
    path = req.path
    if req.method in ("POST", "PUT"):
        return json_answer(created(req), 201 if req.method == "POST" else 200)
    if req.method == "DELETE":
        return json_answer(product(1))
    if path.endswith("/system_status"):
        return json_answer({"environment": {"version": "10.0.2", "wp_version": "6.8.8", "home_url": "http://hostile"}})
    if path.endswith("/variations"):
        return json_answer([], headers=page_headers(0, 0))
    tail = path.rsplit("/", 1)[-1]
    if tail.isdigit():
        return json_answer(product(int(tail)))
    return json_answer([product(1), product(2), product(3)], headers=page_headers(3, 1))


def one_product_list(**extra):
    return json_answer([product(1, **extra)], headers=page_headers(1, 1))


# ---- Status and redirects ---------------------------------------------------

def redirect_301(req):
    return Answer(301, b"", [("Location", "https://www.hostile.invalid" + req.path), ("Content-Length", "0")])


def redirect_302_json(req):
    return Answer(302, js([product(1)]), [("Location", "/elsewhere/"), ("Content-Type", "application/json")])


def ok_empty(req):
    return Answer(200, b"", [("Content-Type", "application/json; charset=UTF-8")])


def no_content(req):
    return Answer(204, b"", [])


def html_503(req):
    return Answer(503, b"<html><head><title>503 Service Temporarily Unavailable</title></head><body>"
                       b"<center><h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx/1.22.1"
                       b"</center></body></html>", [("Content-Type", "text/html")])


def html_200(req):
    return Answer(200, b"<!DOCTYPE html><html><body><h1>Briefly unavailable for scheduled maintenance.</h1>"
                       b"</body></html>", [("Content-Type", "text/html; charset=UTF-8")])


def rate_limit_forever(req):
    return json_answer({"code": "rate_limit_exceeded", "message": "Too many requests.", "data": {"status": 429}},
                       429, [("Retry-After", "1")])


def retry_after_far(req):
    return json_answer({"code": "rate_limit_exceeded", "message": "Come back in an hour.", "data": {"status": 429}},
                       429, [("Retry-After", "3600")])


def status_999(req):
    return Answer(999, js({"code": "strange"}), [("Content-Type", "application/json")])


# ---- Lists that are not lists of objects with ids ---------------------------

def nulls(req):
    return json_answer(b"[null,null,null]", headers=page_headers(3, 1))


def numbers(req):
    return json_answer(b"[1,2,3]", headers=page_headers(3, 1))


def objects_without_id(req):
    return json_answer([{"name": "no id"}], headers=page_headers(1, 1))


def id_string(req):
    return one_product_list(id="12")


def id_float(req):
    return json_answer(b'[{"id":12.5,"name":"x"}]', headers=page_headers(1, 1))


def id_beyond_bigint(req):
    return json_answer(b'[{"id":99999999999999999999,"name":"x"}]', headers=page_headers(1, 1))


def id_zero(req):
    return one_product_list(id=0)


def object_for_list(req):
    return json_answer(product(1))


def string_for_list(req):
    return json_answer(b'"products"')


def number_for_list(req):
    return json_answer(b"1e400")


def array_for_item(req):
    return json_answer([product(1)])


# ---- Values that do not fit their columns -----------------------------------

def boolean_yes(req):
    return one_product_list(featured="yes")


def price_1e400(req):
    body = js([product(1)]).replace(b'"price":"5.00"', b'"price":1e400')
    return json_answer(body, headers=page_headers(1, 1))


def price_object(req):
    return one_product_list(price={"amount": 5})


def stock_overflow(req):
    return one_product_list(stock_quantity=3000000000)


def bad_date(req):
    return one_product_list(date_created_gmt="yesterday at noon")


def impossible_date(req):
    return one_product_list(date_created_gmt="2025-13-45T99:99:99")


def nul_in_string(req):
    return json_answer(b'[{"id":1,"name":"Hood\\u0000ie","sku":"H-1"}]', headers=page_headers(1, 1))


def invalid_utf8(req):
    return json_answer(b'[{"id":1,"name":"caf\xe9 \xff\xfe","sku":"H-1"}]', headers=page_headers(1, 1))


def lone_surrogate(req):
    return json_answer(b'[{"id":1,"name":"\\ud800","sku":"H-1"}]', headers=page_headers(1, 1))


def created_price_1e400(req):
    """A create answered with the object, its price beyond any double."""
    if req.method not in ("POST", "PUT"):
        return normal(req)
    return json_answer(js(created(req)).replace(b'"price":"5.00"', b'"price":1e400'), 201)


def created_without_id(req):
    if req.method not in ("POST", "PUT"):
        return normal(req)
    body = created(req)
    body.pop("id", None)
    return json_answer(body, 201)


# ---- Bodies that are not the JSON they claim to be --------------------------

def truncated_json(req):
    return json_answer(js([product(1), product(2)])[:-25], headers=page_headers(2, 1))


def invalid_json(req):
    return json_answer(b'[{"id":1,"name":"x",}]', headers=page_headers(1, 1))


def php_warning_after(req):
    return json_answer(js([product(1)]) + b"\n<br />\n<b>Warning</b>:  Undefined variable $x in "
                       b"<b>/var/www/html/wp-content/plugins/x/x.php</b> on line <b>7</b><br />\n",
                       headers=page_headers(1, 1))


def php_warning_before(req):
    return json_answer(b"<br />\n<b>Notice</b>:  Undefined index: sku in <b>x.php</b><br />\n" + js([product(1)]),
                       headers=page_headers(1, 1))


def garbage_binary(req):
    return json_answer(bytes(range(256)) * 8)


def duplicate_keys(req):
    return json_answer(b'[{"id":1,"name":"first","id":2}]', headers=page_headers(1, 1))


def deep_nesting(req):
    """meta_data nesting arrays 500,000 deep: about 1 MB."""
    depth = 500000
    value = b"[" * depth + b"1" + b"]" * depth
    body = b'[{"id":1,"name":"deep","sku":"H-1","meta_data":[{"id":9,"key":"k","value":' + value + b"}]}]"
    return json_answer(body, headers=page_headers(1, 1))


def many_keys(req):
    """One object with 100,000 members (the store's answer is still valid)."""
    extra = ",".join('"k%d":%d' % (i, i) for i in range(100000)).encode()
    return json_answer(b'[{"id":1,"name":"wide","sku":"H-1",' + extra + b"}]", headers=page_headers(1, 1))


def huge_string(req):
    return one_product_list(name="x" * (5 * MiB))


_BOMB = None


def gzip_bomb(req):
    """256 MiB of spaces in about 250 KB of gzip: larger than max_response_bytes once decoded."""
    global _BOMB
    if _BOMB is None:
        z = zlib.compressobj(9, zlib.DEFLATED, 31)
        chunk = b" " * MiB
        parts = [z.compress(chunk) for _ in range(256)]
        parts.append(z.flush())
        _BOMB = b"".join(parts)
    return Answer(200, _BOMB, [("Content-Type", "application/json"), ("Content-Encoding", "gzip")])


# ---- Pagination that lies ---------------------------------------------------

def _distinct_full_page(req):
    base = page_number(req) * 1000
    return [product(base + i) for i in range(per_page(req))]


def total_pages_huge(req):
    """Two billion pages claimed (and objects enough to fill them), every page full and new."""
    if req.path.endswith("/variations"):
        return json_answer([], headers=page_headers(0, 0))
    return json_answer(_distinct_full_page(req), headers=page_headers(200000000000, 2000000000))


def total_pages_disagree(req):
    return json_answer([product(1)], headers=page_headers(1, 2000000000))


def total_pages_garbage(req):
    return json_answer([product(1)], headers=[("X-WP-Total", "1"), ("X-WP-TotalPages", "many")])


def ignores_page(req):
    """A cache in front of the store that drops the query string: page 1, full, every time, no headers."""
    if req.path.endswith("/variations"):
        return json_answer([])
    return json_answer([product(i) for i in range(1, per_page(req) + 1)])


def ignores_page_with_headers(req):
    return json_answer([product(i) for i in range(1, per_page(req) + 1)], headers=page_headers(500, 5))


# ---- The wire itself ---------------------------------------------------------

def _list_body():
    return js([product(1), product(2)])


def trickle(req):
    """A valid body, one byte every 200 ms: 2 bytes/s, minutes for a page."""
    return Answer(200, _list_body(), [("Content-Type", "application/json")] + page_headers(2, 1),
                  action="trickle", interval=0.2)


def slow_headers(req):
    return Answer(200, _list_body(), [("Content-Type", "application/json")], action="trickle_headers",
                  interval=0.2)


def stall(req):
    return Answer(action="stall")


def reset_mid_body(req):
    return Answer(200, _list_body(), [("Content-Type", "application/json")], action="reset_mid_body")


def close_mid_body(req):
    return Answer(200, _list_body(), [("Content-Type", "application/json")], action="close_mid_body")


def length_longer_than_body(req):
    """Content-Length 10,000 for a 300-byte body, then the connection closes."""
    body = _list_body()
    return Answer(raw=b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n" + body,
                  close=True)


def length_shorter_than_body(req):
    """Content-Length 40 for a longer body: the client reads 40 bytes of JSON."""
    body = _list_body()
    return Answer(raw=b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n" + body,
                  close=True)


def http10_no_length(req):
    """HTTP/1.0, no Content-Length, the body ends with the connection: valid, and read whole."""
    body = js([product(1), product(2)])
    return Answer(raw=b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nX-WP-Total: 2\r\n"
                      b"X-WP-TotalPages: 1\r\n\r\n" + body, close=True)


def negative_length(req):
    return Answer(raw=b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: -5\r\n\r\n[]",
                  close=True)


def bad_chunks(req):
    return Answer(raw=b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                      b"zz\r\n[1]\r\n0\r\n\r\n", close=True)


def not_http(req):
    return Answer(raw=b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", close=True)


def huge_header(req):
    return Answer(raw=b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Padding: " + b"a" * (2 * MiB) +
                      b"\r\nContent-Length: 2\r\n\r\n[]", close=True)


def header_flood(req):
    lines = b"".join(b"X-H%d: %d\r\n" % (i, i) for i in range(200000))
    return Answer(raw=b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + lines +
                      b"Content-Length: 2\r\n\r\n[]", close=True)


MODES = {
    # status and redirects
    "redirect_301": redirect_301,
    "redirect_302_json": redirect_302_json,
    "ok_empty": ok_empty,
    "no_content": no_content,
    "html_503": html_503,
    "html_200": html_200,
    "rate_limit_forever": rate_limit_forever,
    "retry_after_far": retry_after_far,
    "status_999": status_999,
    # lists
    "nulls": nulls,
    "numbers": numbers,
    "objects_without_id": objects_without_id,
    "id_string": id_string,
    "id_float": id_float,
    "id_beyond_bigint": id_beyond_bigint,
    "id_zero": id_zero,
    "object_for_list": object_for_list,
    "string_for_list": string_for_list,
    "number_for_list": number_for_list,
    "array_for_item": array_for_item,
    # values
    "boolean_yes": boolean_yes,
    "price_1e400": price_1e400,
    "price_object": price_object,
    "stock_overflow": stock_overflow,
    "bad_date": bad_date,
    "impossible_date": impossible_date,
    "created_price_1e400": created_price_1e400,
    "created_without_id": created_without_id,
    "nul_in_string": nul_in_string,
    "invalid_utf8": invalid_utf8,
    "lone_surrogate": lone_surrogate,
    # bodies
    "truncated_json": truncated_json,
    "invalid_json": invalid_json,
    "php_warning_after": php_warning_after,
    "php_warning_before": php_warning_before,
    "garbage_binary": garbage_binary,
    "duplicate_keys": duplicate_keys,
    "deep_nesting": deep_nesting,
    "many_keys": many_keys,
    "huge_string": huge_string,
    "gzip_bomb": gzip_bomb,
    # pagination
    "total_pages_huge": total_pages_huge,
    "total_pages_disagree": total_pages_disagree,
    "total_pages_garbage": total_pages_garbage,
    "ignores_page": ignores_page,
    "ignores_page_with_headers": ignores_page_with_headers,
    # the wire
    "trickle": trickle,
    "slow_headers": slow_headers,
    "stall": stall,
    "reset_mid_body": reset_mid_body,
    "close_mid_body": close_mid_body,
    "length_longer_than_body": length_longer_than_body,
    "length_shorter_than_body": length_shorter_than_body,
    "http10_no_length": http10_no_length,
    "negative_length": negative_length,
    "bad_chunks": bad_chunks,
    "not_http": not_http,
    "huge_header": huge_header,
    "header_flood": header_flood,
    # well-behaved
    "normal": normal,
}
