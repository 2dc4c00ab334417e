#include "core/woo/store_client.hpp"

#include <utility>

#include "core/transport/auth.hpp"
#include "core/base/text.hpp"

namespace wcfdw {

StoreClient::StoreClient(StoreConfig config)
    : config_(std::move(config)),
      http_(config_.transport),
      signer_(make_signer(config_.auth, config_.credentials, config_.signature_method)) {
    http_.set_signer(signer_);
}

std::string StoreClient::endpoint_url(const std::string& path) const {
    std::string url = config_.url + "/" + config_.api_prefix;
    if (!config_.api_version.empty()) url += "/" + config_.api_version;
    if (!path.empty()) url += "/" + path;
    return url;
}

HttpRequest StoreClient::make_request(HttpMethod method, const std::string& path, std::vector<QueryParam> query,
                                      const nlohmann::json* body) const {
    HttpRequest request;
    request.method = method;
    request.url = endpoint_url(path);
    request.query = std::move(query);
    if (body) request.body = body->dump();
    return request;
}

std::string StoreClient::describe(const HttpRequest& request) const {
    return std::string(http_method_name(request.method)) + " " + redacted_url(request, signer_->secrets());
}

std::vector<std::string> StoreClient::secrets() const { return signer_->secrets(); }

// Every answer goes through here before anyone looks at it: the status
// first, then the body (store_answer.hpp).
void StoreClient::interpret(StoreResponse& out, const HttpRequest& request, AnswerOptions options) const {
    const std::string description = describe(request);
    JsonDocument doc = parse_json_document(out.http, description, secrets());
    if (out.http.status >= 400) {
        // rest_no_route is a wrong URL, not a missing object.
        if (out.http.status == 404 && options.missing_ok && doc.value.is_object() &&
            doc.value.value("code", std::string()) != "rest_no_route") {
            out.body = nullptr;
            out.missing = true;
            return;
        }
        throw error_from_response(out.http, doc.value, description, secrets());
    }
    if (!doc.unrepresentable.empty() && !options.keep_unrepresentable) {
        WooError err = unrepresentable_number_error(doc.unrepresentable.front(), "the answer", description);
        err.http_status = static_cast<int>(out.http.status);
        throw err;
    }
    out.body = std::move(doc.value);
    out.unrepresentable = std::move(doc.unrepresentable);
    if (options.release_text) std::string().swap(out.http.body);
}

StoreResponse StoreClient::interpret_answer(HttpResponse http, const HttpRequest& request,
                                           AnswerOptions options) const {
    StoreResponse out;
    out.http = std::move(http);
    interpret(out, request, options);
    return out;
}

StoreResponse StoreClient::send(const HttpRequest& request, AnswerOptions options) {
    StoreResponse out;
    out.http = http_.perform(request);
    interpret(out, request, options);
    return out;
}

std::vector<StoreResponse> StoreClient::send_all(const std::vector<HttpRequest>& requests, AnswerOptions options) {
    std::vector<HttpResponse> answers = http_.perform_all(requests);
    std::vector<StoreResponse> out(answers.size());
    for (std::size_t i = 0; i < answers.size(); ++i) {
        out[i].http = std::move(answers[i]);
        interpret(out[i], requests[i], options);
    }
    return out;
}

std::vector<StoreClient::Settled> StoreClient::send_all_settled(const std::vector<HttpRequest>& requests) {
    std::vector<HttpResponse> answers = http_.perform_all(requests);
    std::vector<Settled> out(answers.size());
    for (std::size_t i = 0; i < answers.size(); ++i) {
        out[i].response.http = std::move(answers[i]);
        try {
            interpret(out[i].response, requests[i], {});
        } catch (const WooError& e) {
            out[i].failed = true;
            out[i].error = e;
        }
    }
    return out;
}

StoreResponse StoreClient::get(const std::string& path, std::vector<QueryParam> query) {
    return send(make_request(HttpMethod::Get, path, std::move(query)));
}

}  // namespace wcfdw
