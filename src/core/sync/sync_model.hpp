// The sync engine's data model, as pure functions on JSON: how a local
// product (a row of woocommerce.product, as to_jsonb gives it) becomes the
// values an export compares and sends, how those values become a
// WooCommerce payload, what changed since the last exchange, how a
// products/batch answer is read item by item, and how a store product
// becomes a local row under an import mapping. No I/O here: the
// orchestration (sync_engine) and the PostgreSQL layer feed it.
//
// "Canonical" values are what change detection compares and what
// product_sync.last_exchanged keeps: independent of the store's ids and
// formatting, so that an unchanged product compares equal whatever the
// store's decimals or category ids are.
//   prices, weight    decimal strings without trailing zeros ("12.5"), "" for none
//   categories        ["Clothing > Hoodies", ...]  (paths of names)
//   tags              ["Sale", ...]
//   images            ["https://.../a.jpg", ...]   (src URLs, in order)
//   attributes        {"Color": ["Red", "Blue"], ...}
//   meta_data         {"key": value, ...}
//   dimensions        {"length": "1", "width": "", "height": ""}
//   other fields      their WooCommerce JSON value
// last_exchanged also carries "_image_ids" ({src: media id}) so that an image
// is sent by src once and by id afterwards.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace wcfdw::sync {

using Json = nlohmann::json;

// Which WooCommerce fields an export sends and where each one's value comes
// from. `field_types` are WooCommerce's JSON types (woocommerce.product_field).
struct ExportSpec {
    std::vector<std::string> fields;                  // the selected WooCommerce fields: what an update compares and sends
    std::vector<std::string> create_fields;           // name and sku, then `fields`: what a create sends
    std::map<std::string, std::string> sources;       // WooCommerce field -> local field
    std::map<std::string, std::string> field_types;   // WooCommerce field -> "string", "integer", ...
};

// fields: the selected WooCommerce fields; field_mappings: {local: woo}
// (an export mapping's renames). A WooCommerce field without a rename takes
// the local field of the same name. A create always carries name and sku
// (the store needs them to find and show the product); an update only the
// selected fields (update_product(..., ARRAY['regular_price']) sends the
// price alone, even when the name changed too).
ExportSpec make_export_spec(const std::vector<std::string>& fields, const Json& field_mappings,
                            const Json& field_types);

// "12.50" -> "12.5", "7.000" -> "7", "" / null -> "". Not a number: as is.
std::string normalize_decimal(const std::string& text);
// "12.5" with 2 decimals -> "12.50" (half away from zero); "" stays "".
std::string format_decimal(const std::string& text, int decimals);

// "Clothing>Hoodies" / " Clothing  >  Hoodies " -> "Clothing > Hoodies".
std::string normalize_category_path(const std::string& path);
std::vector<std::string> split_category_path(const std::string& path);

// The canonical values of spec.create_fields for a local product. A field
// whose local source does not exist in the row is left out.
Json canonical_export_values(const Json& local, const ExportSpec& spec, bool is_variation);

// Fields of `canonical` that differ from `last_exchanged` (all of them when
// there is no last exchange), in spec order.
std::vector<std::string> changed_fields(const Json& canonical, const Json& last_exchanged,
                                        const std::vector<std::string>& order);

// What product_sync.last_exchanged becomes after `fields` of `canonical`
// were accepted by the store: the previous state with those fields replaced.
Json merge_exchanged(const Json& previous, const Json& canonical, const std::vector<std::string>& fields);

// Store ids an export needs to write categories and global attributes.
struct TermIndex {
    std::map<std::string, std::int64_t> category_ids;   // normalized path -> id
    // lower-cased attribute name and slug ("color", "pa_color") -> id
    std::map<std::string, std::int64_t> attribute_ids;
    int price_decimals = 2;
};

// The WooCommerce JSON for `fields` of a canonical product. Products:
// categories [{id}], tags [{name}], images [{id}|{src}], attributes with
// `variation` set for variable products. Variations: a single `image`,
// attributes [{id|name, option}], and fields a variation does not have
// (name, type, categories, tags, short_description) left out.
Json build_payload(const Json& canonical, const std::vector<std::string>& fields, const TermIndex& terms,
                   const Json& image_ids, bool is_variation, bool is_variable);

// Fields a variation cannot take (WooCommerce's variation schema).
bool variation_skips_field(const std::string& field);

// Media ids the store gave the images we sent: {src: id}, merged into
// `previous`. `sent` are the canonical src URLs in order; `object` the
// store's answer (product: images[], variation: image{}).
Json image_ids_after_write(const Json& previous, const Json& sent, const Json& object, bool is_variation);

// One item of a products/batch (or variations/batch) answer.
struct BatchOutcome {
    bool ok = false;
    std::int64_t woo_id = 0;
    Json object;                 // the store's object (successful items)
    std::string error_code;      // WooCommerce code of a failed item
    std::string error;           // "code: message" of a failed item
    std::int64_t resource_id = 0;  // data.resource_id (duplicate SKU owner)
};

// Reads a batch answer for `creates` create items and `updates` update
// items, in request order. A failed request (status >= 400) or an answer
// without the item fails every missing item with `request_error`.
std::vector<BatchOutcome> interpret_batch(long status, const Json& body, std::size_t creates, std::size_t updates,
                                          const std::string& request_error);

// Whether a failed create means "a product with this SKU exists already"
// (then the export adopts that product and updates it).
bool is_duplicate_sku_error(const std::string& code);

// Import ---------------------------------------------------------------------

struct ImportSpec {
    Json attribute_mappings = Json::object();   // WooCommerce attribute name or pa_ slug -> local key
    Json field_mappings = Json::object();       // WooCommerce field -> local field
    std::int64_t connection_id = 0;
};

// The local SKU of a store product without one: "woo-<connection>-<id>".
std::string generated_sku(std::int64_t connection_id, std::int64_t woo_id);

// A store product (context=edit) as a local row (the data columns of
// woocommerce.product; parent_id is left to the caller). Values are made to
// satisfy the local catalog's checks (negative stock -> 0, a sale price not
// below the regular one dropped, stock only with manage_stock).
Json local_from_store(const Json& product, const ImportSpec& spec, bool is_variation);

// The canonical values of a local row for every WooCommerce field that has a
// local column of the same name (what an identity export would send), plus
// _image_ids from the store object: product_sync.last_exchanged after an
// import, so that exporting an unchanged imported product sends nothing.
Json exchanged_after_import(const Json& local, const Json& store_object, bool is_variation);

// Local columns an identity export maps (WooCommerce field = local column).
const std::vector<std::string>& identity_fields();

}  // namespace wcfdw::sync

#include "core/base/pure_cpp.hpp"
