"""Customers and their downloads.

Sources: Version2/class-wc-rest-customers-v2-controller.php (create_item, update_item,
delete_item, update_customer_meta_fields), wc-user-functions.php (wc_create_new_customer,
wc_create_new_username), class-wc-customer-data-store.php; captures real/39, 39b.
"""
import copy
import hashlib
import re

from .common import WPError, collation_key
from .crud import Resource
from .listing import _ids
from .orders import _update_meta
from .serialize import links
from .webhook_delivery import fire as fire_webhooks

# a customer's address members come in another order than an order's (real/39)
BILLING = ("first_name", "last_name", "company", "address_1", "address_2", "city", "postcode", "country", "state",
           "email", "phone")
SHIPPING = ("first_name", "last_name", "company", "address_1", "address_2", "city", "postcode", "country", "state",
            "phone")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def avatar_url(email):
    return "https://secure.gravatar.com/avatar/%s?s=96&d=mm&r=g" % hashlib.sha256(
        email.strip().lower().encode()).hexdigest()


def customer_json(store, c, base):
    out = {"id": c["id"], "date_created": _local(store, c["_created"]), "date_created_gmt": _gmt(c["_created"]),
           "date_modified": _local(store, c["_modified"]), "date_modified_gmt": _gmt(c["_modified"])}
    for k in ("email", "first_name", "last_name", "role", "username", "billing", "shipping",
              "is_paying_customer"):
        out[k] = copy.deepcopy(c[k])
    out["avatar_url"] = avatar_url(c["email"])
    out["meta_data"] = copy.deepcopy(c["meta_data"])
    out["_links"] = links(base, "/wp-json/wc/v3/customers/%d" % c["id"], "/wp-json/wc/v3/customers")
    return out


def _local(store, dt):
    return store.to_local(dt).strftime("%Y-%m-%dT%H:%M:%S") if dt is not None else None


def _gmt(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S") if dt is not None else None


def sanitize_user(name):
    """sanitize_user($name, strict=true): ASCII letters, digits and _ . - @ and spaces only."""
    name = re.sub(r"<[^>]*>", "", name)
    name = re.sub(r"&.+?;", "", name)
    name = re.sub(r"[^a-zA-Z0-9 _.\-@]", "", name)
    return re.sub(r"\s+", " ", name).strip()


def new_username(store, email):
    """wc_create_new_username() as the REST create reaches it (no names passed): the e-mail's
    local part (its domain for sales@, hello@, mail@, contact@, info@), lowercased."""
    local, _, domain = email.partition("@")
    if local in ("sales", "hello", "mail", "contact", "info"):
        local = domain
    name = sanitize_user(local).lower() or "user"
    taken = {c["username"] for c in store.customers.values()}
    cand, n = name, 1
    while cand in taken:
        cand = "%s-%04d" % (name, n)
        n += 1
    return cand


class Customers(Resource):
    name = "customers"
    object_type = "customer"
    collection_key = "/wc/v3/customers"
    default_orderby = "name"
    default_order = "asc"

    def records(self, req, parent):
        return self.store.customers.values()

    def select(self, req, p, items):
        role = p.get("role", "customer")
        if role != "all":
            items = [c for c in items if c["role"] == role]
        if p.get("email"):
            items = [c for c in items if c["email"].lower() == p["email"].lower()]
        if p.get("search"):
            s = p["search"].lower().strip("*")
            items = [c for c in items if s in c["email"].lower() or s in c["username"].lower()
                     or s in (c["first_name"] + " " + c["last_name"]).lower()]
        if p.get("include"):
            s = set(_ids(p["include"]))
            items = [c for c in items if c["id"] in s]
        if p.get("exclude"):
            s = set(_ids(p["exclude"]))
            items = [c for c in items if c["id"] not in s]
        return items

    def sort_keys(self):
        return {"name": lambda c: collation_key(c["username"]), "id": lambda c: 0,
                "registered_date": lambda c: c["_created"]}

    def find(self, req, parent, oid):
        return self.store.customers.get(oid)

    def invalid_id(self, status):
        return WPError("woocommerce_rest_invalid_id", "Invalid resource ID.", status)

    def trash_not_supported(self):
        return WPError("woocommerce_rest_trash_not_supported", "Customers do not support trashing.", 501)

    def render(self, req, rec, context):
        return customer_json(self.store, rec, req.base)

    def location(self, req, rec):
        return "%s/wp-json/wc/v3/customers/%d" % (req.base, rec["id"])

    def _email_taken(self, email, own_id):
        return any(c["email"].lower() == email.lower() and c["id"] != own_id for c in self.store.customers.values())

    def create(self, req, parent, data):
        st = self.store
        email = (data.get("email") or "").strip()
        if not _EMAIL.match(email):
            raise WPError("registration-error-invalid-email", "Please provide a valid email address.", 400)
        if self._email_taken(email, None):
            raise WPError("registration-error-email-exists", 'An account is already registered with your email '
                          'address. <a href="#" class="showlogin">Please log in.</a>', 400)
        username = sanitize_user(data.get("username") or "") or new_username(st, email)
        if any(c["username"] == username for c in st.customers.values()):
            raise WPError("registration-error-username-exists",
                          "An account is already registered with that username. Please choose another.", 400)
        now = st.now()
        cid = st.next_user_id
        st.next_user_id += 1
        c = {"id": cid, "_created": now, "_modified": now, "email": email, "first_name": "", "last_name": "",
             "role": "customer", "username": username, "billing": {k: "" for k in BILLING},
             "shipping": {k: "" for k in SHIPPING}, "is_paying_customer": False, "meta_data": []}
        if not data.get("password"):
            # wc_create_new_customer() generated the password: WordPress nags about it
            c["meta_data"].append({"id": st.new_user_meta_id(), "key": "default_password_nag", "value": "1"})
        self._apply(c, data)
        st.customers[cid] = c
        st.touch()
        fire_webhooks(st, "woocommerce_created_customer", cid)
        return c

    def _apply(self, c, data):
        for key in ("first_name", "last_name"):
            if data.get(key) is not None:
                c[key] = str(data[key])
        for key, fields in (("billing", BILLING), ("shipping", SHIPPING)):
            if isinstance(data.get(key), dict):
                for k, v in data[key].items():
                    if k in fields:
                        c[key][k] = "" if v is None else str(v)
        if isinstance(data.get("meta_data"), list):
            _update_meta(self.store, c["meta_data"], data["meta_data"])

    def update(self, req, parent, rec, data):
        if data.get("username") not in (None, "") and data["username"] != rec["username"]:
            raise WPError("woocommerce_rest_customer_invalid_argument", "Username isn't editable.", 400)
        if data.get("email") not in (None, ""):
            email = str(data["email"]).strip()
            if not _EMAIL.match(email):
                raise WPError("woocommerce_rest_customer_invalid_email", "Invalid email address.", 400)
            if self._email_taken(email, rec["id"]):
                raise WPError("woocommerce_rest_customer_invalid_email", "Email address is invalid.", 400)
            rec["email"] = email
        self._apply(rec, data)
        rec["_modified"] = self.store.now()
        self.store.touch()
        fire_webhooks(self.store, "woocommerce_update_customer", rec["id"])
        return rec

    def remove(self, req, parent, rec, force):
        del self.store.customers[rec["id"]]
        self.store.touch()
        fire_webhooks(self.store, "delete_user", rec["id"])


class CustomerDownloads(Resource):
    """customers/<id>/downloads: the download permissions of a customer's paid orders (the
    store grants none: a list of downloads is empty), answered whole."""
    name = "customer_downloads"
    object_type = "customer_download"
    totals = False

    def parent(self, req):
        c = self.store.customers.get(req.match["customer_id"])
        if c is None:
            raise WPError("woocommerce_rest_customer_invalid", "Resource does not exist.", 404)
        return c

    def records(self, req, parent):
        return []
