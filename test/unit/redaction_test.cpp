#include "core/transport/http_client.hpp"

#include <gtest/gtest.h>

namespace wcfdw {
namespace {

TEST(RedactedUrl, MasksSecretParametersButKeepsTheRest) {
    HttpRequest request;
    request.url = "https://shop.example.com/wp-json/wc/v3/products";
    request.query = {{"per_page", "100"},
                     {"consumer_key", "ck_visible"},
                     {"consumer_secret", "cs_hidden"},
                     {"oauth_signature", "abc/def+="}};
    const std::string url = redacted_url(request);
    EXPECT_EQ(url,
              "https://shop.example.com/wp-json/wc/v3/products?per_page=100&consumer_key=ck_visible&"
              "consumer_secret=********&oauth_signature=********");
}

TEST(RedactedUrl, MasksEveryGivenSecretRawOrEncoded) {
    HttpRequest request;
    request.url = "https://shop.example.com/wp-json/wc/v3/products";
    request.query = {{"search", "s3cr3t value"}, {"note", "s3cr3t"}};
    const std::string url = redacted_url(request, {"s3cr3t value", "s3cr3t"});
    EXPECT_EQ(url.find("s3cr3t"), std::string::npos) << url;
    EXPECT_EQ(url, "https://shop.example.com/wp-json/wc/v3/products?search=********&note=********");
}

TEST(RedactSecrets, ReplacesAllOccurrencesAndIgnoresEmptySecrets) {
    EXPECT_EQ(redact_secrets("a pw b pw", {"pw", ""}), "a ******** b ********");
    EXPECT_EQ(redact_secrets("x=a%2Fb", {"a/b"}), "x=********");
    EXPECT_EQ(redact_secrets("nothing here", {}), "nothing here");
}

}  // namespace
}  // namespace wcfdw
