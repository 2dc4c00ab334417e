// What arrived: a webhook delivery as WooCommerce sends it (headers
// X-WC-Webhook-*, a signed JSON body), its creation ping (a form body
// "webhook_id=N", unsigned), or something to refuse. Inspection looks only at
// the headers and the body's size before the signature is checked; the body
// is parsed (payload.hpp) only once it is known to come from the store.
//
// Headers arrive as a JSON object {name: value}: PostgREST's request.headers
// (lower-case names) or the background worker's. Names are compared without
// regard to case; every value is hostile until checked.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace wcfdw::webhook {

enum class DeliveryKind { Ping, Event, Refused };

// Why a request is refused before any lookup, as a stable code for the
// delivery log and the HTTP status the receiver answers with.
struct Refusal {
    std::string reason;    // body_too_large, missing_signature, not_a_delivery, bad_header
    std::string message;   // one line for the log and the answer
    int http_status = 400;
};

struct Inspection {
    DeliveryKind kind = DeliveryKind::Refused;
    Refusal refusal;                 // when kind == Refused
    std::int64_t webhook_id = 0;     // X-WC-Webhook-ID, or the ping's webhook_id
    std::string topic;               // product.updated, action.woocommerce_update_product, ...
    std::string resource;            // product, order, customer, coupon, action
    std::string event;               // created, updated, ... (an action's hook name)
    std::string delivery_id;         // X-WC-Webhook-Delivery-ID
    std::string signature;           // X-WC-Webhook-Signature as sent
    std::string source;              // X-WC-Webhook-Source as sent
    std::string source_url;          // the same, normalised like a store URL (empty if it is not one)
};

// max_body_bytes: a larger body is refused (413) without being looked at.
// The body is only measured, and read when it is small enough to be a ping.
Inspection inspect_delivery(const nlohmann::json& headers, std::string_view body, std::size_t max_body_bytes);

// The JSON object the inspection describes (for receive_webhook's answer and
// the SQL that records it): {"kind", "webhook_id", "topic", ..., "reason",
// "message", "http_status"}. Never contains the body.
nlohmann::json inspection_json(const Inspection& inspection);

}  // namespace wcfdw::webhook

#include "core/base/pure_cpp.hpp"
