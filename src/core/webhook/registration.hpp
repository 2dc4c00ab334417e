// The store side of register_webhooks / unregister_webhooks and of the
// health check sync_status and test_connection show: the wc/v3 webhooks
// endpoints. Which store webhook to update, adopt or create is a pure plan
// (plan_registration), so the rules are unit-tested without a store.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/woo/store_client.hpp"

namespace wcfdw::webhook {

struct StoreWebhook {
    std::int64_t id = 0;
    std::string topic;
    std::string delivery_url;
    std::string status;   // active, paused, disabled
};

struct RegistrationStep {
    enum class Kind { Update, Adopt, Create } kind = Kind::Create;
    std::int64_t id = 0;          // Update, Adopt
    std::string topic;
    bool move_to_url = false;     // Update/Adopt: point it at the new delivery URL
};

struct RegistrationPlan {
    std::vector<RegistrationStep> steps;
    std::vector<std::int64_t> missing;   // known to this connection, gone from the store
};

// known: the webhooks this connection registered before (all get the new
// secret; those of a requested topic also the new URL). claimed: webhooks
// other connections registered: never touched. Unclaimed store webhooks
// that deliver to this URL are adopted whatever their topic (left over by an
// earlier attempt or a restored backup: with an old secret their deliveries
// would be refused); a requested topic still without one gets a new one.
RegistrationPlan plan_registration(const std::vector<StoreWebhook>& in_store, const std::vector<std::int64_t>& known,
                                   const std::vector<std::int64_t>& claimed, const std::vector<std::string>& topics,
                                   const std::string& delivery_url);

// Whether WooCommerce accepts the topic (wc_is_webhook_valid_topic).
bool valid_topic(const std::string& topic);

// Every webhook of the store (all statuses, all pages).
std::vector<StoreWebhook> list_store_webhooks(StoreClient& client);

// request: {"delivery_url", "topics": [...], "known": [ids], "claimed": [ids]}.
// Carries out the plan with `secret`; answers {"webhooks": [{"id", "topic",
// "delivery_url", "status", "action"}], "missing": [ids]} (never the secret).
nlohmann::json register_webhooks(StoreClient& client, const nlohmann::json& request, const std::string& secret);

// request: {"ids": [...]}: each webhook's status (or "missing").
// answers {"webhooks": [{"id", "status", "topic", "delivery_url"}]}.
nlohmann::json webhook_health(StoreClient& client, const nlohmann::json& request);

// request: {"ids": [...]}: deletes them (force); answers {"deleted": [ids], "missing": [ids]}.
nlohmann::json unregister_webhooks(StoreClient& client, const nlohmann::json& request);

}  // namespace wcfdw::webhook

#include "core/base/pure_cpp.hpp"
