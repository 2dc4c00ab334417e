// plan_scan turns the conditions PostgreSQL hands over into the requests a
// scan makes. These tests pin down what reaches the store (paths, query
// parameters, how many requests), when no request is needed at all, which
// plans may answer count(*) from X-WP-Total, and what EXPLAIN shows.
#include "core/scan/scan_plan.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>
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

// The value of a query parameter, or kAbsent; fails when it appears twice.
std::string param(const ScanRequest& r, const std::string& name) {
    std::string found = kAbsent;
    int seen = 0;
    for (const auto& p : r.query)
        if (p.name == name) found = p.value, ++seen;
    EXPECT_LE(seen, 1) << "parameter " << name << " sent " << seen << " times";
    return found;
}

std::vector<std::string> numbers(int from, int to) {
    std::vector<std::string> out;
    for (int i = from; i <= to; ++i) out.push_back(std::to_string(i));
    return out;
}

std::string joined(const std::vector<std::string>& values) {
    std::string out;
    for (const auto& v : values) out += (out.empty() ? "" : ",") + v;
    return out;
}

// 2024-01-31T12:00:00Z
constexpr std::int64_t kNoon = 1706702400;
std::string micros(std::int64_t seconds, std::int64_t extra_micros = 0) {
    return std::to_string(seconds * 1000000 + extra_micros);
}

TEST(ScanPlan, NoConditionsIsOnePagedListInIdOrder) {
    const ScanPlan plan = plan_scan(resource("products"), {}, {});
    EXPECT_FALSE(plan.empty);
    EXPECT_TRUE(plan.exact);
    EXPECT_FALSE(plan.expand_parents);
    ASSERT_EQ(plan.requests.size(), 1u);
    const ScanRequest& r = plan.requests[0];
    EXPECT_EQ(r.path, "products");
    EXPECT_FALSE(r.item);
    EXPECT_TRUE(r.paged);
    EXPECT_EQ(param(r, "context"), "edit");  // raw values, not the rendered ones
    EXPECT_EQ(param(r, "per_page"), "100");
    EXPECT_EQ(param(r, "orderby"), "id");  // a stable order while pages are fetched in parallel
    EXPECT_EQ(param(r, "order"), "asc");
    EXPECT_EQ(param(r, "_fields"), kAbsent);
    EXPECT_EQ(param(r, "page"), kAbsent);  // the cursor adds it
}

TEST(ScanPlan, SingleIdIsAPointLookup) {
    const auto& products = resource("products");
    const ScanPlan plan = plan_scan(products, {eq(products, "id", "42")}, {});
    ASSERT_EQ(plan.requests.size(), 1u);
    const ScanRequest& r = plan.requests[0];
    EXPECT_EQ(r.path, "products/42");
    EXPECT_TRUE(r.item);
    EXPECT_FALSE(r.paged);
    EXPECT_EQ(param(r, "context"), "edit");
    EXPECT_EQ(param(r, "per_page"), kAbsent);  // an item takes no list parameters
    EXPECT_EQ(param(r, "orderby"), kAbsent);
    EXPECT_EQ(param(r, "include"), kAbsent);
}

TEST(ScanPlan, PointLookupKeepsFieldsAndTheTypeProductsNeed) {
    const auto& products = resource("products");
    ScanSettings s;
    s.fields = {"name", "sku"};
    const ScanPlan plan = plan_scan(products, {eq(products, "id", "42")}, s);
    ASSERT_EQ(plan.requests.size(), 1u);
    // id always (rows are keyed by it), type so the cursor can drop variations.
    EXPECT_EQ(param(plan.requests[0], "_fields"), "id,name,sku,type");
}

TEST(ScanPlan, IdListGoesOutAsIncludeChunksOf100) {
    const auto& products = resource("products");
    const auto ids = numbers(1, 250);
    const ScanPlan plan = plan_scan(products, {cond(products, "id", CondOp::In, ids)}, {});
    EXPECT_TRUE(plan.exact);
    ASSERT_EQ(plan.requests.size(), 3u);
    EXPECT_EQ(param(plan.requests[0], "include"), joined(numbers(1, 100)));
    EXPECT_EQ(param(plan.requests[1], "include"), joined(numbers(101, 200)));
    EXPECT_EQ(param(plan.requests[2], "include"), joined(numbers(201, 250)));
    for (const auto& r : plan.requests) {
        EXPECT_EQ(r.path, "products");
        EXPECT_FALSE(r.item);
        EXPECT_EQ(param(r, "per_page"), "100");
    }
}

TEST(ScanPlan, IdListOfExactly100IsOneRequestAndDuplicatesCountOnce) {
    const auto& products = resource("products");
    auto ids = numbers(1, 100);
    ids.push_back("7");  // id = ANY('{1,...,100,7}')
    const ScanPlan plan = plan_scan(products, {cond(products, "id", CondOp::In, ids)}, {});
    ASSERT_EQ(plan.requests.size(), 1u);
    EXPECT_EQ(param(plan.requests[0], "include"), joined(numbers(1, 100)));
}

TEST(ScanPlan, IdConditionsIntersect) {
    const auto& products = resource("products");
    // id IN (1,2,3) AND id = 2: one item.
    ScanPlan plan = plan_scan(products, {cond(products, "id", CondOp::In, {"1", "2", "3"}), eq(products, "id", "2")}, {});
    ASSERT_EQ(plan.requests.size(), 1u);
    EXPECT_EQ(plan.requests[0].path, "products/2");
    // id = 1 AND id = 2: nothing to ask.
    plan = plan_scan(products, {eq(products, "id", "1"), eq(products, "id", "2")}, {});
    EXPECT_TRUE(plan.empty);
    EXPECT_TRUE(plan.requests.empty());
}

TEST(ScanPlan, IdWithOtherFiltersUsesIncludeNotAnItem) {
    const auto& products = resource("products");
    // GET products/42 would ignore status: the list applies both.
    const ScanPlan plan = plan_scan(products, {eq(products, "id", "42"), eq(products, "status", "publish")}, {});
    ASSERT_EQ(plan.requests.size(), 1u);
    EXPECT_FALSE(plan.requests[0].item);
    EXPECT_EQ(plan.requests[0].path, "products");
    EXPECT_EQ(param(plan.requests[0], "include"), "42");
    EXPECT_EQ(param(plan.requests[0], "status"), "publish");
}

TEST(ScanPlan, IdRangeIsNotPushedDown) {
    const auto& products = resource("products");
    const ScanPlan plan = plan_scan(products, {cond(products, "id", CondOp::Gt, {"10"})}, {});
    ASSERT_EQ(plan.requests.size(), 1u);
    EXPECT_EQ(param(plan.requests[0], "include"), kAbsent);
    EXPECT_FALSE(plan.exact);
}

TEST(ScanPlan, SkuListIsOneCommaListPer100) {
    const auto& products = resource("products");
    ScanPlan plan = plan_scan(products, {cond(products, "sku", CondOp::In, {"A-1", "B-2"})}, {});
    ASSERT_EQ(plan.requests.size(), 1u);
    EXPECT_EQ(param(plan.requests[0], "sku"), "A-1,B-2");

    std::vector<std::string> skus;
    for (int i = 0; i < 150; ++i) skus.push_back("S" + std::to_string(i));
    plan = plan_scan(products, {cond(products, "sku", CondOp::In, skus)}, {});
    ASSERT_EQ(plan.requests.size(), 2u);
    EXPECT_EQ(param(plan.requests[0], "sku"), joined({skus.begin(), skus.begin() + 100}));
    EXPECT_EQ(param(plan.requests[1], "sku"), joined({skus.begin() + 100, skus.end()}));
}

TEST(ScanPlan, LongIdAndSkuListsAreCrossed) {
    const auto& products = resource("products");
    std::vector<std::string> skus;
    for (int i = 0; i < 101; ++i) skus.push_back("S" + std::to_string(i));
    const ScanPlan plan = plan_scan(
        products, {cond(products, "id", CondOp::In, numbers(1, 101)), cond(products, "sku", CondOp::In, skus)}, {});
    // 2 id chunks x 2 sku chunks: every pair must be asked.
    ASSERT_EQ(plan.requests.size(), 4u);
    EXPECT_EQ(param(plan.requests[0], "include"), joined(numbers(1, 100)));
    EXPECT_EQ(param(plan.requests[0], "sku"), joined({skus.begin(), skus.begin() + 100}));
    EXPECT_EQ(param(plan.requests[3], "include"), "101");
    EXPECT_EQ(param(plan.requests[3], "sku"), "S100");
}

TEST(ScanPlan, EnumValuesTheStoreDoesNotKnowMatchNothing) {
    const auto& products = resource("products");
    // The store would refuse status=bogus with a 400; no row can have it.
    ScanPlan plan = plan_scan(products, {eq(products, "status", "bogus")}, {});
    EXPECT_TRUE(plan.empty);
    EXPECT_TRUE(plan.requests.empty());
    plan = plan_scan(products, {eq(products, "type", "variation")}, {});  // not a products type
    EXPECT_TRUE(plan.empty);
    const auto& orders = resource("orders");
    plan = plan_scan(orders, {eq(orders, "status", "wc-completed")}, {});  // the post status, not the REST one
    EXPECT_TRUE(plan.empty);
    plan = plan_scan(orders, {eq(orders, "status", "completed")}, {});
    EXPECT_FALSE(plan.empty);
    ASSERT_EQ(plan.requests.size(), 1u);
    EXPECT_EQ(param(plan.requests[0], "status"), "completed");
}

TEST(ScanPlan, UnknownEnumValuesAreDroppedFromAList) {
    const auto& products = resource("products");
    // status IN ('bogus', 'publish') can only mean publish.
    const ScanPlan plan = plan_scan(products, {cond(products, "status", CondOp::In, {"bogus", "publish"})}, {});
    EXPECT_FALSE(plan.empty);
    ASSERT_EQ(plan.requests.size(), 1u);
    EXPECT_EQ(param(plan.requests[0], "status"), "publish");
}

TEST(ScanPlan, RunTimeEnumValuesAreNotJudgedAtPlanTime) {
    const auto& products = resource("products");
    // A join's outer value is a label in EXPLAIN, not a status.
    const ScanPlan plan = plan_scan(products, {cond(products, "status", CondOp::Eq, {"{o.status}"}, false)}, {});
    EXPECT_FALSE(plan.empty);
}

TEST(ScanPlan, ContradictorySinglesMatchNothing) {
    const auto& products = resource("products");
    ScanPlan plan = plan_scan(products, {eq(products, "status", "publish"), eq(products, "status", "draft")}, {});
    EXPECT_TRUE(plan.empty);
    plan = plan_scan(products, {eq(products, "featured", "true"), eq(products, "featured", "false")}, {});
    EXPECT_TRUE(plan.empty);
    plan = plan_scan(products, {eq(products, "slug", "a"), eq(products, "slug", "a")}, {});  // the same twice is fine
    EXPECT_FALSE(plan.empty);
    ASSERT_EQ(plan.requests.size(), 1u);
    EXPECT_EQ(param(plan.requests[0], "slug"), "a");
}

TEST(ScanPlan, ContradictoryListsMatchNothing) {
    const auto& products = resource("products");
    const ScanPlan plan =
        plan_scan(products, {cond(products, "sku", CondOp::In, {"A", "B"}), cond(products, "sku", CondOp::In, {"C"})}, {});
    EXPECT_TRUE(plan.empty);
}

TEST(ScanPlan, SingleParameterWithSeveralValuesIsLeftToTheRecheck) {
    const auto& products = resource("products");
    // status takes one value: status IN (publish, draft) is not sent, and
    // the plan is no longer exact.
    const ScanPlan plan = plan_scan(products, {cond(products, "status", CondOp::In, {"publish", "draft"})}, {});
    EXPECT_FALSE(plan.empty);
    EXPECT_FALSE(plan.exact);
    ASSERT_EQ(plan.requests.size(), 1u);
    EXPECT_EQ(param(plan.requests[0], "status"), kAbsent);
}

TEST(ScanPlan, BooleansGoOutAsTrueOrFalse) {
    const auto& products = resource("products");
    const ScanPlan plan = plan_scan(products, {eq(products, "on_sale", "true"), eq(products, "featured", "false")}, {});
    ASSERT_EQ(plan.requests.size(), 1u);
    EXPECT_EQ(param(plan.requests[0], "on_sale"), "true");
    EXPECT_EQ(param(plan.requests[0], "featured"), "false");
    EXPECT_TRUE(plan.exact);
}

TEST(ScanPlan, FormatGmt) {
    EXPECT_EQ(format_gmt(0), "1970-01-01T00:00:00");
    EXPECT_EQ(format_gmt(kNoon), "2024-01-31T12:00:00");
    EXPECT_EQ(format_gmt(-1), "1969-12-31T23:59:59");
}

TEST(ScanPlan, DateBoundsAreWidenedByOneSecond) {
    const auto& products = resource("products");
    // The store's after/before are strict and to the second: the request
    // asks a second more on each side, PostgreSQL rechecks the exact bound.
    ScanPlan plan = plan_scan(products,
                              {cond(products, "date_created_gmt", CondOp::Ge, {micros(kNoon)}),
                               cond(products, "date_created_gmt", CondOp::Lt, {micros(kNoon + 3600, 500000)})},
                              {});
    ASSERT_EQ(plan.requests.size(), 1u);
    const ScanRequest& r = plan.requests[0];
    EXPECT_EQ(param(r, "after"), "2024-01-31T11:59:59");
    EXPECT_EQ(param(r, "before"), "2024-01-31T13:00:02");  // 13:00:00.5 rounded up, plus one
    EXPECT_EQ(param(r, "dates_are_gmt"), "true");
    EXPECT_FALSE(plan.exact);
    EXPECT_EQ(plan.limit, -1);

    // Fractions below a second round outwards too (floor for after).
    plan = plan_scan(products, {cond(products, "date_modified_gmt", CondOp::Gt, {micros(kNoon, 999999)})}, {});
    EXPECT_EQ(param(plan.requests[0], "modified_after"), "2024-01-31T11:59:59");
    EXPECT_EQ(param(plan.requests[0], "after"), kAbsent);
    // Before 1970: floor, not truncation towards zero.
    plan = plan_scan(products, {cond(products, "date_created_gmt", CondOp::Gt, {"-1500000"})}, {});
    EXPECT_EQ(param(plan.requests[0], "after"), "1969-12-31T23:59:57");
}

TEST(ScanPlan, TheTighterOfTwoBoundsWins) {
    const auto& orders = resource("orders");
    const ScanPlan plan = plan_scan(orders,
                                    {cond(orders, "date_created_gmt", CondOp::Gt, {micros(kNoon)}),
                                     cond(orders, "date_created_gmt", CondOp::Gt, {micros(kNoon + 60)}),
                                     cond(orders, "date_created_gmt", CondOp::Le, {micros(kNoon + 7200)}),
                                     cond(orders, "date_created_gmt", CondOp::Le, {micros(kNoon + 3600)})},
                                    {});
    ASSERT_EQ(plan.requests.size(), 1u);
    EXPECT_EQ(param(plan.requests[0], "after"), "2024-01-31T12:00:59");
    EXPECT_EQ(param(plan.requests[0], "before"), "2024-01-31T13:00:01");
}

TEST(ScanPlan, DatesKnownOnlyAtRunTimeShowAsPlaceholders) {
    // EXPLAIN of date_modified > now() - interval '1 day': the value is
    // computed when the scan starts, and the request will carry it.
    const auto& products = resource("products");
    ScanPlan plan = plan_scan(
        products, {cond(products, "date_modified_gmt", CondOp::Gt, {"{(now() - '1 day'::interval)}"}, false)}, {});
    ASSERT_EQ(plan.requests.size(), 1u);
    EXPECT_EQ(param(plan.requests[0], "modified_after"), "{(now() - '1 day'::interval)}");
    EXPECT_EQ(param(plan.requests[0], "dates_are_gmt"), "true");
    // With a constant bound on the same parameter, the placeholder is shown
    // (which one wins is known only at run time).
    plan = plan_scan(products,
                     {cond(products, "date_created_gmt", CondOp::Le, {"{o.date}"}, false),
                      cond(products, "date_created_gmt", CondOp::Le, {micros(kNoon)})},
                     {});
    EXPECT_EQ(param(plan.requests[0], "before"), "{o.date}");
}

TEST(ScanPlan, SearchComesOnlyFromContains) {
    const auto& products = resource("products");
    ScanPlan plan = plan_scan(products, {cond(products, "name", CondOp::Contains, {"hood"})}, {});
    ASSERT_EQ(plan.requests.size(), 1u);
    EXPECT_EQ(param(plan.requests[0], "search"), "hood");
    EXPECT_FALSE(plan.exact);  // the store also searches descriptions

    // name = 'Hood' is not a search: the store's search is no equality.
    plan = plan_scan(products, {eq(products, "name", "Hood")}, {});
    ASSERT_EQ(plan.requests.size(), 1u);
    EXPECT_EQ(param(plan.requests[0], "search"), kAbsent);
    EXPECT_FALSE(plan.exact);

    const auto& tags = resource("tags");
    plan = plan_scan(tags, {cond(tags, "name", CondOp::Contains, {"gift"})}, {});
    EXPECT_EQ(param(plan.requests[0], "search"), "gift");
}

TEST(ScanPlan, NestedWithParentValuesAsksEachParent) {
    const auto& variations = resource("variations");
    const ScanPlan plan = plan_scan(variations, {cond(variations, "parent_id", CondOp::In, {"26", "35"})}, {});
    EXPECT_FALSE(plan.expand_parents);
    ASSERT_EQ(plan.requests.size(), 2u);
    EXPECT_EQ(plan.requests[0].path, "products/26/variations");
    EXPECT_EQ(plan.requests[0].parent, "26");
    EXPECT_EQ(plan.requests[1].path, "products/35/variations");
    EXPECT_EQ(plan.requests[1].parent, "35");
    for (const auto& r : plan.requests) {
        EXPECT_TRUE(r.paged);
        EXPECT_EQ(param(r, "parent"), kAbsent);  // the parent is in the path
        EXPECT_EQ(param(r, "per_page"), "100");
    }
}

TEST(ScanPlan, NestedItemWithParentIsOneGet) {
    const auto& variations = resource("variations");
    const ScanPlan plan = plan_scan(variations, {eq(variations, "parent_id", "26"), eq(variations, "id", "27")}, {});
    ASSERT_EQ(plan.requests.size(), 1u);
    EXPECT_EQ(plan.requests[0].path, "products/26/variations/27");
    EXPECT_TRUE(plan.requests[0].item);
    EXPECT_EQ(plan.requests[0].parent, "26");

    const auto& terms = resource("attribute_terms");
    const ScanPlan t = plan_scan(terms, {eq(terms, "attribute_id", "1")}, {});
    ASSERT_EQ(t.requests.size(), 1u);
    EXPECT_EQ(t.requests[0].path, "products/attributes/1/terms");
    EXPECT_EQ(t.requests[0].parent, "1");
}

TEST(ScanPlan, NestedRunTimeParentShowsItsLabel) {
    const auto& variations = resource("variations");
    const ScanPlan plan = plan_scan(variations, {cond(variations, "parent_id", CondOp::Eq, {"{p.id}"}, false)}, {});
    ASSERT_EQ(plan.requests.size(), 1u);
    EXPECT_EQ(plan.requests[0].path, "products/{p.id}/variations");
    EXPECT_FALSE(plan.expand_parents);
}

TEST(ScanPlan, ContradictoryParentsMatchNothing) {
    const auto& variations = resource("variations");
    const ScanPlan plan = plan_scan(variations, {eq(variations, "parent_id", "26"), eq(variations, "parent_id", "35")}, {});
    EXPECT_TRUE(plan.empty);
}

TEST(ScanPlan, VariationsWithoutParentListVariableProductsFirst) {
    const auto& variations = resource("variations");
    const ScanPlan plan = plan_scan(variations, {eq(variations, "status", "publish")}, {});
    EXPECT_TRUE(plan.expand_parents);
    const ScanRequest& pr = plan.parent_request;
    EXPECT_EQ(pr.path, "products");
    EXPECT_TRUE(pr.paged);
    EXPECT_EQ(param(pr, "type"), "variable");  // only variable products have variations
    EXPECT_EQ(param(pr, "_fields"), "id");
    EXPECT_EQ(param(pr, "per_page"), "100");
    EXPECT_EQ(param(pr, "orderby"), "id");
    EXPECT_EQ(param(pr, "status"), kAbsent);  // the condition is on variations, not on their parents
    ASSERT_EQ(plan.requests.size(), 1u);
    EXPECT_EQ(plan.requests[0].path, "products/{parent}/variations");
    EXPECT_EQ(plan.requests[0].parent, "");
    EXPECT_EQ(param(plan.requests[0], "status"), "publish");
    EXPECT_EQ(request_path(plan.requests[0], "26"), "products/26/variations");
}

TEST(ScanPlan, AttributeTermsWithoutParentListAttributesUnpaged) {
    const auto& terms = resource("attribute_terms");
    const ScanPlan plan = plan_scan(terms, {}, {});
    EXPECT_TRUE(plan.expand_parents);
    const ScanRequest& pr = plan.parent_request;
    EXPECT_EQ(pr.path, "products/attributes");
    // products/attributes answers everything at once and takes no paging.
    EXPECT_FALSE(pr.paged);
    EXPECT_EQ(param(pr, "per_page"), kAbsent);
    EXPECT_EQ(param(pr, "orderby"), kAbsent);
    EXPECT_EQ(param(pr, "type"), kAbsent);
    EXPECT_EQ(param(pr, "_fields"), "id");
    ASSERT_EQ(plan.requests.size(), 1u);
    EXPECT_EQ(plan.requests[0].path, "products/attributes/{parent}/terms");
    EXPECT_TRUE(plan.requests[0].paged);
}

TEST(ScanPlan, AttributesAreOneUnpagedRequest) {
    const auto& attributes = resource("attributes");
    ScanPlan plan = plan_scan(attributes, {}, {});
    ASSERT_EQ(plan.requests.size(), 1u);
    EXPECT_FALSE(plan.requests[0].paged);
    EXPECT_EQ(param(plan.requests[0], "per_page"), kAbsent);
    EXPECT_EQ(param(plan.requests[0], "orderby"), kAbsent);
    // No include parameter: several ids are one full listing, rechecked.
    plan = plan_scan(attributes, {cond(attributes, "id", CondOp::In, {"1", "2"})}, {});
    ASSERT_EQ(plan.requests.size(), 1u);
    EXPECT_EQ(plan.requests[0].path, "products/attributes");
    EXPECT_FALSE(plan.exact);
    plan = plan_scan(attributes, {eq(attributes, "id", "1")}, {});
    ASSERT_EQ(plan.requests.size(), 1u);
    EXPECT_EQ(plan.requests[0].path, "products/attributes/1");
    EXPECT_TRUE(plan.requests[0].item);
}

TEST(ScanPlan, LimitShrinksPerPageOnlyForExactPlans) {
    const auto& products = resource("products");
    ScanSettings s;
    s.limit = 5;
    ScanPlan plan = plan_scan(products, {eq(products, "status", "publish")}, s);
    EXPECT_TRUE(plan.exact);
    EXPECT_EQ(plan.limit, 5);
    EXPECT_EQ(param(plan.requests[0], "per_page"), "5");

    // The store's category filter includes child categories: rows may be
    // dropped by the recheck, so neither per_page nor the limit may shrink.
    plan = plan_scan(products, {eq(products, "categories", "9")}, s);
    EXPECT_FALSE(plan.exact);
    EXPECT_EQ(plan.limit, -1);
    EXPECT_EQ(param(plan.requests[0], "category"), "9");
    EXPECT_EQ(param(plan.requests[0], "per_page"), "100");

    s.limit = 500;  // more than a page: pages stay full
    plan = plan_scan(products, {}, s);
    EXPECT_EQ(plan.limit, 500);
    EXPECT_EQ(param(plan.requests[0], "per_page"), "100");
}

TEST(ScanPlan, CustomersAlwaysAskForEveryRole) {
    const auto& customers = resource("customers");
    // Without role=all the store lists role=customer only.
    ScanPlan plan = plan_scan(customers, {}, {});
    ASSERT_EQ(plan.requests.size(), 1u);
    EXPECT_EQ(param(plan.requests[0], "role"), "all");
    plan = plan_scan(customers, {eq(customers, "email", "a@example.com")}, {});
    EXPECT_EQ(param(plan.requests[0], "role"), "all");
    EXPECT_EQ(param(plan.requests[0], "email"), "a@example.com");
    plan = plan_scan(customers, {cond(customers, "id", CondOp::In, {"1", "2"})}, {});
    EXPECT_EQ(param(plan.requests[0], "role"), "all");
    EXPECT_EQ(param(plan.requests[0], "include"), "1,2");
}

TEST(ScanPlan, ExactnessAndCountability) {
    const auto& products = resource("products");
    EXPECT_TRUE(plan_is_countable(plan_scan(products, {}, {})));
    EXPECT_TRUE(plan_is_countable(plan_scan(products, {eq(products, "tags", "5")}, {})));
    EXPECT_TRUE(plan_is_countable(plan_scan(products, {cond(products, "id", CondOp::In, {"1", "2"})}, {})));

    // sku= also finds variations, which X-WP-Total counts.
    ScanPlan plan = plan_scan(products, {eq(products, "sku", "A")}, {});
    EXPECT_FALSE(plan.exact);
    EXPECT_FALSE(plan_is_countable(plan));
    // Child categories: not exact.
    plan = plan_scan(products, {eq(products, "categories", "9")}, {});
    EXPECT_FALSE(plan.exact);
    EXPECT_FALSE(plan_is_countable(plan));
    // An item, several requests, nested expansion, no request: not one X-WP-Total.
    EXPECT_FALSE(plan_is_countable(plan_scan(products, {eq(products, "id", "1")}, {})));
    EXPECT_FALSE(plan_is_countable(plan_scan(products, {cond(products, "id", CondOp::In, numbers(1, 101))}, {})));
    EXPECT_FALSE(plan_is_countable(plan_scan(resource("variations"), {}, {})));
    EXPECT_FALSE(plan_is_countable(plan_scan(products, {eq(products, "status", "bogus")}, {})));
    EXPECT_FALSE(plan_is_countable(plan_scan(resource("attributes"), {}, {})));

    // Variations of one parent: sku is exact there (no variations to drop).
    const auto& variations = resource("variations");
    plan = plan_scan(variations, {eq(variations, "parent_id", "26"), eq(variations, "sku", "A")}, {});
    EXPECT_TRUE(plan.exact);
    EXPECT_TRUE(plan_is_countable(plan));
}

TEST(ScanPlan, CountRequestAsksOneIdPerPage) {
    const auto& products = resource("products");
    ScanSettings s;
    s.fields = {"name", "sku"};
    const ScanPlan plan = plan_scan(products, {eq(products, "status", "publish")}, s);
    const ScanRequest r = count_request(plan);
    EXPECT_EQ(r.path, "products");
    EXPECT_EQ(param(r, "per_page"), "1");
    EXPECT_EQ(param(r, "_fields"), "id");
    EXPECT_EQ(param(r, "status"), "publish");
    EXPECT_TRUE(r.paged);

    // Without fields in the plan, _fields=id is added.
    const ScanRequest bare = count_request(plan_scan(products, {}, {}));
    EXPECT_EQ(param(bare, "_fields"), "id");
    EXPECT_EQ(param(bare, "per_page"), "1");
}

TEST(ScanPlan, DescribeShowsTheFirstPageAndTheParallelism) {
    const auto& products = resource("products");
    const ScanPlan plan = plan_scan(products, {eq(products, "status", "publish")}, {});
    const auto lines = describe_plan(plan, "/wp-json/wc/v3", 4);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0],
              "GET /wp-json/wc/v3/products?status=publish&context=edit&per_page=100&orderby=id&order=asc&page=1"
              "  (then pages 2..N, 4 in parallel)");
}

TEST(ScanPlan, DescribeAnItemHasNoPages) {
    const auto& products = resource("products");
    const auto lines = describe_plan(plan_scan(products, {eq(products, "id", "42")}, {}), "/wp-json/wc/v3", 4);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0], "GET /wp-json/wc/v3/products/42?context=edit");
}

TEST(ScanPlan, DescribeEmptyAndManyRequests) {
    const auto& products = resource("products");
    auto lines = describe_plan(plan_scan(products, {eq(products, "status", "bogus")}, {}), "/wp-json/wc/v3", 4);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0], "none: the conditions cannot match any row");

    // 650 ids, 7 requests: three shown, the rest summarised.
    lines = describe_plan(plan_scan(products, {cond(products, "id", CondOp::In, numbers(1, 650))}, {}),
                          "/wp-json/wc/v3", 2);
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_EQ(lines[0].rfind("GET /wp-json/wc/v3/products?include=1,2,3,", 0), 0u) << lines[0];
    EXPECT_NE(lines[2].find("include=201,202,"), std::string::npos);
    EXPECT_NE(lines[0].find("(then pages 2..N, 2 in parallel)"), std::string::npos);
    EXPECT_EQ(lines[3], "... and 4 more requests like these");

    // Five requests are all shown.
    lines = describe_plan(plan_scan(products, {cond(products, "id", CondOp::In, numbers(1, 500))}, {}),
                          "/wp-json/wc/v3", 2);
    EXPECT_EQ(lines.size(), 5u);
}

TEST(ScanPlan, DescribeNestedExpansion) {
    const auto lines = describe_plan(plan_scan(resource("variations"), {}, {}), "/wp-json/wc/v3", 3);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0],
              "GET /wp-json/wc/v3/products?type=variable&_fields=id&per_page=100&orderby=id&order=asc&page=1"
              "  (every page: the parents)");
    EXPECT_EQ(lines[1],
              "GET /wp-json/wc/v3/products/{parent}/variations?context=edit&per_page=100&orderby=id&order=asc&page=1"
              "  (for each parent, 3 in parallel)");
}

TEST(ScanPlan, DescribeCountShowsTheCountRequestOnlyWhenCountable) {
    const auto& products = resource("products");
    auto lines = describe_plan(plan_scan(products, {eq(products, "status", "publish")}, {}), "/wp-json/wc/v3", 4, true);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0],
              "GET /wp-json/wc/v3/products?status=publish&context=edit&per_page=1&orderby=id&order=asc&_fields=id"
              "&page=1  (count(*) from X-WP-Total)");
    // Not countable: the scan itself is shown.
    lines = describe_plan(plan_scan(products, {eq(products, "sku", "A")}, {}), "/wp-json/wc/v3", 4, true);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].find("count(*)"), std::string::npos);
    EXPECT_NE(lines[0].find("per_page=100"), std::string::npos);
}

}  // namespace
}  // namespace wcfdw
