// One WooCommerce store as the rest of the extension sees it: endpoints
// under {url}/{api_prefix}/{api_version}, authenticated requests, JSON
// bodies, and WooCommerce error bodies turned into typed WooErrors.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/base/json_reader.hpp"
#include "core/base/woo_error.hpp"
#include "core/transport/http_client.hpp"
#include "core/woo/options.hpp"
#include "core/woo/store_answer.hpp"

namespace wcfdw {

struct StoreResponse {
    HttpResponse http;
    nlohmann::json body;  // parsed JSON (null for a missing item)
    bool missing = false;  // a 404 taken as "no such object" (AnswerOptions::missing_ok)
    // Numbers the document holds as null because nlohmann cannot hold them
    // (only with AnswerOptions::keep_unrepresentable; otherwise an error).
    std::vector<UnrepresentableNumber> unrepresentable;
};

struct AnswerOptions {
    // A 404 gives a response with a null body instead of an error (an item
    // or a parent that does not exist); a wrong route is still an error.
    bool missing_ok = false;
    // Unrepresentable numbers are listed for the caller (the scan names the
    // column that reads one) instead of failing the whole answer.
    bool keep_unrepresentable = false;
    // The body's text is dropped once parsed (a scan holds a window of
    // pages once, not twice); otherwise it stays in http.body.
    bool release_text = false;
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

    // Sends and parses (store_answer.hpp): any status other than 2xx, and a
    // 2xx whose body is not the JSON expected, throws the WooError that
    // describes it.
    StoreResponse send(const HttpRequest& request, AnswerOptions options = {});
    StoreResponse get(const std::string& path, std::vector<QueryParam> query = {});
    // Sends all requests with up to concurrency in flight; responses in input
    // order.
    std::vector<StoreResponse> send_all(const std::vector<HttpRequest>& requests, AnswerOptions options = {});
    std::vector<StoreResponse> send_all(const std::vector<HttpRequest>& requests, bool missing_ok) {
        AnswerOptions options;
        options.missing_ok = missing_ok;
        return send_all(requests, options);
    }
    // Like send_all, but an error answer (4xx, 5xx, not JSON) does not hide
    // the others: each response carries its own error. Transport failures
    // (connect, timeout, cancel) still throw.
    struct Settled {
        StoreResponse response;
        bool failed = false;
        WooError error{ErrorKind::Internal, ""};
    };
    std::vector<Settled> send_all_settled(const std::vector<HttpRequest>& requests);

    // An answer that came some other way (an HttpPipeline), checked and
    // parsed exactly as send does.
    StoreResponse interpret_answer(HttpResponse http, const HttpRequest& request, AnswerOptions options = {}) const;

    // For messages: "GET https://shop/wp-json/wc/v3/products?per_page=1" with
    // secrets masked.
    std::string describe(const HttpRequest& request) const;
    // What errors must never quote (the consumer secret...).
    std::vector<std::string> secrets() const;

private:
    void interpret(StoreResponse& out, const HttpRequest& request, AnswerOptions options) const;

    StoreConfig config_;
    HttpClient http_;
    std::shared_ptr<const RequestSigner> signer_;
};

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
