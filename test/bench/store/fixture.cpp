#include "fixture.hpp"

#include <cstdio>
#include <memory>
#include <stdexcept>

namespace benchstore {
namespace {

std::optional<Time> time_or_null(const Json& v) {
    if (!v.is_string()) return std::nullopt;
    return parse_rest_time(v.get<std::string>());
}

std::optional<std::int64_t> int_or_null(const Json& v) {
    if (!v.is_number_integer()) return std::nullopt;
    return v.get<std::int64_t>();
}

std::vector<std::int64_t> ids(const Json& v) {
    std::vector<std::int64_t> out;
    for (const auto& x : v) out.push_back(x.get<std::int64_t>());
    return out;
}

PostAttribute attribute_of(const Json& a, bool variation) {
    PostAttribute out;
    out.id = a.value("id", std::int64_t{0});
    out.name = a.value("name", std::string());
    if (variation) {
        out.option = a.value("option", std::string());
        return out;
    }
    out.position = a.value("position", std::int64_t{0});
    out.visible = a.value("visible", false);
    out.variation = a.value("variation", false);
    for (const auto& o : a.at("options")) {
        if (o.is_number_integer()) out.term_options.push_back(o.get<std::int64_t>());
        else out.text_options.push_back(o.get<std::string>());
    }
    return out;
}

Post post_of(const Json& j) {
    Post p;
    p.id = j.at("id").get<std::int64_t>();
    p.is_variation = j.at("kind").get<std::string>() == "variation";
    p.parent_id = j.at("parent_id").get<std::int64_t>();
    auto s = [&](const char* k) { return j.at(k).get<std::string>(); };
    p.name = s("name");
    p.slug = s("slug");
    p.date_created = *time_or_null(j.at("date_created"));
    p.date_modified = *time_or_null(j.at("date_modified"));
    p.type = s("type");
    p.status = s("status");
    p.featured = j.at("featured").get<bool>();
    p.catalog_visibility = s("catalog_visibility");
    p.description = s("description");
    p.short_description = s("short_description");
    p.sku = s("sku");
    p.global_unique_id = s("global_unique_id");
    p.regular_price = s("regular_price");
    p.sale_price = s("sale_price");
    p.date_on_sale_from = time_or_null(j.at("date_on_sale_from"));
    p.date_on_sale_to = time_or_null(j.at("date_on_sale_to"));
    p.total_sales = j.at("total_sales").get<std::int64_t>();
    p.is_virtual = j.at("virtual").get<bool>();
    p.downloadable = j.at("downloadable").get<bool>();
    for (const auto& d : j.at("downloads")) p.downloads.push_back({d.at("id"), d.at("name"), d.at("file")});
    p.download_limit = j.at("download_limit").get<std::int64_t>();
    p.download_expiry = j.at("download_expiry").get<std::int64_t>();
    p.external_url = s("external_url");
    p.button_text = s("button_text");
    p.tax_status = s("tax_status");
    p.tax_class = s("tax_class");
    p.manage_stock = j.at("manage_stock").get<bool>();
    p.stock_quantity = int_or_null(j.at("stock_quantity"));
    p.backorders = s("backorders");
    p.low_stock_amount = int_or_null(j.at("low_stock_amount"));
    p.stock_status = s("stock_status");
    p.sold_individually = j.at("sold_individually").get<bool>();
    p.weight = s("weight");
    const Json& dims = j.at("dimensions");
    p.length = dims.at("length");
    p.width = dims.at("width");
    p.height = dims.at("height");
    p.shipping_class_id = j.at("shipping_class_id").get<std::int64_t>();
    p.reviews_allowed = j.at("reviews_allowed").get<bool>();
    p.average_rating = s("average_rating");
    p.rating_count = j.at("rating_count").get<std::int64_t>();
    p.upsell_ids = ids(j.at("upsell_ids"));
    p.cross_sell_ids = ids(j.at("cross_sell_ids"));
    p.purchase_note = s("purchase_note");
    p.categories = ids(j.at("categories"));
    p.tags = ids(j.at("tags"));
    p.brands = ids(j.at("brands"));
    p.images = ids(j.at("images"));
    p.image = int_or_null(j.at("image"));
    for (const auto& a : j.at("attributes")) p.attributes.push_back(attribute_of(a, p.is_variation));
    for (const auto& d : j.at("default_attributes"))
        p.default_attributes.push_back({d.at("id").get<std::int64_t>(), d.at("name"), d.at("option")});
    p.children = ids(j.at("children"));
    p.grouped_products = ids(j.at("grouped_products"));
    p.menu_order = j.at("menu_order").get<std::int64_t>();
    for (const auto& m : j.at("meta_data")) p.meta_data.push_back({m.at("id").get<std::int64_t>(), m.at("key"), m.at("value")});
    p.post_password = s("post_password");
    return p;
}

}  // namespace

Fixture parse_fixture(const std::string& text) {
    const Json j = Json::parse(text);
    Fixture f;
    f.showcase_items = j.at("showcase_items").get<std::int64_t>();
    f.seed_sequence = j.at("seed_sequence").get<std::int64_t>();
    f.ids_after_products = j.at("ids_after_products").get<std::int64_t>();
    f.next_post_id = j.at("next_post_id").get<std::int64_t>();
    f.next_term_id = j.at("next_term_id").get<std::int64_t>();
    f.next_attr_id = j.at("next_attr_id").get<std::int64_t>();
    f.next_meta_id = j.at("next_meta_id").get<std::int64_t>();
    for (const auto& m : j.at("media"))
        f.media.push_back({m.at("id").get<std::int64_t>(), m.at("src"), m.at("name"), m.at("alt"),
                           *time_or_null(m.at("date_created")), *time_or_null(m.at("date_modified"))});
    for (const auto& t : j.at("terms")) {
        Term term;
        term.id = t.at("id").get<std::int64_t>();
        term.taxonomy = t.at("taxonomy");
        term.name = t.at("name");
        term.slug = t.at("slug");
        term.parent = t.at("parent").get<std::int64_t>();
        term.description = t.at("description");
        term.menu_order = t.at("menu_order").get<std::int64_t>();
        term.display = t.at("display");
        term.image = int_or_null(t.at("image"));
        f.terms.push_back(term);
    }
    for (const auto& a : j.at("attributes"))
        f.attributes.push_back({a.at("id").get<std::int64_t>(), a.at("name"), a.at("slug"), a.at("type"),
                                a.at("order_by"), a.at("has_archives").get<bool>()});
    for (const auto& p : j.at("posts")) f.posts.push_back(post_of(p));
    const Json& price = j.at("price_format");
    f.price_format = {price.at("symbol"), price.at("decimals").get<int>(), price.at("decimal_separator"),
                      price.at("thousand_separator"), price.at("position")};
    f.weight_unit = j.at("units").at("weight");
    f.dimension_unit = j.at("units").at("dimension");
    return f;
}

Fixture load_fixture(const std::string& script, std::int64_t products) {
    const std::string command = "python3 '" + script + "' --products " + std::to_string(products);
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    if (!pipe) throw std::runtime_error("cannot run " + command);
    std::string text;
    char buf[65536];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe.get())) > 0;) text.append(buf, n);
    const int status = pclose(pipe.release());
    if (status != 0 || text.empty()) throw std::runtime_error(command + " failed (status " + std::to_string(status) + ")");
    return parse_fixture(text);
}

}  // namespace benchstore
