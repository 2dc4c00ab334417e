// The wc-auth callback body (real/80b) and its refusals.
#include "core/webhook/auth_callback.hpp"

#include <gtest/gtest.h>

#include "core/base/woo_error.hpp"

namespace wcfdw::webhook {
namespace {

// real/80b's body, with a secret of the real shape in place of the redaction.
const std::string kReal =
    R"({"key_id":6,"user_id":"42","consumer_key":"ck_927421a728692bc98654d39eb21639db0a31543f",)"
    R"("consumer_secret":"cs_0123456789abcdef0123456789abcdef01234567","key_permissions":"read_write"})";

TEST(WebhookAuthCallback, ReadsTheRealBody) {
    const AuthCallback c = parse_auth_callback(kReal);
    EXPECT_EQ(c.key_id, 6);
    EXPECT_EQ(c.state, "42");
    EXPECT_EQ(c.consumer_key, "ck_927421a728692bc98654d39eb21639db0a31543f");
    EXPECT_EQ(c.consumer_secret, "cs_0123456789abcdef0123456789abcdef01234567");
    EXPECT_EQ(c.permissions, "read_write");
}

TEST(WebhookAuthCallback, RefusalsNameTheMemberNeverTheValue) {
    auto message = [](std::string body) {
        try {
            parse_auth_callback(body);
        } catch (const WooError& e) {
            EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    auto with = [](const std::string& from, const std::string& to) {
        std::string b = kReal;
        b.replace(b.find(from), from.size(), to);
        return b;
    };
    EXPECT_NE(message("not json").find("not a JSON object"), std::string::npos);
    EXPECT_NE(message("[]").find("not a JSON object"), std::string::npos);
    EXPECT_NE(message(with("\"key_id\":6", "\"key_id\":\"6\"")).find("key_id"), std::string::npos);
    EXPECT_NE(message(with("\"user_id\":\"42\"", "\"user_id\":42")).find("user_id"), std::string::npos);
    EXPECT_NE(message(with("\"user_id\":\"42\"", "\"user_id\":\"4 2\"")).find("user_id"), std::string::npos);
    EXPECT_NE(message(with("ck_927421", "xx_927421")).find("consumer_key"), std::string::npos);
    const std::string bad_secret = message(with("cs_0123456789", "cs_01234567'9"));
    EXPECT_NE(bad_secret.find("consumer_secret"), std::string::npos);
    EXPECT_EQ(bad_secret.find("01234567"), std::string::npos);
    EXPECT_NE(message(with("read_write", "admin")).find("key_permissions"), std::string::npos);
    EXPECT_NE(message(std::string(20000, ' ')).find("16 kB"), std::string::npos);
}

TEST(WebhookAuthCallback, Sha256Hex) {
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

}  // namespace
}  // namespace wcfdw::webhook
