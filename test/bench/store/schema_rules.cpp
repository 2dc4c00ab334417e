#include "schema_rules.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "query.hpp"
#include "site_time.hpp"
#include "wp_error.hpp"
#include "wp_text.hpp"

namespace benchstore {
namespace {

struct Invalid {
    std::string code, message;
    Json data;
};

std::optional<double> number_text(const Json& v) {
    const std::string s = strip(v.get<std::string>());
    if (s.empty()) return std::nullopt;
    return price_decimal(s);
}

bool is_integer(const Json& v) {
    if (v.is_boolean()) return false;
    if (v.is_number_integer()) return true;
    if (v.is_number_float()) return v.get<double>() == std::trunc(v.get<double>());
    if (v.is_string()) {
        const auto f = number_text(v);
        return f && std::isfinite(*f) && *f == std::trunc(*f);
    }
    return false;
}

bool is_number(const Json& v) {
    if (v.is_boolean()) return false;
    if (v.is_number()) return true;
    if (v.is_string()) return number_text(v).has_value();
    return false;
}

bool is_boolean(const Json& v) {
    if (v.is_boolean()) return true;
    if (v.is_string()) {
        const std::string s = ascii_lower(v.get<std::string>());
        return s == "false" || s == "true" || s == "0" || s == "1";
    }
    if (v.is_number_integer()) return v.get<std::int64_t>() == 0 || v.get<std::int64_t>() == 1;
    return false;
}

bool is_array(const Json& v) {
    if (v.is_array() || v.is_string()) return true;
    if (!v.is_object()) return false;
    for (auto it = v.begin(); it != v.end(); ++it)
        if (it.key().empty() || it.key().find_first_not_of("0123456789") != std::string::npos) return false;
    return true;
}

bool type_ok(const std::string& t, const Json& v) {
    if (t == "null") return v.is_null();
    if (t == "string") return v.is_string();
    if (t == "integer") return is_integer(v);
    if (t == "number") return is_number(v);
    if (t == "boolean") return is_boolean(v);
    if (t == "array") return is_array(v);
    if (t == "object") return v.is_object() || v == Json("") || (v.is_array() && v.empty());
    return true;
}

std::vector<std::string> types_of(const Json& schema) {
    const Json& t = schema.value("type", Json());
    std::vector<std::string> out;
    if (t.is_array())
        for (const auto& x : t) out.push_back(x.get<std::string>());
    else if (t.is_string())
        out.push_back(t.get<std::string>());
    return out;
}

// The items of an array parameter (wp_parse_list); an array is used as is.
const Json& list_items(const Json& v, Json& storage) {
    if (v.is_array()) return v;
    Json& out = storage = Json::array();
    if (v.is_object()) {
        for (auto it = v.begin(); it != v.end(); ++it) out.push_back(it.value());
    } else if (v.is_string()) {
        for (auto& s : parse_list(v.get<std::string>())) out.push_back(s);
    } else {
        out.push_back(v);
    }
    return out;
}

double as_double(const Json& v) {
    if (v.is_string()) return *number_text(v);
    return v.get<double>();
}

// Python's str() of a scalar, for enum comparisons.
std::string py_str(const Json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "True" : "False";
    if (v.is_null()) return "None";
    return v.dump();
}

std::string join_l(const std::vector<std::string>& values) {
    if (values.size() == 1) return values[0];
    if (values.size() == 2) return values[0] + " and " + values[1];
    std::string out;
    for (std::size_t i = 0; i + 1 < values.size(); ++i) out += values[i] + ", ";
    return out + "and " + values.back();
}

std::string int_text(const Json& v) { return std::to_string(static_cast<long long>(v.get<double>())); }

void validate_value(const Json& value, const Json& schema, const std::string& param);

void validate_enum(const Json& value, const Json& schema, const std::string& matched) {
    std::vector<Json> choices;
    for (const auto& x : schema["enum"])
        if (std::find(choices.begin(), choices.end(), x) == choices.end()) choices.push_back(x);
    const Json sv = sanitize_value(value, Json{{"type", matched}});
    for (const auto& e : choices)
        if (e == sv || py_str(e) == py_str(sv)) return;
    std::vector<std::string> names;
    for (const auto& e : choices) names.push_back(py_str(e));
    if (names.size() == 1) throw Invalid{"rest_not_in_enum", "" , Json()};
    throw Invalid{"rest_not_in_enum", join_l(names), Json()};
}

void validate_bounds(const Json& value, const Json& schema, const std::string& param) {
    const double num = as_double(value);
    const Json& lo = schema.value("minimum", Json());
    const Json& hi = schema.value("maximum", Json());
    if (!lo.is_null() && !hi.is_null() && (num < lo.get<double>() || num > hi.get<double>()))
        throw Invalid{"rest_out_of_bounds",
                      param + " must be between " + int_text(lo) + " (inclusive) and " + int_text(hi) + " (inclusive)",
                      Json()};
    if (!lo.is_null() && hi.is_null() && num < lo.get<double>())
        throw Invalid{"rest_out_of_bounds", param + " must be greater than or equal to " + int_text(lo), Json()};
    if (!hi.is_null() && lo.is_null() && num > hi.get<double>())
        throw Invalid{"rest_out_of_bounds", param + " must be less than or equal to " + int_text(hi), Json()};
}

void validate_value(const Json& value, const Json& schema, const std::string& param) {
    const auto types = types_of(schema);
    if (types.empty()) return;
    std::string matched;
    for (const auto& t : types)
        if (type_ok(t, value)) {
            matched = t;
            break;
        }
    if (matched.empty()) {
        std::string joined;
        for (const auto& t : types) joined += (joined.empty() ? "" : ",") + t;
        throw Invalid{"rest_invalid_type", param + " is not of type " + joined + ".", Json{{"param", param}}};
    }
    if (matched == "null") return;
    if (schema.contains("enum") && (matched == "string" || matched == "integer" || matched == "number")) {
        try {
            validate_enum(value, schema, matched);
        } catch (Invalid& e) {
            e.message = e.message.empty() ? param + " is not " + py_str(schema["enum"][0]) + "."
                                          : param + " is not one of " + e.message + ".";
            throw;
        }
    }
    if (matched == "integer" || matched == "number") validate_bounds(value, schema, param);
    if (matched == "string" && schema.value("format", std::string()) == "date-time" &&
        !parse_rest_time(value.get<std::string>()))
        throw Invalid{"rest_invalid_date", "Invalid date.", Json()};
    if (matched == "array" && schema.contains("items") && !schema["items"].empty()) {
        Json storage;
        const Json& items = list_items(value, storage);
        for (std::size_t i = 0; i < items.size(); ++i)
            validate_value(items[i], schema["items"], param + "[" + std::to_string(i) + "]");
    }
    if (matched == "object" && value.is_object() && schema.contains("properties") && !schema["properties"].empty()) {
        const Json& props = schema["properties"];
        for (auto it = value.begin(); it != value.end(); ++it)
            if (props.contains(it.key()) && !props[it.key()].value("readonly", false))
                validate_value(it.value(), props[it.key()], param + "[" + it.key() + "]");
    }
}

}  // namespace

Json sanitize_value(const Json& value, const Json& schema) {
    const auto types = types_of(schema);
    if (value.is_null() && std::find(types.begin(), types.end(), "null") != types.end()) return Json();
    for (const auto& t : types) {
        if (t == "null" || !type_ok(t, value)) continue;
        if (t == "integer") return static_cast<std::int64_t>(as_double(value));
        if (t == "number") return value.is_number() ? value : Json(as_double(value));
        if (t == "boolean") {
            if (value.is_string()) {
                const std::string s = ascii_lower(value.get<std::string>());
                return s == "true" || s == "1";
            }
            return value.is_boolean() ? value.get<bool>() : value.get<std::int64_t>() != 0;
        }
        if (t == "array") {
            auto items = schema.find("items");
            const bool typed = items != schema.end() && items->is_object() && !items->empty();
            Json storage;
            Json out = Json::array();
            for (const auto& x : list_items(value, storage)) out.push_back(typed ? sanitize_value(x, *items) : x);
            return out;
        }
        if (t == "object") {
            if (!value.is_object()) return Json::object();
            auto props = schema.find("properties");
            const bool typed = props != schema.end() && props->is_object();
            Json out = Json::object();
            for (auto it = value.begin(); it != value.end(); ++it) {
                auto prop = typed ? props->find(it.key()) : props;
                out[it.key()] = typed && prop != props->end() ? sanitize_value(it.value(), *prop) : it.value();
            }
            return out;
        }
        return value;
    }
    return value;
}

static Json read_json(const std::string& file) {
    std::ifstream in(file);
    if (!in) throw std::runtime_error("cannot read " + file);
    std::stringstream text;
    text << in.rdbuf();
    return Json::parse(text.str());
}

SchemaRules::SchemaRules(const std::string& data_dir)
    : data_(read_json(data_dir + "/routes.json")), system_status_(read_json(data_dir + "/system-status.template.json")) {
    const Json& routes = data_.at("routes");
    for (auto r = routes.begin(); r != routes.end(); ++r)
        for (const auto& ep : r.value()["endpoints"])
            for (const auto& m : ep["methods"]) {
                auto [slot, added] = args_.try_emplace({r.key(), m.get<std::string>()});
                if (!added) continue;  // the first endpoint with the method wins
                RouteArgs& index = slot->second;
                const Json& args = ep["args"];
                if (!args.is_object()) continue;  // PHP's empty array is []
                for (auto a = args.begin(); a != args.end(); ++a) {
                    index.by_name[a.key()] = &a.value();
                    if (a.value().value("required", false)) index.required.push_back(a.key());
                }
            }
}

const Json& SchemaRules::route_schema(const std::string& route_key) const {
    static const Json none;
    const Json& schemas = data_.at("schemas");
    auto it = schemas.find(route_key);
    return it == schemas.end() ? none : *it;
}

const RouteArgs& SchemaRules::route_args(const std::string& route_key, const std::string& method) const {
    auto it = args_.find({route_key, method});
    return it == args_.end() ? none_ : it->second;
}

Json SchemaRules::validate(const Json& params, const RouteArgs& args, bool skip_route_ids) const {
    auto skipped = [&](const std::string& k) {
        return k == "id" || (skip_route_ids && (k == "product_id" || k == "attribute_id"));
    };
    Json missing = Json::array();
    for (const auto& name : args.required)
        if (!params.contains(name) && !skipped(name)) missing.push_back(name);
    if (!missing.empty()) {
        std::string list;
        for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m.get<std::string>();
        throw WpError("rest_missing_callback_param", "Missing parameter(s): " + list, 400, Json{{"params", missing}});
    }
    Json out = params;
    Json invalid = Json::object(), details = Json::object();
    for (auto it = params.begin(); it != params.end(); ++it) {
        auto arg = args.by_name.find(it.key());
        if (skipped(it.key()) || arg == args.by_name.end()) continue;
        try {
            validate_value(it.value(), *arg->second, it.key());
            out[it.key()] = sanitize_value(it.value(), *arg->second);
        } catch (const Invalid& e) {
            invalid[it.key()] = e.message;
            details[it.key()] = Json{{"code", e.code}, {"message", e.message}, {"data", e.data}};
        }
    }
    if (!invalid.empty()) {
        std::string list;
        for (auto it = invalid.begin(); it != invalid.end(); ++it) list += (list.empty() ? "" : ", ") + it.key();
        throw WpError("rest_invalid_param", "Invalid parameter(s): " + list, 400,
                      Json{{"params", invalid}, {"details", details}});
    }
    return out;
}

}  // namespace benchstore
