"""The sku_race mode (POST /__store/config {"sku_race": true}).

Real WooCommerce has no unique constraint on SKUs: the REST controller
checks a SKU with a read (WC_Product_Data_Store_CPT::is_existing_sku, a
SELECT on the product lookup table) and inserts the product later, so two
requests that overlap can both pass the check and create the same SKU twice.
The test store normally runs every write under one lock, which makes that
race impossible and a test's "no duplicates" unable to fail.

With the mode on, a request does not see products that other requests
created after it arrived: its SKU check passes for them, as a real store's
would for a product inserted by a concurrent PHP process. Products the same
request created earlier (earlier items of the same batch) stay visible,
as WooCommerce processes a batch's items one after the other.

The request's view is set by the server around the API call (under the
store's lock) and read by the SKU check in writes.py.
"""


class RequestView:
    def __init__(self, first_unseen_id):
        self.first_unseen_id = first_unseen_id   # posts with this id or higher were created after arrival
        self.own_ids = set()                      # posts this request created


def begin(store, first_unseen_id):
    """The request that arrived when the next post id was first_unseen_id
    starts (None: the mode is off)."""
    store.race_view = RequestView(first_unseen_id) if first_unseen_id is not None else None


def end(store):
    store.race_view = None


def hides(store, owner_id):
    """Whether the current request's SKU check races past product owner_id."""
    view = getattr(store, "race_view", None)
    return view is not None and owner_id >= view.first_unseen_id and owner_id not in view.own_ids


def note_created(store, post_id):
    view = getattr(store, "race_view", None)
    if view is not None:
        view.own_ids.add(post_id)
