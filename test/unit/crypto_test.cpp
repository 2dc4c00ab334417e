#include "core/transport/crypto.hpp"

#include <cctype>
#include <set>

#include <gtest/gtest.h>

namespace wcfdw {
namespace {

std::string hex(const std::string& bytes) {
    static const char kHex[] = "0123456789abcdef";
    std::string out;
    for (const char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        out += kHex[c >> 4];
        out += kHex[c & 0x0F];
    }
    return out;
}

TEST(Hmac, Rfc2202Sha1) {
    EXPECT_EQ(hex(hmac_sha1("Jefe", "what do ya want for nothing?")), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    EXPECT_EQ(hex(hmac_sha1(std::string(20, '\x0b'), "Hi There")), "b617318655057264e28bc0b6fb378c8ef146be00");
    // A key longer than the block size is hashed first (RFC 2202 test case 6).
    EXPECT_EQ(hex(hmac_sha1(std::string(80, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")),
              "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}

TEST(Hmac, Rfc4231Sha256) {
    EXPECT_EQ(hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    EXPECT_EQ(hex(hmac_sha256(std::string(20, '\x0b'), "Hi There")),
              "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    EXPECT_EQ(hmac_sha256("k", "d").size(), 32u);
    EXPECT_EQ(hmac_sha1("k", "d").size(), 20u);
}

TEST(Base64, Rfc4648Vectors) {
    EXPECT_EQ(base64_encode(""), "");
    EXPECT_EQ(base64_encode("f"), "Zg==");
    EXPECT_EQ(base64_encode("fo"), "Zm8=");
    EXPECT_EQ(base64_encode("foo"), "Zm9v");
    EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
    EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
    EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
    EXPECT_EQ(base64_encode(std::string("\xff\xfe\x00", 3)), "//4A");
    // No line breaks, however long the input.
    EXPECT_EQ(base64_encode(std::string(300, 'x')).find('\n'), std::string::npos);
}

TEST(RandomNonce, ThirtyTwoHexCharactersAndNeverRepeats) {
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        const std::string nonce = random_nonce();
        ASSERT_EQ(nonce.size(), 32u);
        for (const char c : nonce) EXPECT_TRUE(std::isxdigit(static_cast<unsigned char>(c)) && !std::isupper(c));
        EXPECT_TRUE(seen.insert(nonce).second);
    }
}

}  // namespace
}  // namespace wcfdw
