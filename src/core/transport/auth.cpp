#include "core/transport/auth.hpp"

#include <ctime>

#include "core/transport/crypto.hpp"
#include "core/transport/oauth1.hpp"
#include "core/base/text.hpp"
#include "core/transport/url.hpp"
#include "core/base/woo_error.hpp"

namespace wcfdw {
namespace {

// HTTPS only: WooCommerce reads PHP_AUTH_USER/PHP_AUTH_PW, which PHP (or
// WordPress 5.6+) fills from this header.
class BasicSigner final : public RequestSigner {
public:
    explicit BasicSigner(const Credentials& credentials)
        : secret_(credentials.consumer_secret),
          header_value_("Basic " + base64_encode(credentials.consumer_key + ":" + credentials.consumer_secret)) {}
    void sign(HttpRequest& request) const override { request.headers.emplace_back("Authorization", header_value_); }
    std::vector<std::string> secrets() const override { return {secret_}; }

private:
    std::string secret_;
    std::string header_value_;
};

// HTTPS only: for web servers that strip the Authorization header before PHP
// sees it (CGI/FastCGI setups), WooCommerce also reads the keys from $_GET.
class QueryStringSigner final : public RequestSigner {
public:
    explicit QueryStringSigner(const Credentials& credentials) : credentials_(credentials) {}
    void sign(HttpRequest& request) const override {
        request.query.push_back({"consumer_key", credentials_.consumer_key});
        request.query.push_back({"consumer_secret", credentials_.consumer_secret});
    }
    std::vector<std::string> secrets() const override { return {credentials_.consumer_secret}; }

private:
    Credentials credentials_;
};

// Every call gets its own nonce and timestamp: the store records used nonces
// for 15 minutes and rejects a repeat, so a retry must never resend one.
class OAuth1Signer final : public RequestSigner {
public:
    OAuth1Signer(const Credentials& credentials, OAuthSignatureMethod method)
        : credentials_(credentials), method_(method) {}
    void sign(HttpRequest& request) const override {
        oauth1_sign_request(request, credentials_, method_, std::to_string(static_cast<long long>(std::time(nullptr))),
                            random_nonce());
    }
    std::vector<std::string> secrets() const override { return {credentials_.consumer_secret}; }

private:
    Credentials credentials_;
    OAuthSignatureMethod method_;
};

}  // namespace

AuthMode parse_auth_mode(const std::string& text) {
    const std::string value = ascii_lower(text);
    if (value == "auto") return AuthMode::Auto;
    if (value == "basic") return AuthMode::Basic;
    if (value == "query_string") return AuthMode::QueryString;
    if (value == "oauth1") return AuthMode::OAuth1;
    throw WooError(ErrorKind::InvalidArgument, "invalid value for option \"auth\": \"" + text + "\"", {},
                   "Valid values are: auto, basic, query_string, oauth1.");
}

const char* auth_mode_name(AuthMode mode) noexcept {
    switch (mode) {
    case AuthMode::Auto: return "auto";
    case AuthMode::Basic: return "basic";
    case AuthMode::QueryString: return "query_string";
    case AuthMode::OAuth1: return "oauth1";
    }
    return "auto";
}

OAuthSignatureMethod parse_signature_method(const std::string& text) {
    const std::string value = ascii_lower(text);
    if (value == "hmac-sha256") return OAuthSignatureMethod::HmacSha256;
    if (value == "hmac-sha1") return OAuthSignatureMethod::HmacSha1;
    throw WooError(ErrorKind::InvalidArgument, "invalid value for option \"oauth_signature_method\": \"" + text + "\"",
                   {}, "Valid values are: HMAC-SHA256, HMAC-SHA1.");
}

AuthMode resolve_auth_mode(AuthMode mode, const std::string& store_url) {
    const bool https = parse_url(store_url).scheme == "https";
    if (mode == AuthMode::Auto) return https ? AuthMode::Basic : AuthMode::OAuth1;
    if (!https && (mode == AuthMode::Basic || mode == AuthMode::QueryString))
        throw WooError(ErrorKind::InvalidArgument,
                       std::string("auth \"") + auth_mode_name(mode) + "\" cannot be used with an http:// store URL",
                       {}, "WooCommerce ignores Basic and query-string keys over plain HTTP; use https or auth 'oauth1'");
    return mode;
}

std::shared_ptr<const RequestSigner> make_signer(AuthMode resolved_mode, const Credentials& credentials,
                                                 OAuthSignatureMethod method) {
    switch (resolved_mode) {
    case AuthMode::Basic: return std::make_shared<BasicSigner>(credentials);
    case AuthMode::QueryString: return std::make_shared<QueryStringSigner>(credentials);
    case AuthMode::OAuth1: return std::make_shared<OAuth1Signer>(credentials, method);
    case AuthMode::Auto: break;
    }
    throw WooError(ErrorKind::Internal, "make_signer needs a resolved auth mode, not \"auto\"", {},
                   "Call resolve_auth_mode with the store URL first.");
}

}  // namespace wcfdw
