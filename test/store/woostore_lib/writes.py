"""Create/update/delete logic for products, variations and terms (WooCommerce semantics)."""
import datetime as _dt
import re

from .common import (WPError, kses_normalize, sanitize_title, wc_format_decimal, parse_rest_date, to_bool)
from . import sku_race
from .state import UNCATEGORIZED_ID, blank_product, clone_post


PRODUCT_TYPES = ("simple", "grouped", "external", "variable")
_EPOCH = _dt.datetime(1970, 1, 1)
CATALOG_VISIBILITY = ("visible", "catalog", "search", "hidden")
TAX_STATUSES = ("taxable", "shipping", "none")
STOCK_STATUSES = ("instock", "outofstock", "onbackorder")


def php_bool(v):
    """wc_string_to_bool(): true, 1, "1", "yes", "true" (any case) are true, anything else false."""
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return v == 1
    if isinstance(v, str):
        return v.strip().lower() in ("yes", "true", "1")
    return False


def php_int(v):
    """intval(): numeric prefixes count ("12.7" -> 12, "abc" -> 0)."""
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, (int, float)):
        return int(v)
    if isinstance(v, str):
        m = re.match(r"^\s*([+-]?\d+(?:\.\d*)?)", v)
        return int(float(m.group(1))) if m else 0
    return 0


def as_text(v):
    """A value a setter stores as text: numbers become their digits, arrays and objects nothing."""
    if isinstance(v, bool):
        return "1" if v else ""
    if isinstance(v, (int, float, str)):
        return str(v)
    return ""


def isset_data(data):
    """WooCommerce reads request fields with isset(): a null value is no value (it changes nothing).
    low_stock_amount is read with array_key_exists(): null there clears it."""
    return {k: v for k, v in data.items() if v is not None or k == "low_stock_amount"}


def _clean(v):
    """wc_clean(): strip tags and surrounding whitespace."""
    if v is None:
        return ""
    return re.sub(r"<[^>]*>", "", str(v)).strip()


def _date_in(store, data, key):
    """Returns (present, naive UTC datetime or None) for key / key_gmt pairs."""
    if key + "_gmt" in data:
        raw = data[key + "_gmt"]
        if raw in (None, ""):
            return True, None
        parsed = parse_rest_date(raw) or parse_rest_date(str(raw)[:10] + "T00:00:00")
        if parsed is None:
            return True, None
        d, off = parsed
        return True, (d - off) if off is not None else d
    if key in data:
        raw = data[key]
        if raw in (None, ""):
            return True, None
        parsed = parse_rest_date(raw) or parse_rest_date(str(raw)[:10] + "T00:00:00")
        if parsed is None:
            return True, None
        d, off = parsed
        if off is not None:
            return True, d - off
        from .common import local_to_utc
        return True, local_to_utc(d, store.tz)
    return False, None


def _apply_meta(store, obj, items):
    """WC_Data::update_meta_data(key, value, id) for each item: an id matching one of the object's
    meta (strictly, as an integer) updates it; without an id, the first meta of that key gets the
    value and the others of the key are deleted; an id that matches none deletes every meta of the
    key and adds a new one; a null value deletes."""
    meta = obj["meta_data"]
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or "key" not in item:
            continue
        key, value, mid = item["key"], item.get("value"), item.get("id")
        if mid:
            target = next((m for m in meta if isinstance(mid, int) and not isinstance(mid, bool) and m["id"] == mid), None)
            if target is None:
                meta[:] = [m for m in meta if m["key"] != key]
        else:
            same = [m for m in meta if m["key"] == key]
            target = same[0] if same else None
            meta[:] = [m for m in meta if m["key"] != key or m is target]
        if value is None:
            if target is not None:
                meta.remove(target)
            continue
        if target is not None:
            target["key"], target["value"] = key, value
        else:
            meta.append({"id": store.new_meta_id(), "key": key, "value": value})


def _images(store, items, pending_media):
    ids = []
    for img in items or []:
        if not isinstance(img, dict):
            continue
        iid = php_int(img.get("id"))
        if iid:
            if iid not in store.media and iid not in [m["id"] for m in pending_media]:
                raise WPError("woocommerce_product_invalid_image_id", "#%d is an invalid image ID." % iid, 400)
            if iid in store.media and ("alt" in img or "name" in img):
                pending_media.append({"_update": iid, "alt": img.get("alt"), "name": img.get("name")})
            ids.append(iid)
        elif img.get("src") not in (None, ""):
            info = store.upload_image(img.get("src"), img.get("name"), img.get("alt") or "")
            info["_new"] = True
            pending_media.append(info)
            ids.append(info)
    return ids


def _commit_media(store, ids, pending):
    out = []
    for x in ids:
        if isinstance(x, dict):
            m = store.add_media(x["src"], x.get("name"), x.get("alt") or "")
            out.append(m["id"])
        else:
            out.append(x)
    for upd in pending:
        if "_update" in upd:
            m = store.media[upd["_update"]]
            if upd.get("alt") is not None:
                m["alt"] = upd["alt"]
            if upd.get("name"):
                m["name"] = upd["name"]
    return out


def _check_sku(store, sku, own_id):
    owner = store.sku_conflict(sku, own_id)
    if owner is not None and not sku_race.hides(store, owner):
        raise WPError("product_invalid_sku", "Invalid or duplicated SKU.", 400, resource_id=owner,
                      unique_sku=store.unique_sku_suggestion(sku))


def _check_gtin(store, gtin, own_id):
    if not gtin:
        return
    holders = store.gtin_holders(gtin)
    if holders is not None and not any(i != own_id for i in holders):
        return  # no other post has it: the scan below would find nothing
    for p in store.posts.values():
        if p["id"] != own_id and p["global_unique_id"] == gtin and p["status"] != "trash":
            raise WPError("product_invalid_global_unique_id", "Invalid or duplicated GTIN, UPC, EAN or ISBN.", 400,
                          resource_id=p["id"])


def _product_attributes(store, items):
    out = []
    for a in items or []:
        if not isinstance(a, dict):
            continue
        aid = php_int(a.get("id"))
        name = a.get("name") or ""
        if not aid and name:
            # a name that matches a global attribute (label or slug) is treated as that attribute
            for attr in store.attributes.values():
                if attr["slug"] == name or attr["slug"] == "pa_" + sanitize_title(name):
                    aid = attr["id"]
                    break
        if not aid and not name:
            continue
        position = int(a.get("position") or 0)
        visible = to_bool(a.get("visible", False))
        variation = to_bool(a.get("variation", False))
        opts = a.get("options")
        if opts is None and "option" in a:
            opts = [a["option"]]
        if isinstance(opts, str):
            opts = [o.strip() for o in opts.split("|")]
        opts = [str(o) for o in (opts or []) if str(o).strip() != ""]
        if aid:
            attr = store.attributes.get(aid)
            if attr is None or not opts:
                continue
            tids = []
            for o in opts:
                t = store.term_by_name(attr["slug"], o) or store.term_by_slug(attr["slug"], sanitize_title(o))
                if t is None:
                    t = store.add_term(attr["slug"], o)  # real WC creates missing terms on save
                if t["id"] not in tids:
                    tids.append(t["id"])
            out.append({"id": aid, "name": "", "position": position, "visible": visible, "variation": variation,
                        "options": tids})
        elif opts:
            out.append({"id": 0, "name": _clean(name), "position": position, "visible": visible,
                        "variation": variation, "options": [kses_normalize(o) for o in opts]})
    return out


def _default_attributes(store, items):
    out = []
    for a in items or []:
        if not isinstance(a, dict):
            continue
        aid = php_int(a.get("id"))
        opt = a.get("option")
        if opt in (None, ""):
            continue
        if aid:
            attr = store.attributes.get(aid)
            if attr is None:
                continue
            t = store.term_by_name(attr["slug"], opt)
            out.append({"id": aid, "name": attr["name"], "option": t["slug"] if t else sanitize_title(opt)})
        elif a.get("name"):
            out.append({"id": 0, "name": _clean(a["name"]), "option": str(opt)})
    return out


def _common_fields(store, p, data, pending_media, is_variation):
    """Fields shared by products and variations (prepare_object_for_database of the products
    and variations controllers). Mutates `p` (a clone)."""
    if "sku" in data:
        sku = _clean(as_text(data["sku"]))
        _check_sku(store, sku, p["id"])
        p["sku"] = sku
    if "global_unique_id" in data:
        g = _clean(as_text(data["global_unique_id"]))
        _check_gtin(store, g, p["id"])
        p["global_unique_id"] = g
    if "status" in data:
        p["status"] = as_text(data["status"])
    if "description" in data:
        p["description"] = kses_normalize(as_text(data["description"]))
    for k in ("regular_price", "sale_price"):
        if k in data:
            p[k] = wc_format_decimal(data[k])
    for k in ("date_on_sale_from", "date_on_sale_to"):
        present, val = _date_in(store, data, k)
        if present:
            p[k] = val
    for k in ("virtual", "downloadable"):
        if k in data:
            p[k] = php_bool(data[k])
    if p["downloadable"]:
        # downloads, their limit and expiry are only read for a downloadable product
        if isinstance(data.get("downloads"), list):
            dl = []
            for i, d in enumerate(data["downloads"]):
                if isinstance(d, dict) and d.get("file"):
                    dl.append({"id": d.get("id") or "%08x-0000-4000-8000-%012d" % (p["id"], i),
                               "name": d.get("name") or d["file"].rsplit("/", 1)[-1], "file": d["file"]})
            p["downloads"] = dl
        for k in ("download_limit", "download_expiry"):
            if k in data:
                p[k] = php_int(data[k])
    if "tax_status" in data:
        if data["tax_status"] and data["tax_status"] not in TAX_STATUSES:
            raise WPError("product_invalid_tax_status", "Invalid product tax status.", 400)
        p["tax_status"] = data["tax_status"]
    if "tax_class" in data:
        tc = sanitize_title(as_text(data["tax_class"]))
        p["tax_class"] = tc if tc in ("", "reduced-rate", "zero-rate", "parent") else ""
    _stock_fields(store, p, data)
    if "weight" in data:
        p["weight"] = "" if data["weight"] == "" else wc_format_decimal(data["weight"])
    if isinstance(data.get("dimensions"), dict):
        for k in ("length", "width", "height"):
            v = data["dimensions"].get(k)
            if v is not None:
                p["dimensions"][k] = "" if v == "" else wc_format_decimal(v)
    if "shipping_class" in data:
        # get_shipping_class_id_by_slug(): an unknown slug sets no class (id 0)
        t = store.term_by_slug("product_shipping_class", _clean(as_text(data["shipping_class"])))
        p["shipping_class_id"] = t["id"] if t is not None else 0
    if "menu_order" in data and not (is_variation and not data["menu_order"]):
        p["menu_order"] = php_int(data["menu_order"])
    if "meta_data" in data:
        _apply_meta(store, p, data["meta_data"])


def _stock_fields(store, p, data):
    """The stock block of prepare_object_for_database() (option woocommerce_manage_stock "yes")
    and WC_Product::validate_props(): grouped and external products never manage stock (external
    ones are always in stock); without managed stock the quantity, backorders ("no") and low-stock
    amount are cleared and stock_status is taken as sent; with managed stock the quantity wins
    over inventory_delta, and the status follows the quantity and backorders."""
    stock_status = data["stock_status"] if "stock_status" in data else p["stock_status"]
    if stock_status not in STOCK_STATUSES:
        stock_status = "instock"                          # WC_Product::set_stock_status()
    if "manage_stock" in data:
        p["manage_stock"] = php_bool(data["manage_stock"])
    if "backorders" in data:
        p["backorders"] = as_text(data["backorders"])
    if p["kind"] == "product" and p["type"] in ("grouped", "external"):
        p["manage_stock"], p["backorders"], p["stock_quantity"] = False, "no", None
        p["stock_status"] = "instock" if p["type"] == "external" else stock_status
        p["low_stock_amount"] = None
        return
    if p["manage_stock"]:
        if "stock_quantity" in data:
            p["stock_quantity"] = php_int(data["stock_quantity"])
        elif "inventory_delta" in data:
            p["stock_quantity"] = php_int(p["stock_quantity"]) + php_int(data["inventory_delta"])
        if "low_stock_amount" in data:
            v = data["low_stock_amount"]
            p["low_stock_amount"] = None if v is None or v == "" else php_int(v)
        if p["stock_quantity"] is None:
            p["stock_quantity"] = 0
        p["stock_status"] = store.derived_stock_status(p)
    else:
        p["stock_quantity"] = None
        p["backorders"] = "no"
        p["low_stock_amount"] = None
        p["stock_status"] = stock_status


def _post_name(store, p):
    """wp_insert_post(): a draft or pending post without a slug keeps none, and its slug is not
    made unique (real/22: a draft created in a batch answers slug ""); other posts get
    sanitize_title(name) when they have none, made unique by wp_unique_post_slug()."""
    if p["status"] in ("draft", "pending", "auto-draft"):
        return p["slug"]
    return store.unique_post_slug(p["slug"] or sanitize_title(p["name"]) or str(p["id"]), p["id"])


def write_product(store, existing, data, now):
    """Create (existing=None) or update a product. Returns the committed product dict."""
    creating = existing is None
    data = isset_data(data)
    if creating:
        p = blank_product(store, 0)
        p["date_created"] = p["date_modified"] = now
    else:
        p = clone_post(existing)
    old_sku = p["sku"]
    pending_media = []
    if data.get("type"):
        # WC_Product_Factory: a type without a product class makes a simple product
        p["type"] = data["type"] if data["type"] in PRODUCT_TYPES else "simple"
    if "name" in data:
        p["name"] = kses_normalize(as_text(data["name"]))
    for k in ("featured", "sold_individually", "reviews_allowed"):
        if k in data:
            p[k] = php_bool(data[k])
    if "catalog_visibility" in data:
        if data["catalog_visibility"] not in CATALOG_VISIBILITY:
            raise WPError("product_invalid_catalog_visibility", "Invalid catalog visibility option.", 400)
        p["catalog_visibility"] = data["catalog_visibility"]
    if "short_description" in data:
        p["short_description"] = kses_normalize(as_text(data["short_description"]))
    if "purchase_note" in data:
        p["purchase_note"] = kses_normalize(as_text(data["purchase_note"]))
    if "post_password" in data:
        p["post_password"] = as_text(data["post_password"])
    if "parent_id" in data:
        p["parent_id"] = php_int(data["parent_id"])
    for k in ("upsell_ids", "cross_sell_ids"):
        if isinstance(data.get(k), list):
            # every id above 0, as sent: no check that it is a product (set_upsell_ids)
            p[k] = [php_int(x) for x in data[k] if php_int(x) > 0]
    if p["type"] == "grouped" and isinstance(data.get("grouped_products"), list):
        ids = []
        for x in data["grouped_products"]:                 # wp_parse_id_list(): absint, unique
            x = abs(php_int(x))
            if x and x not in ids:
                ids.append(x)
        p["grouped_products"] = ids
    if p["type"] == "external":
        if "external_url" in data:
            p["external_url"] = as_text(data["external_url"])
        if "button_text" in data:
            p["button_text"] = as_text(data["button_text"])
    present, val = _date_in(store, data, "date_created")
    if present and val is not None:
        p["date_created"] = val
    _common_fields(store, p, data, pending_media, False)
    if p["type"] in ("variable", "grouped"):
        p["regular_price"] = p["sale_price"] = ""
        p["date_on_sale_from"] = p["date_on_sale_to"] = None
    if isinstance(data.get("categories"), list):
        cats = []
        for c in data["categories"]:
            if isinstance(c, dict) and c.get("id"):
                cid = int(c["id"])
                t = store.terms.get(cid)
                if t is not None and t["taxonomy"] == "product_cat" and cid not in cats:
                    cats.append(cid)
        p["categories"] = cats
    if isinstance(data.get("tags"), list):
        tags = []
        for t in data["tags"]:
            if not isinstance(t, dict):
                continue
            if t.get("id"):
                term = store.terms.get(int(t["id"]))
                if term is not None and term["taxonomy"] == "product_tag" and term["id"] not in tags:
                    tags.append(term["id"])
            elif t.get("name"):
                term = store.term_by_name("product_tag", t["name"]) or store.add_term("product_tag", t["name"])
                if term["id"] not in tags:
                    tags.append(term["id"])
        p["tags"] = tags
    if isinstance(data.get("brands"), list):
        # save_taxonomy_terms(): the ids of the objects; ids that are no brand are skipped
        brands = []
        for b in data["brands"]:
            bid = int(b.get("id") or 0) if isinstance(b, dict) else 0
            t = store.terms.get(bid)
            if t is not None and t["taxonomy"] == "product_brand" and bid not in brands:
                brands.append(bid)
        p["brands"] = brands
    if not p["categories"]:
        p["categories"] = [UNCATEGORIZED_ID]
    image_ids = None
    if "images" in data:
        image_ids = _images(store, data["images"], pending_media)
    if "attributes" in data:
        p["attributes"] = _product_attributes(store, data["attributes"])
    if "default_attributes" in data and p["type"] == "variable":
        p["default_attributes"] = _default_attributes(store, data["default_attributes"])
    if data.get("slug"):
        p["slug"] = sanitize_title(as_text(data["slug"]))
    # ---- commit
    if creating:
        p["id"] = store.new_post_id()
        sku_race.note_created(store, p["id"])
    if image_ids is not None:
        p["images"] = _commit_media(store, image_ids, pending_media)
    p["slug"] = _post_name(store, p)
    if not creating:
        p["date_modified"] = now
    if p["type"] != "variable":
        p["children"] = p["children"] if not creating else []
    store.put_post(p)
    store.reindex_sku(p, old_sku)
    store.touch()
    return p


def write_variation(store, parent, existing, data, now):
    creating = existing is None
    if creating:
        v = blank_product(store, 0, kind="variation")
        v["parent_id"] = parent["id"]
        v["date_created"] = v["date_modified"] = now
        v["name"] = parent["name"]
    else:
        v = clone_post(existing)
    old_sku = v["sku"]
    pending_media = []
    data = isset_data(data)
    if "status" in data and data["status"] not in ("draft", "pending", "private", "publish", "future", "trash"):
        data = dict(data)
        data["status"] = "draft"          # no such post status: draft (variations controller)
    _common_fields(store, v, data, pending_media, True)
    new_image = None
    if "image" in data:
        img = data["image"]
        if isinstance(img, dict) and (img.get("id") or img.get("src")):
            new_image = _images(store, [img], pending_media)
        else:
            new_image = []
    if "attributes" in data:
        attrs = []
        for a in data["attributes"] if isinstance(data["attributes"], list) else []:
            if not isinstance(a, dict):
                continue
            aid = php_int(a.get("id"))
            opt = a.get("option")
            opt = "" if opt is None else str(opt).strip()
            for pa in parent["attributes"]:
                if not pa["variation"]:
                    continue
                if aid and pa["id"] == aid:
                    attr = store.attributes[aid]
                    t = store.term_by_name(attr["slug"], opt) if opt else None
                    slug = t["slug"] if t else (sanitize_title(opt) if opt else "")
                    attrs.append({"id": aid, "name": attr["slug"], "option": slug})
                    break
                # without an id the name is matched as sanitize_title(name) against the parent's
                # attribute keys: a local attribute's sanitized name, a global one's taxonomy
                # (pa_color); a global attribute's label ("Color") matches nothing
                if not aid and not pa["id"] and a.get("name") and \
                        sanitize_title(pa["name"]) == sanitize_title(as_text(a["name"])):
                    attrs.append({"id": 0, "name": pa["name"], "option": opt})
                    break
                if not aid and pa["id"] and a.get("name"):
                    attr = store.attributes[pa["id"]]
                    if sanitize_title(as_text(a["name"])) == attr["slug"]:
                        t = store.term_by_name(attr["slug"], opt) if opt else None
                        attrs.append({"id": attr["id"], "name": attr["slug"],
                                      "option": t["slug"] if t else sanitize_title(opt)})
                        break
        v["attributes"] = attrs
    if creating:
        v["id"] = store.new_post_id()
        sku_race.note_created(store, v["id"])
        v["slug"] = "%s-%d" % (parent["slug"], len(parent["children"]) + 1)
    if new_image is not None:
        ids = _commit_media(store, new_image, pending_media)
        v["image"] = ids[0] if ids else None
    if not creating:
        v["date_modified"] = now
    store.put_post(v)
    store.reindex_sku(v, old_sku)
    if creating:
        parent["children"].append(v["id"])
    parent["date_modified"] = now  # real/41: a variation edit bumps the parent
    store.touch()
    return v


def delete_post(store, p, force):
    """Products: trash or force delete. Returns the object to serialise (before deletion if forced)."""
    if force:
        for cid in list(p.get("children", [])):
            c = store.remove_post(cid)
            if c and c["sku"] and store.sku_owner.get(c["sku"]) == cid:
                del store.sku_owner[c["sku"]]
        store.remove_post(p["id"])
        if p["sku"] and store.sku_owner.get(p["sku"]) == p["id"]:
            del store.sku_owner[p["sku"]]
        if p["kind"] == "variation":
            parent = store.posts.get(p["parent_id"])
            if parent and p["id"] in parent["children"]:
                parent["children"].remove(p["id"])
        store.touch()
        return p
    indexed = store.posts.get(p["id"]) is p
    if indexed:
        store.unindex_post(p)
    # wp_trash_post(): the status it had and the time are kept as meta, which a later REST status
    # change does not remove (real/77d)
    now = store.now()
    for key, value in (("_wp_trash_meta_status", p["status"]),
                       ("_wp_trash_meta_time", str(int((now - _EPOCH).total_seconds())))):
        meta = next((m for m in p["meta_data"] if m["key"] == key), None)
        if meta is None:
            p["meta_data"].append({"id": store.new_meta_id(), "key": key, "value": value})
        else:
            meta["value"] = value
    p["status"] = "trash"
    p["date_modified"] = now
    if indexed:
        store.index_post(p)
    store.reindex_sku(p)
    store.touch()
    return p
