#include "api.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "product_facts.hpp"
#include "wp_error.hpp"
#include "wp_text.hpp"

namespace benchstore {
namespace {

std::vector<std::string> segments(const std::string& path) {
    std::vector<std::string> out;
    std::size_t start = 1;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        out.push_back(path.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

bool is_number(const std::string& s) {
    return !s.empty() && s.size() < 18 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool same_word(const std::string& a, const char* b) { return ascii_lower(a) == b; }

const char* const kIdKey = "(?P<id>[\\d]+)";

// A term-like resource under /wc/v3/products/<name>: collection, batch, item.
Route term_route(const std::vector<std::string>& s, const char* name, Resource resource) {
    Route r;
    r.resource = resource;
    const std::string base = std::string("/wc/v3/products/") + name;
    if (s.size() == 4) {
        r.kind = RouteKind::Collection;
        r.template_name = r.key = base;
    } else if (s.size() == 5 && same_word(s[4], "batch")) {
        r.kind = RouteKind::Batch;
        r.template_name = r.key = base + "/batch";
    } else if (s.size() == 5 && is_number(s[4])) {
        r.kind = RouteKind::Item;
        r.id = std::stoll(s[4]);
        r.template_name = base + "/<id>";
        r.key = base + "/" + kIdKey;
    }
    return r;
}

Route product_route(const std::vector<std::string>& s) {
    Route r;
    if (s.size() == 3) {
        r = {RouteKind::Collection, Resource::Products, "/wc/v3/products", "/wc/v3/products"};
    } else if (same_word(s[3], "batch") && s.size() == 4) {
        r = {RouteKind::Batch, Resource::Products, "/wc/v3/products/batch", "/wc/v3/products/batch"};
    } else if (same_word(s[3], "categories")) {
        r = term_route(s, "categories", Resource::Categories);
    } else if (same_word(s[3], "tags")) {
        r = term_route(s, "tags", Resource::Tags);
    } else if (same_word(s[3], "attributes")) {
        if (s.size() >= 6 && is_number(s[4]) && same_word(s[5], "terms")) {
            r.resource = Resource::Terms;  // not implemented: the routes exist, the handlers answer 501
            r.kind = RouteKind::Collection;
            r.template_name = "/wc/v3/products/attributes/<attribute_id>/terms";
            r.key = "/wc/v3/products/attributes/(?P<attribute_id>[\\d]+)/terms";
        } else {
            r = term_route(s, "attributes", Resource::Attributes);
        }
    } else if (is_number(s[3]) && s.size() == 4) {
        r = {RouteKind::Item, Resource::Products, "/wc/v3/products/<id>", std::string("/wc/v3/products/") + kIdKey};
        r.id = std::stoll(s[3]);
    } else if (is_number(s[3]) && s.size() >= 5 && same_word(s[4], "variations")) {
        const std::string base = "/wc/v3/products/(?P<product_id>[\\d]+)/variations";
        r.resource = Resource::Variations;
        r.parent_id = std::stoll(s[3]);
        if (s.size() == 5) {
            r.kind = RouteKind::Collection;
            r.template_name = "/wc/v3/products/<product_id>/variations";
            r.key = base;
        } else if (s.size() == 6 && same_word(s[5], "batch")) {
            r.kind = RouteKind::Batch;
            r.template_name = "/wc/v3/products/<product_id>/variations/batch";
            r.key = base + "/batch";
        } else if (s.size() == 6 && is_number(s[5])) {
            r.kind = RouteKind::Item;
            r.id = std::stoll(s[5]);
            r.template_name = "/wc/v3/products/<product_id>/variations/<id>";
            r.key = base + "/" + kIdKey;
        }
    }
    return r;
}

WpError no_route() { return WpError("rest_no_route", "No route was found matching the URL and request method.", 404); }

void replace_all(std::string& text, const std::string& from, const std::string& to) {
    for (std::size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
        text.replace(pos, from.size(), to);
}

// schema.py rehost(): the data files' host becomes the request's, the unit
// placeholders the store's units.
std::string rehosted(std::string text, const std::string& base, const Catalog& c) {
    replace_all(text, "http://127.0.0.1:8080", base);
    replace_all(text, "%WEIGHT_UNIT%", c.weight_unit);
    replace_all(text, "%DIMENSION_UNIT%", c.dimension_unit);
    return text;
}

}  // namespace

Route match_route(const std::string& route) {
    const auto s = segments(route);
    Route none;
    if (s.size() < 2 || !same_word(s[0], "wc") || !same_word(s[1], "v3")) return none;
    if (s.size() == 2) return {RouteKind::Index, Resource::None, "/wc/v3", "/wc/v3"};
    if (s.size() == 3 && same_word(s[2], "system_status"))
        return {RouteKind::SystemStatus, Resource::None, "/wc/v3/system_status", "/wc/v3/system_status"};
    if (same_word(s[2], "products")) return product_route(s);
    for (auto [name, resource] : {std::pair<const char*, Resource>{"orders", Resource::Orders}, {"customers", Resource::Customers}}) {
        if (!same_word(s[2], name)) continue;
        Route r;
        r.resource = resource;
        if (s.size() == 3) {
            r.kind = RouteKind::Collection;
            r.template_name = r.key = std::string("/wc/v3/") + name;
        } else if (s.size() == 4 && is_number(s[3])) {
            r.kind = RouteKind::Item;
            r.id = std::stoll(s[3]);
            r.template_name = std::string("/wc/v3/") + name + "/<id>";
            r.key = std::string("/wc/v3/") + name + "/" + kIdKey;
        }
        return r;
    }
    return none;
}

ApiResponse json_response(int status, std::string body, Headers headers) {
    ApiResponse r;
    r.status = status;
    r.headers = std::move(headers);
    r.body = std::make_shared<const std::string>(std::move(body));
    return r;
}

ApiResponse error_response(const WpError& e) {
    std::string body;
    append_json_value(body, e.body());
    return json_response(e.status, std::move(body));
}

void only_params(const Json& params, std::initializer_list<const char*> known, const char* where) {
    for (auto it = params.begin(); it != params.end(); ++it) {
        const std::string& k = it.key();
        if (k.rfind("oauth_", 0) == 0 || k == "consumer_key" || k == "consumer_secret") continue;
        if (std::find_if(known.begin(), known.end(), [&](const char* n) { return k == n; }) == known.end())
            throw unsupported("the parameter " + k + " of " + where);
    }
}

std::string context_of(const Json& params) {
    const std::string context = params.value("context", std::string("view"));
    if (context != "edit") throw unsupported("context=" + context + " (the benchmarks read context=edit)");
    return context;
}

std::optional<FieldMask> fields_mask(const Json& params) {
    if (!params.contains("_fields") || !params["_fields"].is_string() || params["_fields"].get<std::string>().empty())
        return std::nullopt;
    const auto mask = product_field_mask(parse_list(params["_fields"].get<std::string>()));
    if (!mask) throw unsupported("nested _fields (a.b)");
    return mask;
}

std::pair<std::size_t, std::size_t> paginate(const ApiRequest& req, std::size_t total, std::int64_t per_page,
                                             std::int64_t page, std::optional<std::int64_t> offset, Headers& headers) {
    const std::int64_t max_pages = per_page ? static_cast<std::int64_t>(std::ceil(static_cast<double>(total) / per_page)) : 0;
    std::int64_t start = offset ? *offset : (page - 1) * per_page;
    if (start < 0) start = 0;
    const std::size_t first = std::min<std::size_t>(static_cast<std::size_t>(start), total);
    const std::size_t last = std::min<std::size_t>(first + static_cast<std::size_t>(per_page), total);
    headers.push_back({"X-WP-Total", std::to_string(total)});
    headers.push_back({"X-WP-TotalPages", std::to_string(max_pages)});
    auto link = [&](std::int64_t to) { return page_link(req.base + "/wp-json" + req.route, req.query, to); };
    std::string links;
    if (page > 1) links = "<" + link(std::min(page - 1, max_pages)) + ">; rel=\"prev\"";
    if (max_pages > page) links += (links.empty() ? "" : ", ") + std::string("<") + link(page + 1) + ">; rel=\"next\"";
    if (!links.empty()) headers.push_back({"Link", links});
    return {first, last};
}

void Api::require(const Call& call, const char* action) const {
    if (call.key) return;
    static const std::map<std::string, std::pair<const char*, const char*>> messages = {
        {"list", {"woocommerce_rest_cannot_view", "Sorry, you cannot list resources."}},
        {"read", {"woocommerce_rest_cannot_view", "Sorry, you cannot view this resource."}},
        {"create", {"woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources."}},
        {"edit", {"woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource."}},
        {"delete", {"woocommerce_rest_cannot_delete", "Sorry, you are not allowed to delete this resource."}},
        {"batch", {"woocommerce_rest_cannot_batch", "Sorry, you are not allowed to batch manipulate this resource."}}};
    const auto& m = messages.at(action);
    throw WpError(m.first, m.second, 401);
}

ApiResponse Api::handle(const ApiRequest& req, ApiOutcome& outcome) {
    std::string path = req.route;
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    const Route route = match_route(path);
    outcome.counter = req.method + " " + (route.kind == RouteKind::None ? (path == "/" ? "/" : "<no_route>") : route.template_name);
    Call call{req, route, Json::object(), nullptr, outcome};
    try {
        if (path == "/" || path.empty()) throw unsupported("the site index (GET /wp-json/)");
        if (ascii_lower(path).rfind("/wc/", 0) == 0) {
            AuthResult auth = keys_.authenticate(req.method, req.base + "/wp-json" + path, req.query, req.form,
                                                 req.authorization, now_utc());
            outcome.auth_mode = auth.mode;
            outcome.consumer_key = auth.consumer_key;
            if (auth.error) throw *auth.error;
            if (auth.key)
                if (auto e = key_permission_error(*auth.key, req.method)) throw *e;
            call.key = auth.key;
            outcome.logged_in = auth.key != nullptr;
        }
    } catch (const WpError& e) {
        return error_response(e);
    }
    if (route.kind == RouteKind::None) return error_response(no_route());
    // The methods of the route, as the store's captured route index lists them.
    const Json& routes = rules_.routes();
    Json methods = routes.contains(route.key) ? routes[route.key]["methods"] : Json::array({"GET"});
    std::string allow;
    for (const auto& m : methods) allow += (allow.empty() ? "" : ", ") + m.get<std::string>();
    const std::string method = req.method == "HEAD" ? "GET" : req.method;
    ApiResponse resp;
    if (method == "OPTIONS") {
        resp = options(call);
        if (call.key) resp.headers.push_back({"Allow", allow});
        return resp;
    } else if (std::find(methods.begin(), methods.end(), Json(method)) == methods.end()) {
        return error_response(no_route());
    } else {
        try {
            resp = dispatch(call, method);
        } catch (const WpError& e) {
            resp = error_response(e);
        }
    }
    // WordPress's Allow lists the methods whose permission check passes: all of
    // them for an accepted key, none (no header) without one.
    if (call.key && std::none_of(resp.headers.begin(), resp.headers.end(), [](const auto& h) { return h.first == "Allow"; }))
        resp.headers.push_back({"Allow", allow});
    return resp;
}

ApiResponse Api::dispatch(Call& call, const std::string& method) {
    if (method == "GET") {
        std::shared_lock<std::shared_mutex> read(catalog_.lock);
        if (call.route.kind == RouteKind::Collection) return dispatch_collection(call, method);
        if (call.route.kind == RouteKind::Item) return dispatch_item(call, method);
        if (call.route.kind == RouteKind::SystemStatus) {
            require(call, "list");
            return system_status(call);
        }
        throw unsupported("GET " + call.route.template_name);
    }
    std::unique_lock<std::shared_mutex> write(catalog_.lock);
    struct Touch {  // any write, even a failed one, starts a new catalogue state
        Catalog& c;
        ~Touch() { c.touch(); }
    } touch{catalog_};
    if (call.route.kind == RouteKind::Collection) return dispatch_collection(call, method);
    if (call.route.kind == RouteKind::Item) return dispatch_item(call, method);
    if (call.route.kind == RouteKind::Batch) {
        Json body = call.req.body.is_object() ? call.req.body : Json::object();
        for (const auto& [k, v] : call.req.form)
            if (!body.contains(k)) body[k] = v;
        rules_.validate(body, rules_.route_args(call.route.key, method));
        require(call, "batch");
        return batch(call, body);
    }
    throw unsupported(method + " " + call.route.template_name);
}

static Json body_params(const ApiRequest& req) {
    Json body = req.body.is_object() ? req.body : Json::object();
    for (const auto& [k, v] : req.form)
        if (!body.contains(k)) body[k] = v;
    return body;
}

static Json query_params(const ApiRequest& req) {
    Json q = Json::object();
    for (const auto& [k, v] : req.query) {
        if (k.size() > 2 && k.compare(k.size() - 2, 2, "[]") == 0) throw unsupported("PHP array parameters (" + k + ")");
        q[k] = v;
    }
    return q;
}

ApiResponse Api::dispatch_collection(Call& call, const std::string& method) {
    const Resource r = call.route.resource;
    if (method == "GET") {
        call.params = rules_.validate(query_params(call.req), rules_.route_args(call.route.key, "GET"));
        require(call, "list");
        switch (r) {
            case Resource::Products: return list_products(call);
            case Resource::Variations: return list_variations(call);
            case Resource::Categories: return list_categories(call);
            case Resource::Tags: return list_tags(call);
            case Resource::Attributes: return list_attributes(call);
            default: throw unsupported("GET " + call.route.template_name);
        }
    }
    if (r == Resource::Orders || r == Resource::Customers)
        throw WpError("woostore_not_implemented", "The test store only implements read access to " +
                                                      std::string(r == Resource::Orders ? "orders" : "customers") + ".",
                      501);
    const Json body = body_params(call.req);
    call.params = rules_.validate(body, rules_.route_args(call.route.key, "POST"));
    require(call, "create");
    if (r == Resource::Products) return create_product(call, body);
    if (r == Resource::Categories) return create_category(call, body);
    throw unsupported("POST " + call.route.template_name);
}

ApiResponse Api::dispatch_item(Call& call, const std::string& method) {
    const Resource r = call.route.resource;
    if (method == "GET") {
        call.params = rules_.validate(query_params(call.req), rules_.route_args(call.route.key, "GET"));
        if (r == Resource::Products) return get_product(call);
        if (r == Resource::Variations) return get_variation(call);
        throw unsupported("GET " + call.route.template_name);
    }
    if (r != Resource::Products) throw unsupported(method + " " + call.route.template_name);
    if (method == "DELETE") {
        call.params = rules_.validate(query_params(call.req), rules_.route_args(call.route.key, "DELETE"));
        return delete_product(call);
    }
    const Json body = body_params(call.req);
    call.params = rules_.validate(body, rules_.route_args(call.route.key, method));
    return update_product(call, body);
}

ApiResponse Api::options(const Call& call) const {
    // schema.py options_body(): the route's index entry and its schema; only
    // literal routes have _links.
    const Json& entry = rules_.routes()[call.route.key];
    Json body = Json::object();
    body["namespace"] = entry["namespace"];
    body["methods"] = entry["methods"];
    body["endpoints"] = entry["endpoints"];
    const Json& schema = rules_.route_schema(call.route.key);
    if (!schema.is_null()) body["schema"] = schema;
    if (entry.contains("_links")) body["_links"] = entry["_links"];
    std::string text;
    append_json_value(text, body);
    return json_response(200, rehosted(std::move(text), call.req.base, catalog_));
}

ApiResponse Api::system_status(const Call& call) const {
    Json status = rules_.system_status_template();
    Json& env = status["environment"];
    for (const auto& [k, v] : std::vector<std::pair<const char*, Json>>{
             {"home_url", call.req.base}, {"site_url", call.req.base}, {"version", "10.0.2"}, {"wp_version", "6.8.8"},
             {"server_info", "nginx/1.22.1 (woostore)"}, {"php_version", "8.2.0"},
             {"mysql_version", "10.11.6-MariaDB"}, {"default_timezone", "UTC"}, {"wp_debug_mode", false},
             {"wp_cron", false}, {"language", "en_US"},
             {"log_directory", "/var/www/html/wp-content/uploads/wc-logs/"}})
        env[k] = v;
    status["database"]["wc_database_version"] = "10.0.2";
    Json& settings = status["settings"];
    for (const auto& [k, v] : std::vector<std::pair<const char*, Json>>{
             {"currency", "EUR"}, {"currency_symbol", "&euro;"}, {"currency_position", "left"},
             {"thousand_separator", ","}, {"decimal_separator", "."}, {"number_of_decimals", 2}, {"force_ssl", false}})
        settings[k] = v;
    status["security"]["secure_connection"] = false;
    status["theme"]["name"] = "Storefront";
    std::string text;
    append_json_value(text, status);
    return json_response(200, std::move(text));
}

}  // namespace benchstore
