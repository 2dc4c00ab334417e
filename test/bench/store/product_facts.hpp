// What a product's answer derives from the catalogue (woostore_lib/state.py
// and serialize.py): sale state, active price, stock status, variation
// titles, permalinks.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "catalog.hpp"

namespace benchstore {

class ProductFacts {
public:
    ProductFacts(const Catalog& catalog, Time now) : catalog_(catalog), now_(now) {}

    bool is_on_sale(const Post& p) const;
    std::string active_price(const Post& p) const;
    // (price, text) of the parent's published variations.
    std::vector<std::pair<double, std::string>> variation_prices(const Post& parent) const;
    std::string derived_stock_status(const Post& p) const;
    std::vector<Post> children(const Post& parent) const;

    struct ChosenOption {
        std::int64_t attribute_id;
        std::string name, slug, option_name, option_slug;
    };
    std::vector<ChosenOption> variation_attributes(const Post& v) const;
    std::string variation_title(const Post& v) const;
    std::string permalink(const std::string& base, const Post& p) const;
    std::string price_html(const Post& p) const;

    const Catalog& catalog() const { return catalog_; }
    Time now() const { return now_; }

private:
    const Catalog& catalog_;
    Time now_;
};

}  // namespace benchstore
