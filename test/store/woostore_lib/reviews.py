"""Product reviews (WordPress comments of type review; ids shared with order notes).

Source: Version3/class-wc-rest-product-reviews-controller.php (get_items, create_item,
update_item, delete_item: force answers {"deleted": true, "previous": ...}, a trash answers the
review after trashing, get_review: "Invalid review ID." 404 for every method), wc_allow_comment's
duplicate check, class-wc-comments.php (verified owner, average rating and rating count of the
product); captures real/55, 55b, 55c.
"""
import hashlib

from .common import WPError, kses_normalize, wpautop
from .crud import Resource
from .listing import _ids
from . import schema as sch

STATUSES = {"approved": "approved", "approve": "approved", "1": "approved", "hold": "hold", "0": "hold",
            "spam": "spam", "trash": "trash"}


def seed(store):
    store.reviews = {}


def avatar_urls(email):
    h = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return {str(s): "https://secure.gravatar.com/avatar/%s?s=%d&d=mm&r=g" % (h, s) for s in (24, 48, 96)}


def bought(store, email, product_id):
    """wc_customer_bought_product(): a paid (processing/completed) order of that billing e-mail
    with a line of the product or one of its variations."""
    email = email.strip().lower()
    for o in store.orders.values():
        if o["status"] in ("processing", "completed") and o["billing"]["email"].lower() == email:
            if any(li["product_id"] == product_id or li["variation_id"] == product_id for li in o["line_items"]):
                return True
    return False


def update_product_rating(store, product_id):
    """WC_Comments: the product's average of approved ratings ("4.00") and their count."""
    p = store.posts.get(product_id)
    if p is None:
        return
    ratings = [r["rating"] for r in store.reviews.values()
               if r["product_id"] == product_id and r["status"] == "approved" and r["rating"] > 0]
    store.unindex_post(p)
    p["rating_count"] = len(ratings)
    p["average_rating"] = "%.2f" % (sum(ratings) / len(ratings)) if ratings else "0"
    store.index_post(p)


class Reviews(Resource):
    name = "reviews"
    object_type = "review"
    collection_key = "/wc/v3/products/reviews"
    trash = True
    default_orderby = "date_gmt"

    def records(self, req, parent):
        return self.store.reviews.values()

    def select(self, req, p, items):
        st = self.store
        status = p.get("status", "approved")
        if status == "all":
            items = [r for r in items if r["status"] in ("approved", "hold")]
        else:
            items = [r for r in items if r["status"] == status]
        if p.get("product"):
            s = set(_ids(p["product"]))
            items = [r for r in items if r["product_id"] in s]
        if p.get("reviewer_email"):
            items = [r for r in items if r["reviewer_email"].lower() == p["reviewer_email"].lower()]
        if p.get("reviewer"):
            s = set(_ids(p["reviewer"]))
            items = [r for r in items if 0 in s]
        if p.get("reviewer_exclude"):
            if 0 in set(_ids(p["reviewer_exclude"])):
                items = []
        if p.get("include"):
            s = set(_ids(p["include"]))
            items = [r for r in items if r["id"] in s]
        if p.get("exclude"):
            s = set(_ids(p["exclude"]))
            items = [r for r in items if r["id"] not in s]
        if p.get("search"):
            s = p["search"].lower()
            items = [r for r in items if s in r["review"].lower() or s in r["reviewer"].lower()
                     or s in r["reviewer_email"].lower()]
        for param, after in (("after", True), ("before", False)):
            if p.get(param):
                bound = st.date_bound(p[param])
                items = [r for r in items if (st.to_local(r["_date"]) > bound) == after]
        return items

    def sort_keys(self):
        return {"date_gmt": lambda r: r["_date"], "date": lambda r: r["_date"], "id": lambda r: 0,
                "product": lambda r: r["product_id"]}

    def find(self, req, parent, oid):
        return self.store.reviews.get(oid)

    def invalid_id(self, status):
        return WPError("woocommerce_rest_review_invalid_id", "Invalid review ID.", 404)

    def exists_error(self):
        return WPError("woocommerce_rest_review_exists", "Cannot create existing product review.", 400)

    def render(self, req, r, context):
        st = self.store
        p = st.posts.get(r["product_id"])
        from .serialize import product_permalink
        out = {"id": r["id"], "date_created": st.to_local(r["_date"]).strftime("%Y-%m-%dT%H:%M:%S"),
               "date_created_gmt": r["_date"].strftime("%Y-%m-%dT%H:%M:%S"), "product_id": r["product_id"],
               "product_name": p["name"] if p else "", "product_permalink": product_permalink(st, req.base, p) if p else "",
               "status": r["status"], "reviewer": r["reviewer"], "reviewer_email": r["reviewer_email"],
               "review": r["review"] if context == "edit" else wpautop(r["review"]), "rating": r["rating"],
               "verified": r["verified"], "reviewer_avatar_urls": avatar_urls(r["reviewer_email"])}
        href = "%s/wp-json/wc/v3/products/reviews" % req.base
        out["_links"] = {"self": [{"href": "%s/%d" % (href, r["id"]),
                                   "targetHints": {"allow": ["GET", "POST", "PUT", "PATCH", "DELETE"]}}],
                         "collection": [{"href": href}]}
        if r["product_id"]:
            out["_links"]["up"] = [{"href": "%s/wp-json/wc/v3/products/%d" % (req.base, r["product_id"])}]
        return out

    def location(self, req, rec):
        return "%s/wp-json/wc/v3/products/reviews/%d" % (req.base, rec["id"])

    def _product_or_404(self, pid):
        p = self.store.posts.get(_int(pid))
        if p is None or p["kind"] != "product":
            raise WPError("woocommerce_rest_product_invalid_id", "Invalid product ID.", 404)
        return p

    def create(self, req, parent, data):
        st = self.store
        p = self._product_or_404(data.get("product_id"))
        content = data.get("review")
        if not content:
            raise WPError("woocommerce_rest_review_content_invalid", "Invalid review content.", 400)
        reviewer, email = str(data.get("reviewer") or ""), str(data.get("reviewer_email") or "")
        if any(r["product_id"] == p["id"] and r["review"] == content and
               (r["reviewer"] == reviewer or (email and r["reviewer_email"] == email)) for r in st.reviews.values()):
            raise WPError("woocommerce_rest_comment_duplicate",
                          "Duplicate comment detected; it looks as though you&#8217;ve already said that!", 409)
        r = {"id": st.new_comment_id(), "product_id": p["id"], "_date": st.now(), "reviewer": reviewer,
             "reviewer_email": email, "review": kses_normalize(str(content)), "status": "approved",
             "rating": _int(data.get("rating")) if data.get("rating") else 0,
             "verified": bought(st, email, p["id"])}
        st.reviews[r["id"]] = r
        self._status(r, data.get("status", "approved"))
        update_product_rating(st, p["id"])
        st.touch()
        return r

    def _status(self, r, status):
        if status in ("unspam", "untrash"):
            r["status"] = r.get("_previous_status", "approved")
        elif status in STATUSES:
            if STATUSES[status] == "trash":
                r["_previous_status"] = r["status"]
            r["status"] = STATUSES[status]

    def update(self, req, parent, r, data):
        st = self.store
        old_product = r["product_id"]
        if data.get("product_id"):
            r["product_id"] = self._product_or_404(data["product_id"])["id"]
        if "review" in data and data["review"] is not None:
            if not data["review"]:
                raise WPError("woocommerce_rest_review_content_invalid", "Invalid review content.", 400)
            r["review"] = kses_normalize(str(data["review"]))
        for key in ("reviewer", "reviewer_email"):
            if data.get(key) is not None:
                r[key] = str(data[key])
        if data.get("status") is not None:
            self._status(r, data["status"])
        if data.get("rating"):
            r["rating"] = _int(data["rating"])
        for pid in {old_product, r["product_id"]}:
            update_product_rating(st, pid)
        st.touch()
        return r

    def delete_response(self, req, r, force):
        """delete_item(): force answers {"deleted", "previous"}; otherwise the trashed review."""
        st = self.store
        if force:
            previous = self.render(req, r, "edit")
            del st.reviews[r["id"]]
            update_product_rating(st, r["product_id"])
            st.touch()
            return {"deleted": True, "previous": previous}
        if r["status"] == "trash":
            raise WPError("woocommerce_rest_already_trashed", "The object has already been trashed.", 410)
        self._status(r, "trash")
        update_product_rating(st, r["product_id"])
        st.touch()
        return self.render(req, r, "edit")


def _int(v):
    try:
        return int(float(v))
    except (TypeError, ValueError):
        return 0
