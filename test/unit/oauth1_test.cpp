#include "core/transport/oauth1.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace wcfdw {
namespace {

// The constructed vectors of woo-reference, kept in order so that the
// parameters reach the signer unsorted, as a caller would give them.
nlohmann::ordered_json load_vectors() {
    const std::string path = std::string(WCFDW_TEST_DATA_DIR) + "/oauth1-signature.test-vectors.constructed.json";
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::stringstream text;
    text << in.rdbuf();
    return nlohmann::ordered_json::parse(text.str())["vectors"];
}

std::vector<QueryParam> query_of(const nlohmann::ordered_json& vector) {
    std::vector<QueryParam> query;
    for (const auto& [name, value] : vector["query_params"].items()) query.push_back({name, value.get<std::string>()});
    return query;
}

HttpMethod method_of(const std::string& name) {
    if (name == "GET") return HttpMethod::Get;
    if (name == "POST") return HttpMethod::Post;
    if (name == "PUT") return HttpMethod::Put;
    if (name == "DELETE") return HttpMethod::Delete;
    return HttpMethod::Options;
}

TEST(OAuth1Vectors, FileHasTheVectors) {
    EXPECT_GE(load_vectors().size(), 5u);
}

TEST(OAuth1Vectors, BaseStringsAndSignaturesMatchEveryVector) {
    for (const auto& v : load_vectors()) {
        SCOPED_TRACE(v["method"].get<std::string>() + " " + v["url"].get<std::string>() + " " +
                     v["oauth_signature_method"].get<std::string>());
        std::vector<QueryParam> params = query_of(v);
        params.push_back({"oauth_consumer_key", v["oauth_consumer_key"]});
        params.push_back({"oauth_nonce", v["oauth_nonce"]});
        params.push_back({"oauth_signature_method", v["oauth_signature_method"]});
        params.push_back({"oauth_timestamp", v["oauth_timestamp"]});
        const std::string base = oauth1_signature_base_string(v["method"], v["url"], params);
        EXPECT_EQ(base, v["signature_base_string"].get<std::string>());

        // The key is the secret followed by '&', as the vectors record it.
        EXPECT_EQ(v["hmac_key"].get<std::string>(), v["consumer_secret"].get<std::string>() + "&");
        const OAuthSignatureMethod method = parse_signature_method(v["oauth_signature_method"]);
        EXPECT_EQ(oauth1_sign(base, v["consumer_secret"], method), v["oauth_signature"].get<std::string>());
    }
}

TEST(OAuth1Vectors, SignedRequestCarriesExactlyTheExpectedParameters) {
    for (const auto& v : load_vectors()) {
        SCOPED_TRACE(v["signature_base_string"].get<std::string>());
        HttpRequest request;
        request.method = method_of(v["method"]);
        request.url = v["url"];
        request.query = query_of(v);
        request.body = R"({"name":"not signed"})";  // a JSON body never enters the signature
        const std::size_t original = request.query.size();
        const Credentials credentials{v["oauth_consumer_key"], v["consumer_secret"]};
        oauth1_sign_request(request, credentials, parse_signature_method(v["oauth_signature_method"]),
                            v["oauth_timestamp"], v["oauth_nonce"]);

        ASSERT_EQ(request.query.size(), original + 5);
        const std::vector<std::pair<std::string, std::string>> expected = {
            {"oauth_consumer_key", v["oauth_consumer_key"]},
            {"oauth_nonce", v["oauth_nonce"]},
            {"oauth_signature_method", v["oauth_signature_method"]},
            {"oauth_timestamp", v["oauth_timestamp"]},
            {"oauth_signature", v["oauth_signature"]},
        };
        for (std::size_t i = 0; i < expected.size(); ++i) {
            EXPECT_EQ(request.query[original + i].name, expected[i].first);
            EXPECT_EQ(request.query[original + i].value, expected[i].second);
        }
        for (const auto& p : request.query) EXPECT_NE(p.name, "oauth_version");
    }
}

TEST(OAuth1BaseString, SortsByRawNameInByteOrderThenByValue) {
    // Encoded, "a%2F" would sort before "a-"; the server sorts raw names.
    EXPECT_EQ(oauth1_signature_base_string("GET", "http://x/p", {{"a/", "1"}, {"a-", "2"}}),
              "GET&http%3A%2F%2Fx%2Fp&a-%3D2%26a%252F%3D1");
    // Bytes compare unsigned: UTF-8 sorts after ASCII.
    EXPECT_EQ(oauth1_signature_base_string("GET", "http://x/p", {{"\xC3\xA9", "1"}, {"z", "2"}}),
              "GET&http%3A%2F%2Fx%2Fp&z%3D2%26%25C3%25A9%3D1");
    EXPECT_EQ(oauth1_signature_base_string("get", "http://x/p", {{"x", "b"}, {"x", "a"}}),
              "GET&http%3A%2F%2Fx%2Fp&x%3Da%26x%3Db");
    EXPECT_EQ(oauth1_signature_base_string("POST", "http://x/p", {}), "POST&http%3A%2F%2Fx%2Fp&");
}

TEST(OAuth1Sign, MethodChoosesTheHash) {
    const std::string base = "GET&http%3A%2F%2Fx%2Fp&";
    EXPECT_EQ(oauth1_sign(base, "s", OAuthSignatureMethod::HmacSha256).size(), 44u);  // 32 bytes in base64
    EXPECT_EQ(oauth1_sign(base, "s", OAuthSignatureMethod::HmacSha1).size(), 28u);    // 20 bytes
    EXPECT_STREQ(oauth1_signature_method_name(OAuthSignatureMethod::HmacSha1), "HMAC-SHA1");
    EXPECT_STREQ(oauth1_signature_method_name(OAuthSignatureMethod::HmacSha256), "HMAC-SHA256");
}

}  // namespace
}  // namespace wcfdw
