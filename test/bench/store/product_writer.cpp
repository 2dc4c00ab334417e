#include "product_writer.hpp"

#include <algorithm>
#include <cctype>
#include <variant>

#include "product_facts.hpp"
#include "wp_error.hpp"
#include "wp_text.hpp"

namespace benchstore {
namespace {

const char* const kImageExtensions[] = {"jpg", "jpeg", "jpe", "gif", "png", "bmp", "tiff", "tif", "ico", "webp"};

bool has(const Json& data, const char* key) { return data.is_object() && data.contains(key); }

std::string text_or_empty(const Json& v) {
    if (v.is_null()) return "";
    return py_text(v);
}

// _date_in(): (present, the UTC instant or nothing).
std::pair<bool, std::optional<Time>> date_in(const Catalog& c, const Json& data, const std::string& key) {
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

void apply_meta(Catalog& c, Post& p, const Json& items) {
    if (!items.is_array()) return;
    for (const auto& item : items) {
        if (!item.is_object() || (!item.contains("key") && !item.contains("id"))) continue;
        const Json mid = item.value("id", Json());
        const Json key = item.value("key", Json());
        const Json value = item.value("value", Json());
        auto target = p.meta_data.end();
        if (truthy(mid)) {
            target = std::find_if(p.meta_data.begin(), p.meta_data.end(), [&](const Meta& m) { return m.id == py_int(mid); });
        } else if (!key.is_null()) {
            target = std::find_if(p.meta_data.begin(), p.meta_data.end(), [&](const Meta& m) { return m.key == py_text(key); });
        }
        if (value.is_null()) {
            if (target != p.meta_data.end()) p.meta_data.erase(target);
            continue;
        }
        if (target != p.meta_data.end()) {
            if (!key.is_null()) target->key = py_text(key);
            target->value = value;
        } else if (!key.is_null()) {
            p.meta_data.push_back({c.new_meta_id(), py_text(key), value});
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
        const std::int64_t id = py_int(img.value("id", Json(0)));
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
        std::int64_t aid = py_int(a.value("id", Json(0)));
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
        const std::int64_t aid = py_int(a.value("id", Json(0)));
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

void stock_fields(const Catalog& c, Post& p, const Json& data) {
    if (p.manage_stock) {
        if (has(data, "stock_quantity") && !data["stock_quantity"].is_null()) p.stock_quantity = py_int(data["stock_quantity"]);
        if (has(data, "inventory_delta")) p.stock_quantity = p.stock_quantity.value_or(0) + py_int(data["inventory_delta"]);
        if (has(data, "low_stock_amount")) {
            const Json& v = data["low_stock_amount"];
            p.low_stock_amount = v.is_null() || v == Json("") ? std::nullopt : std::optional<std::int64_t>(py_int(v));
        }
        if (!p.stock_quantity) p.stock_quantity = 0;
        p.stock_status = ProductFacts(c, 0).derived_stock_status(p);
    } else {
        p.stock_quantity.reset();
        if (!has(data, "low_stock_amount")) p.low_stock_amount.reset();
        if (has(data, "stock_status")) p.stock_status = text_or_empty(data["stock_status"]);
    }
}

void downloads(Post& p, const Json& items) {
    p.downloads.clear();
    if (!items.is_array()) return;
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

// _common_fields(): what products and variations share.
void common_fields(Catalog& c, Post& p, const Json& data, bool is_variation) {
    if (has(data, "sku")) {
        const std::string sku = wc_clean(text_or_empty(data["sku"]));
        check_sku(c, sku, p.id);
        p.sku = sku;
    }
    if (has(data, "global_unique_id")) {
        const std::string g = wc_clean(text_or_empty(data["global_unique_id"]));
        check_gtin(c, g, p.id);
        p.global_unique_id = g;
    }
    if (has(data, "status")) p.status = text_or_empty(data["status"]);
    if (has(data, "description")) p.description = kses_normalize(truthy(data["description"]) ? py_text(data["description"]) : "");
    if (has(data, "regular_price")) p.regular_price = wc_format_decimal(data["regular_price"]);
    if (has(data, "sale_price")) p.sale_price = wc_format_decimal(data["sale_price"]);
    for (const char* k : {"date_on_sale_from", "date_on_sale_to"}) {
        const auto [present, value] = date_in(c, data, k);
        if (present) (std::string(k) == "date_on_sale_from" ? p.date_on_sale_from : p.date_on_sale_to) = value;
    }
    if (has(data, "virtual")) p.is_virtual = truthy(data["virtual"]);
    if (has(data, "downloadable")) p.downloadable = truthy(data["downloadable"]);
    if (has(data, "manage_stock")) p.manage_stock = truthy(data["manage_stock"]);
    if (has(data, "downloads")) downloads(p, data["downloads"]);
    if (has(data, "download_limit")) p.download_limit = data["download_limit"].is_null() ? -1 : py_int(data["download_limit"]);
    if (has(data, "download_expiry")) p.download_expiry = data["download_expiry"].is_null() ? -1 : py_int(data["download_expiry"]);
    if (has(data, "tax_status")) p.tax_status = text_or_empty(data["tax_status"]);
    if (has(data, "tax_class")) {
        const std::string tc = sanitize_title(truthy(data["tax_class"]) ? py_text(data["tax_class"]) : "");
        p.tax_class = tc == "" || tc == "reduced-rate" || tc == "zero-rate" || tc == "parent" ? tc : "";
    }
    if (has(data, "backorders")) p.backorders = text_or_empty(data["backorders"]);
    stock_fields(c, p, data);
    if (has(data, "weight"))
        p.weight = data["weight"].is_null() || data["weight"] == Json("") ? "" : wc_format_decimal(data["weight"]);
    if (has(data, "dimensions") && data["dimensions"].is_object()) {
        const Json& d = data["dimensions"];
        for (auto [k, field] : {std::pair<const char*, std::string*>{"length", &p.length}, {"width", &p.width}, {"height", &p.height}})
            if (d.contains(k)) *field = d[k].is_null() || d[k] == Json("") ? "" : wc_format_decimal(d[k]);
    }
    if (has(data, "shipping_class"))
        p.shipping_class = sanitize_title(truthy(data["shipping_class"]) ? py_text(data["shipping_class"]) : "");
    if (has(data, "menu_order") && !(is_variation && !truthy(data["menu_order"])))
        p.menu_order = truthy(data["menu_order"]) ? py_int(data["menu_order"]) : 0;
    if (has(data, "meta_data")) apply_meta(c, p, data["meta_data"]);
}

std::vector<std::int64_t> product_ids(const Catalog& c, const Json& items, std::int64_t own_id) {
    std::vector<std::int64_t> ids;
    if (!items.is_array()) return ids;
    for (const auto& x : items) {
        if (!(x.is_number() || x.is_string())) continue;
        std::int64_t id = 0;
        try {
            id = py_int(x);
        } catch (...) {
            continue;
        }
        Post scratch;
        if (c.product(id, scratch) && std::find(ids.begin(), ids.end(), id) == ids.end() && id != own_id) ids.push_back(id);
    }
    return ids;
}

void categories_and_tags(Catalog& c, Post& p, const Json& data) {
    if (has(data, "categories")) {
        p.categories.clear();
        if (data["categories"].is_array())
            for (const auto& cat : data["categories"]) {
                if (!cat.is_object() || !truthy(cat.value("id", Json()))) continue;
                const std::int64_t id = py_int(cat["id"]);
                auto t = c.terms.find(id);
                if (t != c.terms.end() && t->second.taxonomy == "product_cat" &&
                    std::find(p.categories.begin(), p.categories.end(), id) == p.categories.end())
                    p.categories.push_back(id);
            }
    }
    if (has(data, "tags")) {
        p.tags.clear();
        if (data["tags"].is_array())
            for (const auto& tag : data["tags"]) {
                if (!tag.is_object()) continue;
                std::int64_t id = 0;
                if (truthy(tag.value("id", Json()))) {
                    auto t = c.terms.find(py_int(tag["id"]));
                    if (t == c.terms.end() || t->second.taxonomy != "product_tag") continue;
                    id = t->second.id;
                } else if (truthy(tag.value("name", Json()))) {
                    const Term* t = c.term_by_name("product_tag", py_text(tag["name"]));
                    id = t ? t->id : c.add_term("product_tag", py_text(tag["name"]), "").id;
                } else {
                    continue;
                }
                if (std::find(p.tags.begin(), p.tags.end(), id) == p.tags.end()) p.tags.push_back(id);
            }
    }
    if (p.categories.empty()) p.categories = {kUncategorizedId};
}

// The fields only products have, before the common ones (write_product()).
void product_only_fields(Catalog& c, Post& p, const Json& data) {
    if (has(data, "type") && truthy(data["type"])) p.type = py_text(data["type"]);
    if (has(data, "name")) p.name = kses_normalize(truthy(data["name"]) ? py_text(data["name"]) : "");
    if (has(data, "featured")) p.featured = truthy(data["featured"]);
    if (has(data, "sold_individually")) p.sold_individually = truthy(data["sold_individually"]);
    if (has(data, "reviews_allowed")) p.reviews_allowed = truthy(data["reviews_allowed"]);
    if (has(data, "catalog_visibility")) p.catalog_visibility = text_or_empty(data["catalog_visibility"]);
    if (has(data, "short_description"))
        p.short_description = kses_normalize(truthy(data["short_description"]) ? py_text(data["short_description"]) : "");
    if (has(data, "purchase_note"))
        p.purchase_note = kses_normalize(truthy(data["purchase_note"]) ? py_text(data["purchase_note"]) : "");
    if (has(data, "post_password")) p.post_password = truthy(data["post_password"]) ? py_text(data["post_password"]) : "";
    if (has(data, "parent_id")) p.parent_id = truthy(data["parent_id"]) ? py_int(data["parent_id"]) : 0;
    if (has(data, "upsell_ids")) p.upsell_ids = product_ids(c, data["upsell_ids"], p.id);
    if (has(data, "cross_sell_ids")) p.cross_sell_ids = product_ids(c, data["cross_sell_ids"], p.id);
    if (has(data, "grouped_products")) p.grouped_products = product_ids(c, data["grouped_products"], p.id);
    if (p.type == "external") {
        if (has(data, "external_url")) p.external_url = truthy(data["external_url"]) ? py_text(data["external_url"]) : "";
        if (has(data, "button_text")) p.button_text = truthy(data["button_text"]) ? py_text(data["button_text"]) : "";
    }
    const auto [present, created] = date_in(c, data, "date_created");
    if (present && created) p.date_created = *created;
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

std::string py_text(const Json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "True" : "False";
    if (v.is_null()) return "None";
    return v.dump();
}

Post write_product(Catalog& c, const Post* existing, const Json& data, Time now) {
    const bool creating = existing == nullptr;
    Post p = creating ? blank_post(0, false, now) : *existing;
    const std::string old_sku = p.sku;
    product_only_fields(c, p, data);
    common_fields(c, p, data, false);
    if (p.type == "variable" || p.type == "grouped") {
        p.regular_price = p.sale_price = "";
        p.date_on_sale_from = p.date_on_sale_to = std::nullopt;
    }
    categories_and_tags(c, p, data);
    std::vector<MediaUpdate> media_updates;
    std::optional<std::vector<ImageRef>> images;
    if (has(data, "images")) images = images_of(c, data["images"], media_updates);
    if (has(data, "attributes")) p.attributes = product_attributes(c, data["attributes"]);
    if (has(data, "default_attributes")) p.default_attributes = default_attributes(c, data["default_attributes"]);
    const bool new_slug = has(data, "slug") && truthy(data["slug"]);
    if (new_slug) p.slug = sanitize_title(py_text(data["slug"]));
    // commit
    if (creating) p.id = c.new_post_id();
    if (images) p.images = commit_media(c, *images, media_updates, now);
    if (creating || new_slug || p.slug.empty()) {
        std::string base = p.slug.empty() ? sanitize_title(p.name) : p.slug;
        if (base.empty()) base = std::to_string(p.id);
        p.slug = c.unique_post_slug(base, p.id, false);
    }
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
        const std::int64_t aid = py_int(a.value("id", Json(0)));
        const Json raw = a.value("option", Json());
        const std::string opt = raw.is_null() ? "" : strip(py_text(raw));
        const bool named = truthy(a.value("name", Json()));
        const std::string name = named ? ascii_lower(py_text(a["name"])) : "";
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
            if (!aid && !pa.id && named && ascii_lower(pa.name) == name) {
                PostAttribute local;
                local.name = pa.name;
                local.option = opt;
                out.push_back(local);
                break;
            }
            if (!aid && pa.id && named) {
                const Attribute& attr = c.attributes.at(pa.id);
                if (name == ascii_lower(attr.name) || name == attr.slug) {
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

Post write_variation(Catalog& c, std::int64_t parent_id, const Post* existing, const Json& input, Time now) {
    Post parent_scratch;
    Post parent = *c.post(parent_id, parent_scratch);
    const bool creating = existing == nullptr;
    Post v = existing ? *existing : blank_post(0, true, now);
    if (creating) {
        v.parent_id = parent.id;
        v.name = parent.name;
    }
    const std::string old_sku = v.sku;
    Json data = input;
    if (data.contains("status")) {
        const std::string s = text_or_empty(data["status"]);
        if (s != "draft" && s != "pending" && s != "private" && s != "publish") data["status"] = "publish";
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
    if (data.contains("attributes")) v.attributes = variation_attributes(c, parent, data["attributes"]);
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
    trashed.status = "trash";
    trashed.date_modified = c.now();
    c.put_post(trashed);
    c.reindex_sku(trashed, "");
    c.touch();
    return trashed;
}

}  // namespace benchstore
