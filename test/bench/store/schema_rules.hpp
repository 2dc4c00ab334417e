// The captured WooCommerce routes (test/store/woostore_lib/data/routes.json:
// every wc/v3 route with its methods, arguments and schema) and the
// validation the test store ports from rest_validate_value_from_schema
// (schema.py): the same file and the same rules, so both stores refuse and
// coerce parameters alike.
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "json_text.hpp"

namespace benchstore {

// One endpoint's arguments, indexed: validation looks names up by hash
// instead of walking the captured JSON per parameter.
struct RouteArgs {
    std::unordered_map<std::string, const Json*> by_name;
    std::vector<std::string> required;  // in the captured order
};

class SchemaRules {
public:
    // data_dir: test/store/woostore_lib/data (routes.json,
    // system-status.template.json).
    explicit SchemaRules(const std::string& data_dir);
    // The args of the route key's endpoint for `method` (none when unknown).
    const RouteArgs& route_args(const std::string& route_key, const std::string& method) const;
    // validate_params(): the sanitized copy of `params`, or WpError
    // rest_missing_callback_param / rest_invalid_param. Batch items skip only
    // "id"; requests also skip the route's product_id and attribute_id.
    Json validate(const Json& params, const RouteArgs& args, bool skip_route_ids = true) const;
    // routes.json's "routes" (namespace index entries by route key) and the
    // schema OPTIONS shows for a route (null when it has none).
    const Json& routes() const { return data_.at("routes"); }
    const Json& route_schema(const std::string& route_key) const;
    const Json& system_status_template() const { return system_status_; }

private:
    Json data_, system_status_;
    std::map<std::pair<std::string, std::string>, RouteArgs> args_;  // (route key, method)
    RouteArgs none_;
};

// sanitize() of one value by its schema.
Json sanitize_value(const Json& value, const Json& schema);

}  // namespace benchstore
