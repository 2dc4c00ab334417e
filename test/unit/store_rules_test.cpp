// WooCommerce's write rules: the comparison of a write body with the
// store's answer (what was kept, what was dropped and why), the sale price
// the store keeps without applying it, and the fields the store computes.
// Answers are shaped like the real captures (woo-reference/real/10, 22, 27).
#include "core/woo/store_rules.hpp"

#include <gtest/gtest.h>

namespace wcfdw {
namespace {

using Json = nlohmann::json;

std::vector<std::string> members(const std::vector<UnkeptMember>& unkept) {
    std::vector<std::string> out;
    for (const auto& u : unkept) out.push_back(u.member);
    return out;
}

TEST(StoreRules, ValuesAreComparedTheWayWooCommerceFormatsThem) {
    const Json sent = Json::parse(R"({"id": 12, "regular_price": "12.50", "name": "Salt & Pepper ", "sku": "SP-1",
                                      "stock_quantity": 5, "manage_stock": true, "dimensions": {"length": "10.0"},
                                      "sale_price": "", "date_on_sale_from": null})");
    const Json answer = Json::parse(R"({"id": 12, "regular_price": "12.5", "name": "Salt &amp; Pepper", "sku": "SP-1",
                                        "stock_quantity": 5, "manage_stock": true,
                                        "dimensions": {"length": "10", "width": "", "height": ""},
                                        "sale_price": "", "date_on_sale_from": null})");
    EXPECT_TRUE(unkept_members(sent, answer).empty());
}

TEST(StoreRules, ADroppedQuantityIsReportedWithWooCommercesRule) {
    const Json sent = Json::parse(R"({"name": "Mug", "sku": "MUG", "stock_quantity": 2})");
    const Json answer = Json::parse(R"({"id": 40, "name": "Mug", "sku": "MUG", "manage_stock": false, "stock_quantity": null})");
    const auto unkept = unkept_members(sent, answer);
    ASSERT_EQ(members(unkept), (std::vector<std::string>{"stock_quantity"}));
    EXPECT_EQ(describe_unkept(unkept),
              "the store did not keep stock_quantity (sent 2, the store has null: WooCommerce keeps stock_quantity "
              "only when manage_stock is true)");
}

TEST(StoreRules, ChangedValuesAreReportedToo) {
    const Json sent = Json::parse(R"({"regular_price": "10.00", "description": "<script>x</script>Hi", "colour": "red"})");
    const Json answer = Json::parse(R"({"regular_price": "10.01", "description": "xHi"})");
    const auto unkept = unkept_members(sent, answer);
    ASSERT_EQ(members(unkept), (std::vector<std::string>{"colour", "description", "regular_price"}));
    EXPECT_EQ(unkept[0].reason, "");  // a member WooCommerce does not know: simply not there
    EXPECT_EQ(unkept[1].reason, "WooCommerce filters the HTML of product texts");
    EXPECT_EQ(describe_unkept(unkept[2]), "regular_price (sent \"10.00\", the store has \"10.01\")");
}

TEST(StoreRules, PricesOfVariableProductsAndDerivedStockStatus) {
    const Json variable = Json::parse(R"({"id": 26, "type": "variable", "regular_price": "", "sale_price": "",
                                          "manage_stock": false, "stock_status": "instock"})");
    const auto unkept = unkept_members(Json::parse(R"({"regular_price": "20", "stock_status": "outofstock"})"), variable);
    ASSERT_EQ(unkept.size(), 2u);
    EXPECT_EQ(unkept[0].reason, "variable products have no prices of their own in WooCommerce: set them on the variations");
    EXPECT_EQ(unkept[1].reason, "a variable product takes its stock status from its variations");
    const Json managed = Json::parse(R"({"type": "simple", "manage_stock": true, "stock_quantity": 3, "stock_status": "instock"})");
    EXPECT_EQ(unkept_members(Json::parse(R"({"stock_status": "outofstock"})"), managed)[0].reason,
              "with manage_stock, WooCommerce sets stock_status from the stock quantity");
}

TEST(StoreRules, TermsImagesAttributesAndMeta) {
    const Json answer = Json::parse(R"({
        "categories": [{"id": 17, "name": "T-Shirts", "slug": "t-shirts"}, {"id": 15, "name": "Uncategorized"}],
        "tags": [{"id": 3, "name": "Sale", "slug": "sale"}],
        "images": [{"id": 70, "src": "https://store/a-1.jpg"}, {"id": 71, "src": "https://store/b.jpg"}],
        "attributes": [{"id": 1, "name": "Color", "options": ["Red", "Blue"], "variation": true},
                       {"id": 0, "name": "Fit", "options": ["Slim"]}],
        "meta_data": [{"id": 9, "key": "origin", "value": "PT"}, {"id": 10, "key": "n", "value": "5"}]})");
    const Json kept = Json::parse(R"({"categories": [{"id": 17}], "tags": [{"name": "sale"}],
        "images": [{"id": 70}, {"src": "https://img/b.jpg"}],
        "attributes": [{"id": 1, "options": ["red", "Blue"]}, {"name": "fit", "options": ["Slim"]}],
        "meta_data": [{"key": "origin", "value": "PT"}, {"key": "n", "value": 5}]})");
    EXPECT_TRUE(unkept_members(kept, answer).empty());
    const Json lost = Json::parse(R"({"categories": [{"id": 99}], "tags": [{"name": "New"}],
        "images": [{"src": "a"}, {"src": "b"}, {"src": "c"}], "attributes": [{"id": 1, "options": ["Green"]}],
        "meta_data": [{"key": "origin", "value": "ES"}]})");
    EXPECT_EQ(members(unkept_members(lost, answer)),
              (std::vector<std::string>{"attributes", "categories", "images", "meta_data", "tags"}));
    // An empty list is kept whatever the store adds (its default category).
    EXPECT_TRUE(unkept_members(Json::parse(R"({"categories": [], "tags": []})"), answer).empty());
}

TEST(StoreRules, AVariationKeepsOnlyItsParentsVariationAttributes) {
    // real/27: a variation answers its attributes as {id, name, option}.
    const Json answer = Json::parse(R"({"id": 27, "parent_id": 26, "type": "variation",
        "attributes": [{"id": 1, "name": "Color", "option": "Blue"}], "image": {"id": 80, "src": "https://store/v.jpg"}})");
    EXPECT_TRUE(unkept_members(Json::parse(R"({"attributes": [{"id": 1, "option": "blue"}], "image": {"src": "x"}})"), answer).empty());
    const auto unkept = unkept_members(Json::parse(R"({"attributes": [{"id": 1, "option": "Blue"}, {"name": "Size", "option": "M"}],
                                                       "image": {"id": 81}})"), answer);
    ASSERT_EQ(members(unkept), (std::vector<std::string>{"attributes", "image"}));
    EXPECT_EQ(unkept[0].reason, "a variation keeps only the attributes its parent product has as variation attributes");
}

TEST(StoreRules, ASalePriceTheStoreDoesNotApply) {
    const Json sent = Json::parse(R"({"sale_price": "15.00"})");
    const Json above = Json::parse(R"({"regular_price": "12.00", "sale_price": "15.00", "on_sale": false,
                                       "date_modified_gmt": "2026-03-01T10:00:00"})");
    EXPECT_EQ(sale_not_applied(sent, above), "sale_price 15.00 is kept but the product is not on sale: WooCommerce "
                                             "applies a sale price only below the regular price (12.00)");
    Json no_regular = above;
    no_regular["regular_price"] = "";
    EXPECT_NE(sale_not_applied(sent, no_regular).find("it has no regular price"), std::string::npos);
    Json ended = above;
    ended["regular_price"] = "20.00";
    ended["date_on_sale_to_gmt"] = "2026-01-31T23:59:59";
    EXPECT_NE(sale_not_applied(sent, ended).find("its sale ended on 2026-01-31T23:59:59 (GMT)"), std::string::npos);
    Json later = ended;
    later["date_on_sale_to_gmt"] = nullptr;
    later["date_on_sale_from_gmt"] = "2026-04-01T00:00:00";
    EXPECT_EQ(sale_not_applied(sent, later), "");  // starts later: as intended
    Json applied = above;
    applied["on_sale"] = true;
    EXPECT_EQ(sale_not_applied(sent, applied), "");
    EXPECT_EQ(sale_not_applied(Json::parse(R"({"sale_price": ""})"), above), "");
}

TEST(StoreRules, FieldsTheStoreComputes) {
    EXPECT_TRUE(store_computes("stock_status", "simple", true));
    EXPECT_FALSE(store_computes("stock_status", "simple", false));
    EXPECT_TRUE(store_computes("stock_status", "variable", false));
    EXPECT_TRUE(store_computes("regular_price", "variable", false));
    EXPECT_TRUE(store_computes("date_on_sale_to_gmt", "grouped", false));
    EXPECT_FALSE(store_computes("regular_price", "simple", false));
    EXPECT_FALSE(store_computes("regular_price", "variation", true));
    EXPECT_FALSE(store_computes("stock_quantity", "simple", false));
}

}  // namespace
}  // namespace wcfdw
