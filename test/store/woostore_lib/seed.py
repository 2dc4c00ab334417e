"""Deterministic seed catalogue (no wall-clock dependence)."""
import datetime as _dt
import hashlib
import random

from .common import kses_normalize, sanitize_title
from .state import SEED_BASE, UNCATEGORIZED_ID, blank_product
from . import coupons, gateways, reviews, settings, shipping, taxes, webhooks

# Each resource module's seed(store) (called after the catalogue, customers and orders).
RESOURCE_SEEDS = (taxes.seed, shipping.seed, settings.seed, gateways.seed, coupons.seed, reviews.seed,
                  webhooks.seed)

# name, sku, regular, sale, category slugs, tag names, extra
SHOWCASE = [
    ("Plain Ceramic Mug", "MUG-PLAIN", "11.00", "", ["kuche"], [], {"weight": "0.30"}),
    ("Café Crème Mug ☕", "MUG-CAFE", "12.50", "9.99", ["kuche"], ["Gift idea", "Sale"],
     {"manage_stock": True, "stock_quantity": 25, "weight": "0.25",
      "description": "<p>This is <strong>Café Crème Mug ☕</strong> – a product with <em>HTML</em> in its description.</p>"
                     "<ul><li>Point one</li><li>Pünkt zwei &amp; drei</li></ul>",
      "short_description": "<p>Short: <a href=\"https://example.test/\">link</a> — ok</p>",
      "meta": [("_custom_note", "meta value 1")]}),
    ("日本茶 Green Tea (100g)", "TEA-JP-100", "8.90", "", ["kuche"], ["Öko"],
     {"manage_stock": True, "stock_quantity": 40}),
    ("Emoji Socks 🧦", "SOCKS-EMOJI", "6.00", "4.50", ["accessories"], ["Sale"],
     {"manage_stock": True, "stock_quantity": 3}),
    ("Ünïcödé Τ-shirt «Ελληνικά»", "TEE-UNI", "19.99", "", ["t-shirts"], ["Limited"], {}),
    ("Café Crème — Größe XL", "CAFE-CREME-XL", "24.00", "", ["hoodies"], ["New arrival"],
     {"description": "Größe XL — weich &amp; warm.\n\nZweiter Absatz."}),
    ("Salt & Pepper Set", "SALT-PEPPER", "15.00", "", ["kuche"], ["Gift idea"], {"featured": True}),
    ("Bücher & Medien Sampler", "", "9.00", "", ["buecher-medien"], [], {}),
    ("日本茶", "TEA-JP", "5.50", "", ["kuche"], ["Öko"], {}),
    ("Scented Candle", "CANDLE-01", "14.00", "", ["decor"], ["Gift idea"],
     {"manage_stock": True, "stock_quantity": 100, "images": ["candle.jpg"]}),
    ("Sold-out Poster", "POSTER-OOS", "7.00", "5.00", ["decor"], [],
     {"manage_stock": True, "stock_quantity": 0, "sale_window": True}),
    ("Draft Product (unpublished)", "DRAFT-01", "1.00", "", ["decor"], [], {"status": "draft"}),
    ("Backorder Lamp", "LAMP-BO", "49.00", "", ["decor"], [],
     {"manage_stock": True, "stock_quantity": 0, "backorders": "notify"}),
    ("E-Book: WooCommerce & PostgreSQL", "", "4.99", "", ["buecher-medien"], ["New arrival"],
     {"virtual": True, "downloadable": True}),
    ("Private Test Item", "PRIVATE-01", "2.00", "", ["decor"], [], {"status": "private"}),
    ("Pending Review Item", "PENDING-01", "3.00", "", ["accessories"], [], {"status": "pending"}),
]

CATEGORIES = [  # id, name, slug, parent
    (15, "Uncategorized", "uncategorized", 0),
    (16, "Clothing", "clothing", 0),
    (17, "T-Shirts", "t-shirts", 16),
    (18, "Hoodies", "hoodies", 16),
    (19, "Accessories", "accessories", 0),
    (20, "Bücher & Medien", "buecher-medien", 0),
    (21, "Décor", "decor", 0),
    (22, "Küche", "kuche", 21),
]
TAGS = [(23, "Sale"), (24, "New arrival"), (25, "Limited"), (26, "Öko"), (27, "Gift idea")]
COLOR_TERMS = [(28, "Red"), (29, "Blue"), (30, "Green"), (31, "Schwarz")]
SIZE_TERMS = [(32, "S"), (33, "M"), (34, "L"), (35, "XL")]
SEED_MEDIA = {5: "hoodie-front.jpg", 6: "hoodie-back.jpg", 7: "tee-logo.png", 8: "candle.jpg", 9: "category-decor.webp"}


def _media_src(fname):
    return "https://images.woostore.test/wp-content/uploads/2025/03/" + fname


def _h(*parts):
    return int(hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:12], 16)


def seed_store(store, n_products, seed):
    base = SEED_BASE
    for mid, fname in SEED_MEDIA.items():
        store.add_media(_media_src(fname), media_id=mid, when=base - _dt.timedelta(days=1))
    for tid, name, slug, parent in CATEGORIES:
        store.add_term("product_cat", name, slug=slug, parent=parent, term_id=tid,
                       image=9 if slug == "decor" else None)
    for tid, name in TAGS:
        store.add_term("product_tag", name, term_id=tid)
    color = store.add_attribute("Color", "pa_color")
    size = store.add_attribute("Size", "pa_size")
    for i, (tid, name) in enumerate(COLOR_TERMS):
        store.add_term("pa_color", name, term_id=tid)
    for i, (tid, name) in enumerate(SIZE_TERMS):
        store.add_term("pa_size", name, term_id=tid, menu_order=i)
    store.next_term_id = 36
    store.next_post_id = 10
    store._seed_rng = random.Random(seed)
    store._seed_seq = 0
    store.seed_info = {"simple": [], "variable": {}, "bulk_first": None}
    n = max(0, int(n_products))
    showcase_n = min(n, len(SHOWCASE) + 2)
    # ids 10..25: simple showcase; 26 variable hoodie (27-34); 35 variable tee (36-39)
    for idx in range(min(showcase_n, len(SHOWCASE))):
        _seed_simple(store, SHOWCASE[idx])
    if showcase_n > len(SHOWCASE):
        _seed_hoodie(store, color, size)
    if showcase_n > len(SHOWCASE) + 1:
        _seed_tee(store, color)
    store.seeded_count = showcase_n
    seed_bulk(store, n - showcase_n)
    _seed_customers_orders(store)
    for seed_resource in RESOURCE_SEEDS:
        seed_resource(store)
    store.touch()


def _next_dates(store):
    created = SEED_BASE + _dt.timedelta(minutes=store._seed_seq)
    store._seed_seq += 1
    return created


def _cat_ids(store, slugs):
    out = []
    for s in slugs:
        t = store.term_by_slug("product_cat", s)
        if t:
            out.append(t["id"])
    return out or [UNCATEGORIZED_ID]


def _tag_ids(store, names):
    out = []
    for nme in names:
        t = store.term_by_name("product_tag", nme)
        if t:
            out.append(t["id"])
    return out


def _register(store, p):
    store.posts[p["id"]] = p
    if p["sku"]:
        store.sku_owner[p["sku"]] = p["id"]


def _seed_simple(store, spec):
    name, sku, reg, sale, cats, tags, extra = spec
    pid = store.new_post_id()
    p = blank_product(store, pid)
    created = _next_dates(store)
    p["date_created"] = p["date_modified"] = created
    p["name"] = kses_normalize(name)
    p["slug"] = store.unique_post_slug(sanitize_title(name))
    p["sku"] = sku
    p["regular_price"] = reg
    p["sale_price"] = sale
    p["categories"] = _cat_ids(store, cats)
    p["tags"] = _tag_ids(store, tags)
    p["description"] = kses_normalize(extra.get("description", "<p>%s — seeded <em>showcase</em> product.</p>" % name))
    p["short_description"] = kses_normalize(extra.get("short_description", ""))
    p["average_rating"] = "0"
    for k in ("manage_stock", "stock_quantity", "weight", "featured", "status", "backorders", "virtual",
              "downloadable"):
        if k in extra:
            p[k] = extra[k]
    if extra.get("sale_window"):
        p["date_on_sale_from"] = _dt.datetime(2099, 1, 1, 0, 0, 0)
        p["date_on_sale_to"] = _dt.datetime(2099, 1, 31, 22, 59, 59)
    if extra.get("downloadable"):
        p["downloads"] = [{"id": "5f2a1c0e-0000-4000-8000-000000000001", "name": "ebook.pdf",
                           "file": "https://downloads.woostore.test/ebook.pdf"}]
        p["download_limit"] = 5
        p["download_expiry"] = 30
    for fname in extra.get("images", []):
        for mid, f in SEED_MEDIA.items():
            if f == fname:
                p["images"].append(mid)
    for key, value in extra.get("meta", []):
        p["meta_data"].append({"id": store.new_meta_id(), "key": key, "value": value})
    if p["manage_stock"]:
        p["stock_status"] = store.derived_stock_status(p)
    _register(store, p)
    store.seed_info["simple"].append(pid)
    return p


def _seed_hoodie(store, color, size):
    pid = store.new_post_id()  # 26
    p = blank_product(store, pid)
    created = _next_dates(store)
    p.update({"date_created": created, "date_modified": created + _dt.timedelta(seconds=1),
              "name": "Classic Hoodie", "slug": store.unique_post_slug("classic-hoodie"), "type": "variable",
              "sku": "HOODIE-CLASSIC",
              "description": "<p>A <b>variable</b> hoodie in several colours &amp; sizes.</p>",
              "categories": [18], "tags": [24], "images": [5, 6], "average_rating": "0"})
    p["attributes"] = [
        {"id": color["id"], "name": "", "position": 0, "visible": True, "variation": True, "options": [29, 28, 31]},
        {"id": size["id"], "name": "", "position": 1, "visible": True, "variation": True, "options": [32, 33, 34]},
    ]
    p["default_attributes"] = [{"id": color["id"], "name": "Color", "option": "blue"},
                               {"id": size["id"], "name": "Size", "option": "m"}]
    _register(store, p)
    combos = [("red", "s", "39.00", ""), ("red", "m", "45.00", ""), ("red", "l", "49.00", ""),
              ("blue", "s", "39.00", ""), ("blue", "m", "45.00", "35.00"), ("blue", "l", "49.00", ""),
              ("schwarz", "m", "45.00", ""), ("schwarz", "l", "49.00", "")]
    for i, (c, s, reg, sale) in enumerate(combos):
        vid = store.new_post_id()
        v = blank_product(store, vid, kind="variation")
        v.update({"parent_id": pid, "date_created": created, "date_modified": created,
                  "name": "Classic Hoodie", "slug": "classic-hoodie-%d" % (i + 1),
                  "sku": "HOODIE-%s-%s" % (c.upper(), s.upper()), "regular_price": reg, "sale_price": sale,
                  "manage_stock": True, "stock_quantity": 10 + i, "weight": "0.6",
                  "attributes": [{"id": color["id"], "name": "pa_color", "option": c},
                                 {"id": size["id"], "name": "pa_size", "option": s}]})
        v["image"] = 5 if c == "blue" else None
        _register(store, v)
        p["children"].append(vid)
    store.seed_info["variable"][pid] = list(p["children"])


def _seed_tee(store, color):
    pid = store.new_post_id()  # 35
    p = blank_product(store, pid)
    created = _next_dates(store)
    p.update({"date_created": created, "date_modified": created, "name": "Logo T-Shirt",
              "slug": store.unique_post_slug("logo-t-shirt"), "type": "variable", "sku": "TEE-LOGO",
              "description": "<p>Logo tee — one global attribute (color) and one custom attribute.</p>",
              "categories": [17], "images": [7], "average_rating": "0"})
    p["attributes"] = [
        {"id": color["id"], "name": "", "position": 0, "visible": True, "variation": True, "options": [30, 28]},
        {"id": 0, "name": "Material", "position": 1, "visible": True, "variation": True,
         "options": ["Baumwolle", "Polyester"]},
    ]
    _register(store, p)
    combos = [("green", "Baumwolle", "17.00", "TEE-LOGO-GREEN-BW"), ("green", "Polyester", "18.00", "TEE-LOGO-GREEN-PE"),
              ("red", "Baumwolle", "20.00", "TEE-LOGO-RED-BW"), ("red", "", "19.00", "")]
    for i, (c, mat, reg, sku) in enumerate(combos):
        vid = store.new_post_id()
        v = blank_product(store, vid, kind="variation")
        v.update({"parent_id": pid, "date_created": created, "date_modified": created, "name": "Logo T-Shirt",
                  "slug": "logo-t-shirt-%d" % (i + 1), "sku": sku, "regular_price": reg,
                  "attributes": [{"id": color["id"], "name": "pa_color", "option": c},
                                 {"id": 0, "name": "Material", "option": mat}]})
        _register(store, v)
        p["children"].append(vid)
    store.seed_info["variable"][pid] = list(p["children"])


_BULK_CATS = [19, 21, 22, 17, 18, 20, 16]
_ADJ = ["Classic", "Modern", "Rustic", "Compact", "Deluxe", "Eco", "Vintage", "Smart", "Soft", "Bold"]
_NOUN = ["Mug", "Lamp", "Chair", "Scarf", "Notebook", "Bottle", "Basket", "Blanket", "Clock", "Vase"]


def seed_bulk(store, count):
    """Add `count` simple products named "Bulk catalog item N" (SKU BULK-NNNNN, every 10th without SKU)."""
    if count <= 0:
        return
    rng = store._seed_rng
    start = store.seeded_count - min(store.seeded_count, len(SHOWCASE) + 2)
    posts = store.posts
    for k in range(start + 1, start + count + 1):
        pid = store.new_post_id()
        p = blank_product(store, pid)
        created = _next_dates(store)
        p["date_created"] = created
        p["date_modified"] = created + _dt.timedelta(days=1) if k % 5 == 0 else created
        nm = "Bulk catalog item %d" % k
        if k % 3 == 0:
            nm = "%s %s %d" % (_ADJ[k % 10], _NOUN[(k // 10) % 10], k)
        if k % 25 == 0:
            nm = nm + " & More"
        p["name"] = kses_normalize(nm)
        p["slug"] = sanitize_title(nm)
        p["sku"] = "" if k % 10 == 0 else "BULK-%05d" % k
        cents = 199 + rng.randrange(0, 9800)
        p["regular_price"] = "%d.%02d" % (cents // 100, cents % 100)
        if k % 7 == 0:
            sc = max(99, cents - 100 - rng.randrange(0, 500))
            p["sale_price"] = "%d.%02d" % (sc // 100, sc % 100)
        p["categories"] = [_BULK_CATS[k % len(_BULK_CATS)]]
        if k % 4 == 0:
            p["tags"] = [23 + (k // 4) % 5]
        if k % 13 == 0:
            p["manage_stock"] = True
            p["stock_quantity"] = rng.randrange(0, 60)
            p["stock_status"] = "instock" if p["stock_quantity"] > 0 else "outofstock"
        elif k % 17 == 0:
            p["stock_status"] = "outofstock"
        if k % 11 == 0:
            p["featured"] = True
        p["weight"] = "%.2f" % (0.1 + (k % 50) / 10.0)
        p["description"] = "<p>Bulk seeded product number %d.</p>" % k
        p["short_description"] = ""
        p["total_sales"] = (k * 37) % 101
        if k % 9 == 0:
            p["average_rating"] = "%.2f" % (1 + (k % 40) / 10.0)
            p["rating_count"] = 1 + k % 7
        p["menu_order"] = 0
        if k % 50 == 0:
            p["images"] = [8]
        posts[pid] = p
        if p["sku"]:
            store.sku_owner[p["sku"]] = pid
        if store.seed_info["bulk_first"] is None:
            store.seed_info["bulk_first"] = pid
    store.seeded_count += count
    store.touch()


def _seed_customers_orders(store):
    base = SEED_BASE + _dt.timedelta(days=30)
    people = [("ana.lima@example.com", "Ana", "Lima", "Rua A 1", "Lisboa", "1000-001", "PT", "+351000000"),
              ("jonas.mueller@example.com", "Jonas", "Müller", "Hauptstraße 5", "Berlin", "10115", "DE", "+4930000000"),
              ("yuki.tanaka@example.com", "Yuki", "Tanaka", "1-2-3 Shibuya", "Tokyo", "150-0002", "JP", "")]
    for i, (email, fn, ln, addr, city, pc, country, phone) in enumerate(people):
        cid = store.next_user_id
        store.next_user_id += 1
        when = base + _dt.timedelta(hours=i)
        billing = {"first_name": fn, "last_name": ln, "company": "", "address_1": addr, "address_2": "",
                   "city": city, "postcode": pc, "country": country, "state": "", "email": email, "phone": phone}
        shipping = {k: v for k, v in billing.items() if k not in ("email",)}
        shipping["phone"] = ""
        store.customers[cid] = {
            "id": cid, "_created": when, "_modified": when, "email": email, "first_name": fn, "last_name": ln,
            "role": "customer", "username": email.split("@")[0], "billing": billing, "shipping": shipping,
            "is_paying_customer": i == 0,
            "avatar_url": "https://secure.gravatar.com/avatar/%s?s=96&d=mm&r=g" % hashlib.sha256(email.encode()).hexdigest(),
            "meta_data": [{"id": store.new_meta_id(), "key": "wc_last_active", "value": "1740960000"}]}
    items_spec = [[(11, 0, 2)], [(26, 31, 1), (12, 0, 3)], [(19, 0, 1)]]
    statuses = ["processing", "completed", "pending"]
    for i, spec in enumerate(items_spec):
        if any(pid not in store.posts for pid, _, _ in spec):
            continue
        oid = store.new_post_id()
        when = base + _dt.timedelta(days=1, hours=i)
        cust_id = 2 + i if i < 2 else 0
        lines, total = [], 0.0
        for li, (pid, vid, qty) in enumerate(spec):
            prod = store.posts[vid or pid]
            price = float(store.active_price(prod) or 0)
            total += price * qty
            lines.append({"id": 100 + oid * 10 + li, "name": store.posts[pid]["name"], "product_id": pid,
                          "variation_id": vid, "quantity": qty, "tax_class": "", "subtotal": "%.2f" % (price * qty),
                          "subtotal_tax": "0.00", "total": "%.2f" % (price * qty), "total_tax": "0.00", "taxes": [],
                          "meta_data": [], "sku": prod["sku"], "price": price,
                          "image": {"id": "", "src": ""}, "parent_name": store.posts[pid]["name"] if vid else None})
        cust = store.customers.get(cust_id)
        billing = dict(cust["billing"]) if cust else {
            "first_name": "Guest", "last_name": "", "company": "", "address_1": "", "address_2": "", "city": "",
            "state": "", "postcode": "", "country": "", "email": "guest@example.com", "phone": ""}
        shipping = dict(cust["shipping"]) if cust else {
            "first_name": "", "last_name": "", "company": "", "address_1": "", "address_2": "", "city": "",
            "state": "", "postcode": "", "country": "", "phone": ""}
        status = statuses[i]
        key = "wc_order_" + hashlib.sha1(("order%d" % oid).encode()).hexdigest()[:13]
        paid = when if status in ("processing", "completed") else None
        store.orders[oid] = {
            "id": oid, "parent_id": 0, "status": status, "currency": "EUR", "version": "10.0.2",
            "prices_include_tax": False, "discount_total": "0.00", "discount_tax": "0.00",
            "shipping_total": "0.00", "shipping_tax": "0.00", "cart_tax": "0.00", "total": "%.2f" % total,
            "total_tax": "0.00", "customer_id": cust_id, "order_key": key, "billing": billing,
            "shipping": shipping, "payment_method": "bacs" if paid else "",
            "payment_method_title": "Direct Bank Transfer" if paid else "", "transaction_id": "",
            "customer_ip_address": "", "customer_user_agent": "", "created_via": "rest-api", "customer_note": "",
            "cart_hash": "", "number": str(oid), "meta_data": [], "line_items": lines, "tax_lines": [],
            "shipping_lines": [], "fee_lines": [], "coupon_lines": [], "refunds": [],
            "is_editable": status == "pending", "needs_payment": status == "pending",
            "needs_processing": True, "currency_symbol": "€",
            "_dates": {"date_created": when, "date_modified": when,
                       "date_completed": when if status == "completed" else None, "date_paid": paid}}
