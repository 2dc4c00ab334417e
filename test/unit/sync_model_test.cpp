// The sync engine's pure model: canonical values, change detection,
// payloads in WooCommerce's types, batch answers item by item, import
// mapping. Batch and product shapes follow the real WooCommerce captures
// (woo-reference/real/22, 26, 27).
#include "core/sync/sync_model.hpp"

#include <gtest/gtest.h>

namespace wcfdw::sync {
namespace {

const Json kTypes = {{"name", "string"},          {"sku", "string"},         {"type", "string"},
                     {"status", "string"},        {"description", "string"}, {"short_description", "string"},
                     {"regular_price", "string"}, {"sale_price", "string"},  {"stock_quantity", "integer"},
                     {"manage_stock", "boolean"}, {"stock_status", "string"}, {"weight", "string"},
                     {"dimensions", "object"},    {"categories", "array"},   {"tags", "array"},
                     {"images", "array"},         {"attributes", "array"},   {"meta_data", "array"}};

Json local_product() {
    return Json::parse(R"({
        "id": 7, "sku": "TEE-1", "name": "Tee", "type": "variable", "status": "publish",
        "description": null, "short_description": "Soft", "regular_price": "12.50", "sale_price": null,
        "stock_quantity": null, "manage_stock": false, "stock_status": "instock", "weight": "0.250",
        "dimensions": {"length": "10", "width": "5.0"}, "categories": ["Clothing>T-Shirts", "Sale"],
        "tags": ["New"], "images": ["https://img/a.jpg", "https://img/b.jpg"],
        "attributes": {"Color": ["Red", "Blue"], "Fit": ["Slim"]}, "meta_data": {"origin": "PT"}, "parent_id": null})");
}

ExportSpec identity_spec() { return make_export_spec(identity_fields(), Json::object(), kTypes); }

TEST(SyncModel, DecimalsAreNormalisedForComparisonAndFormattedForTheStore) {
    EXPECT_EQ(normalize_decimal("12.50"), "12.5");
    EXPECT_EQ(normalize_decimal("007.000"), "7");
    EXPECT_EQ(normalize_decimal("0.0"), "0");
    EXPECT_EQ(normalize_decimal(""), "");
    EXPECT_EQ(normalize_decimal("abc"), "abc");
    EXPECT_EQ(format_decimal("12.5", 2), "12.50");
    EXPECT_EQ(format_decimal("9.995", 2), "10.00");
    EXPECT_EQ(format_decimal("99.994", 2), "99.99");
    EXPECT_EQ(format_decimal("3", 0), "3");
    EXPECT_EQ(format_decimal("2.5", 0), "3");
    EXPECT_EQ(format_decimal("", 2), "");
}

TEST(SyncModel, CategoryPathsHaveOneSpelling) {
    EXPECT_EQ(normalize_category_path(" Clothing>  T-Shirts "), "Clothing > T-Shirts");
    EXPECT_EQ(split_category_path("A > B > C"), (std::vector<std::string>{"A", "B", "C"}));
    EXPECT_EQ(split_category_path(">A>>"), (std::vector<std::string>{"A"}));
}

TEST(SyncModel, NameAndSkuGoWithCreatesOnly) {
    const ExportSpec spec = make_export_spec({"regular_price"}, Json::object(), kTypes);
    EXPECT_EQ(spec.create_fields, (std::vector<std::string>{"name", "sku", "regular_price"}));
    // An update compares and sends the selected fields only.
    EXPECT_EQ(spec.fields, (std::vector<std::string>{"regular_price"}));
    Json renamed = local_product();
    const Json before = canonical_export_values(renamed, spec, false);
    renamed["name"] = "Renamed";
    renamed["regular_price"] = "13";
    EXPECT_EQ(changed_fields(canonical_export_values(renamed, spec, false), before, spec.fields),
              (std::vector<std::string>{"regular_price"}));
}

TEST(SyncModel, CanonicalValuesIgnoreFormatting) {
    const Json c = canonical_export_values(local_product(), identity_spec(), false);
    EXPECT_EQ(c["regular_price"], "12.5");
    EXPECT_EQ(c["sale_price"], "");
    EXPECT_EQ(c["weight"], "0.25");
    EXPECT_EQ(c["description"], "");
    EXPECT_EQ(c["dimensions"], (Json{{"length", "10"}, {"width", "5"}, {"height", ""}}));
    EXPECT_EQ(c["categories"], (Json{"Clothing > T-Shirts", "Sale"}));
    EXPECT_FALSE(c.contains("parent_id"));
}

TEST(SyncModel, OnlyChangedFieldsAreSent) {
    const ExportSpec spec = identity_spec();
    const Json before = canonical_export_values(local_product(), spec, false);
    Json changed = local_product();
    changed["regular_price"] = "12.5000";  // same value, other spelling
    EXPECT_TRUE(changed_fields(canonical_export_values(changed, spec, false), before, spec.fields).empty());
    changed["regular_price"] = "13";
    EXPECT_EQ(changed_fields(canonical_export_values(changed, spec, false), before, spec.fields),
              (std::vector<std::string>{"regular_price"}));
    // One element of an array changed: the array goes whole.
    changed["images"] = Json{"https://img/a.jpg", "https://img/c.jpg"};
    const auto fields = changed_fields(canonical_export_values(changed, spec, false), before, spec.fields);
    EXPECT_EQ(fields, (std::vector<std::string>{"regular_price", "images"}));
    // Nothing exchanged yet: everything.
    EXPECT_EQ(changed_fields(before, Json(), spec.fields).size(), before.size());
}

TEST(SyncModel, MergedExchangeKeepsWhatWasNotSent) {
    const Json merged = merge_exchanged(Json{{"name", "Old"}, {"sku", "S"}, {"_image_ids", {{"x", 1}}}},
                                        Json{{"name", "New"}, {"sku", "T"}}, {"name"});
    EXPECT_EQ(merged, (Json{{"name", "New"}, {"sku", "S"}, {"_image_ids", {{"x", 1}}}}));
}

TEST(SyncModel, RenamedFieldsComeFromTheirLocalSource) {
    const ExportSpec spec = make_export_spec({"description"}, Json{{"short_description", "description"}}, kTypes);
    const Json c = canonical_export_values(local_product(), spec, false);
    EXPECT_EQ(c["description"], "Soft");
}

TEST(SyncModel, PayloadUsesWooCommerceTypes) {
    TermIndex terms;
    terms.category_ids = {{"Clothing > T-Shirts", 17}, {"Sale", 23}};
    terms.attribute_ids = {{"color", 1}, {"pa_color", 1}};
    terms.price_decimals = 2;
    const Json c = canonical_export_values(local_product(), identity_spec(), false);
    const Json image_ids = {{"https://img/a.jpg", 55}};
    const Json p = build_payload(c, identity_spec().fields, terms, image_ids, false, true);
    EXPECT_EQ(p["regular_price"], "12.50");
    EXPECT_EQ(p["sale_price"], "");
    EXPECT_EQ(p["categories"], Json::parse(R"([{"id": 17}, {"id": 23}])"));
    EXPECT_EQ(p["tags"], Json::parse(R"([{"name": "New"}])"));
    EXPECT_EQ(p["images"], Json::parse(R"([{"id": 55}, {"src": "https://img/b.jpg"}])"));
    EXPECT_EQ(p["attributes"][0], Json::parse(R"({"id": 1, "options": ["Red", "Blue"], "position": 0, "variation": true, "visible": true})"));
    EXPECT_EQ(p["attributes"][1]["name"], "Fit");
    EXPECT_EQ(p["meta_data"], Json::parse(R"([{"key": "origin", "value": "PT"}])"));
    EXPECT_FALSE(p.contains("stock_quantity"));  // null is refused by the store's schema
}

TEST(SyncModel, VariationPayloadHasAVariationsShape) {
    Json v = local_product();
    v["type"] = "variation";
    v["parent_id"] = 6;
    v["attributes"] = Json{{"Color", Json{"Red"}}, {"Size", Json::array()}};
    TermIndex terms;
    terms.attribute_ids = {{"color", 1}};
    const ExportSpec spec = identity_spec();
    const Json c = canonical_export_values(v, spec, true);
    const Json p = build_payload(c, spec.fields, terms, Json::object(), true, false);
    EXPECT_FALSE(p.contains("name"));
    EXPECT_FALSE(p.contains("categories"));
    EXPECT_FALSE(p.contains("type"));
    EXPECT_EQ(p["image"], Json::parse(R"({"src": "https://img/a.jpg"})"));
    // "Size" without a value means any: left out.
    EXPECT_EQ(p["attributes"], Json::parse(R"([{"id": 1, "option": "Red"}])"));
}

TEST(SyncModel, ImageIdsComeBackFromTheStore) {
    const Json object = Json::parse(R"({"images": [{"id": 70, "src": "https://store/a-1.jpg"}, {"id": 71}]})");
    const Json ids = image_ids_after_write(Json{{"old", 1}}, Json{"https://img/a.jpg", "https://img/b.jpg"}, object, false);
    EXPECT_EQ(ids, (Json{{"old", 1}, {"https://img/a.jpg", 70}, {"https://img/b.jpg", 71}}));
}

TEST(SyncModel, BatchAnswerIsReadItemByItem) {
    // real/22: a create that met a duplicate SKU, an update of a missing id.
    const Json body = Json::parse(R"({
        "create": [{"id": 44, "sku": "BATCH-NEW-1"},
                   {"id": 0, "error": {"code": "product_invalid_sku", "message": "Invalid or duplicated SKU.",
                                       "data": {"status": 400, "resource_id": 11, "unique_sku": "MUG-CAFE-1"}}}],
        "update": [{"id": 42, "sku": "BATCH-TGT-A"},
                   {"id": 999999, "error": {"code": "woocommerce_rest_product_invalid_id", "message": "Invalid ID.",
                                            "data": {"status": 400}}}]})");
    const auto out = interpret_batch(200, body, 2, 3, "");
    ASSERT_EQ(out.size(), 5u);
    EXPECT_TRUE(out[0].ok);
    EXPECT_EQ(out[0].woo_id, 44);
    EXPECT_FALSE(out[1].ok);
    EXPECT_EQ(out[1].error_code, "product_invalid_sku");
    EXPECT_EQ(out[1].resource_id, 11);
    EXPECT_TRUE(is_duplicate_sku_error(out[1].error_code));
    EXPECT_TRUE(out[2].ok);
    EXPECT_EQ(out[3].error, "woocommerce_rest_product_invalid_id: Invalid ID.");
    EXPECT_FALSE(out[4].ok);  // not in the answer
    EXPECT_FALSE(out[4].error.empty());
}

TEST(SyncModel, FailedBatchFailsEveryItem) {
    const auto out = interpret_batch(503, Json(), 1, 1, "store answered HTTP 503");
    ASSERT_EQ(out.size(), 2u);
    for (const auto& o : out) {
        EXPECT_FALSE(o.ok);
        EXPECT_EQ(o.error, "store answered HTTP 503");
    }
}

TEST(SyncModel, ImportMapsFieldsAndAttributes) {
    // Shaped like real/26 (variable product, context=edit).
    const Json store = Json::parse(R"({
        "id": 26, "name": "Salt &amp; Pepper", "sku": "", "type": "variable", "status": "publish",
        "description": "<p>x</p>", "short_description": "", "regular_price": "15.00", "sale_price": "15.00",
        "manage_stock": true, "stock_quantity": -2, "stock_status": "onbackorder", "weight": "",
        "dimensions": {"length": "", "width": "", "height": ""}, "slug": "salt-pepper",
        "categories": [{"id": 18, "name": "Bücher &amp; Medien", "slug": "b"}], "tags": [{"id": 24, "name": "New"}],
        "images": [{"id": 5, "src": "https://store/a.jpg"}],
        "attributes": [{"id": 1, "name": "Color", "slug": "pa_color", "options": ["Blue", "Red"]},
                       {"id": 2, "name": "Size", "slug": "pa_size", "options": ["L"]},
                       {"id": 0, "name": "Material", "slug": "material", "options": ["Cotton"]}],
        "meta_data": [{"id": 1, "key": "_note", "value": "n"}], "date_modified_gmt": "2026-01-01T10:00:00"})");
    ImportSpec spec;
    spec.connection_id = 3;
    spec.attribute_mappings = {{"Color", "color"}, {"pa_size", "size"}};
    spec.field_mappings = {{"slug", "short_description"}};
    const Json l = local_from_store(store, spec, false);
    EXPECT_EQ(l["sku"], "woo-3-26");
    EXPECT_EQ(l["name"], "Salt & Pepper");
    EXPECT_EQ(l["regular_price"], "15");
    EXPECT_TRUE(l["sale_price"].is_null());  // not below the regular price
    EXPECT_EQ(l["stock_quantity"], 0);
    EXPECT_TRUE(l["dimensions"].is_null());
    EXPECT_EQ(l["categories"], (Json{"Bücher & Medien"}));
    EXPECT_EQ(l["images"], (Json{"https://store/a.jpg"}));
    EXPECT_EQ(l["attributes"], (Json{{"color", Json{"Blue", "Red"}}, {"size", Json{"L"}}, {"Material", Json{"Cotton"}}}));
    EXPECT_EQ(l["short_description"], "salt-pepper");
    EXPECT_EQ(l["meta_data"], (Json{{"_note", "n"}}));

    // Exported right after, nothing has changed.
    const Json exchanged = exchanged_after_import(l, store, false);
    EXPECT_EQ(exchanged["_image_ids"], (Json{{"https://store/a.jpg", 5}}));
    EXPECT_EQ(exchanged["date_modified_gmt"], "2026-01-01T10:00:00");
    const ExportSpec spec_out = identity_spec();
    EXPECT_TRUE(changed_fields(canonical_export_values(l, spec_out, false), exchanged, spec_out.fields).empty());
}

TEST(SyncModel, ImportedVariationTakesItsOptions) {
    // real/27: a variation with global attributes and one option each.
    const Json store = Json::parse(R"({"id": 34, "name": "Schwarz, L", "sku": "HOODIE-SCHWARZ-L",
        "regular_price": "45.00", "sale_price": "", "manage_stock": "parent", "image": {"id": 9, "src": "https://store/h.jpg"},
        "attributes": [{"id": 1, "name": "Color", "slug": "pa_color", "option": "Schwarz"},
                       {"id": 2, "name": "Size", "slug": "pa_size", "option": ""}]})");
    const Json l = local_from_store(store, ImportSpec{}, true);
    EXPECT_EQ(l["type"], "variation");
    EXPECT_EQ(l["manage_stock"], false);
    EXPECT_EQ(l["images"], (Json{"https://store/h.jpg"}));
    EXPECT_EQ(l["attributes"], (Json{{"Color", Json{"Schwarz"}}, {"Size", Json::array()}}));
}

}  // namespace
}  // namespace wcfdw::sync
