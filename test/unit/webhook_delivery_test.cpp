// Inspection of what reaches the receiver, before any signature check:
// the real deliveries and pings of WooCommerce 10, and hostile variations.
#include "core/webhook/delivery.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/fixtures.hpp"

namespace wcfdw::webhook {
namespace {

using Json = nlohmann::json;

Json capture(const std::string& prefix) {
    for (const auto& d : Json::parse(testing::read_data("real-38-76-webhook-deliveries.json")))
        if (d["capture"].get<std::string>().rfind(prefix, 0) == 0) return d;
    throw std::runtime_error("no capture " + prefix);
}

// PostgREST hands request.headers over with lower-case names.
Json lower_case_names(const Json& headers) {
    Json out = Json::object();
    for (const auto& [k, v] : headers.items()) {
        std::string name = k;
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        out[name] = v;
    }
    return out;
}

TEST(WebhookDelivery, RealProductDeliveryIsAnEvent) {
    const Json d = capture("76b");
    for (const Json& headers : {d["headers"], lower_case_names(d["headers"])}) {
        const Inspection in = inspect_delivery(headers, d["body_raw"].get<std::string>(), 1 << 20);
        ASSERT_EQ(in.kind, DeliveryKind::Event) << in.refusal.message;
        EXPECT_EQ(in.webhook_id, 1);
        EXPECT_EQ(in.topic, "product.created");
        EXPECT_EQ(in.resource, "product");
        EXPECT_EQ(in.event, "created");
        EXPECT_EQ(in.delivery_id, "b6b15120f870afc19b9180f8603ebd57");
        EXPECT_EQ(in.source, "http://127.0.0.1:8080/");
        EXPECT_EQ(in.source_url, "http://127.0.0.1:8080");  // home_url('/') compared like a store URL
        EXPECT_EQ(in.signature, "zJ1cbtoI4ylnye6EKtcGMNM48GWCJPzE9IZw0NrbCdk=");
    }
}

TEST(WebhookDelivery, ActionTopicKeepsTheHookName) {
    const Json d = capture("76h");
    const Inspection in = inspect_delivery(d["headers"], d["body_raw"].get<std::string>(), 1 << 20);
    ASSERT_EQ(in.kind, DeliveryKind::Event);
    EXPECT_EQ(in.resource, "action");
    EXPECT_EQ(in.event, "woocommerce_update_product");
}

TEST(WebhookDelivery, RealPingsArePings) {
    for (const char* name : {"38a", "76a"}) {
        const Json d = capture(name);
        const Inspection in = inspect_delivery(d["headers"], d["body_raw"].get<std::string>(), 1 << 20);
        ASSERT_EQ(in.kind, DeliveryKind::Ping) << name;
        EXPECT_EQ(in.webhook_id, std::string(name) == "38a" ? 2 : 1);
        EXPECT_EQ(inspection_json(in)["kind"], "ping");
    }
}

TEST(WebhookDelivery, OversizedBodyIsRefusedFirst) {
    const Json d = capture("76b");
    const std::string body = d["body_raw"];
    const Inspection in = inspect_delivery(d["headers"], body, body.size() - 1);
    ASSERT_EQ(in.kind, DeliveryKind::Refused);
    EXPECT_EQ(in.refusal.reason, "body_too_large");
    EXPECT_EQ(in.refusal.http_status, 413);
    EXPECT_EQ(inspect_delivery(d["headers"], body, body.size()).kind, DeliveryKind::Event);
}

TEST(WebhookDelivery, MissingSignatureIs401) {
    const Json d = capture("76c");
    Json headers = d["headers"];
    headers.erase("X-WC-Webhook-Signature");
    const Inspection in = inspect_delivery(headers, d["body_raw"].get<std::string>(), 1 << 20);
    EXPECT_EQ(in.refusal.reason, "missing_signature");
    EXPECT_EQ(in.refusal.http_status, 401);
    // Without any WooCommerce header it is not a delivery at all.
    const Inspection other = inspect_delivery(Json{{"Content-Type", "application/json"}}, "{}", 1 << 20);
    EXPECT_EQ(other.refusal.reason, "not_a_delivery");
    // A ping body with a signature is treated as a (malformed) delivery.
    const Inspection signed_ping =
        inspect_delivery(Json{{"X-WC-Webhook-Signature", "abc"}}, "webhook_id=5", 1 << 20);
    EXPECT_EQ(signed_ping.kind, DeliveryKind::Refused);
}

TEST(WebhookDelivery, HostileHeadersAreRefused) {
    const Json d = capture("76c");
    const std::string body = d["body_raw"];
    auto refused_with = [&](Json headers) {
        const Inspection in = inspect_delivery(headers, body, 1 << 20);
        EXPECT_EQ(in.kind, DeliveryKind::Refused);
        return in.refusal.reason;
    };
    Json h = d["headers"];
    h["x-wc-webhook-id"] = "3";  // the same name twice, in another case
    EXPECT_EQ(refused_with(h), "bad_header");
    h = d["headers"];
    h["X-WC-Webhook-ID"] = "2 OR 1=1";
    EXPECT_EQ(refused_with(h), "bad_header");
    h = d["headers"];
    h["X-WC-Webhook-ID"] = 2;  // not text
    EXPECT_EQ(refused_with(h), "bad_header");
    h = d["headers"];
    h["X-WC-Webhook-Topic"] = "product";
    EXPECT_EQ(refused_with(h), "bad_header");
    h = d["headers"];
    h["X-WC-Webhook-Event"] = "deleted";  // disagrees with the topic
    EXPECT_EQ(refused_with(h), "bad_header");
    h = d["headers"];
    h["X-WC-Webhook-Source"] = "javascript:alert(1)";
    EXPECT_EQ(refused_with(h), "bad_header");
    h = d["headers"];
    h["X-WC-Webhook-Source"] = "http://shop.example\r\nX-Evil: 1";
    EXPECT_EQ(refused_with(h), "bad_header");
    h = d["headers"];
    h["X-WC-Webhook-Delivery-ID"] = std::string(200, 'a');
    EXPECT_EQ(refused_with(h), "bad_header");
    h = d["headers"];
    h.erase("X-WC-Webhook-Delivery-ID");
    EXPECT_EQ(refused_with(h), "bad_header");
    EXPECT_EQ(refused_with(Json::array()), "bad_header");
    EXPECT_EQ(inspect_delivery(d["headers"], "", 1 << 20).refusal.reason, "not_a_delivery");
}

TEST(WebhookDelivery, AnswerNeverCarriesTheBody) {
    const Json d = capture("76g");
    const Json answer = inspection_json(inspect_delivery(d["headers"], d["body_raw"].get<std::string>(), 1 << 20));
    EXPECT_EQ(answer["kind"], "event");
    EXPECT_EQ(answer.dump().find("angela"), std::string::npos);
}

}  // namespace
}  // namespace wcfdw::webhook
