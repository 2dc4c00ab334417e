#!/usr/bin/env python3
"""woostore: a WooCommerce 10 (wc/v3) compatible REST test store for woocommerce_fdw.

Python 3.11 standard library only. See test/store/README.md.
"""
import argparse
import os
import signal
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from woostore_lib.auth import DEFAULT_KEYS  # noqa: E402
from woostore_lib.server import App, StoreServer, make_ssl_context  # noqa: E402

EPILOG = """default keys (used when no --key is given):
  %s
  %s
  %s

serves /wp-json/wc/v3 as WooCommerce 10.0.2 does (see test/store/README.md): products, variations,
categories, tags, brands, shipping classes, attributes and terms, reviews, orders with notes and
refunds, customers, coupons, taxes and tax classes, shipping zones/locations/methods, payment
gateways, settings, webhooks, reports, data, system status and tools; OPTIONS on every route.

test controls (no auth, JSON in/out, never delayed or faulted):
  GET    /__store/health                      -> {"ok": true, "in_flight": API requests being served}
  POST   /__store/reset    {"products":N,"seed":S}   wipe everything, re-seed deterministically
  POST   /__store/seed     {"products":N}       add N more bulk products
  POST   /__store/load     {"products":[...],"orders":[...],"next_ids":{"post":N},...}
                                              upsert objects as the API shows them (by id)
  GET    /__store/summary                     ids and counts of the seeded catalogue
  GET    /__store/requests[?path_prefix=&method=&since_seq=]   request log (no secrets)
  DELETE /__store/requests                    clear the request log
  GET    /__store/counters                    {"GET /wc/v3/products/<id>": n, ...}
  DELETE /__store/counters
  POST   /__store/faults   {"path_prefix":"/wp-json/wc/v3/products","method":"GET","kind":K,"count":1,...}
         kinds: latency(latency_ms) status(status,body,retry_after) rate_limit(retry_after) reset
                truncate invalid_json html trickle(delay_ms,chunk_bytes) strip_authorization
         rate_limit, status and html answer before the work; reset, truncate, invalid_json and
         trickle after it; "when":"before"|"after" chooses for status and reset, "during" for status
         (answers at once, does the work after latency_ms: a gateway's 504 while PHP goes on)
  GET    /__store/faults ; DELETE /__store/faults
  POST   /__store/config   {"latency_ms":L,"strip_authorization":bool,"timezone":"Europe/Berlin","now":"...|null",
                            "sku_race":bool}   sku_race: concurrent requests can create one SKU twice
  GET    /__store/webhooks ; POST /__store/webhooks/config|flush|fire|untrash ; GET|DELETE /__store/webhooks/deliveries
  POST   /__store/wc-auth/approve|deny|config {"url": "<authorize URL>"} ; GET /__store/wc-auth/keys[/all]
""" % tuple("%s:%s (%s)" % k for k in DEFAULT_KEYS)


def parse_key(text):
    parts = text.split(":")
    if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
        raise argparse.ArgumentTypeError("expected CK:CS[:read|write|read_write]")
    perm = parts[2] if len(parts) == 3 else "read_write"
    if perm not in ("read", "write", "read_write"):
        raise argparse.ArgumentTypeError("permission must be read, write or read_write")
    return parts[0], parts[1], perm


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="woostore.py", description="WooCommerce 10 compatible REST test store (wc/v3).",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, required=True, help="port to listen on (HTTP, or HTTPS if only "
                                                             "--tls-cert/--tls-key are given); 0: a free one")
    ap.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    ap.add_argument("--tls-port", type=int, help="additional HTTPS port serving the same store")
    ap.add_argument("--tls-cert", help="PEM certificate for HTTPS")
    ap.add_argument("--tls-key", help="PEM private key for HTTPS")
    ap.add_argument("--products", type=int, default=20, help="number of products to seed (default 20)")
    ap.add_argument("--seed", type=int, default=0, help="seed for the deterministic catalogue (default 0)")
    ap.add_argument("--latency-ms", type=float, default=0, help="latency added to every API request")
    ap.add_argument("--timezone", default="Europe/Berlin", help="site timezone (default Europe/Berlin)")
    ap.add_argument("--key", action="append", type=parse_key, metavar="CK:CS[:PERM]",
                    help="accepted API key (repeatable; permission defaults to read_write)")
    ap.add_argument("--quiet", action="store_true", help="no per-request logging on stderr")
    args = ap.parse_args(argv)

    if bool(args.tls_cert) != bool(args.tls_key):
        ap.error("--tls-cert and --tls-key go together")
    # Port 0 lets the system pick a free port; the "listening on" lines say which.
    if args.tls_port is not None and not args.tls_cert:
        ap.error("--tls-port needs --tls-cert and --tls-key")

    app = App(products=args.products, seed=args.seed, keys=args.key, latency_ms=args.latency_ms,
              quiet=args.quiet, timezone=args.timezone)
    servers = []
    ctx = make_ssl_context(args.tls_cert, args.tls_key) if args.tls_cert else None
    if ctx is not None and args.tls_port is None:
        servers.append(StoreServer((args.host, args.port), app, ctx))
    else:
        servers.append(StoreServer((args.host, args.port), app, None))
        if ctx is not None:
            servers.append(StoreServer((args.host, args.tls_port), app, ctx))

    stop = threading.Event()

    def _stop(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    threads = []
    for srv in servers:
        t = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
        t.start()
        threads.append(t)
    for srv in servers:
        host, port = srv.server_address[:2]
        print("woostore listening on %s://%s:%d" % ("https" if srv.is_tls else "http", host, port))
    sys.stdout.flush()
    try:
        while not stop.wait(0.5):
            pass
    finally:
        for srv in servers:
            srv.shutdown()
            srv.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
