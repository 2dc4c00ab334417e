#include "core/woo/resources.hpp"

namespace wcfdw {

namespace {

const std::vector<std::string> kProductStatus = {"draft", "pending", "private", "publish", "future", "trash"};
const std::vector<std::string> kProductTypes = {"simple", "grouped", "external", "variable"};
const std::vector<std::string> kStockStatus = {"instock", "outofstock", "onbackorder"};
const std::vector<std::string> kOrderStatus = {"pending",  "processing", "on-hold", "completed", "cancelled",
                                               "refunded", "failed",     "trash",   "checkout-draft"};

// Filters shared by products and variations.
std::vector<FilterSpec> product_filters(bool variations) {
    std::vector<FilterSpec> f = {
        {"id", FilterKind::Id, "include", nullptr, {}, true},
        // sku=a,b is an exact IN lookup (it also finds variations; a products
        // scan drops those, see scan_cursor).
        {"sku", FilterKind::List, "sku", nullptr, {}, true},
        {"status", FilterKind::Single, "status", nullptr, kProductStatus, true},
        {"stock_status", FilterKind::Single, "stock_status", nullptr, kStockStatus, true},
        {"on_sale", FilterKind::Bool, "on_sale", nullptr, {}, true},
        {"slug", FilterKind::Single, "slug", nullptr, {}, true},
        // Bounds are strict and to the second: the scan widens them by one
        // second and rechecks, so these are never exact.
        {"date_created_gmt", FilterKind::DateRange, "after", "before", {}, false},
        {"date_modified_gmt", FilterKind::DateRange, "modified_after", "modified_before", {}, false},
    };
    if (variations) {
        f.push_back({"parent_id", FilterKind::PathParent, nullptr, nullptr, {}, true});
    } else {
        f.push_back({"type", FilterKind::Single, "type", nullptr, kProductTypes, true});
        f.push_back({"featured", FilterKind::Bool, "featured", nullptr, {}, true});
        f.push_back({"parent_id", FilterKind::List, "parent", nullptr, {}, true});
        // Filter columns: the store includes products of child categories,
        // the recheck keeps direct members only; so not exact.
        f.push_back({"categories", FilterKind::List, "category", nullptr, {}, false});
        f.push_back({"tags", FilterKind::List, "tag", nullptr, {}, true});
        // search also looks at descriptions: a superset of name ILIKE.
        f.push_back({"name", FilterKind::Search, "search", nullptr, {}, false});
    }
    return f;
}

std::vector<FilterSpec> term_filters(bool with_parent) {
    std::vector<FilterSpec> f = {
        {"id", FilterKind::Id, "include", nullptr, {}, true},
        {"slug", FilterKind::Single, "slug", nullptr, {}, true},
        {"name", FilterKind::Search, "search", nullptr, {}, false},
    };
    if (with_parent) f.push_back({"parent", FilterKind::Single, "parent", nullptr, {}, true});
    return f;
}

std::vector<ResourceInfo> build() {
    std::vector<ResourceInfo> r;
    r.push_back({Resource::Products, "products", "products", nullptr, nullptr, true, true, true, true, "product", {},
                 product_filters(false)});
    r.push_back({Resource::Variations, "variations", "products/{parent}/variations", "parent_id", "products", true,
                 true, true, true, "variation", {}, product_filters(true)});
    r.push_back({Resource::Categories, "categories", "products/categories", nullptr, nullptr, true, true, true, true,
                 "category", {}, term_filters(true)});
    r.push_back({Resource::Tags, "tags", "products/tags", nullptr, nullptr, true, true, true, true, "tag", {},
                 term_filters(false)});
    r.push_back({Resource::Attributes, "attributes", "products/attributes", nullptr, nullptr, false, false, true,
                 true, "attribute", {}, {{"id", FilterKind::Id, nullptr, nullptr, {}, true}}});
    r.push_back({Resource::AttributeTerms, "attribute_terms", "products/attributes/{parent}/terms", "attribute_id",
                 "products/attributes", true, true, true, true, "attribute term", {}, [] {
                     auto f = term_filters(false);
                     f.push_back({"attribute_id", FilterKind::PathParent, nullptr, nullptr, {}, true});
                     return f;
                 }()});
    r.push_back({Resource::Orders, "orders", "orders", nullptr, nullptr, true, true, true, false, "order", {},
                 {
                     {"id", FilterKind::Id, "include", nullptr, {}, true},
                     {"status", FilterKind::Single, "status", nullptr, kOrderStatus, true},
                     {"customer_id", FilterKind::Single, "customer", nullptr, {}, true},
                     {"parent_id", FilterKind::List, "parent", nullptr, {}, true},
                     {"date_created_gmt", FilterKind::DateRange, "after", "before", {}, false},
                     {"date_modified_gmt", FilterKind::DateRange, "modified_after", "modified_before", {}, false},
                 }});
    // The customers list shows role=customer unless told otherwise.
    r.push_back({Resource::Customers, "customers", "customers", nullptr, nullptr, true, true, true, false, "customer",
                 {{"role", "all"}},
                 {
                     {"id", FilterKind::Id, "include", nullptr, {}, true},
                     {"email", FilterKind::Single, "email", nullptr, {}, true},
                 }});
    return r;
}

}  // namespace

const std::vector<ResourceInfo>& all_resources() {
    static const std::vector<ResourceInfo> resources = build();
    return resources;
}

const ResourceInfo* find_resource(const std::string& name) {
    for (const auto& r : all_resources())
        if (name == r.name) return &r;
    return nullptr;
}

const ResourceInfo& resource_info(Resource resource) {
    for (const auto& r : all_resources())
        if (r.resource == resource) return r;
    return all_resources().front();
}

const FilterSpec* find_filter(const ResourceInfo& info, const std::string& field) {
    for (const auto& f : info.filters)
        if (field == f.field) return &f;
    return nullptr;
}

}  // namespace wcfdw
