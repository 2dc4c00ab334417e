// The wc/v3 API of the benchmark store: routing, authentication, parameter
// validation and the handlers the benchmarks use (woostore_lib/api.py is the
// reference; check_bench_store.py compares the answers). What it does not
// implement answers 501 bench_store_unsupported.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "catalog.hpp"
#include "item_fields.hpp"
#include "oauth_check.hpp"
#include "page_cache.hpp"
#include "query.hpp"
#include "render.hpp"
#include "schema_rules.hpp"

namespace benchstore {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct ApiRequest {
    std::string method;                  // after X-HTTP-Method-Override
    std::string route;                   // after /wp-json, e.g. /wc/v3/products/10
    QueryPairs query;                    // decoded, in order
    Json body;                           // the JSON body (object, array, ...) or null
    QueryPairs form;                     // an application/x-www-form-urlencoded body
    std::string base;                    // http://host:port
    const std::string* authorization = nullptr;
};

struct ApiResponse {
    int status = 200;
    Headers headers;
    std::shared_ptr<const std::string> body;
};

// What the request log wants to know about a handled request.
struct ApiOutcome {
    std::string counter;      // "GET /wc/v3/products"
    bool logged_in = false;   // an API key was accepted
    std::string auth_mode = "none";
    std::string consumer_key;
    Json items;               // batch item counts
};

enum class RouteKind { Index, SystemStatus, Collection, Batch, Item, None };
enum class Resource { None, Products, Variations, Categories, Tags, Attributes, Terms, Orders, Customers };

struct Route {
    RouteKind kind = RouteKind::None;
    Resource resource = Resource::None;
    std::string template_name;   // /wc/v3/products/<id>
    std::string key;             // the schema file's route key (a regular expression)
    std::int64_t id = 0, parent_id = 0;
};

Route match_route(const std::string& route);

class Api {
public:
    Api(Catalog& catalog, const SchemaRules& rules, KeyRing& keys, PageCache& pages)
        : catalog_(catalog), rules_(rules), keys_(keys), pages_(pages) {}
    ApiResponse handle(const ApiRequest& req, ApiOutcome& outcome);

private:
    struct Call {
        const ApiRequest& req;
        const Route& route;
        Json params;                  // validated query or body parameters
        const ApiKey* key = nullptr;  // authenticated key
        ApiOutcome& outcome;
    };
    ApiResponse dispatch(Call& call, const std::string& method);
    ApiResponse dispatch_collection(Call& call, const std::string& method);
    ApiResponse dispatch_item(Call& call, const std::string& method);
    ApiResponse options(const Call& call) const;
    ApiResponse system_status(const Call& call) const;
    void require(const Call& call, const char* action) const;

    // products and variations (api_products.cpp)
    ApiResponse list_products(Call& call);
    ApiResponse get_product(Call& call);
    ApiResponse create_product(Call& call, const Json& body);
    ApiResponse update_product(Call& call, const Json& body);
    ApiResponse delete_product(Call& call);
    ApiResponse list_variations(Call& call);
    ApiResponse get_variation(Call& call);
    ApiResponse batch(Call& call, const Json& body);
    // Each appends the item's answer to out, or throws its WpError.
    void batch_create(Call& call, const ItemFields& data, std::string& out);
    void batch_update(Call& call, const ItemFields& data, std::string& out);
    void batch_delete(Call& call, std::int64_t id, std::string& out);
    // The products a list shows, in order. Unfiltered lists in id order share
    // the catalogue's own list (a million ids are not copied per page).
    struct Selection {
        std::shared_ptr<const std::vector<std::int64_t>> ids;
        bool reversed = false;
        bool filtered = false;
        std::size_t size() const { return ids->size(); }
        std::int64_t at(std::size_t i) const { return reversed ? (*ids)[ids->size() - 1 - i] : (*ids)[i]; }
    };
    Selection select_products(const Json& p) const;
    const Post& parent_or_404(const Call& call, Post& scratch) const;

    // terms (api_terms.cpp)
    ApiResponse list_categories(Call& call);
    ApiResponse list_tags(Call& call);
    ApiResponse list_attributes(Call& call);
    ApiResponse create_category(Call& call, const Json& body);

    Catalog& catalog_;
    const SchemaRules& rules_;
    KeyRing& keys_;
    PageCache& pages_;
};

// Helpers shared by the handler files.
ApiResponse json_response(int status, std::string body, Headers headers = {});
ApiResponse error_response(const WpError& e);
// paginate(): the page's slice [first, last) and the X-WP-Total, X-WP-TotalPages and Link headers.
std::pair<std::size_t, std::size_t> paginate(const ApiRequest& req, std::size_t total, std::int64_t per_page,
                                             std::int64_t page, std::optional<std::int64_t> offset, Headers& headers);
// The parameters a handler understands; any other one answers 501.
void only_params(const Json& params, std::initializer_list<const char*> known, const char* where);
std::string context_of(const Json& params);  // "edit", or 501 for "view"
std::optional<FieldMask> fields_mask(const Json& params);  // nullopt: all members

}  // namespace benchstore
