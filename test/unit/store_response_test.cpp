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

namespace wcfdw {
namespace {

HttpResponse with_header(HttpResponse r, const std::string& name, const std::string& value) {
    r.headers[name] = value;
    return r;
}

WooError parse_error_of(const HttpResponse& r, const std::vector<std::string>& secrets = {}) {
    try {
        parse_json_body(r, "GET https://shop/wp-json/wc/v3/products", secrets);
    } catch (const WooError& e) {
        return e;
    }
    ADD_FAILURE() << "no error for HTTP " << r.status;
    return WooError(ErrorKind::Internal, "none");
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(StoreAnswer, RedirectNamesStatusAndLocationWithAHintAboutTheUrl) {
    const WooError e =
        parse_error_of(with_header(response(301, "", "text/html"), "location", "https://www.shop.example/wp-json/"));
    EXPECT_EQ(e.kind(), ErrorKind::Redirected);
    EXPECT_STREQ(e.sqlstate(), "08001");
    EXPECT_EQ(e.http_status, 301);
    EXPECT_TRUE(has(e.what(), "HTTP 301")) << e.what();
    EXPECT_TRUE(has(e.what(), "https://www.shop.example/wp-json/")) << e.what();
    EXPECT_TRUE(has(e.hint(), "url")) << e.hint();
    // A redirect with a JSON body is no answer either.
    EXPECT_EQ(parse_error_of(with_header(response(302, "[]"), "location", "/x")).kind(), ErrorKind::Redirected);
    EXPECT_EQ(parse_error_of(response(304, "")).kind(), ErrorKind::Redirected);
}

TEST(StoreAnswer, RedirectLocationNeverShowsTheSecret) {
    const WooError e = parse_error_of(
        with_header(response(302, ""), "location", "https://shop/login?consumer_secret=cs_hidden_123&x=1"),
        {"cs_hidden_123"});
    EXPECT_FALSE(has(e.what(), "cs_hidden_123")) << e.what();
    EXPECT_FALSE(has(e.detail(), "cs_hidden_123"));
}

TEST(StoreAnswer, SuccessWithoutABodyIsAnError) {
    for (const long status : {200L, 201L, 204L}) {
        const WooError e = parse_error_of(response(status, ""));
        EXPECT_EQ(e.kind(), ErrorKind::InvalidResponse);
        EXPECT_TRUE(has(e.what(), "HTTP " + std::to_string(status))) << e.what();
        EXPECT_TRUE(has(e.what(), "empty body")) << e.what();
    }
    EXPECT_EQ(parse_error_of(response(200, " \r\n ")).kind(), ErrorKind::InvalidResponse);
}

TEST(StoreAnswer, EveryBodyProblemNamesTheStatus) {
    const WooError html = parse_error_of(response(200, "<html><body>Maintenance</body></html>", "text/html"));
    EXPECT_TRUE(has(html.what(), "HTTP 200 with an HTML page")) << html.what();
    const WooError php = parse_error_of(response(200, "[{\"id\":1}]<br />\n<b>Warning</b>: x"));
    EXPECT_TRUE(has(php.what(), "HTTP 200 with invalid JSON")) << php.what();
    const WooError cut = parse_error_of(response(200, "[{\"id\":1"));
    EXPECT_TRUE(has(cut.what(), "HTTP 200 with a truncated JSON body")) << cut.what();
    const WooError deep = parse_error_of(response(200, std::string(300, '[') + std::string(300, ']')));
    EXPECT_TRUE(has(deep.what(), "nested deeper than 256 levels")) << deep.what();
    const WooError twice = parse_error_of(response(200, R"([{"id":1,"id":2}])"));
    EXPECT_TRUE(has(twice.what(), "\"id\" appears twice")) << twice.what();
    for (const WooError& e : {html, php, cut, deep, twice}) {
        EXPECT_STREQ(e.sqlstate(), "08P01") << e.what();
        EXPECT_EQ(e.http_status, 200);
        EXPECT_FALSE(e.hint().empty()) << e.what();
    }
}

TEST(StoreAnswer, ErrorStatusWithAnHtmlPageIsReportedByItsStatus) {
    // A 503 from nginx, a 404 from a site without pretty permalinks.
    const WooError down = parse_error_of(response(503, "<html><h1>503 Service Unavailable</h1></html>", "text/html"));
    EXPECT_EQ(down.kind(), ErrorKind::RemoteUnavailable);
    EXPECT_TRUE(has(down.what(), "store answered HTTP 503 with an HTML page")) << down.what();
    EXPECT_TRUE(has(down.detail(), "Service Unavailable")) << down.detail();
    const WooError missing = parse_error_of(response(404, "<html>Not Found</html>", "text/html"));
    EXPECT_EQ(missing.kind(), ErrorKind::NotFound);
    EXPECT_TRUE(has(missing.what(), "HTTP 404 with an HTML page")) << missing.what();
    EXPECT_TRUE(has(missing.hint(), "permalinks")) << missing.hint();
    const WooError garbage = parse_error_of(response(500, "Fatal error: out of memory", "text/plain"));
    EXPECT_TRUE(has(garbage.what(), "HTTP 500 with a body that is not JSON")) << garbage.what();
    // An error status whose body is JSON is handed back for its code.
    EXPECT_EQ(parse_json_body(response(404, R"({"code":"x","message":"y"})"), "GET x")["code"], "x");
    EXPECT_TRUE(parse_json_body(response(404, ""), "GET x").is_null());
}

TEST(StoreAnswer, NumbersOutOfRangeAreAnErrorForStrictReaders) {
    const WooError e = parse_error_of(response(200, R"({"id": 5, "price": 1e400})"));
    EXPECT_EQ(e.kind(), ErrorKind::OutOfRange);
    EXPECT_STREQ(e.sqlstate(), "22003");
    EXPECT_TRUE(has(e.what(), "1e400")) << e.what();
    EXPECT_TRUE(has(e.detail(), "price")) << e.detail();
    // parse_json_document keeps them for the scan.
    const JsonDocument doc = parse_json_document(response(200, R"({"id": 5, "price": 1e400})"), "GET x");
    ASSERT_EQ(doc.unrepresentable.size(), 1u);
    EXPECT_EQ(doc.value["id"], 5);
}

HttpResponse retry_answer(long status, int retries, HttpResponse::RetryEnd end, long wait_ms = 0) {
    HttpResponse r = response(status, R"({"code":"x","message":"busy"})");
    r.retries = retries;
    r.retry_end = end;
    r.retry_wait_ms = wait_ms;
    return r;
}

WooError error_of_answer(const HttpResponse& r) {
    return error_from_response(r, nlohmann::json::parse(r.body), "GET https://shop/wp-json/wc/v3/products");
}

TEST(StoreAnswer, HintsSayWhatHappenedToRetries) {
    using End = HttpResponse::RetryEnd;
    const WooError deadline = error_of_answer(retry_answer(429, 0, End::PastDeadline, 20000));
    EXPECT_TRUE(has(deadline.hint(), "20 s")) << deadline.hint();
    EXPECT_TRUE(has(deadline.hint(), "statement_timeout")) << deadline.hint();
    EXPECT_TRUE(has(deadline.hint(), "no retry was made")) << deadline.hint();
    EXPECT_FALSE(has(deadline.hint(), "max_retries")) << deadline.hint();

    const WooError too_long = error_of_answer(retry_answer(429, 0, End::WaitTooLong, 30000));
    EXPECT_TRUE(has(too_long.hint(), "30 s")) << too_long.hint();
    EXPECT_FALSE(has(too_long.hint(), "max_retries")) << too_long.hint();

    const WooError exhausted = error_of_answer(retry_answer(429, 3, End::Exhausted));
    EXPECT_TRUE(has(exhausted.hint(), "3 retries")) << exhausted.hint();
    EXPECT_TRUE(has(exhausted.hint(), "max_retries")) << exhausted.hint();
    EXPECT_TRUE(has(exhausted.detail(), "Retries: 3")) << exhausted.detail();

    const WooError none = error_of_answer(retry_answer(503, 0, End::Exhausted));
    EXPECT_TRUE(has(none.hint(), "max_retries is 0")) << none.hint();

    const WooError post = error_of_answer(retry_answer(503, 0, End::NotResent));
    EXPECT_TRUE(has(post.hint(), "not sent again")) << post.hint();
    EXPECT_FALSE(has(post.hint(), "max_retries")) << post.hint();

    const WooError plain500 = error_of_answer(retry_answer(500, 0, End::None));
    EXPECT_FALSE(has(plain500.hint(), "retries")) << plain500.hint();
}

}  // namespace
}  // namespace wcfdw
