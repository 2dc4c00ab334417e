#!/usr/bin/env python3
"""Reads and clears the test store's request log, for tests that assert
which requests a statement made (pg_regress calls it through psql's \\!).

  store_log.py clear                    forget earlier requests
  store_log.py count [--method M] [--path P]
                                        "requests: N" (attempts, retries included)
  store_log.py show [--method M] [--path P] [--body] [--sort]
                                        one line per request: METHOD path?query [body]
  store_log.py max-in-flight [--method M] [--path P]
                                        "max in flight: N": the most of these requests the store
                                        was serving at once (from each entry's time and end)
  store_log.py created-twice            "SKUs created more than once: N" (successful creates,
                                        batch items included), then each such SKU and its count
The store is $WOO_STORE_HTTP (exported by scripts/lib.sh start_store).
"""
import argparse
import json
import os
import sys
import urllib.parse
import urllib.request


def store():
    return os.environ.get("WOO_STORE_HTTP", "http://127.0.0.1:18080")


def fetch(method, path_prefix):
    params = {}
    if method:
        params["method"] = method
    if path_prefix:
        params["path_prefix"] = path_prefix
    url = store() + "/__store/requests"
    if params:
        url += "?" + urllib.parse.urlencode(params)
    with urllib.request.urlopen(url) as r:
        return json.load(r)


def max_in_flight(entries):
    """The most entries whose [time, end] overlap at one instant (a request
    that ends as another starts is not counted with it)."""
    events = sorted([(e["time"], 1) for e in entries] + [(e["end"], -1) for e in entries],
                    key=lambda ev: (ev[0], ev[1]))
    most = now = 0
    for _, step in events:
        now += step
        most = max(most, now)
    return most


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=["clear", "count", "show", "max-in-flight", "created-twice"])
    ap.add_argument("--method")
    ap.add_argument("--path", help="path prefix, e.g. /wp-json/wc/v3/products")
    ap.add_argument("--body", action="store_true")
    ap.add_argument("--sort", action="store_true", help="sorted lines (requests sent in parallel)")
    a = ap.parse_args()
    if a.command == "clear":
        urllib.request.urlopen(urllib.request.Request(store() + "/__store/requests", method="DELETE")).read()
        return 0
    entries = fetch(a.method, a.path)
    if a.command == "count":
        print("requests: %d" % len(entries))
        return 0
    if a.command == "max-in-flight":
        print("max in flight: %d" % max_in_flight(entries))
        return 0
    if a.command == "created-twice":
        created = {}
        for e in entries:
            for _id, sku in e.get("created", []):
                created[sku] = created.get(sku, 0) + 1
        twice = sorted((sku, n) for sku, n in created.items() if n > 1)
        print("SKUs created more than once: %d" % len(twice))
        for sku, n in twice:
            print("  %s: %d" % (sku, n))
        return 0
    lines = []
    for e in entries:
        query = "&".join("%s=%s" % (k, v) for k, vs in e.get("query", {}).items() for v in vs)
        line = "%s %s%s" % (e["method"], e["path"], "?" + query if query else "")
        if a.body and e.get("body") is not None:
            line += " " + json.dumps(e["body"], sort_keys=True, ensure_ascii=False)
        lines.append(line)
    for line in sorted(lines) if a.sort else lines:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
