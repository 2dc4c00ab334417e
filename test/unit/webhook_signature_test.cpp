// Webhook signatures against the real deliveries of a WooCommerce 10 store
// (woo-reference/real/38b, 76b-76j, with the secrets that signed them).
#include "core/webhook/signature.hpp"

#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/fixtures.hpp"

namespace wcfdw::webhook {
namespace {

nlohmann::json captured_deliveries() {
    return nlohmann::json::parse(testing::read_data("real-38-76-webhook-deliveries.json"));
}

TEST(WebhookSignature, MatchesEverySignedRealDelivery) {
    int checked = 0;
    for (const auto& d : captured_deliveries()) {
        if (d["webhook_secret"].is_null()) continue;  // the pings are unsigned
        const std::string secret = d["webhook_secret"];
        const std::string body = d["body_raw"];
        const std::string header = d["headers"]["X-WC-Webhook-Signature"];
        SCOPED_TRACE(d["capture"].get<std::string>());
        EXPECT_EQ(delivery_signature(secret, body), header);
        EXPECT_TRUE(signature_matches(secret, body, header));
        EXPECT_TRUE(signature_matches(secret, body, "  " + header + "\r\n"));
        ++checked;
    }
    EXPECT_EQ(checked, 10);
}

TEST(WebhookSignature, RefusesEveryAlteration) {
    const auto d = captured_deliveries()[1];  // 38b, product.updated
    const std::string secret = d["webhook_secret"];
    const std::string body = d["body_raw"];
    const std::string header = d["headers"]["X-WC-Webhook-Signature"];
    // One byte of the body changed, re-serialised JSON (the escaped slashes
    // of wp_json_encode lost), another secret, a truncated or empty header.
    std::string changed = body;
    changed[changed.size() / 2] ^= 1;
    EXPECT_FALSE(signature_matches(secret, changed, header));
    const std::string reserialised = nlohmann::json::parse(body).dump();
    EXPECT_FALSE(signature_matches(secret, reserialised, header));
    EXPECT_FALSE(signature_matches(secret + "x", body, header));
    EXPECT_FALSE(signature_matches(secret, body, header.substr(0, header.size() - 1)));
    EXPECT_FALSE(signature_matches(secret, body, ""));
    // An empty secret never verifies, even the signature it would produce.
    EXPECT_FALSE(signature_matches("", body, delivery_signature("", body)));
}

TEST(WebhookSignature, ConstantTimeEqual) {
    EXPECT_TRUE(constant_time_equal("abc", "abc"));
    EXPECT_FALSE(constant_time_equal("abc", "abd"));
    EXPECT_FALSE(constant_time_equal("abc", "ab"));
    EXPECT_FALSE(constant_time_equal("abc", "abcd"));
    EXPECT_TRUE(constant_time_equal("", ""));
}

TEST(WebhookSignature, ConstructedVectorOfTheReference) {
    // woo-reference/webhook-delivery.constructed.json
    const std::string body =
        R"({"id":794,"name":"Premium Quality","slug":"premium-quality-19","permalink":"https:\/\/example.com\/product\/premium-quality-19\/","type":"simple","sku":"PQ-19","regular_price":"21.99"})";
    EXPECT_EQ(delivery_signature("whsec_test_0123456789", body), "tK0aDnm2J8t/JSGsDkWST1KBWEE1i7VUnkcQOllNjIU=");
}

TEST(WebhookSignature, SecretIsDecodedLikeWordPress) {
    EXPECT_EQ(wp_specialchars_decode("a&amp;b&lt;c&gt;d&quot;e&#039;f"), "a&b<c>d\"e'f");
    EXPECT_EQ(wp_specialchars_decode("&#0039;&#39;&#x27;&#X27;&#x0026;&#038;&#34;"), "''''&&\"");
    // Not decoded: other entities, unterminated ones, and the output of a
    // decode (strtr never rescans).
    EXPECT_EQ(wp_specialchars_decode("&nbsp;&#65;&amp&#x3c;"), "&nbsp;&#65;&amp&#x3c;");
    EXPECT_EQ(wp_specialchars_decode("&amp;amp;"), "&amp;");
    EXPECT_EQ(delivery_signature("s&amp;t", "{}"), delivery_signature("s&t", "{}"));
}

TEST(WebhookSignature, GeneratedSecretsAreLongPlainAndUnique) {
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        const std::string s = generate_secret();
        ASSERT_EQ(s.size(), 48u);
        for (const char c : s) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << s;
        EXPECT_EQ(wp_specialchars_decode(s), s);
        EXPECT_TRUE(seen.insert(s).second);
    }
}

}  // namespace
}  // namespace wcfdw::webhook
