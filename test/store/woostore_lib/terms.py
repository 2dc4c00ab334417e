"""Product brands and shipping classes: WordPress terms served by WooCommerce's terms controller.

Sources: Version3/class-wc-rest-terms-controller.php (list, create with term_exists, update,
delete needing force), class-wc-rest-product-brands-controller.php (the category shape),
class-wc-rest-product-shipping-classes-controller.php; captures real/56, 56b.
"""
from .common import WPError, collation_key, kses_normalize, sanitize_title
from .crud import Resource
from .listing import _ids
from .serialize import links, media_json
from . import schema as sch


class TermResource(Resource):
    taxonomy = None
    rest_base = None
    hierarchical = False
    object_type = "term"
    default_orderby = "name"
    default_order = "asc"

    def records(self, req, parent):
        return self.store.terms_of(self.taxonomy)

    def counts(self):
        raise NotImplementedError

    def select(self, req, p, items):
        st = self.store
        if p.get("include"):
            s = set(_ids(p["include"]))
            items = [t for t in items if t["id"] in s]
        if p.get("exclude"):
            s = set(_ids(p["exclude"]))
            items = [t for t in items if t["id"] not in s]
        if self.hierarchical and p.get("parent") is not None and "parent" in p:
            items = [t for t in items if t["parent"] == p["parent"]]
        if p.get("slug"):
            slugs = set(sch.parse_list(p["slug"]))
            items = [t for t in items if t["slug"] in slugs]
        if p.get("search"):
            s = p["search"].lower()
            items = [t for t in items if s in t["name"].lower() or s in t["slug"].lower()]
        if p.get("hide_empty"):
            counts = self.counts()
            items = [t for t in items if counts.get(t["id"], 0) > 0]
        if p.get("product"):
            prod = st.posts.get(p["product"])
            ids = set(self.product_terms(prod)) if prod is not None else set()
            items = [t for t in items if t["id"] in ids]
        return items

    def product_terms(self, p):
        raise NotImplementedError

    def sort_keys(self):
        counts = self.counts()
        return {"name": lambda t: collation_key(t["name"]), "id": lambda t: 0, "slug": lambda t: t["slug"],
                "term_group": lambda t: 0, "description": lambda t: t["description"],
                "count": lambda t: counts.get(t["id"], 0), "include": lambda t: 0}

    def find(self, req, parent, oid):
        t = self.store.terms.get(oid)
        return t if t is not None and t["taxonomy"] == self.taxonomy else None

    def invalid_id(self, status):
        return WPError("woocommerce_rest_term_invalid", "Resource does not exist.", 404)

    def trash_not_supported(self):
        return WPError("woocommerce_rest_trash_not_supported", "Resource does not support trashing.", 501)

    def location(self, req, rec):
        return "%s/wp-json/wc/v3/%s/%d" % (req.base, self.rest_base, rec["id"])

    def _links(self, req, t):
        return links(req.base, "/wp-json/wc/v3/%s/%d" % (self.rest_base, t["id"]), "/wp-json/wc/v3/" + self.rest_base)

    def create(self, req, parent, data):
        st = self.store
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            raise WPError("empty_term_name", "A name is required for this term.", 400)
        parent_id = int(data.get("parent") or 0) if self.hierarchical else 0
        if parent_id and self.find(req, None, parent_id) is None:
            raise WPError("woocommerce_rest_term_invalid", "Parent resource does not exist.", 404)
        existing = st.term_by_name(self.taxonomy, name, parent_id if self.hierarchical else None)
        if existing is None and data.get("slug"):
            existing = st.term_by_slug(self.taxonomy, sanitize_title(data["slug"]))
        if existing is not None:
            msg = ("A term with the name provided already exists with this parent." if self.hierarchical
                   else "A term with the name provided already exists in this taxonomy.")
            raise WPError("term_exists", msg, 400, resource_id=existing["id"])
        t = st.add_term(self.taxonomy, name, slug=sanitize_title(data.get("slug") or name), parent=parent_id,
                        description=kses_normalize(data.get("description") or ""),
                        menu_order=int(data.get("menu_order") or 0), display=data.get("display") or "default")
        self._image(t, data)
        return t

    def _image(self, t, data):
        pass

    def update(self, req, parent, rec, data):
        st = self.store
        if data.get("name"):
            rec["name"] = kses_normalize(data["name"])
        if data.get("slug"):
            rec["slug"] = st.unique_term_slug(self.taxonomy, sanitize_title(data["slug"]), rec["id"])
        if "description" in data:
            rec["description"] = kses_normalize(data["description"] or "")
        if self.hierarchical:
            if "parent" in data:
                pid = int(data["parent"] or 0)
                if pid and self.find(req, None, pid) is None:
                    raise WPError("woocommerce_rest_term_invalid", "Parent resource does not exist.", 400)
                rec["parent"] = pid
            if "menu_order" in data:
                rec["menu_order"] = int(data["menu_order"] or 0)
            if "display" in data:
                rec["display"] = data["display"]
            self._image(rec, data)
        st.touch()
        return rec


class ProductBrands(TermResource):
    name = "brands"
    taxonomy = "product_brand"
    rest_base = "products/brands"
    collection_key = "/wc/v3/products/brands"
    hierarchical = True

    def counts(self):
        out = {}
        for p in self.store.posts.values():
            if p["kind"] == "product" and p["status"] == "publish":
                for b in p["brands"]:
                    out[b] = out.get(b, 0) + 1
        return out

    def product_terms(self, p):
        return p.get("brands", [])

    def _image(self, t, data):
        if "image" in data:
            img = data["image"]
            if isinstance(img, dict) and img.get("id"):
                if int(img["id"]) not in self.store.media:
                    raise WPError("woocommerce_product_invalid_image_id", "#%s is an invalid image ID." % img["id"], 400)
                t["image"] = int(img["id"])
            elif isinstance(img, dict) and img.get("src"):
                info = self.store.upload_image(img["src"], img.get("name"), img.get("alt") or "")
                t["image"] = self.store.add_media(info["src"], info.get("name"), info.get("alt") or "")["id"]
            else:
                t["image"] = None

    def render(self, req, t, context):
        out = {"id": t["id"], "name": t["name"], "slug": t["slug"], "parent": t["parent"],
               "description": t["description"], "display": t["display"],
               "image": media_json(self.store, t["image"]) if t["image"] else None, "menu_order": t["menu_order"],
               "count": self.counts().get(t["id"], 0), "_links": self._links(req, t)}
        if t["parent"]:
            out["_links"]["up"] = [{"href": "%s/wp-json/wc/v3/%s/%d" % (req.base, self.rest_base, t["parent"])}]
        return out

    def remove(self, req, parent, rec, force):
        st = self.store
        del st.terms[rec["id"]]
        for p in st.posts.values():
            if rec["id"] in p["brands"]:
                p["brands"] = [b for b in p["brands"] if b != rec["id"]]
        for t in st.terms.values():
            if t["taxonomy"] == self.taxonomy and t["parent"] == rec["id"]:
                t["parent"] = rec["parent"]
        st.touch()


class ShippingClasses(TermResource):
    name = "shipping_classes"
    taxonomy = "product_shipping_class"
    rest_base = "products/shipping_classes"
    collection_key = "/wc/v3/products/shipping_classes"

    def counts(self):
        out = {}
        for p in self.store.posts.values():
            if p["status"] == "publish" and p["shipping_class_id"]:
                out[p["shipping_class_id"]] = out.get(p["shipping_class_id"], 0) + 1
        return out

    def product_terms(self, p):
        return [p["shipping_class_id"]] if p["shipping_class_id"] else []

    def render(self, req, t, context):
        return {"id": t["id"], "name": t["name"], "slug": t["slug"], "description": t["description"],
                "count": self.counts().get(t["id"], 0), "_links": self._links(req, t)}

    def remove(self, req, parent, rec, force):
        st = self.store
        del st.terms[rec["id"]]
        for p in st.posts.values():
            if p["shipping_class_id"] == rec["id"]:
                p["shipping_class_id"] = 0
        st.touch()
