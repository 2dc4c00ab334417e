"""The routes of WooCommerce's wc/v3 index (real/02) the test store does not serve, and why.

None of them is a resource a foreign table reads or writes: they drive wp-admin screens, the
WooCommerce.com marketplace, e-mail and document generation. Their OPTIONS captures are listed
in captures.NOT_REPLAYED with the same reason.
"""
MARKETPLACE = ("not served: WooCommerce.com marketplace integration (featured extensions, subscriptions, "
               "orders on woocommerce.com); needs a woocommerce.com connection and holds no store data")
EDITOR = "not served: a helper of the product editor in wp-admin, not store data"
ORDER_ACTIONS = "not served: sends e-mails or renders a receipt document for an order; no data to read or write"

UNSERVED_ROUTES = {
    "/wc/v3/marketplace/featured": MARKETPLACE,
    "/wc/v3/marketplace/refresh": MARKETPLACE,
    "/wc/v3/marketplace/subscriptions": MARKETPLACE,
    "/wc/v3/marketplace/subscriptions/connect": MARKETPLACE,
    "/wc/v3/marketplace/subscriptions/activate-plugin": MARKETPLACE,
    "/wc/v3/marketplace/subscriptions/disconnect": MARKETPLACE,
    "/wc/v3/marketplace/subscriptions/activate": MARKETPLACE,
    "/wc/v3/marketplace/subscriptions/install-url": MARKETPLACE,
    "/wc/v3/marketplace/create-order": MARKETPLACE,
    "/wc/v3/layout-templates": "not served: block templates of the product editor's form layout, not store data",
    "/wc/v3/layout-templates/(?P<id>\\w[\\w\\s\\-]*)":
        "not served: block templates of the product editor's form layout, not store data",
    "/wc/v3/products/custom-fields/names": EDITOR + " (meta key suggestions)",
    "/wc/v3/products/shipping_classes/slug-suggestion": EDITOR + " (a slug proposal for a new shipping class)",
    "/wc/v3/products/suggested-products": EDITOR + " (product suggestions)",
    "/wc/v3/products/(?P<id>[\\d]+)/duplicate": EDITOR + " (copies a product as a draft)",
    "/wc/v3/products/(?P<product_id>[\\d]+)/variations/generate":
        EDITOR + " (creates every combination of a product's attributes)",
    "/wc/v3/orders/(?P<id>[\\d]+)/receipt": ORDER_ACTIONS,
    "/wc/v3/orders/(?P<id>[\\d]+)/actions/email_templates": ORDER_ACTIONS,
    "/wc/v3/orders/(?P<id>[\\d]+)/actions/send_email": ORDER_ACTIONS,
    "/wc/v3/orders/(?P<id>[\\d]+)/actions/send_order_details": ORDER_ACTIONS,
}
