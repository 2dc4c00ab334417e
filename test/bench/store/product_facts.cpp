#include "product_facts.hpp"

#include <cstdio>

#include "query.hpp"
#include "wp_text.hpp"

namespace benchstore {

bool ProductFacts::is_on_sale(const Post& p) const {
    if (!p.is_variation && p.type == "variable") {
        for (const auto& v : children(p))
            if (v.status == "publish" && is_on_sale(v)) return true;
        return false;
    }
    if (p.sale_price.empty()) return false;
    const auto sale = price_decimal(p.sale_price), regular = price_decimal(p.regular_price);
    if (!sale || !regular || !(*regular > *sale)) return false;
    if (p.date_on_sale_from && *p.date_on_sale_from > now_) return false;
    if (p.date_on_sale_to && *p.date_on_sale_to < now_) return false;
    return true;
}

std::string ProductFacts::active_price(const Post& p) const {
    if (!p.is_variation && p.type == "variable") {
        const auto prices = variation_prices(p);
        if (prices.empty()) return "";
        const auto* best = &prices[0];
        for (const auto& x : prices)
            if (x.first < best->first) best = &x;
        return best->second;
    }
    return is_on_sale(p) ? p.sale_price : p.regular_price;
}

std::vector<std::pair<double, std::string>> ProductFacts::variation_prices(const Post& parent) const {
    std::vector<std::pair<double, std::string>> out;
    for (const auto& v : children(parent)) {
        if (v.status != "publish") continue;
        std::string price = active_price(v);
        if (const auto f = price_decimal(price)) out.push_back({*f, std::move(price)});
    }
    return out;
}

std::string ProductFacts::derived_stock_status(const Post& p) const {
    if (!p.is_variation && p.type == "variable") {
        bool any = false, instock = false, backorder = false;
        for (const auto& v : children(p)) {
            if (v.status != "publish") continue;
            any = true;
            const std::string s = derived_stock_status(v);
            instock = instock || s == "instock";
            backorder = backorder || s == "onbackorder";
        }
        if (!any) return p.stock_status.empty() ? "outofstock" : p.stock_status;
        return instock ? "instock" : backorder ? "onbackorder" : "outofstock";
    }
    if (p.manage_stock && p.stock_quantity) {
        if (*p.stock_quantity > 0) return "instock";
        return p.backorders == "yes" || p.backorders == "notify" ? "onbackorder" : "outofstock";
    }
    return p.stock_status;
}

std::vector<Post> ProductFacts::children(const Post& parent) const {
    std::vector<Post> out;
    for (auto id : parent.children) {
        Post scratch;
        if (const Post* c = catalog_.post(id, scratch)) out.push_back(*c);
    }
    return out;
}

std::vector<ProductFacts::ChosenOption> ProductFacts::variation_attributes(const Post& v) const {
    std::vector<ChosenOption> out;
    for (const auto& a : v.attributes) {
        if (a.option.empty()) continue;
        if (a.id) {
            auto it = catalog_.attributes.find(a.id);
            if (it == catalog_.attributes.end()) continue;
            const Attribute& attr = it->second;
            const Term* t = catalog_.term_by_slug(attr.slug, a.option);
            out.push_back({attr.id, attr.name, attr.slug, t ? t->name : a.option, a.option});
        } else {
            out.push_back({0, a.name, a.name, a.option, a.option});
        }
    }
    return out;
}

std::string ProductFacts::variation_title(const Post& v) const {
    std::string title;
    for (const auto& x : variation_attributes(v)) title += (title.empty() ? "" : ", ") + x.option_name;
    return title;
}

std::string ProductFacts::permalink(const std::string& base, const Post& p) const {
    if (p.is_variation) {
        Post scratch;
        const Post* parent = catalog_.post(p.parent_id, scratch);
        std::string query;
        for (const auto& x : variation_attributes(p))
            query += (query.empty() ? "" : "&") + std::string("attribute_") +
                     (x.attribute_id ? x.slug : ascii_lower(x.slug)) + "=" + quote(x.option_slug, "");
        return base + "/product/" + (parent ? parent->slug : "") + "/" + (query.empty() ? "" : "?" + query);
    }
    if (p.status == "draft" || p.status == "pending" || p.status == "future" || p.status == "auto-draft")
        return base + "/?post_type=product&p=" + std::to_string(p.id);
    return base + "/product/" + p.slug + "/";
}

std::string ProductFacts::price_html(const Post& p) const {
    const PriceFormat& f = catalog_.price_format;
    if (!p.is_variation && p.type == "variable") {
        const auto prices = variation_prices(p);
        if (prices.empty()) return "";
        const auto *lo = &prices[0], *hi = &prices[0];
        for (const auto& x : prices) {
            if (x.first < lo->first) lo = &x;
            if (x.first > hi->first) hi = &x;
        }
        if (price_decimal(lo->second) == price_decimal(hi->second)) return wc_price(f, lo->second);
        return wc_price(f, lo->second, true) + " <span aria-hidden=\"true\">&ndash;</span> " + wc_price(f, hi->second, true) +
               "<span class=\"screen-reader-text\">Price range: " + price_text(f, lo->second) + " through " +
               price_text(f, hi->second) + "</span>";
    }
    const std::string price = active_price(p);
    if (price.empty()) return "";
    if (is_on_sale(p)) {
        return "<del aria-hidden=\"true\">" + wc_price(f, p.regular_price) +
               "</del> <span class=\"screen-reader-text\">Original price was: " + price_text(f, p.regular_price) +
               ".</span><ins aria-hidden=\"true\">" + wc_price(f, p.sale_price) +
               "</ins><span class=\"screen-reader-text\">Current price is: " + price_text(f, p.sale_price) + ".</span>";
    }
    return wc_price(f, price);
}

}  // namespace benchstore
