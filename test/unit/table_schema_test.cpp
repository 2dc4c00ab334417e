// IMPORT FOREIGN SCHEMA derives columns from the schema a store publishes
// (OPTIONS on each collection). These tests read real WooCommerce answers
// (test/unit/data/real-17*, captured from a WooCommerce 9 store) so that the
// typing rules are checked against what stores actually publish: "date-time"
// as a type, ["integer","null"], "bool", shipping_class_id as a string.
#include "core/woo/table_schema.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <gtest/gtest.h>

#include "core/base/woo_error.hpp"
#include "support/fixtures.hpp"

namespace wcfdw {
namespace {

using testing::resource;
using testing::read_data;

std::vector<ColumnDef> imported(const char* resource_name, const char* file) {
    return columns_from_schema(resource(resource_name), read_data(file));
}

const ColumnDef* find(const std::vector<ColumnDef>& columns, const std::string& name) {
    for (const auto& c : columns)
        if (c.name == name) return &c;
    return nullptr;
}

// "name: type [field] source" for readable failures.
std::string describe(const std::vector<ColumnDef>& columns, const std::string& name) {
    const ColumnDef* c = find(columns, name);
    if (!c) return name + ": absent";
    std::string out = name + ": " + column_type_sql(c->type);
    if (!c->field.empty()) out += " [" + c->field + "]";
    switch (c->source) {
    case ColumnSource::Member: break;
    case ColumnSource::WholeObject: out += " whole-object"; break;
    case ColumnSource::TermFilter: out += " term-filter"; break;
    case ColumnSource::PathParent: out += " path-parent"; break;
    case ColumnSource::QueryParam: out += " query-param"; break;
    }
    return out;
}

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

constexpr const char* kProducts = "real-17-products-options-schema.body.json";
constexpr const char* kVariations = "real-17b-product-variations-options-schema.body.json";
constexpr const char* kTerms = "real-17f-product-attribute-terms-options-schema.body.json";
constexpr const char* kOrders = "real-17g-orders-options-schema.body.json";
constexpr const char* kCustomers = "real-17h-customers-options-schema.body.json";

TEST(TableSchema, ProductColumnTypes) {
    const auto columns = imported("products", kProducts);
    EXPECT_EQ(describe(columns, "id"), "id: bigint");
    EXPECT_EQ(describe(columns, "name"), "name: text");
    EXPECT_EQ(describe(columns, "sku"), "sku: text");
    EXPECT_EQ(describe(columns, "global_unique_id"), "global_unique_id: text");  // a GTIN may have leading zeros
    EXPECT_EQ(describe(columns, "featured"), "featured: boolean");
    // Prices, weight and rating are strings holding decimals.
    EXPECT_EQ(describe(columns, "price"), "price: numeric");
    EXPECT_EQ(describe(columns, "regular_price"), "regular_price: numeric");
    EXPECT_EQ(describe(columns, "sale_price"), "sale_price: numeric");
    EXPECT_EQ(describe(columns, "weight"), "weight: numeric");
    EXPECT_EQ(describe(columns, "average_rating"), "average_rating: numeric");
    // Counts are integer, ids bigint.
    EXPECT_EQ(describe(columns, "stock_quantity"), "stock_quantity: integer");
    EXPECT_EQ(describe(columns, "low_stock_amount"), "low_stock_amount: integer");  // ["integer","null"]
    EXPECT_EQ(describe(columns, "total_sales"), "total_sales: integer");
    EXPECT_EQ(describe(columns, "menu_order"), "menu_order: integer");
    EXPECT_EQ(describe(columns, "parent_id"), "parent_id: bigint");  // a plain member on products
    EXPECT_EQ(describe(columns, "shipping_class_id"), "shipping_class_id: bigint");  // the schema says string
    // Dates read their UTC twin.
    EXPECT_EQ(describe(columns, "date_created"), "date_created: timestamp with time zone [date_created_gmt]");
    EXPECT_EQ(describe(columns, "date_modified"), "date_modified: timestamp with time zone [date_modified_gmt]");
    EXPECT_EQ(describe(columns, "date_on_sale_from"),
              "date_on_sale_from: timestamp with time zone [date_on_sale_from_gmt]");
    // Structures are jsonb.
    EXPECT_EQ(describe(columns, "categories"), "categories: jsonb");
    EXPECT_EQ(describe(columns, "tags"), "tags: jsonb");
    EXPECT_EQ(describe(columns, "dimensions"), "dimensions: jsonb");
    EXPECT_EQ(describe(columns, "meta_data"), "meta_data: jsonb");
    EXPECT_EQ(describe(columns, "related_ids"), "related_ids: jsonb");
    // The extension's own columns.
    EXPECT_EQ(describe(columns, "category"), "category: bigint [categories] term-filter");
    EXPECT_EQ(describe(columns, "tag"), "tag: bigint [tags] term-filter");
    EXPECT_EQ(describe(columns, "attrs"), "attrs: jsonb whole-object");
}

TEST(TableSchema, ProductsHaveNoGmtTwinsOrNavigation) {
    const auto columns = imported("products", kProducts);
    for (const auto& c : columns) {
        EXPECT_FALSE(ends_with(c.name, "_gmt")) << c.name;
        EXPECT_NE(c.name, "_links");
    }
    EXPECT_EQ(find(columns, "password"), nullptr);
}

TEST(TableSchema, ColumnOrderFollowsTheSchemaThenTheExtensionsColumns) {
    const auto columns = imported("products", kProducts);
    // The store's order, read independently of the code under test.
    const auto body = nlohmann::ordered_json::parse(read_data(kProducts));
    std::vector<std::string> expected;
    for (const auto& [name, property] : body["schema"]["properties"].items())
        if (!ends_with(name, "_gmt") && name != "password" && name != "_links") expected.push_back(name);
    expected.insert(expected.end(), {"category", "tag", "attrs"});
    std::vector<std::string> names;
    for (const auto& c : columns) names.push_back(c.name);
    EXPECT_EQ(names, expected);
    ASSERT_GE(names.size(), 4u);
    EXPECT_EQ(names[0], "id");
    EXPECT_EQ(names[1], "name");
    EXPECT_EQ(names.back(), "attrs");
}

TEST(TableSchema, VariationsGetNameAndTheirParent) {
    const auto columns = imported("variations", kVariations);
    // The variations schema lists no name, but responses carry one.
    EXPECT_EQ(describe(columns, "name"), "name: text");
    // parent_id comes from the path products/{parent}/variations.
    EXPECT_EQ(describe(columns, "parent_id"), "parent_id: bigint path-parent");
    // The schema lists date_created without a _gmt twin; responses have one.
    EXPECT_EQ(describe(columns, "date_created"), "date_created: timestamp with time zone [date_created_gmt]");
    EXPECT_EQ(describe(columns, "regular_price"), "regular_price: numeric");
    EXPECT_EQ(describe(columns, "image"), "image: jsonb");
    EXPECT_EQ(find(columns, "category"), nullptr);  // filter columns are for products
    EXPECT_EQ(find(columns, "tag"), nullptr);
    ASSERT_GE(columns.size(), 2u);
    EXPECT_EQ(columns.back().name, "attrs");
    EXPECT_EQ(columns[columns.size() - 2].name, "parent_id");
    int parents = 0;
    for (const auto& c : columns) parents += c.name == "parent_id";
    EXPECT_EQ(parents, 1);
}

TEST(TableSchema, AttributeTermsGetTheirAttribute) {
    const auto columns = imported("attribute_terms", kTerms);
    EXPECT_EQ(describe(columns, "attribute_id"), "attribute_id: bigint path-parent");
    EXPECT_EQ(describe(columns, "count"), "count: integer");
    EXPECT_EQ(columns.back().name, "attrs");
}

TEST(TableSchema, OrderTotalsAreNumeric) {
    const auto columns = imported("orders", kOrders);
    for (const char* name :
         {"total", "total_tax", "discount_total", "discount_tax", "shipping_total", "shipping_tax", "cart_tax"})
        EXPECT_EQ(describe(columns, name), std::string(name) + ": numeric");
    EXPECT_EQ(describe(columns, "customer_id"), "customer_id: bigint");
    EXPECT_EQ(describe(columns, "parent_id"), "parent_id: bigint");  // orders are not nested
    EXPECT_EQ(describe(columns, "number"), "number: text");  // order numbers may be formatted by plugins
    EXPECT_EQ(describe(columns, "billing"), "billing: jsonb");
    EXPECT_EQ(describe(columns, "line_items"), "line_items: jsonb");
    EXPECT_EQ(describe(columns, "prices_include_tax"), "prices_include_tax: boolean");
    EXPECT_EQ(describe(columns, "date_paid"), "date_paid: timestamp with time zone [date_paid_gmt]");
    EXPECT_EQ(describe(columns, "date_completed"), "date_completed: timestamp with time zone [date_completed_gmt]");
    EXPECT_EQ(find(columns, "category"), nullptr);
}

TEST(TableSchema, CustomersHaveNoPassword) {
    const auto columns = imported("customers", kCustomers);
    EXPECT_EQ(find(columns, "password"), nullptr);  // write-only
    EXPECT_EQ(describe(columns, "email"), "email: text");
    EXPECT_EQ(describe(columns, "is_paying_customer"), "is_paying_customer: boolean");  // "bool" in the schema
    EXPECT_EQ(describe(columns, "date_created"), "date_created: timestamp with time zone [date_created_gmt]");
    EXPECT_EQ(describe(columns, "shipping"), "shipping: jsonb");
    EXPECT_EQ(columns.back().name, "attrs");
}

TEST(TableSchema, SyntheticTypingRules) {
    const std::string body = R"({"schema":{"properties":{
        "id":{"type":"integer"},
        "parent":{"type":"integer"},
        "vendor_id":{"type":"integer"},
        "rank":{"type":"integer"},
        "ratio":{"type":"number"},
        "fee_total":{"type":"string"},
        "line_tax":{"type":"string"},
        "subtotal":{"type":"string"},
        "starts":{"type":"string","format":"date-time"},
        "starts_gmt":{"type":"string","format":"date-time"},
        "opts":{"type":["object","null"]},
        "odd":{"type":"whatever"},
        "untyped":{},
        "_links":{"type":"object"},
        "password":{"type":"string"}}}})";
    const auto columns = columns_from_schema(resource("tags"), body);
    EXPECT_EQ(describe(columns, "id"), "id: bigint");
    EXPECT_EQ(describe(columns, "parent"), "parent: bigint");
    EXPECT_EQ(describe(columns, "vendor_id"), "vendor_id: bigint");
    EXPECT_EQ(describe(columns, "rank"), "rank: integer");
    EXPECT_EQ(describe(columns, "ratio"), "ratio: numeric");
    EXPECT_EQ(describe(columns, "fee_total"), "fee_total: numeric");
    EXPECT_EQ(describe(columns, "line_tax"), "line_tax: numeric");
    EXPECT_EQ(describe(columns, "subtotal"), "subtotal: text");
    EXPECT_EQ(describe(columns, "starts"), "starts: timestamp with time zone [starts_gmt]");
    EXPECT_EQ(describe(columns, "starts_gmt"), "starts_gmt: absent");
    EXPECT_EQ(describe(columns, "opts"), "opts: jsonb");
    EXPECT_EQ(describe(columns, "odd"), "odd: text");
    EXPECT_EQ(describe(columns, "untyped"), "untyped: text");
    EXPECT_EQ(find(columns, "_links"), nullptr);
    EXPECT_EQ(find(columns, "password"), nullptr);
    EXPECT_EQ(columns.size(), 13u);  // 12 kept members + attrs
}

TEST(TableSchema, WithoutASchemaIsAnInvalidResponse) {
    const auto& products = resource("products");
    for (const std::string body : {"{}", "[]", "not json", R"({"schema":{}})", R"({"schema":{"properties":[]}})",
                                   R"({"namespace":"wc/v3","methods":["GET"]})", ""}) {
        SCOPED_TRACE(body);
        try {
            columns_from_schema(products, body);
            ADD_FAILURE() << "no error";
        } catch (const WooError& e) {
            EXPECT_EQ(e.kind(), ErrorKind::InvalidResponse);
            EXPECT_STREQ(e.sqlstate(), "08P01");
            EXPECT_NE(std::string(e.what()).find("products"), std::string::npos) << e.what();
            EXPECT_NE(e.hint().find("api_version"), std::string::npos);
        }
    }
}

TEST(TableSchema, ColumnTypeSql) {
    EXPECT_STREQ(column_type_sql(ColumnType::BigInt), "bigint");
    EXPECT_STREQ(column_type_sql(ColumnType::Integer), "integer");
    EXPECT_STREQ(column_type_sql(ColumnType::Numeric), "numeric");
    EXPECT_STREQ(column_type_sql(ColumnType::Boolean), "boolean");
    EXPECT_STREQ(column_type_sql(ColumnType::Text), "text");
    EXPECT_STREQ(column_type_sql(ColumnType::TimestampTz), "timestamp with time zone");
    EXPECT_STREQ(column_type_sql(ColumnType::Jsonb), "jsonb");
}

TEST(TableSchema, DefaultColumnSource) {
    const auto& products = resource("products");
    const auto& variations = resource("variations");
    const auto& orders = resource("orders");
    EXPECT_EQ(default_column_source(products, "attrs", "attrs"), ColumnSource::WholeObject);
    EXPECT_EQ(default_column_source(orders, "attrs", "attrs"), ColumnSource::WholeObject);
    EXPECT_EQ(default_column_source(products, "attrs", "meta_data"), ColumnSource::Member);  // field option wins
    EXPECT_EQ(default_column_source(products, "category", "categories"), ColumnSource::TermFilter);
    EXPECT_EQ(default_column_source(products, "tag", "tags"), ColumnSource::TermFilter);
    EXPECT_EQ(default_column_source(products, "my_cats", "categories"), ColumnSource::Member);
    EXPECT_EQ(default_column_source(products, "categories", "categories"), ColumnSource::Member);
    EXPECT_EQ(default_column_source(variations, "category", "categories"), ColumnSource::Member);
    EXPECT_EQ(default_column_source(variations, "parent_id", "parent_id"), ColumnSource::PathParent);
    EXPECT_EQ(default_column_source(variations, "product", "parent_id"), ColumnSource::PathParent);
    EXPECT_EQ(default_column_source(products, "parent_id", "parent_id"), ColumnSource::Member);
    EXPECT_EQ(default_column_source(resource("attribute_terms"), "attribute_id", "attribute_id"),
              ColumnSource::PathParent);
    EXPECT_EQ(default_column_source(products, "name", "name"), ColumnSource::Member);
}

}  // namespace
}  // namespace wcfdw
