"""The request flow WooCommerce's REST controllers share, for the resources served by a Resource
(coupons, reviews, orders, notes, refunds, taxes, shipping, webhooks, settings, ...).

WC_REST_Controller / WC_REST_CRUD_Controller (plugins/woocommerce/includes/rest-api/Controllers/
Version3/class-wc-rest-controller.php, class-wc-rest-crud-controller.php):
* get_item / delete_item: a missing object is 404 "Invalid ID."; update_item: 400.
* create_item: an "id" in the body is "woocommerce_rest_<type>_exists" "Cannot create existing
  <type>." (400); the answer is the object in context=edit, 201, Location rest_url(rest_base/id).
* update_item answers the object in context=edit, 200.
* delete_item renders the object (context=edit) before deleting it: a trashed object answers as it
  was before the trash (real/77c: status "publish"); without force, types without trash answer
  501 woocommerce_rest_trash_not_supported, an object already in the trash 410.
* batch_items: at most 100 items (413); create items get the item schema's defaults but are
  neither validated nor sanitised against the endpoint's args (a single request is); update
  items likewise; delete ids are cast to int, 0 skipped, always forced; a failed item is
  {"id": <its id, 0 for creates>, "error": {code, message, data}}; HTTP 200.
"""
from .common import WPError
from .listing import _fields, _fields_filter, _ids, _sort, paginate
from . import schema as sch

BATCH_LIMIT = 100


class Resource:
    """One REST resource. Subclasses set the class attributes and implement the hooks."""
    name = None             # the resource key of api.SERVED
    object_type = None      # "shop_coupon": woocommerce_rest_shop_coupon_invalid_id, "Cannot create existing shop_coupon."
    collection_key = None   # route key of the collection (its POST args are the item schema's)
    totals = True           # X-WP-Total / X-WP-TotalPages and paging; False: answered whole without
                            # them; "whole": answered whole with X-WP-Total n, X-WP-TotalPages 1
    trash = False           # DELETE without force moves to the trash
    default_orderby = "date"
    default_order = "desc"
    force_default = False   # the DELETE route's force default (refunds: true)
    sortable = True         # the list takes orderby/order; else records() gives the answer's order
    force_checked_first = False  # DELETE refuses a missing force before looking the object up

    def __init__(self, store):
        self.store = store

    # -- hooks
    def parent(self, req):
        """The parent object of a nested route (404 when missing), else None."""
        return None

    def records(self, req, parent):
        raise NotImplementedError

    def select(self, req, params, items):
        return items

    def sort_keys(self):
        return {"id": lambda r: 0}

    def find(self, req, parent, oid):
        raise NotImplementedError

    def render(self, req, rec, context):
        raise NotImplementedError

    def create(self, req, parent, data):
        raise WPError("woostore_not_implemented", "The test store cannot create this resource.", 501)

    def update(self, req, parent, rec, data):
        raise WPError("woostore_not_implemented", "The test store cannot update this resource.", 501)

    def remove(self, req, parent, rec, force):
        raise WPError("woostore_not_implemented", "The test store cannot delete this resource.", 501)

    def location(self, req, rec):
        return "%s/wp-json%s/%s" % (req.base, req.route, rec["id"])

    def invalid_id(self, status):
        return WPError("woocommerce_rest_%s_invalid_id" % self.object_type, "Invalid ID.", status)

    def exists_error(self):
        return WPError("woocommerce_rest_%s_exists" % self.object_type,
                       "Cannot create existing %s." % self.object_type, 400)

    def trash_not_supported(self):
        return WPError("woocommerce_rest_trash_not_supported",
                       "The %s does not support trashing." % self.object_type, 501)

    def is_trashed(self, rec):
        return rec.get("status") == "trash"

    def adjust_args(self, args):
        """The endpoint's args as the store's state makes them (e.g. enums of its tax classes)."""
        return args

    def parse_id(self, v):
        return _int_id(v)

    def item_id(self, req):
        """The item route's id parameter (slug, instance_id, ... for some resources)."""
        for name in ("id", "slug", "instance_id", "location", "currency"):
            if name in req.match:
                return req.match[name]
        return None

    def item_defaults(self):
        """The item schema's defaults (batch_items gives them to each created item)."""
        schema = sch.route_schema(self.collection_key) or {}
        return {k: v["default"] for k, v in schema.get("properties", {}).items() if "default" in v}


# ---------------------------------------------------------------------------- the request flow
def handle(api, req, method, kind, route_key, res):
    """Serves one request for Resource `res` (after authentication and route matching)."""
    from .api import Response
    if kind == "collection" and method == "GET":
        req.params = api.validate(req, route_key, "GET", req.query, res.adjust_args)
        api.require(req, "list")
        return list_items(req, res)
    if kind == "collection" and hasattr(res, "replace"):   # zone locations: the body replaces the list
        api.require(req, "edit")
        return Response(200, res.replace(req, req.body))
    if kind == "collection":
        body = api._body_dict(req)
        req.params = api.validate(req, route_key, "POST", body, res.adjust_args)
        api.require(req, "create")
        parent = res.parent(req)
        data = _defaults(route_key, "POST")   # WordPress gives a create its args' defaults
        data.update(_merged(body, req.params))
        obj, location = create_item(req, res, parent, data)
        return Response(201, _fields_filter(obj, _fields(req)), [("Location", location)])
    if kind == "item" and method == "GET":
        req.params = api.validate(req, route_key, "GET", req.query)
        parent = res.parent(req)
        rec = _find(req, res, parent, res.item_id(req), 404)
        api.require(req, "read")
        return Response(200, _fields_filter(res.render(req, rec, req.params.get("context", "view")), _fields(req)))
    if kind == "item" and method == "DELETE":
        req.params = api.validate(req, route_key, "DELETE", req.query)
        if res.force_checked_first and not _force(req.params):
            api.require(req, "delete")
            raise res.trash_not_supported()
        parent = res.parent(req)
        rec = _find(req, res, parent, res.item_id(req), 404)
        api.require(req, "delete")
        force = _force(req.params) if "force" in req.params else res.force_default
        return Response(200, _fields_filter(delete_item(req, res, parent, rec, force), _fields(req)))
    if kind == "item":
        body = api._body_dict(req)
        req.params = api.validate(req, route_key, method, body, res.adjust_args)
        parent = res.parent(req)
        rec = _find(req, res, parent, res.item_id(req), 400)
        api.require(req, "edit")
        return Response(200, _fields_filter(update_item(req, res, parent, rec, _merged(body, req.params)),
                                            _fields(req)))
    if kind == "batch":
        body = api._body_dict(req)
        api.validate(req, route_key, method, body)
        api.require(req, "batch")
        if hasattr(res, "batch"):
            return Response(200, res.batch(req, body))
        return Response(200, batch_items(req, res, body))
    raise WPError("rest_no_route", "No route was found matching the URL and request method.", 404)


def _defaults(route_key, method):
    return {k: a["default"] for k, a in sch.route_args(route_key, method).items() if "default" in a}


def _merged(body, params):
    """The request's values: the body with the args' sanitised values (WP_REST_Request)."""
    data = dict(body)
    data.update({k: v for k, v in params.items() if k in body})
    return data


def _force(params):
    v = params.get("force", False)
    return v is True or (isinstance(v, str) and v.lower() in ("1", "true", "yes"))


def _find(req, res, parent, oid, status_missing):
    rec = res.find(req, parent, oid) if oid not in (None, "", 0) else None
    if rec is None:
        raise res.invalid_id(status_missing)
    return rec


def list_items(req, res):
    from .api import Response
    p = req.params
    parent = res.parent(req)
    items = res.select(req, p, list(res.records(req, parent)))
    if res.sortable:
        include = _ids(p.get("include")) if p.get("include") else None
        items = _sort(items, p.get("orderby", res.default_orderby), p.get("order", res.default_order),
                      res.sort_keys(), include)
    ctx = p.get("context", "view")
    if res.totals == "whole":       # answered whole, yet with totals (real/57c, 60, 61)
        headers = [("X-WP-Total", str(len(items))), ("X-WP-TotalPages", "1")]
    elif res.totals:
        items, headers = paginate(req, items, p.get("per_page", 10), p.get("page", 1), p.get("offset"))
    else:
        headers = []
    fields = _fields(req)
    return Response(200, [_fields_filter(res.render(req, x, ctx), fields) for x in items], headers)


def create_item(req, res, parent, data):
    if data.get("id"):
        raise res.exists_error()
    rec = res.create(req, parent, data)
    return res.render(req, rec, "edit"), res.location(req, rec)


def update_item(req, res, parent, rec, data):
    rec = res.update(req, parent, rec, data)
    return res.render(req, rec, "edit")


def delete_item(req, res, parent, rec, force):
    if hasattr(res, "delete_response"):   # controllers with their own delete_item (reviews)
        return res.delete_response(req, rec, force)
    out = res.render(req, rec, "edit")   # rendered before the delete (WC_REST_CRUD_Controller)
    if not force:
        if not res.trash:
            raise res.trash_not_supported()
        if res.is_trashed(rec):
            raise WPError("woocommerce_rest_already_trashed",
                          "The %s has already been deleted." % res.object_type, 410)
    res.remove(req, parent, rec, force)
    return out


def _error_item(iid, e):
    return {"id": iid, "error": e.body()}


def batch_items(req, res, body):
    items = {k: v for k, v in body.items() if v}           # array_filter($request->get_params())
    total = sum(len(items.get(k) or []) for k in ("create", "update", "delete"))
    if total > BATCH_LIMIT:
        raise WPError("woocommerce_rest_request_entity_too_large",
                      "Unable to accept more than %d items for this request." % BATCH_LIMIT, 413)
    parent = res.parent(req)
    out = {}
    if items.get("create"):
        out["create"] = []
        for item in items["create"]:
            data = res.item_defaults()
            data.update(item if isinstance(item, dict) else {})
            try:
                obj, _ = create_item(req, res, parent, data)
                out["create"].append(obj)
            except WPError as e:
                out["create"].append(_error_item(0, e))
    if items.get("update"):
        out["update"] = []
        for item in items["update"]:
            item = item if isinstance(item, dict) else {}
            try:
                rec = _find(req, res, parent, res.parse_id(item.get("id")), 400)
                out["update"].append(update_item(req, res, parent, rec, item))
            except WPError as e:
                out["update"].append(_error_item(item.get("id"), e))
    if items.get("delete"):
        out["delete"] = []
        for iid in items["delete"]:
            iid = _int_id(iid)
            if iid == 0:
                continue
            try:
                rec = _find(req, res, parent, iid, 404)
                out["delete"].append(delete_item(req, res, parent, rec, True))
            except WPError as e:
                out["delete"].append(_error_item(iid, e))
    return out if out else []


def _int_id(v):
    """(int) in PHP: numeric strings and floats truncate, a non-empty array is 1, the rest 0."""
    if isinstance(v, (dict, list)):
        return 1 if v else 0
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, (int, float)):
        return int(v)
    if isinstance(v, str):
        try:
            return int(float(v.strip()))
        except ValueError:
            return 0
    return 0
