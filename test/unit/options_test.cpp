#include "core/woo/options.hpp"

#include <gtest/gtest.h>

#include "core/base/woo_error.hpp"

namespace wcfdw {
namespace {

ErrorKind kind_of(OptionCatalog catalog, const OptionList& options) {
    try {
        validate_options(catalog, options);
    } catch (const WooError& e) {
        return e.kind();
    }
    return ErrorKind::Internal;  // "no error" sentinel for these tests
}

WooError error_of(OptionCatalog catalog, const OptionList& options) {
    try {
        validate_options(catalog, options);
    } catch (const WooError& e) {
        return e;
    }
    return WooError(ErrorKind::Internal, "no error");
}

TEST(Options, ServerNeedsUrl) {
    EXPECT_EQ(kind_of(OptionCatalog::Server, {}), ErrorKind::InvalidOption);
    EXPECT_EQ(kind_of(OptionCatalog::Server, {{"url", "https://shop.example.com"}}), ErrorKind::Internal);
}

TEST(Options, UnknownNameListsValidOnes) {
    const WooError e = error_of(OptionCatalog::Server, {{"url", "https://x.example"}, {"timeout", "5"}});
    EXPECT_EQ(e.kind(), ErrorKind::InvalidOption);
    EXPECT_STREQ(e.sqlstate(), "HV00D");
    EXPECT_NE(std::string(e.what()).find("\"timeout\""), std::string::npos);
    EXPECT_NE(e.hint().find("timeout_ms"), std::string::npos);
    EXPECT_NE(e.hint().find("concurrency"), std::string::npos);
}

TEST(Options, SecretsOnlyOnUserMappingsAndNeverQuoted) {
    const WooError e =
        error_of(OptionCatalog::Server, {{"url", "https://x.example"}, {"consumer_secret", "cs_do_not_show"}});
    EXPECT_EQ(e.kind(), ErrorKind::InvalidOption);
    EXPECT_NE(e.hint().find("USER MAPPING"), std::string::npos);
    const std::string all = std::string(e.what()) + e.detail() + e.hint();
    EXPECT_EQ(all.find("cs_do_not_show"), std::string::npos);
    EXPECT_EQ(kind_of(OptionCatalog::UserMapping, {{"consumer_key", "ck"}, {"consumer_secret", "cs"}}),
              ErrorKind::Internal);
    EXPECT_EQ(kind_of(OptionCatalog::UserMapping, {{"consumer_secret", ""}}), ErrorKind::InvalidArgument);
}

TEST(Options, ValuesAreChecked) {
    const OptionList base = {{"url", "https://x.example"}};
    auto with = [&](const char* n, const char* v) {
        OptionList l = base;
        l.emplace_back(n, v);
        return kind_of(OptionCatalog::Server, l);
    };
    EXPECT_EQ(with("auth", "digest"), ErrorKind::InvalidArgument);
    EXPECT_EQ(with("auth", "OAUTH1"), ErrorKind::Internal);
    EXPECT_EQ(with("concurrency", "0"), ErrorKind::InvalidArgument);
    EXPECT_EQ(with("concurrency", "33"), ErrorKind::InvalidArgument);
    EXPECT_EQ(with("concurrency", "8"), ErrorKind::Internal);
    EXPECT_EQ(with("timeout_ms", "12abc"), ErrorKind::InvalidArgument);
    EXPECT_EQ(with("verify_tls", "maybe"), ErrorKind::InvalidArgument);
    EXPECT_EQ(with("verify_tls", "off"), ErrorKind::Internal);
    EXPECT_EQ(with("batch_size", "101"), ErrorKind::InvalidArgument);
    EXPECT_EQ(with("oauth_signature_method", "PLAINTEXT"), ErrorKind::InvalidArgument);
    EXPECT_EQ(with("url", "https://again.example"), ErrorKind::InvalidOption);  // duplicate
}

TEST(Options, UrlIsNormalisedAndChecked) {
    EXPECT_EQ(kind_of(OptionCatalog::Server, {{"url", "ftp://x.example"}}), ErrorKind::InvalidArgument);
    EXPECT_EQ(kind_of(OptionCatalog::Server, {{"url", "https://u:p@x.example"}}), ErrorKind::InvalidArgument);
    const StoreConfig c = store_config_from_options("", {{"url", "HTTPS://Shop.Example.COM/"}}, {"ck", "cs"});
    EXPECT_EQ(c.url, "https://shop.example.com");
    EXPECT_EQ(c.auth, AuthMode::Basic);  // auto on https
}

TEST(Options, StoreConfigFromOptions) {
    const StoreConfig c = store_config_from_options(
        "http://shop.example.com",
        {{"api_prefix", "/wp-json/"}, {"auth", "auto"}, {"timeout_ms", "1500"}, {"max_retries", "0"},
         {"verify_tls", "false"}, {"oauth_signature_method", "hmac-sha1"}, {"concurrency", "2"}},
        {"ck", "cs"});
    EXPECT_EQ(c.api_prefix, "wp-json");
    EXPECT_EQ(c.auth, AuthMode::OAuth1);  // auto on http
    EXPECT_EQ(c.signature_method, OAuthSignatureMethod::HmacSha1);
    EXPECT_EQ(c.transport.timeout_ms, 1500);
    EXPECT_EQ(c.transport.max_retries, 0);
    EXPECT_EQ(c.transport.concurrency, 2);
    EXPECT_FALSE(c.transport.verify_tls);
}

TEST(Options, PlainHttpRefusesBasic) {
    try {
        store_config_from_options("http://shop.example.com", {{"auth", "basic"}}, {"ck", "cs"});
        FAIL() << "expected an error";
    } catch (const WooError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
        EXPECT_NE(e.hint().find("oauth1"), std::string::npos);
    }
}

TEST(Options, FromJson) {
    const OptionList l = options_from_json(R"({"auth": "basic", "verify_tls": false, "timeout_ms": 5000})");
    EXPECT_EQ(option_value(l, "auth"), "basic");
    EXPECT_EQ(option_value(l, "verify_tls"), "false");
    EXPECT_EQ(option_value(l, "timeout_ms"), "5000");
    EXPECT_TRUE(options_from_json("{}").empty());
    EXPECT_THROW(options_from_json("[1]"), WooError);
    EXPECT_THROW(options_from_json(R"({"timeout_ms": [1]})"), WooError);
    EXPECT_THROW(options_from_json(R"({"timeout_ms": 1.5})"), WooError);
}

TEST(Options, CatalogsAreDisjointWhereTheyMustBe) {
    EXPECT_EQ(kind_of(OptionCatalog::ForeignTable, {{"resource", "coupon"}}), ErrorKind::InvalidArgument);
    EXPECT_EQ(kind_of(OptionCatalog::ForeignTable, {{"resource", "coupons"}}), ErrorKind::Internal);
    EXPECT_EQ(kind_of(OptionCatalog::ForeignTable, {{"resource", "products"}, {"trash", "true"}}), ErrorKind::Internal);
    EXPECT_EQ(kind_of(OptionCatalog::Column, {{"field", "dimensions.weight"}}), ErrorKind::Internal);
    EXPECT_EQ(kind_of(OptionCatalog::Column, {{"resource", "products"}}), ErrorKind::InvalidOption);
    EXPECT_EQ(kind_of(OptionCatalog::Wrapper, {{"url", "https://x"}}), ErrorKind::InvalidOption);
}

}  // namespace
}  // namespace wcfdw
