#include "core/woo/table_schema.hpp"

#include <algorithm>

#include "core/base/text.hpp"
#include "core/base/woo_error.hpp"

namespace wcfdw {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Strings that hold decimals: prices, totals, taxes, amounts, rates, weight,
// ratings, sales figures.
bool is_decimal_string(const std::string& name) {
    static const char* const exact[] = {"price", "regular_price", "sale_price", "weight", "average_rating",
                                        "total",  "amount",        "rate"};
    for (const char* e : exact)
        if (name == e) return true;
    return ends_with(name, "_total") || ends_with(name, "_tax") || ends_with(name, "_amount") ||
           ends_with(name, "_sales") || name == "total_shipping";
}

// Members whose schema says integer although WooCommerce sends decimal
// strings (reports/sales: "total_discount": "0.00", real/63).
bool is_money_despite_schema(const std::string& name) {
    return name == "total_discount" || name == "total_refunds";
}

bool is_id(const std::string& name) { return name == "id" || ends_with(name, "_id") || name == "parent"; }

// "integer", ["integer", "null"] -> "integer"
std::string json_type(const nlohmann::ordered_json& property) {
    const auto it = property.find("type");
    if (it == property.end()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (it->is_array())
        for (const auto& t : *it)
            if (t.is_string() && t.get<std::string>() != "null") return t.get<std::string>();
    return {};
}

}  // namespace

const char* column_type_sql(ColumnType type) noexcept {
    switch (type) {
    case ColumnType::BigInt: return "bigint";
    case ColumnType::Integer: return "integer";
    case ColumnType::Numeric: return "numeric";
    case ColumnType::Boolean: return "boolean";
    case ColumnType::Text: return "text";
    case ColumnType::TimestampTz: return "timestamp with time zone";
    case ColumnType::Jsonb: return "jsonb";
    case ColumnType::Other: return "text";
    }
    return "text";
}

ColumnSource default_column_source(const ResourceInfo& resource, const std::string& column_name,
                                   const std::string& field) {
    if (field == column_name && column_name == "attrs") return ColumnSource::WholeObject;
    if (const ArrayFilterColumn* a = find_array_filter_column(resource, column_name))
        if (field == a->field) return ColumnSource::TermFilter;
    if (find_param_column(resource, column_name) && field == column_name) return ColumnSource::QueryParam;
    if (resource.parent_field && field == resource.parent_field) return ColumnSource::PathParent;
    return ColumnSource::Member;
}

std::vector<ColumnDef> columns_from_schema(const ResourceInfo& resource, const std::string& options_body_text) {
    // ordered_json: columns in the order the store lists its fields.
    const auto options_body = nlohmann::ordered_json::parse(options_body_text, nullptr, false);
    const nlohmann::ordered_json* properties = nullptr;
    if (options_body.is_object()) {
        const auto schema = options_body.find("schema");
        if (schema != options_body.end() && schema->is_object()) {
            const auto p = schema->find("properties");
            if (p != schema->end() && p->is_object()) properties = &*p;
        }
    }
    if (!properties)
        throw WooError(ErrorKind::InvalidResponse,
                       std::string("the store published no schema for ") + resource.name,
                       "OPTIONS on the collection answered without \"schema\".\"properties\".",
                       "Check that the server's url and api_version point at WooCommerce's REST API (wc/v3).");

    std::vector<ColumnDef> columns;
    auto has = [&columns](const std::string& name) {
        return std::any_of(columns.begin(), columns.end(), [&](const ColumnDef& c) { return c.name == name; });
    };
    for (const auto& [name, property] : properties->items()) {
        // *_gmt twins become the timestamptz of their plain name; passwords
        // are write-only; _links is navigation, not data.
        if (ends_with(name, "_gmt") || name == "password" || name == "_links") continue;
        const std::string type = json_type(property);
        const std::string format = property.is_object() ? property.value("format", std::string()) : std::string();
        ColumnDef c{name, ColumnType::Text, {}, ColumnSource::Member};
        if (format == "date-time" || type == "date-time") {
            // Every date WooCommerce sends has a UTC twin, even where the
            // schema forgets to list it (variations).
            c.type = ColumnType::TimestampTz;
            c.field = name + "_gmt";
        } else if (type == "integer" && is_money_despite_schema(name)) {
            c.type = ColumnType::Numeric;
        } else if (type == "integer") {
            c.type = is_id(name) ? ColumnType::BigInt : ColumnType::Integer;
        } else if (type == "number") {
            c.type = ColumnType::Numeric;
        } else if (type == "boolean" || type == "bool") {
            c.type = ColumnType::Boolean;
        } else if (type == "array" || type == "object") {
            c.type = ColumnType::Jsonb;
        } else if (type == "string" && name == "shipping_class_id") {
            c.type = ColumnType::BigInt;  // the schema says string, responses carry ints
        } else if (type == "string" && name == "sub_groups") {
            c.type = ColumnType::Jsonb;  // settings groups: the schema says string, responses carry arrays (real/62)
        } else if (type == "string" && is_decimal_string(name)) {
            c.type = ColumnType::Numeric;
        }
        columns.push_back(std::move(c));
    }
    // Members responses carry that the schema does not list, and the
    // extension's own columns.
    if (resource.resource == Resource::Variations && !has("name"))
        columns.push_back({"name", ColumnType::Text, {}, ColumnSource::Member});
    if (resource.parent_field) {
        columns.erase(std::remove_if(columns.begin(), columns.end(),
                                     [&](const ColumnDef& c) { return c.name == resource.parent_field; }),
                      columns.end());
        columns.push_back({resource.parent_field,
                           resource.parent_type == KeyType::Text ? ColumnType::Text : ColumnType::BigInt,
                           {},
                           ColumnSource::PathParent});
    }
    for (const auto& a : resource.array_filter_columns)
        if (!has(a.column)) columns.push_back({a.column, ColumnType::BigInt, a.field, ColumnSource::TermFilter});
    for (const auto& p : resource.param_columns)
        if (!has(p.column)) columns.push_back({p.column, ColumnType::Text, {}, ColumnSource::QueryParam});
    columns.push_back({"attrs", ColumnType::Jsonb, {}, ColumnSource::WholeObject});
    return columns;
}

}  // namespace wcfdw
