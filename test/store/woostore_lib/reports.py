"""Reports: the index, sales and top sellers (legacy reports), and the totals reports.

Sources: Version3/class-wc-rest-reports-controller.php, Version1/class-wc-rest-report-sales-v1-
controller.php (setup_report: no period and no dates mean today, date_min..date_max one key per
day, week = the last 7 days, month = this month, last_month, year grouped by month), Version3
class-wc-rest-report-*-totals-controller.php; captures real/63-63i.

The legacy sales and top-sellers reports read orders from the posts table: on a store with
HPOS (WooCommerce 10's default, and the capture's store) they see no orders and answer zeros and
an empty list (real/63, 63b, 63c); the totals reports count the store's objects.
"""
import datetime as _dt

from .crud import Resource
from .orders import ORDER_STATUSES
from . import schema as sch

REPORT_ORDER_STATUSES = ("pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed",
                         "checkout-draft")
PRODUCT_TYPES = (("external", "External/Affiliate product"), ("grouped", "Grouped product"),
                 ("simple", "Simple product"), ("variable", "Variable product"))
COUPON_TYPES = (("percent", "Percentage discount"), ("fixed_cart", "Fixed cart discount"),
                ("fixed_product", "Fixed product discount"))


class ReportsIndex(Resource):
    name = "reports"
    totals = False
    sortable = False

    def records(self, req, parent):
        return sch.load_data("reports.json")["reports"]

    def render(self, req, r, context):
        """The index also lists categories/tags/attributes totals, which have no route: WordPress
        gives their self links no targetHints (real/63d)."""
        href = "%s/wp-json/wc/v3/reports" % req.base
        self_link = {"href": "%s/%s" % (href, r["slug"])}
        if "/wc/v3/reports/" + r["slug"] in sch.routes():
            self_link["targetHints"] = {"allow": ["GET"]}
        return {"slug": r["slug"], "description": r["description"],
                "_links": {"self": [self_link], "collection": [{"href": href}]}}


def _parse_day(text):
    try:
        return _dt.datetime.strptime(str(text)[:10], "%Y-%m-%d").date()
    except ValueError:
        return None


def report_range(store, p):
    """(first day, last day, group by) of the legacy report for period/date_min/date_max."""
    today = store.to_local(store.now()).date()
    period = p.get("period")
    if not period:
        start = _parse_day(p["date_min"]) if p.get("date_min") else None
        end = _parse_day(p["date_max"]) if p.get("date_max") else None
        if start is None and end is None:
            return today, today, "day"
        start = start or end
        end = end or today
        return start, end, "day"
    if period == "week":
        return today - _dt.timedelta(days=6), today, "day"
    if period == "month":
        return today.replace(day=1), today, "day"
    if period == "last_month":
        last = today.replace(day=1) - _dt.timedelta(days=1)
        return last.replace(day=1), last, "day"
    return today.replace(month=1, day=1), today, "month"     # year


def _zero_totals():
    return {"sales": "0.00", "orders": 0, "items": 0, "tax": "0.00", "shipping": "0.00", "discount": "0.00",
            "customers": 0}


class SalesReport(Resource):
    """Orders are invisible to it (HPOS); customers are not: those registered between the first
    day's midnight and the last day's midnight (so not today's in the default "today" range,
    real/63 vs 63b) count, each on its registration day (UTC)."""
    name = "report_sales"
    totals = False
    sortable = False

    def records(self, req, parent):
        start, end, group = report_range(self.store, req.params)
        key = "%Y-%m-%d" if group == "day" else "%Y-%m"
        totals = {}
        if group == "day":
            day = start
            while day <= end:
                totals[day.strftime(key)] = _zero_totals()
                day += _dt.timedelta(days=1)
        else:
            for month in range(start.month, end.month + 1):
                totals["%04d-%02d" % (start.year, month)] = _zero_totals()
        low = _dt.datetime.combine(start, _dt.time())
        high = _dt.datetime.combine(end, _dt.time())
        customers = [c for c in self.store.customers.values()
                     if c["role"] == "customer" and low <= c["_created"] <= high]
        for c in customers:
            if c["_created"].strftime(key) in totals:
                totals[c["_created"].strftime(key)]["customers"] += 1
        return [{"total_sales": "0.00", "net_sales": "0.00", "average_sales": "0.00", "total_orders": 0,
                 "total_items": 0, "total_tax": "0.00", "total_shipping": "0.00", "total_refunds": 0,
                 "total_discount": "0.00", "totals_grouped_by": group, "totals": totals,
                 "total_customers": len(customers)}]

    def render(self, req, r, context):
        return dict(r, _links={"about": [{"href": "%s/wp-json/wc/v3/reports" % req.base}]})


class TopSellersReport(SalesReport):
    name = "report_top_sellers"

    def records(self, req, parent):
        return []


class TotalsReport(Resource):
    """reports/<thing>/totals: [{slug, name, total}], answered whole without paging headers."""
    totals = False
    sortable = False

    def render(self, req, r, context):
        return dict(r)


class OrdersTotals(TotalsReport):
    name = "report_orders_totals"

    def records(self, req, parent):
        counts = {}
        for o in self.store.orders.values():
            counts[o["status"]] = counts.get(o["status"], 0) + 1
        return [{"slug": s, "name": ORDER_STATUSES[s], "total": counts.get(s, 0)} for s in REPORT_ORDER_STATUSES]


class ProductsTotals(TotalsReport):
    name = "report_products_totals"

    def records(self, req, parent):
        counts = {}
        for p in self.store.posts.values():
            if p["kind"] == "product" and p["status"] == "publish":
                counts[p["type"]] = counts.get(p["type"], 0) + 1
        return [{"slug": s, "name": n, "total": counts.get(s, 0)} for s, n in PRODUCT_TYPES]


class CustomersTotals(TotalsReport):
    name = "report_customers_totals"

    def records(self, req, parent):
        customers = [c for c in self.store.customers.values() if c["role"] == "customer"]
        paying = sum(1 for c in customers if c["is_paying_customer"])
        return [{"slug": "paying", "name": "Paying customer", "total": paying},
                {"slug": "non_paying", "name": "Non-paying customer", "total": len(customers) - paying}]


class CouponsTotals(TotalsReport):
    name = "report_coupons_totals"

    def records(self, req, parent):
        counts = {}
        for c in self.store.coupons.values():
            if c["status"] == "publish":
                counts[c["discount_type"]] = counts.get(c["discount_type"], 0) + 1
        return [{"slug": s, "name": n, "total": counts.get(s, 0)} for s, n in COUPON_TYPES]


class ReviewsTotals(TotalsReport):
    name = "report_reviews_totals"

    def records(self, req, parent):
        counts = {}
        for r in self.store.reviews.values():
            if r["status"] == "approved":
                counts[r["rating"]] = counts.get(r["rating"], 0) + 1
        return [{"slug": "rated_%d_out_of_5" % i, "name": "Rated %d out of 5" % i, "total": counts.get(i, 0)}
                for i in range(1, 6)]


RESOURCES = (ReportsIndex, SalesReport, TopSellersReport, OrdersTotals, ProductsTotals, CustomersTotals,
             CouponsTotals, ReviewsTotals)
