// The WooCommerce resources a foreign table can stand for: where each lives
// in the REST API, how its collection is listed, what identifies a row,
// which fields the store can filter on and what WooCommerce lets a client
// write. One table (resource_catalogue.cpp) drives IMPORT FOREIGN SCHEMA,
// planning, EXPLAIN, the write checks and the README's resource grid;
// adding a resource is a row there, not a new code path.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace wcfdw {

// The few resources with code of their own (products drop the variations a
// SKU lookup finds, variations lack "name" in their schema); every other
// resource is Other and lives entirely in its catalogue row.
enum class Resource { Products, Variations, Categories, Tags, Attributes, AttributeTerms, Orders, Customers, Other };

// How a row (or a parent) is named in the item route: products/42,
// payment_gateways/bacs, taxes/classes/reduced-rate.
enum class KeyType : std::uint8_t {
    None,     // no item route (reports, zone locations): rows are only listed
    Integer,  // ids
    Text,     // gateway, setting, shipping method and tool ids, tax class slugs, data codes
};

// How the store answers a list request (the captures show which).
enum class Listing : std::uint8_t {
    Paged,  // page/per_page, X-WP-Total and X-WP-TotalPages
    Whole,  // the whole collection in one answer; no paging, totals headers maybe absent (real/58b, 62)
    Single, // one object, not a list (system_status, data/currencies/current)
};

// What DELETE does.
enum class DeleteMode : std::uint8_t {
    Force,         // WooCommerce cannot trash these: DELETE ?force=true (501 without it)
    TrashOrForce,  // ?force=true, or the trash with the table option trash 'true'
};

// How a condition on a field can reach the store.
enum class FilterKind {
    Id,          // key = c -> GET item; key = ANY(...) -> include=... (chunks of 100), or the recheck
    List,        // field = c or = ANY(...) -> param=a,b,c (comma list, OR)
    Single,      // field = c -> param=c
    Bool,        // field = true/false -> param=<true_value>/<false_value>
    DateRange,   // field > / >= / < / <= t -> after_param / before_param (strict bounds)
    Search,      // field ILIKE '%x%' -> search=x (the store searches more fields: a superset)
    PathParent,  // field = c selects the parent collection: products/c/variations
    Param,       // field = c -> param=c; the field is a request parameter, not a member
                 // (report periods): the column shows the value asked for
};

struct FilterSpec {
    const char* field;         // JSON member the column reads (after IMPORT: e.g. date_modified_gmt)
    FilterKind kind;
    const char* param;         // query parameter (after_param for DateRange)
    const char* before_param;  // DateRange only
    // Values the store accepts (enumerations). Empty: any value.
    std::vector<std::string> allowed;
    // Does the store's filter select exactly the rows the SQL condition
    // does? Only exact filters may answer count(*) from X-WP-Total.
    bool exact;
    // true: `allowed` is every value the store knows, another one matches
    // no row (status = 'bogus' asks nothing). false: the store may know
    // more (its own tax classes), another value stays with the recheck.
    bool allowed_is_complete = true;
    const char* true_value = "true";    // Bool: what true and false are sent as
    const char* false_value = "false";
};

// A column that exists to filter on an array of the object: products'
// category (categories[].id), orders' product (line_items[].product_id).
// Its field is the array; it shows the `member` of the element matching
// the scan's filter, else of the first element.
struct ArrayFilterColumn {
    const char* column;  // category
    const char* field;   // categories
    const char* member;  // id
};

// A request parameter shown as a column (report periods): `column` = c
// sends param=c, and the column shows c.
struct ParamColumn {
    const char* column;
    const char* param;
};

// What WooCommerce lets a client write, and what it checks: the write paths
// refuse everything else before any request.
struct WriteRules {
    bool insert = false;
    bool update = false;
    bool remove = false;
    bool batch = false;  // POST <collection>/batch {"create": [...]} for multi-row INSERT
    DeleteMode delete_mode = DeleteMode::Force;
    // Enumerations WooCommerce validates (a wrong value would fail in the
    // store after earlier rows were written).
    std::vector<std::pair<std::string, std::vector<std::string>>> enums;
    std::vector<std::string> read_only;    // members WooCommerce computes: never written
    std::vector<std::string> insert_only;  // accepted by a create only (zone method_id, username)
    // Members an INSERT must give, and why (refunds: api_refund, which
    // decides whether money moves).
    std::vector<std::pair<std::string, std::string>> required;
};

struct ResourceInfo {
    Resource resource = Resource::Other;
    const char* name = nullptr;        // the option value and IMPORT table name
    const char* path = nullptr;        // collection path; "{parent}" for nested ones
    const char* item_noun = nullptr;   // "product", "order note"... for messages
    const char* summary = nullptr;     // one line for the README grid

    // The row's key: its member, type, and whether the item route takes it.
    const char* key_field = "id";
    KeyType key_type = KeyType::Integer;
    std::size_t key_length = 0;  // text keys of exactly this length (currency codes: [\w-]{3}); 0: any
    // The smallest integer key the store lists: shipping zone 0 ("Locations
    // not covered by your other zones") is a real row; other ids start at 1.
    std::int64_t min_key = 1;

    // Nested collections (orders/{parent}/notes): the column holding the
    // parent's key, the collection listing the parents and its parameters.
    const char* parent_field = nullptr;
    KeyType parent_type = KeyType::Integer;
    const char* parent_listing = nullptr;
    std::vector<std::pair<std::string, std::string>> parent_query;  // variations: type=variable
    // Where the object itself names its parent (variations' parent_id; the
    // flat refunds list's parent_id), else nullptr: filled from the path.
    const char* parent_member = nullptr;
    // One collection listing every parent's items (refunds): read instead
    // of listing the parents when no parent is given, or many are, with
    // flat_parent_param=<parent ids>.
    const char* flat_path = nullptr;
    const char* flat_parent_param = nullptr;

    Listing listing = Listing::Paged;
    bool orderable_by_id = true;     // orderby=id&order=asc accepted
    bool has_edit_context = true;    // context=edit returns raw values
    std::vector<std::pair<std::string, std::string>> fixed_params;  // sent unless a filter sets them
    std::vector<FilterSpec> filters;
    std::vector<ArrayFilterColumn> array_filter_columns;
    std::vector<ParamColumn> param_columns;
    // Members never read back (webhook secrets): always NULL when read.
    std::vector<std::string> write_only;
    WriteRules writes;

    bool read_only() const noexcept { return !writes.insert && !writes.update && !writes.remove; }
    bool paged() const noexcept { return listing == Listing::Paged; }
};

const std::vector<ResourceInfo>& all_resources();
// nullptr when unknown.
const ResourceInfo* find_resource(const std::string& name);
const ResourceInfo& resource_info(Resource resource);
// The filter for a JSON member on a resource, or nullptr.
const FilterSpec* find_filter(const ResourceInfo& info, const std::string& field);
// The resource listing a nested resource's parents, or nullptr.
const ResourceInfo* parent_resource(const ResourceInfo& resource);
// "products, variations, ..." for hints.
std::string resource_names();

// Members WooCommerce computes itself; writing them is refused.
bool is_read_only_field(const ResourceInfo& resource, const std::string& field);
bool is_insert_only_field(const ResourceInfo& resource, const std::string& field);
bool is_write_only_field(const ResourceInfo& resource, const std::string& field);
// The values WooCommerce accepts for a member, or nullptr when any.
const std::vector<std::string>* write_enum(const ResourceInfo& resource, const std::string& field);
// The array filter column or parameter column of that name, or nullptr.
const ArrayFilterColumn* find_array_filter_column(const ResourceInfo& resource, const std::string& column);
// The array filter column reading that array (by field), or nullptr.
const ArrayFilterColumn* find_array_filter_field(const ResourceInfo& resource, const std::string& field);
const ParamColumn* find_param_column(const ResourceInfo& resource, const std::string& column);

// Kind of value a column holds when it is not a plain member of the object.
enum class ColumnSource {
    Member,        // the JSON member named by the column's field (default)
    WholeObject,   // attrs
    TermFilter,    // an ArrayFilterColumn: the element id matching the scan's filter, or the first one
    PathParent,    // the parent's key of a nested row (variations' parent_id, notes' order_id)
    QueryParam,    // a ParamColumn: the value the scan asked for, else NULL
};

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
