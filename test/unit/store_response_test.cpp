#include "core/woo/store_client.hpp"

#include <gtest/gtest.h>

namespace wcfdw {
namespace {

HttpResponse response(long status, std::string body, std::string content_type = "application/json; charset=UTF-8") {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers["content-type"] = std::move(content_type);
    return r;
}

WooError error_for(long status, const std::string& body) {
    const HttpResponse r = response(status, body);
    return error_from_response(r, nlohmann::json::parse(body), "GET https://shop/wp-json/wc/v3/products");
}

TEST(StoreResponse, HtmlWhereJsonExpected) {
    try {
        parse_json_body(response(200, "<!DOCTYPE html><html><body><h1>Maintenance</h1></body></html>", "text/html"),
                        "GET x");
        FAIL();
    } catch (const WooError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidResponse);
        EXPECT_STREQ(e.sqlstate(), "08P01");
        EXPECT_NE(e.detail().find("Maintenance"), std::string::npos);
        EXPECT_NE(e.hint().find("api_prefix"), std::string::npos);
    }
}

TEST(StoreResponse, TruncatedVersusInvalid) {
    try {
        parse_json_body(response(200, R"([{"id": 1, "name": "Hood)"), "GET x");
        FAIL();
    } catch (const WooError& e) {
        EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos);
    }
    try {
        parse_json_body(response(200, R"(Notice: undefined index in x.php [{"id": 1}])"), "GET x");
        FAIL();
    } catch (const WooError& e) {
        EXPECT_NE(std::string(e.what()).find("invalid JSON"), std::string::npos);
    }
}

TEST(StoreResponse, AuthErrorsGetTheirHints) {
    const WooError secret = error_for(
        401, R"({"code":"woocommerce_rest_authentication_error","message":"Consumer secret is invalid.","data":{"status":401}})");
    EXPECT_EQ(secret.kind(), ErrorKind::Auth);
    EXPECT_STREQ(secret.sqlstate(), "28000");
    EXPECT_EQ(secret.http_status, 401);
    EXPECT_EQ(secret.woo_code, "woocommerce_rest_authentication_error");
    EXPECT_NE(std::string(secret.what()).find("Consumer secret is invalid"), std::string::npos);
    EXPECT_NE(secret.hint().find("consumer_secret"), std::string::npos);

    const WooError stripped = error_for(
        401, R"({"code":"woocommerce_rest_cannot_view","message":"Sorry, you cannot list resources.","data":{"status":401}})");
    EXPECT_EQ(stripped.kind(), ErrorKind::Auth);
    EXPECT_NE(stripped.hint().find("query_string"), std::string::npos);

    const WooError readonly = error_for(
        401, R"({"code":"woocommerce_rest_authentication_error","message":"The API key provided does not have write permissions.","data":{"status":401}})");
    EXPECT_EQ(readonly.kind(), ErrorKind::Permission);
    EXPECT_STREQ(readonly.sqlstate(), "42501");
}

TEST(StoreResponse, DuplicateSkuCarriesOwner) {
    const WooError e = error_for(
        400,
        R"({"code":"product_invalid_sku","message":"Invalid or duplicated SKU.","data":{"status":400,"resource_id":123,"unique_sku":"A-1"}})");
    EXPECT_EQ(e.kind(), ErrorKind::Conflict);
    EXPECT_STREQ(e.sqlstate(), "23505");
    EXPECT_EQ(e.resource_id, 123);
}

TEST(StoreResponse, StatusClasses) {
    EXPECT_EQ(error_for(404, R"({"code":"rest_no_route","message":"No route","data":{"status":404}})").kind(),
              ErrorKind::NotFound);
    EXPECT_EQ(error_for(429, R"({"code":"too_many","message":"slow down","data":{"status":429}})").kind(),
              ErrorKind::RateLimited);
    EXPECT_EQ(error_for(503, R"({"code":"x","message":"down","data":{"status":503}})").kind(),
              ErrorKind::RemoteUnavailable);
    EXPECT_EQ(error_for(400, R"({"code":"rest_invalid_param","message":"Invalid parameter(s): per_page","data":{"status":400}})").kind(),
              ErrorKind::RemoteRejected);
}

TEST(StoreResponse, HtmlEntitiesDecoded) {
    EXPECT_EQ(decode_html_entities("Fish &amp; Chips &#8211; &quot;XL&quot; &#x263A; &lt;b&gt;"),
              "Fish & Chips \xE2\x80\x93 \"XL\" \xE2\x98\xBA <b>");
    EXPECT_EQ(decode_html_entities("AT&T & more &unknown; &#;"), "AT&T & more &unknown; &#;");
}

TEST(StoreResponse, SanitizeUtf8) {
    EXPECT_EQ(sanitize_utf8("ok \xC3\xA9"), "ok \xC3\xA9");
    EXPECT_EQ(sanitize_utf8("bad \xFF\xC3"), "bad ??");
    EXPECT_EQ(sanitize_utf8(std::string("nul\0x", 5)), "nul?x");
}

}  // namespace
}  // namespace wcfdw
