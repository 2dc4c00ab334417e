"""Replays of every captured OPTIONS answer of a route the store serves (real/17*, 50*-53*).

OPTIONS shows the route's index entry and its JSON schema. The first capture's store measured in
lbs and inches (17*), the second in kg and cm (50*-53*): the descriptions say so, and the
replays set the store's units to the capture's."""
from . import captures
from .captures import replays
from .replay import ReplayCase

OPTIONS_CAPTURES = (
    "17-products-options-schema.json",
    "17b-product-variations-options-schema.json",
    "17c-product-categories-options-schema.json",
    "17d-product-tags-options-schema.json",
    "17e-product-attributes-options-schema.json",
    "17f-product-attribute-terms-options-schema.json",
    "17g-orders-options-schema.json",
    "17h-customers-options-schema.json",
    "17i-products-batch-options-schema.json",
    "50a-products-brands-options-schema.json",
    "50b-coupons-options-schema.json",
    "50c-customer-downloads-options-schema.json",
    "50e-order-notes-options-schema.json",
    "50f-order-refunds-options-schema.json",
    "50h-products-reviews-options-schema.json",
    "50i-products-shipping_classes-options-schema.json",
    "50n-refunds-options-schema.json",
    "50o-taxes-classes-options-schema.json",
    "50p-taxes-options-schema.json",
    "50q-webhooks-options-schema.json",
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
)
FIRST_STORE_UNITS = {"woocommerce_weight_unit": "lbs", "woocommerce_dimension_unit": "in"}
SECOND_STORE_UNITS = {"woocommerce_weight_unit": "kg", "woocommerce_dimension_unit": "cm"}


@captures.register
class OptionsReplayTest(ReplayCase):
    @classmethod
    def setUpClass(cls):
        cls.reset(products=20)

    @replays(*OPTIONS_CAPTURES)
    def test_options(self):
        for name in OPTIONS_CAPTURES:
            with self.subTest(name=name):
                self.state(options=FIRST_STORE_UNITS if name.startswith("17") else SECOND_STORE_UNITS)
                self.replay(captures.load(name))
