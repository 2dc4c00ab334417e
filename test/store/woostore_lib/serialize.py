"""REST representations (field order and shapes as captured from WooCommerce 10.0.2)."""
import urllib.parse

from .common import fmt, price_decimal, sanitize_title, wpautop

ALLOW_ITEM = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def _d(store, dt):
    return fmt(store.to_local(dt)) if dt is not None else None


def _dg(dt):
    return fmt(dt) if dt is not None else None


def links(base, self_path, collection_path, up_path=None):
    out = {"self": [{"href": base + self_path, "targetHints": {"allow": list(ALLOW_ITEM)}}],
           "collection": [{"href": base + collection_path}]}
    if up_path:
        out["up"] = [{"href": base + up_path}]
    return out


def media_json(store, mid):
    m = store.media.get(mid)
    if m is None:
        return None
    return {"id": m["id"], "date_created": _d(store, m["date_created"]), "date_created_gmt": _dg(m["date_created"]),
            "date_modified": _d(store, m["date_modified"]), "date_modified_gmt": _dg(m["date_modified"]),
            "src": m["src"], "name": m["name"], "alt": m["alt"]}


PRICE_FORMATS = {"left": "%1$s%2$s", "right": "%2$s%1$s", "left_space": "%1$s&nbsp;%2$s",
                 "right_space": "%2$s&nbsp;%1$s"}


def price_parts(store, amount):
    """(symbol, number) of wc_price(): the number with the store's decimals and separators."""
    o = store.options
    decimals = int(o.get("woocommerce_price_num_decimals", "2") or 0)
    try:
        value = float(amount)
    except (TypeError, ValueError):
        value = 0.0
    text = "{:,.{d}f}".format(value, d=decimals)
    text = text.replace(",", "\0").replace(".", o.get("woocommerce_price_decimal_sep", ".")) \
        .replace("\0", o.get("woocommerce_price_thousand_sep", ","))
    symbol = currency_symbol(store)
    return symbol, text


def currency_symbol(store):
    from .data_api import currencies
    code = store.options.get("woocommerce_currency", "EUR")
    return next((sym for c, _, sym in currencies() if c == code), code)


def _formatted(store, symbol_html, number):
    fmt_ = PRICE_FORMATS.get(store.options.get("woocommerce_currency_pos", "left"), PRICE_FORMATS["left"])
    return fmt_.replace("%1$s", symbol_html).replace("%2$s", number)


def wc_price(store, amount, hidden=False):
    """wc_price(): the amount in its spans, symbol placed by woocommerce_currency_pos."""
    symbol, number = price_parts(store, amount)
    span = '<span class="woocommerce-Price-currencySymbol">%s</span>' % symbol
    return '<span class="woocommerce-Price-amount amount"%s><bdi>%s</bdi></span>' % (
        ' aria-hidden="true"' if hidden else "", _formatted(store, span, number))


def price_text(store, amount):
    """wp_strip_all_tags(wc_price()): what the screen-reader texts say."""
    symbol, number = price_parts(store, amount)
    return _formatted(store, symbol, number)


def _price_html(store, p):
    if p["kind"] == "product" and p["type"] == "variable":
        prices = store.variation_prices(p)
        if not prices:
            return ""
        lo = min(prices, key=lambda x: x[0])[1]
        hi = max(prices, key=lambda x: x[0])[1]
        if price_decimal(lo) == price_decimal(hi):
            return wc_price(store, lo)
        return ('%s <span aria-hidden="true">&ndash;</span> %s<span class="screen-reader-text">'
                'Price range: %s through %s</span>' % (wc_price(store, lo, True), wc_price(store, hi, True),
                                                     price_text(store, lo), price_text(store, hi)))
    price = store.active_price(p)
    if price == "":
        return ""
    if store.is_on_sale(p):
        reg, sale = p["regular_price"], p["sale_price"]
        return ('<del aria-hidden="true">%s</del> <span class="screen-reader-text">Original price was: '
                '%s.</span><ins aria-hidden="true">%s</ins><span class="screen-reader-text">'
                'Current price is: %s.</span>' % (wc_price(store, reg), price_text(store, reg),
                                                   wc_price(store, sale), price_text(store, sale)))
    return wc_price(store, price)


def _term_ref(store, tid):
    t = store.terms.get(tid)
    if t is None:
        return None
    return {"id": t["id"], "name": t["name"], "slug": t["slug"]}


def _global_option_names(store, a):
    names = []
    for tid in a["options"]:
        t = store.terms.get(tid)
        if t is not None:
            names.append(t)
    names.sort(key=lambda t: (t["menu_order"], t["name"].lower(), t["id"]))
    return [t["name"] for t in names]


def product_attributes_json(store, p):
    out = []
    for a in p["attributes"]:
        if a["id"]:
            attr = store.attributes.get(a["id"])
            if attr is None:
                continue
            out.append({"id": attr["id"], "name": attr["name"], "slug": attr["slug"], "position": a["position"],
                        "visible": a["visible"], "variation": a["variation"],
                        "options": _global_option_names(store, a)})
        else:
            out.append({"id": 0, "name": a["name"], "slug": a["name"], "position": a["position"],
                        "visible": a["visible"], "variation": a["variation"], "options": list(a["options"])})
    return out


def _variation_attrs(store, v):
    """[(attr_id, name, slug, option_name, option_slug)] for the variation's set attributes."""
    out = []
    for a in v["attributes"]:
        if a.get("option") in (None, ""):
            continue
        if a["id"]:
            attr = store.attributes.get(a["id"])
            if attr is None:
                continue
            t = store.term_by_slug(attr["slug"], a["option"])
            name = t["name"] if t else a["option"]
            out.append((attr["id"], attr["name"], attr["slug"], name, a["option"]))
        else:
            out.append((0, a["name"], a["name"], a["option"], a["option"]))
    return out


def variation_title(store, v):
    return ", ".join(x[3] for x in _variation_attrs(store, v))


def product_permalink(store, base, p):
    if p["kind"] == "variation":
        parent = store.posts.get(p["parent_id"])
        pslug = parent["slug"] if parent else ""
        q = "&".join("attribute_%s=%s" % (x[2] if x[0] else x[2].lower(), urllib.parse.quote(x[4], safe=""))
                     for x in _variation_attrs(store, p))
        return "%s/product/%s/%s" % (base, pslug, ("?" + q) if q else "")
    if p["status"] in ("draft", "pending", "future", "auto-draft"):
        return "%s/?post_type=product&p=%d" % (base, p["id"])
    return "%s/product/%s/" % (base, p["slug"])


def shipping_class_id(store, p, edit):
    """A variation without its own class shows its parent's outside context=edit
    (WC_Product_Variation::get_shipping_class_id)."""
    cid = p["shipping_class_id"]
    if not cid and not edit and p["kind"] == "variation":
        parent = store.posts.get(p["parent_id"])
        cid = parent["shipping_class_id"] if parent else 0
    return cid


def shipping_class_slug(store, p, edit):
    t = store.terms.get(shipping_class_id(store, p, edit))
    return t["slug"] if t is not None else ""


def generated_slug(p):
    """get_sample_permalink()'s slug: the post's slug, or the one its name would get, through
    WordPress's editable_slug filter (urldecode): real/22 "batch-new-3-✓" for a draft."""
    return urllib.parse.unquote(p["slug"] or sanitize_title(p["name"]))


def _inherit(store, v, key):
    if v[key] not in ("", None):
        return v[key]
    parent = store.posts.get(v["parent_id"])
    return parent[key] if parent else v[key]


def product_json(store, p, base, context="view"):
    """A product (or a variation seen through /products) in the products-controller shape."""
    edit = context == "edit"
    is_var = p["kind"] == "variation"
    parent = store.posts.get(p["parent_id"]) if is_var else None
    on_sale = store.is_on_sale(p)
    price = store.active_price(p)
    stock_status = store.derived_stock_status(p)
    backorders_allowed = p["backorders"] in ("yes", "notify")
    name = p["name"]
    if is_var:
        title = variation_title(store, p)
        name = (parent["name"] if parent else "") + ((" - " + title) if title else "")
    desc = p["description"] if edit else wpautop(p["description"])
    short = p["short_description"] if edit else wpautop(p["short_description"])
    if is_var:
        images = [media_json(store, p["image"])] if p["image"] and p["image"] in store.media else []
        attributes = [{"id": x[0], "name": x[1], "slug": x[2], "option": x[3]} for x in _variation_attrs(store, p)]
        categories, tags = [], []
    else:
        images = [media_json(store, m) for m in p["images"] if m in store.media]
        attributes = product_attributes_json(store, p)
        categories = [x for x in (_term_ref(store, t) for t in p["categories"]) if x]
        tags = [x for x in (_term_ref(store, t) for t in p["tags"]) if x]
    default_attrs = []
    for d in p["default_attributes"]:
        default_attrs.append({"id": d["id"], "name": d["name"], "option": d["option"]})
    tax_class = p["tax_class"]
    if is_var and tax_class == "parent" and not edit:
        tax_class = parent["tax_class"] if parent else ""
    avg = p["average_rating"]
    if not edit:
        try:
            avg = "%.2f" % float(avg)
        except ValueError:
            pass
    weight = p["weight"] if (edit or not is_var) else _inherit(store, p, "weight")
    dims = dict(p["dimensions"])
    if is_var and not edit and parent:
        for k in ("length", "width", "height"):
            if dims[k] == "":
                dims[k] = parent["dimensions"][k]
    virtual = p["virtual"]
    out = {
        "id": p["id"], "name": name, "slug": p["slug"] if not is_var else (parent["slug"] if parent else ""),
        "permalink": product_permalink(store, base, p),
        "date_created": _d(store, p["date_created"]), "date_created_gmt": _dg(p["date_created"]),
        "date_modified": _d(store, p["date_modified"]), "date_modified_gmt": _dg(p["date_modified"]),
        "type": p["type"], "status": p["status"], "featured": p["featured"],
        "catalog_visibility": p["catalog_visibility"], "description": desc, "short_description": short,
        "sku": p["sku"], "price": price,
        "regular_price": p["regular_price"] if not (p["type"] == "variable") else "",
        "sale_price": p["sale_price"] if not (p["type"] == "variable") else "",
        "date_on_sale_from": _d(store, p["date_on_sale_from"]), "date_on_sale_from_gmt": _dg(p["date_on_sale_from"]),
        "date_on_sale_to": _d(store, p["date_on_sale_to"]), "date_on_sale_to_gmt": _dg(p["date_on_sale_to"]),
        "on_sale": on_sale, "purchasable": price != "" and p["status"] != "trash", "total_sales": p["total_sales"],
        "virtual": virtual, "downloadable": p["downloadable"],
        "downloads": [dict(x) for x in p["downloads"]], "download_limit": p["download_limit"],
        "download_expiry": p["download_expiry"], "external_url": p["external_url"], "button_text": p["button_text"],
        "tax_status": p["tax_status"], "tax_class": tax_class, "manage_stock": p["manage_stock"],
        "stock_quantity": p["stock_quantity"], "backorders": p["backorders"],
        "backorders_allowed": backorders_allowed,
        "backordered": bool(p["manage_stock"] and p["stock_quantity"] is not None and p["stock_quantity"] <= 0
                            and backorders_allowed),
        "low_stock_amount": p["low_stock_amount"], "sold_individually": p["sold_individually"],
        "weight": weight, "dimensions": dims, "shipping_required": not virtual,
        "shipping_taxable": (not virtual) and p["tax_status"] in ("taxable", "shipping"),
        "shipping_class": shipping_class_slug(store, p, edit), "shipping_class_id": shipping_class_id(store, p, edit),
        "reviews_allowed": p["reviews_allowed"], "average_rating": avg, "rating_count": p["rating_count"],
        "upsell_ids": list(p["upsell_ids"]), "cross_sell_ids": list(p["cross_sell_ids"]),
        "parent_id": p["parent_id"], "purchase_note": p["purchase_note"] if edit else wpautop(p["purchase_note"]),
        "categories": categories, "brands": [] if is_var else [x for x in (_term_ref(store, t) for t in p["brands"]) if x],
        "tags": tags, "images": images, "attributes": attributes,
        "default_attributes": default_attrs,
        "variations": sorted(p["children"]) if p["type"] == "variable" else [],
        "grouped_products": list(p["grouped_products"]), "menu_order": p["menu_order"],
        "price_html": _price_html(store, p), "related_ids": store.related_ids(p),
        "meta_data": [{"id": m["id"], "key": m["key"], "value": m["value"]} for m in p["meta_data"]],
        "stock_status": stock_status, "has_options": p["type"] == "variable",
        "post_password": p["post_password"], "global_unique_id": p["global_unique_id"],
    }
    if edit and not is_var:
        out["permalink_template"] = base + "/product/%pagename%/"
        out["generated_slug"] = generated_slug(p)
    if is_var:
        out["_links"] = links(base, "/wp-json/wc/v3/products/%d" % p["id"], "/wp-json/wc/v3/products",
                              "/wp-json/wc/v3/products/%d" % p["parent_id"])
    else:
        out["_links"] = links(base, "/wp-json/wc/v3/products/%d" % p["id"], "/wp-json/wc/v3/products")
    return out


class _PC:
    """What the per-field renderers of product_json_keys() share for one product."""
    __slots__ = ("store", "p", "base", "edit", "is_var", "parent")


def _pf_name(c):
    p = c.p
    if c.is_var:
        title = variation_title(c.store, p)
        return (c.parent["name"] if c.parent else "") + ((" - " + title) if title else "")
    return p["name"]


def _pf_tax_class(c):
    tax_class = c.p["tax_class"]
    if c.is_var and tax_class == "parent" and not c.edit:
        tax_class = c.parent["tax_class"] if c.parent else ""
    return tax_class


def _pf_average_rating(c):
    avg = c.p["average_rating"]
    if not c.edit:
        try:
            avg = "%.2f" % float(avg)
        except ValueError:
            pass
    return avg


def _pf_dimensions(c):
    dims = dict(c.p["dimensions"])
    if c.is_var and not c.edit and c.parent:
        for k in ("length", "width", "height"):
            if dims[k] == "":
                dims[k] = c.parent["dimensions"][k]
    return dims


def _pf_images(c):
    store, p = c.store, c.p
    if c.is_var:
        return [media_json(store, p["image"])] if p["image"] and p["image"] in store.media else []
    return [media_json(store, m) for m in p["images"] if m in store.media]


def _pf_backordered(c):
    p = c.p
    return bool(p["manage_stock"] and p["stock_quantity"] is not None and p["stock_quantity"] <= 0
                and p["backorders"] in ("yes", "notify"))


def _pf_links(c):
    p = c.p
    if c.is_var:
        return links(c.base, "/wp-json/wc/v3/products/%d" % p["id"], "/wp-json/wc/v3/products",
                     "/wp-json/wc/v3/products/%d" % p["parent_id"])
    return links(c.base, "/wp-json/wc/v3/products/%d" % p["id"], "/wp-json/wc/v3/products")


# Same keys, same order and same values as product_json() (checked by test_conformance.py).
_PRODUCT_FIELDS = (
    ("id", lambda c: c.p["id"]),
    ("name", _pf_name),
    ("slug", lambda c: c.p["slug"] if not c.is_var else (c.parent["slug"] if c.parent else "")),
    ("permalink", lambda c: product_permalink(c.store, c.base, c.p)),
    ("date_created", lambda c: _d(c.store, c.p["date_created"])),
    ("date_created_gmt", lambda c: _dg(c.p["date_created"])),
    ("date_modified", lambda c: _d(c.store, c.p["date_modified"])),
    ("date_modified_gmt", lambda c: _dg(c.p["date_modified"])),
    ("type", lambda c: c.p["type"]),
    ("status", lambda c: c.p["status"]),
    ("featured", lambda c: c.p["featured"]),
    ("catalog_visibility", lambda c: c.p["catalog_visibility"]),
    ("description", lambda c: c.p["description"] if c.edit else wpautop(c.p["description"])),
    ("short_description", lambda c: c.p["short_description"] if c.edit else wpautop(c.p["short_description"])),
    ("sku", lambda c: c.p["sku"]),
    ("price", lambda c: c.store.active_price(c.p)),
    ("regular_price", lambda c: c.p["regular_price"] if not (c.p["type"] == "variable") else ""),
    ("sale_price", lambda c: c.p["sale_price"] if not (c.p["type"] == "variable") else ""),
    ("date_on_sale_from", lambda c: _d(c.store, c.p["date_on_sale_from"])),
    ("date_on_sale_from_gmt", lambda c: _dg(c.p["date_on_sale_from"])),
    ("date_on_sale_to", lambda c: _d(c.store, c.p["date_on_sale_to"])),
    ("date_on_sale_to_gmt", lambda c: _dg(c.p["date_on_sale_to"])),
    ("on_sale", lambda c: c.store.is_on_sale(c.p)),
    ("purchasable", lambda c: c.store.active_price(c.p) != "" and c.p["status"] != "trash"),
    ("total_sales", lambda c: c.p["total_sales"]),
    ("virtual", lambda c: c.p["virtual"]),
    ("downloadable", lambda c: c.p["downloadable"]),
    ("downloads", lambda c: [dict(x) for x in c.p["downloads"]]),
    ("download_limit", lambda c: c.p["download_limit"]),
    ("download_expiry", lambda c: c.p["download_expiry"]),
    ("external_url", lambda c: c.p["external_url"]),
    ("button_text", lambda c: c.p["button_text"]),
    ("tax_status", lambda c: c.p["tax_status"]),
    ("tax_class", _pf_tax_class),
    ("manage_stock", lambda c: c.p["manage_stock"]),
    ("stock_quantity", lambda c: c.p["stock_quantity"]),
    ("backorders", lambda c: c.p["backorders"]),
    ("backorders_allowed", lambda c: c.p["backorders"] in ("yes", "notify")),
    ("backordered", _pf_backordered),
    ("low_stock_amount", lambda c: c.p["low_stock_amount"]),
    ("sold_individually", lambda c: c.p["sold_individually"]),
    ("weight", lambda c: c.p["weight"] if (c.edit or not c.is_var) else _inherit(c.store, c.p, "weight")),
    ("dimensions", _pf_dimensions),
    ("shipping_required", lambda c: not c.p["virtual"]),
    ("shipping_taxable", lambda c: (not c.p["virtual"]) and c.p["tax_status"] in ("taxable", "shipping")),
    ("shipping_class", lambda c: shipping_class_slug(c.store, c.p, c.edit)),
    ("shipping_class_id", lambda c: shipping_class_id(c.store, c.p, c.edit)),
    ("reviews_allowed", lambda c: c.p["reviews_allowed"]),
    ("average_rating", _pf_average_rating),
    ("rating_count", lambda c: c.p["rating_count"]),
    ("upsell_ids", lambda c: list(c.p["upsell_ids"])),
    ("cross_sell_ids", lambda c: list(c.p["cross_sell_ids"])),
    ("parent_id", lambda c: c.p["parent_id"]),
    ("purchase_note", lambda c: c.p["purchase_note"] if c.edit else wpautop(c.p["purchase_note"])),
    ("categories", lambda c: [] if c.is_var else
        [x for x in (_term_ref(c.store, t) for t in c.p["categories"]) if x]),
    ("brands", lambda c: [] if c.is_var else [x for x in (_term_ref(c.store, t) for t in c.p["brands"]) if x]),
    ("tags", lambda c: [] if c.is_var else [x for x in (_term_ref(c.store, t) for t in c.p["tags"]) if x]),
    ("images", _pf_images),
    ("attributes", lambda c: [{"id": x[0], "name": x[1], "slug": x[2], "option": x[3]}
                              for x in _variation_attrs(c.store, c.p)] if c.is_var
        else product_attributes_json(c.store, c.p)),
    ("default_attributes", lambda c: [{"id": d["id"], "name": d["name"], "option": d["option"]}
                                      for d in c.p["default_attributes"]]),
    ("variations", lambda c: sorted(c.p["children"]) if c.p["type"] == "variable" else []),
    ("grouped_products", lambda c: list(c.p["grouped_products"])),
    ("menu_order", lambda c: c.p["menu_order"]),
    ("price_html", lambda c: _price_html(c.store, c.p)),
    ("related_ids", lambda c: c.store.related_ids(c.p)),
    ("meta_data", lambda c: [{"id": m["id"], "key": m["key"], "value": m["value"]} for m in c.p["meta_data"]]),
    ("stock_status", lambda c: c.store.derived_stock_status(c.p)),
    ("has_options", lambda c: c.p["type"] == "variable"),
    ("post_password", lambda c: c.p["post_password"]),
    ("global_unique_id", lambda c: c.p["global_unique_id"]),
)
_PRODUCT_EDIT_FIELDS = (
    ("permalink_template", lambda c: c.base + "/product/%pagename%/"),
    ("generated_slug", lambda c: generated_slug(c.p)),
)
PRODUCT_KEYS = frozenset(k for k, _ in _PRODUCT_FIELDS + _PRODUCT_EDIT_FIELDS) | {"_links"}


def product_json_keys(store, p, base, context, keys):
    """product_json() restricted to the top-level members in `keys` (plus id and _links): the
    same members, in the same order, with the same values, without computing the others."""
    c = _PC()
    c.store, c.p, c.base = store, p, base
    c.edit = context == "edit"
    c.is_var = p["kind"] == "variation"
    c.parent = store.posts.get(p["parent_id"]) if c.is_var else None
    out = {}
    for k, f in _PRODUCT_FIELDS:
        if k in keys or k == "id":
            out[k] = f(c)
    if c.edit and not c.is_var:
        for k, f in _PRODUCT_EDIT_FIELDS:
            if k in keys:
                out[k] = f(c)
    out["_links"] = _pf_links(c)
    return out


def variation_json(store, v, base, context="view"):
    edit = context == "edit"
    parent = store.posts.get(v["parent_id"])
    backorders_allowed = v["backorders"] in ("yes", "notify")
    tax_class = v["tax_class"]
    if tax_class == "parent" and not edit:
        tax_class = parent["tax_class"] if parent else ""
    dims = dict(v["dimensions"])
    weight = v["weight"]
    if not edit and parent:
        weight = _inherit(store, v, "weight")
        for k in ("length", "width", "height"):
            if dims[k] == "":
                dims[k] = parent["dimensions"][k]
    pid = v["parent_id"]
    return {
        "id": v["id"], "type": "variation",
        "date_created": _d(store, v["date_created"]), "date_created_gmt": _dg(v["date_created"]),
        "date_modified": _d(store, v["date_modified"]), "date_modified_gmt": _dg(v["date_modified"]),
        "description": v["description"] if edit else wpautop(v["description"]),
        "permalink": product_permalink(store, base, v), "sku": v["sku"], "global_unique_id": v["global_unique_id"],
        "price": store.active_price(v), "regular_price": v["regular_price"], "sale_price": v["sale_price"],
        "date_on_sale_from": _d(store, v["date_on_sale_from"]), "date_on_sale_from_gmt": _dg(v["date_on_sale_from"]),
        "date_on_sale_to": _d(store, v["date_on_sale_to"]), "date_on_sale_to_gmt": _dg(v["date_on_sale_to"]),
        "on_sale": store.is_on_sale(v), "status": v["status"],
        "purchasable": store.active_price(v) != "" and v["status"] == "publish",
        "virtual": v["virtual"], "downloadable": v["downloadable"], "downloads": [dict(x) for x in v["downloads"]],
        "download_limit": v["download_limit"], "download_expiry": v["download_expiry"],
        "tax_status": v["tax_status"], "tax_class": tax_class, "manage_stock": v["manage_stock"],
        "stock_quantity": v["stock_quantity"], "stock_status": store.derived_stock_status(v),
        "backorders": v["backorders"], "backorders_allowed": backorders_allowed,
        "backordered": bool(v["manage_stock"] and v["stock_quantity"] is not None and v["stock_quantity"] <= 0
                            and backorders_allowed),
        "low_stock_amount": v["low_stock_amount"], "weight": weight, "dimensions": dims,
        "shipping_class": shipping_class_slug(store, v, edit), "shipping_class_id": shipping_class_id(store, v, edit),
        "image": media_json(store, v["image"]) if v["image"] else None,
        "attributes": [{"id": x[0], "name": x[1], "slug": x[2], "option": x[3]} for x in _variation_attrs(store, v)],
        "menu_order": v["menu_order"],
        "meta_data": [{"id": m["id"], "key": m["key"], "value": m["value"]} for m in v["meta_data"]],
        "name": variation_title(store, v), "parent_id": pid,
        "_links": links(base, "/wp-json/wc/v3/products/%d/variations/%d" % (pid, v["id"]),
                        "/wp-json/wc/v3/products/%d/variations" % pid, "/wp-json/wc/v3/products/%d" % pid),
    }


def category_json(store, t, base, counts):
    out = {"id": t["id"], "name": t["name"], "slug": t["slug"], "parent": t["parent"],
           "description": t["description"], "display": t["display"],
           "image": media_json(store, t["image"]) if t["image"] else None, "menu_order": t["menu_order"],
           "count": counts.get(t["id"], 0),
           "_links": links(base, "/wp-json/wc/v3/products/categories/%d" % t["id"], "/wp-json/wc/v3/products/categories",
                           ("/wp-json/wc/v3/products/categories/%d" % t["parent"]) if t["parent"] else None)}
    return out


def tag_json(store, t, base, counts):
    return {"id": t["id"], "name": t["name"], "slug": t["slug"], "description": t["description"],
            "count": counts.get(t["id"], 0),
            "_links": links(base, "/wp-json/wc/v3/products/tags/%d" % t["id"], "/wp-json/wc/v3/products/tags")}


def attribute_json(store, a, base):
    return {"id": a["id"], "name": a["name"], "slug": a["slug"], "type": a["type"], "order_by": a["order_by"],
            "has_archives": a["has_archives"],
            "_links": links(base, "/wp-json/wc/v3/products/attributes/%d" % a["id"], "/wp-json/wc/v3/products/attributes")}


def attribute_term_json(store, aid, t, base, counts):
    return {"id": t["id"], "name": t["name"], "slug": t["slug"], "description": t["description"],
            "menu_order": t["menu_order"], "count": counts.get(t["id"], 0),
            "_links": links(base, "/wp-json/wc/v3/products/attributes/%d/terms/%d" % (aid, t["id"]),
                            "/wp-json/wc/v3/products/attributes/%d/terms" % aid)}


def copy_json(v):
    if isinstance(v, dict):
        return {k: copy_json(x) for k, x in v.items()}
    if isinstance(v, list):
        return [copy_json(x) for x in v]
    return v
