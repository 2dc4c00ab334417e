"""Webhooks (the REST resource; the creation ping and the deliveries are webhook_delivery.py's).

Sources: Version3/class-wc-rest-webhooks-controller.php and Version1 (create_item: topic and
delivery URL checked, the secret kept but never answered, DELETE needs force), class-wc-webhook.php
(get_hooks per topic), class-wc-webhook-data-store.php (date_modified null until changed, lists
ordered by date with ties in id order); captures real/67, 67b (75 shows the creates).
"""
import random
import re
import string

from .common import WPError
from .crud import Resource
from .listing import _ids
from .serialize import links

TOPIC_HOOKS = {
    "product.created": ["woocommerce_process_product_meta", "woocommerce_new_product", "woocommerce_new_product_variation"],
    "product.updated": ["woocommerce_process_product_meta", "woocommerce_update_product",
                        "woocommerce_update_product_variation"],
    "product.deleted": ["wp_trash_post"],
    "product.restored": ["untrashed_post"],
    "order.created": ["woocommerce_new_order"],
    "order.updated": ["woocommerce_update_order", "woocommerce_order_refunded"],
    "order.deleted": ["wp_trash_post", "woocommerce_trash_order"],
    "order.restored": ["untrashed_post", "woocommerce_untrash_order"],
    "customer.created": ["user_register", "woocommerce_created_customer", "woocommerce_new_customer"],
    "customer.updated": ["updated_user_meta", "woocommerce_update_customer"],
    "customer.deleted": ["delete_user"],
    "coupon.created": ["woocommerce_process_shop_coupon_meta", "woocommerce_new_coupon"],
    "coupon.updated": ["woocommerce_process_shop_coupon_meta", "woocommerce_update_coupon"],
    "coupon.deleted": ["wp_trash_post"],
    "coupon.restored": ["untrashed_post"],
}
STATUSES = ("active", "paused", "disabled")


def seed(store):
    store.webhooks = {}
    store.next_webhook_id = 1


def hooks(topic):
    if topic.startswith("action."):
        return [topic[len("action."):]]
    return list(TOPIC_HOOKS.get(topic, []))


def valid_topic(topic):
    return isinstance(topic, str) and (topic in TOPIC_HOOKS or re.match(r"^action\.[\w-]+$", topic) is not None)


def _local(store, dt):
    return store.to_local(dt).strftime("%Y-%m-%dT%H:%M:%S") if dt is not None else None


def _gmt(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S") if dt is not None else None


class Webhooks(Resource):
    force_checked_first = True
    name = "webhooks"
    object_type = "shop_webhook"
    collection_key = "/wc/v3/webhooks"

    def records(self, req, parent):
        return self.store.webhooks.values()

    def select(self, req, p, items):
        st = self.store
        status = p.get("status", "all")
        if status != "all":
            items = [w for w in items if w["status"] == status]
        if p.get("include"):
            s = set(_ids(p["include"]))
            items = [w for w in items if w["id"] in s]
        if p.get("exclude"):
            s = set(_ids(p["exclude"]))
            items = [w for w in items if w["id"] not in s]
        if p.get("search"):
            items = [w for w in items if p["search"].lower() in w["name"].lower()]
        for param, after in (("after", True), ("before", False)):
            if p.get(param):
                bound = st.date_bound(p[param])
                items = [w for w in items if (st.to_local(w["_created"]) > bound) == after]
        return items

    def sort_keys(self):
        # ties of one second come in id order whichever the direction (real/67)
        return {"date": lambda w: (w["_created"], -w["id"]), "id": lambda w: 0,
                "title": lambda w: w["name"]}

    def find(self, req, parent, oid):
        return self.store.webhooks.get(oid)

    def trash_not_supported(self):
        return WPError("woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.", 501)

    def exists_error(self):
        return WPError("woocommerce_rest_webhook_exists", "Cannot create existing webhook.", 400)

    def render(self, req, w, context):
        return {"id": w["id"], "name": w["name"], "status": w["status"], "topic": w["topic"],
                "resource": w["topic"].split(".", 1)[0], "event": w["topic"].split(".", 1)[1] if "." in w["topic"] else "",
                "hooks": hooks(w["topic"]), "delivery_url": w["delivery_url"],
                "date_created": _local(self.store, w["_created"]), "date_created_gmt": _gmt(w["_created"]),
                "date_modified": _local(self.store, w["_modified"]), "date_modified_gmt": _gmt(w["_modified"]),
                "_links": links(req.base, "/wp-json/wc/v3/webhooks/%d" % w["id"], "/wp-json/wc/v3/webhooks")}

    def location(self, req, rec):
        return "%s/wp-json/wc/v3/webhooks/%d" % (req.base, rec["id"])

    def create(self, req, parent, data):
        st = self.store
        if not valid_topic(data.get("topic")):
            raise WPError("woocommerce_rest_webhook_invalid_topic", "Webhook topic is required and must be valid.", 400)
        url = data.get("delivery_url")
        if not isinstance(url, str) or not re.match(r"^https?://[^\s/]+", url):
            raise WPError("woocommerce_rest_webhook_invalid_delivery_url",
                          "Webhook delivery URL must be a valid URL starting with http:// or https://.", 400)
        now = st.now()
        name = data.get("name") or "Webhook created on %s" % st.to_local(now).strftime("%b %d, %Y @ %I:%M %p")
        w = {"id": st.next_webhook_id, "name": str(name), "status": "active", "topic": data["topic"],
             "delivery_url": url, "_created": now, "_modified": None,
             "secret": data.get("secret") or "".join(random.choice(string.ascii_letters + string.digits)
                                                     for _ in range(50))}
        if data.get("status") in STATUSES:
            w["status"] = data["status"]
        st.next_webhook_id += 1
        st.webhooks[w["id"]] = w
        st.touch()
        if getattr(st, "webhook_events", None) is not None:
            st.webhook_events.created(w, req.base)   # the ping, before the 201
        return w

    def update(self, req, parent, w, data):
        if data.get("topic") is not None:
            if not valid_topic(data["topic"]):
                raise WPError("woocommerce_rest_webhook_invalid_topic", "Webhook topic must be valid.", 400)
            w["topic"] = data["topic"]
        for key in ("name", "delivery_url", "secret"):
            if data.get(key) is not None:
                w[key] = str(data[key])
        if data.get("status") is not None:
            if data["status"] not in STATUSES:
                raise WPError("woocommerce_rest_webhook_invalid_status", "Webhook status must be valid.", 400)
            if data["status"] == "active" and w["status"] != "active":
                w["failure_count"] = 0
            w["status"] = data["status"]
        w["_modified"] = self.store.now()
        self.store.touch()
        return w

    def remove(self, req, parent, rec, force):
        del self.store.webhooks[rec["id"]]
        self.store.touch()
