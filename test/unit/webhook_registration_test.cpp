// Which store webhooks register_webhooks updates, adopts or creates.
#include "core/webhook/registration.hpp"

#include <gtest/gtest.h>

namespace wcfdw::webhook {
namespace {

using Kind = RegistrationStep::Kind;
const std::string kUrl = "https://db.example/webhook";

TEST(WebhookRegistration, FirstTimeCreatesEveryTopic) {
    const auto plan = plan_registration({}, {}, {}, {"product.created", "product.updated"}, kUrl);
    ASSERT_EQ(plan.steps.size(), 2u);
    EXPECT_EQ(plan.steps[0].kind, Kind::Create);
    EXPECT_EQ(plan.steps[0].topic, "product.created");
    EXPECT_EQ(plan.steps[1].topic, "product.updated");
    EXPECT_TRUE(plan.missing.empty());
}

TEST(WebhookRegistration, KnownWebhooksAreUpdatedAndMissingOnesReported) {
    const std::vector<StoreWebhook> store = {{1, "product.created", "https://old/", "disabled"},
                                             {2, "order.updated", "https://old/", "active"}};
    const auto plan = plan_registration(store, {1, 2, 9}, {}, {"product.created", "product.deleted"}, kUrl);
    ASSERT_EQ(plan.steps.size(), 3u);
    EXPECT_EQ(plan.steps[0].kind, Kind::Update);  // requested topic: new secret and URL
    EXPECT_EQ(plan.steps[0].id, 1);
    EXPECT_TRUE(plan.steps[0].move_to_url);
    EXPECT_EQ(plan.steps[1].kind, Kind::Update);  // not requested: new secret only
    EXPECT_EQ(plan.steps[1].id, 2);
    EXPECT_FALSE(plan.steps[1].move_to_url);
    EXPECT_EQ(plan.steps[2].kind, Kind::Create);
    EXPECT_EQ(plan.steps[2].topic, "product.deleted");
    EXPECT_EQ(plan.missing, std::vector<std::int64_t>{9});
}

TEST(WebhookRegistration, LeftoversAreAdoptedButOthersWebhooksAreNot) {
    const std::vector<StoreWebhook> store = {{5, "product.updated", kUrl, "active"},    // another connection's
                                             {6, "product.updated", kUrl, "active"},    // left by a failed attempt
                                             {7, "product.created", "https://elsewhere/", "active"},
                                             {8, "order.updated", kUrl, "paused"}};     // not requested, same URL
    const auto plan = plan_registration(store, {}, {5}, {"product.updated", "product.created"}, kUrl);
    ASSERT_EQ(plan.steps.size(), 3u);
    EXPECT_EQ(plan.steps[0].kind, Kind::Adopt);
    EXPECT_EQ(plan.steps[0].id, 6);
    EXPECT_EQ(plan.steps[1].kind, Kind::Adopt);   // it delivers here: it gets the new secret
    EXPECT_EQ(plan.steps[1].id, 8);
    EXPECT_EQ(plan.steps[2].kind, Kind::Create);  // 7 points elsewhere: not ours to take
    EXPECT_EQ(plan.steps[2].topic, "product.created");
}

TEST(WebhookRegistration, TopicsWooCommerceAccepts) {
    for (const char* t : {"product.created", "product.restored", "order.deleted", "coupon.updated", "customer.created",
                          "action.woocommerce_update_product", "action.wc_anything", "product.published"})
        EXPECT_TRUE(valid_topic(t)) << t;
    for (const char* t : {"product", "product.exploded", "shop.created", "action.other_plugin_hook", "action.wc_Bad",
                          "Product.created", ""})
        EXPECT_FALSE(valid_topic(t)) << t;
}

}  // namespace
}  // namespace wcfdw::webhook
