#include "core/transport/auth.hpp"

#include <cctype>
#include <ctime>
#include <cstdlib>

#include <gtest/gtest.h>

#include "core/transport/crypto.hpp"
#include "core/transport/oauth1.hpp"
#include "core/base/woo_error.hpp"

namespace wcfdw {
namespace {

const Credentials kCredentials{"ck_test_key", "cs_test_secret"};

HttpRequest list_products(const std::string& base = "https://shop.example.com") {
    HttpRequest request;
    request.url = base + "/wp-json/wc/v3/products";
    request.query = {{"per_page", "100"}};
    return request;
}

std::string value_of(const HttpRequest& request, const std::string& name) {
    for (const auto& p : request.query)
        if (p.name == name) return p.value;
    return {};
}

TEST(ParseAuthMode, AcceptsTheFourModesInAnyCase) {
    EXPECT_EQ(parse_auth_mode("auto"), AuthMode::Auto);
    EXPECT_EQ(parse_auth_mode("Basic"), AuthMode::Basic);
    EXPECT_EQ(parse_auth_mode("QUERY_STRING"), AuthMode::QueryString);
    EXPECT_EQ(parse_auth_mode("oauth1"), AuthMode::OAuth1);
    for (AuthMode m : {AuthMode::Auto, AuthMode::Basic, AuthMode::QueryString, AuthMode::OAuth1})
        EXPECT_EQ(parse_auth_mode(auth_mode_name(m)), m);
}

TEST(ParseAuthMode, RejectsOthersListingTheValidValues) {
    try {
        parse_auth_mode("bearer");
        FAIL() << "accepted bearer";
    } catch (const WooError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
        EXPECT_NE(std::string(e.what()).find("bearer"), std::string::npos);
        EXPECT_EQ(e.hint(), "Valid values are: auto, basic, query_string, oauth1.");
    }
}

TEST(ParseSignatureMethod, AcceptsBothHashesAndRejectsOthers) {
    EXPECT_EQ(parse_signature_method("HMAC-SHA256"), OAuthSignatureMethod::HmacSha256);
    EXPECT_EQ(parse_signature_method("hmac-sha1"), OAuthSignatureMethod::HmacSha1);
    try {
        parse_signature_method("PLAINTEXT");
        FAIL() << "accepted PLAINTEXT";
    } catch (const WooError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
        EXPECT_NE(e.hint().find("HMAC-SHA256, HMAC-SHA1"), std::string::npos);
    }
}

TEST(ResolveAuthMode, AutoFollowsTheScheme) {
    EXPECT_EQ(resolve_auth_mode(AuthMode::Auto, "https://shop.example.com"), AuthMode::Basic);
    EXPECT_EQ(resolve_auth_mode(AuthMode::Auto, "HTTPS://shop.example.com"), AuthMode::Basic);
    EXPECT_EQ(resolve_auth_mode(AuthMode::Auto, "http://shop.example.com"), AuthMode::OAuth1);
    EXPECT_EQ(resolve_auth_mode(AuthMode::QueryString, "https://shop.example.com"), AuthMode::QueryString);
    EXPECT_EQ(resolve_auth_mode(AuthMode::OAuth1, "https://shop.example.com"), AuthMode::OAuth1);
    EXPECT_EQ(resolve_auth_mode(AuthMode::OAuth1, "http://shop.example.com"), AuthMode::OAuth1);
}

TEST(ResolveAuthMode, BasicAndQueryStringNeedHttps) {
    for (AuthMode m : {AuthMode::Basic, AuthMode::QueryString}) {
        try {
            resolve_auth_mode(m, "http://shop.example.com");
            FAIL() << auth_mode_name(m) << " accepted over http";
        } catch (const WooError& e) {
            EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
            EXPECT_EQ(e.hint(),
                      "WooCommerce ignores Basic and query-string keys over plain HTTP; use https or auth 'oauth1'");
        }
    }
    EXPECT_THROW(resolve_auth_mode(AuthMode::Auto, "ftp://shop.example.com"), WooError);
}

TEST(BasicSigner, AddsTheAuthorizationHeaderOnly) {
    auto signer = make_signer(AuthMode::Basic, kCredentials);
    HttpRequest request = list_products();
    signer->sign(request);
    ASSERT_EQ(request.headers.size(), 1u);
    EXPECT_EQ(request.headers[0].first, "Authorization");
    EXPECT_EQ(request.headers[0].second, "Basic " + base64_encode("ck_test_key:cs_test_secret"));
    EXPECT_EQ(request.headers[0].second, "Basic Y2tfdGVzdF9rZXk6Y3NfdGVzdF9zZWNyZXQ=");
    EXPECT_EQ(request.query.size(), 1u);
    EXPECT_EQ(signer->secrets(), std::vector<std::string>{"cs_test_secret"});
}

TEST(QueryStringSigner, AppendsBothKeysAfterTheQuery) {
    auto signer = make_signer(AuthMode::QueryString, kCredentials);
    HttpRequest request = list_products();
    signer->sign(request);
    ASSERT_EQ(request.query.size(), 3u);
    EXPECT_EQ(request.query[0].name, "per_page");
    EXPECT_EQ(request.query[1].name, "consumer_key");
    EXPECT_EQ(request.query[1].value, "ck_test_key");
    EXPECT_EQ(request.query[2].name, "consumer_secret");
    EXPECT_EQ(request.query[2].value, "cs_test_secret");
    EXPECT_TRUE(request.headers.empty());
    EXPECT_EQ(signer->secrets(), std::vector<std::string>{"cs_test_secret"});
}

TEST(OAuth1Signer, SignsWithAFreshNonceAndTimestampEachTime) {
    auto signer = make_signer(AuthMode::OAuth1, kCredentials, OAuthSignatureMethod::HmacSha1);
    HttpRequest first = list_products("http://shop.example.com");
    HttpRequest second = first;
    signer->sign(first);
    signer->sign(second);

    ASSERT_EQ(first.query.size(), 6u);
    EXPECT_EQ(value_of(first, "oauth_consumer_key"), "ck_test_key");
    EXPECT_EQ(value_of(first, "oauth_signature_method"), "HMAC-SHA1");
    EXPECT_EQ(value_of(first, "oauth_nonce").size(), 32u);
    EXPECT_NE(value_of(first, "oauth_nonce"), value_of(second, "oauth_nonce"));
    const long long timestamp = std::atoll(value_of(first, "oauth_timestamp").c_str());
    EXPECT_LE(std::llabs(timestamp - static_cast<long long>(std::time(nullptr))), 5);
    EXPECT_TRUE(value_of(first, "oauth_version").empty());
    EXPECT_TRUE(first.headers.empty());

    // The signature is what the server recomputes from everything else.
    std::vector<QueryParam> unsigned_params(first.query.begin(), first.query.end() - 1);
    const std::string base = oauth1_signature_base_string("GET", first.url, unsigned_params);
    EXPECT_EQ(value_of(first, "oauth_signature"), oauth1_sign(base, "cs_test_secret", OAuthSignatureMethod::HmacSha1));
    EXPECT_EQ(signer->secrets(), std::vector<std::string>{"cs_test_secret"});
}

TEST(MakeSigner, RefusesAnUnresolvedMode) {
    try {
        make_signer(AuthMode::Auto, kCredentials);
        FAIL() << "auto accepted";
    } catch (const WooError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Internal);
    }
}

}  // namespace
}  // namespace wcfdw
