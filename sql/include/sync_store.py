#!/usr/bin/env python3
"""The sync regress tests' window on the test store (environment from
scripts/lib.sh start_store):

  sync_store.py products          every product (all statuses but trash) and variation as TSV:
                                  id, sku, type, parent_id, regular_price
  sync_store.py clear             empty the request log and remember when
  sync_store.py log [METHOD PATH] the requests that started since the last clear, one
                                  JSON object a line (for \\copy ... FROM PROGRAM in csv
                                  mode). Requests of earlier tests that end later (a
                                  cancelled slow request) are logged when they end: their
                                  start time leaves them out.
  sync_store.py put PATH JSON     PUT /wp-json/wc/v3/PATH with the JSON body (a
                                  change made in the store, as a shop manager would)

Reads and writes go over HTTPS with the store's default read/write key."""
import base64, json, os, ssl, sys, tempfile, time, urllib.parse, urllib.request
from concurrent.futures import ThreadPoolExecutor

HTTP = os.environ["WOO_STORE_HTTP"]
SINCE_FILE = os.path.join(tempfile.gettempdir(),
                          "woocommerce_fdw_sync_log_since." + urllib.parse.urlsplit(HTTP).netloc.replace(":", "_"))
BASE = os.environ["WOO_STORE_HTTPS"] + "/wp-json/wc/v3/"
CTX = ssl.create_default_context(cafile=os.environ["WOO_STORE_CA_FILE"])
AUTH = "Basic " + base64.b64encode(b"ck_test_readwrite_0000000000000000000000000:"
                                   b"cs_test_readwrite_0000000000000000000000000").decode()


def call(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(BASE + path, data=data, method=method,
                                 headers={"Authorization": AUTH, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, context=CTX) as r:
        return json.load(r), r.headers


def page(n):
    return call("GET", f"products?per_page=100&page={n}&orderby=id&order=asc"
                       f"&_fields=id,sku,type,parent_id,regular_price")


cmd = sys.argv[1]
if cmd == "products":
    first, headers = page(1)
    pages = int(headers.get("X-WP-TotalPages", "1"))
    rest = list(ThreadPoolExecutor(8).map(lambda n: page(n)[0], range(2, pages + 1)))
    products = [p for items in [first] + rest for p in items]
    variable = [p["id"] for p in products if p["type"] == "variable"]
    for variations in ThreadPoolExecutor(8).map(
            lambda pid: call("GET", f"products/{pid}/variations?per_page=100&_fields=id,sku,parent_id,regular_price")[0],
            variable):
        products += [dict(v, type="variation") for v in variations]
    for p in products:
        sys.stdout.write(f"{p['id']}\t{p['sku']}\t{p['type']}\t{p.get('parent_id') or 0}\t{p['regular_price']}\n")
elif cmd == "clear":
    urllib.request.urlopen(urllib.request.Request(HTTP + "/__store/requests", method="DELETE")).read()
    with open(SINCE_FILE, "w") as f:
        f.write(repr(time.time()))
elif cmd == "log":
    q = {}
    if len(sys.argv) > 3:
        q = {"method": sys.argv[2], "path_prefix": sys.argv[3]}
    since = float(open(SINCE_FILE).read()) if os.path.exists(SINCE_FILE) else 0.0
    with urllib.request.urlopen(HTTP + "/__store/requests?" + urllib.parse.urlencode(q)) as r:
        for entry in json.load(r):
            if entry.get("time", 0) >= since:
                sys.stdout.write(json.dumps(entry, ensure_ascii=False) + "\n")
elif cmd == "put":
    call("PUT", sys.argv[2], json.loads(sys.argv[3]))
