// One-legged OAuth 1.0a, computed exactly as WooCommerce checks it
// (WC_REST_Authentication::check_oauth_signature): the only way keys are
// accepted over plain HTTP. Parameters travel in the query string; a JSON
// body is not signed, and oauth_version is never sent because the server
// would then expect it in the signed set.
#pragma once

#include <string>
#include <vector>

#include "core/transport/auth.hpp"
#include "core/transport/http_client.hpp"

namespace wcfdw {

// "HMAC-SHA256" or "HMAC-SHA1", as sent in oauth_signature_method.
const char* oauth1_signature_method_name(OAuthSignatureMethod method) noexcept;

// METHOD & enc(url) & enc(pairs), where pairs are `params` (query and oauth_*,
// without oauth_signature) sorted by raw name in byte order, ties by raw
// value, each name and value percent-encoded and joined "name=value" with '&'.
// `method` is upper-cased; `url_without_query` is used as given.
std::string oauth1_signature_base_string(const std::string& method, const std::string& url_without_query,
                                         const std::vector<QueryParam>& params);

// base64(HMAC(consumer_secret + "&", base_string)). The key is the raw
// secret, as the server computes it; WooCommerce secrets are "cs_" and hex,
// which percent-encoding would leave unchanged anyway.
std::string oauth1_sign(const std::string& base_string, const std::string& consumer_secret,
                        OAuthSignatureMethod method);

// Appends oauth_consumer_key, oauth_nonce, oauth_signature_method,
// oauth_timestamp and finally oauth_signature to request.query, signing the
// request's method, URL and existing query parameters.
void oauth1_sign_request(HttpRequest& request, const Credentials& credentials, OAuthSignatureMethod method,
                         const std::string& timestamp, const std::string& nonce);

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
