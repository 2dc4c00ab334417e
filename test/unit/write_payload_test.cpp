// PayloadBuilder turns the values an INSERT or UPDATE writes into the JSON
// body WooCommerce takes. These tests check the conversions (decimals as
// strings, dates as *_gmt strings, jsonb as JSON, dotted fields as nested
// objects, attrs merged under the columns), what NULL means on INSERT and on
// UPDATE, and every error that must come before the first request: negative
// prices, NaN, unknown enumeration values, read-only and filter columns,
// read-only resources.
#include "core/write/write_payload.hpp"

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/scan/scan_plan.hpp"
#include "core/base/woo_error.hpp"
#include "support/fixtures.hpp"

namespace wcfdw {
namespace {

using testing::resource;

using nlohmann::json;

WriteValue null_value() { return WriteValue{}; }
WriteValue text(std::string s) {
    WriteValue v;
    v.kind = WriteValue::Text;
    v.text = std::move(s);
    return v;
}
WriteValue integer(std::int64_t i) {
    WriteValue v;
    v.kind = WriteValue::Int;
    v.i = i;
    return v;
}
WriteValue boolean(bool b) {
    WriteValue v;
    v.kind = WriteValue::Bool;
    v.b = b;
    return v;
}
WriteValue timestamp(std::int64_t epoch_seconds) {
    WriteValue v;
    v.kind = WriteValue::Timestamp;
    v.i = epoch_seconds;
    return v;
}

WriteColumn member(const char* name, ColumnType type, const char* field = nullptr) {
    return {name, type, field ? field : name, ColumnSource::Member};
}

// Builds one row through `columns` of a foreign table "shop_<resource>".
json build(const char* resource_name, std::vector<WriteColumn> columns, const std::vector<WriteValue>& values,
           bool skip_nulls = true) {
    PayloadBuilder b(std::string("shop_") + resource_name, resource(resource_name), std::move(columns));
    return b.build(values, "row 3", skip_nulls);
}

// The WooError `fn` throws; fails the test when it throws none.
WooError error_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const WooError& e) {
        return e;
    }
    ADD_FAILURE() << "no WooError thrown";
    return WooError(ErrorKind::Internal, "none");
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// One column, one value, as INSERT would build it.
WooError one_column_error(const char* resource_name, WriteColumn column, WriteValue value) {
    return error_of([&] { build(resource_name, {std::move(column)}, {std::move(value)}); });
}

TEST(WritePayload, NumericBecomesString) {
    const json body = build("products",
                            {member("regular_price", ColumnType::Numeric), member("weight", ColumnType::Numeric),
                             member("stock_quantity", ColumnType::Integer), member("featured", ColumnType::Boolean),
                             member("name", ColumnType::Text)},
                            {text("19.90"), text("0.25"), integer(7), boolean(true), text("Mug")});
    ASSERT_TRUE(body["regular_price"].is_string());
    EXPECT_EQ(body["regular_price"], "19.90");
    EXPECT_EQ(body["weight"], "0.25");
    ASSERT_TRUE(body["stock_quantity"].is_number_integer());
    EXPECT_EQ(body["stock_quantity"], 7);
    EXPECT_EQ(body["featured"], true);
    EXPECT_EQ(body["name"], "Mug");
    EXPECT_EQ(body.size(), 5u);
}

TEST(WritePayload, NegativePricesRefused) {
    for (const char* price : {"regular_price", "sale_price"}) {
        const WooError e = one_column_error("products", member(price, ColumnType::Numeric), text("-1.50"));
        EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument) << price;
        EXPECT_STREQ(e.sqlstate(), "22023");
        EXPECT_TRUE(contains(e.what(), std::string("column \"") + price + "\"")) << e.what();
        EXPECT_TRUE(contains(e.what(), "shop_products")) << e.what();
        EXPECT_TRUE(contains(e.what(), "row 3")) << e.what();
        EXPECT_TRUE(contains(e.what(), "negative")) << e.what();
        EXPECT_FALSE(e.hint().empty());
    }
    // The same for variations.
    EXPECT_EQ(one_column_error("variations", member("sale_price", ColumnType::Numeric), text("-0.01")).kind(),
              ErrorKind::InvalidArgument);
    // Zero is a price.
    EXPECT_EQ(build("products", {member("sale_price", ColumnType::Numeric)}, {text("0")})["sale_price"], "0");
}

TEST(WritePayload, NegativeOtherNumbersAllowed) {
    const json body = build("products",
                            {member("weight", ColumnType::Numeric), member("stock_quantity", ColumnType::Integer),
                             member("download_limit", ColumnType::BigInt)},
                            {text("-0.5"), integer(-3), integer(-1)});
    EXPECT_EQ(body["weight"], "-0.5");
    EXPECT_EQ(body["stock_quantity"], -3);
    EXPECT_EQ(body["download_limit"], -1);
}

TEST(WritePayload, NaNAndInfinityRefused) {
    for (const char* bad : {"NaN", "Infinity", "-Infinity"}) {
        for (const char* field : {"weight", "regular_price"}) {
            const WooError e = one_column_error("products", member(field, ColumnType::Numeric), text(bad));
            EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument) << field << " " << bad;
            EXPECT_STREQ(e.sqlstate(), "22023");
            EXPECT_TRUE(contains(e.what(), bad)) << e.what();
            EXPECT_TRUE(contains(e.hint(), "finite")) << e.hint();
        }
    }
}

struct EnumCase {
    const char* resource;
    const char* field;
    const char* valid;
    const char* hint;
};

TEST(WritePayload, EnumerationsChecked) {
    const std::vector<EnumCase> cases = {
        {"products", "status", "draft", "Valid values: draft, pending, private, publish, future."},
        {"products", "type", "variable", "Valid values: simple, grouped, external, variable."},
        {"products", "stock_status", "onbackorder", "Valid values: instock, outofstock, onbackorder."},
        {"products", "backorders", "notify", "Valid values: no, notify, yes."},
        {"products", "tax_status", "shipping", "Valid values: taxable, shipping, none."},
        {"products", "catalog_visibility", "hidden", "Valid values: visible, catalog, search, hidden."},
        // The variations schema knows no "future" (real/17b).
        {"variations", "status", "private", "Valid values: draft, pending, private, publish."},
        {"variations", "stock_status", "outofstock", "Valid values: instock, outofstock, onbackorder."},
        {"variations", "backorders", "yes", "Valid values: no, notify, yes."},
        {"variations", "tax_status", "none", "Valid values: taxable, shipping, none."},
        {"categories", "display", "subcategories", "Valid values: default, products, subcategories, both."},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(c.resource) + "." + c.field);
        // As an UPDATE: an INSERT of categories without a name is refused first.
        EXPECT_EQ(build(c.resource, {member(c.field, ColumnType::Text)}, {text(c.valid)}, false)[c.field], c.valid);
        const WooError e = one_column_error(c.resource, member(c.field, ColumnType::Text), text("Publish"));
        EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
        EXPECT_STREQ(e.sqlstate(), "22023");
        EXPECT_TRUE(contains(e.what(), std::string("'Publish' is not a valid ") + c.field)) << e.what();
        EXPECT_TRUE(contains(e.what(), std::string("column \"") + c.field + "\"")) << e.what();
        EXPECT_EQ(e.hint(), c.hint);
    }
    // Enumerations are WooCommerce's: "trash" is a scan filter value, not a status to write.
    EXPECT_EQ(one_column_error("products", member("status", ColumnType::Text), text("trash")).kind(),
              ErrorKind::InvalidArgument);
    // Fields without an enumeration take any text.
    EXPECT_EQ(build("products", {member("tax_class", ColumnType::Text)}, {text("whatever")})["tax_class"], "whatever");
    // The same names on other resources are not products' enumerations.
    EXPECT_EQ(build("categories", {member("status", ColumnType::Text)}, {text("anything")}, false)["status"],
              "anything");
}

TEST(WritePayload, VariationTypeIsReadOnly) {
    EXPECT_TRUE(is_read_only_field(resource("variations"), "type"));
    EXPECT_FALSE(is_read_only_field(resource("products"), "type"));
    const WooError e = one_column_error("variations", member("type", ColumnType::Text), text("simple"));
    EXPECT_EQ(e.kind(), ErrorKind::Unsupported);
    EXPECT_STREQ(e.sqlstate(), "0A000");
    EXPECT_TRUE(contains(e.what(), "column \"type\"")) << e.what();
    EXPECT_TRUE(contains(e.what(), "read-only")) << e.what();
    PayloadBuilder b("shop_variations", resource("variations"), {member("type", ColumnType::Text)});
    EXPECT_EQ(error_of([&] { b.check_writable(); }).kind(), ErrorKind::Unsupported);
    // NULL (an INSERT that leaves it out) is fine.
    EXPECT_TRUE(b.build({null_value()}, "row 1", true).empty());
}

std::vector<WriteColumn> nullable_columns() {
    return {member("sale_price", ColumnType::Numeric),     member("description", ColumnType::Text),
            member("stock_quantity", ColumnType::Integer),  member("download_limit", ColumnType::BigInt),
            member("manage_stock", ColumnType::Boolean),    member("meta_data", ColumnType::Jsonb),
            member("date_on_sale_to", ColumnType::TimestampTz, "date_on_sale_to_gmt"),
            member("dimensions_length", ColumnType::Text, "dimensions.length")};
}

TEST(WritePayload, NullOnInsertLeftOut) {
    const auto columns = nullable_columns();
    const std::vector<WriteValue> values(columns.size(), null_value());
    const json body = build("products", columns, values, /*skip_nulls=*/true);
    EXPECT_TRUE(body.is_object());
    EXPECT_TRUE(body.empty()) << body.dump();
}

TEST(WritePayload, NullOnUpdateClears) {
    const auto columns = nullable_columns();
    const std::vector<WriteValue> values(columns.size(), null_value());
    const json body = build("products", columns, values, /*skip_nulls=*/false);
    EXPECT_EQ(body["sale_price"], "");
    EXPECT_EQ(body["description"], "");
    EXPECT_TRUE(body["stock_quantity"].is_null());
    EXPECT_TRUE(body["download_limit"].is_null());
    EXPECT_TRUE(body["manage_stock"].is_null());
    EXPECT_TRUE(body["meta_data"].is_null());
    EXPECT_TRUE(body["date_on_sale_to_gmt"].is_null());
    EXPECT_EQ(body["dimensions"], json({{"length", ""}}));
    EXPECT_EQ(body.size(), 8u) << body.dump();
    // Every member is present, so WooCommerce clears each.
    EXPECT_TRUE(body.contains("stock_quantity"));
}

TEST(WritePayload, TimestampsAsGmtStrings) {
    const json body =
        build("products",
              {member("date_on_sale_from", ColumnType::TimestampTz, "date_on_sale_from_gmt"),
               member("date_created", ColumnType::TimestampTz, "date_created_gmt")},
              {timestamp(1700000000), timestamp(0)});
    EXPECT_EQ(body["date_on_sale_from_gmt"], format_gmt(1700000000));
    EXPECT_EQ(body["date_on_sale_from_gmt"], "2023-11-14T22:13:20");
    EXPECT_EQ(body["date_created_gmt"], "1970-01-01T00:00:00");
    EXPECT_FALSE(body.contains("date_on_sale_from"));
    // Before 1970 too.
    EXPECT_EQ(build("products", {member("d", ColumnType::TimestampTz, "date_on_sale_to_gmt")}, {timestamp(-1)})
                  ["date_on_sale_to_gmt"],
              "1969-12-31T23:59:59");
}

TEST(WritePayload, JsonbParsed) {
    const json body = build("products",
                            {member("categories", ColumnType::Jsonb), member("meta_data", ColumnType::Jsonb),
                             member("flag", ColumnType::Jsonb, "custom_flag")},
                            {text(R"([{"id": 15}, {"id": 17}])"), text(R"([{"key": "k", "value": {"a": [1, 2]}}])"),
                             text("true")});
    EXPECT_EQ(body["categories"], json::parse(R"([{"id": 15}, {"id": 17}])"));
    EXPECT_EQ(body["meta_data"][0]["value"]["a"][1], 2);
    EXPECT_EQ(body["custom_flag"], true);
    // A JSON string stays a JSON string, not its text with quotes.
    EXPECT_EQ(build("products", {member("x", ColumnType::Jsonb, "x")}, {text("\"quoted\"")})["x"], "quoted");
    // Not enumeration-checked: jsonb status is the value as given.
    EXPECT_EQ(build("products", {member("status", ColumnType::Jsonb)}, {text("\"draft\"")})["status"], "draft");

    const WooError e = one_column_error("products", member("meta_data", ColumnType::Jsonb), text("{\"key\": "));
    EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
    EXPECT_STREQ(e.sqlstate(), "22023");
    EXPECT_TRUE(contains(e.what(), "column \"meta_data\"")) << e.what();
    EXPECT_TRUE(contains(e.what(), "not JSON")) << e.what();
}

TEST(WritePayload, DottedFieldsNestAndMerge) {
    const json body = build("products",
                            {member("length", ColumnType::Text, "dimensions.length"),
                             member("name", ColumnType::Text),
                             member("width", ColumnType::Text, "dimensions.width"),
                             member("deep", ColumnType::Integer, "a.b.c")},
                            {text("10"), text("Box"), text("20"), integer(5)});
    EXPECT_EQ(body["dimensions"], json({{"length", "10"}, {"width", "20"}}));
    EXPECT_EQ(body["name"], "Box");
    EXPECT_EQ(body["a"]["b"]["c"], 5);
    EXPECT_FALSE(body.contains("dimensions.length"));
    EXPECT_EQ(body.size(), 3u);
}

TEST(WritePayload, AttrsMergedUnderColumns) {
    const WriteColumn attrs{"attrs", ColumnType::Jsonb, "", ColumnSource::WholeObject};
    // attrs comes last among the columns here, but is applied first.
    const json body = build(
        "products",
        {member("name", ColumnType::Text), member("length", ColumnType::Text, "dimensions.length"), attrs},
        {text("From column"), text("11"),
         text(R"({"name": "From attrs", "description": "Kept", "sku": "A-1",
                  "dimensions": {"height": "3", "length": "99"},
                  "id": 5, "price": "9.99", "price_html": "<b>", "on_sale": true, "date_modified_gmt": "x",
                  "permalink": "p", "_links": {}})")});
    EXPECT_EQ(body["name"], "From column");
    EXPECT_EQ(body["description"], "Kept");
    EXPECT_EQ(body["sku"], "A-1");
    EXPECT_EQ(body["dimensions"], json({{"height", "3"}, {"length", "11"}}));
    for (const char* dropped : {"id", "price", "price_html", "on_sale", "date_modified_gmt", "permalink", "_links"})
        EXPECT_FALSE(body.contains(dropped)) << dropped;
    EXPECT_EQ(body.size(), 4u) << body.dump();

    // A NULL attrs is nothing; on UPDATE too.
    EXPECT_EQ(build("products", {attrs, member("name", ColumnType::Text)}, {null_value(), text("N")}, false),
              json({{"name", "N"}}));
}

TEST(WritePayload, NonObjectAttrsRefused) {
    const WriteColumn attrs{"attrs", ColumnType::Jsonb, "", ColumnSource::WholeObject};
    for (const char* bad : {"[1, 2]", "\"text\"", "42", "null", "{not json"}) {
        const WooError e = one_column_error("products", attrs, text(bad));
        EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument) << bad;
        EXPECT_STREQ(e.sqlstate(), "22023");
        EXPECT_TRUE(contains(e.what(), "column \"attrs\"")) << e.what();
        EXPECT_TRUE(contains(e.what(), "row 3")) << e.what();
        EXPECT_TRUE(contains(e.what(), "JSON object")) << e.what();
    }
}

TEST(WritePayload, ReadOnlyColumnsRefused) {
    struct Case {
        const char* resource;
        WriteColumn column;
        WriteValue value;
    };
    const std::vector<Case> cases = {
        {"products", member("price", ColumnType::Numeric), text("5.00")},
        {"products", member("id", ColumnType::BigInt), integer(5)},
        {"products", member("on_sale", ColumnType::Boolean), boolean(false)},
        {"products", member("total_sales", ColumnType::Integer), integer(0)},
        {"products", member("permalink", ColumnType::Text), text("https://x/")},
        {"products", member("date_modified", ColumnType::TimestampTz, "date_modified_gmt"), timestamp(0)},
        {"products", member("variations", ColumnType::Jsonb), text("[]")},
        {"variations", member("price", ColumnType::Numeric), text("1")},
        {"categories", member("count", ColumnType::Integer), integer(3)},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(c.resource) + "." + c.column.name);
        const WooError e = one_column_error(c.resource, c.column, c.value);
        EXPECT_EQ(e.kind(), ErrorKind::Unsupported);
        EXPECT_STREQ(e.sqlstate(), "0A000");
        EXPECT_TRUE(contains(e.what(), "column \"" + c.column.name + "\"")) << e.what();
        EXPECT_TRUE(contains(e.what(), "read-only")) << e.what();
        EXPECT_TRUE(contains(e.detail(), c.column.field)) << e.detail();
        EXPECT_FALSE(e.hint().empty());
    }
    // NULL in a read-only column (INSERT lists every column) is no write.
    EXPECT_EQ(build("products", {member("id", ColumnType::BigInt), member("price", ColumnType::Numeric),
                                 member("name", ColumnType::Text)},
                    {null_value(), null_value(), text("Mug")}),
              json({{"name", "Mug"}}));
}

// CORE BUG: build() raises a read-only column's error through
// check_writable(), which reports the first read-only or filter column of
// the statement, not the one holding the value. INSERT lists every column of
// the table (id first), so "INSERT ... (name, price) VALUES ('Mug', 5)" is
// blamed on "id", which the statement left NULL.
TEST(WritePayload, ReadOnlyErrorNamesTheColumnWithTheValue) {
    const WriteColumn category{"category", ColumnType::BigInt, "categories", ColumnSource::TermFilter};
    const WooError e = error_of([&] {
        build("products",
              {member("id", ColumnType::BigInt), category, member("name", ColumnType::Text),
               member("price", ColumnType::Numeric)},
              {null_value(), null_value(), text("Mug"), text("5.00")});
    });
    EXPECT_EQ(e.kind(), ErrorKind::Unsupported);
    EXPECT_TRUE(contains(e.what(), "column \"price\"")) << "CORE BUG: " << e.what();
    EXPECT_FALSE(contains(e.what(), "column \"id\"")) << "CORE BUG: " << e.what();
}

TEST(WritePayload, FilterColumnsRefusedWithHint) {
    const WriteColumn category{"category", ColumnType::BigInt, "categories", ColumnSource::TermFilter};
    const WriteColumn tag{"tag", ColumnType::BigInt, "tags", ColumnSource::TermFilter};
    const WooError c = one_column_error("products", category, integer(15));
    EXPECT_EQ(c.kind(), ErrorKind::Unsupported);
    EXPECT_STREQ(c.sqlstate(), "0A000");
    EXPECT_TRUE(contains(c.what(), "column \"category\"")) << c.what();
    EXPECT_TRUE(contains(c.what(), "filter column")) << c.what();
    EXPECT_EQ(c.hint(), "Assign the array instead, e.g. SET categories = '[{\"id\": 15}]'.");
    const WooError t = one_column_error("products", tag, integer(23));
    EXPECT_EQ(t.kind(), ErrorKind::Unsupported);
    EXPECT_EQ(t.hint(), "Assign the array instead, e.g. SET tags = '[{\"id\": 23}]'.");
    // Left NULL on INSERT: nothing to refuse, and nothing in the body.
    EXPECT_TRUE(build("products", {category, tag}, {null_value(), null_value()}).empty());
    // UPDATE checks before the first row.
    PayloadBuilder b("shop_products", resource("products"), {member("name", ColumnType::Text), tag});
    EXPECT_EQ(error_of([&] { b.check_writable(); }).hint(), t.hint());
}

TEST(WritePayload, CheckWritable) {
    // Read-only resources: every write refused with 0A000 and a hint.
    for (const char* name : {"report_sales", "continents", "system_status_tools", "settings_groups"}) {
        for (WriteOp op : {WriteOp::Insert, WriteOp::Update, WriteOp::Delete}) {
            const WooError e = error_of([&] { check_write_allowed(resource(name), std::string("shop_") + name, op, false); });
            EXPECT_EQ(e.kind(), ErrorKind::Unsupported) << name;
            EXPECT_STREQ(e.sqlstate(), "0A000");
            EXPECT_TRUE(contains(e.what(), std::string("\"shop_") + name + "\"")) << e.what();
            EXPECT_TRUE(contains(e.what(), "only lets clients read")) << e.what();
            EXPECT_FALSE(e.hint().empty());
        }
    }
    // Some writes only: notes take INSERT and DELETE, settings UPDATE.
    const WooError note = error_of([&] { check_write_allowed(resource("order_notes"), "notes", WriteOp::Update, false); });
    EXPECT_EQ(note.kind(), ErrorKind::Unsupported);
    EXPECT_EQ(note.hint(), "WooCommerce allows INSERT, DELETE on order_notes: delete the row and insert a new one.");
    EXPECT_NO_THROW(check_write_allowed(resource("order_notes"), "notes", WriteOp::Insert, false));
    EXPECT_NO_THROW(check_write_allowed(resource("settings_options"), "s", WriteOp::Update, false));
    EXPECT_EQ(error_of([&] { check_write_allowed(resource("settings_options"), "s", WriteOp::Insert, false); }).hint(),
              "WooCommerce allows UPDATE on settings_options.");
    // Orders and customers are writable now; the trash only where WooCommerce has one.
    for (const char* name : {"orders", "customers", "coupons", "reviews", "webhooks"})
        for (WriteOp op : {WriteOp::Insert, WriteOp::Update, WriteOp::Delete})
            EXPECT_NO_THROW(check_write_allowed(resource(name), name, op, false)) << name;
    EXPECT_NO_THROW(check_write_allowed(resource("orders"), "o", WriteOp::Delete, true));
    const WooError trash = error_of([&] { check_write_allowed(resource("customers"), "c", WriteOp::Delete, true); });
    EXPECT_EQ(trash.kind(), ErrorKind::Unsupported);
    EXPECT_TRUE(contains(trash.what(), "cannot move customers to the trash")) << trash.what();

    PayloadBuilder ok("shop_products", resource("products"),
                      {member("name", ColumnType::Text), member("regular_price", ColumnType::Numeric),
                       {"attrs", ColumnType::Jsonb, "", ColumnSource::WholeObject}});
    EXPECT_NO_THROW(ok.check_writable());
    // An UPDATE cannot move a nested row to another parent.
    PayloadBuilder move("shop_variations", resource("variations"),
                        {{"parent_id", ColumnType::BigInt, "parent_id", ColumnSource::PathParent}});
    EXPECT_EQ(error_of([&] { move.check_writable(); }).hint(), "Delete the row and insert it under the other parent.");
    PayloadBuilder price("shop_products", resource("products"),
                         {member("name", ColumnType::Text), member("price", ColumnType::Numeric)});
    const WooError e = error_of([&] { price.check_writable(); });
    EXPECT_EQ(e.kind(), ErrorKind::Unsupported);
    EXPECT_TRUE(contains(e.what(), "column \"price\"")) << e.what();
}

TEST(WritePayload, ParentOf) {
    const WriteColumn parent{"parent_id", ColumnType::BigInt, "parent_id", ColumnSource::PathParent};
    PayloadBuilder b("shop_variations", resource("variations"),
                     {member("regular_price", ColumnType::Numeric), parent});
    EXPECT_EQ(b.parent_of({text("5"), integer(26)}), 26);
    EXPECT_EQ(b.parent_of({text("5"), null_value()}), 0);
    // The parent goes into the path, not into the body.
    EXPECT_EQ(b.build({text("5"), integer(26)}, "row 1", true), json({{"regular_price", "5"}}));
    PayloadBuilder products("shop_products", resource("products"),
                            {member("parent_id", ColumnType::BigInt), member("name", ColumnType::Text)});
    // A products' parent_id is a plain member (grouped products), not a path parent.
    EXPECT_EQ(products.parent_of({integer(26), text("x")}), 0);
    EXPECT_EQ(products.build({integer(26), text("x")}, "row 1", true)["parent_id"], 26);
    PayloadBuilder terms("shop_attribute_terms", resource("attribute_terms"),
                         {{"attribute_id", ColumnType::BigInt, "attribute_id", ColumnSource::PathParent},
                          member("name", ColumnType::Text)});
    EXPECT_EQ(terms.parent_of({integer(2), text("Red")}), 2);
}

TEST(WritePayload, DescribeItem) {
    EXPECT_EQ(describe_item(json({{"name", "Mug"}, {"sku", "MUG-1"}, {"slug", "mug"}}), "row 1"), "sku 'MUG-1'");
    EXPECT_EQ(describe_item(json({{"name", "Mug"}, {"sku", ""}, {"slug", "mug"}}), "row 1"), "slug 'mug'");
    EXPECT_EQ(describe_item(json({{"name", "Mug"}, {"sku", nullptr}}), "row 1"), "name 'Mug'");
    EXPECT_EQ(describe_item(json({{"regular_price", "5"}}), "row 7"), "row 7");
    EXPECT_EQ(describe_item(json({{"sku", 42}}), "row 7"), "row 7");
    EXPECT_EQ(describe_item(json::array(), "row 2"), "row 2");
    EXPECT_EQ(describe_item(json(), "row 2"), "row 2");
}

TEST(WritePayload, ErrorsNameTableRowAndColumn) {
    PayloadBuilder b("my_products", resource("products"),
                     {member("name", ColumnType::Text), member("sale_price", ColumnType::Numeric)});
    const WooError e = error_of([&] { b.build({text("Mug"), text("-2")}, "product 42", false); });
    EXPECT_EQ(std::string(e.what()),
              "invalid value for column \"sale_price\" of foreign table \"my_products\" in product 42: price -2 is "
              "negative");
    EXPECT_EQ(e.hint(), "Prices are zero or more.");
}

}  // namespace
}  // namespace wcfdw

namespace wcfdw {
namespace {

TEST(WritePayloadJson, JsonbIsReadWithTheStoreAnswersLimits) {
    PayloadBuilder builder("shop_products", *find_resource("products"),
                           {{"meta_data", ColumnType::Jsonb, "meta_data", ColumnSource::Member}});
    auto value = [](std::string text) {
        WriteValue v;
        v.kind = WriteValue::Text;
        v.text = std::move(text);
        return v;
    };
    // Nesting that printing the body would recurse through.
    try {
        builder.build({value(std::string(100000, '[') + std::string(100000, ']'))}, "row 1", true);
        FAIL() << "deep jsonb accepted";
    } catch (const WooError& e) {
        EXPECT_STREQ(e.sqlstate(), "22023");
        EXPECT_NE(std::string(e.what()).find("deeper than 256"), std::string::npos) << e.what();
    }
    // jsonb keeps 1e400; a double cannot.
    try {
        builder.build({value(R"([{"key": "k", "value": 1e400}])")}, "row 1", true);
        FAIL() << "1e400 accepted";
    } catch (const WooError& e) {
        EXPECT_STREQ(e.sqlstate(), "22003");
        EXPECT_NE(std::string(e.what()).find("1e400"), std::string::npos) << e.what();
    }
    EXPECT_EQ(builder.build({value(R"([{"key": "k", "value": [1, 2]}])")}, "row 1", true)["meta_data"][0]["value"][1], 2);
}

}  // namespace
}  // namespace wcfdw
