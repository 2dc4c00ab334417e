// The WooCommerce resources a foreign table can stand for, where they live
// in the REST API, and which of their fields a scan can hand to the store as
// a query parameter. One table drives planning, EXPLAIN and the docs.
#pragma once

#include <string>
#include <vector>

namespace wcfdw {

enum class Resource { Products, Variations, Categories, Tags, Attributes, AttributeTerms, Orders, Customers };

// How a condition on a field can reach the store.
enum class FilterKind {
    Id,          // id = c -> GET item; id = ANY(...) -> include=... (chunks of 100)
    List,        // field = c or = ANY(...) -> param=a,b,c (comma list, OR)
    Single,      // field = c -> param=c
    Bool,        // field = true/false -> param=true/false
    DateRange,   // field > / >= / < / <= t -> after_param / before_param (strict bounds)
    Search,      // field ILIKE '%x%' -> search=x (the store searches more fields: a superset)
    PathParent,  // field = c selects the parent collection: products/c/variations
};

struct FilterSpec {
    const char* field;         // JSON member the column reads (after IMPORT: e.g. date_modified_gmt)
    FilterKind kind;
    const char* param;         // query parameter (after_param for DateRange)
    const char* before_param;  // DateRange only
    // Values the store accepts (enumerations): anything else cannot match,
    // so the scan returns no rows without asking. Empty: any value.
    std::vector<std::string> allowed;
    // Does the store's filter select exactly the rows the SQL condition
    // does? Only exact filters may answer count(*) from X-WP-Total.
    bool exact;
};

struct ResourceInfo {
    Resource resource;
    const char* name;             // the option value and IMPORT table name
    const char* path;             // collection path; "{parent}" for nested ones
    const char* parent_field;     // variations: parent_id; terms: attribute_id; else nullptr
    const char* parent_listing;   // collection listing the parents (products, products/attributes)
    bool paged;                   // attributes come all at once, without paging
    bool orderable_by_id;         // orderby=id&order=asc accepted
    bool has_edit_context;        // context=edit returns raw values
    bool writable;                // INSERT/UPDATE/DELETE allowed (orders, customers: read-only here)
    const char* item_noun;        // "product", "category"... for messages
    std::vector<std::pair<std::string, std::string>> fixed_params;  // always sent (customers: role=all)
    std::vector<FilterSpec> filters;
};

const std::vector<ResourceInfo>& all_resources();
// nullptr when unknown.
const ResourceInfo* find_resource(const std::string& name);
const ResourceInfo& resource_info(Resource resource);
// The filter for a JSON member on a resource, or nullptr.
const FilterSpec* find_filter(const ResourceInfo& info, const std::string& field);

// Columns IMPORT FOREIGN SCHEMA adds that the store's schema does not list.
//   attrs     jsonb, the whole object
//   category  bigint, products only: filter column (see README, "Filter columns")
//   tag       bigint, products only
//   parent_id / attribute_id: nested resources, filled from the request path
// Kind of value a column holds when it is not a plain member of the object.
enum class ColumnSource {
    Member,        // the JSON member named by the column's field (default)
    WholeObject,   // attrs
    TermFilter,    // category / tag: the id matching the scan's filter, or the first one
    PathParent,    // parent_id of a variation / attribute_id of a term
};

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
