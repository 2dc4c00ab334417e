#!/usr/bin/env python3
"""Fetches pages of GET /wp-json/wc/v3/products from a store, OAuth 1.0a
signed with the read key, into OUT_DIR/<page>.json: the same pages a scan or
an import reads, for PostgreSQL's own JSON path to work on.

Usage: fetch_pages.py BASE_URL OUT_DIR PAGES "QUERY WITHOUT page="
"""
import http.client
import os
import sys
import time
import urllib.parse
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "store"))
from woostore_lib.auth import sign  # noqa: E402

KEY = ("ck_test_read_00000000000000000000000000000", "cs_test_read_00000000000000000000000000000")


def main():
    base, out_dir, pages, query = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    parts = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    path = "/wp-json/wc/v3/products"
    os.makedirs(out_dir, exist_ok=True)
    for page in range(1, pages + 1):
        params = urllib.parse.parse_qsl(query, keep_blank_values=True) + [("page", str(page))]
        oauth = {"oauth_consumer_key": KEY[0], "oauth_nonce": uuid.uuid4().hex,
                 "oauth_signature_method": "HMAC-SHA256", "oauth_timestamp": str(int(time.time()))}
        signed = dict(params)
        signed.update(oauth)
        oauth["oauth_signature"] = sign("GET", base + path, signed, KEY[1])
        target = path + "?" + urllib.parse.urlencode(params + list(oauth.items()), quote_via=urllib.parse.quote)
        conn.request("GET", target)
        r = conn.getresponse()
        body = r.read()
        if r.status != 200:
            sys.exit("page %d: HTTP %d %s" % (page, r.status, body[:300]))
        with open(os.path.join(out_dir, "%d.json" % page), "wb") as f:
            f.write(body)
    os.chmod(out_dir, 0o755)


if __name__ == "__main__":
    main()
