// RowConverter is strict: a store value that does not fit its column is an
// error naming the table, the column, the object and the value, never a
// silent NULL or a truncated number. Missing members are NULL. The last
// tests run real WooCommerce objects through the columns IMPORT FOREIGN
// SCHEMA derives from the same store's schema.
#include "core/scan/row_converter.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <gtest/gtest.h>

#include "core/woo/table_schema.hpp"
#include "core/base/woo_error.hpp"
#include "support/fixtures.hpp"

namespace wcfdw {
namespace {

using testing::resource;
using testing::read_data;

using nlohmann::json;

// Converts `object` through one column reading `field`.
Cell convert_one(ColumnType type, const std::string& field, const json& object, const std::string& parent = "",
                 ColumnSource source = ColumnSource::Member, const char* resource_name = "products") {
    RowConverter converter("shop_products", resource(resource_name), {{"col", type, field, source}});
    std::vector<Cell> cells;
    converter.convert(object, parent, cells);
    EXPECT_EQ(cells.size(), 1u);
    return cells.at(0);
}

Cell convert_value(ColumnType type, const json& value) {
    return convert_one(type, "v", json{{"id", 42}, {"v", value}});
}

// The error converting `value` into a column of `type`; fails if none.
WooError error_for(ColumnType type, const json& value) {
    try {
        convert_value(type, value);
    } catch (const WooError& e) {
        return e;
    }
    ADD_FAILURE() << "no error for " << value.dump() << " as " << column_type_sql(type);
    return WooError(ErrorKind::Internal, "no error");
}

bool is_null(const Cell& c) { return c.kind == Cell::Null; }

::testing::AssertionResult is_int(const Cell& c, std::int64_t expected) {
    if (c.kind != Cell::Int) return ::testing::AssertionFailure() << "kind " << int(c.kind) << ", not Int";
    if (c.i != expected) return ::testing::AssertionFailure() << c.i << " != " << expected;
    return ::testing::AssertionSuccess();
}

::testing::AssertionResult is_text(const Cell& c, const std::string& expected) {
    if (c.kind != Cell::Text) return ::testing::AssertionFailure() << "kind " << int(c.kind) << ", not Text";
    if (c.text != expected) return ::testing::AssertionFailure() << "\"" << c.text << "\" != \"" << expected << "\"";
    return ::testing::AssertionSuccess();
}

TEST(RowConverter, IntegersFromNumbersIntegralFloatsAndDigitStrings) {
    EXPECT_TRUE(is_int(convert_value(ColumnType::BigInt, 42), 42));
    EXPECT_TRUE(is_int(convert_value(ColumnType::BigInt, -3), -3));
    EXPECT_TRUE(is_int(convert_value(ColumnType::BigInt, 7.0), 7));  // PHP floats that hold integers
    EXPECT_TRUE(is_int(convert_value(ColumnType::BigInt, "123"), 123));
    EXPECT_TRUE(is_int(convert_value(ColumnType::BigInt, "-5"), -5));
    EXPECT_TRUE(is_int(convert_value(ColumnType::BigInt, 3000000000LL), 3000000000LL));
    EXPECT_TRUE(is_int(convert_value(ColumnType::BigInt, "9223372036854775807"), INT64_MAX));
    EXPECT_TRUE(is_int(convert_value(ColumnType::Integer, 2147483647), 2147483647));
    EXPECT_TRUE(is_int(convert_value(ColumnType::Integer, -2147483648LL), INT32_MIN));
}

TEST(RowConverter, EmptyStringAndNullAreNullIntegers) {
    // WooCommerce sends "" for an unset stock quantity or shipping class.
    EXPECT_TRUE(is_null(convert_value(ColumnType::BigInt, "")));
    EXPECT_TRUE(is_null(convert_value(ColumnType::Integer, nullptr)));
}

TEST(RowConverter, WhatIsNoIntegerIsAnError) {
    EXPECT_EQ(error_for(ColumnType::BigInt, 7.5).kind(), ErrorKind::BadValue);
    EXPECT_EQ(error_for(ColumnType::BigInt, "12a").kind(), ErrorKind::BadValue);
    EXPECT_EQ(error_for(ColumnType::BigInt, "1.0").kind(), ErrorKind::BadValue);
    EXPECT_EQ(error_for(ColumnType::BigInt, " 1").kind(), ErrorKind::BadValue);
    EXPECT_EQ(error_for(ColumnType::BigInt, "-").kind(), ErrorKind::BadValue);
    EXPECT_EQ(error_for(ColumnType::BigInt, true).kind(), ErrorKind::BadValue);
    EXPECT_EQ(error_for(ColumnType::BigInt, json::array({1})).kind(), ErrorKind::BadValue);
    EXPECT_EQ(error_for(ColumnType::BigInt, json::object({{"id", 1}})).kind(), ErrorKind::BadValue);
    // Integers beyond the column's range are 22003, as PostgreSQL's own casts.
    EXPECT_EQ(error_for(ColumnType::BigInt, "9223372036854775808").kind(), ErrorKind::OutOfRange);
    EXPECT_EQ(error_for(ColumnType::BigInt, 18446744073709551615ULL).kind(), ErrorKind::OutOfRange);
    EXPECT_EQ(error_for(ColumnType::BigInt, 1e300).kind(), ErrorKind::OutOfRange);
    EXPECT_STREQ(error_for(ColumnType::BigInt, 1e300).sqlstate(), "22003");
}

TEST(RowConverter, IntegerColumnsRejectWhatBigintHolds) {
    // Silently wrapping 3000000000 into an int4 would be a wrong number.
    EXPECT_EQ(error_for(ColumnType::Integer, 3000000000LL).kind(), ErrorKind::OutOfRange);
    EXPECT_EQ(error_for(ColumnType::Integer, 2147483648LL).kind(), ErrorKind::OutOfRange);
    EXPECT_EQ(error_for(ColumnType::Integer, -2147483649LL).kind(), ErrorKind::OutOfRange);
    EXPECT_EQ(error_for(ColumnType::Integer, "3000000000").kind(), ErrorKind::OutOfRange);
    EXPECT_NE(error_for(ColumnType::Integer, 3000000000LL).detail().find("range of type integer"), std::string::npos);
}

TEST(RowConverter, NumericStrings) {
    EXPECT_TRUE(is_text(convert_value(ColumnType::Numeric, "12.50"), "12.50"));  // kept as sent: scale matters
    EXPECT_TRUE(is_text(convert_value(ColumnType::Numeric, "-0.5"), "-0.5"));
    EXPECT_TRUE(is_text(convert_value(ColumnType::Numeric, "7"), "7"));
    EXPECT_TRUE(is_text(convert_value(ColumnType::Numeric, "1.5e3"), "1.5e3"));
    EXPECT_TRUE(is_text(convert_value(ColumnType::Numeric, 4.25), "4.25"));
    EXPECT_TRUE(is_text(convert_value(ColumnType::Numeric, 3), "3"));
    EXPECT_TRUE(is_null(convert_value(ColumnType::Numeric, "")));  // a cleared sale price
    EXPECT_TRUE(is_null(convert_value(ColumnType::Numeric, nullptr)));
    EXPECT_EQ(error_for(ColumnType::Numeric, "1,50").kind(), ErrorKind::BadValue);  // a locale's decimal comma
    EXPECT_EQ(error_for(ColumnType::Numeric, "1e").kind(), ErrorKind::BadValue);
    EXPECT_EQ(error_for(ColumnType::Numeric, ".").kind(), ErrorKind::BadValue);
    EXPECT_EQ(error_for(ColumnType::Numeric, "NaN").kind(), ErrorKind::BadValue);
    EXPECT_EQ(error_for(ColumnType::Numeric, true).kind(), ErrorKind::BadValue);
    EXPECT_EQ(error_for(ColumnType::Numeric, json::array()).kind(), ErrorKind::BadValue);
}

TEST(RowConverter, BadValueNamesTableColumnObjectAndValue) {
    RowConverter converter("shop_products", resource("products"),
                           {{"regular_price", ColumnType::Numeric, "regular_price", ColumnSource::Member}});
    std::vector<Cell> cells;
    try {
        converter.convert(json{{"id", 42}, {"regular_price", "abc"}}, "", cells);
        FAIL() << "no error";
    } catch (const WooError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::BadValue);
        EXPECT_STREQ(e.sqlstate(), "22P02");
        const std::string message = e.what();
        EXPECT_NE(message.find("\"regular_price\""), std::string::npos) << message;
        EXPECT_NE(message.find("\"shop_products\""), std::string::npos) << message;
        EXPECT_NE(message.find("product 42"), std::string::npos) << message;
        EXPECT_NE(message.find("\"abc\""), std::string::npos) << message;
        EXPECT_NE(e.detail().find("decimal"), std::string::npos) << e.detail();
        EXPECT_NE(e.hint().find("ALTER FOREIGN TABLE"), std::string::npos) << e.hint();
    }
}

TEST(RowConverter, BadValueQuotesLongValuesShortened) {
    const WooError e = error_for(ColumnType::Numeric, std::string(500, 'x'));
    const std::string message = e.what();
    EXPECT_NE(message.find("..."), std::string::npos);
    EXPECT_LT(message.size(), 300u);
}

TEST(RowConverter, BadValueOfAnOrderNamesTheOrder) {
    RowConverter converter("shop_orders", resource("orders"),
                           {{"total", ColumnType::Numeric, "total", ColumnSource::Member}});
    std::vector<Cell> cells;
    try {
        converter.convert(json{{"id", 7}, {"total", "n/a"}}, "", cells);
        FAIL() << "no error";
    } catch (const WooError& e) {
        EXPECT_NE(std::string(e.what()).find("order 7"), std::string::npos) << e.what();
    }
}

TEST(RowConverter, BooleansAreStrict) {
    const Cell t = convert_value(ColumnType::Boolean, true);
    EXPECT_EQ(t.kind, Cell::Bool);
    EXPECT_TRUE(t.b);
    const Cell f = convert_value(ColumnType::Boolean, false);
    EXPECT_EQ(f.kind, Cell::Bool);
    EXPECT_FALSE(f.b);
    EXPECT_TRUE(is_null(convert_value(ColumnType::Boolean, nullptr)));
    // "yes", "true", 1: a plugin's value that only looks boolean is an error.
    EXPECT_EQ(error_for(ColumnType::Boolean, "true").kind(), ErrorKind::BadValue);
    EXPECT_EQ(error_for(ColumnType::Boolean, "yes").kind(), ErrorKind::BadValue);
    EXPECT_EQ(error_for(ColumnType::Boolean, 1).kind(), ErrorKind::BadValue);
    EXPECT_EQ(error_for(ColumnType::Boolean, "").kind(), ErrorKind::BadValue);
}

TEST(RowConverter, GmtTimestampsGetAUtcOffset) {
    const json object = {{"id", 1},
                         {"date_created_gmt", "2024-01-31T12:00:00"},
                         {"date_created", "2024-01-31T13:00:00"},
                         {"date_paid_gmt", "2024-01-31T12:00:00.250"},
                         {"date_modified_gmt", "2024-01-31T12:00:00Z"}};
    // *_gmt values carry no offset but are UTC.
    EXPECT_TRUE(is_text(convert_one(ColumnType::TimestampTz, "date_created_gmt", object), "2024-01-31T12:00:00+00"));
    EXPECT_TRUE(is_text(convert_one(ColumnType::TimestampTz, "date_paid_gmt", object), "2024-01-31T12:00:00.250+00"));
    // Already has an offset: unchanged.
    EXPECT_TRUE(is_text(convert_one(ColumnType::TimestampTz, "date_modified_gmt", object), "2024-01-31T12:00:00Z"));
    // Local (store time zone) values are passed on unchanged.
    EXPECT_TRUE(is_text(convert_one(ColumnType::TimestampTz, "date_created", object), "2024-01-31T13:00:00"));
}

TEST(RowConverter, TimestampsEmptyNullOrInvalid) {
    EXPECT_TRUE(is_null(convert_value(ColumnType::TimestampTz, "")));
    EXPECT_TRUE(is_null(convert_value(ColumnType::TimestampTz, nullptr)));
    EXPECT_EQ(error_for(ColumnType::TimestampTz, "yesterday").kind(), ErrorKind::BadValue);
    EXPECT_EQ(error_for(ColumnType::TimestampTz, "2024-01-31").kind(), ErrorKind::BadValue);
    EXPECT_EQ(error_for(ColumnType::TimestampTz, 1706702400).kind(), ErrorKind::BadValue);
    EXPECT_EQ(error_for(ColumnType::TimestampTz, json::object()).kind(), ErrorKind::BadValue);
}

TEST(RowConverter, JsonbIsTheMemberDumped) {
    EXPECT_TRUE(is_text(convert_value(ColumnType::Jsonb, json::parse(R"({"a":[1,"x"],"b":null})")),
                        R"({"a":[1,"x"],"b":null})"));
    EXPECT_TRUE(is_text(convert_value(ColumnType::Jsonb, json::array()), "[]"));
    EXPECT_TRUE(is_text(convert_value(ColumnType::Jsonb, "x"), "\"x\""));
    EXPECT_TRUE(is_text(convert_value(ColumnType::Jsonb, 5), "5"));
    EXPECT_TRUE(is_text(convert_value(ColumnType::Jsonb, "caf\xC3\xA9"), "\"caf\xC3\xA9\""));  // UTF-8 stays raw
    EXPECT_TRUE(is_null(convert_value(ColumnType::Jsonb, nullptr)));  // JSON null is SQL NULL
}

TEST(RowConverter, TextDecodesHtmlEntitiesOnlyInNames) {
    const json object = {{"id", 1},
                         {"name", "Fish &amp; Chips &#8211; XL"},
                         {"description", "<p>Fish &amp; Chips</p>"},
                         {"slug", "fish-&amp;"}};
    // WordPress returns names HTML-escaped; descriptions are HTML on purpose.
    EXPECT_TRUE(is_text(convert_one(ColumnType::Text, "name", object), "Fish & Chips \xE2\x80\x93 XL"));
    EXPECT_TRUE(is_text(convert_one(ColumnType::Other, "name", object), "Fish & Chips \xE2\x80\x93 XL"));
    EXPECT_TRUE(is_text(convert_one(ColumnType::Text, "description", object), "<p>Fish &amp; Chips</p>"));
    EXPECT_TRUE(is_text(convert_one(ColumnType::Text, "slug", object), "fish-&amp;"));
    // A jsonb column on name keeps the store's text.
    EXPECT_TRUE(is_text(convert_one(ColumnType::Jsonb, "name", object), "\"Fish &amp; Chips &#8211; XL\""));
}

TEST(RowConverter, TextOfNonStringsIsTheirJson) {
    EXPECT_TRUE(is_text(convert_value(ColumnType::Text, 5), "5"));
    EXPECT_TRUE(is_text(convert_value(ColumnType::Text, true), "true"));
    EXPECT_TRUE(is_text(convert_value(ColumnType::Text, json::array({1, 2})), "[1,2]"));
    EXPECT_TRUE(is_text(convert_value(ColumnType::Text, ""), ""));  // text keeps the empty string
    EXPECT_TRUE(is_null(convert_value(ColumnType::Text, nullptr)));
}

TEST(RowConverter, DottedPathsReadNestedMembers) {
    const json order = {{"id", 7},
                        {"billing", {{"email", "a@example.com"}, {"first_name", "Ann &amp; Bo"}}},
                        {"dimensions", {{"weight", "1.5"}}},
                        {"sku", "X"}};
    EXPECT_TRUE(is_text(convert_one(ColumnType::Text, "billing.email", order), "a@example.com"));
    EXPECT_TRUE(is_text(convert_one(ColumnType::Text, "billing.first_name", order), "Ann &amp; Bo"));
    EXPECT_TRUE(is_text(convert_one(ColumnType::Numeric, "dimensions.weight", order), "1.5"));
    // Missing on the way, or a step through a non-object: NULL, not an error.
    EXPECT_TRUE(is_null(convert_one(ColumnType::Text, "billing.phone", order)));
    EXPECT_TRUE(is_null(convert_one(ColumnType::Text, "shipping.email", order)));
    EXPECT_TRUE(is_null(convert_one(ColumnType::Text, "sku.length", order)));
}

TEST(RowConverter, MissingMembersAreNullForEveryType) {
    const json object = {{"id", 1}};
    for (ColumnType t : {ColumnType::BigInt, ColumnType::Integer, ColumnType::Numeric, ColumnType::Boolean,
                         ColumnType::Text, ColumnType::TimestampTz, ColumnType::Jsonb, ColumnType::Other})
        EXPECT_TRUE(is_null(convert_one(t, "no_such_member", object))) << column_type_sql(t);
}

TEST(RowConverter, WholeObjectIsAttrs) {
    const json object = json::parse(R"({"id":3,"name":"A &amp; B","meta_data":[{"key":"k","value":1}]})");
    EXPECT_TRUE(is_text(convert_one(ColumnType::Jsonb, "attrs", object, "", ColumnSource::WholeObject), object.dump()));
}

TEST(RowConverter, PathParentFromTheMemberOrTheRequest) {
    const auto parent_cell = [](const json& object, std::int64_t parent) {
        return convert_one(ColumnType::BigInt, "parent_id", object, parent ? std::to_string(parent) : "",
                           ColumnSource::PathParent, "variations");
    };
    // The member, when the object carries it.
    EXPECT_TRUE(is_int(parent_cell({{"id", 27}, {"parent_id", 26}}, 0), 26));
    // Otherwise the parent of the collection the object was listed in.
    EXPECT_TRUE(is_int(parent_cell({{"id", 27}}, 26), 26));
    EXPECT_TRUE(is_int(parent_cell({{"id", 27}, {"parent_id", 0}}, 26), 26));
    EXPECT_TRUE(is_int(parent_cell({{"id", 27}, {"parent_id", nullptr}}, 26), 26));
    // Neither: NULL.
    EXPECT_TRUE(is_null(parent_cell({{"id", 27}}, 0)));
}

TEST(RowConverter, TermFilterShowsTheFilteredTermElseTheFirst) {
    RowConverter converter("shop_products", resource("products"),
                           {{"id", ColumnType::BigInt, "id", ColumnSource::Member},
                            {"category", ColumnType::BigInt, "categories", ColumnSource::TermFilter}});
    const json object = json::parse(R"({"id":1,"categories":[{"id":9,"name":"A"},{"id":22,"name":"B"}]})");
    std::vector<Cell> cells;
    converter.convert(object, "", cells);
    ASSERT_EQ(cells.size(), 2u);
    EXPECT_TRUE(is_int(cells[1], 9));  // no filter: the first term

    // WHERE category = 22: the row shows 22, so the recheck keeps it.
    converter.set_term_filter(1, {22});
    converter.convert(object, "", cells);
    EXPECT_TRUE(is_int(cells[1], 22));
    // category = ANY('{5,22,9}'): the first wanted id the product has.
    converter.set_term_filter(1, {5, 22, 9});
    converter.convert(object, "", cells);
    EXPECT_TRUE(is_int(cells[1], 22));
    // The product has none of them: its first term.
    converter.set_term_filter(1, {99});
    converter.convert(object, "", cells);
    EXPECT_TRUE(is_int(cells[1], 9));

    converter.convert(json::parse(R"({"id":2,"categories":[]})"), "", cells);
    EXPECT_TRUE(is_null(cells[1]));
    converter.convert(json::parse(R"({"id":3})"), "", cells);
    EXPECT_TRUE(is_null(cells[1]));
    EXPECT_TRUE(is_int(cells[0], 3));  // cells are reset per row, not left over
}

TEST(RowConverter, CellsOfAReusedVectorAreReset) {
    RowConverter converter("shop_products", resource("products"),
                           {{"sku", ColumnType::Text, "sku", ColumnSource::Member},
                            {"stock_quantity", ColumnType::Integer, "stock_quantity", ColumnSource::Member}});
    std::vector<Cell> cells;
    converter.convert(json{{"id", 1}, {"sku", "A"}, {"stock_quantity", 3}}, "", cells);
    EXPECT_TRUE(is_text(cells[0], "A"));
    EXPECT_TRUE(is_int(cells[1], 3));
    converter.convert(json{{"id", 2}}, "", cells);
    EXPECT_TRUE(is_null(cells[0]));
    EXPECT_TRUE(is_null(cells[1]));
}

// --- real objects through the columns IMPORT FOREIGN SCHEMA derives ---

std::vector<ColumnSpec> imported_columns(const ResourceInfo& r, const std::string& schema_file) {
    std::vector<ColumnSpec> specs;
    for (const auto& c : columns_from_schema(r, read_data(schema_file)))
        specs.push_back({c.name, c.type, c.field.empty() ? c.name : c.field, c.source});
    return specs;
}

std::size_t index_of(const std::vector<ColumnSpec>& specs, const std::string& name) {
    for (std::size_t i = 0; i < specs.size(); ++i)
        if (specs[i].name == name) return i;
    throw std::runtime_error("no column " + name);
}

TEST(RowConverter, RealProductConvertsThroughImportedColumns) {
    const auto& products = resource("products");
    const auto specs = imported_columns(products, "real-17-products-options-schema.body.json");
    RowConverter converter("products", products, specs);
    const json product = json::parse(read_data("real-10-product-by-id-simple-on-sale.body.json"));
    std::vector<Cell> cells;
    ASSERT_NO_THROW(converter.convert(product, "", cells));
    ASSERT_EQ(cells.size(), specs.size());
    const auto cell = [&](const char* name) { return cells[index_of(specs, name)]; };
    EXPECT_TRUE(is_int(cell("id"), 11));
    EXPECT_TRUE(is_text(cell("name"), "Caf\xC3\xA9 Cr\xC3\xA8me Mug \xE2\x98\x95"));
    EXPECT_TRUE(is_text(cell("regular_price"), "12.50"));
    EXPECT_TRUE(is_text(cell("sale_price"), "9.99"));
    EXPECT_TRUE(is_text(cell("weight"), "0.25"));
    EXPECT_TRUE(is_int(cell("stock_quantity"), 25));
    EXPECT_TRUE(is_null(cell("low_stock_amount")));
    EXPECT_TRUE(is_int(cell("shipping_class_id"), 0));  // the schema says string, the store sends 0
    EXPECT_TRUE(is_text(cell("date_created"), "2026-11-25T14:41:47+00"));  // from date_created_gmt
    EXPECT_TRUE(is_null(cell("date_on_sale_from")));
    EXPECT_EQ(cell("on_sale").kind, Cell::Bool);
    EXPECT_TRUE(cell("on_sale").b);
    EXPECT_TRUE(is_int(cell("category"), 22));
    EXPECT_TRUE(is_int(cell("tag"), 27));
    EXPECT_TRUE(is_text(cell("global_unique_id"), ""));
    EXPECT_TRUE(is_text(cell("attrs"), product.dump()));
}

TEST(RowConverter, RealVariationsOrdersAndCustomersConvert) {
    struct Case {
        const char* resource;
        const char* schema;
        const char* objects;
        std::int64_t parent;
    };
    const Case cases[] = {
        {"variations", "real-17b-product-variations-options-schema.body.json",
         "real-27-product-variations-list.body.json", 26},
        {"orders", "real-17g-orders-options-schema.body.json", "real-40b-orders-list.body.json", 0},
        {"customers", "real-17h-customers-options-schema.body.json", "real-39b-customers-list.body.json", 0},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.resource);
        const auto& r = resource(c.resource);
        const auto specs = imported_columns(r, c.schema);
        RowConverter converter(c.resource, r, specs);
        const json objects = json::parse(read_data(c.objects));
        ASSERT_TRUE(objects.is_array());
        ASSERT_FALSE(objects.empty());
        for (const auto& object : objects) {
            std::vector<Cell> cells;
            ASSERT_NO_THROW(converter.convert(object, c.parent ? std::to_string(c.parent) : "", cells))
                << object.value("id", 0);
            EXPECT_TRUE(is_int(cells[index_of(specs, "id")], object["id"].get<std::int64_t>()));
            EXPECT_EQ(cells[index_of(specs, "date_created")].kind, Cell::Text);
            if (r.parent_field) {
                EXPECT_TRUE(is_int(cells[index_of(specs, r.parent_field)], c.parent));
            }
        }
    }
}

}  // namespace
}  // namespace wcfdw

namespace wcfdw {
namespace {

UnrepresentableNumber number_at(std::vector<std::string> keys, const char* text) {
    UnrepresentableNumber n;
    for (auto& k : keys) {
        JsonPathStep step;
        step.key = std::move(k);
        n.path.push_back(std::move(step));
    }
    n.text = text;
    return n;
}

WooError convert_error(const std::vector<ColumnSpec>& columns, const json& object,
                       const std::vector<UnrepresentableNumber>& numbers) {
    RowConverter converter("shop_products", resource("products"), columns);
    std::vector<Cell> cells;
    try {
        converter.convert(object, "", cells, &numbers);
    } catch (const WooError& e) {
        return e;
    }
    ADD_FAILURE() << "no error";
    return WooError(ErrorKind::Internal, "none");
}

TEST(RowConverter, ANumberBeyondRangeIsAnErrorOfTheColumnThatReadsIt) {
    const json object = {{"id", 42}, {"price", nullptr}, {"name", "Hood"}};
    const std::vector<UnrepresentableNumber> numbers = {number_at({"price"}, "1e400")};
    const WooError e = convert_error({{"price", ColumnType::Numeric, "price", ColumnSource::Member}}, object, numbers);
    EXPECT_EQ(e.kind(), ErrorKind::OutOfRange);
    EXPECT_STREQ(e.sqlstate(), "22003");
    const std::string message = e.what();
    EXPECT_NE(message.find("column \"price\""), std::string::npos) << message;
    EXPECT_NE(message.find("\"shop_products\""), std::string::npos) << message;
    EXPECT_NE(message.find("1e400"), std::string::npos) << message;
    EXPECT_NE(message.find("product 42"), std::string::npos) << message;
    // attrs and a jsonb column holding the member see it too.
    EXPECT_EQ(convert_error({{"attrs", ColumnType::Jsonb, "", ColumnSource::WholeObject}}, object, numbers).kind(),
              ErrorKind::OutOfRange);
    const std::vector<UnrepresentableNumber> deep = {number_at({"meta_data", "value"}, "-1e999")};
    EXPECT_EQ(convert_error({{"meta", ColumnType::Jsonb, "meta_data", ColumnSource::Member}}, object, deep).kind(),
              ErrorKind::OutOfRange);
    // A column that does not read it converts normally.
    RowConverter converter("shop_products", resource("products"), {{"name", ColumnType::Text, "name", ColumnSource::Member}});
    std::vector<Cell> cells;
    converter.convert(object, "", cells, &numbers);
    EXPECT_TRUE(is_text(cells[0], "Hood"));
}

TEST(RowConverter, TextWithNulIsAnErrorNotACutValue) {
    const WooError e = error_for(ColumnType::Text, std::string("Hood\0ie", 7));
    EXPECT_EQ(e.kind(), ErrorKind::NulCharacter);
    EXPECT_STREQ(e.sqlstate(), "22P05");
    EXPECT_NE(std::string(e.what()).find("column \"col\""), std::string::npos) << e.what();
}

TEST(RowConverter, BooleanAsYesIsAnError) {
    const WooError e = error_for(ColumnType::Boolean, "yes");
    EXPECT_EQ(e.kind(), ErrorKind::BadValue);
    EXPECT_STREQ(e.sqlstate(), "22P02");
}

}  // namespace
}  // namespace wcfdw
