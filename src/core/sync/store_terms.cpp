#include "core/sync/store_terms.hpp"

#include <map>
#include <utility>

#include "core/base/text.hpp"
#include "core/sync/sync_engine.hpp"
#include "core/woo/pagination.hpp"

namespace wcfdw::sync {

using Json = nlohmann::json;

namespace {

std::map<std::int64_t, StoreTerms>& term_cache() {
    static std::map<std::int64_t, StoreTerms> cache;
    return cache;
}

}  // namespace

StoreTerms& terms_for(std::int64_t connection_id) {
    auto& cache = term_cache();
    auto it = cache.find(connection_id);
    if (it != cache.end() && std::chrono::steady_clock::now() - it->second.loaded_at > std::chrono::seconds(kTermCacheSeconds))
        cache.erase(it);
    return cache[connection_id];
}

// X-WP-TotalPages, checked (pagination.hpp): digits, no more pages than
// objects. Absent: one page.
std::int64_t total_pages(StoreClient& client, const HttpRequest& request, const HttpResponse& r) {
    const PageHeaders h = read_page_headers(r, client.describe(request));
    return h.total_pages ? *h.total_pages : 1;
}


// Parses a response that must succeed; a failure becomes the WooError.
Json checked_body(StoreClient& client, const HttpRequest& request, const HttpResponse& response) {
    const std::string description = client.describe(request);
    Json body = parse_json_body(response, description, client.secrets());
    if (response.status >= 400) throw error_from_response(response, body, description, client.secrets());
    return body;
}

namespace {

const std::vector<QueryParam> kCategoryQuery = {{"orderby", "id"}, {"order", "asc"}};

HttpRequest first_page_request(StoreClient& client, const std::string& path, std::vector<QueryParam> query) {
    query.push_back({"per_page", "100"});
    query.push_back({"page", "1"});
    return client.make_request(HttpMethod::Get, path, query);
}

// Pages 2..n of a collection whose first page is answered.
std::vector<Json> rest_of_pages(StoreClient& client, const std::string& path, std::vector<QueryParam> query,
                                const HttpRequest& first, const HttpResponse& r) {
    query.push_back({"per_page", "100"});
    std::vector<Json> items;
    Json body = checked_body(client, first, r);
    if (body.is_array())
        for (auto& x : body) items.push_back(std::move(x));
    const std::int64_t pages = total_pages(client, first, r);
    // Requests are prepared a round at a time: a store claiming two
    // billion pages must not make the backend build two billion requests.
    const std::int64_t per_round = std::max(1, client.config().transport.concurrency) * 4;
    for (std::int64_t from = 2; from <= pages; from += per_round) {
        std::vector<HttpRequest> rest;
        for (std::int64_t p = from; p <= pages && p < from + per_round; ++p) {
            auto q = query;
            q.push_back({"page", std::to_string(p)});
            rest.push_back(client.make_request(HttpMethod::Get, path, q));
        }
        const auto responses = client.http().perform_all(rest);
        std::size_t got = 0;
        for (std::size_t i = 0; i < responses.size(); ++i) {
            Json b = checked_body(client, rest[i], responses[i]);
            if (b.is_array())
                for (auto& x : b) items.push_back(std::move(x)), ++got;
        }
        if (got == 0) break;  // past the real end
    }
    return items;
}

void index_categories(const std::vector<Json>& categories, StoreTerms& terms) {
    struct Node {
        std::string name;
        std::int64_t parent = 0;
    };
    std::map<std::int64_t, Node> nodes;
    for (const auto& c : categories)
        if (c.is_object() && c.contains("id") && c["id"].is_number_integer())
            nodes[c["id"].get<std::int64_t>()] = {decode_html_entities(c.value("name", std::string())),
                                                  c.value("parent", static_cast<std::int64_t>(0))};
    auto& ids = terms.index.category_ids;
    ids.clear();
    for (const auto& [id, node] : nodes) {
        std::string path = node.name;
        std::int64_t parent = node.parent;
        for (int depth = 0; parent != 0 && depth < 32; ++depth) {
            auto it = nodes.find(parent);
            if (it == nodes.end()) break;
            path = it->second.name + " > " + path;
            parent = it->second.parent;
        }
        ids.emplace(normalize_category_path(path), id);
    }
    // A bare name finds a nested category too when the name is not a
    // top-level category itself.
    for (const auto& [id, node] : nodes) ids.emplace(normalize_category_path(node.name), id);
    terms.categories_loaded = true;
}

HttpRequest decimals_request(StoreClient& client) {
    return client.make_request(HttpMethod::Get, "system_status", {{"_fields", "settings"}});
}

void read_decimals(StoreClient& client, const HttpRequest& request, const HttpResponse& response, StoreTerms& terms) {
    try {
        const Json body = checked_body(client, request, response);
        if (body.is_object() && body.contains("settings") && body["settings"].is_object()) {
            const Json& d = body["settings"].value("number_of_decimals", Json());
            if (d.is_number_integer()) terms.index.price_decimals = d.get<int>();
            else if (d.is_string()) terms.index.price_decimals = std::stoi(d.get<std::string>());
        }
    } catch (const WooError& e) {
        if (e.kind() == ErrorKind::Cancelled || e.kind() == ErrorKind::Timeout) throw;
        // A store that hides its system status: WooCommerce's default.
    }
    terms.decimals_loaded = true;
}

}  // namespace

// Every page of a paged collection, pages 2..n concurrently.
std::vector<Json> get_all_pages(StoreClient& client, const std::string& path, std::vector<QueryParam> query) {
    const HttpRequest first = first_page_request(client, path, query);
    const HttpResponse r = client.http().perform(first);
    return rest_of_pages(client, path, std::move(query), first, r);
}

void load_categories(StoreClient& client, StoreTerms& terms) {
    index_categories(get_all_pages(client, "products/categories", kCategoryQuery), terms);
}

void load_attributes(StoreClient& client, StoreTerms& terms) {
    const StoreResponse r = client.get("products/attributes");
    terms.index.attribute_ids.clear();
    if (r.body.is_array())
        for (const auto& a : r.body) {
            if (!a.is_object() || !a.contains("id") || !a["id"].is_number_integer()) continue;
            const std::int64_t id = a["id"].get<std::int64_t>();
            terms.index.attribute_ids[ascii_lower(decode_html_entities(a.value("name", std::string())))] = id;
            const std::string slug = a.value("slug", std::string());
            if (!slug.empty()) terms.index.attribute_ids[ascii_lower(slug)] = id;
        }
    terms.attributes_loaded = true;
}

void load_decimals(StoreClient& client, StoreTerms& terms) {
    const HttpRequest request = decimals_request(client);
    HttpResponse response;
    try {
        response = client.http().perform(request);
    } catch (const WooError& e) {
        if (e.kind() == ErrorKind::Cancelled || e.kind() == ErrorKind::Timeout) throw;
        terms.decimals_loaded = true;  // unreachable system status: WooCommerce's default
        return;
    }
    read_decimals(client, request, response, terms);
}

// Both lookups of an export at once: one latency instead of two before the
// first batch can be built.
void load_decimals_and_categories(StoreClient& client, StoreTerms& terms) {
    const std::vector<HttpRequest> requests = {decimals_request(client),
                                               first_page_request(client, "products/categories", kCategoryQuery)};
    const auto responses = client.http().perform_all(requests);
    read_decimals(client, requests[0], responses[0], terms);
    index_categories(rest_of_pages(client, "products/categories", kCategoryQuery, requests[1], responses[1]), terms);
}

// Creates the missing segments of a category path, parents first.
// Returns an error text, or empty on success.
std::string create_category_path(StoreClient& client, StoreTerms& terms, const std::string& path) {
    const auto parts = split_category_path(path);
    std::string prefix;
    std::int64_t parent = 0;
    for (const auto& part : parts) {
        prefix += (prefix.empty() ? "" : " > ") + part;
        auto it = terms.index.category_ids.find(prefix);
        // A bare top-level name may resolve to a nested category; when
        // creating a path, only a real top-level match counts for segment 1.
        if (it != terms.index.category_ids.end()) {
            parent = it->second;
            continue;
        }
        Json body = {{"name", part}};
        if (parent) body["parent"] = parent;
        const HttpRequest request = client.make_request(HttpMethod::Post, "products/categories", {}, &body);
        const HttpResponse r = client.http().perform(request);
        const Json answer = parse_json_body(r, client.describe(request), client.secrets());
        std::int64_t id = 0;
        if (r.status < 400 && answer.is_object()) id = answer.value("id", static_cast<std::int64_t>(0));
        else if (answer.is_object() && answer.value("code", std::string()) == "term_exists" &&
                 answer.contains("data") && answer["data"].is_object())
            id = answer["data"].value("resource_id", static_cast<std::int64_t>(0));
        if (!id) {
            return "category \"" + prefix + "\" could not be created: " +
                   (answer.is_object() ? decode_html_entities(answer.value("message", std::string("HTTP ") + std::to_string(r.status)))
                                       : "HTTP " + std::to_string(r.status));
        }
        terms.index.category_ids[prefix] = id;
        parent = id;
    }
    return {};
}

std::string text_of(const Json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_null()) return {};
    return v.dump();
}

std::int64_t json_int(const Json& v) {
    if (v.is_number_integer()) return v.get<std::int64_t>();
    if (v.is_number()) return static_cast<std::int64_t>(v.get<double>());
    return 0;
}

void forget_terms(std::int64_t connection_id) {
    if (connection_id == 0) term_cache().clear();
    else term_cache().erase(connection_id);
}

}  // namespace wcfdw::sync
