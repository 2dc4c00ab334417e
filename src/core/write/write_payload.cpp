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

bool is_price(const std::string& field) { return field == "regular_price" || field == "sale_price"; }

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
}

}  // namespace

std::string allowed_writes(const ResourceInfo& resource) {
    std::vector<std::string> ops;
    if (resource.writes.insert) ops.push_back("INSERT");
    if (resource.writes.update) ops.push_back("UPDATE");
    if (resource.writes.remove) ops.push_back("DELETE");
    return join(ops);
}

void check_write_allowed(const ResourceInfo& resource, const std::string& table_name, WriteOp op, bool trash) {
    const char* verb = op == WriteOp::Insert ? "create" : op == WriteOp::Update ? "update" : "delete";
    const bool allowed = op == WriteOp::Insert ? resource.writes.insert
                         : op == WriteOp::Update ? resource.writes.update
                                                 : resource.writes.remove;
    if (!allowed) {
        if (resource.read_only())
            throw WooError(ErrorKind::Unsupported,
                           std::string("foreign table \"") + table_name + "\" shows WooCommerce " + resource.name +
                               ", which WooCommerce's REST API only lets clients read",
                           {}, std::string("Use SELECT on \"") + table_name + "\"; " + resource.name +
                                   " cannot be changed through the API.");
        throw WooError(ErrorKind::Unsupported,
                       std::string("WooCommerce's REST API cannot ") + verb + " " + resource.name +
                           " (foreign table \"" + table_name + "\")",
                       {}, std::string("WooCommerce allows ") + allowed_writes(resource) + " on " + resource.name +
                               (op == WriteOp::Update && resource.writes.insert && resource.writes.remove
                                    ? ": delete the row and insert a new one."
                                    : "."));
    }
    if (op == WriteOp::Delete && trash && resource.writes.delete_mode != DeleteMode::TrashOrForce)
        throw WooError(ErrorKind::Unsupported,
                       std::string("WooCommerce cannot move ") + resource.name + " to the trash (foreign table \"" +
                           table_name + "\")",
                       "WooCommerce deletes them only with force=true.",
                       "Drop the table option trash to delete them permanently: ALTER FOREIGN TABLE ... OPTIONS "
                       "(DROP trash).");
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

void PayloadBuilder::refuse_if_unwritable(const WriteColumn& c, bool updating) const {
    if (c.source == ColumnSource::TermFilter)
        throw WooError(ErrorKind::Unsupported,
                       "column \"" + c.name + "\" of foreign table \"" + table_ + "\" is a filter column and cannot be written",
                       {}, c.field == "tags" ? "Assign the array instead, e.g. SET tags = '[{\"id\": 23}]'."
                           : c.field == "categories"
                               ? "Assign the array instead, e.g. SET categories = '[{\"id\": 15}]'."
                               : "Assign the array \"" + c.field + "\" instead.");
    if (c.source == ColumnSource::QueryParam)
        throw WooError(ErrorKind::Unsupported,
                       "column \"" + c.name + "\" of foreign table \"" + table_ + "\" is a request parameter and cannot be written",
                       {}, "Leave the column out of INSERT and UPDATE.");
    if (updating && c.source == ColumnSource::PathParent)
        throw WooError(ErrorKind::Unsupported,
                       std::string("WooCommerce cannot move ") + resource_.name + " to another parent",
                       {}, "Delete the row and insert it under the other parent.");
    if (c.source != ColumnSource::Member) return;
    if (is_read_only_field(resource_, c.field))
        throw WooError(ErrorKind::Unsupported,
                       "column \"" + c.name + "\" of foreign table \"" + table_ + "\" is read-only in WooCommerce",
                       "WooCommerce computes \"" + c.field + "\" itself.", "Leave the column out of INSERT and UPDATE.");
    if (updating && is_insert_only_field(resource_, c.field))
        throw WooError(ErrorKind::Unsupported,
                       "column \"" + c.name + "\" of foreign table \"" + table_ + "\" cannot be changed once written",
                       "WooCommerce takes \"" + c.field + "\" only when it creates " + resource_.name + ".",
                       "Delete the row and insert it with the new value.");
}

void PayloadBuilder::check_writable() const {
    for (const auto& c : columns_) refuse_if_unwritable(c, true);
}

void PayloadBuilder::check_required(const nlohmann::json& body, const std::string& row_label) const {
    for (const auto& [field, why] : resource_.writes.required) {
        const auto it = body.find(field);
        if (it != body.end() && !it->is_null() && !(it->is_string() && it->get_ref<const std::string&>().empty()))
            continue;
        throw WooError(ErrorKind::MissingValue,
                       "foreign table \"" + table_ + "\" needs a value for \"" + field + "\" in " + row_label,
                       why, "Give \"" + field + "\" a value in the INSERT.");
    }
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
            if (!is_read_only_field(resource_, k) && !(!skip_nulls && is_insert_only_field(resource_, k))) body[k] = v;
    }
    for (std::size_t i = 0; i < columns_.size() && i < values.size(); ++i) {
        const WriteColumn& c = columns_[i];
        const WriteValue& v = values[i];
        if (v.kind != WriteValue::Null) refuse_if_unwritable(c, !skip_nulls);
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
            if (const auto* allowed = write_enum(resource_, c.field)) {
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
    if (skip_nulls) check_required(body, row_label);
    return body;
}

}  // namespace wcfdw
