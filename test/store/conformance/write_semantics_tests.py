"""WooCommerce's write semantics, rule by rule (test/store/README.md, "Write semantics", gives each
rule's source). The product lifecycle of real/77-77h is replayed exactly; its webhook deliveries
are issue 13's, so the files stay listed there (captures.ISSUE_13)."""
from . import captures
from .client import api, ctl
from .replay import ReplayCase

P = "/wp-json/wc/v3/products"


class ProductLifecycleTest(ReplayCase):
    """create, update, trash (answered as before the trash), a status change out of the trash
    (the trash meta stays), trash again, force delete: real/77, 77b, 77c, 77d, 77e, 77h."""

    def setUp(self):
        self.reset(products=18)

    def test_77_lifecycle(self):
        names = ("77-products-create-webhook-trigger.json", "77b-products-update-webhook-trigger.json",
                 "77c-products-delete-trash-webhook-trigger.json", "77d-products-put-status-publish-on-trashed.json",
                 "77e-products-delete-trash-again.json")
        exs = [captures.exchanges(captures.load(n))[0] for n in names]
        created = exs[0]["response"]["body"]
        trash_meta = exs[3]["response"]["body"]["meta_data"]
        general = captures.load("62b-settings-general-options.json")["response"]["body"]
        self.state(options={o["id"]: o["value"] for o in general},      # the second store: EUR right_space
                   next_ids={"post": created["id"], "meta": trash_meta[0]["id"]})
        for ex in exs[:3]:
            self.replay(ex)
        # 77c trashed it at its Date: the trash meta records that time (77d shows it)
        for ex in exs[3:]:
            self.replay(ex)
        # 77f restores it in wp-admin (untrash removes the trash meta); 77h then force-deletes
        restored = dict(exs[4]["response"]["body"], meta_data=[], status="publish")
        ex77h = captures.exchanges(captures.load("77h-products-delete-force-no-webhook.json"))[0]
        restored.update(date_modified=ex77h["response"]["body"]["date_modified"],
                        date_modified_gmt=ex77h["response"]["body"]["date_modified_gmt"])
        self.state(products=[restored])
        self.replay(ex77h)
        self.assertEqual(404, api("GET", "%s/%d" % (P, created["id"])).status)
