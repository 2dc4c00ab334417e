"""Create/update/delete logic for products, variations and terms (WooCommerce semantics)."""
import re

from .common import (WPError, kses_normalize, sanitize_title, wc_format_decimal, parse_rest_date, to_bool)
from . import sku_race
from .state import UNCATEGORIZED_ID, blank_product, clone_post


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
    meta = obj["meta_data"]
    for item in items or []:
        if not isinstance(item, dict) or "key" not in item and "id" not in item:
            continue
        mid = item.get("id")
        key = item.get("key")
        value = item.get("value")
        target = None
        if mid:
            for m in meta:
                if m["id"] == int(mid):
                    target = m
                    break
        elif key is not None:
            for m in meta:
                if m["key"] == key:
                    target = m
                    break
        if value is None:
            if target is not None:
                meta.remove(target)
            continue
        if target is not None:
            if key is not None:
                target["key"] = key
            target["value"] = value
        elif key is not None:
            meta.append({"id": store.new_meta_id(), "key": key, "value": value})


def _images(store, items, pending_media):
    ids = []
    for img in items or []:
        if not isinstance(img, dict):
            continue
        iid = int(img.get("id") or 0)
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
        aid = int(a.get("id") or 0)
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
        aid = int(a.get("id") or 0)
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
    """Fields shared by products and variations. Mutates `p` (a clone)."""
    if "sku" in data:
        sku = _clean(data["sku"])
        _check_sku(store, sku, p["id"])
        p["sku"] = sku
    if "global_unique_id" in data:
        g = _clean(data["global_unique_id"])
        _check_gtin(store, g, p["id"])
        p["global_unique_id"] = g
    if "status" in data:
        p["status"] = data["status"]
    if "description" in data:
        p["description"] = kses_normalize(data["description"] or "")
    for k in ("regular_price", "sale_price"):
        if k in data:
            p[k] = wc_format_decimal(data[k])
    for k in ("date_on_sale_from", "date_on_sale_to"):
        present, val = _date_in(store, data, k)
        if present:
            p[k] = val
    for k in ("virtual", "downloadable", "manage_stock"):
        if k in data:
            p[k] = bool(data[k])
    if "downloads" in data:
        dl = []
        for i, d in enumerate(data["downloads"] or []):
            if isinstance(d, dict) and d.get("file"):
                dl.append({"id": d.get("id") or "%08x-0000-4000-8000-%012d" % (p["id"], i),
                           "name": d.get("name") or d["file"].rsplit("/", 1)[-1], "file": d["file"]})
        p["downloads"] = dl
    for k in ("download_limit", "download_expiry"):
        if k in data:
            p[k] = int(data[k]) if data[k] is not None else -1
    if "tax_status" in data:
        p["tax_status"] = data["tax_status"]
    if "tax_class" in data:
        tc = sanitize_title(data["tax_class"] or "")
        p["tax_class"] = tc if tc in ("", "reduced-rate", "zero-rate", "parent") else ""
        if tc == "standard":
            p["tax_class"] = ""
    if "backorders" in data:
        p["backorders"] = data["backorders"]
    if p["manage_stock"]:
        if "stock_quantity" in data and data["stock_quantity"] is not None:
            p["stock_quantity"] = int(data["stock_quantity"])
        if "inventory_delta" in data:
            p["stock_quantity"] = (p["stock_quantity"] or 0) + int(data["inventory_delta"])
        if "low_stock_amount" in data:
            p["low_stock_amount"] = int(data["low_stock_amount"]) if data["low_stock_amount"] not in (None, "") else None
        if p["stock_quantity"] is None:
            p["stock_quantity"] = 0
        p["stock_status"] = store.derived_stock_status(p)
    else:
        p["stock_quantity"] = None
        p["low_stock_amount"] = None if "low_stock_amount" not in data else p["low_stock_amount"]
        if "stock_status" in data:
            p["stock_status"] = data["stock_status"]
    if "weight" in data:
        p["weight"] = "" if data["weight"] in (None, "") else wc_format_decimal(data["weight"])
    if "dimensions" in data and isinstance(data["dimensions"], dict):
        for k in ("length", "width", "height"):
            if k in data["dimensions"]:
                v = data["dimensions"][k]
                p["dimensions"][k] = "" if v in (None, "") else wc_format_decimal(v)
    if "shipping_class" in data:
        p["shipping_class"] = sanitize_title(data["shipping_class"] or "")
    if "menu_order" in data and not (is_variation and not data["menu_order"]):
        p["menu_order"] = int(data["menu_order"] or 0)
    if "meta_data" in data:
        _apply_meta(store, p, data["meta_data"])


def write_product(store, existing, data, now):
    """Create (existing=None) or update a product. Returns the committed product dict."""
    creating = existing is None
    if creating:
        p = blank_product(store, 0)
        p["date_created"] = p["date_modified"] = now
    else:
        p = clone_post(existing)
    old_sku = p["sku"]
    pending_media = []
    if "type" in data and data["type"]:
        p["type"] = data["type"]
    if "name" in data:
        p["name"] = kses_normalize(data["name"] or "")
    for k in ("featured", "sold_individually", "reviews_allowed"):
        if k in data:
            p[k] = bool(data[k])
    if "catalog_visibility" in data:
        p["catalog_visibility"] = data["catalog_visibility"]
    if "short_description" in data:
        p["short_description"] = kses_normalize(data["short_description"] or "")
    if "purchase_note" in data:
        p["purchase_note"] = kses_normalize(data["purchase_note"] or "")
    if "post_password" in data:
        p["post_password"] = data["post_password"] or ""
    if "parent_id" in data:
        p["parent_id"] = int(data["parent_id"] or 0)
    for k in ("upsell_ids", "cross_sell_ids", "grouped_products"):
        if k in data:
            ids = []
            for x in data[k] or []:
                try:
                    x = int(x)
                except (TypeError, ValueError):
                    continue
                if store.get_product(x) is not None and x not in ids and x != p["id"]:
                    ids.append(x)
            p[k] = ids
    if p["type"] == "external":
        if "external_url" in data:
            p["external_url"] = data["external_url"] or ""
        if "button_text" in data:
            p["button_text"] = data["button_text"] or ""
    present, val = _date_in(store, data, "date_created")
    if present and val is not None:
        p["date_created"] = val
    _common_fields(store, p, data, pending_media, False)
    if p["type"] in ("variable", "grouped"):
        p["regular_price"] = p["sale_price"] = ""
        p["date_on_sale_from"] = p["date_on_sale_to"] = None
    if "categories" in data:
        cats = []
        for c in data["categories"] or []:
            if isinstance(c, dict) and c.get("id"):
                cid = int(c["id"])
                t = store.terms.get(cid)
                if t is not None and t["taxonomy"] == "product_cat" and cid not in cats:
                    cats.append(cid)
        p["categories"] = cats
    if "tags" in data:
        tags = []
        for t in data["tags"] or []:
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
    if not p["categories"]:
        p["categories"] = [UNCATEGORIZED_ID]
    image_ids = None
    if "images" in data:
        image_ids = _images(store, data["images"], pending_media)
    if "attributes" in data:
        p["attributes"] = _product_attributes(store, data["attributes"])
    if "default_attributes" in data:
        p["default_attributes"] = _default_attributes(store, data["default_attributes"])
    if "slug" in data and data["slug"]:
        p["slug"] = sanitize_title(data["slug"])
    # ---- commit
    if creating:
        p["id"] = store.new_post_id()
        sku_race.note_created(store, p["id"])
    if image_ids is not None:
        p["images"] = _commit_media(store, image_ids, pending_media)
    if creating or ("slug" in data and data["slug"]) or not p["slug"]:
        p["slug"] = store.unique_post_slug(p["slug"] or sanitize_title(p["name"]) or str(p["id"]), p["id"])
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
    if "status" in data and data["status"] not in ("draft", "pending", "private", "publish"):
        data = dict(data)
        data["status"] = "publish"
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
        for a in data["attributes"] or []:
            if not isinstance(a, dict):
                continue
            aid = int(a.get("id") or 0)
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
                if not aid and not pa["id"] and a.get("name") and pa["name"].lower() == str(a["name"]).lower():
                    attrs.append({"id": 0, "name": pa["name"], "option": opt})
                    break
                if not aid and pa["id"] and a.get("name"):
                    attr = store.attributes[pa["id"]]
                    if str(a["name"]).lower() in (attr["name"].lower(), attr["slug"]):
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
    p["status"] = "trash"
    p["date_modified"] = store.now()
    if indexed:
        store.index_post(p)
    store.reindex_sku(p)
    store.touch()
    return p
