#include "render.hpp"

#include <algorithm>
#include <array>
#include <tuple>

#include "wp_text.hpp"

namespace benchstore {
namespace {

constexpr std::array<const char*, F_count> kFieldNames = {
    "id", "name", "slug", "permalink", "date_created", "date_created_gmt", "date_modified", "date_modified_gmt",
    "type", "status", "featured", "catalog_visibility", "description", "short_description", "sku", "price",
    "regular_price", "sale_price", "date_on_sale_from", "date_on_sale_from_gmt", "date_on_sale_to",
    "date_on_sale_to_gmt", "on_sale", "purchasable", "total_sales", "virtual", "downloadable", "downloads",
    "download_limit", "download_expiry", "external_url", "button_text", "tax_status", "tax_class", "manage_stock",
    "stock_quantity", "backorders", "backorders_allowed", "backordered", "low_stock_amount", "sold_individually",
    "weight", "dimensions", "shipping_required", "shipping_taxable", "shipping_class", "shipping_class_id",
    "reviews_allowed", "average_rating", "rating_count", "upsell_ids", "cross_sell_ids", "parent_id",
    "purchase_note", "categories", "brands", "tags", "images", "attributes", "default_attributes", "variations",
    "grouped_products", "menu_order", "price_html", "related_ids", "meta_data", "stock_status", "has_options",
    "post_password", "global_unique_id", "permalink_template", "generated_slug"};

const char* const kAllow[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};

void append_local(std::string& out, const RenderContext& ctx, const std::optional<Time>& t) {
    if (t) append_json_string(out, format_time(ctx.facts.catalog().timezone.to_local(*t)));
    else out += "null";
}

void append_gmt(std::string& out, const std::optional<Time>& t) {
    if (t) append_json_string(out, format_time(*t));
    else out += "null";
}

void append_ids(std::string& out, const std::vector<std::int64_t>& ids) {
    out += '[';
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i) out += ',';
        append_json_int(out, ids[i]);
    }
    out += ']';
}

void append_links(std::string& out, const RenderContext& ctx, const std::string& self, const std::string& collection,
                  const std::string& up = std::string()) {
    out += "{\"self\":[{\"href\":";
    append_json_string(out, ctx.base + self);
    out += ",\"targetHints\":{\"allow\":[";
    for (std::size_t i = 0; i < 5; ++i) {
        if (i) out += ',';
        append_json_string(out, kAllow[i]);
    }
    out += "]}}],\"collection\":[{\"href\":";
    append_json_string(out, ctx.base + collection);
    out += "}]";
    if (!up.empty()) {
        out += ",\"up\":[{\"href\":";
        append_json_string(out, ctx.base + up);
        out += "}]";
    }
    out += '}';
}

void append_dimensions(std::string& out, const Post& p) {
    ObjectWriter o(out);
    o.str("length", p.length);
    o.str("width", p.width);
    o.str("height", p.height);
    o.close();
}

void append_downloads(std::string& out, const Post& p) {
    out += '[';
    for (std::size_t i = 0; i < p.downloads.size(); ++i) {
        if (i) out += ',';
        ObjectWriter o(out);
        o.str("id", p.downloads[i].id);
        o.str("name", p.downloads[i].name);
        o.str("file", p.downloads[i].file);
        o.close();
    }
    out += ']';
}

void append_meta(std::string& out, const Post& p) {
    out += '[';
    for (std::size_t i = 0; i < p.meta_data.size(); ++i) {
        if (i) out += ',';
        ObjectWriter o(out);
        o.integer("id", p.meta_data[i].id);
        o.str("key", p.meta_data[i].key);
        append_json_value(o.key("value"), p.meta_data[i].value);
        o.close();
    }
    out += ']';
}

void append_term_refs(std::string& out, const Catalog& c, const std::vector<std::int64_t>& ids) {
    out += '[';
    bool first = true;
    for (auto id : ids) {
        auto it = c.terms.find(id);
        if (it == c.terms.end()) continue;
        if (!first) out += ',';
        first = false;
        ObjectWriter o(out);
        o.integer("id", it->second.id);
        o.str("name", it->second.name);
        o.str("slug", it->second.slug);
        o.close();
    }
    out += ']';
}

// The option names of a global attribute, ordered like the terms' menu order.
std::vector<std::string> option_names(const Catalog& c, const PostAttribute& a) {
    std::vector<std::tuple<std::int64_t, std::string, std::int64_t, std::string>> terms;
    for (auto tid : a.term_options) {
        auto it = c.terms.find(tid);
        if (it != c.terms.end())
            terms.emplace_back(it->second.menu_order, ascii_lower(it->second.name), it->second.id, it->second.name);
    }
    std::stable_sort(terms.begin(), terms.end(), [](const auto& x, const auto& y) {
        return std::tie(std::get<0>(x), std::get<1>(x), std::get<2>(x)) <
               std::tie(std::get<0>(y), std::get<1>(y), std::get<2>(y));
    });
    std::vector<std::string> out;
    for (auto& t : terms) out.push_back(std::get<3>(t));
    return out;
}

void append_strings(std::string& out, const std::vector<std::string>& items) {
    out += '[';
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += ',';
        append_json_string(out, items[i]);
    }
    out += ']';
}

void append_product_attributes(std::string& out, const RenderContext& ctx, const Post& p) {
    const Catalog& c = ctx.facts.catalog();
    out += '[';
    bool first = true;
    auto open = [&]() -> ObjectWriter {
        if (!first) out += ',';
        first = false;
        return ObjectWriter(out);
    };
    if (p.is_variation) {
        for (const auto& x : ctx.facts.variation_attributes(p)) {
            ObjectWriter o = open();
            o.integer("id", x.attribute_id);
            o.str("name", x.name);
            o.str("slug", x.slug);
            o.str("option", x.option_name);
            o.close();
        }
        out += ']';
        return;
    }
    for (const auto& a : p.attributes) {
        const Attribute* attr = nullptr;
        if (a.id) {
            auto it = c.attributes.find(a.id);
            if (it == c.attributes.end()) continue;
            attr = &it->second;
        }
        ObjectWriter o = open();
        o.integer("id", attr ? attr->id : 0);
        o.str("name", attr ? attr->name : a.name);
        o.str("slug", attr ? attr->slug : a.name);
        o.integer("position", a.position);
        o.boolean("visible", a.visible);
        o.boolean("variation", a.variation);
        append_strings(o.key("options"), attr ? option_names(c, a) : a.text_options);
        o.close();
    }
    out += ']';
}

void append_images(std::string& out, const RenderContext& ctx, const Post& p) {
    const Catalog& c = ctx.facts.catalog();
    out += '[';
    bool first = true;
    auto one = [&](std::int64_t id) {
        if (!c.media.count(id)) return;
        if (!first) out += ',';
        first = false;
        append_media(out, ctx, id);
    };
    if (p.is_variation) {
        if (p.image) one(*p.image);
    } else {
        for (auto id : p.images) one(id);
    }
    out += ']';
}

// The product's members from id to downloadable, in order.
void append_head(ObjectWriter& o, const RenderContext& ctx, const Post& p, const Post* parent, const FieldMask& m) {
    const ProductFacts& f = ctx.facts;
    const bool var = p.is_variation;
    if (m[F_name]) {
        std::string name = p.name;
        if (var) {
            const std::string title = f.variation_title(p);
            name = (parent ? parent->name : "") + (title.empty() ? "" : " - " + title);
        }
        o.str("name", name);
    }
    if (m[F_slug]) o.str("slug", var ? (parent ? parent->slug : "") : p.slug);
    if (m[F_permalink]) o.str("permalink", f.permalink(ctx.base, p));
    if (m[F_date_created]) append_local(o.key("date_created"), ctx, p.date_created);
    if (m[F_date_created_gmt]) append_gmt(o.key("date_created_gmt"), p.date_created);
    if (m[F_date_modified]) append_local(o.key("date_modified"), ctx, p.date_modified);
    if (m[F_date_modified_gmt]) append_gmt(o.key("date_modified_gmt"), p.date_modified);
    if (m[F_type]) o.str("type", p.type);
    if (m[F_status]) o.str("status", p.status);
    if (m[F_featured]) o.boolean("featured", p.featured);
    if (m[F_catalog_visibility]) o.str("catalog_visibility", p.catalog_visibility);
    if (m[F_description]) o.str("description", p.description);
    if (m[F_short_description]) o.str("short_description", p.short_description);
    if (m[F_sku]) o.str("sku", p.sku);
    const bool need_price = m[F_price] || m[F_purchasable];
    const std::string price = need_price ? f.active_price(p) : std::string();
    if (m[F_price]) o.str("price", price);
    const bool variable = p.type == "variable";
    if (m[F_regular_price]) o.str("regular_price", variable ? "" : p.regular_price);
    if (m[F_sale_price]) o.str("sale_price", variable ? "" : p.sale_price);
    if (m[F_date_on_sale_from]) append_local(o.key("date_on_sale_from"), ctx, p.date_on_sale_from);
    if (m[F_date_on_sale_from_gmt]) append_gmt(o.key("date_on_sale_from_gmt"), p.date_on_sale_from);
    if (m[F_date_on_sale_to]) append_local(o.key("date_on_sale_to"), ctx, p.date_on_sale_to);
    if (m[F_date_on_sale_to_gmt]) append_gmt(o.key("date_on_sale_to_gmt"), p.date_on_sale_to);
    if (m[F_on_sale]) o.boolean("on_sale", f.is_on_sale(p));
    if (m[F_purchasable]) o.boolean("purchasable", !price.empty() && p.status != "trash");
    if (m[F_total_sales]) o.integer("total_sales", p.total_sales);
    if (m[F_virtual]) o.boolean("virtual", p.is_virtual);
    if (m[F_downloadable]) o.boolean("downloadable", p.downloadable);
}

// The slug of the post's shipping class ("" without one); context=edit shows
// a variation's own class.
std::string shipping_class_slug(const Catalog& c, const Post& p) {
    auto t = c.terms.find(p.shipping_class_id);
    return t == c.terms.end() ? "" : t->second.slug;
}

// From downloads to rating_count.
void append_middle(ObjectWriter& o, const Catalog& c, const Post& p, const FieldMask& m) {
    const bool backorders_allowed = p.backorders == "yes" || p.backorders == "notify";
    if (m[F_downloads]) append_downloads(o.key("downloads"), p);
    if (m[F_download_limit]) o.integer("download_limit", p.download_limit);
    if (m[F_download_expiry]) o.integer("download_expiry", p.download_expiry);
    if (m[F_external_url]) o.str("external_url", p.external_url);
    if (m[F_button_text]) o.str("button_text", p.button_text);
    if (m[F_tax_status]) o.str("tax_status", p.tax_status);
    if (m[F_tax_class]) o.str("tax_class", p.tax_class);
    if (m[F_manage_stock]) o.boolean("manage_stock", p.manage_stock);
    if (m[F_stock_quantity]) append_json_optional_int(o.key("stock_quantity"), p.stock_quantity);
    if (m[F_backorders]) o.str("backorders", p.backorders);
    if (m[F_backorders_allowed]) o.boolean("backorders_allowed", backorders_allowed);
    if (m[F_backordered])
        o.boolean("backordered", p.manage_stock && p.stock_quantity && *p.stock_quantity <= 0 && backorders_allowed);
    if (m[F_low_stock_amount]) append_json_optional_int(o.key("low_stock_amount"), p.low_stock_amount);
    if (m[F_sold_individually]) o.boolean("sold_individually", p.sold_individually);
    if (m[F_weight]) o.str("weight", p.weight);
    if (m[F_dimensions]) append_dimensions(o.key("dimensions"), p);
    if (m[F_shipping_required]) o.boolean("shipping_required", !p.is_virtual);
    if (m[F_shipping_taxable])
        o.boolean("shipping_taxable", !p.is_virtual && (p.tax_status == "taxable" || p.tax_status == "shipping"));
    if (m[F_shipping_class]) o.str("shipping_class", shipping_class_slug(c, p));
    if (m[F_shipping_class_id]) o.integer("shipping_class_id", p.shipping_class_id);
    if (m[F_reviews_allowed]) o.boolean("reviews_allowed", p.reviews_allowed);
    if (m[F_average_rating]) o.str("average_rating", p.average_rating);
    if (m[F_rating_count]) o.integer("rating_count", p.rating_count);
}

// From upsell_ids to the end.
void append_tail(ObjectWriter& o, const RenderContext& ctx, const Post& p, const FieldMask& m) {
    const ProductFacts& f = ctx.facts;
    const Catalog& c = f.catalog();
    const bool var = p.is_variation;
    if (m[F_upsell_ids]) append_ids(o.key("upsell_ids"), p.upsell_ids);
    if (m[F_cross_sell_ids]) append_ids(o.key("cross_sell_ids"), p.cross_sell_ids);
    if (m[F_parent_id]) o.integer("parent_id", p.parent_id);
    if (m[F_purchase_note]) o.str("purchase_note", p.purchase_note);
    if (m[F_categories]) append_term_refs(o.key("categories"), c, var ? std::vector<std::int64_t>{} : p.categories);
    if (m[F_brands]) append_term_refs(o.key("brands"), c, var ? std::vector<std::int64_t>{} : p.brands);
    if (m[F_tags]) append_term_refs(o.key("tags"), c, var ? std::vector<std::int64_t>{} : p.tags);
    if (m[F_images]) append_images(o.key("images"), ctx, p);
    if (m[F_attributes]) append_product_attributes(o.key("attributes"), ctx, p);
    if (m[F_default_attributes]) {
        std::string& out = o.key("default_attributes");
        out += '[';
        for (std::size_t i = 0; i < p.default_attributes.size(); ++i) {
            if (i) out += ',';
            ObjectWriter d(out);
            d.integer("id", p.default_attributes[i].id);
            d.str("name", p.default_attributes[i].name);
            d.str("option", p.default_attributes[i].option);
            d.close();
        }
        out += ']';
    }
    if (m[F_variations]) {
        std::vector<std::int64_t> kids;
        if (p.type == "variable") kids = p.children;
        std::sort(kids.begin(), kids.end());
        append_ids(o.key("variations"), kids);
    }
    if (m[F_grouped_products]) append_ids(o.key("grouped_products"), p.grouped_products);
    if (m[F_menu_order]) o.integer("menu_order", p.menu_order);
    if (m[F_price_html]) o.str("price_html", f.price_html(p));
    if (m[F_related_ids]) append_ids(o.key("related_ids"), c.related_ids(p));
    if (m[F_meta_data]) append_meta(o.key("meta_data"), p);
    if (m[F_stock_status]) o.str("stock_status", f.derived_stock_status(p));
    if (m[F_has_options]) o.boolean("has_options", p.type == "variable");
    if (m[F_post_password]) o.str("post_password", p.post_password);
    if (m[F_global_unique_id]) o.str("global_unique_id", p.global_unique_id);
    if (!var) {
        if (m[F_permalink_template]) o.str("permalink_template", ctx.base + "/product/%pagename%/");
        // get_sample_permalink()'s slug through WordPress's editable_slug filter (urldecode)
        if (m[F_generated_slug]) o.str("generated_slug", unquote(p.slug.empty() ? sanitize_title(p.name) : p.slug));
    }
}

}  // namespace

std::optional<FieldMask> product_field_mask(const std::vector<std::string>& fields) {
    FieldMask mask;
    mask.set(F_id);
    for (const auto& raw : fields) {
        const std::string name = strip(raw);
        if (name.empty()) continue;
        if (name.find('.') != std::string::npos) return std::nullopt;
        for (int i = 0; i < F_count; ++i)
            if (name == kFieldNames[static_cast<std::size_t>(i)]) mask.set(static_cast<std::size_t>(i));
    }
    return mask;
}

FieldMask all_product_fields() {
    FieldMask mask;
    mask.set();
    return mask;
}

void append_product(std::string& out, const RenderContext& ctx, const Post& p, const FieldMask& mask) {
    Post parent_scratch;
    const Post* parent = p.is_variation ? ctx.facts.catalog().post(p.parent_id, parent_scratch) : nullptr;
    ObjectWriter o(out);
    o.integer("id", p.id);
    append_head(o, ctx, p, parent, mask);
    append_middle(o, ctx.facts.catalog(), p, mask);
    append_tail(o, ctx, p, mask);
    const std::string self = "/wp-json/wc/v3/products/" + std::to_string(p.id);
    append_links(o.key("_links"), ctx, self, "/wp-json/wc/v3/products",
                 p.is_variation ? "/wp-json/wc/v3/products/" + std::to_string(p.parent_id) : std::string());
    o.close();
}

void append_media(std::string& out, const RenderContext& ctx, std::optional<std::int64_t> id) {
    const auto& media = ctx.facts.catalog().media;
    auto it = id ? media.find(*id) : media.end();
    if (it == media.end()) {
        out += "null";
        return;
    }
    const Media& m = it->second;
    ObjectWriter o(out);
    o.integer("id", m.id);
    append_local(o.key("date_created"), ctx, m.date_created);
    append_gmt(o.key("date_created_gmt"), m.date_created);
    append_local(o.key("date_modified"), ctx, m.date_modified);
    append_gmt(o.key("date_modified_gmt"), m.date_modified);
    o.str("src", m.src);
    o.str("name", m.name);
    o.str("alt", m.alt);
    o.close();
}

void append_variation(std::string& out, const RenderContext& ctx, const Post& v) {
    const ProductFacts& f = ctx.facts;
    const bool backorders_allowed = v.backorders == "yes" || v.backorders == "notify";
    const std::string price = f.active_price(v);
    ObjectWriter o(out);
    o.integer("id", v.id);
    o.str("type", "variation");
    append_local(o.key("date_created"), ctx, v.date_created);
    append_gmt(o.key("date_created_gmt"), v.date_created);
    append_local(o.key("date_modified"), ctx, v.date_modified);
    append_gmt(o.key("date_modified_gmt"), v.date_modified);
    o.str("description", v.description);
    o.str("permalink", f.permalink(ctx.base, v));
    o.str("sku", v.sku);
    o.str("global_unique_id", v.global_unique_id);
    o.str("price", price);
    o.str("regular_price", v.regular_price);
    o.str("sale_price", v.sale_price);
    append_local(o.key("date_on_sale_from"), ctx, v.date_on_sale_from);
    append_gmt(o.key("date_on_sale_from_gmt"), v.date_on_sale_from);
    append_local(o.key("date_on_sale_to"), ctx, v.date_on_sale_to);
    append_gmt(o.key("date_on_sale_to_gmt"), v.date_on_sale_to);
    o.boolean("on_sale", f.is_on_sale(v));
    o.str("status", v.status);
    o.boolean("purchasable", !price.empty() && v.status == "publish");
    o.boolean("virtual", v.is_virtual);
    o.boolean("downloadable", v.downloadable);
    append_downloads(o.key("downloads"), v);
    o.integer("download_limit", v.download_limit);
    o.integer("download_expiry", v.download_expiry);
    o.str("tax_status", v.tax_status);
    o.str("tax_class", v.tax_class);
    o.boolean("manage_stock", v.manage_stock);
    append_json_optional_int(o.key("stock_quantity"), v.stock_quantity);
    o.str("stock_status", f.derived_stock_status(v));
    o.str("backorders", v.backorders);
    o.boolean("backorders_allowed", backorders_allowed);
    o.boolean("backordered", v.manage_stock && v.stock_quantity && *v.stock_quantity <= 0 && backorders_allowed);
    append_json_optional_int(o.key("low_stock_amount"), v.low_stock_amount);
    o.str("weight", v.weight);
    append_dimensions(o.key("dimensions"), v);
    o.str("shipping_class", shipping_class_slug(f.catalog(), v));
    o.integer("shipping_class_id", v.shipping_class_id);
    append_media(o.key("image"), ctx, v.image);
    append_product_attributes(o.key("attributes"), ctx, v);
    o.integer("menu_order", v.menu_order);
    append_meta(o.key("meta_data"), v);
    o.str("name", f.variation_title(v));
    o.integer("parent_id", v.parent_id);
    const std::string parent = "/wp-json/wc/v3/products/" + std::to_string(v.parent_id);
    append_links(o.key("_links"), ctx, parent + "/variations/" + std::to_string(v.id), parent + "/variations", parent);
    o.close();
}

void append_category(std::string& out, const RenderContext& ctx, const Term& t, std::int64_t count) {
    ObjectWriter o(out);
    o.integer("id", t.id);
    o.str("name", t.name);
    o.str("slug", t.slug);
    o.integer("parent", t.parent);
    o.str("description", t.description);
    o.str("display", t.display);
    append_media(o.key("image"), ctx, t.image);
    o.integer("menu_order", t.menu_order);
    o.integer("count", count);
    append_links(o.key("_links"), ctx, "/wp-json/wc/v3/products/categories/" + std::to_string(t.id),
                 "/wp-json/wc/v3/products/categories",
                 t.parent ? "/wp-json/wc/v3/products/categories/" + std::to_string(t.parent) : std::string());
    o.close();
}

void append_tag(std::string& out, const RenderContext& ctx, const Term& t, std::int64_t count) {
    ObjectWriter o(out);
    o.integer("id", t.id);
    o.str("name", t.name);
    o.str("slug", t.slug);
    o.str("description", t.description);
    o.integer("count", count);
    append_links(o.key("_links"), ctx, "/wp-json/wc/v3/products/tags/" + std::to_string(t.id),
                 "/wp-json/wc/v3/products/tags");
    o.close();
}

void append_attribute(std::string& out, const RenderContext& ctx, const Attribute& a) {
    ObjectWriter o(out);
    o.integer("id", a.id);
    o.str("name", a.name);
    o.str("slug", a.slug);
    o.str("type", a.type);
    o.str("order_by", a.order_by);
    o.boolean("has_archives", a.has_archives);
    append_links(o.key("_links"), ctx, "/wp-json/wc/v3/products/attributes/" + std::to_string(a.id),
                 "/wp-json/wc/v3/products/attributes");
    o.close();
}

}  // namespace benchstore
