"""Orders, their notes and their refunds (WooCommerce 10 with HPOS, as the captures show it).

Sources: Version3/class-wc-rest-orders-controller.php (prepare_object_for_database, save_object),
Version2/class-wc-rest-orders-v2-controller.php (line items, addresses, response shape),
class-wc-rest-order-notes-controller.php, Version2/class-wc-rest-order-refunds-v2-controller.php,
abstract-wc-order.php / class-wc-order.php (status transitions, date_paid/date_completed, notes),
wc-stock-functions.php (stock reduction), wc-order-functions.php (wc_create_refund);
captures real/40, 40b, 58, 58b, 59, 70, 72.
"""
import copy
import hashlib
import random
import string

from .common import WPError, kses_normalize, wpautop
from .crud import Resource
from .listing import _ids
from .serialize import links
from .webhook_delivery import fire as fire_webhooks

ORDER_STATUSES = {"pending": "Pending payment", "processing": "Processing", "on-hold": "On hold",
                  "completed": "Completed", "cancelled": "Cancelled", "refunded": "Refunded",
                  "failed": "Failed", "checkout-draft": "Draft"}
# statuses whose transition reduces stock (wc_maybe_reduce_stock_levels) / gives a date paid
STOCK_REDUCING = ("processing", "completed", "on-hold")
PAID_STATUSES = ("processing", "completed")
ORDER_DATES = ("date_created", "date_modified", "date_completed", "date_paid")
BILLING = ("first_name", "last_name", "company", "address_1", "address_2", "city", "state", "postcode",
           "country", "email", "phone")
SHIPPING = ("first_name", "last_name", "company", "address_1", "address_2", "city", "state", "postcode",
            "country", "phone")
# hidden order item meta rows a product line item owns (_product_id, _variation_id, _qty,
# _tax_class, _line_subtotal, _line_subtotal_tax, _line_total, _line_tax, _line_tax_data): they
# take ids of the order item meta sequence before the visible meta (real/40: _reduced_stock 19, 20)
PRODUCT_ITEM_HIDDEN_META = 9
SHIPPING_ITEM_HIDDEN_META = 5
CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CHF": "CHF"}


def money(value):
    """wc_format_decimal($v, 2) of a stored amount."""
    return "%.2f" % float(value or 0)


def php_number_string(f):
    """How PHP turns a float into the string WooCommerce stores (28.0 -> "28", 23.98 -> "23.98")."""
    f = round(float(f), 10)
    return str(int(f)) if f == int(f) else repr(f)


def php_divide(numerator_text, qty):
    """"28" / 2 in PHP is the integer 14, "23.98" / 2 the float 11.99 (a line item's price)."""
    if not qty:
        return 0
    if "." not in numerator_text and int(numerator_text) % qty == 0:
        return int(numerator_text) // qty
    return float(numerator_text) / qty


def order_key():
    return "wc_order_" + "".join(random.choice(string.ascii_letters + string.digits) for _ in range(13))


# ---------------------------------------------------------------------------- order model
def new_order(store, oid):
    return {"id": oid, "parent_id": 0, "status": "pending", "currency": "EUR", "version": "10.0.2",
            "prices_include_tax": False, "discount_total": "0.00", "discount_tax": "0.00",
            "shipping_total": "0.00", "shipping_tax": "0.00", "cart_tax": "0.00", "total": "0.00",
            "total_tax": "0.00", "customer_id": 0, "order_key": order_key(),
            "billing": {k: "" for k in BILLING}, "shipping": {k: "" for k in SHIPPING},
            "payment_method": "", "payment_method_title": "", "transaction_id": "", "customer_ip_address": "",
            "customer_user_agent": "", "created_via": "", "customer_note": "", "cart_hash": "",
            "meta_data": [], "line_items": [], "tax_lines": [], "shipping_lines": [], "fee_lines": [],
            "coupon_lines": [], "_dates": {d: None for d in ORDER_DATES}}


def needs_processing(store, o):
    """WC_Order::needs_processing(): not when every product line is virtual and downloadable."""
    for li in o["line_items"]:
        p = store.posts.get(li["variation_id"] or li["product_id"])
        if p is None or not (p["virtual"] and p["downloadable"]):
            return True
    return not o["line_items"]


def order_refunds(store, o):
    return sorted((r for r in store.refunds.values() if r["parent_id"] == o["id"]), key=lambda r: -r["id"])


def order_json(store, o, base):
    """The order as Version2 get_formatted_item_data() gives it (members in the captured order)."""
    d = o["_dates"]
    total = float(o["total"] or 0)
    out = {k: copy.deepcopy(o[k]) for k in (
        "id", "parent_id", "status", "currency", "version", "prices_include_tax")}
    out["date_created"] = _local(store, d["date_created"])
    out["date_modified"] = _local(store, d["date_modified"])
    for k in ("discount_total", "discount_tax", "shipping_total", "shipping_tax", "cart_tax", "total",
              "total_tax", "customer_id", "order_key", "billing", "shipping", "payment_method",
              "payment_method_title", "transaction_id", "customer_ip_address", "customer_user_agent",
              "created_via", "customer_note"):
        out[k] = copy.deepcopy(o[k])
    out["date_completed"] = _local(store, d["date_completed"])
    out["date_paid"] = _local(store, d["date_paid"])
    out["cart_hash"] = o["cart_hash"]
    out["number"] = str(o["id"])
    for k in ("meta_data", "line_items", "tax_lines", "shipping_lines", "fee_lines", "coupon_lines"):
        out[k] = copy.deepcopy(o[k])
    out["refunds"] = [{"id": r["id"], "reason": r["reason"], "total": "-" + money(r["amount"])}
                      for r in order_refunds(store, o)]
    out["payment_url"] = "%s/checkout/order-pay/%d/?pay_for_order=true&key=%s" % (base, o["id"], o["order_key"])
    out["is_editable"] = o["status"] in ("pending", "on-hold", "auto-draft")
    out["needs_payment"] = o["status"] in ("pending", "failed") and total > 0
    out["needs_processing"] = needs_processing(store, o)
    for k in ORDER_DATES:
        out[k + "_gmt"] = _gmt(d[k])
    out["currency_symbol"] = CURRENCY_SYMBOLS.get(o["currency"], o["currency"])
    out["_links"] = links(base, "/wp-json/wc/v3/orders/%d" % o["id"], "/wp-json/wc/v3/orders")
    out["_links"]["email_templates"] = [{"embeddable": True,
                                         "href": base + "/wp-json/wc/v3/orders/%d/actions/email_templates" % o["id"]}]
    if o["customer_id"]:
        out["_links"]["customer"] = [{"href": base + "/wp-json/wc/v3/customers/%d" % o["customer_id"]}]
    return out


def _local(store, dt):
    return store.to_local(dt).strftime("%Y-%m-%dT%H:%M:%S") if dt is not None else None


def _gmt(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S") if dt is not None else None


# ---------------------------------------------------------------------------- notes, status, stock
def add_note(store, order, text, customer_note=False, author="WooCommerce"):
    """WC_Order::add_order_note(): a comment on the order (ids shared with product reviews)."""
    nid = store.new_comment_id()
    note = {"id": nid, "order_id": order["id"], "author": author, "_date": store.now(), "note": text,
            "customer_note": bool(customer_note)}
    store.order_notes[nid] = note
    return note


def product_formatted_name(p, store):
    """WC_Product::get_formatted_name(): "Name (SKU)", or "Name (#id)" without a SKU."""
    from .serialize import product_json_keys
    name = product_json_keys(store, p, "", "view", {"name"})["name"]
    return "%s (%s)" % (name, p["sku"] if p["sku"] else "#%d" % p["id"])


def reduce_stock(store, o):
    """wc_reduce_stock_levels(): managed-stock lines lose their quantity once; each line records
    _reduced_stock; one note lists the changes."""
    if o.get("_stock_reduced"):
        return
    o["_stock_reduced"] = True
    changes = []
    for li in o["line_items"]:
        p = store.posts.get(li["variation_id"] or li["product_id"])
        if p is None or not p["manage_stock"] or any(m["key"] == "_reduced_stock" for m in li["meta_data"]):
            continue
        old = p["stock_quantity"] or 0
        new = old - li["quantity"]
        store.unindex_post(p)
        p["stock_quantity"] = new
        store.index_post(p)
        li["meta_data"].append(item_meta(store, "_reduced_stock", str(li["quantity"])))
        changes.append("%s %s&rarr;%s" % (product_formatted_name(p, store), old, new))
    if changes:
        add_note(store, o, "Stock levels reduced: " + ", ".join(changes))
    store.touch()


def set_status(store, o, new_status, note=""):
    """WC_Order::set_status() + status_transition(): the to-status hooks (stock reduction) run,
    then the transition note; date_paid on processing/completed, date_completed on completed."""
    old = o["status"] or "pending"
    if new_status not in ORDER_STATUSES and new_status not in ("trash", "auto-draft"):
        new_status = "pending"
    o["status"] = new_status
    if old == new_status:
        return
    now = store.now()
    if new_status in PAID_STATUSES and o["_dates"]["date_paid"] is None:
        o["_dates"]["date_paid"] = now
    if new_status == "completed" and o["_dates"]["date_completed"] is None:
        o["_dates"]["date_completed"] = now
    if new_status in STOCK_REDUCING:
        reduce_stock(store, o)
    text = "Order status changed from %s to %s." % (ORDER_STATUSES.get(old, old), ORDER_STATUSES.get(new_status, new_status))
    add_note(store, o, (note + " " + text) if note else text)


# ---------------------------------------------------------------------------- line items
def item_meta(store, key, value, display_key=None, display_value=None):
    mid = store.new_order_item_meta_id()
    return {"id": mid, "key": key, "value": value, "display_key": display_key if display_key is not None else key,
            "display_value": display_value if display_value is not None else value}


def _product_for_line(store, posted):
    """get_product_id(): sku first, else product_id (without variation_id), else variation_id."""
    if posted.get("sku"):
        pid = store.sku_owner.get(posted["sku"], 0)
    elif posted.get("product_id") and not posted.get("variation_id"):
        pid = _int(posted["product_id"])
    elif posted.get("variation_id"):
        pid = _int(posted["variation_id"])
    else:
        raise WPError("woocommerce_rest_required_product_reference", "Product ID or SKU is required.", 400)
    p = store.posts.get(pid)
    if p is None:
        raise WPError("woocommerce_rest_invalid_product_id", "Product ID provided is invalid.", 400)
    return p


def _int(v):
    try:
        return int(float(v))
    except (TypeError, ValueError):
        return 0


def new_line_item(store, posted):
    """prepare_line_items() for a new product line, stored as the API shows it: name, SKU and
    price of the product, total = price x quantity (taxes off), a variation's attributes as
    visible meta (key, term slug, label, term name)."""
    from .serialize import _variation_attrs, product_json_keys
    p = _product_for_line(store, posted)
    qty = _int(posted["quantity"]) if posted.get("quantity") not in (None, "") else 1
    total = php_number_string(float(store.active_price(p) or 0) * qty)
    subtotal = total
    if posted.get("total") not in (None, ""):
        total = php_number_string(posted["total"])
    if posted.get("subtotal") not in (None, ""):
        subtotal = php_number_string(posted["subtotal"])
    iid = store.new_order_item_id()
    store.next_order_item_meta_id += PRODUCT_ITEM_HIDDEN_META
    is_var = p["kind"] == "variation"
    parent = store.posts.get(p["parent_id"]) if is_var else None
    meta = []
    if is_var:
        for aid, label, slug, option_name, option_slug in _variation_attrs(store, p):
            meta.append(item_meta(store, slug if aid else slug.lower(), option_slug if aid else option_name,
                                  label, option_name))
    image = p["image"] if is_var else (p["images"][0] if p["images"] else None)
    media = store.media.get(image) if image else None
    name = posted.get("name") or product_json_keys(store, p, "", "view", {"name"})["name"]
    return {"id": iid, "name": name, "product_id": parent["id"] if is_var else p["id"],
            "variation_id": p["id"] if is_var else 0, "quantity": qty, "tax_class": "",
            "subtotal": money(subtotal), "subtotal_tax": "0.00", "total": money(total), "total_tax": "0.00",
            "taxes": [], "meta_data": meta, "sku": p["sku"], "price": php_divide(total, qty),
            "image": {"id": media["id"], "src": media["src"]} if media else {"id": "", "src": ""},
            "parent_name": parent["name"] if is_var else None}


def new_shipping_line(store, posted):
    iid = store.new_order_item_id()
    store.next_order_item_meta_id += SHIPPING_ITEM_HIDDEN_META
    return {"id": iid, "method_title": posted.get("method_title") or "", "method_id": posted.get("method_id") or "",
            "instance_id": str(posted.get("instance_id") or ""), "total": money(posted.get("total") or 0),
            "total_tax": "0.00", "taxes": [], "tax_status": "taxable", "meta_data": []}


def new_fee_line(store, posted):
    iid = store.new_order_item_id()
    store.next_order_item_meta_id += SHIPPING_ITEM_HIDDEN_META
    return {"id": iid, "name": posted.get("name") or "", "tax_class": posted.get("tax_class") or "",
            "tax_status": posted.get("tax_status") or "taxable", "amount": str(posted.get("total") or "0"),
            "total": money(posted.get("total") or 0), "total_tax": "0.00", "taxes": [], "meta_data": []}


# ---------------------------------------------------------------------------- writes
def _update_address(o, key, value):
    if isinstance(value, dict):
        fields = BILLING if key == "billing" else SHIPPING
        for k, v in value.items():
            if k in fields:
                o[key][k] = "" if v is None else str(v)


def _update_meta(store, meta, items):
    for m in items or []:
        if not isinstance(m, dict) or "key" not in m:
            continue
        target = None
        if m.get("id"):
            target = next((x for x in meta if x["id"] == _int(m["id"])), None)
        if target is None:
            target = next((x for x in meta if x["key"] == m["key"]), None)
        if target is None:
            meta.append({"id": store.new_meta_id(), "key": m["key"], "value": m.get("value")})
        else:
            target["key"], target["value"] = m["key"], m.get("value")


def _item_is_null(item):
    return all(v is None for k, v in item.items() if k != "id")


def _set_items(store, o, key, items):
    """line_items / shipping_lines / fee_lines: an item with an id updates that item (quantity 0
    or only nulls removes it), one without an id is added."""
    factory = {"line_items": new_line_item, "shipping_lines": new_shipping_line, "fee_lines": new_fee_line}[key]
    for item in items:
        if not isinstance(item, dict):
            continue
        if _item_is_null(item) or item.get("quantity") == 0:
            o[key] = [x for x in o[key] if x["id"] != _int(item.get("id"))]
            continue
        if item.get("id"):
            current = next((x for x in o[key] if x["id"] == _int(item["id"])), None)
            if current is None:
                raise WPError("woocommerce_rest_invalid_item_id", "Order item ID provided is not associated with order.", 400)
            for prop in ("name", "quantity", "total", "subtotal", "method_title", "method_id"):
                if item.get(prop) is not None:
                    current[prop] = (money(item[prop]) if prop in ("total", "subtotal") else
                                     _int(item[prop]) if prop == "quantity" else item[prop])
            continue
        o[key].append(factory(store, item))


def calculate_totals(o):
    lines = sum(float(li["total"]) for li in o["line_items"])
    shipping = sum(float(s["total"]) for s in o["shipping_lines"])
    fees = sum(float(f["total"]) for f in o["fee_lines"])
    o["shipping_total"] = money(shipping)
    o["total"] = money(lines + shipping + fees - float(o["discount_total"] or 0))


_SETTABLE = ("parent_id", "currency", "customer_id", "customer_note", "payment_method", "payment_method_title",
             "transaction_id", "customer_ip_address", "customer_user_agent", "cart_hash", "created_via")


def write_order(store, o, data, creating):
    """prepare_object_for_database() + save_object() of the v3 orders controller."""
    for key, value in data.items():
        if value is None:
            continue
        if key in ("billing", "shipping"):
            _update_address(o, key, value)
        elif key in ("line_items", "shipping_lines", "fee_lines") and isinstance(value, list):
            _set_items(store, o, key, value)
        elif key == "meta_data" and isinstance(value, list):
            _update_meta(store, o["meta_data"], value)
        elif key in _SETTABLE:
            o[key] = _int(value) if key in ("parent_id", "customer_id") else value
    if data.get("customer_id") not in (None, 0, "0") and _int(data["customer_id"]) not in store.customers:
        raise WPError("woocommerce_rest_invalid_customer_id", "Customer ID is invalid.", 400)
    if o["customer_id"] and not o["billing"]["email"]:
        o["billing"]["email"] = store.customers[o["customer_id"]]["email"]   # maybe_set_user_billing_email()
    if creating:
        o["created_via"] = "rest-api"
        calculate_totals(o)
    elif any(k in data for k in ("billing", "shipping", "line_items", "shipping_lines", "fee_lines", "coupon_lines")):
        calculate_totals(o)
    now = store.now()
    if creating:
        o["_dates"]["date_created"] = now
    o["_dates"]["date_modified"] = now
    if data.get("status"):
        set_status(store, o, data["status"])
    if data.get("set_paid") is True and (creating or (o["status"] in ("pending", "failed") and float(o["total"]) > 0)):
        payment_complete(store, o, data.get("transaction_id"))
    store.touch()
    return o


def payment_complete(store, o, transaction_id=None):
    """WC_Order::payment_complete(): only from on-hold, pending, failed or cancelled."""
    if o["status"] not in ("on-hold", "pending", "failed", "cancelled"):
        return
    if transaction_id:
        o["transaction_id"] = transaction_id
    if o["_dates"]["date_paid"] is None:
        o["_dates"]["date_paid"] = store.now()
    set_status(store, o, "processing" if needs_processing(store, o) else "completed")


# ---------------------------------------------------------------------------- resources
def _local_bound(store, p, key):
    bound = store.date_bound(p[key])
    return bound


class Orders(Resource):
    name = "orders"
    object_type = "shop_order"
    collection_key = "/wc/v3/orders"
    trash = True

    def records(self, req, parent):
        return self.store.orders.values()

    def select(self, req, p, items):
        st = self.store
        status = p.get("status") or ["any"]
        status = [status] if isinstance(status, str) else status
        if "any" in status:
            items = [o for o in items if o["status"] != "trash"]
        else:
            items = [o for o in items if o["status"] in status]
        if p.get("customer") is not None and "customer" in p:
            items = [o for o in items if o["customer_id"] == p["customer"]]
        if p.get("include"):
            s = set(_ids(p["include"]))
            items = [o for o in items if o["id"] in s]
        if p.get("exclude"):
            s = set(_ids(p["exclude"]))
            items = [o for o in items if o["id"] not in s]
        if p.get("product"):
            items = [o for o in items if any(li["product_id"] == p["product"] for li in o["line_items"])]
        if p.get("search"):
            s = p["search"].lower()
            items = [o for o in items if s in (o["billing"]["email"] + " " + o["billing"]["first_name"] + " "
                                               + o["billing"]["last_name"]).lower()]
        gmt = bool(p.get("dates_are_gmt"))
        for param, field, op in (("after", "date_created", "after"), ("before", "date_created", "before"),
                                 ("modified_after", "date_modified", "after"),
                                 ("modified_before", "date_modified", "before")):
            if p.get(param):
                bound = st.date_bound(p[param])

                def ok(o, field=field, op=op, bound=bound):
                    v = o["_dates"][field]
                    v = v if gmt else st.to_local(v)
                    return v > bound if op == "after" else v < bound
                items = [o for o in items if ok(o)]
        return items

    def sort_keys(self):
        return {"date": lambda o: o["_dates"]["date_created"], "id": lambda o: 0,
                "modified": lambda o: o["_dates"]["date_modified"], "title": lambda o: o["id"],
                "slug": lambda o: o["id"]}

    def find(self, req, parent, oid):
        return self.store.orders.get(oid)

    def render(self, req, rec, context):
        return order_json(self.store, rec, req.base)

    def location(self, req, rec):
        return "%s/wp-json/wc/v3/orders/%d" % (req.base, rec["id"])

    def create(self, req, parent, data):
        st = self.store
        o = new_order(st, st.new_post_id())
        o["prices_include_tax"] = False
        st.orders[o["id"]] = o
        try:
            out = write_order(st, o, data, True)
        except WPError:
            del st.orders[o["id"]]
            raise
        fire_webhooks(st, "woocommerce_new_order", o["id"])
        return out

    def update(self, req, parent, rec, data):
        out = write_order(self.store, rec, data, False)
        fire_webhooks(self.store, "woocommerce_update_order", rec["id"])
        return out

    def remove(self, req, parent, rec, force):
        st = self.store
        if force:
            del st.orders[rec["id"]]
            for nid in [n for n, x in st.order_notes.items() if x["order_id"] == rec["id"]]:
                del st.order_notes[nid]
            for rid in [r for r, x in st.refunds.items() if x["parent_id"] == rec["id"]]:
                del st.refunds[rid]
        else:
            rec["_previous_status"] = rec["status"]
            rec["status"] = "trash"
            rec["_dates"]["date_modified"] = st.now()
            fire_webhooks(st, "woocommerce_trash_order", rec["id"])
        st.touch()


def note_json(store, n, base):
    href = "/wp-json/wc/v3/orders/%d/notes" % n["order_id"]
    return {"id": n["id"], "author": n["author"], "date_created": _local(store, n["_date"]),
            "date_created_gmt": _gmt(n["_date"]), "note": n["note"], "customer_note": n["customer_note"],
            "_links": {"self": [{"href": base + href + "/%d" % n["id"], "targetHints": {"allow": ["GET", "DELETE"]}}],
                       "collection": [{"href": base + href}],
                       "up": [{"href": base + "/wp-json/wc/v3/orders/%d" % n["order_id"]}]}}


class OrderNotes(Resource):
    """class-wc-rest-order-notes-controller.php: no paging headers (real/58b), newest first and
    notes of one second in the order they were written (58b), DELETE needs force=true and says
    so with the webhooks' message (checked before the order)."""
    sortable = False
    force_checked_first = True
    name = "order_notes"
    object_type = "order_note"
    totals = False

    def parent(self, req):
        o = self.store.orders.get(req.match["order_id"])
        if o is None:
            raise WPError("woocommerce_rest_order_invalid_id", "Invalid order ID.", 404)
        return o

    def records(self, req, parent):
        notes = [n for n in self.store.order_notes.values() if n["order_id"] == parent["id"]]
        return sorted(notes, key=lambda n: (-n["_date"].timestamp(), n["id"]))

    def select(self, req, p, items):
        kind = p.get("type", "any")
        if kind == "customer":
            return [n for n in items if n["customer_note"]]
        if kind == "internal":
            return [n for n in items if not n["customer_note"]]
        return items

    def find(self, req, parent, oid):
        n = self.store.order_notes.get(oid)
        return n if n is not None and n["order_id"] == parent["id"] else None

    def invalid_id(self, status):
        return WPError("woocommerce_rest_invalid_id", "Invalid resource ID.", 404)

    def trash_not_supported(self):
        return WPError("woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.", 501)

    def render(self, req, rec, context):
        return note_json(self.store, rec, req.base)

    def location(self, req, rec):
        return "%s/wp-json/wc/v3/orders/%d/notes/%d" % (req.base, rec["order_id"], rec["id"])

    def create(self, req, parent, data):
        note = data.get("note")
        if not isinstance(note, str) or not note:
            raise WPError("woocommerce_api_cannot_create_order_note", "Cannot create order note, please try again.", 500)
        author = "admin" if data.get("added_by_user") is True else "WooCommerce"
        return add_note(self.store, parent, kses_normalize(note), data.get("customer_note") is True, author)

    def remove(self, req, parent, rec, force):
        del self.store.order_notes[rec["id"]]


def refund_json(store, r, base):
    href = "/wp-json/wc/v3/orders/%d/refunds" % r["parent_id"]
    return {"id": r["id"], "date_created": _local(store, r["_date"]), "date_created_gmt": _gmt(r["_date"]),
            "amount": money(r["amount"]), "reason": r["reason"], "refunded_by": r["refunded_by"],
            "refunded_payment": r["refunded_payment"], "meta_data": copy.deepcopy(r["meta_data"]),
            "line_items": copy.deepcopy(r["line_items"]), "shipping_lines": [], "tax_lines": [], "fee_lines": [],
            "_links": {"self": [{"href": base + href + "/%d" % r["id"], "targetHints": {"allow": ["GET", "DELETE"]}}],
                       "collection": [{"href": base + href}],
                       "up": [{"href": base + "/wp-json/wc/v3/orders/%d" % r["parent_id"]}]}}


GATEWAYS_WITH_REFUNDS = ()   # bacs, cheque and cod do not support automatic refunds


class OrderRefunds(Resource):
    """class-wc-rest-order-refunds-v2-controller.php and wc_create_refund(): api_refund defaults
    to true and asks the order's gateway to pay the money back, which the offline gateways cannot
    (500, the refund is not kept but took an id); amount above what is left is refused; force
    defaults to true (refunds have no trash); the Location carries the route's regex (real/72)."""
    name = "order_refunds"
    object_type = "shop_order_refund"
    collection_key = "/wc/v3/orders/(?P<order_id>[\\d]+)/refunds"

    def parent(self, req):
        return self.store.orders.get(req.match["order_id"])

    def records(self, req, parent):
        if parent is None:
            return []          # the list queries refunds by parent: a missing order lists none
        return [r for r in self.store.refunds.values() if r["parent_id"] == parent["id"]]

    def sort_keys(self):
        return {"date": lambda r: r["_date"], "id": lambda r: 0, "modified": lambda r: r["_date"],
                "title": lambda r: r["id"], "slug": lambda r: r["id"]}

    def find(self, req, parent, oid):
        return self.store.refunds.get(oid)

    def render(self, req, rec, context):
        if self.store.orders.get(req.match["order_id"]) is None:
            raise WPError("woocommerce_rest_invalid_order_id", "Invalid order ID.", 404)
        if rec["parent_id"] != req.match["order_id"]:
            raise WPError("woocommerce_rest_invalid_order_refund_id", "Invalid order refund ID.", 404)
        return refund_json(self.store, rec, req.base)

    def location(self, req, rec):
        return "%s/wp-json/wc/v3/orders/(?P<order_id>[\\d]+)/refunds/%d" % (req.base, rec["id"])

    def create(self, req, parent, data):
        st = self.store
        if parent is None:
            raise WPError("woocommerce_rest_invalid_order_id", "Invalid order ID.", 404)
        amount = _float(data.get("amount"))
        if amount < 0:
            raise WPError("woocommerce_rest_invalid_order_refund", "Refund amount must be greater than zero.", 400)
        refunded = sum(float(r["amount"]) for r in st.refunds.values() if r["parent_id"] == parent["id"])
        remaining = round(float(parent["total"]) - refunded, 2)
        if round(amount, 2) > remaining:
            raise WPError("woocommerce_rest_cannot_create_order_refund", "Invalid refund amount.", 500)
        api_refund = data["api_refund"] if isinstance(data.get("api_refund"), bool) else True
        rid = st.new_post_id()
        if api_refund:
            # the refund is saved, wc_refund_payment() fails, the refund is deleted again
            if parent["payment_method"] not in ("bacs", "cheque", "cod") and parent["payment_method"] not in GATEWAYS_WITH_REFUNDS:
                msg = "The payment gateway for this order does not exist."
            else:
                msg = "The payment gateway for this order does not support automatic refunds."
            raise WPError("woocommerce_rest_cannot_create_order_refund", msg, 500)
        r = {"id": rid, "parent_id": parent["id"], "_date": st.now(), "amount": php_number_string(amount),
             "reason": data.get("reason") or "", "refunded_by": 1, "refunded_payment": False, "meta_data": [],
             "line_items": []}
        _update_meta(st, r["meta_data"], data.get("meta_data"))
        st.refunds[rid] = r
        parent["_dates"]["date_modified"] = st.now()
        if round(remaining - amount, 2) == 0 and parent["status"] != "refunded":
            set_status(st, parent, "refunded")
        st.touch()
        fire_webhooks(st, "woocommerce_order_refunded", parent["id"])
        return r

    def remove(self, req, parent, rec, force):
        del self.store.refunds[rec["id"]]


def _float(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return 0.0


class Refunds(Resource):
    """refunds: every order's refunds in one list (Version3/class-wc-rest-refunds-controller.php):
    the order refund's shape with its parent_id."""
    name = "refunds"
    object_type = "shop_order_refund"

    def records(self, req, parent):
        return self.store.refunds.values()

    def select(self, req, p, items):
        if p.get("parent"):
            s = set(_ids(p["parent"]))
            items = [r for r in items if r["parent_id"] in s]
        if p.get("parent_exclude"):
            s = set(_ids(p["parent_exclude"]))
            items = [r for r in items if r["parent_id"] not in s]
        if p.get("include"):
            s = set(_ids(p["include"]))
            items = [r for r in items if r["id"] in s]
        if p.get("exclude"):
            s = set(_ids(p["exclude"]))
            items = [r for r in items if r["id"] not in s]
        return items

    def sort_keys(self):
        return {"date": lambda r: r["_date"], "id": lambda r: 0, "modified": lambda r: r["_date"],
                "title": lambda r: r["id"], "slug": lambda r: r["id"]}

    def render(self, req, r, context):
        out = refund_json(self.store, r, req.base)
        return dict([("id", out.pop("id")), ("parent_id", r["parent_id"])] + list(out.items()))


class OrderStatuses(Resource):
    """orders/statuses: WooCommerce's order statuses (slug, name), answered whole."""
    name = "order_statuses"
    totals = False
    sortable = False

    def records(self, req, parent):
        return [{"slug": s, "name": n} for s, n in ORDER_STATUSES.items()]

    def render(self, req, r, context):
        return dict(r)
