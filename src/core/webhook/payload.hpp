// The body of a delivery whose signature checked out, and what it asks for.
// Still parsed defensively: the store's signature proves who sent it, not
// that a plugin did not put something strange in it.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace wcfdw::webhook {

// Parses a delivery body: valid UTF-8 JSON, an object at the top, at most
// `max_depth` levels of nesting (checked before parsing, so a hostile body
// cannot exhaust the stack), no NUL character in any string (PostgreSQL's
// jsonb cannot hold one). Throws WooError(InvalidArgument) saying which rule
// failed.
nlohmann::json parse_delivery_body(const std::string& body, int max_depth = 64);

enum class DeliveryAction {
    ImportProduct,        // product.created / updated / restored / published: read it again, import it
    MarkProductDeleted,   // product.deleted: the store moved it to the trash
    Queue,                // order.*, customer.*, coupon.*, action.*: woocommerce.webhook_event
    Ignore,               // a topic this extension does not act on
};

struct DeliveryPlan {
    DeliveryAction action = DeliveryAction::Ignore;
    std::int64_t resource_id = 0;   // the object the delivery is about (an action's argument when numeric)
    std::int64_t import_id = 0;     // ImportProduct: the store product to read (a variation's parent)
    bool variation = false;         // the object is a variation (type "variation" with a parent)
};

// What a verified delivery of `resource`.`event` with this body asks for.
// Throws WooError(InvalidArgument) when a product or queued event has no
// positive integer "id".
DeliveryPlan plan_delivery(const std::string& resource, const std::string& event, const nlohmann::json& body);

const char* delivery_action_name(DeliveryAction action) noexcept;

}  // namespace wcfdw::webhook

#include "core/base/pure_cpp.hpp"
