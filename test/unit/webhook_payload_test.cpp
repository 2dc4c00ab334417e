// Verified bodies: parsing limits and what each topic asks for.
#include "core/webhook/payload.hpp"

#include <gtest/gtest.h>

#include "core/base/woo_error.hpp"
#include "support/fixtures.hpp"

namespace wcfdw::webhook {
namespace {

using Json = nlohmann::json;

Json body_of(const std::string& prefix) {
    for (const auto& d : Json::parse(testing::read_data("real-38-76-webhook-deliveries.json")))
        if (d["capture"].get<std::string>().rfind(prefix, 0) == 0) return parse_delivery_body(d["body_raw"]);
    throw std::runtime_error("no capture " + prefix);
}

TEST(WebhookPayload, RealBodiesAndTheirPlans) {
    DeliveryPlan p = plan_delivery("product", "created", body_of("76b"));
    EXPECT_EQ(p.action, DeliveryAction::ImportProduct);
    EXPECT_EQ(p.resource_id, 3209);
    EXPECT_EQ(p.import_id, 3209);
    EXPECT_FALSE(p.variation);
    p = plan_delivery("product", "deleted", body_of("76d"));  // {"id":3209} only
    EXPECT_EQ(p.action, DeliveryAction::MarkProductDeleted);
    EXPECT_EQ(p.resource_id, 3209);
    EXPECT_EQ(plan_delivery("product", "restored", body_of("76e")).action, DeliveryAction::ImportProduct);
    p = plan_delivery("order", "updated", body_of("76f"));
    EXPECT_EQ(p.action, DeliveryAction::Queue);
    EXPECT_EQ(p.resource_id, 2050);
    EXPECT_EQ(plan_delivery("customer", "created", body_of("76g")).resource_id, 5);
    p = plan_delivery("action", "woocommerce_update_product", body_of("76h"));
    EXPECT_EQ(p.action, DeliveryAction::Queue);
    EXPECT_EQ(p.resource_id, 3209);
}

TEST(WebhookPayload, VariationIsImportedThroughItsParent) {
    const Json variation = {{"id", 41}, {"type", "variation"}, {"parent_id", 26}, {"sku", "HOODIE-RED-S"}};
    const DeliveryPlan p = plan_delivery("product", "updated", variation);
    EXPECT_TRUE(p.variation);
    EXPECT_EQ(p.resource_id, 41);
    EXPECT_EQ(p.import_id, 26);
}

TEST(WebhookPayload, UnknownTopicsAreIgnoredAndIdsRequired) {
    EXPECT_EQ(plan_delivery("product", "unknown_event", Json{{"id", 1}}).action, DeliveryAction::Ignore);
    EXPECT_EQ(plan_delivery("subscription", "updated", Json{{"id", 1}}).action, DeliveryAction::Ignore);
    EXPECT_EQ(plan_delivery("coupon", "deleted", Json{{"id", "12"}}).resource_id, 12);  // numeric string
    EXPECT_THROW(plan_delivery("product", "updated", Json{{"id", -4}}), WooError);
    EXPECT_THROW(plan_delivery("order", "created", Json{{"name", "x"}}), WooError);
    EXPECT_THROW(plan_delivery("product", "updated", Json{{"id", "1e9"}}), WooError);
    // An action without a numeric argument is still queued.
    EXPECT_EQ(plan_delivery("action", "some_hook", Json{{"arg", "abc"}}).resource_id, 0);
}

TEST(WebhookPayload, MalformedBodiesAreRefusedWithAReason) {
    auto message = [](const std::string& body) {
        try {
            parse_delivery_body(body, 8);
        } catch (const WooError& e) {
            EXPECT_STREQ(e.sqlstate(), "22023");
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_NE(message("{\"id\": 1").find("not valid JSON"), std::string::npos);
    EXPECT_NE(message("[1,2]").find("not a JSON object"), std::string::npos);
    EXPECT_NE(message("{\"a\":\"\\u0000\"}").find("NUL"), std::string::npos);
    EXPECT_NE(message("{\"a\":\"\xff\"}").find("not valid JSON"), std::string::npos);
    EXPECT_NE(message(std::string(9, '[') + std::string(9, ']')).find("nested"), std::string::npos);
    // Brackets inside strings do not count; escaped quotes do not end a string.
    EXPECT_EQ(message("{\"a\":\"[[[[[[[[[[[[\\\"[[[[[[\"}"), "accepted");
    // A million levels are refused before the parser sees them.
    EXPECT_NE(message(std::string(1000000, '[')).find("nested"), std::string::npos);
}

}  // namespace
}  // namespace wcfdw::webhook
