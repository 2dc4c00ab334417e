"""In-memory WooCommerce data: products, variations, terms, attributes, orders, customers.

All objects are kept as plain dicts with raw ("edit" context) values; dates are naive UTC
datetimes. Serialisation to the REST shapes lives in serialize.py.
"""
import bisect
import copy
import datetime as _dt
import itertools
import random
import re
import threading
import time

from .common import (WPError, kses_normalize, sanitize_title, wc_format_decimal, price_decimal,
                     get_timezone, utc_to_local, local_to_utc, parse_rest_date, to_bool)

# Fixed base date for seeded objects (no wall-clock dependence): 2025-03-03 09:00:00 UTC.
SEED_BASE = _dt.datetime(2025, 3, 3, 9, 0, 0)
FIRST_POST_ID = 10
FIRST_TERM_ID = 15
FIRST_USER_ID = 2
UNCATEGORIZED_ID = 15
IMAGE_EXTS = ("jpg", "jpeg", "jpe", "gif", "png", "bmp", "tiff", "tif", "ico", "webp")

PRODUCT_STATUSES = ("draft", "pending", "private", "publish", "future")

# Store options the REST answers depend on, as the first capture's store had them (real/17:
# weights in lbs, dimensions in inches).
DEFAULT_OPTIONS = {"woocommerce_weight_unit": "lbs", "woocommerce_dimension_unit": "in"}

# Catalogue versions are unique for the life of the process (also across resets), so a cache
# entry made for one state can never be mistaken for another state.
_VERSIONS = itertools.count(1)
# Upper bound of the rendered-JSON cache (bytes); beyond it, objects are rendered but not kept.
RENDER_CACHE_LIMIT = 256 * 1024 * 1024


class Store:
    def __init__(self, products=20, seed=0, timezone="Europe/Berlin"):
        self.lock = threading.RLock()
        self.timezone_name = timezone
        self.tz = get_timezone(timezone)
        self.frozen_now = None
        self._seeding = False
        self._pidx = None
        self.reset(products, seed)

    # ------------------------------------------------------------------ clock
    def now(self):
        if self.frozen_now is not None:
            return self.frozen_now
        return _dt.datetime.utcnow().replace(microsecond=0)

    def set_timezone(self, name):
        self.tz = get_timezone(name)
        self.timezone_name = name

    def units(self):
        return {"weight": self.options["woocommerce_weight_unit"],
                "dimension": self.options["woocommerce_dimension_unit"]}

    def to_local(self, dt):
        return utc_to_local(dt, self.tz) if dt is not None else None

    # ------------------------------------------------------------------ reset / seed
    def reset(self, products=20, seed=0):
        with self.lock:
            self.seed_value = seed
            self.posts = {}          # products and variations by id
            self.media = {}          # attachment id -> dict
            self.terms = {}          # term id -> dict (product_cat, product_tag, pa_*)
            self.attributes = {}     # attribute id -> dict
            self.orders = {}
            self.customers = {}
            self.sku_owner = {}      # sku -> post id (non-trashed)
            self.next_post_id = FIRST_POST_ID
            self.next_term_id = FIRST_TERM_ID
            self.next_attr_id = 1
            self.next_meta_id = 1000
            self.next_user_id = FIRST_USER_ID
            self.next_comment_id = 1          # product reviews and order notes (WordPress comments)
            self.next_order_item_id = 1       # order line items (woocommerce_order_items)
            self.next_order_item_meta_id = 1  # their meta rows (woocommerce_order_itemmeta)
            self.next_user_meta_id = 1        # wp_usermeta rows of customers the API creates
            self.order_notes = {}
            self.refunds = {}
            self.seeded_count = 0
            self.options = dict(DEFAULT_OPTIONS)   # WordPress options (the settings API)
            self._pidx = None
            self.touch()
            from . import seed as seedmod
            self._seeding = True
            try:
                seedmod.seed_store(self, products, seed)
            finally:
                self._seeding = False
                self._pidx = None

    def add_products(self, n):
        from . import seed as seedmod
        with self.lock:
            # seeding writes self.posts directly: the post indexes are rebuilt afterwards
            self._pidx = None
            self._seeding = True
            try:
                seedmod.seed_bulk(self, n)
            finally:
                self._seeding = False
                self._pidx = None

    def touch(self):
        """Every mutation of the catalogue ends here: drops every derived cache (the post indexes
        below are not caches of a version: they are kept in step with self.posts by every write)."""
        self.version = next(_VERSIONS)
        self._sale_bounds = None
        self._caches = {}
        self._caches_key = None
        self._cache_bytes = 0

    # ------------------------------------------------------------------ derived caches
    def render_key(self):
        """Everything besides the catalogue itself that rendering and filtering depend on: the site
        timezone and, for sale windows, where "now" lies among all date_on_sale_from/to values
        (is_on_sale() compares them strictly with now())."""
        bounds = self._sale_bounds
        if bounds is None:
            vals = set()
            for p in self.posts.values():
                if p["date_on_sale_from"] is not None:
                    vals.add(p["date_on_sale_from"])
                if p["date_on_sale_to"] is not None:
                    vals.add(p["date_on_sale_to"])
            bounds = self._sale_bounds = sorted(vals)
        if bounds:
            now = self.now()
            tkey = (bisect.bisect_left(bounds, now), bisect.bisect_right(bounds, now))
        else:
            tkey = None
        return (self.version, self.timezone_name, tkey)

    def cache(self, *name):
        """A dict valid for the current catalogue version, timezone and sale-window position.
        Must be used with self.lock held."""
        key = self.render_key()
        if key != self._caches_key:
            self._caches = {}
            self._caches_key = key
            self._cache_bytes = 0
        c = self._caches.get(name)
        if c is None:
            c = self._caches[name] = {}
        return c

    def cache_room(self, nbytes):
        """Accounts nbytes of cached rendering; False once the cache is full."""
        if self._cache_bytes + nbytes > RENDER_CACHE_LIMIT:
            return False
        self._cache_bytes += nbytes
        return True

    # ------------------------------------------------------------------ ids
    def new_post_id(self):
        pid = self.next_post_id
        self.next_post_id += 1
        return pid

    def new_term_id(self):
        tid = self.next_term_id
        self.next_term_id += 1
        return tid

    def new_comment_id(self):
        cid = self.next_comment_id
        self.next_comment_id += 1
        return cid

    def new_order_item_id(self):
        iid = self.next_order_item_id
        self.next_order_item_id += 1
        return iid

    def new_order_item_meta_id(self):
        mid = self.next_order_item_meta_id
        self.next_order_item_meta_id += 1
        return mid

    def new_user_meta_id(self):
        mid = self.next_user_meta_id
        self.next_user_meta_id += 1
        return mid

    def new_meta_id(self):
        mid = self.next_meta_id
        self.next_meta_id += 1
        return mid

    # ------------------------------------------------------------------ lookups
    def get_product(self, pid):
        p = self.posts.get(pid)
        return p if p is not None and p["kind"] == "product" else None

    def get_variation(self, vid):
        v = self.posts.get(vid)
        return v if v is not None and v["kind"] == "variation" else None

    def children(self, parent):
        return [self.posts[i] for i in parent.get("children", []) if i in self.posts]

    def terms_of(self, taxonomy):
        return [t for t in self.terms.values() if t["taxonomy"] == taxonomy]

    def attribute_by_taxonomy(self, taxonomy):
        for a in self.attributes.values():
            if a["slug"] == taxonomy:
                return a
        return None

    def term_by_name(self, taxonomy, name, parent=None):
        nn = kses_normalize(name).strip().lower()
        for t in self.terms.values():
            if t["taxonomy"] == taxonomy and t["name"].lower() == nn and (parent is None or t["parent"] == parent):
                return t
        return None

    def term_by_slug(self, taxonomy, slug):
        for t in self.terms.values():
            if t["taxonomy"] == taxonomy and t["slug"] == slug:
                return t
        return None

    def unique_term_slug(self, taxonomy, slug, exclude_id=None):
        base = slug or "term"
        cand, n = base, 2
        while any(t["taxonomy"] == taxonomy and t["slug"] == cand and t["id"] != exclude_id
                  for t in self.terms.values()):
            cand = "%s-%d" % (base, n)
            n += 1
        return cand

    def unique_post_slug(self, slug, exclude_id=None, kind="product"):
        base = slug or "product"
        idx = self._post_index()
        if idx is None:
            used = {p["slug"] for p in self.posts.values() if p["id"] != exclude_id and p["kind"] == kind}
            cand, n = base, 2
            while cand in used:
                cand = "%s-%d" % (base, n)
                n += 1
            return cand
        # same answer from the slug index: a slug is used when some post of that kind other than
        # exclude_id has it
        slugs = idx.slugs
        ex = self.posts.get(exclude_id) if exclude_id is not None else None
        ex_key = (ex["kind"], ex["slug"]) if ex is not None and ex["id"] == exclude_id else None

        def used(c):
            k = (kind, c)
            cnt = slugs.get(k, 0)
            if k == ex_key:
                cnt -= 1
            return cnt > 0
        cand, n = base, 2
        while used(cand):
            cand = "%s-%d" % (base, n)
            n += 1
        return cand

    # ------------------------------------------------------------------ post indexes
    # Indexes over self.posts, kept up to date incrementally by the write paths (put_post,
    # remove_post, unindex_post/index_post around in-place changes) so that creates and updates
    # cost O(1) instead of O(number of posts). They are built lazily on first use, dropped by
    # reset/seeding (which write self.posts directly) and by drop_post_indexes(). Each answers
    # exactly what a scan of self.posts would answer.
    def _post_index(self):
        if self._pidx is None and not self._seeding:
            idx = _PostIndex()
            for q in self.posts.values():
                idx.add(q)
            self._pidx = idx
        return self._pidx

    def drop_post_indexes(self):
        """For writes that change posts in place without the hooks (e.g. term deletion)."""
        self._pidx = None

    def index_post(self, p):
        if self._pidx is not None:
            self._pidx.add(p)

    def unindex_post(self, p):
        if self._pidx is not None:
            self._pidx.remove(p)

    def put_post(self, p):
        """self.posts[p["id"]] = p, keeping the indexes in step."""
        old = self.posts.get(p["id"])
        if old is not None:
            self.unindex_post(old)
        self.posts[p["id"]] = p
        self.index_post(p)

    def remove_post(self, pid):
        """self.posts.pop(pid, None), keeping the indexes in step."""
        p = self.posts.pop(pid, None)
        if p is not None:
            self.unindex_post(p)
        return p

    def gtin_holders(self, gtin):
        """Ids of the posts whose global_unique_id is gtin (any status), or None without index."""
        idx = self._post_index()
        if idx is None:
            return None
        return idx.gtins.get(gtin, ())

    # ------------------------------------------------------------------ terms
    def add_term(self, taxonomy, name, slug=None, parent=0, description="", menu_order=0, term_id=None,
                 display="default", image=None):
        tid = term_id if term_id is not None else self.new_term_id()
        name = kses_normalize(name)
        t = {"id": tid, "taxonomy": taxonomy, "name": name,
             "slug": self.unique_term_slug(taxonomy, sanitize_title(slug or name)),
             "parent": parent, "description": description, "menu_order": menu_order,
             "display": display, "image": image}
        self.terms[tid] = t
        self.touch()
        return t

    def add_attribute(self, name, slug=None, order_by="menu_order", has_archives=False, type_="select"):
        aid = self.next_attr_id
        self.next_attr_id += 1
        s = sanitize_title(slug or name)
        if not s.startswith("pa_"):
            s = "pa_" + s
        a = {"id": aid, "name": kses_normalize(name), "slug": s, "type": type_, "order_by": order_by,
             "has_archives": bool(has_archives)}
        self.attributes[aid] = a
        self.touch()
        return a

    def term_counts(self):
        """{term_id: number of published (non-variation) products using it}."""
        counts = {}
        for p in self.posts.values():
            if p["kind"] != "product" or p["status"] != "publish":
                continue
            for tid in p["categories"]:
                counts[tid] = counts.get(tid, 0) + 1
            for tid in p["tags"]:
                counts[tid] = counts.get(tid, 0) + 1
            for a in p["attributes"]:
                if a["id"]:
                    for tid in a["options"]:
                        counts[tid] = counts.get(tid, 0) + 1
        return counts

    # ------------------------------------------------------------------ media
    def add_media(self, src, name=None, alt="", media_id=None, when=None):
        mid = media_id if media_id is not None else self.new_post_id()
        fname = src.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
        title = name if name else (fname.rsplit(".", 1)[0] if "." in fname else fname)
        when = when or self.now()
        m = {"id": mid, "src": src, "name": title, "alt": alt or "", "date_created": when, "date_modified": when}
        self.media[mid] = m
        return m

    def upload_image(self, src, name=None, alt=""):
        """Simulated sideload: validates the URL, returns a new media dict (not yet committed)."""
        src_s = src if isinstance(src, str) else ""
        if not re.match(r"^https?://[^/\s]+", src_s, re.I):
            raise WPError("woocommerce_product_image_upload_error",
                          "Error getting remote image %s. Error: A valid URL was not provided." % src_s, 400)
        host = re.match(r"^https?://([^/:\s]+)", src_s, re.I).group(1).lower()
        path = src_s.split("?")[0]
        if host.endswith(".invalid") or "/404" in path:
            raise WPError("woocommerce_product_image_upload_error",
                          "Error getting remote image %s. Error: Not Found" % src_s, 400)
        ext = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
        if ext not in IMAGE_EXTS:
            raise WPError("woocommerce_product_image_upload_error", "Invalid image: Invalid image type.", 400)
        return {"src": src_s, "name": name, "alt": alt}

    # ------------------------------------------------------------------ sku
    def sku_conflict(self, sku, own_id):
        if not sku:
            return None
        owner = self.sku_owner.get(sku)
        if owner is not None and owner != own_id and owner in self.posts and self.posts[owner]["status"] != "trash":
            return owner
        return None

    def unique_sku_suggestion(self, sku):
        n = 1
        while True:
            cand = "%s-%d" % (sku, n)
            if cand not in self.sku_owner:
                return cand
            n += 1

    def reindex_sku(self, p, old_sku=None):
        if old_sku and self.sku_owner.get(old_sku) == p["id"]:
            del self.sku_owner[old_sku]
        if p["sku"] and p["status"] != "trash":
            self.sku_owner[p["sku"]] = p["id"]
        elif p["sku"] and self.sku_owner.get(p["sku"]) == p["id"]:
            del self.sku_owner[p["sku"]]

    # ------------------------------------------------------------------ product prices / derived
    def is_on_sale(self, p):
        if p["kind"] == "product" and p["type"] == "variable":
            return any(self.is_on_sale(v) for v in self.children(p) if v["status"] == "publish")
        sale, reg = p["sale_price"], p["regular_price"]
        if sale == "":
            return False
        fs, fr = price_decimal(sale), price_decimal(reg)
        if fs is None or fr is None or not fr > fs:
            return False
        now = self.now()
        if p["date_on_sale_from"] and p["date_on_sale_from"] > now:
            return False
        if p["date_on_sale_to"] and p["date_on_sale_to"] < now:
            return False
        return True

    def active_price(self, p):
        if p["kind"] == "product" and p["type"] == "variable":
            prices = self.variation_prices(p)
            return min(prices, key=lambda x: x[0])[1] if prices else ""
        return p["sale_price"] if self.is_on_sale(p) else p["regular_price"]

    def variation_prices(self, parent):
        out = []
        for v in self.children(parent):
            if v["status"] != "publish":
                continue
            ap = self.active_price(v)
            f = price_decimal(ap)
            if f is not None:
                out.append((f, ap))
        return out

    def derived_stock_status(self, p):
        if p["kind"] == "product" and p["type"] == "variable":
            kids = [v for v in self.children(p) if v["status"] == "publish"]
            if not kids:
                return p["stock_status"] if p["stock_status"] else "outofstock"
            st = [self.derived_stock_status(v) for v in kids]
            if "instock" in st:
                return "instock"
            if "onbackorder" in st:
                return "onbackorder"
            return "outofstock"
        if p["manage_stock"] and p["stock_quantity"] is not None:
            if p["stock_quantity"] > 0:
                return "instock"
            return "onbackorder" if p["backorders"] in ("yes", "notify") else "outofstock"
        return p["stock_status"]

    def related_ids(self, p):
        if p["kind"] != "product":
            return []
        idx = self._post_index()
        if idx is None:
            idx = _PostIndex()
            for q in self.posts.values():
                idx.add(q)
        related = idx.related
        empty = ()
        cands = set()
        for c in p["categories"]:
            lst = related.get(("c", c), empty)
            if len(lst) > 12:
                start = (p["id"] * 7) % len(lst)
                lst = lst[start:start + 12] + lst[:max(0, start + 12 - len(lst))]
            cands.update(lst)
        for t in p["tags"]:
            lst = related.get(("t", t), empty)
            cands.update(lst[:12])
        cands.discard(p["id"])
        ordered = sorted(cands, key=lambda i: ((i * 2654435761 + p["id"]) % 1000003, i))
        return ordered[:5]

    # ------------------------------------------------------------------ queries
    def product_matches_date(self, p, field, bound, op, gmt):
        """Strict date comparison as WP_Query date_query (inclusive=false)."""
        val = p[field]
        if not gmt:
            val = self.to_local(val)
        return val > bound if op == "after" else val < bound

    def date_bound(self, raw):
        """WP date_query value: naive -> as-is; with offset -> converted to site-local."""
        parsed = parse_rest_date(raw)
        d, off = parsed
        if off is None:
            return d
        return self.to_local(d - off)


class _PostIndex:
    """related: ("c", category id) / ("t", tag id) -> ascending ids of the published products
    having it (one entry per occurrence, as a full scan would list them); slugs: (kind, slug) ->
    number of posts; gtins: global_unique_id -> ids of the posts having it."""
    __slots__ = ("related", "slugs", "gtins")

    def __init__(self):
        self.related = {}
        self.slugs = {}
        self.gtins = {}

    @staticmethod
    def _related_keys(p):
        if p["kind"] != "product" or p["status"] != "publish":
            return ()
        return [("c", c) for c in p["categories"]] + [("t", t) for t in p["tags"]]

    def add(self, p):
        pid = p["id"]
        related = self.related
        for k in self._related_keys(p):
            lst = related.get(k)
            if lst is None:
                related[k] = [pid]
            elif lst[-1] <= pid:
                lst.append(pid)
            else:
                bisect.insort(lst, pid)
        sk = (p["kind"], p["slug"])
        self.slugs[sk] = self.slugs.get(sk, 0) + 1
        g = p["global_unique_id"]
        if g:
            s = self.gtins.get(g)
            if s is None:
                s = self.gtins[g] = set()
            s.add(pid)

    def remove(self, p):
        pid = p["id"]
        related = self.related
        for k in self._related_keys(p):
            lst = related[k]
            i = bisect.bisect_left(lst, pid)
            del lst[i]
            if not lst:
                del related[k]
        sk = (p["kind"], p["slug"])
        n = self.slugs[sk] - 1
        if n:
            self.slugs[sk] = n
        else:
            del self.slugs[sk]
        g = p["global_unique_id"]
        if g:
            s = self.gtins[g]
            s.discard(pid)
            if not s:
                del self.gtins[g]


def blank_product(store, pid, kind="product"):
    now = store.now()
    p = {
        "id": pid, "kind": kind, "parent_id": 0, "name": "", "slug": "", "date_created": now,
        "date_modified": now, "type": "simple" if kind == "product" else "variation", "status": "publish",
        "featured": False, "catalog_visibility": "visible", "description": "", "short_description": "",
        "sku": "", "global_unique_id": "", "regular_price": "", "sale_price": "", "date_on_sale_from": None,
        "date_on_sale_to": None, "total_sales": 0, "virtual": False, "downloadable": False, "downloads": [],
        "download_limit": -1, "download_expiry": -1, "external_url": "", "button_text": "",
        "tax_status": "taxable", "tax_class": "" if kind == "product" else "parent", "manage_stock": False,
        "stock_quantity": None, "backorders": "no", "low_stock_amount": None, "stock_status": "instock",
        "sold_individually": False, "weight": "", "dimensions": {"length": "", "width": "", "height": ""},
        "shipping_class_id": 0, "reviews_allowed": True, "average_rating": "0", "rating_count": 0,
        "upsell_ids": [], "cross_sell_ids": [], "purchase_note": "", "categories": [], "tags": [], "brands": [],
        "images": [], "image": None, "attributes": [], "default_attributes": [], "children": [],
        "grouped_products": [], "menu_order": 0, "meta_data": [], "post_password": "",
    }
    return p


def clone_post(p):
    q = dict(p)
    for k in ("downloads", "upsell_ids", "cross_sell_ids", "categories", "tags", "brands", "images", "children",
              "grouped_products"):
        q[k] = list(p[k])
    q["dimensions"] = dict(p["dimensions"])
    q["attributes"] = [dict(a, options=list(a.get("options", []))) if "options" in a else dict(a)
                       for a in p["attributes"]]
    q["default_attributes"] = [dict(a) for a in p["default_attributes"]]
    q["meta_data"] = [dict(m) for m in p["meta_data"]]
    return q
