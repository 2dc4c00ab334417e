#include "product_writer.hpp"

#include <algorithm>
#include <cctype>
#include <variant>

#include "item_fields.hpp"
#include "product_facts.hpp"
#include "wp_error.hpp"
#include "wp_text.hpp"

namespace benchstore {
namespace {

const char* const kImageExtensions[] = {"jpg", "jpeg", "jpe", "gif", "png", "bmp", "tiff", "tif", "ico", "webp"};

bool has(const ItemFields& data, const char* key) { return data.contains(key); }

const char* const kProductTypes[] = {"simple", "grouped", "external", "variable"};
const char* const kCatalogVisibility[] = {"visible", "catalog", "search", "hidden"};
const char* const kTaxStatuses[] = {"taxable", "shipping", "none"};
const char* const kStockStatuses[] = {"instock", "outofstock", "onbackorder"};

template <typename List>
bool one_of(const std::string& value, const List& list) {
    return std::find(std::begin(list), std::end(list), value) != std::end(list);
}

// _date_in(): (present, the UTC instant or nothing).
std::pair<bool, std::optional<Time>> date_in(const Catalog& c, const ItemFields& data, const std::string& key) {
    auto parse = [](const Json& raw) -> std::optional<std::pair<Time, std::optional<int>>> {
        std::optional<int> offset;
        if (raw.is_string()) {
            if (auto t = parse_rest_time(raw.get<std::string>(), &offset)) return std::make_pair(*t, offset);
        }
        const std::string day = py_text(raw).substr(0, 10) + "T00:00:00";
        if (auto t = parse_rest_time(day, &offset)) return std::make_pair(*t, offset);
        return std::nullopt;
    };
    for (const bool gmt : {true, false}) {
        const std::string k = gmt ? key + "_gmt" : key;
        if (!data.contains(k)) continue;
        const Json& raw = data[k];
        if (raw.is_null() || raw == Json("")) return {true, std::nullopt};
        const auto parsed = parse(raw);
        if (!parsed) return {true, std::nullopt};
        const auto [t, offset] = *parsed;
        if (offset) return {true, t - *offset};
        return {true, gmt ? t : c.timezone.to_utc(t)};
    }
    return {false, std::nullopt};
}

// WC_Data::update_meta_data(key, value, id) for each item: an id matching
// one of the object's meta (an integer, strictly) updates it; without an id
// the first meta of the key takes the value and the others of the key go;
// an id matching none removes every meta of the key and adds a new one; a
// null value deletes.
void apply_meta(Catalog& c, Post& p, const Json& items) {
    if (!items.is_array()) return;
    for (const auto& item : items) {
        if (!item.is_object() || !item.contains("key")) continue;
        const std::string key = py_text(item["key"]);
        const Json value = item.value("value", Json());
        const Json mid = item.value("id", Json());
        auto& meta = p.meta_data;
        std::optional<std::int64_t> target;  // the id of the meta to update
        if (truthy(mid)) {
            for (const auto& m : meta)
                if (mid.is_number_integer() && m.id == mid.get<std::int64_t>()) target = m.id;
            if (!target)
                meta.erase(std::remove_if(meta.begin(), meta.end(), [&](const Meta& m) { return m.key == key; }), meta.end());
        } else {
            for (const auto& m : meta)
                if (!target && m.key == key) target = m.id;
            meta.erase(std::remove_if(meta.begin(), meta.end(),
                                      [&](const Meta& m) { return m.key == key && (!target || m.id != *target); }),
                       meta.end());
        }
        auto found = std::find_if(meta.begin(), meta.end(), [&](const Meta& m) { return target && m.id == *target; });
        if (value.is_null()) {
            if (found != meta.end()) meta.erase(found);
            continue;
        }
        if (found != meta.end()) {
            found->key = key;
            found->value = value;
        } else {
            meta.push_back({c.new_meta_id(), key, value});
        }
    }
}

// Images named by a write: existing media ids, or sources to sideload at commit.
struct NewImage {
    std::string src;
    Json name, alt;
};
using ImageRef = std::variant<std::int64_t, NewImage>;
struct MediaUpdate {
    std::int64_t id;
    Json alt, name;
};

NewImage checked_upload(const std::string& src, const Json& name, const Json& alt) {
    auto lower = ascii_lower(src);
    const bool http = lower.rfind("http://", 0) == 0 || lower.rfind("https://", 0) == 0;
    const std::size_t host_start = http ? lower.find("//") + 2 : 0;
    const std::size_t host_end = http ? src.find_first_of("/:? \t\r\n", host_start) : 0;
    const std::string host = http ? lower.substr(host_start, host_end == std::string::npos ? std::string::npos : host_end - host_start) : "";
    if (!http || host.empty())
        throw WpError("woocommerce_product_image_upload_error",
                      "Error getting remote image " + src + ". Error: A valid URL was not provided.", 400);
    const std::string path = src.substr(0, src.find('?'));
    if ((host.size() >= 8 && host.compare(host.size() - 8, 8, ".invalid") == 0) || path.find("/404") != std::string::npos)
        throw WpError("woocommerce_product_image_upload_error", "Error getting remote image " + src + ". Error: Not Found",
                      400);
    const std::string file = path.substr(path.rfind('/') + 1);
    const std::string ext = file.find('.') != std::string::npos ? ascii_lower(path.substr(path.rfind('.') + 1)) : "";
    if (std::find(std::begin(kImageExtensions), std::end(kImageExtensions), ext) == std::end(kImageExtensions))
        throw WpError("woocommerce_product_image_upload_error", "Invalid image: Invalid image type.", 400);
    return {src, name, alt};
}

std::vector<ImageRef> images_of(const Catalog& c, const Json& items, std::vector<MediaUpdate>& updates) {
    std::vector<ImageRef> refs;
    if (!items.is_array()) return refs;
    for (const auto& img : items) {
        if (!img.is_object()) continue;
        const std::int64_t id = php_int(img.value("id", Json()));
        if (id) {
            if (!c.media.count(id))
                throw WpError("woocommerce_product_invalid_image_id", "#" + std::to_string(id) + " is an invalid image ID.",
                              400);
            if (img.contains("alt") || img.contains("name")) updates.push_back({id, img.value("alt", Json()), img.value("name", Json())});
            refs.emplace_back(id);
        } else if (img.contains("src") && !img["src"].is_null() && img["src"] != Json("")) {
            refs.emplace_back(checked_upload(img["src"].is_string() ? img["src"].get<std::string>() : "",
                                             img.value("name", Json()), img.value("alt", Json())));
        }
    }
    return refs;
}

std::int64_t add_media(Catalog& c, const NewImage& img, Time now) {
    Media m;
    m.id = c.new_post_id();
    m.src = img.src;
    std::string file = img.src.substr(0, img.src.find('?'));
    while (!file.empty() && file.back() == '/') file.pop_back();
    file = file.substr(file.rfind('/') + 1);
    const std::string base = file.find('.') != std::string::npos ? file.substr(0, file.rfind('.')) : file;
    m.name = truthy(img.name) ? py_text(img.name) : base;
    m.alt = truthy(img.alt) ? py_text(img.alt) : "";
    m.date_created = m.date_modified = now;
    c.media[m.id] = m;
    return m.id;
}

std::vector<std::int64_t> commit_media(Catalog& c, const std::vector<ImageRef>& refs,
                                       const std::vector<MediaUpdate>& updates, Time now) {
    std::vector<std::int64_t> ids;
    for (const auto& r : refs)
        ids.push_back(std::holds_alternative<std::int64_t>(r) ? std::get<std::int64_t>(r)
                                                              : add_media(c, std::get<NewImage>(r), now));
    for (const auto& u : updates) {
        Media& m = c.media[u.id];
        if (!u.alt.is_null()) m.alt = py_text(u.alt);
        if (truthy(u.name)) m.name = py_text(u.name);
    }
    return ids;
}

void check_sku(Catalog& c, const std::string& sku, std::int64_t own_id) {
    if (sku.empty()) return;
    const auto owner = c.sku_owner(sku);
    if (!owner || *owner == own_id) return;
    Post scratch;
    const Post* p = c.post(*owner, scratch);
    if (!p || p->status == "trash") return;
    throw WpError("product_invalid_sku", "Invalid or duplicated SKU.", 400,
                  Json{{"resource_id", *owner}, {"unique_sku", c.unique_sku_suggestion(sku)}});
}

void check_gtin(const Catalog& c, const std::string& gtin, std::int64_t own_id) {
    if (gtin.empty()) return;
    Post scratch;
    std::optional<std::int64_t> holder;
    c.for_each_post_id([&](std::int64_t id) {
        if (holder || id == own_id) return;
        const Post* p = c.post(id, scratch);
        if (p->global_unique_id == gtin && p->status != "trash") holder = id;
    });
    if (holder)
        throw WpError("product_invalid_global_unique_id", "Invalid or duplicated GTIN, UPC, EAN or ISBN.", 400,
                      Json{{"resource_id", *holder}});
}

std::vector<std::string> option_texts(const Json& a) {
    Json opts = a.value("options", Json());
    if (opts.is_null() && a.contains("option")) opts = Json::array({a["option"]});
    std::vector<std::string> raw;
    if (opts.is_string()) {
        const std::string s = opts.get<std::string>();
        std::size_t start = 0;
        for (std::size_t bar; (bar = s.find('|', start)) != std::string::npos; start = bar + 1)
            raw.push_back(strip(s.substr(start, bar - start)));
        raw.push_back(strip(s.substr(start)));
    } else if (opts.is_array()) {
        for (const auto& o : opts) raw.push_back(py_text(o));
    }
    std::vector<std::string> out;
    for (auto& o : raw)
        if (!strip(o).empty()) out.push_back(o);
    return out;
}

std::vector<PostAttribute> product_attributes(Catalog& c, const Json& items) {
    std::vector<PostAttribute> out;
    if (!items.is_array()) return out;
    for (const auto& a : items) {
        if (!a.is_object()) continue;
        std::int64_t aid = php_int(a.value("id", Json()));
        const std::string name = truthy(a.value("name", Json())) ? py_text(a["name"]) : "";
        if (!aid && !name.empty())
            for (const auto& [id, attr] : c.attributes)
                if (attr.slug == name || attr.slug == "pa_" + sanitize_title(name)) {
                    aid = id;
                    break;
                }
        if (!aid && name.empty()) continue;
        PostAttribute pa;
        pa.position = py_int(a.value("position", Json(0)));
        pa.visible = to_bool(a.value("visible", Json(false)));
        pa.variation = to_bool(a.value("variation", Json(false)));
        const auto opts = option_texts(a);
        if (aid) {
            auto it = c.attributes.find(aid);
            if (it == c.attributes.end() || opts.empty()) continue;
            const std::string taxonomy = it->second.slug;
            pa.id = aid;
            for (const auto& o : opts) {
                const Term* t = c.term_by_name(taxonomy, o);
                if (!t) t = c.term_by_slug(taxonomy, sanitize_title(o));
                const std::int64_t tid = t ? t->id : c.add_term(taxonomy, o, "").id;
                if (std::find(pa.term_options.begin(), pa.term_options.end(), tid) == pa.term_options.end())
                    pa.term_options.push_back(tid);
            }
            out.push_back(pa);
        } else if (!opts.empty()) {
            pa.name = wc_clean(name);
            for (const auto& o : opts) pa.text_options.push_back(kses_normalize(o));
            out.push_back(pa);
        }
    }
    return out;
}

std::vector<DefaultAttribute> default_attributes(const Catalog& c, const Json& items) {
    std::vector<DefaultAttribute> out;
    if (!items.is_array()) return out;
    for (const auto& a : items) {
        if (!a.is_object()) continue;
        const std::int64_t aid = php_int(a.value("id", Json()));
        const Json opt = a.value("option", Json());
        if (opt.is_null() || opt == Json("")) continue;
        if (aid) {
            auto it = c.attributes.find(aid);
            if (it == c.attributes.end()) continue;
            const Term* t = c.term_by_name(it->second.slug, py_text(opt));
            out.push_back({aid, it->second.name, t ? t->slug : sanitize_title(py_text(opt))});
        } else if (truthy(a.value("name", Json()))) {
            out.push_back({0, wc_clean(py_text(a["name"])), py_text(opt)});
        }
    }
    return out;
}

// The stock block of prepare_object_for_database() and validate_props():
// grouped and external products never manage stock (external ones are always
// in stock); without managed stock the quantity, backorders and low-stock
// amount are cleared and the status is taken as sent; with it the quantity
// wins over inventory_delta and the status follows quantity and backorders.
void stock_fields(const Catalog& c, Post& p, const ItemFields& data) {
    std::string stock_status = has(data, "stock_status") ? py_text(data["stock_status"]) : p.stock_status;
    if (!one_of(stock_status, kStockStatuses)) stock_status = "instock";  // WC_Product::set_stock_status()
    if (has(data, "manage_stock")) p.manage_stock = php_bool(data["manage_stock"]);
    if (has(data, "backorders")) p.backorders = as_text(data["backorders"]);
    if (!p.is_variation && (p.type == "grouped" || p.type == "external")) {
        p.manage_stock = false;
        p.backorders = "no";
        p.stock_quantity.reset();
        p.stock_status = p.type == "external" ? "instock" : stock_status;
        p.low_stock_amount.reset();
        return;
    }
    if (p.manage_stock) {
        if (has(data, "stock_quantity")) p.stock_quantity = php_int(data["stock_quantity"]);
        else if (has(data, "inventory_delta"))
            p.stock_quantity = p.stock_quantity.value_or(0) + php_int(data["inventory_delta"]);
        if (has(data, "low_stock_amount")) {
            const Json& v = data["low_stock_amount"];
            p.low_stock_amount = v.is_null() || v == Json("") ? std::nullopt : std::optional<std::int64_t>(php_int(v));
        }
        if (!p.stock_quantity) p.stock_quantity = 0;
        p.stock_status = ProductFacts(c, 0).derived_stock_status(p);
    } else {
        p.stock_quantity.reset();
        p.backorders = "no";
        p.low_stock_amount.reset();
        p.stock_status = stock_status;
    }
}

// Downloads, their limit and expiry: read for a downloadable product only.
void downloads(Post& p, const ItemFields& data) {
    if (data.contains("downloads") && data["downloads"].is_array()) {
        const Json& items = data["downloads"];
        p.downloads.clear();
        for (std::size_t i = 0; i < items.size(); ++i) {
            const Json& d = items[i];
            if (!d.is_object() || !truthy(d.value("file", Json()))) continue;
            const std::string file = py_text(d["file"]);
            char id[64];
            std::snprintf(id, sizeof id, "%08llx-0000-4000-8000-%012zu", static_cast<unsigned long long>(p.id), i);
            p.downloads.push_back({truthy(d.value("id", Json())) ? py_text(d["id"]) : id,
                                   truthy(d.value("name", Json())) ? py_text(d["name"]) : file.substr(file.rfind('/') + 1),
                                   file});
        }
    }
    if (has(data, "download_limit")) p.download_limit = php_int(data["download_limit"]);
    if (has(data, "download_expiry")) p.download_expiry = php_int(data["download_expiry"]);
}

// _common_fields(): what products and variations share.
void common_fields(Catalog& c, Post& p, const ItemFields& data, bool is_variation) {
    if (has(data, "sku")) {
        const std::string sku = wc_clean(as_text(data["sku"]));
        check_sku(c, sku, p.id);
        p.sku = sku;
    }
    if (has(data, "global_unique_id")) {
        const std::string g = wc_clean(as_text(data["global_unique_id"]));
        check_gtin(c, g, p.id);
        p.global_unique_id = g;
    }
    if (has(data, "status")) p.status = as_text(data["status"]);
    if (has(data, "description")) p.description = kses_normalize(as_text(data["description"]));
    if (has(data, "regular_price")) p.regular_price = wc_format_decimal(data["regular_price"]);
    if (has(data, "sale_price")) p.sale_price = wc_format_decimal(data["sale_price"]);
    for (const char* k : {"date_on_sale_from", "date_on_sale_to"}) {
        const auto [present, value] = date_in(c, data, k);
        if (present) (std::string(k) == "date_on_sale_from" ? p.date_on_sale_from : p.date_on_sale_to) = value;
    }
    if (has(data, "virtual")) p.is_virtual = php_bool(data["virtual"]);
    if (has(data, "downloadable")) p.downloadable = php_bool(data["downloadable"]);
    if (p.downloadable) downloads(p, data);
    if (has(data, "tax_status")) {
        const Json& v = data["tax_status"];
        if (truthy(v) && !(v.is_string() && one_of(v.get<std::string>(), kTaxStatuses)))
            throw WpError("product_invalid_tax_status", "Invalid product tax status.", 400);
        p.tax_status = py_text(v);
    }
    if (has(data, "tax_class")) {
        const std::string tc = sanitize_title(as_text(data["tax_class"]));
        p.tax_class = tc == "" || tc == "reduced-rate" || tc == "zero-rate" || tc == "parent" ? tc : "";
    }
    stock_fields(c, p, data);
    if (has(data, "weight")) p.weight = data["weight"] == Json("") ? "" : wc_format_decimal(data["weight"]);
    if (has(data, "dimensions") && data["dimensions"].is_object()) {
        const Json& d = data["dimensions"];
        for (auto [k, field] : {std::pair<const char*, std::string*>{"length", &p.length}, {"width", &p.width}, {"height", &p.height}})
            if (d.contains(k) && !d[k].is_null()) *field = d[k] == Json("") ? "" : wc_format_decimal(d[k]);
    }
    if (has(data, "shipping_class")) {
        // get_shipping_class_id_by_slug(): an unknown slug sets no class
        const Term* t = c.term_by_slug("product_shipping_class", wc_clean(as_text(data["shipping_class"])));
        p.shipping_class_id = t ? t->id : 0;
    }
    if (has(data, "menu_order") && !(is_variation && !truthy(data["menu_order"]))) p.menu_order = php_int(data["menu_order"]);
    if (has(data, "meta_data")) apply_meta(c, p, data["meta_data"]);
}

std::vector<std::int64_t> positive_ids(const Json& items) {
    std::vector<std::int64_t> ids;
    for (const auto& x : items)
        if (php_int(x) > 0) ids.push_back(php_int(x));
    return ids;
}

void categories_tags_brands(Catalog& c, Post& p, const ItemFields& data) {
    auto list = [&](const char* k) { return data.contains(k) && data[k].is_array(); };
    auto term_of = [&](const Json& item, const char* taxonomy) -> std::int64_t {
        if (!item.is_object() || !truthy(item.value("id", Json()))) return 0;
        auto t = c.terms.find(py_int(item["id"]));
        return t != c.terms.end() && t->second.taxonomy == taxonomy ? t->first : 0;
    };
    auto add = [](std::vector<std::int64_t>& ids, std::int64_t id) {
        if (id && std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    };
    if (list("categories")) {
        p.categories.clear();
        for (const auto& cat : data["categories"]) add(p.categories, term_of(cat, "product_cat"));
    }
    if (list("tags")) {
        p.tags.clear();
        for (const auto& tag : data["tags"]) {
            if (!tag.is_object()) continue;
            if (truthy(tag.value("id", Json()))) {
                add(p.tags, term_of(tag, "product_tag"));
            } else if (truthy(tag.value("name", Json()))) {
                const Term* t = c.term_by_name("product_tag", py_text(tag["name"]));
                add(p.tags, t ? t->id : c.add_term("product_tag", py_text(tag["name"]), "").id);
            }
        }
    }
    if (list("brands")) {
        p.brands.clear();
        for (const auto& b : data["brands"]) add(p.brands, b.is_object() ? term_of(b, "product_brand") : 0);
    }
    if (p.categories.empty()) p.categories = {kUncategorizedId};
}

// The fields only products have, before the common ones (write_product()).
void product_only_fields(Catalog& c, Post& p, const ItemFields& data) {
    if (data.contains("type") && truthy(data["type"]))  // WC_Product_Factory: an unknown type makes a simple product
        p.type = data["type"].is_string() && one_of(data["type"].get<std::string>(), kProductTypes) ? data["type"].get<std::string>()
                                                                                                 : "simple";
    if (has(data, "name")) p.name = kses_normalize(as_text(data["name"]));
    if (has(data, "featured")) p.featured = php_bool(data["featured"]);
    if (has(data, "sold_individually")) p.sold_individually = php_bool(data["sold_individually"]);
    if (has(data, "reviews_allowed")) p.reviews_allowed = php_bool(data["reviews_allowed"]);
    if (has(data, "catalog_visibility")) {
        const Json& v = data["catalog_visibility"];
        if (!(v.is_string() && one_of(v.get<std::string>(), kCatalogVisibility)))
            throw WpError("product_invalid_catalog_visibility", "Invalid catalog visibility option.", 400);
        p.catalog_visibility = v.get<std::string>();
    }
    if (has(data, "short_description")) p.short_description = kses_normalize(as_text(data["short_description"]));
    if (has(data, "purchase_note")) p.purchase_note = kses_normalize(as_text(data["purchase_note"]));
    if (has(data, "post_password")) p.post_password = as_text(data["post_password"]);
    if (has(data, "parent_id")) p.parent_id = php_int(data["parent_id"]);
    if (data.contains("upsell_ids") && data["upsell_ids"].is_array()) p.upsell_ids = positive_ids(data["upsell_ids"]);
    if (data.contains("cross_sell_ids") && data["cross_sell_ids"].is_array())
        p.cross_sell_ids = positive_ids(data["cross_sell_ids"]);
    if (p.type == "grouped" && data.contains("grouped_products") && data["grouped_products"].is_array()) {
        p.grouped_products.clear();
        for (const auto& x : data["grouped_products"]) {  // wp_parse_id_list(): absint, unique
            const std::int64_t id = std::llabs(php_int(x));
            if (id && std::find(p.grouped_products.begin(), p.grouped_products.end(), id) == p.grouped_products.end())
                p.grouped_products.push_back(id);
        }
    }
    if (p.type == "external") {
        if (has(data, "external_url")) p.external_url = as_text(data["external_url"]);
        if (has(data, "button_text")) p.button_text = as_text(data["button_text"]);
    }
    const auto [present, created] = date_in(c, data, "date_created");
    if (present && created) p.date_created = *created;
}

// wp_insert_post(): a draft or pending post without a slug keeps none (and
// its slug is not made unique); others get sanitize_title(name), unique.
std::string post_name(Catalog& c, const Post& p) {
    if (p.status == "draft" || p.status == "pending" || p.status == "auto-draft") return p.slug;
    std::string base = p.slug.empty() ? sanitize_title(p.name) : p.slug;
    if (base.empty()) base = std::to_string(p.id);
    return c.unique_post_slug(base, p.id, false);
}

}  // namespace

bool truthy(const Json& v) {
    if (v.is_null()) return false;
    if (v.is_boolean()) return v.get<bool>();
    if (v.is_number_integer()) return v.get<std::int64_t>() != 0;
    if (v.is_number()) return v.get<double>() != 0;
    if (v.is_string()) return !v.get_ref<const std::string&>().empty();
    return !v.empty();
}

std::int64_t py_int(const Json& v) {
    if (v.is_boolean()) return v.get<bool>() ? 1 : 0;
    if (v.is_number_integer()) return v.get<std::int64_t>();
    if (v.is_number()) return static_cast<std::int64_t>(v.get<double>());
    if (v.is_string()) {
        const std::string s = strip(v.get<std::string>());
        std::size_t used = 0;
        const long long n = std::stoll(s, &used);
        if (used != s.size()) throw WpError("rest_invalid_param", "invalid literal for int(): " + s, 400);
        return n;
    }
    throw WpError("rest_invalid_param", "int() of " + v.dump(), 400);
}

bool php_bool(const Json& v) {
    if (v.is_boolean()) return v.get<bool>();
    if (v.is_number()) return v.get<double>() == 1;
    if (v.is_string()) {
        const std::string s = ascii_lower(strip(v.get<std::string>()));
        return s == "yes" || s == "true" || s == "1";
    }
    return false;
}

std::int64_t php_int(const Json& v) {
    if (v.is_boolean()) return v.get<bool>() ? 1 : 0;
    if (v.is_number_integer()) return v.get<std::int64_t>();
    if (v.is_number()) return static_cast<std::int64_t>(v.get<double>());
    if (!v.is_string()) return 0;
    // a numeric prefix counts ("12.7" -> 12, "abc" -> 0)
    const std::string& s = v.get_ref<const std::string&>();
    std::size_t i = 0;
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    std::size_t j = i;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
    const std::size_t digits = j;
    while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
    if (j == digits) return 0;
    if (j < s.size() && s[j] == '.') {
        ++j;
        while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
    }
    return static_cast<std::int64_t>(std::stod(s.substr(i, j - i)));
}

std::string as_text(const Json& v) {
    if (v.is_boolean()) return v.get<bool>() ? "1" : "";
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number()) return v.dump();
    return "";
}

std::string py_text(const Json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "True" : "False";
    if (v.is_null()) return "None";
    return v.dump();
}

Post write_product(Catalog& c, const Post* existing, const ItemFields& data, Time now) {
    const bool creating = existing == nullptr;
    Post p = creating ? blank_post(0, false, now) : *existing;
    const std::string old_sku = p.sku;
    product_only_fields(c, p, data);
    common_fields(c, p, data, false);
    if (p.type == "variable" || p.type == "grouped") {
        p.regular_price = p.sale_price = "";
        p.date_on_sale_from = p.date_on_sale_to = std::nullopt;
    }
    categories_tags_brands(c, p, data);
    std::vector<MediaUpdate> media_updates;
    std::optional<std::vector<ImageRef>> images;
    if (has(data, "images")) images = images_of(c, data["images"], media_updates);
    if (has(data, "attributes")) p.attributes = product_attributes(c, data["attributes"]);
    if (has(data, "default_attributes") && p.type == "variable")
        p.default_attributes = default_attributes(c, data["default_attributes"]);
    if (has(data, "slug") && truthy(data["slug"])) p.slug = sanitize_title(as_text(data["slug"]));
    // commit
    if (creating) p.id = c.new_post_id();
    if (images) p.images = commit_media(c, *images, media_updates, now);
    p.slug = post_name(c, p);
    if (!creating) p.date_modified = now;
    if (p.type != "variable" && creating) p.children.clear();
    c.put_post(p);
    c.reindex_sku(p, old_sku);
    c.touch();
    return p;
}

}  // namespace benchstore

namespace benchstore {
namespace {

std::vector<PostAttribute> variation_attributes(Catalog& c, const Post& parent, const Json& items) {
    std::vector<PostAttribute> out;
    if (!items.is_array()) return out;
    for (const auto& a : items) {
        if (!a.is_object()) continue;
        const std::int64_t aid = php_int(a.value("id", Json()));
        const Json raw = a.value("option", Json());
        const std::string opt = raw.is_null() ? "" : strip(py_text(raw));
        // without an id the name is matched as sanitize_title(name) against the
        // parent's attribute keys: a local attribute's sanitized name, a global
        // one's taxonomy (pa_color); a global attribute's label matches nothing
        const bool named = truthy(a.value("name", Json()));
        const std::string name = named ? sanitize_title(as_text(a["name"])) : "";
        auto chosen = [&](const Attribute& attr) {
            const Term* t = opt.empty() ? nullptr : c.term_by_name(attr.slug, opt);
            PostAttribute pa;
            pa.id = attr.id;
            pa.name = attr.slug;
            pa.option = t ? t->slug : (opt.empty() ? "" : sanitize_title(opt));
            return pa;
        };
        for (const auto& pa : parent.attributes) {
            if (!pa.variation) continue;
            if (aid && pa.id == aid) {
                out.push_back(chosen(c.attributes.at(aid)));
                break;
            }
            if (!aid && !pa.id && named && sanitize_title(pa.name) == name) {
                PostAttribute local;
                local.name = pa.name;
                local.option = opt;
                out.push_back(local);
                break;
            }
            if (!aid && pa.id && named) {
                const Attribute& attr = c.attributes.at(pa.id);
                if (name == attr.slug) {
                    PostAttribute global = chosen(attr);
                    out.push_back(global);
                    break;
                }
            }
        }
    }
    return out;
}

}  // namespace

Post write_variation(Catalog& c, std::int64_t parent_id, const Post* existing, const ItemFields& input, Time now) {
    Post parent_scratch;
    Post parent = *c.post(parent_id, parent_scratch);
    const bool creating = existing == nullptr;
    Post v = existing ? *existing : blank_post(0, true, now);
    if (creating) {
        v.parent_id = parent.id;
        v.name = parent.name;
    }
    const std::string old_sku = v.sku;
    ItemFields data = input;
    if (data.contains("status")) {  // no such post status: draft (variations controller)
        const Json& st = data["status"];
        static const char* const statuses[] = {"draft", "pending", "private", "publish", "future", "trash"};
        if (!(st.is_string() && one_of(st.get<std::string>(), statuses))) data.set("status", "draft");
    }
    common_fields(c, v, data, true);
    std::vector<MediaUpdate> media_updates;
    std::optional<std::vector<ImageRef>> image;
    if (data.contains("image")) {
        const Json& img = data["image"];
        if (img.is_object() && (truthy(img.value("id", Json())) || truthy(img.value("src", Json()))))
            image = images_of(c, Json::array({img}), media_updates);
        else
            image = std::vector<ImageRef>{};
    }
    if (data.contains("attributes"))
        v.attributes = variation_attributes(c, parent, data["attributes"].is_array() ? data["attributes"] : Json::array());
    if (creating) {
        v.id = c.new_post_id();
        v.slug = parent.slug + "-" + std::to_string(parent.children.size() + 1);
    }
    if (image) {
        const auto ids = commit_media(c, *image, media_updates, now);
        v.image = ids.empty() ? std::nullopt : std::optional<std::int64_t>(ids[0]);
    }
    if (!creating) v.date_modified = now;
    c.put_post(v);
    c.reindex_sku(v, old_sku);
    if (creating) parent.children.push_back(v.id);
    parent.date_modified = now;  // real/41: a variation edit bumps the parent
    c.put_post(parent);
    c.touch();
    return v;
}

void delete_post_forced(Catalog& c, const Post& p) {
    for (auto child : p.children) {
        Post scratch;
        if (const Post* kid = c.post(child, scratch)) {
            const std::string sku = kid->sku;
            c.remove_post(child);
            c.forget_sku(sku, child);
        }
    }
    c.remove_post(p.id);
    c.forget_sku(p.sku, p.id);
    if (p.is_variation) {
        Post scratch;
        if (const Post* parent = c.post(p.parent_id, scratch)) {
            Post updated = *parent;
            auto it = std::find(updated.children.begin(), updated.children.end(), p.id);
            if (it != updated.children.end()) {
                updated.children.erase(it);
                c.put_post(updated);
            }
        }
    }
    c.touch();
}

Post trash_post(Catalog& c, const Post& p) {
    Post trashed = p;
    const Time now = c.now();
    // wp_trash_post(): the status it had and the time are kept as meta
    for (const auto& [key, value] : {std::pair<std::string, std::string>{"_wp_trash_meta_status", p.status},
                                     {"_wp_trash_meta_time", std::to_string(now)}}) {
        auto m = std::find_if(trashed.meta_data.begin(), trashed.meta_data.end(), [&](const Meta& x) { return x.key == key; });
        if (m == trashed.meta_data.end()) trashed.meta_data.push_back({c.new_meta_id(), key, value});
        else m->value = value;
    }
    trashed.status = "trash";
    trashed.date_modified = now;
    c.put_post(trashed);
    c.reindex_sku(trashed, "");
    c.touch();
    return trashed;
}

}  // namespace benchstore
