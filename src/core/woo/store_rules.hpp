// WooCommerce's write rules: what a product or variation write keeps as
// sent, what it drops and what the store computes itself. Read from
// WooCommerce's REST controllers (prepare_object_for_database of
// class-wc-rest-products-controller.php and
// class-wc-rest-product-variations-controller.php) and
// WC_Product::validate_props:
//   - stock_quantity (and backorders, low_stock_amount) are kept only when
//     the product manages its stock; otherwise they are blanked;
//   - with managed stock, stock_status follows the quantity; variable
//     products take theirs from their variations;
//   - variable and grouped products keep no regular_price, sale_price or
//     sale dates (they live on the variations / the children);
//   - a variation keeps an attribute only when its parent has it as a
//     variation attribute;
//   - a sale price is kept as sent, but the product is on sale only while
//     it is below the regular price and inside its sale dates.
// The export and the foreign-table writes compare the store's answer with
// what they sent, so that a dropped or changed value is reported instead of
// being recorded as written.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace wcfdw {

// A member of a write body that the store's answer does not hold as sent.
struct UnkeptMember {
    std::string member;     // the body member ("stock_quantity", "attributes", "image")
    nlohmann::json sent;
    nlohmann::json kept;    // the store's value (null when the answer has none)
    std::string reason;     // the WooCommerce rule that explains it, or empty
};

// Compares a write body with the object the store answered (context=edit).
// Every member but "id" must come back with the same value, compared the way
// WooCommerce formats it: decimal strings by value, text after HTML
// entities and surrounding blanks, terms by id or by name, attribute
// options by name (case-insensitively), images by count, meta data by key.
// An empty array is kept by any array (WooCommerce gives a product without
// categories its default category).
std::vector<UnkeptMember> unkept_members(const nlohmann::json& sent, const nlohmann::json& answer);

// "stock_quantity (sent 2, the store has null: WooCommerce keeps
// stock_quantity only when manage_stock is true)"; `sent_word` replaces
// "sent" (e.g. "local" for a value that was not part of the write).
std::string describe_unkept(const UnkeptMember& unkept, const std::string& sent_word = "sent");

// One line for all of them: "the store did not keep stock_quantity (sent 2,
// the store has null: ...); name (...)", or with another `lead`.
std::string describe_unkept(const std::vector<UnkeptMember>& unkept,
                            const std::string& lead = "the store did not keep", const std::string& sent_word = "sent");

// A sale price the store keeps but does not apply: the answer has a
// sale_price, on_sale is false and no sale start date lies ahead. Empty when
// the body sent no sale price or the sale applies.
std::string sale_not_applied(const nlohmann::json& sent, const nlohmann::json& answer);

// Whether WooCommerce computes `field` itself for a product of this type and
// stock management and ignores a value sent for it: stock_status with
// managed stock or on a variable product; regular_price, sale_price and the
// sale dates on variable and grouped products.
bool store_computes(const std::string& field, const std::string& product_type, bool manage_stock);

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
