#include "core/sync/sync_model.hpp"

#include <algorithm>
#include <set>

#include "core/woo/store_client.hpp"
#include "core/base/text.hpp"

namespace wcfdw::sync {
namespace {

bool is_decimal_field(const std::string& f) { return f == "regular_price" || f == "sale_price" || f == "weight"; }
bool is_price_field(const std::string& f) { return f == "regular_price" || f == "sale_price"; }

std::string scalar_text(const Json& v) {
    if (v.is_null()) return {};
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    return v.dump();
}

bool valid_decimal(const std::string& s) {
    std::size_t i = 0, digits = 0;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    bool dot = false;
    for (; i < s.size(); ++i) {
        if (is_ascii_digit(s[i])) ++digits;
        else if (s[i] == '.' && !dot) dot = true;
        else return false;
    }
    return digits > 0;
}

// Strings of a JSON array whose items are strings or objects with a name
// (store terms) or a src (store images).
std::vector<std::string> string_items(const Json& v, bool decode) {
    std::vector<std::string> out;
    if (!v.is_array()) {
        if (v.is_string() && !v.get<std::string>().empty()) out.push_back(v.get<std::string>());
        return out;
    }
    for (const auto& item : v) {
        std::string s;
        if (item.is_string()) s = item.get<std::string>();
        else if (item.is_object() && item.contains("name") && item["name"].is_string()) s = item["name"].get<std::string>();
        else if (item.is_object() && item.contains("src") && item["src"].is_string()) s = item["src"].get<std::string>();
        else if (!item.is_null()) s = item.dump();
        if (decode) s = decode_html_entities(s);
        if (!s.empty()) out.push_back(s);
    }
    return out;
}

Json canonical_dimensions(const Json& v) {
    Json out = {{"length", ""}, {"width", ""}, {"height", ""}};
    if (v.is_object())
        for (const char* k : {"length", "width", "height"})
            if (v.contains(k)) out[k] = normalize_decimal(scalar_text(v[k]));
    return out;
}

Json canonical_attributes(const Json& v) {
    Json out = Json::object();
    if (v.is_object()) {
        for (auto it = v.begin(); it != v.end(); ++it) {
            Json values = Json::array();
            for (const auto& s : string_items(it.value(), false)) values.push_back(s);
            out[it.key()] = values;
        }
    } else if (v.is_array()) {  // WooCommerce's own shape [{name, options}]
        for (const auto& a : v)
            if (a.is_object() && a.contains("name")) {
                Json values = Json::array();
                for (const auto& s : string_items(a.contains("options") ? a["options"] : a.value("option", Json()), false))
                    values.push_back(s);
                out[scalar_text(a["name"])] = values;
            }
    }
    return out;
}

Json canonical_meta(const Json& v) {
    Json out = Json::object();
    if (v.is_object()) return v;
    if (v.is_array())
        for (const auto& m : v)
            if (m.is_object() && m.contains("key")) out[scalar_text(m["key"])] = m.value("value", Json());
    return out;
}

Json canonical_value(const std::string& field, const Json& v, const std::string& json_type) {
    if (is_decimal_field(field)) return normalize_decimal(scalar_text(v));
    if (field == "dimensions") return canonical_dimensions(v);
    if (field == "categories") {
        Json out = Json::array();
        for (const auto& s : string_items(v, false)) out.push_back(normalize_category_path(s));
        return out;
    }
    if (field == "tags" || field == "images") {
        Json out = Json::array();
        for (const auto& s : string_items(v, false)) out.push_back(s);
        return out;
    }
    if (field == "attributes") return canonical_attributes(v);
    if (field == "meta_data") return canonical_meta(v);
    if (json_type == "string" || json_type == "date-time") {
        if (v.is_null()) return json_type == "string" ? Json("") : Json();
        if (v.is_number()) return normalize_decimal(v.dump());
        return scalar_text(v);
    }
    if (json_type == "integer" || json_type == "number") {
        if (v.is_string()) {
            const std::string s = trim_ascii_space(v.get<std::string>());
            if (s.empty()) return Json();
            try {
                if (json_type == "integer") return std::stoll(s);
                return std::stod(s);
            } catch (...) {
                return s;
            }
        }
        return v;
    }
    if (json_type == "boolean") {
        if (v.is_string()) {
            const std::string s = ascii_lower(v.get<std::string>());
            return s == "true" || s == "yes" || s == "1" || s == "on";
        }
        if (v.is_number()) return v.get<double>() != 0;
        return v.is_null() ? Json(false) : v;
    }
    return v;
}

const std::set<std::string>& variation_fields() {
    static const std::set<std::string> fields = {
        "description", "sku", "regular_price", "sale_price", "date_on_sale_from", "date_on_sale_from_gmt",
        "date_on_sale_to", "date_on_sale_to_gmt", "status", "virtual", "downloadable", "downloads",
        "download_limit", "download_expiry", "tax_status", "tax_class", "manage_stock", "stock_quantity",
        "stock_status", "backorders", "weight", "dimensions", "shipping_class", "image", "images", "attributes",
        "menu_order", "meta_data", "global_unique_id", "low_stock_amount"};
    return fields;
}

Json image_ref(const std::string& src, const Json& image_ids) {
    if (image_ids.is_object() && image_ids.contains(src) && image_ids[src].is_number_integer())
        return Json{{"id", image_ids[src]}};
    return Json{{"src", src}};
}

std::int64_t attribute_id(const TermIndex& terms, const std::string& key) {
    const std::string k = ascii_lower(key);
    auto it = terms.attribute_ids.find(k);
    if (it != terms.attribute_ids.end()) return it->second;
    return 0;
}

std::string text_or_empty(const Json& o, const char* key) {
    if (!o.is_object() || !o.contains(key)) return {};
    return scalar_text(o[key]);
}

Json decimal_or_null(const Json& v) {
    const std::string s = normalize_decimal(scalar_text(v));
    if (s.empty() || !valid_decimal(s)) return Json();
    return s;
}

bool in_list(const std::string& v, std::initializer_list<const char*> list) {
    for (const char* x : list)
        if (v == x) return true;
    return false;
}

// Local column types, for converting a mapped WooCommerce field.
enum class LocalType { Text, Numeric, Integer, Boolean, TextArray, Jsonb, Unknown };
LocalType local_type(const std::string& column) {
    static const std::map<std::string, LocalType> types = {
        {"sku", LocalType::Text}, {"name", LocalType::Text}, {"type", LocalType::Text},
        {"status", LocalType::Text}, {"description", LocalType::Text}, {"short_description", LocalType::Text},
        {"regular_price", LocalType::Numeric}, {"sale_price", LocalType::Numeric}, {"weight", LocalType::Numeric},
        {"stock_quantity", LocalType::Integer}, {"manage_stock", LocalType::Boolean},
        {"stock_status", LocalType::Text}, {"dimensions", LocalType::Jsonb}, {"categories", LocalType::TextArray},
        {"tags", LocalType::TextArray}, {"images", LocalType::TextArray}, {"attributes", LocalType::Jsonb},
        {"meta_data", LocalType::Jsonb}};
    auto it = types.find(column);
    return it == types.end() ? LocalType::Unknown : it->second;
}

Json convert_for_local(const Json& v, LocalType type, const std::string& woo_field) {
    switch (type) {
        case LocalType::Text:
            if (v.is_null()) return Json();
            if (v.is_string()) return woo_field == "name" ? Json(decode_html_entities(v.get<std::string>())) : v;
            if (v.is_array()) {
                std::string joined;
                for (const auto& s : string_items(v, true)) joined += (joined.empty() ? "" : ", ") + s;
                return joined;
            }
            return scalar_text(v);
        case LocalType::Numeric:
            return decimal_or_null(v);
        case LocalType::Integer:
            if (v.is_number()) return static_cast<std::int64_t>(v.get<double>());
            if (v.is_string()) {
                try {
                    return std::stoll(v.get<std::string>());
                } catch (...) {
                    return Json();
                }
            }
            return Json();
        case LocalType::Boolean:
            if (v.is_boolean()) return v;
            return canonical_value("", v, "boolean");
        case LocalType::TextArray: {
            Json out = Json::array();
            for (const auto& s : string_items(v, true)) out.push_back(s);
            return out;
        }
        case LocalType::Jsonb:
            if (v.is_object()) return v;
            if (v.is_array()) return woo_field == "attributes" ? canonical_attributes(v) : canonical_meta(v);
            return Json();
        case LocalType::Unknown:
            break;
    }
    return v;
}

// The local catalog's checks, applied to an imported row.
void fit_local_checks(Json& l) {
    auto num = [&](const char* k) -> double {
        if (!l.contains(k) || l[k].is_null()) return -1;
        try {
            return std::stod(l[k].get<std::string>());
        } catch (...) {
            return -1;
        }
    };
    for (const char* k : {"regular_price", "sale_price", "weight"})
        if (l.contains(k) && !l[k].is_null() && num(k) < 0) l[k] = nullptr;
    if (!l["sale_price"].is_null() && (l["regular_price"].is_null() || num("sale_price") >= num("regular_price")))
        l["sale_price"] = nullptr;
    if (!l["manage_stock"].is_boolean()) l["manage_stock"] = false;
    if (!l["manage_stock"].get<bool>()) l["stock_quantity"] = nullptr;
    if (l["stock_quantity"].is_number() && l["stock_quantity"].get<std::int64_t>() < 0) l["stock_quantity"] = 0;
    if (!l["dimensions"].is_null() && !l["dimensions"].is_object()) l["dimensions"] = nullptr;
    for (const char* k : {"attributes", "meta_data"})
        if (!l[k].is_object()) l[k] = Json::object();
    for (const char* k : {"categories", "tags", "images"})
        if (!l[k].is_array()) l[k] = Json::array();
    if (!l["name"].is_string() || trim_ascii_space(l["name"].get<std::string>()).empty()) l["name"] = l["sku"];
}

}  // namespace

ExportSpec make_export_spec(const std::vector<std::string>& fields, const Json& field_mappings,
                            const Json& field_types) {
    ExportSpec spec;
    std::set<std::string> selected, on_create;
    for (const char* required : {"name", "sku"})
        if (on_create.insert(required).second) spec.create_fields.push_back(required);
    for (const auto& f : fields) {
        if (selected.insert(f).second) spec.fields.push_back(f);
        if (on_create.insert(f).second) spec.create_fields.push_back(f);
    }
    if (field_mappings.is_object())
        for (auto it = field_mappings.begin(); it != field_mappings.end(); ++it)
            if (it.value().is_string()) spec.sources[it.value().get<std::string>()] = it.key();
    if (field_types.is_object())
        for (auto it = field_types.begin(); it != field_types.end(); ++it)
            if (it.value().is_string()) spec.field_types[it.key()] = it.value().get<std::string>();
    return spec;
}

std::string normalize_decimal(const std::string& input) {
    std::string s = trim_ascii_space(input);
    if (s.empty() || !valid_decimal(s)) return s;
    std::string sign;
    if (s[0] == '-' || s[0] == '+') {
        if (s[0] == '-') sign = "-";
        s.erase(0, 1);
    }
    std::string int_part = s, frac;
    const auto dot = s.find('.');
    if (dot != std::string::npos) {
        int_part = s.substr(0, dot);
        frac = s.substr(dot + 1);
    }
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    std::size_t nz = 0;
    while (nz + 1 < int_part.size() && int_part[nz] == '0') ++nz;
    int_part.erase(0, nz);
    if (int_part.empty()) int_part = "0";
    if (int_part == "0" && frac.empty()) sign.clear();
    return sign + int_part + (frac.empty() ? "" : "." + frac);
}

std::string format_decimal(const std::string& text, int decimals) {
    std::string s = normalize_decimal(text);
    if (s.empty() || !valid_decimal(s)) return s;
    std::string sign;
    if (s[0] == '-') {
        sign = "-";
        s.erase(0, 1);
    }
    std::string int_part = s, frac;
    const auto dot = s.find('.');
    if (dot != std::string::npos) {
        int_part = s.substr(0, dot);
        frac = s.substr(dot + 1);
    }
    if (decimals < 0) decimals = 0;
    const std::size_t d = static_cast<std::size_t>(decimals);
    bool round_up = frac.size() > d && frac[d] >= '5';
    frac = frac.substr(0, std::min(frac.size(), d));
    while (frac.size() < d) frac += '0';
    std::string digits = int_part + frac;
    if (round_up) {
        int i = static_cast<int>(digits.size()) - 1;
        for (; i >= 0; --i) {
            if (digits[i] == '9') digits[i] = '0';
            else {
                ++digits[i];
                break;
            }
        }
        if (i < 0) digits.insert(digits.begin(), '1');
    }
    const std::string ip = digits.substr(0, digits.size() - d);
    const std::string fp = digits.substr(digits.size() - d);
    return sign + ip + (d ? "." + fp : "");
}

std::vector<std::string> split_category_path(const std::string& path) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= path.size()) {
        const auto gt = path.find('>', start);
        const std::string part = trim_ascii_space(path.substr(start, gt == std::string::npos ? std::string::npos : gt - start));
        if (!part.empty()) parts.push_back(part);
        if (gt == std::string::npos) break;
        start = gt + 1;
    }
    return parts;
}

std::string normalize_category_path(const std::string& path) {
    std::string out;
    for (const auto& p : split_category_path(path)) out += (out.empty() ? "" : " > ") + p;
    return out;
}

bool variation_skips_field(const std::string& field) { return variation_fields().count(field) == 0; }

Json canonical_export_values(const Json& local, const ExportSpec& spec, bool is_variation) {
    Json out = Json::object();
    for (const auto& f : spec.create_fields) {
        if (is_variation && variation_skips_field(f)) continue;
        auto src = spec.sources.find(f);
        const std::string local_field = src == spec.sources.end() ? f : src->second;
        if (!local.contains(local_field)) continue;
        auto t = spec.field_types.find(f);
        out[f] = canonical_value(f, local[local_field], t == spec.field_types.end() ? std::string() : t->second);
    }
    return out;
}

std::vector<std::string> changed_fields(const Json& canonical, const Json& last_exchanged,
                                        const std::vector<std::string>& order) {
    std::vector<std::string> out;
    for (const auto& f : order) {
        if (!canonical.contains(f)) continue;
        if (!last_exchanged.is_object() || !last_exchanged.contains(f) || last_exchanged[f] != canonical[f])
            out.push_back(f);
    }
    return out;
}

Json merge_exchanged(const Json& previous, const Json& canonical, const std::vector<std::string>& fields) {
    Json out = previous.is_object() ? previous : Json::object();
    for (const auto& f : fields)
        if (canonical.contains(f)) out[f] = canonical[f];
    return out;
}

Json build_payload(const Json& canonical, const std::vector<std::string>& fields, const TermIndex& terms,
                   const Json& image_ids, bool is_variation, bool is_variable) {
    Json out = Json::object();
    for (const auto& f : fields) {
        if (!canonical.contains(f)) continue;
        if (is_variation && variation_skips_field(f)) continue;
        const Json& v = canonical[f];
        if (is_price_field(f)) {
            out[f] = format_decimal(v.is_string() ? v.get<std::string>() : scalar_text(v), terms.price_decimals);
        } else if (f == "categories") {
            Json cats = Json::array();
            for (const auto& path : v) {
                auto it = terms.category_ids.find(path.get<std::string>());
                if (it != terms.category_ids.end()) cats.push_back({{"id", it->second}});
            }
            out[f] = cats;
        } else if (f == "tags") {
            Json tags = Json::array();
            for (const auto& name : v) tags.push_back({{"name", name}});
            out[f] = tags;
        } else if (f == "images") {
            if (is_variation) {
                out["image"] = v.empty() ? Json::object() : image_ref(v[0].get<std::string>(), image_ids);
                if (v.empty()) out.erase("image");
            } else {
                Json images = Json::array();
                for (const auto& src : v) images.push_back(image_ref(src.get<std::string>(), image_ids));
                out[f] = images;
            }
        } else if (f == "attributes") {
            Json attrs = Json::array();
            int position = 0;
            for (auto it = v.begin(); it != v.end(); ++it) {
                Json a = Json::object();
                const std::int64_t id = attribute_id(terms, it.key());
                if (id) a["id"] = id;
                else a["name"] = it.key();
                if (is_variation) {
                    if (it.value().empty()) continue;  // "any"
                    a["option"] = it.value()[0];
                } else {
                    a["position"] = position++;
                    a["visible"] = true;
                    a["variation"] = is_variable;
                    a["options"] = it.value();
                }
                attrs.push_back(a);
            }
            out[f] = attrs;
        } else if (f == "meta_data") {
            Json meta = Json::array();
            for (auto it = v.begin(); it != v.end(); ++it) meta.push_back({{"key", it.key()}, {"value", it.value()}});
            out[f] = meta;
        } else if (v.is_null() && f.rfind("date_", 0) != 0) {
            // WooCommerce's schema refuses null for integers and strings
            // (stock_quantity without managed stock): leave it out.
            continue;
        } else {
            out[f] = v;
        }
    }
    return out;
}

Json image_ids_after_write(const Json& previous, const Json& sent, const Json& object, bool is_variation) {
    Json ids = previous.is_object() ? previous : Json::object();
    if (!sent.is_array() || !object.is_object()) return ids;
    if (is_variation) {
        if (!sent.empty() && object.contains("image") && object["image"].is_object() &&
            object["image"].contains("id") && object["image"]["id"].is_number_integer())
            ids[sent[0].get<std::string>()] = object["image"]["id"];
        return ids;
    }
    if (!object.contains("images") || !object["images"].is_array()) return ids;
    const Json& images = object["images"];
    for (std::size_t i = 0; i < sent.size() && i < images.size(); ++i)
        if (images[i].is_object() && images[i].contains("id") && images[i]["id"].is_number_integer())
            ids[sent[i].get<std::string>()] = images[i]["id"];
    return ids;
}

std::vector<BatchOutcome> interpret_batch(long status, const Json& body, std::size_t creates, std::size_t updates,
                                          const std::string& request_error) {
    std::vector<BatchOutcome> out(creates + updates);
    auto read = [&](const char* key, std::size_t offset, std::size_t count) {
        const Json* items = nullptr;
        if (status < 400 && body.is_object() && body.contains(key) && body[key].is_array()) items = &body[key];
        for (std::size_t i = 0; i < count; ++i) {
            BatchOutcome& o = out[offset + i];
            if (!items || i >= items->size() || !(*items)[i].is_object()) {
                o.error = request_error.empty() ? "the store's answer did not report on this item" : request_error;
                continue;
            }
            const Json& item = (*items)[i];
            if (item.contains("error") && item["error"].is_object()) {
                const Json& e = item["error"];
                o.error_code = text_or_empty(e, "code");
                o.error = o.error_code + ": " + decode_html_entities(text_or_empty(e, "message"));
                if (e.contains("data") && e["data"].is_object() && e["data"].contains("resource_id") &&
                    e["data"]["resource_id"].is_number_integer())
                    o.resource_id = e["data"]["resource_id"].get<std::int64_t>();
                continue;
            }
            o.ok = item.contains("id") && item["id"].is_number_integer() && item["id"].get<std::int64_t>() > 0;
            if (!o.ok) {
                o.error = "the store's answer has no id for this item";
                continue;
            }
            o.woo_id = item["id"].get<std::int64_t>();
            o.object = item;
        }
    };
    read("create", 0, creates);
    read("update", creates, updates);
    return out;
}

bool is_duplicate_sku_error(const std::string& code) {
    return code == "product_invalid_sku" || code == "woocommerce_rest_product_not_created";
}

std::string generated_sku(std::int64_t connection_id, std::int64_t woo_id) {
    return "woo-" + std::to_string(connection_id) + "-" + std::to_string(woo_id);
}

const std::vector<std::string>& identity_fields() {
    static const std::vector<std::string> fields = {
        "name", "sku", "type", "status", "description", "short_description", "regular_price", "sale_price",
        "stock_quantity", "manage_stock", "stock_status", "weight", "dimensions", "categories", "tags", "images",
        "attributes", "meta_data"};
    return fields;
}

Json local_from_store(const Json& p, const ImportSpec& spec, bool is_variation) {
    Json l = Json::object();
    const std::int64_t woo_id = p.value("id", static_cast<std::int64_t>(0));
    const std::string sku = text_or_empty(p, "sku");
    l["sku"] = sku.empty() ? generated_sku(spec.connection_id, woo_id) : sku;
    l["name"] = decode_html_entities(text_or_empty(p, "name"));
    const std::string type = text_or_empty(p, "type");
    l["type"] = is_variation ? std::string("variation")
                             : (in_list(type, {"simple", "grouped", "external", "variable"}) ? type : std::string("simple"));
    const std::string status = text_or_empty(p, "status");
    l["status"] = in_list(status, {"draft", "pending", "private", "publish", "future"}) ? status : std::string("publish");
    l["description"] = p.contains("description") && p["description"].is_string() ? p["description"] : Json();
    l["short_description"] =
        p.contains("short_description") && p["short_description"].is_string() ? p["short_description"] : Json();
    l["regular_price"] = decimal_or_null(p.value("regular_price", Json()));
    l["sale_price"] = decimal_or_null(p.value("sale_price", Json()));
    l["manage_stock"] = p.contains("manage_stock") && p["manage_stock"].is_boolean() && p["manage_stock"].get<bool>();
    l["stock_quantity"] = p.contains("stock_quantity") && p["stock_quantity"].is_number()
                              ? Json(static_cast<std::int64_t>(p["stock_quantity"].get<double>()))
                              : Json();
    const std::string stock_status = text_or_empty(p, "stock_status");
    l["stock_status"] = in_list(stock_status, {"instock", "outofstock", "onbackorder"}) ? stock_status : std::string("instock");
    l["weight"] = decimal_or_null(p.value("weight", Json()));
    const Json dims = canonical_dimensions(p.value("dimensions", Json()));
    bool any_dim = false;
    for (auto it = dims.begin(); it != dims.end(); ++it) any_dim = any_dim || !it.value().get<std::string>().empty();
    l["dimensions"] = any_dim ? dims : Json();
    Json cats = Json::array(), tags = Json::array(), images = Json::array();
    for (const auto& s : string_items(p.value("categories", Json()), true)) cats.push_back(s);
    for (const auto& s : string_items(p.value("tags", Json()), true)) tags.push_back(s);
    if (is_variation) {
        if (p.contains("image") && p["image"].is_object() && p["image"].contains("src"))
            images.push_back(p["image"]["src"]);
    } else {
        for (const auto& s : string_items(p.value("images", Json()), false)) images.push_back(s);
    }
    l["categories"] = cats;
    l["tags"] = tags;
    l["images"] = images;
    // Attributes: a mapping by name or by global slug; otherwise the
    // attribute's own name.
    Json attrs = Json::object();
    if (p.contains("attributes") && p["attributes"].is_array()) {
        for (const auto& a : p["attributes"]) {
            if (!a.is_object()) continue;
            const std::string name = decode_html_entities(text_or_empty(a, "name"));
            const std::string slug = text_or_empty(a, "slug");
            std::string key = name;
            if (spec.attribute_mappings.contains(name) && spec.attribute_mappings[name].is_string())
                key = spec.attribute_mappings[name].get<std::string>();
            else if (!slug.empty() && spec.attribute_mappings.contains(slug) && spec.attribute_mappings[slug].is_string())
                key = spec.attribute_mappings[slug].get<std::string>();
            if (key.empty()) continue;
            Json values = Json::array();
            if (is_variation) {
                const std::string option = decode_html_entities(text_or_empty(a, "option"));
                if (!option.empty()) values.push_back(option);  // empty = "any"
            } else {
                for (const auto& s : string_items(a.value("options", Json()), true)) values.push_back(s);
            }
            attrs[key] = values;
        }
    }
    l["attributes"] = attrs;
    Json meta = Json::object();
    if (p.contains("meta_data") && p["meta_data"].is_array())
        for (const auto& m : p["meta_data"])
            if (m.is_object() && m.contains("key")) meta[scalar_text(m["key"])] = m.value("value", Json());
    l["meta_data"] = meta;
    // Field mappings: WooCommerce field -> local column, last so they win.
    if (spec.field_mappings.is_object())
        for (auto it = spec.field_mappings.begin(); it != spec.field_mappings.end(); ++it) {
            if (!it.value().is_string()) continue;
            const std::string column = it.value().get<std::string>();
            const LocalType t = local_type(column);
            if (t == LocalType::Unknown) continue;
            Json v = convert_for_local(p.value(it.key(), Json()), t, it.key());
            if (column == "sku" && (v.is_null() || (v.is_string() && v.get<std::string>().empty())))
                v = generated_sku(spec.connection_id, woo_id);
            l[column] = v;
        }
    fit_local_checks(l);
    return l;
}

Json exchanged_after_import(const Json& local, const Json& store_object, bool is_variation) {
    static const Json types = {{"name", "string"}, {"sku", "string"}, {"type", "string"}, {"status", "string"},
                               {"description", "string"}, {"short_description", "string"},
                               {"stock_quantity", "integer"}, {"manage_stock", "boolean"}, {"stock_status", "string"}};
    const ExportSpec spec = make_export_spec(identity_fields(), Json::object(), types);
    Json out = canonical_export_values(local, spec, is_variation);
    const Json sent = out.contains("images") ? out["images"] : (local.contains("images") ? local["images"] : Json::array());
    out["_image_ids"] = image_ids_after_write(Json::object(), sent, store_object, is_variation);
    if (store_object.contains("date_modified_gmt")) out["date_modified_gmt"] = store_object["date_modified_gmt"];
    return out;
}

}  // namespace wcfdw::sync
