#include "core/write/write_payload.hpp"

#include <algorithm>

#include "core/base/json_reader.hpp"
#include "core/base/woo_error.hpp"
#include "core/scan/scan_plan.hpp"

namespace wcfdw {

namespace {

std::vector<std::string> split_path(const std::string& field) {
    std::vector<std::string> out(1);
    for (char ch : field) {
        if (ch == '.') out.emplace_back();
        else out.back() += ch;
    }
    return out;
}

// Enumerations WooCommerce validates; a wrong value would be a 400 after
// earlier rows were written, so check it first.
const std::vector<std::string>* enum_values(const ResourceInfo& resource, const std::string& field) {
    static const std::vector<std::string> product_status = {"draft", "pending", "private", "publish", "future"};
    static const std::vector<std::string> product_types = {"simple", "grouped", "external", "variable"};
    static const std::vector<std::string> stock_status = {"instock", "outofstock", "onbackorder"};
    static const std::vector<std::string> backorders = {"no", "notify", "yes"};
    static const std::vector<std::string> tax_status = {"taxable", "shipping", "none"};
    static const std::vector<std::string> visibility = {"visible", "catalog", "search", "hidden"};
    static const std::vector<std::string> display = {"default", "products", "subcategories", "both"};
    const bool product = resource.resource == Resource::Products || resource.resource == Resource::Variations;
    if (product && field == "status") return &product_status;
    if (resource.resource == Resource::Products && field == "type") return &product_types;
    if (product && field == "stock_status") return &stock_status;
    if (product && field == "backorders") return &backorders;
    if (product && field == "tax_status") return &tax_status;
    if (resource.resource == Resource::Products && field == "catalog_visibility") return &visibility;
    if (resource.resource == Resource::Categories && field == "display") return &display;
    return nullptr;
}

bool is_price(const std::string& field) { return field == "regular_price" || field == "sale_price"; }

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
}

}  // namespace

bool is_read_only_field(const ResourceInfo& resource, const std::string& field) {
    static const char* const common[] = {"id", "date_modified", "date_modified_gmt", "permalink", "count",
                                         "_links"};
    static const char* const product[] = {
        "price",      "price_html",      "on_sale",           "purchasable",      "total_sales",
        "backorders_allowed", "backordered", "shipping_required", "shipping_taxable", "shipping_class_id",
        "average_rating", "rating_count", "related_ids",    "variations",       "grouped_products",
        "has_options", "permalink_template", "generated_slug"};
    for (const char* f : common)
        if (field == f) return true;
    if (resource.resource == Resource::Products || resource.resource == Resource::Variations) {
        for (const char* f : product)
            if (field == f) return true;
        if (resource.resource == Resource::Variations && field == "type") return true;
    }
    return false;
}

std::string describe_item(const nlohmann::json& body, const std::string& fallback) {
    if (body.is_object()) {
        for (const char* key : {"sku", "slug", "name"}) {
            const auto it = body.find(key);
            if (it != body.end() && it->is_string() && !it->get_ref<const std::string&>().empty())
                return std::string(key) + " '" + it->get<std::string>() + "'";
        }
    }
    return fallback;
}

PayloadBuilder::PayloadBuilder(std::string table_name, const ResourceInfo& resource, std::vector<WriteColumn> columns)
    : table_(std::move(table_name)), resource_(resource), columns_(std::move(columns)) {}

void PayloadBuilder::refuse_if_unwritable(const WriteColumn& c) const {
    if (c.source == ColumnSource::TermFilter)
        throw WooError(ErrorKind::Unsupported,
                       "column \"" + c.name + "\" of foreign table \"" + table_ + "\" is a filter column and cannot be written",
                       {}, std::string("Assign the array instead, e.g. SET ") +
                               (c.field == "tags" ? "tags = '[{\"id\": 23}]'" : "categories = '[{\"id\": 15}]'") + ".");
    if (c.source == ColumnSource::Member && is_read_only_field(resource_, c.field))
        throw WooError(ErrorKind::Unsupported,
                       "column \"" + c.name + "\" of foreign table \"" + table_ + "\" is read-only in WooCommerce",
                       "WooCommerce computes \"" + c.field + "\" itself.", "Leave the column out of INSERT and UPDATE.");
}

void PayloadBuilder::check_writable() const {
    if (!resource_.writable)
        throw WooError(ErrorKind::Unsupported,
                       std::string("foreign table \"") + table_ + "\" shows WooCommerce " + resource_.name +
                           ", which woocommerce_fdw only reads",
                       {}, "Orders and customers are read-only here; change them in WooCommerce.");
    for (const auto& c : columns_) refuse_if_unwritable(c);
}

std::int64_t PayloadBuilder::parent_of(const std::vector<WriteValue>& values) const {
    for (std::size_t i = 0; i < columns_.size() && i < values.size(); ++i)
        if (columns_[i].source == ColumnSource::PathParent && values[i].kind == WriteValue::Int) return values[i].i;
    return 0;
}

namespace {

// A jsonb value a statement writes, read with the same limits as a store's
// answers: nesting deeper than kMaxJsonDepth would make printing the body
// recurse that deep, and a number no double holds (jsonb keeps 1e400)
// cannot be sent as the number it is. Text that is not JSON at all comes
// back discarded.
nlohmann::json written_json(const std::string& text, const std::string& column, const std::string& table,
                            const std::string& row_label) {
    const std::string where = "column \"" + column + "\" of foreign table \"" + table + "\" in " + row_label;
    JsonDocument doc;
    try {
        doc = read_json(text);
    } catch (const JsonReadError& e) {
        if (e.problem() != JsonReadError::Problem::TooDeep)
            return nlohmann::json(nlohmann::json::value_t::discarded);  // the caller says what it wanted
        throw WooError(ErrorKind::InvalidArgument, "invalid value for " + where + ": JSON " + e.what(), {},
                       "WooCommerce objects nest a few levels; flatten the value.");
    }
    if (!doc.unrepresentable.empty())
        throw WooError(ErrorKind::OutOfRange,
                       "invalid value for " + where + ": the number " + doc.unrepresentable.front().text +
                           " cannot be sent exactly",
                       "Member: " + json_path_text(doc.unrepresentable.front().path),
                       "JSON numbers go to WooCommerce as doubles or 64-bit integers; send the value as a string.");
    return std::move(doc.value);
}

}  // namespace

nlohmann::json PayloadBuilder::build(const std::vector<WriteValue>& values, const std::string& row_label,
                                     bool skip_nulls) const {
    nlohmann::json body = nlohmann::json::object();
    // attrs first: the other columns override its members.
    for (std::size_t i = 0; i < columns_.size() && i < values.size(); ++i) {
        if (columns_[i].source != ColumnSource::WholeObject || values[i].kind != WriteValue::Text) continue;
        nlohmann::json parsed = written_json(values[i].text, columns_[i].name, table_, row_label);
        if (!parsed.is_object())
            throw WooError(ErrorKind::InvalidArgument,
                           "column \"" + columns_[i].name + "\" of " + row_label + " must be a JSON object", {},
                           "attrs holds the whole WooCommerce object; give it an object such as '{\"name\": \"Mug\"}'.");
        for (auto& [k, v] : parsed.items())
            if (!is_read_only_field(resource_, k)) body[k] = v;
    }
    for (std::size_t i = 0; i < columns_.size() && i < values.size(); ++i) {
        const WriteColumn& c = columns_[i];
        const WriteValue& v = values[i];
        if (v.kind != WriteValue::Null) refuse_if_unwritable(c);
        if (c.source != ColumnSource::Member) continue;  // attrs done, parent goes into the path
        if (v.kind == WriteValue::Null && skip_nulls) continue;
        auto problem = [&](const std::string& what, const std::string& hint) {
            return WooError(ErrorKind::InvalidArgument,
                            "invalid value for column \"" + c.name + "\" of foreign table \"" + table_ + "\" in " +
                                row_label + ": " + what,
                            {}, hint);
        };
        nlohmann::json value;
        switch (v.kind) {
        case WriteValue::Null:
            // WooCommerce clears strings with "" (sale_price, description...)
            // and nullable numbers, dates and objects with null.
            value = (c.type == ColumnType::Text || c.type == ColumnType::Numeric || c.type == ColumnType::Other)
                        ? nlohmann::json("")
                        : nlohmann::json(nullptr);
            break;
        case WriteValue::Int: value = v.i; break;
        case WriteValue::Bool: value = v.b; break;
        case WriteValue::Timestamp: value = format_gmt(v.i); break;
        case WriteValue::Text:
            if (c.type == ColumnType::Jsonb) {
                value = written_json(v.text, c.name, table_, row_label);
                if (value.is_discarded()) throw problem("not JSON", "Give a valid JSON value.");
            } else if (c.type == ColumnType::Numeric) {
                if (v.text == "NaN" || v.text == "Infinity" || v.text == "-Infinity")
                    throw problem(v.text + " is not a number WooCommerce stores", "Give a finite decimal.");
                if (is_price(c.field) && !v.text.empty() && v.text[0] == '-')
                    throw problem("price " + v.text + " is negative", "Prices are zero or more.");
                value = v.text;  // WooCommerce keeps decimals as strings
            } else {
                value = v.text;
            }
            break;
        }
        if (v.kind == WriteValue::Text && c.type != ColumnType::Jsonb) {
            if (const auto* allowed = enum_values(resource_, c.field)) {
                if (std::find(allowed->begin(), allowed->end(), v.text) == allowed->end())
                    throw problem("'" + v.text + "' is not a valid " + c.field,
                                  "Valid values: " + join(*allowed) + ".");
            }
        }
        // Dates are written through their *_gmt member, nested fields as objects.
        nlohmann::json* target = &body;
        const auto path = split_path(c.field);
        for (std::size_t p = 0; p + 1 < path.size(); ++p) {
            nlohmann::json& next = (*target)[path[p]];
            if (!next.is_object()) next = nlohmann::json::object();
            target = &next;
        }
        (*target)[path.back()] = std::move(value);
    }
    return body;
}

}  // namespace wcfdw
