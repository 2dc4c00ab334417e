// REST representations in the "edit" context, member for member and in the
// order of woostore_lib/serialize.py (itself the order WooCommerce 10 sends).
// The benchmarks always ask context=edit; the "view" context (wpautop,
// inherited values) is not rendered here.
#pragma once

#include <bitset>
#include <optional>
#include <string>
#include <vector>

#include "product_facts.hpp"

namespace benchstore {

// The top-level members of a product, in answer order.
enum ProductField : int {
    F_id, F_name, F_slug, F_permalink, F_date_created, F_date_created_gmt, F_date_modified, F_date_modified_gmt,
    F_type, F_status, F_featured, F_catalog_visibility, F_description, F_short_description, F_sku, F_price,
    F_regular_price, F_sale_price, F_date_on_sale_from, F_date_on_sale_from_gmt, F_date_on_sale_to,
    F_date_on_sale_to_gmt, F_on_sale, F_purchasable, F_total_sales, F_virtual, F_downloadable, F_downloads,
    F_download_limit, F_download_expiry, F_external_url, F_button_text, F_tax_status, F_tax_class, F_manage_stock,
    F_stock_quantity, F_backorders, F_backorders_allowed, F_backordered, F_low_stock_amount, F_sold_individually,
    F_weight, F_dimensions, F_shipping_required, F_shipping_taxable, F_shipping_class, F_shipping_class_id,
    F_reviews_allowed, F_average_rating, F_rating_count, F_upsell_ids, F_cross_sell_ids, F_parent_id,
    F_purchase_note, F_categories, F_brands, F_tags, F_images, F_attributes, F_default_attributes, F_variations,
    F_grouped_products, F_menu_order, F_price_html, F_related_ids, F_meta_data, F_stock_status, F_has_options,
    F_post_password, F_global_unique_id, F_permalink_template, F_generated_slug, F_count
};
using FieldMask = std::bitset<F_count>;

// The mask of a _fields list (unknown names ignored, id always in); nullopt
// when a name is dotted (nested members: not rendered here).
std::optional<FieldMask> product_field_mask(const std::vector<std::string>& fields);
FieldMask all_product_fields();

struct RenderContext {
    const ProductFacts& facts;
    const std::string& base;  // http://host:port
};

void append_product(std::string& out, const RenderContext& ctx, const Post& p, const FieldMask& mask);
void append_variation(std::string& out, const RenderContext& ctx, const Post& v);
void append_media(std::string& out, const RenderContext& ctx, std::optional<std::int64_t> id);
void append_category(std::string& out, const RenderContext& ctx, const Term& t, std::int64_t count);
void append_tag(std::string& out, const RenderContext& ctx, const Term& t, std::int64_t count);
void append_attribute(std::string& out, const RenderContext& ctx, const Attribute& a);

}  // namespace benchstore
