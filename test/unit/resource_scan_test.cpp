// What plan_scan asks of the resources beyond the catalog: nested lists
// under a text parent, the flat refunds list for many (or no) orders, text
// keys (never put in a path unless WooCommerce's route could match them),
// lists answered whole or as one object, report parameters, fixed
// parameters a condition overrides, booleans sent as words, enumerations
// the store may extend.
#include "core/scan/scan_plan.hpp"

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/base/woo_error.hpp"
#include "support/fixtures.hpp"

namespace wcfdw {
namespace {

using testing::resource;

ScanCondition cond(const ResourceInfo& r, const char* field, CondOp op, std::vector<std::string> values,
                   bool known = true) {
    const FilterSpec* f = find_filter(r, field);
    if (!f) throw std::runtime_error(std::string("no filter ") + field + " on " + r.name);
    ScanCondition c;
    c.filter = f;
    c.op = op;
    c.values = std::move(values);
    c.known = known;
    return c;
}

ScanCondition eq(const ResourceInfo& r, const char* field, std::string value) {
    return cond(r, field, CondOp::Eq, {std::move(value)});
}

constexpr const char* kAbsent = "<absent>";

std::string param(const ScanRequest& r, const std::string& name) {
    std::string found = kAbsent;
    for (const auto& p : r.query)
        if (p.name == name) found = p.value;
    return found;
}

WooError error_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const WooError& e) {
        return e;
    }
    ADD_FAILURE() << "no WooError thrown";
    return WooError(ErrorKind::Internal, "none");
}

TEST(ResourceScan, NotesOfOneOrderAreOneWholeList) {
    const auto& notes = resource("order_notes");
    const ScanPlan plan = plan_scan(notes, {eq(notes, "order_id", "43")}, {});
    ASSERT_EQ(plan.requests.size(), 1u);
    EXPECT_EQ(plan.requests[0].path, "orders/43/notes");
    EXPECT_EQ(plan.requests[0].parent, "43");
    EXPECT_FALSE(plan.requests[0].paged);  // answered whole, without X-WP-Total (real/58b)
    EXPECT_EQ(param(plan.requests[0], "per_page"), kAbsent);
    EXPECT_EQ(param(plan.requests[0], "orderby"), kAbsent);
    EXPECT_FALSE(plan_is_countable(plan));  // no X-WP-Total: count(*) counts rows
}

TEST(ResourceScan, NotesWithoutAnOrderListTheOrdersFirst) {
    const auto& notes = resource("order_notes");
    const ScanPlan plan = plan_scan(notes, {}, {});
    ASSERT_TRUE(plan.expand_parents);
    EXPECT_EQ(plan.parent_request.path, "orders");
    EXPECT_TRUE(plan.parent_request.paged);
    EXPECT_EQ(plan.parent_key, "id");
    EXPECT_EQ(param(plan.parent_request, "_fields"), "id");
    EXPECT_EQ(plan.requests[0].path, "orders/{parent}/notes");
}

TEST(ResourceScan, CustomerNoteIsTheTypeParameter) {
    const auto& notes = resource("order_notes");
    ScanPlan plan = plan_scan(notes, {eq(notes, "order_id", "43"), eq(notes, "customer_note", "true")}, {});
    EXPECT_EQ(param(plan.requests[0], "type"), "customer");
    plan = plan_scan(notes, {eq(notes, "order_id", "43"), eq(notes, "customer_note", "false")}, {});
    EXPECT_EQ(param(plan.requests[0], "type"), "internal");
}

TEST(ResourceScan, RefundsOfManyOrdersOrNoneAreTheFlatList) {
    const auto& refunds = resource("order_refunds");
    ScanSettings s;
    s.fields = {"amount"};
    ScanPlan plan = plan_scan(refunds, {}, s);
    EXPECT_FALSE(plan.expand_parents);
    ASSERT_EQ(plan.requests.size(), 1u);
    EXPECT_EQ(plan.requests[0].path, "refunds");
    EXPECT_EQ(param(plan.requests[0], "_fields"), "id,amount,parent_id");  // the parent comes from the object
    EXPECT_TRUE(plan.requests[0].paged);

    plan = plan_scan(refunds, {cond(refunds, "order_id", CondOp::In, {"42", "43"})}, {});
    ASSERT_EQ(plan.requests.size(), 1u);
    EXPECT_EQ(plan.requests[0].path, "refunds");
    EXPECT_EQ(param(plan.requests[0], "parent"), "42,43");
    EXPECT_TRUE(plan_is_countable(plan));

    // One order: its own list (a join's lookup).
    plan = plan_scan(refunds, {eq(refunds, "order_id", "43")}, {});
    ASSERT_EQ(plan.requests.size(), 1u);
    EXPECT_EQ(plan.requests[0].path, "orders/43/refunds");
    // One refund of one order: the item.
    plan = plan_scan(refunds, {eq(refunds, "order_id", "43"), eq(refunds, "id", "45")}, {});
    EXPECT_EQ(plan.requests[0].path, "orders/43/refunds/45");
    EXPECT_TRUE(plan.requests[0].item);
    // A refund without its order: the flat list has no items, include= instead.
    plan = plan_scan(refunds, {eq(refunds, "id", "45")}, {});
    EXPECT_EQ(plan.requests[0].path, "refunds");
    EXPECT_EQ(param(plan.requests[0], "include"), "45");
}

TEST(ResourceScan, SettingsUnderATextGroup) {
    const auto& options = resource("settings_options");
    ScanPlan plan = plan_scan(options, {eq(options, "group_id", "general")}, {});
    ASSERT_EQ(plan.requests.size(), 1u);
    EXPECT_EQ(plan.requests[0].path, "settings/general");
    EXPECT_EQ(param(plan.requests[0], "context"), kAbsent);  // the route takes no context
    plan = plan_scan(options, {eq(options, "group_id", "general"), eq(options, "id", "woocommerce_currency")}, {});
    EXPECT_EQ(plan.requests[0].path, "settings/general/woocommerce_currency");
    EXPECT_TRUE(plan.requests[0].item);
    // A group WooCommerce's route [\w-]+ cannot match: no collection lives there.
    for (const char* bad : {"gen/eral", "../x", "", "gén"})
        EXPECT_TRUE(plan_scan(options, {eq(options, "group_id", bad)}, {}).empty) << bad;
    // No group: the groups (their text ids), then each group's options.
    plan = plan_scan(options, {}, {});
    ASSERT_TRUE(plan.expand_parents);
    EXPECT_EQ(plan.parent_request.path, "settings");
    EXPECT_FALSE(plan.parent_request.paged);
    EXPECT_EQ(plan.parent_key, "id");
}

TEST(ResourceScan, TextKeysOnlyInPathsTheRouteMatches) {
    const auto& gateways = resource("payment_gateways");
    ScanPlan plan = plan_scan(gateways, {eq(gateways, "id", "cod")}, {});
    ASSERT_EQ(plan.requests.size(), 1u);
    EXPECT_EQ(plan.requests[0].path, "payment_gateways/cod");
    EXPECT_TRUE(plan.requests[0].item);
    for (const char* bad : {"a/b", "../orders", "cod?x=1", "c d", "%2e"}) {
        plan = plan_scan(gateways, {eq(gateways, "id", bad)}, {});
        ASSERT_EQ(plan.requests.size(), 1u) << bad;
        EXPECT_EQ(plan.requests[0].path, "payment_gateways") << bad;  // the list, rechecked
        EXPECT_FALSE(plan.requests[0].item);
        EXPECT_FALSE(plan.exact);
        EXPECT_FALSE(plan.empty);
    }
    // Currency codes are [\w-]{3}: EURO cannot be asked for, but is rechecked.
    const auto& currencies = resource("currencies");
    EXPECT_EQ(plan_scan(currencies, {eq(currencies, "code", "EUR")}, {}).requests[0].path, "data/currencies/EUR");
    EXPECT_EQ(plan_scan(currencies, {eq(currencies, "code", "EURO")}, {}).requests[0].path, "data/currencies");
}

TEST(ResourceScan, IntegerKeys) {
    EXPECT_TRUE(routable_key(KeyType::Integer, "0"));  // shipping zone 0 is a zone
    EXPECT_TRUE(routable_key(KeyType::Integer, "42"));
    for (const char* bad : {"-1", "007", "", "1.5", "12345678901234567890"})
        EXPECT_FALSE(routable_key(KeyType::Integer, bad)) << bad;
    const auto& zones = resource("shipping_zones");
    EXPECT_EQ(plan_scan(zones, {eq(zones, "id", "0")}, {}).requests[0].path, "shipping/zones/0");
    // A negative id names no object: nothing is asked.
    const auto& orders = resource("orders");
    EXPECT_TRUE(plan_scan(orders, {eq(orders, "id", "-5")}, {}).empty);
}

TEST(ResourceScan, SingleObjectsAndWholeLists) {
    const ScanPlan current = plan_scan(resource("current_currency"), {}, {});
    ASSERT_EQ(current.requests.size(), 1u);
    EXPECT_EQ(current.requests[0].path, "data/currencies/current");
    EXPECT_TRUE(current.requests[0].item);
    EXPECT_FALSE(current.requests[0].paged);
    const ScanPlan zones = plan_scan(resource("shipping_zones"), {}, {});
    EXPECT_FALSE(zones.requests[0].paged);
    EXPECT_EQ(param(zones.requests[0], "per_page"), kAbsent);
    EXPECT_FALSE(plan_is_countable(zones));
}

TEST(ResourceScan, ReportParameters) {
    const auto& sales = resource("report_sales");
    ScanPlan plan = plan_scan(sales, {eq(sales, "period", "month")}, {});
    EXPECT_EQ(plan.requests[0].path, "reports/sales");
    EXPECT_EQ(param(plan.requests[0], "period"), "month");
    EXPECT_EQ(param(plan.requests[0], "context"), kAbsent);  // view only: context=edit is a 400
    plan = plan_scan(sales, {eq(sales, "date_min", "2025-04-01"), eq(sales, "date_max", "2025-04-07")}, {});
    EXPECT_EQ(param(plan.requests[0], "date_min"), "2025-04-01");
    EXPECT_EQ(param(plan.requests[0], "date_max"), "2025-04-07");
    WooError e = error_of([&] { plan_scan(sales, {eq(sales, "period", "monthly")}, {}); });
    EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
    EXPECT_EQ(e.hint(), "Valid values: week, month, last_month, year.");
    e = error_of([&] { plan_scan(sales, {cond(sales, "period", CondOp::In, {"week", "month"})}, {}); });
    EXPECT_EQ(e.kind(), ErrorKind::Unsupported);
    // A join's value is judged when it is known.
    plan = plan_scan(sales, {cond(sales, "period", CondOp::Eq, {"{r.period}"}, false)}, {});
    EXPECT_EQ(param(plan.requests[0], "period"), "{r.period}");
}

TEST(ResourceScan, AConditionReplacesAFixedParameter) {
    const auto& reviews = resource("reviews");
    ScanPlan plan = plan_scan(reviews, {}, {});
    EXPECT_EQ(param(plan.requests[0], "status"), "all");  // every status, not approved only
    plan = plan_scan(reviews, {eq(reviews, "status", "hold")}, {});
    EXPECT_EQ(param(plan.requests[0], "status"), "hold");
    int statuses = 0;
    for (const auto& p : plan.requests[0].query) statuses += p.name == "status";
    EXPECT_EQ(statuses, 1);
    EXPECT_TRUE(plan_scan(reviews, {eq(reviews, "status", "published")}, {}).empty);
}

TEST(ResourceScan, EnumerationsTheStoreMayExtendAreRechecked) {
    const auto& rates = resource("tax_rates");
    ScanPlan plan = plan_scan(rates, {eq(rates, "class", "reduced-rate")}, {});
    EXPECT_EQ(param(plan.requests[0], "class"), "reduced-rate");
    EXPECT_TRUE(plan.exact);
    plan = plan_scan(rates, {eq(rates, "class", "luxury")}, {});  // the store's own class, maybe
    EXPECT_FALSE(plan.empty);
    EXPECT_EQ(param(plan.requests[0], "class"), kAbsent);
    EXPECT_FALSE(plan.exact);
}

TEST(ResourceScan, OrdersByProductAndStatuses) {
    const auto& orders = resource("orders");
    ScanPlan plan = plan_scan(orders, {eq(orders, "line_items", "26"),
                                       cond(orders, "status", CondOp::In, {"processing", "completed"})},
                              {});
    EXPECT_EQ(param(plan.requests[0], "product"), "26");
    EXPECT_EQ(param(plan.requests[0], "status"), "processing,completed");
    EXPECT_TRUE(plan_is_countable(plan));
}

TEST(ResourceScan, WriteOnlyMembersAreNotAskedFor) {
    ScanSettings s;
    s.fields = {"name", "secret"};
    const ScanPlan plan = plan_scan(resource("webhooks"), {}, s);
    EXPECT_EQ(param(plan.requests[0], "_fields"), "id,name");
}

TEST(ResourceScan, ParentListingsKeepTheParentsFixedParameters) {
    const ScanPlan plan = plan_scan(resource("customer_downloads"), {}, {});
    ASSERT_TRUE(plan.expand_parents);
    EXPECT_EQ(plan.parent_request.path, "customers");
    EXPECT_EQ(param(plan.parent_request, "role"), "all");
}

}  // namespace
}  // namespace wcfdw
