#include "core/transport/url.hpp"

#include <gtest/gtest.h>

#include "core/base/woo_error.hpp"

namespace wcfdw {
namespace {

TEST(PercentEncode, LeavesOnlyUnreservedCharacters) {
    EXPECT_EQ(percent_encode("AZaz09-._~"), "AZaz09-._~");
    EXPECT_EQ(percent_encode(""), "");
    EXPECT_EQ(percent_encode("a b+c/d?e=f&g:h"), "a%20b%2Bc%2Fd%3Fe%3Df%26g%3Ah");
    // PHP's rawurlencode encodes '*' too, and never turns a space into '+'.
    EXPECT_EQ(percent_encode("*!'()"), "%2A%21%27%28%29");
    EXPECT_EQ(percent_encode("\xC3\xA9"), "%C3%A9");  // é, as UTF-8 bytes
    EXPECT_EQ(percent_encode(std::string("\0\xFF", 2)), "%00%FF");
}

TEST(BuildQueryString, KeepsOrderAndEncodesNamesAndValues) {
    EXPECT_EQ(build_query_string({}), "");
    EXPECT_EQ(build_query_string({{"per_page", "100"}, {"sku", "A B,C"}, {"include[]", "1"}}),
              "per_page=100&sku=A%20B%2CC&include%5B%5D=1");
    EXPECT_EQ(url_with_query("http://x/p", {}), "http://x/p");
    EXPECT_EQ(url_with_query("http://x/p", {{"a", "1"}, {"b", ""}}), "http://x/p?a=1&b=");
}

TEST(ParseUrl, SplitsEveryPart) {
    const ParsedUrl u = parse_url("HTTPS://Shop.Example.com:8443/wp/x?y=1#top");
    EXPECT_EQ(u.scheme, "https");
    EXPECT_EQ(u.host, "Shop.Example.com");
    EXPECT_EQ(u.port, 8443);
    EXPECT_TRUE(u.explicit_port);
    EXPECT_EQ(u.path, "/wp/x");
    EXPECT_TRUE(u.has_query);
    EXPECT_EQ(u.query, "y=1");
    EXPECT_TRUE(u.has_fragment);
    EXPECT_EQ(u.fragment, "top");
    EXPECT_FALSE(u.has_userinfo);
}

TEST(ParseUrl, DefaultPortsAndIpv6) {
    EXPECT_EQ(parse_url("http://example.com").port, 80);
    EXPECT_EQ(parse_url("https://example.com").port, 443);
    EXPECT_EQ(parse_url("https://example.com").path, "");
    const ParsedUrl v6 = parse_url("http://[::1]:8080/shop");
    EXPECT_EQ(v6.host, "[::1]");
    EXPECT_EQ(v6.port, 8080);
    EXPECT_EQ(v6.path, "/shop");
}

void expect_invalid(const std::string& url, const std::string& hint_part) {
    try {
        parse_url(url);
        ADD_FAILURE() << "accepted " << url;
    } catch (const WooError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument) << url;
        EXPECT_NE(e.hint().find(hint_part), std::string::npos) << url << ": " << e.hint();
    }
}

TEST(ParseUrl, RejectsWhatIsNotHttpOrHttps) {
    expect_invalid("ftp://example.com", "https://");
    expect_invalid("file:///etc/passwd", "https://");
    expect_invalid("example.com", "https://");
    expect_invalid("https://", "https://");
    expect_invalid("https://:443/", "https://");
    expect_invalid("https://shop:99999", "1 to 65535");
    expect_invalid("https://shop:abc", "1 to 65535");
    expect_invalid("https://sh op.com", "%20");
    expect_invalid("https://[::1", "https://");
}

TEST(NormaliseStoreUrl, CanonicalSpelling) {
    EXPECT_EQ(normalise_store_url("HTTPS://Shop.Example.COM/"), "https://shop.example.com");
    EXPECT_EQ(normalise_store_url("https://example.com/Shop//"), "https://example.com/Shop");
    EXPECT_EQ(normalise_store_url("http://example.com:80/"), "http://example.com");
    EXPECT_EQ(normalise_store_url("https://example.com:443"), "https://example.com");
    EXPECT_EQ(normalise_store_url("https://example.com:8443/"), "https://example.com:8443");
    EXPECT_EQ(normalise_store_url("http://example.com:443"), "http://example.com:443");
    EXPECT_EQ(normalise_store_url("  https://example.com  "), "https://example.com");
}

void expect_rejected(const std::string& url, const std::string& message_part, const std::string& secret = {}) {
    try {
        normalise_store_url(url);
        ADD_FAILURE() << "accepted " << url;
    } catch (const WooError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
        EXPECT_NE(std::string(e.what()).find(message_part), std::string::npos) << e.what();
        EXPECT_FALSE(e.hint().empty());
        if (!secret.empty()) {
            EXPECT_EQ(std::string(e.what()).find(secret), std::string::npos) << e.what();
            EXPECT_EQ(e.hint().find(secret), std::string::npos) << e.hint();
            EXPECT_EQ(e.detail().find(secret), std::string::npos) << e.detail();
        }
    }
}

TEST(NormaliseStoreUrl, RejectsCredentialsQueriesAndFragments) {
    expect_rejected("https://admin:hunter2@shop.example.com", "credentials", "hunter2");
    expect_rejected("https://admin@shop.example.com/", "credentials");
    expect_rejected("https://shop.example.com/?lang=en", "query string");
    expect_rejected("https://shop.example.com/#top", "fragment");
    expect_rejected("", "empty");
    expect_rejected("   ", "empty");
    // A password without '@' in the authority must not be quoted as a "port".
    expect_rejected("https://admin:hunter2/x@shop.example.com", "port", "hunter2");
}

}  // namespace
}  // namespace wcfdw
