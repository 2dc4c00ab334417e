// From the conditions PostgreSQL could hand over to the requests a scan
// makes: point lookups, include/sku lists in chunks of 100, query
// parameters, nested collections per parent (or one flat collection of
// every parent's items). Pure: no I/O, so EXPLAIN shows exactly what a scan
// will ask without asking anything.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/woo/resources.hpp"
#include "core/transport/url.hpp"

namespace wcfdw {

enum class CondOp { Eq, In, Gt, Ge, Lt, Le, Contains };

struct ScanCondition {
    const FilterSpec* filter = nullptr;
    CondOp op = CondOp::Eq;
    // Ids and texts as they are, booleans "true"/"false", dates as
    // microseconds since 1970-01-01 UTC (decimal).
    std::vector<std::string> values;
    // false: the value exists only at run time (a join's outer row, in
    // EXPLAIN); values then holds one label such as "{p.id}" to display.
    bool known = true;
};

struct ScanSettings {
    std::vector<std::string> fields;  // _fields (top-level members); empty: everything
    long limit = -1;                  // rows wanted when the store filters exactly; -1: all
    int per_page = 100;
};

struct ScanRequest {
    std::string path;                 // relative to the API base, e.g. products/26/variations
    std::vector<QueryParam> query;    // without page
    bool item = false;                // GET one object (a 404 means no row)
    bool paged = true;                // add page=N and follow X-WP-TotalPages
    std::string parent;               // nested collections: the parent's key ("" otherwise)
};

struct ScanPlan {
    const ResourceInfo* resource = nullptr;
    bool empty = false;        // the conditions cannot match: no request at all
    bool exact = true;         // the store applies every condition exactly as SQL would
    long limit = -1;           // stop after this many rows (exact plans only)
    // Nested resource without a parent condition: list the parents first
    // (parent_request, reading each parent's parent_key member), then run
    // `requests` (with "{parent}" in the path) once per parent.
    bool expand_parents = false;
    ScanRequest parent_request;
    std::string parent_key;
    std::vector<ScanRequest> requests;
};

ScanPlan plan_scan(const ResourceInfo& resource, const std::vector<ScanCondition>& conditions,
                   const ScanSettings& settings);

// Can count(*) be answered by X-WP-Total? One paged list request, exact.
bool plan_is_countable(const ScanPlan& plan);

// The request that answers count(*): the plan's one list request with
// per_page=1 and _fields=id (X-WP-Total carries the answer).
ScanRequest count_request(const ScanPlan& plan);

// The request with page=1 (or the count request) as "GET /wp-json/wc/v3/products?..."
// lines for EXPLAIN; `api_base` is "/wp-json/wc/v3".
// With `count`, the request that answers count(*) instead.
std::vector<std::string> describe_plan(const ScanPlan& plan, const std::string& api_base, int concurrency,
                                       bool count = false);

// "products/{parent}/variations" with the parent filled in.
std::string request_path(const ScanRequest& request, const std::string& parent);
std::string request_path(const ScanRequest& request, std::int64_t parent) = delete;  // keys are text

// Can `key` stand in an item route as WooCommerce matches it? Integer
// keys are decimals without a sign or leading zeros (zone 0 exists); text keys are [A-Za-z0-9_-]+ (WordPress's
// [\w-]+ without the u flag), of `length` characters when not 0.
bool routable_key(KeyType type, const std::string& key, std::size_t length = 0);

// WooCommerce's date parameter format (UTC, seconds): 2024-01-31T12:00:00
std::string format_gmt(std::int64_t epoch_seconds);

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
