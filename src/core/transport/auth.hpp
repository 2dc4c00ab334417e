// How a request proves who it is, exactly as WooCommerce checks it
// (class-wc-rest-authentication.php): Basic or query-string keys only count
// over HTTPS; over plain HTTP only one-legged OAuth 1.0a does.
#pragma once

#include <memory>
#include <string>

#include "core/transport/http_client.hpp"

namespace wcfdw {

enum class AuthMode { Auto, Basic, QueryString, OAuth1 };
enum class OAuthSignatureMethod { HmacSha256, HmacSha1 };

struct Credentials {
    std::string consumer_key;
    std::string consumer_secret;
};

// "auto", "basic", "query_string", "oauth1"; throws WooError(InvalidArgument)
// with a hint listing the valid values.
AuthMode parse_auth_mode(const std::string& text);
const char* auth_mode_name(AuthMode mode) noexcept;
// "HMAC-SHA256" (default) or "HMAC-SHA1" (case-insensitive); throws likewise.
OAuthSignatureMethod parse_signature_method(const std::string& text);

// Auto becomes Basic for https:// URLs and OAuth1 for http:// URLs. Basic or
// QueryString on an http:// URL throws WooError(InvalidArgument) with a hint
// explaining that WooCommerce ignores them without TLS.
AuthMode resolve_auth_mode(AuthMode mode, const std::string& store_url);

std::shared_ptr<const RequestSigner> make_signer(AuthMode resolved_mode, const Credentials& credentials,
                                                 OAuthSignatureMethod method = OAuthSignatureMethod::HmacSha256);

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
