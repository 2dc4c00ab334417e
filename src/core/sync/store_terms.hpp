// What an export needs to know about a store beyond its products, and the
// paging helpers the conversations share: categories (by path), global
// attributes and the price decimals, remembered per connection for a while
// in the backend; every page of a collection; a response that must succeed.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/sync/sync_model.hpp"
#include "core/woo/store_client.hpp"

namespace wcfdw::sync {

// What a backend remembers about a store between calls.
struct StoreTerms {
    TermIndex index;
    bool categories_loaded = false;
    bool attributes_loaded = false;
    bool decimals_loaded = false;
    std::chrono::steady_clock::time_point loaded_at = std::chrono::steady_clock::now();
};

// The remembered terms of a connection (forgotten after kTermCacheSeconds).
StoreTerms& terms_for(std::int64_t connection_id);
void forget_terms(std::int64_t connection_id);

// X-WP-TotalPages of a list answer (1 when absent).
std::int64_t total_pages(StoreClient& client, const HttpRequest& request, const HttpResponse& response);

// Parses a response that must succeed; a failure becomes the WooError.
nlohmann::json checked_body(StoreClient& client, const HttpRequest& request, const HttpResponse& response);

// Every page of a paged collection, pages 2..n concurrently.
std::vector<nlohmann::json> get_all_pages(StoreClient& client, const std::string& path, std::vector<QueryParam> query);

void load_categories(StoreClient& client, StoreTerms& terms);
void load_attributes(StoreClient& client, StoreTerms& terms);
void load_decimals(StoreClient& client, StoreTerms& terms);
// The price decimals and the categories with one latency (both requests in
// flight together).
void load_decimals_and_categories(StoreClient& client, StoreTerms& terms);

// Creates the missing segments of a category path, parents first.
// Returns an error text, or empty on success.
std::string create_category_path(StoreClient& client, StoreTerms& terms, const std::string& path);

// A JSON value as text (strings as they are, null as empty).
std::string text_of(const nlohmann::json& v);
// A JSON number as an integer (0 for anything else).
std::int64_t json_int(const nlohmann::json& v);

}  // namespace wcfdw::sync

#include "core/base/pure_cpp.hpp"
