#include "core/woo/credential_hints.hpp"

#include <gtest/gtest.h>

namespace wcfdw {
namespace {

const char* kWrongSecret = "store answered HTTP 401 (woocommerce_rest_authentication_error): Consumer secret is invalid";
const char* kWrongKey = "store answered HTTP 401 (woocommerce_rest_authentication_error): Consumer key is invalid";

bool has(const std::string& text, const char* part) { return text.find(part) != std::string::npos; }

TEST(CredentialHints, ArgumentsHaveNoUserMapping) {
    const std::string h = credential_hint(kWrongSecret, CredentialSource::arguments());
    EXPECT_TRUE(has(h, "does not belong to this consumer key"));
    EXPECT_FALSE(has(h, "user mapping")) << h;
    EXPECT_FALSE(has(h, "update_connection")) << h;
    EXPECT_FALSE(has(credential_hint(kWrongKey, CredentialSource::arguments()), "user mapping"));
    EXPECT_FALSE(has(check_keys_hint(CredentialSource::arguments()), "user mapping"));
}

TEST(CredentialHints, UserMappingNamesItsServer) {
    EXPECT_TRUE(has(credential_hint(kWrongSecret, CredentialSource::user_mapping("shop")),
                    "ALTER USER MAPPING FOR CURRENT_USER SERVER shop OPTIONS (SET consumer_secret"));
    EXPECT_TRUE(has(credential_hint(kWrongSecret, CredentialSource::user_mapping("My \"Shop\"")),
                    "SERVER \"My \"\"Shop\"\"\" OPTIONS"));
    // Unknown server (a foreign table's scan): still the user mapping.
    EXPECT_TRUE(has(credential_hint(kWrongSecret, CredentialSource{}), "user mapping's consumer_secret"));
    EXPECT_TRUE(has(credential_hint(kWrongKey, CredentialSource::user_mapping("shop")), "SET consumer_key"));
    EXPECT_TRUE(has(check_keys_hint(CredentialSource::user_mapping("shop")), "user mapping for server shop"));
}

TEST(CredentialHints, ConnectionsAreFixedWithUpdateConnection) {
    const std::string h = credential_hint(kWrongSecret, CredentialSource::connection(7));
    EXPECT_TRUE(has(h, "woocommerce.update_connection(7, consumer_secret => 'cs_...')")) << h;
    EXPECT_FALSE(has(h, "ALTER USER MAPPING")) << h;
    EXPECT_TRUE(has(credential_hint(kWrongKey, CredentialSource::connection(7)), "consumer_key => 'ck_...'"));
    EXPECT_TRUE(has(check_keys_hint(CredentialSource::connection(7)), "update_connection(7,"));
}

TEST(CredentialHints, OtherRefusalsAreNotAboutTheKeys) {
    EXPECT_EQ(credential_hint("store answered HTTP 401: Invalid signature - provided signature does not match",
                              CredentialSource::arguments()),
              "");
    EXPECT_EQ(credential_hint("Sorry, you cannot list resources.", CredentialSource{}), "");
}

}  // namespace
}  // namespace wcfdw
