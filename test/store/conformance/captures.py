"""The reference captures (real/) and the accounting of every file in it.

Every file of real/ is either replayed by a test method decorated with @replays(name, ...) or
listed in NOT_REPLAYED with the reason it cannot be. A new file that is neither fails
test_all_files_accounted_for; a name listed here that is not in real/ fails it too; a file
declared replayed that no passing test read fails the check run after the suite.
Names are whole file names."""
import json
import os

from .client import CFG
from .unserved import UNSERVED_ROUTES

NOT_REPLAYED = {
    "INDEX.md": "the folder's index, not an exchange",
    "00-capture-environment.json": "describes the capture environment, not an exchange",
}

# OPTIONS captures of routes the store does not serve (unserved.py says why).
UNSERVED_OPTIONS = {
    "50d-layout-templates-options-schema.json": '/wc/v3/layout-templates',
    "50g-products-custom-fields-names-options-schema.json": '/wc/v3/products/custom-fields/names',
    "50j-products-shipping_classes-slug-suggestion-options-schema.json": '/wc/v3/products/shipping_classes/slug-suggestion',
    "50k-products-suggested-products-options-schema.json": '/wc/v3/products/suggested-products',
    "50l-product-duplicate-options-schema.json": '/wc/v3/products/(?P<id>[\\d]+)/duplicate',
    "50m-product-variations-generate-options-schema.json": '/wc/v3/products/(?P<product_id>[\\d]+)/variations/generate',
    "50r-order-receipt-options-schema.json": '/wc/v3/orders/(?P<id>[\\d]+)/receipt',
    "50s-order-actions-email_templates-options-schema.json": '/wc/v3/orders/(?P<id>[\\d]+)/actions/email_templates',
    "50t-order-actions-send_email-options-schema.json": '/wc/v3/orders/(?P<id>[\\d]+)/actions/send_email',
    "50u-order-actions-send_order_details-options-schema.json": '/wc/v3/orders/(?P<id>[\\d]+)/actions/send_order_details',
    "54a-marketplace-featured-options-schema.json": '/wc/v3/marketplace/featured',
    "54b-marketplace-refresh-options-schema.json": '/wc/v3/marketplace/refresh',
    "54c-marketplace-subscriptions-options-schema.json": '/wc/v3/marketplace/subscriptions',
    "54d-marketplace-subscriptions-connect-options-schema.json": '/wc/v3/marketplace/subscriptions/connect',
    "54e-marketplace-subscriptions-activate-plugin-options-schema.json": '/wc/v3/marketplace/subscriptions/activate-plugin',
    "54f-marketplace-subscriptions-disconnect-options-schema.json": '/wc/v3/marketplace/subscriptions/disconnect',
    "54g-marketplace-subscriptions-activate-options-schema.json": '/wc/v3/marketplace/subscriptions/activate',
    "54h-marketplace-subscriptions-install-url-options-schema.json": '/wc/v3/marketplace/subscriptions/install-url',
    "54i-marketplace-create-order-options-schema.json": '/wc/v3/marketplace/create-order',
}
NOT_REPLAYED.update({name: UNSERVED_ROUTES[route] for name, route in UNSERVED_OPTIONS.items()})

_REPLAYED = {}      # file name -> "Class.method" that declares it
_READ = set()       # file names read by a replay in this run


def replays(*names):
    """Declares that the decorated test method replays these captures (whole file names)."""
    def mark(fn):
        fn.replays = names
        return fn
    return mark


def register(test_class):
    """Records the @replays declarations of a TestCase class."""
    for attr in dir(test_class):
        fn = getattr(test_class, attr)
        for name in getattr(fn, "replays", ()):
            _REPLAYED.setdefault(name, "%s.%s" % (test_class.__name__, attr))
    return test_class


def replayed():
    return dict(_REPLAYED)


def read_names():
    return set(_READ)


def real_dir():
    d = CFG["reference"]
    if d and os.path.isdir(os.path.join(d, "real")):
        return os.path.join(d, "real")
    return None


def load(name):
    """The parsed capture `name` (whole file name); fails the calling test when it is missing."""
    d = real_dir()
    if d is None:
        raise AssertionError("reference real/ directory not found (give --reference or $WOO_REFERENCE)")
    with open(os.path.join(d, name), encoding="utf-8") as fh:
        data = json.load(fh)
    _READ.add(name)
    return data


def exchanges(capture):
    """The exchanges of a capture: a single one, or the list of a multi-step file."""
    if isinstance(capture, dict) and "exchanges" in capture:
        return capture["exchanges"]
    if isinstance(capture, list):
        return capture
    return [capture]
