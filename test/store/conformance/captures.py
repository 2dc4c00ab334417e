"""The reference captures (real/) and the accounting of every file in it.

Every file of real/ is either replayed by a test method decorated with @replays(name, ...) or
listed in NOT_REPLAYED with the reason it cannot be. A new file that is neither fails
test_all_files_accounted_for; a name listed here that is not in real/ fails it too; a file
declared replayed that no passing test read fails the check run after the suite.
Names are whole file names."""
import json
import os

from .client import CFG

# Replace a line of this block by a replay when the store serves what it shows.
ISSUE_13 = "not served yet: webhook deliveries and the wc-auth flow (issue 13)"
ISSUE_13_FILES = (
    "38a-webhook-delivery-ping.json", "38b-webhook-delivery-product-updated.json",
    "75-webhooks-create-topics.json",
    "76a-webhook-delivery-ping.json", "76b-webhook-delivery-product-created.json",
    "76c-webhook-delivery-product-updated.json", "76d-webhook-delivery-product-deleted.json",
    "76e-webhook-delivery-product-restored.json", "76f-webhook-delivery-order-updated.json",
    "76g-webhook-delivery-customer-created.json",
    "76h-webhook-delivery-action-woocommerce_update_product.json",
    "76i-webhook-delivery-order-updated-after-refund.json",
    "76j-webhook-delivery-product-updated-after-rest-untrash.json",
    "77-products-create-webhook-trigger.json", "77b-products-update-webhook-trigger.json",
    "77c-products-delete-trash-webhook-trigger.json", "77d-products-put-status-publish-on-trashed.json",
    "77e-products-delete-trash-again.json", "77f-wp-admin-untrash-product.json",
    "77g-customers-create-webhook-trigger.json", "77h-products-delete-force-no-webhook.json",
    "80-wc-auth-authorize-login-and-grant-page.json", "80a-wc-auth-approve-and-return.json",
    "80b-wc-auth-callback-received.json", "80c-wc-auth-http-callback_url-rejected.json",
    "80d-wc-auth-parameter-validation.json", "80e-wc-auth-access_granted-blocked-port.json",
    "80f-wc-auth-access_granted-self-signed-callback.json",
)

NOT_REPLAYED = {
    "INDEX.md": "the folder's index, not an exchange",
    "00-capture-environment.json": "describes the capture environment, not an exchange",
}
NOT_REPLAYED.update({name: ISSUE_13 for name in ISSUE_13_FILES})

# Not replayed yet: the store does not serve these routes and writes (issue 14, store half, in
# progress on the store branch). Each line moves to a replay as the store learns the route.
PENDING_ISSUE_14 = (
    "50a-products-brands-options-schema.json",
    "50b-coupons-options-schema.json",
    "50c-customer-downloads-options-schema.json",
    "50d-layout-templates-options-schema.json",
    "50e-order-notes-options-schema.json",
    "50f-order-refunds-options-schema.json",
    "50g-products-custom-fields-names-options-schema.json",
    "50h-products-reviews-options-schema.json",
    "50i-products-shipping_classes-options-schema.json",
    "50j-products-shipping_classes-slug-suggestion-options-schema.json",
    "50k-products-suggested-products-options-schema.json",
    "50l-product-duplicate-options-schema.json",
    "50m-product-variations-generate-options-schema.json",
    "50n-refunds-options-schema.json",
    "50o-taxes-classes-options-schema.json",
    "50p-taxes-options-schema.json",
    "50q-webhooks-options-schema.json",
    "50r-order-receipt-options-schema.json",
    "50s-order-actions-email_templates-options-schema.json",
    "50t-order-actions-send_email-options-schema.json",
    "50u-order-actions-send_order_details-options-schema.json",
    "50v-orders-statuses-options-schema.json",
    "51a-reports-sales-options-schema.json",
    "51b-reports-top_sellers-options-schema.json",
    "51c-reports-orders-totals-options-schema.json",
    "51d-reports-products-totals-options-schema.json",
    "51e-reports-customers-totals-options-schema.json",
    "51f-reports-coupons-totals-options-schema.json",
    "51g-reports-reviews-totals-options-schema.json",
    "51h-reports-options-schema.json",
    "52a-settings-options-schema.json",
    "52b-settings-group-options-schema.json",
    "52c-shipping-zones-options-schema.json",
    "52d-shipping-zone-locations-options-schema.json",
    "52e-shipping-zone-methods-options-schema.json",
    "52f-system_status-options-schema.json",
    "52g-system_status-tools-options-schema.json",
    "52h-shipping_methods-options-schema.json",
    "52i-payment_gateways-options-schema.json",
    "52j-data-options-schema.json",
    "52k-data-continents-options-schema.json",
    "52l-data-countries-options-schema.json",
    "52m-data-currencies-options-schema.json",
    "52n-data-currencies-current-options-schema.json",
    "53a-products-brands-batch-options-schema.json",
    "53b-coupons-batch-options-schema.json",
    "53c-customers-batch-options-schema.json",
    "53d-orders-batch-options-schema.json",
    "53e-product-attribute-terms-batch-options-schema.json",
    "53f-products-attributes-batch-options-schema.json",
    "53g-products-categories-batch-options-schema.json",
    "53h-products-reviews-batch-options-schema.json",
    "53i-products-shipping_classes-batch-options-schema.json",
    "53j-products-tags-batch-options-schema.json",
    "53k-product-variations-batch-options-schema.json",
    "53l-settings-batch-options-schema.json",
    "53m-settings-group-batch-options-schema.json",
    "53n-taxes-batch-options-schema.json",
    "53o-webhooks-batch-options-schema.json",
    "54a-marketplace-featured-options-schema.json",
    "54b-marketplace-refresh-options-schema.json",
    "54c-marketplace-subscriptions-options-schema.json",
    "54d-marketplace-subscriptions-connect-options-schema.json",
    "54e-marketplace-subscriptions-activate-plugin-options-schema.json",
    "54f-marketplace-subscriptions-disconnect-options-schema.json",
    "54g-marketplace-subscriptions-activate-options-schema.json",
    "54h-marketplace-subscriptions-install-url-options-schema.json",
    "54i-marketplace-create-order-options-schema.json",
    "63-reports-sales.json",
    "63b-reports-sales-date-range.json",
    "63c-reports-top_sellers.json",
    "63d-reports.json",
    "63e-reports-orders-totals.json",
    "63f-reports-products-totals.json",
    "63g-reports-customers-totals.json",
    "63h-reports-coupons-totals.json",
    "63i-reports-reviews-totals.json",
    "64-data-currencies-current.json",
    "65-system_status-tools-list.json",
)
NOT_REPLAYED.update({name: "not served yet: the route or write is being added (issue 14, store half)"
                     for name in PENDING_ISSUE_14})

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
