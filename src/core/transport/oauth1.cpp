#include "core/transport/oauth1.hpp"

#include <algorithm>

#include "core/transport/crypto.hpp"
#include "core/base/text.hpp"
#include "core/transport/url.hpp"

namespace wcfdw {

const char* oauth1_signature_method_name(OAuthSignatureMethod method) noexcept {
    switch (method) {
    case OAuthSignatureMethod::HmacSha256: return "HMAC-SHA256";
    case OAuthSignatureMethod::HmacSha1: return "HMAC-SHA1";
    }
    return "HMAC-SHA256";
}

std::string oauth1_signature_base_string(const std::string& method, const std::string& url_without_query,
                                         const std::vector<QueryParam>& params) {
    // The server sorts by the raw (decoded) name with strcmp, before it
    // encodes anything: sorting encoded names would order "a b" and "a-b"
    // differently.
    std::vector<const QueryParam*> sorted;
    sorted.reserve(params.size());
    for (const auto& p : params) sorted.push_back(&p);
    std::stable_sort(sorted.begin(), sorted.end(), [](const QueryParam* a, const QueryParam* b) {
        if (a->name != b->name) return a->name < b->name;  // std::string compares bytes as unsigned char
        return a->value < b->value;
    });

    std::string pairs;
    for (const QueryParam* p : sorted) {
        if (!pairs.empty()) pairs += '&';
        pairs += percent_encode(p->name) + "=" + percent_encode(p->value);
    }

    return ascii_upper(method) + "&" + percent_encode(url_without_query) + "&" + percent_encode(pairs);
}

std::string oauth1_sign(const std::string& base_string, const std::string& consumer_secret,
                        OAuthSignatureMethod method) {
    const std::string key = consumer_secret + "&";
    return base64_encode(method == OAuthSignatureMethod::HmacSha1 ? hmac_sha1(key, base_string)
                                                                   : hmac_sha256(key, base_string));
}

void oauth1_sign_request(HttpRequest& request, const Credentials& credentials, OAuthSignatureMethod method,
                         const std::string& timestamp, const std::string& nonce) {
    request.query.push_back({"oauth_consumer_key", credentials.consumer_key});
    request.query.push_back({"oauth_nonce", nonce});
    request.query.push_back({"oauth_signature_method", oauth1_signature_method_name(method)});
    request.query.push_back({"oauth_timestamp", timestamp});
    const std::string base = oauth1_signature_base_string(http_method_name(request.method), request.url, request.query);
    request.query.push_back({"oauth_signature", oauth1_sign(base, credentials.consumer_secret, method)});
}

}  // namespace wcfdw
