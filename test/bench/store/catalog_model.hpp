// The objects of the store, with the raw ("edit" context) values the test
// store keeps in its dicts (woostore_lib/state.py, blank_product()): posts
// (products and variations), media, terms and global attributes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "json_text.hpp"
#include "site_time.hpp"

namespace benchstore {

struct Download {
    std::string id, name, file;
};

struct Meta {
    std::int64_t id = 0;
    std::string key;
    Json value;
};

// On a product: a global attribute (id > 0, options are term ids) or a local
// one (id 0, options are texts). On a variation: the chosen option (a term
// slug for a global attribute).
struct PostAttribute {
    std::int64_t id = 0;
    std::string name;
    std::int64_t position = 0;
    bool visible = false;
    bool variation = false;
    std::vector<std::int64_t> term_options;
    std::vector<std::string> text_options;
    std::string option;
};

struct DefaultAttribute {
    std::int64_t id = 0;
    std::string name, option;
};

struct Post {
    std::int64_t id = 0;
    bool is_variation = false;
    std::int64_t parent_id = 0;
    std::string name, slug;
    Time date_created = 0, date_modified = 0;
    std::string type = "simple", status = "publish";
    bool featured = false;
    std::string catalog_visibility = "visible";
    std::string description, short_description, sku, global_unique_id, regular_price, sale_price;
    std::optional<Time> date_on_sale_from, date_on_sale_to;
    std::int64_t total_sales = 0;
    bool is_virtual = false, downloadable = false;
    std::vector<Download> downloads;
    std::int64_t download_limit = -1, download_expiry = -1;
    std::string external_url, button_text, tax_status = "taxable", tax_class;
    bool manage_stock = false;
    std::optional<std::int64_t> stock_quantity;
    std::string backorders = "no";
    std::optional<std::int64_t> low_stock_amount;
    std::string stock_status = "instock";
    bool sold_individually = false;
    std::string weight, length, width, height;
    std::int64_t shipping_class_id = 0;  // a product_shipping_class term, 0: none
    bool reviews_allowed = true;
    std::string average_rating = "0";
    std::int64_t rating_count = 0;
    std::vector<std::int64_t> upsell_ids, cross_sell_ids;
    std::string purchase_note;
    std::vector<std::int64_t> categories, tags, brands, images;
    std::optional<std::int64_t> image;
    std::vector<PostAttribute> attributes;
    std::vector<DefaultAttribute> default_attributes;
    std::vector<std::int64_t> children, grouped_products;
    std::int64_t menu_order = 0;
    std::vector<Meta> meta_data;
    std::string post_password;

    bool is_product() const { return !is_variation; }
    bool published_product() const { return !is_variation && status == "publish"; }
};

// blank_product(): what a new post starts from.
Post blank_post(std::int64_t id, bool variation, Time now);

struct Media {
    std::int64_t id = 0;
    std::string src, name, alt;
    Time date_created = 0, date_modified = 0;
};

struct Term {
    std::int64_t id = 0;
    std::string taxonomy, name, slug;
    std::int64_t parent = 0;
    std::string description;
    std::int64_t menu_order = 0;
    std::string display = "default";
    std::optional<std::int64_t> image;
};

struct Attribute {
    std::int64_t id = 0;
    std::string name, slug, type = "select", order_by = "menu_order";
    bool has_archives = false;
};

// How wc_price() writes an amount (the store's currency options).
struct PriceFormat {
    std::string symbol = "&euro;";
    int decimals = 2;
    std::string decimal_separator = ".", thousand_separator = ",";
    std::string position = "left";  // left, right, left_space, right_space
};

constexpr std::int64_t kFirstPostId = 10;
constexpr std::int64_t kUncategorizedId = 15;

}  // namespace benchstore
