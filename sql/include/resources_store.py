#!/usr/bin/env python3
"""The resource suites' (40-49) setup in the test store, made through the
store's own REST API as a shop manager would, so that reads are tested
against data the extension did not write:

  resources_store.py seed     order notes and a refund on order 43, coupons,
                              reviews, tax rates, a zone with locations and
                              methods, webhooks; then the request log is cleared
  resources_store.py get PATH GET /wp-json/wc/v3/PATH, the JSON answer on stdout

Environment from scripts/lib.sh start_store; HTTPS with the default
read/write key."""
import base64, json, os, ssl, sys, urllib.request

BASE = os.environ["WOO_STORE_HTTPS"] + "/wp-json/wc/v3/"
CTX = ssl.create_default_context(cafile=os.environ["WOO_STORE_CA_FILE"])
AUTH = "Basic " + base64.b64encode(b"ck_test_readwrite_0000000000000000000000000:"
                                   b"cs_test_readwrite_0000000000000000000000000").decode()


def call(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(BASE + path, data=data, method=method,
                                 headers={"Authorization": AUTH, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, context=CTX) as r:
        return json.load(r)


def seed():
    # Orders 42 (processing), 43 (completed), 44 (pending) are seeded by the store.
    call("POST", "orders/43/notes", {"note": "Parcel handed to DHL.", "customer_note": True})
    call("POST", "orders/43/notes", {"note": "Customer asked for gift wrap."})
    call("POST", "orders/42/notes", {"note": "Waiting for stock."})
    call("POST", "orders/43/refunds", {"amount": "5.00", "reason": "Scratched box", "api_refund": False})
    call("POST", "coupons", {"code": "SUMMER10", "discount_type": "percent", "amount": "10"})
    call("POST", "coupons", {"code": "welcome5", "discount_type": "fixed_cart", "amount": "5"})
    call("POST", "products/reviews", {"product_id": 11, "review": "Lovely mug.", "reviewer": "Ana Lima",
                                      "reviewer_email": "ana.lima@example.com", "rating": 5})
    call("POST", "products/reviews", {"product_id": 11, "review": "Chipped on arrival.", "reviewer": "Bo",
                                      "reviewer_email": "bo@example.com", "rating": 2, "status": "hold"})
    call("POST", "products/reviews", {"product_id": 12, "review": "Fresh tea.", "reviewer": "Yuki Tanaka",
                                      "reviewer_email": "yuki.tanaka@example.com", "rating": 4})
    call("POST", "taxes", {"country": "DE", "rate": "19", "name": "MwSt", "class": "standard"})
    call("POST", "taxes", {"country": "DE", "rate": "7", "name": "MwSt ermäßigt", "class": "reduced-rate"})
    zone = call("POST", "shipping/zones", {"name": "Deutschland", "order": 1})
    call("PUT", "shipping/zones/%d/locations" % zone["id"], [{"code": "DE", "type": "country"}])
    call("POST", "shipping/zones/%d/methods" % zone["id"],
         {"method_id": "flat_rate", "settings": {"title": "DHL Paket", "cost": "4.90"}})
    call("POST", "shipping/zones/%d/methods" % zone["id"], {"method_id": "free_shipping", "enabled": False})
    # Delivery URLs no delivery reaches (port 9 is refused before connecting);
    # the active one listens to a topic nothing here fires.
    call("POST", "webhooks", {"name": "Restored coupons", "topic": "coupon.restored",
                              "delivery_url": "http://127.0.0.1:9/hooks/coupons", "secret": "s3cr3t-coupon-hook"})
    call("POST", "webhooks", {"name": "Orders", "topic": "order.updated", "status": "paused",
                              "delivery_url": "http://127.0.0.1:9/hooks/orders"})
    urllib.request.urlopen(urllib.request.Request(os.environ["WOO_STORE_HTTP"] + "/__store/requests",
                                                  method="DELETE")).read()


def main():
    if sys.argv[1:2] == ["seed"]:
        seed()
    elif sys.argv[1:2] == ["get"] and len(sys.argv) == 3:
        print(json.dumps(call("GET", sys.argv[2]), ensure_ascii=False, sort_keys=True))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
