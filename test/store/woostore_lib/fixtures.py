"""Loads objects as the REST API shows them into the store (POST /__store/load).

The conformance test seeds the store with a capture's own catalogue state before replaying it.
Only what WooCommerce stores is taken from an object (its data store's props: names, prices,
dates, stock, terms, meta, ...); what WooCommerce computes when it answers (price, on_sale,
price_html, purchasable, permalink, related_ids, variations, stock status of managed stock,
backordered, counts, totals, ...) is left to the store, so a replay still checks the store's own
computations. Objects are upserted by id; `next_ids` positions the id sequences so that objects a
replay creates get the ids the capture shows.
"""
import datetime as _dt
import json

from .common import WPError, parse_rest_date, sanitize_title
from .state import blank_product, clone_post

# next_ids key -> Store attribute holding the next id of that sequence
SEQUENCES = {"post": "next_post_id", "term": "next_term_id", "attribute": "next_attr_id",
             "meta": "next_meta_id", "user": "next_user_id", "comment": "next_comment_id",
             "order_item": "next_order_item_id", "order_item_meta": "next_order_item_meta_id",
             "user_meta": "next_user_meta_id", "tax_rate": "next_tax_rate_id", "zone": "next_zone_id",
             "instance": "next_instance_id", "webhook": "next_webhook_id"}


def _gmt(obj, key):
    """The naive UTC datetime of obj[key + "_gmt"] (None when null or absent)."""
    raw = obj.get(key + "_gmt")
    if raw in (None, ""):
        return None
    parsed = parse_rest_date(raw)
    if parsed is None:
        raise WPError("woostore_bad_fixture", "%s_gmt is not a date: %r" % (key, raw), 400)
    d, off = parsed
    return d - off if off is not None else d


def _ensure_term(store, taxonomy, ref):
    """The id of the term {id, name, slug}: created with that id when missing, renamed if needed."""
    load_term(store, taxonomy, ref)
    return int(ref["id"])


def _ensure_media(store, img):
    mid = int(img["id"])
    if mid not in store.media:
        when = _gmt(img, "date_created") or store.now()
        m = store.add_media(img.get("src") or "", img.get("name"), img.get("alt") or "", media_id=mid, when=when)
        m["date_modified"] = _gmt(img, "date_modified") or when
    return mid


def _global_options(store, attr_id, names):
    attr = store.attributes.get(attr_id)
    if attr is None:
        raise WPError("woostore_bad_fixture", "unknown attribute id %s" % attr_id, 400)
    ids = []
    for name in names:
        t = store.term_by_name(attr["slug"], name) or store.add_term(attr["slug"], name)
        ids.append(t["id"])
    return ids


def _product_attributes(store, items):
    out = []
    for a in items:
        common = {"position": a.get("position", 0), "visible": bool(a.get("visible")),
                  "variation": bool(a.get("variation"))}
        if a.get("id"):
            out.append(dict(common, id=int(a["id"]), name="", options=_global_options(store, int(a["id"]),
                                                                                    a.get("options", []))))
        else:
            out.append(dict(common, id=0, name=a.get("name", ""), options=list(a.get("options", []))))
    return out


def _variation_attributes(store, items):
    out = []
    for a in items:
        if a.get("id"):
            attr = store.attributes[int(a["id"])]
            t = store.term_by_name(attr["slug"], a.get("option", ""))
            out.append({"id": attr["id"], "name": attr["slug"],
                        "option": t["slug"] if t else sanitize_title(a.get("option", ""))})
        else:
            out.append({"id": 0, "name": a.get("name", ""), "option": a.get("option", "")})
    return out


# Stored props taken as they are (REST member -> internal key is the same name).
_PLAIN_PROPS = ("status", "featured", "catalog_visibility", "description", "short_description", "sku",
                "global_unique_id", "regular_price", "sale_price", "total_sales", "virtual", "downloadable",
                "download_limit", "download_expiry", "external_url", "button_text", "tax_status", "tax_class",
                "manage_stock", "stock_quantity", "backorders", "low_stock_amount", "sold_individually",
                "weight", "shipping_class_id", "reviews_allowed", "average_rating", "rating_count", "purchase_note",
                "menu_order", "post_password", "stock_status")
_LIST_PROPS = ("upsell_ids", "cross_sell_ids", "grouped_products")


def load_product(store, obj, parent_id=None):
    """Upserts a product or variation from its REST form (products or variations endpoint)."""
    pid = int(obj["id"])
    is_var = obj.get("type") == "variation"
    old = store.posts.get(pid)
    if old is not None and (old["kind"] == "variation") != is_var:
        # the capture's object of that id is of the other kind: it replaces the seeded one
        parent = store.posts.get(old["parent_id"])
        if parent is not None and pid in parent["children"]:
            parent["children"].remove(pid)
        store.remove_post(pid)
        store.reindex_sku(dict(old, sku=""), old["sku"])
        old = None
    p = clone_post(old) if old is not None else blank_product(store, pid, "variation" if is_var else "product")
    for key in _PLAIN_PROPS:
        if key in obj:
            p[key] = obj[key]
    if "average_rating" in obj and obj["average_rating"] == "0.00":
        p["average_rating"] = "0"       # view context formats the stored "0"
    for key in _LIST_PROPS:
        if key in obj:
            p[key] = list(obj[key])
    for key in ("date_created", "date_modified"):
        if key + "_gmt" in obj:
            p[key] = _gmt(obj, key)
    for key in ("date_on_sale_from", "date_on_sale_to"):
        if key + "_gmt" in obj:
            p[key] = _gmt(obj, key)
    if "dimensions" in obj:
        p["dimensions"] = dict(obj["dimensions"])
    if "downloads" in obj:
        p["downloads"] = [dict(d) for d in obj["downloads"]]
    if "meta_data" in obj:
        p["meta_data"] = [{"id": m["id"], "key": m["key"], "value": m["value"]} for m in obj["meta_data"]]
        store.next_meta_id = max([store.next_meta_id] + [int(m["id"]) + 1 for m in obj["meta_data"]])
    if is_var:
        p["parent_id"] = int(parent_id if parent_id is not None else obj.get("parent_id") or 0)
        parent = store.posts.get(p["parent_id"])
        if parent is None:
            raise WPError("woostore_bad_fixture", "variation %d: parent %s not loaded" % (pid, p["parent_id"]), 400)
        p["name"] = parent["name"]
        if "attributes" in obj:
            p["attributes"] = _variation_attributes(store, obj["attributes"])
        if "image" in obj:
            p["image"] = _ensure_media(store, obj["image"]) if obj["image"] else None
        elif "images" in obj:
            p["image"] = _ensure_media(store, obj["images"][0]) if obj["images"] else None
        if pid not in parent["children"]:
            parent["children"].append(pid)
    else:
        for key in ("name", "slug", "type"):
            if key in obj:
                p[key] = obj[key]
        if "parent_id" in obj:
            p["parent_id"] = int(obj["parent_id"])
        if "categories" in obj:
            p["categories"] = [_ensure_term(store, "product_cat", c) for c in obj["categories"]]
        if "tags" in obj:
            p["tags"] = [_ensure_term(store, "product_tag", t) for t in obj["tags"]]
        if "brands" in obj:
            p["brands"] = [_ensure_term(store, "product_brand", t) for t in obj["brands"]]
        if "images" in obj:
            p["images"] = [_ensure_media(store, i) for i in obj["images"]]
        if "attributes" in obj:
            p["attributes"] = _product_attributes(store, obj["attributes"])
        if "variations" in obj and p["type"] == "variable":
            # the capture's variations: ids it lists and no others (variations it does not list
            # were deleted in its history); ids not loaded yet are loaded by "variations"
            keep = [int(v) for v in obj["variations"]]
            for vid in p["children"]:
                if vid not in keep and vid in store.posts:
                    gone = store.remove_post(vid)
                    store.reindex_sku(dict(gone, sku=""), gone["sku"])
            p["children"] = keep
        if "default_attributes" in obj:
            p["default_attributes"] = [{"id": d["id"], "name": d["name"], "option": d["option"]}
                                       for d in obj["default_attributes"]]
    old_sku = old["sku"] if old is not None else None
    store.put_post(p)
    store.reindex_sku(p, old_sku)
    store.next_post_id = max(store.next_post_id, pid + 1)
    return p


def load_term(store, taxonomy, obj):
    """Upserts a category, tag or attribute term from its REST form (counts are computed)."""
    tid = int(obj["id"])
    t = store.terms.get(tid)
    if t is None:
        t = store.add_term(taxonomy, obj["name"], slug=obj.get("slug"), term_id=tid)
        store.next_term_id = max(store.next_term_id, tid + 1)
    t["taxonomy"] = taxonomy
    for key in ("name", "slug", "description", "menu_order", "display"):
        if key in obj:
            t[key] = obj[key]
    if "parent" in obj:
        t["parent"] = int(obj["parent"])
    if "image" in obj:
        t["image"] = _ensure_media(store, obj["image"]) if obj["image"] else None
    return t


def load_attribute(store, obj):
    aid = int(obj["id"])
    a = store.attributes.get(aid)
    if a is None:
        a = store.add_attribute(obj["name"], obj["slug"])
        del store.attributes[a["id"]]
        a["id"] = aid
        store.attributes[aid] = a
        store.next_attr_id = max(store.next_attr_id, aid + 1)
    for key in ("name", "slug", "type", "order_by", "has_archives"):
        if key in obj:
            a[key] = obj[key]
    return a


_ORDER_DATES = ("date_created", "date_modified", "date_completed", "date_paid")
_ORDER_COMPUTED = ("payment_url", "_links", "number", "refunds", "is_editable", "needs_payment",
                   "needs_processing", "currency_symbol") + tuple(d + "_gmt" for d in _ORDER_DATES) + _ORDER_DATES


def load_order(store, obj):
    """Upserts an order: its members as stored, dates from the *_gmt members."""
    oid = int(obj["id"])
    o = {k: v for k, v in obj.items() if k not in _ORDER_COMPUTED}
    o["_dates"] = {d: _gmt(obj, d) for d in _ORDER_DATES}
    store.orders[oid] = o
    store.next_post_id = max(store.next_post_id, oid + 1)
    return o


def load_customer(store, obj):
    cid = int(obj["id"])
    c = {k: v for k, v in obj.items() if k not in ("_links", "date_created", "date_created_gmt",
                                                      "date_modified", "date_modified_gmt", "avatar_url")}
    c["_created"] = _gmt(obj, "date_created")
    c["_modified"] = _gmt(obj, "date_modified")
    store.customers[cid] = c
    store.next_user_id = max(store.next_user_id, cid + 1)
    return c


def _parent_from_links(obj):
    """The order id of a note or refund, from its _links.up (".../orders/2050")."""
    href = obj["_links"]["up"][0]["href"]
    return int(href.rstrip("/").rsplit("/", 1)[1])


def load_order_note(store, obj):
    nid = int(obj["id"])
    store.order_notes[nid] = {"id": nid, "order_id": _parent_from_links(obj), "author": obj["author"],
                              "_date": _gmt(obj, "date_created"), "note": obj["note"],
                              "customer_note": obj["customer_note"]}
    store.next_comment_id = max(store.next_comment_id, nid + 1)


def load_refund(store, obj):
    rid = int(obj["id"])
    store.refunds[rid] = {"id": rid, "parent_id": _parent_from_links(obj), "_date": _gmt(obj, "date_created"),
                          "amount": obj["amount"], "reason": obj["reason"], "refunded_by": obj["refunded_by"],
                          "refunded_payment": obj["refunded_payment"], "meta_data": obj["meta_data"],
                          "line_items": obj["line_items"]}
    store.next_post_id = max(store.next_post_id, rid + 1)


def _zone_from_links(obj):
    href = obj["_links"]["describes"][0]["href"]
    return int(href.rstrip("/").rsplit("/", 1)[1])


def load_zone(store, obj):
    z = store.zones.setdefault(int(obj["id"]), {"id": int(obj["id"]), "locations": []})
    z.update(name=obj["name"], order=obj["order"])
    store.next_zone_id = max(store.next_zone_id, z["id"] + 1)


def load_zone_location(store, obj):
    z = store.zones[_zone_from_links(obj)]
    z["locations"].append({"code": obj["code"], "type": obj["type"]})


def load_zone_method(store, obj):
    iid = int(obj["instance_id"])
    store.zone_methods[iid] = {"instance_id": iid, "zone_id": _zone_from_links(obj), "method_id": obj["method_id"],
                               "order": obj["order"], "enabled": obj["enabled"],
                               "values": {k: s["value"] for k, s in obj["settings"].items() if s["value"] is not None}}
    store.next_instance_id = max(store.next_instance_id, iid + 1)


def load_coupon(store, obj):
    cid = int(obj["id"])
    c = {k: v for k, v in obj.items() if not k.startswith("date_") and k != "_links"}
    c["_dates"] = {d: _gmt(obj, d) for d in ("date_created", "date_modified", "date_expires")}
    for key in ("usage_limit", "usage_limit_per_user", "limit_usage_to_x_items"):
        c[key] = c[key] or 0
    store.coupons[cid] = c
    store.next_post_id = max(store.next_post_id, cid + 1)


def load_review(store, obj):
    rid = int(obj["id"])
    store.reviews[rid] = {"id": rid, "product_id": obj["product_id"], "_date": _gmt(obj, "date_created"),
                          "reviewer": obj["reviewer"], "reviewer_email": obj["reviewer_email"],
                          "review": obj["review"], "status": obj["status"], "rating": obj["rating"],
                          "verified": obj["verified"]}
    store.next_comment_id = max(store.next_comment_id, rid + 1)


def load_webhook(store, obj):
    wid = int(obj["id"])
    store.webhooks[wid] = {"id": wid, "name": obj["name"], "status": obj["status"], "topic": obj["topic"],
                           "delivery_url": obj["delivery_url"], "_created": _gmt(obj, "date_created"),
                           "_modified": _gmt(obj, "date_modified"), "secret": obj.get("secret", "")}
    store.next_webhook_id = max(store.next_webhook_id, wid + 1)


def load(store, body):
    """POST /__store/load: {"categories": [...], "tags": [...], "attributes": [...],
    "attribute_terms": {"<attribute id>": [...]}, "products": [...],
    "variations": {"<parent id>": [...]}, "customers": [...], "orders": [...],
    "order_notes": [...], "refunds": [...] (their order from _links.up),
    "replace": ["orders", "customers"] (empties them first), "next_ids": {"post": N, ...}}, each
    object as the API shows it. Returns what was loaded."""
    if not isinstance(body, dict):
        raise ValueError("body must be a JSON object")
    unknown = set(body) - {"products", "variations", "next_ids", "categories", "tags", "attributes",
                           "attribute_terms", "orders", "customers", "replace", "order_notes", "refunds",
                           "shipping_classes", "brands", "zones", "zone_locations", "zone_methods",
                           "options", "gateways", "coupons", "reviews", "webhooks"}
    if unknown:
        raise ValueError("unknown member(s) %s" % ", ".join(sorted(unknown)))
    body = _unhost(body)
    counts = {}
    with store.lock:
        for obj in body.get("categories", []):
            load_term(store, "product_cat", obj)
        for obj in body.get("tags", []):
            load_term(store, "product_tag", obj)
        for obj in body.get("shipping_classes", []):
            load_term(store, "product_shipping_class", obj)
        for obj in body.get("brands", []):
            load_term(store, "product_brand", obj)
        for obj in body.get("zones", []):
            load_zone(store, obj)
        for obj in body.get("zone_locations", []):
            load_zone_location(store, obj)
        for obj in body.get("zone_methods", []):
            load_zone_method(store, obj)
        store.options.update(body.get("options") or {})
        for obj in body.get("coupons", []):
            load_coupon(store, obj)
        for obj in body.get("reviews", []):
            load_review(store, obj)
        for obj in body.get("webhooks", []):
            load_webhook(store, obj)
        for obj in body.get("gateways", []):
            store.gateways[obj["id"]] = {k: v for k, v in obj.items() if k != "_links"}
        for obj in body.get("attributes", []):
            load_attribute(store, obj)
        for attr_id, objs in (body.get("attribute_terms") or {}).items():
            taxonomy = store.attributes[int(attr_id)]["slug"]
            for obj in objs:
                load_term(store, taxonomy, obj)
        for name in body.get("replace", []):
            if name not in ("orders", "customers"):
                raise ValueError("replace: only orders and customers can be emptied")
            getattr(store, name).clear()
        for obj in body.get("customers", []):
            load_customer(store, obj)
        for obj in body.get("orders", []):
            load_order(store, obj)
        for obj in body.get("order_notes", []):
            load_order_note(store, obj)
        for obj in body.get("refunds", []):
            load_refund(store, obj)
        for obj in body.get("products", []):
            load_product(store, obj)
            counts["products"] = counts.get("products", 0) + 1
        for parent_id, objs in (body.get("variations") or {}).items():
            for obj in objs:
                load_product(store, dict(obj, type="variation"), int(parent_id))
                counts["variations"] = counts.get("variations", 0) + 1
        for name, value in (body.get("next_ids") or {}).items():
            if name not in SEQUENCES:
                raise ValueError("next_ids: unknown sequence %r (known: %s)" % (name, ", ".join(sorted(SEQUENCES))))
            setattr(store, SEQUENCES[name], int(value))
        store.touch()
    return counts


_CAPTURE_HOSTS = ("https://127.0.0.1:8443", "https://127.0.0.1:8080", "http://127.0.0.1:8080")


def _unhost(obj):
    """Objects keep addresses as the store's data files do (schema.DATA_HOST), so answers carry
    the address of the request they answer."""
    from .schema import DATA_HOST
    text = json.dumps(obj, ensure_ascii=False)
    for h in _CAPTURE_HOSTS:
        text = text.replace(h, DATA_HOST)
    return json.loads(text)


def parse_clock(value):
    """A capture's HTTP Date header or a REST date -> naive UTC datetime."""
    if isinstance(value, str) and value[:3].isalpha():
        return _dt.datetime.strptime(value, "%a, %d %b %Y %H:%M:%S GMT")
    parsed = parse_rest_date(value)
    if parsed is None:
        raise ValueError("not a date: %r" % (value,))
    d, off = parsed
    return d - off if off is not None else d
