#include "core/transport/http_client.hpp"

#include <algorithm>
#include <cstring>
#include <ctime>
#include <mutex>
#include <cstdio>
#include <deque>
#include <random>

#include <curl/curl.h>

#include "core/base/text.hpp"
#include "core/base/woo_error.hpp"
#include "core/transport/http_pipeline.hpp"
#include "core/transport/transfer_set.hpp"

namespace wcfdw {
namespace {

constexpr const char* kMask = "********";

}  // namespace

const char* http_method_name(HttpMethod m) noexcept {
    switch (m) {
    case HttpMethod::Get: return "GET";
    case HttpMethod::Post: return "POST";
    case HttpMethod::Put: return "PUT";
    case HttpMethod::Delete: return "DELETE";
    case HttpMethod::Options: return "OPTIONS";
    }
    return "GET";
}

std::string HttpResponse::header(const std::string& name) const {
    const auto it = headers.find(ascii_lower(name));
    return it == headers.end() ? std::string() : it->second;
}

std::string redact_secrets(std::string text, const std::vector<std::string>& secrets) {
    auto replace_all = [&text](const std::string& needle) {
        if (needle.empty()) return;
        for (std::size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos)) {
            text.replace(pos, needle.size(), kMask);
            pos += std::strlen(kMask);
        }
    };
    for (const auto& secret : secrets) {
        replace_all(secret);
        replace_all(percent_encode(secret));
    }
    return text;
}

std::string redacted_url(const HttpRequest& request, const std::vector<std::string>& secrets) {
    std::string url = request.url;
    char separator = '?';
    for (const auto& p : request.query) {
        const bool masked = p.name == "consumer_secret" || p.name == "oauth_signature";
        url += separator + percent_encode(p.name) + "=" + (masked ? std::string(kMask) : percent_encode(p.value));
        separator = '&';
    }
    return redact_secrets(url, secrets);
}

struct HttpClient::Impl {
    // Shared with the pipelines still open on it, which keep it alive.
    std::shared_ptr<CurlMulti> curl = std::make_shared<CurlMulti>();
    // Connections in curl's cache were judged by this policy generation.
    std::uint64_t policy_generation = host_policy_generation();
};

HttpClient::HttpClient(TransportOptions options) : impl_(std::make_unique<Impl>()), options_(std::move(options)) {}

HttpClient::~HttpClient() = default;

std::shared_ptr<CurlMulti> HttpClient::current_multi() {
    // A changed woocommerce.allowed_hosts closes every connection opened
    // under the old one.
    if (impl_->policy_generation != host_policy_generation()) impl_ = std::make_unique<Impl>();
    return impl_->curl;
}

HttpResponse HttpClient::perform(const HttpRequest& request) {
    std::vector<HttpRequest> one{request};
    return std::move(perform_all(one).front());
}

std::vector<HttpResponse> HttpClient::perform_all(const std::vector<HttpRequest>& requests) {
    if (requests.empty()) return {};
    TransferSet set(current_multi(), options_, signer_, current_host_policy(), stats_);
    for (const HttpRequest& request : requests) set.add(request, false);
    for (;;) {
        if (cancel_hook_ && cancel_hook_()) throw WooError(ErrorKind::Cancelled, "request cancelled");
        set.step();
        bool all_done = true;
        for (std::size_t i = 0; i < set.size() && all_done; ++i)
            all_done = set.at(i).state == Transfer::State::Done;
        if (all_done) break;
        set.wait();
    }
    std::vector<HttpResponse> out;
    out.reserve(set.size());
    for (std::size_t i = 0; i < set.size(); ++i) out.push_back(std::move(set.at(i).response));
    return out;
}

// A pipeline whose window is `concurrency` answers not yet delivered; the
// freed slot is refilled and its request sent before deliver runs, so the
// store works on it while the caller does not drive curl. Sharing the
// client's multi handle is safe: deliver's own perform_all settles only
// its own transfers (transfer_set.hpp).
void HttpClient::perform_stream(std::size_t count, const MakeRequestFn& make, const DeliverFn& deliver) {
    if (count == 0) return;
    const std::size_t limit = static_cast<std::size_t>(std::max(1, options_.concurrency));
    HttpPipeline pipeline(*this);
    std::deque<HttpPipeline::Ticket> window;  // tickets of requests next, next + 1, ...
    std::size_t next = 0;
    const auto fill = [&] {
        for (; window.size() < limit && next < count; ++next) window.push_back(pipeline.submit(make(next)));
    };
    for (std::size_t i = 0; i < count; ++i) {
        fill();
        HttpResponse response = pipeline.collect(window.front());
        window.pop_front();
        fill();
        pipeline.send_pending();
        if (!deliver(i, std::move(response))) return;  // the pipeline drops the rest
    }
}

}  // namespace wcfdw
