// One WooCommerce store as the rest of the extension sees it: endpoints
// under {url}/{api_prefix}/{api_version}, authenticated requests, JSON
// bodies, and WooCommerce error bodies turned into typed WooErrors.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/transport/http_client.hpp"
#include "core/woo/options.hpp"
#include "core/base/woo_error.hpp"

namespace wcfdw {

struct StoreResponse {
    HttpResponse http;
    nlohmann::json body;  // parsed JSON (null for an empty body)
};

class StoreClient {
public:
    explicit StoreClient(StoreConfig config);

    const StoreConfig& config() const noexcept { return config_; }
    HttpClient& http() noexcept { return http_; }

    // {url}/{api_prefix}/{api_version}/{path}; path without leading slash.
    std::string endpoint_url(const std::string& path) const;
    HttpRequest make_request(HttpMethod method, const std::string& path, std::vector<QueryParam> query = {},
                             const nlohmann::json* body = nullptr) const;

    // Sends and parses. A response with status >= 400 (or a body that is not
    // JSON) throws the WooError that describes it.
    StoreResponse send(const HttpRequest& request);
    StoreResponse get(const std::string& path, std::vector<QueryParam> query = {});
    // Sends all requests with up to concurrency in flight; responses in input
    // order. With `missing_ok`, a 404 gives a response with a null body
    // instead of an error (an item or a parent that does not exist).
    std::vector<StoreResponse> send_all(const std::vector<HttpRequest>& requests, bool missing_ok = false);
    // Like send_all, but an error answer (4xx, 5xx, not JSON) does not hide
    // the others: each response carries its own error. Transport failures
    // (connect, timeout, cancel) still throw.
    struct Settled {
        StoreResponse response;
        bool failed = false;
        WooError error{ErrorKind::Internal, ""};
    };
    std::vector<Settled> send_all_settled(const std::vector<HttpRequest>& requests);

    // For messages: "GET https://shop/wp-json/wc/v3/products?per_page=1" with
    // secrets masked.
    std::string describe(const HttpRequest& request) const;

private:
    StoreConfig config_;
    HttpClient http_;
    std::shared_ptr<const RequestSigner> signer_;
};

// Parses the body of a response as JSON, or throws InvalidResponse with a
// diagnosis (HTML page, truncated body, invalid JSON, wrong content type).
nlohmann::json parse_json_body(const HttpResponse& response, const std::string& request_description);

// The WooError for a response with status >= 400: kind from status and
// WooCommerce code, message with the store's own words, hint with the fix.
WooError error_from_response(const HttpResponse& response, const nlohmann::json& body,
                             const std::string& request_description);

// WordPress returns some texts HTML-escaped (&amp;, &#8211;, &lt;...).
std::string decode_html_entities(const std::string& text);

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
