#include "core/webhook/delivery.hpp"

#include <map>

#include "core/base/text.hpp"
#include "core/base/woo_error.hpp"
#include "core/transport/url.hpp"

namespace wcfdw::webhook {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kMaxHeaderValue = 2048;

// Raised inside inspection and turned into a Refusal.
struct Refuse {
    Refusal refusal;
};

[[noreturn]] void refuse(const std::string& reason, const std::string& message, int status = 400) {
    throw Refuse{{reason, message, status}};
}

bool printable_ascii(const std::string& text) {
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c > 0x7e) return false;
    }
    return true;
}

// The headers by lower-cased name. A name given twice (in any case) or a
// value that is not a string makes the request ambiguous: refused.
std::map<std::string, std::string> header_map(const Json& headers) {
    if (!headers.is_object()) refuse("bad_header", "the headers are not a JSON object of names and values");
    std::map<std::string, std::string> out;
    for (const auto& [name, value] : headers.items()) {
        std::string text;
        if (value.is_string()) text = value.get<std::string>();
        else if (value.is_array() && value.size() == 1 && value[0].is_string()) text = value[0].get<std::string>();
        else refuse("bad_header", "header \"" + sanitize_utf8(name.substr(0, 64)) + "\" does not have one text value");
        if (!out.emplace(ascii_lower(name), std::move(text)).second)
            refuse("bad_header", "header \"" + sanitize_utf8(name.substr(0, 64)) + "\" is given twice");
    }
    return out;
}

// A header's value, checked: printable ASCII, not too long. Empty if absent.
std::string header_value(const std::map<std::string, std::string>& headers, const char* name) {
    const auto it = headers.find(name);
    if (it == headers.end()) return {};
    const std::string value = trim_ascii_space(it->second);
    if (value.size() > kMaxHeaderValue || !printable_ascii(value))
        refuse("bad_header", std::string("header ") + name + " is too long or holds control or non-ASCII characters");
    return value;
}

bool all_digits(const std::string& text) {
    if (text.empty() || text.size() > 18) return false;
    for (const char c : text)
        if (!is_ascii_digit(c)) return false;
    return true;
}

// "product.updated", "action.woocommerce_update_product": a resource word,
// a dot, and an event or hook name (letters, digits, _ . -).
bool valid_topic(const std::string& topic, std::string& resource, std::string& event) {
    const auto dot = topic.find('.');
    if (topic.size() > 200 || dot == std::string::npos || dot == 0 || dot + 1 == topic.size()) return false;
    resource = topic.substr(0, dot);
    event = topic.substr(dot + 1);
    for (const char c : resource)
        if (!(c >= 'a' && c <= 'z') && c != '_') return false;
    for (const char c : event)
        if (!is_ascii_alnum(c) && c != '_' && c != '-' && c != '.') return false;
    return true;
}

// The ping's form body: "webhook_id=<digits>", nothing else.
bool parse_ping(std::string_view body, std::int64_t& webhook_id) {
    if (body.size() > 64) return false;
    const std::string text = trim_ascii_space(std::string(body));
    const std::string prefix = "webhook_id=";
    if (text.compare(0, prefix.size(), prefix) != 0) return false;
    const std::string digits = text.substr(prefix.size());
    if (!all_digits(digits)) return false;
    webhook_id = std::stoll(digits);
    return webhook_id > 0;
}

void inspect_event(const std::map<std::string, std::string>& h, std::string_view body, Inspection& out) {
    out.signature = header_value(h, "x-wc-webhook-signature");
    const std::string id = header_value(h, "x-wc-webhook-id");
    out.topic = header_value(h, "x-wc-webhook-topic");
    out.source = header_value(h, "x-wc-webhook-source");
    out.delivery_id = header_value(h, "x-wc-webhook-delivery-id");
    if (!id.empty() && all_digits(id)) out.webhook_id = std::stoll(id);
    if (out.signature.empty()) {
        if (id.empty() && out.topic.empty())
            refuse("not_a_delivery",
                   "not a WooCommerce webhook delivery: no X-WC-Webhook-* headers and no webhook_id=N ping body", 400);
        refuse("missing_signature", "the delivery has no X-WC-Webhook-Signature header", 401);
    }
    if (out.webhook_id <= 0) refuse("bad_header", "X-WC-Webhook-ID is missing or not a positive integer");
    if (!valid_topic(out.topic, out.resource, out.event))
        refuse("bad_header", "X-WC-Webhook-Topic is missing or not a topic such as product.updated");
    // WooCommerce derives Resource and Event from the topic; a delivery whose
    // headers disagree was not made by it.
    const std::string resource = header_value(h, "x-wc-webhook-resource");
    const std::string event = header_value(h, "x-wc-webhook-event");
    if ((!resource.empty() && resource != out.resource) || (!event.empty() && event != out.event))
        refuse("bad_header", "X-WC-Webhook-Resource and X-WC-Webhook-Event do not match X-WC-Webhook-Topic");
    if (out.delivery_id.empty() || out.delivery_id.size() > 128)
        refuse("bad_header", "X-WC-Webhook-Delivery-ID is missing or longer than 128 characters");
    if (out.source.empty()) refuse("bad_header", "X-WC-Webhook-Source is missing");
    try {
        out.source_url = normalise_store_url(out.source);
    } catch (const WooError&) {
        refuse("bad_header", "X-WC-Webhook-Source is not a site address (http:// or https://)");
    }
    if (body.empty()) refuse("not_a_delivery", "the delivery has an empty body");
    out.kind = DeliveryKind::Event;
}

}  // namespace

Inspection inspect_delivery(const Json& headers, std::string_view body, std::size_t max_body_bytes) {
    Inspection out;
    try {
        if (body.size() > max_body_bytes)
            refuse("body_too_large",
                   "the body has " + std::to_string(body.size()) + " bytes, more than woocommerce.webhook_max_body_bytes (" +
                       std::to_string(max_body_bytes) + ")",
                   413);
        const auto h = header_map(headers);
        std::int64_t ping_id = 0;
        if (h.find("x-wc-webhook-signature") == h.end() && parse_ping(body, ping_id)) {
            out.kind = DeliveryKind::Ping;
            out.webhook_id = ping_id;
            return out;
        }
        inspect_event(h, body, out);
    } catch (const Refuse& r) {
        out.kind = DeliveryKind::Refused;
        out.refusal = r.refusal;
    }
    return out;
}

Json inspection_json(const Inspection& in) {
    const char* kind = in.kind == DeliveryKind::Ping ? "ping" : in.kind == DeliveryKind::Event ? "event" : "refused";
    Json out = {{"kind", kind}};
    auto text_or_null = [](const std::string& s) { return s.empty() ? Json() : Json(sanitize_utf8(s)); };
    out["webhook_id"] = in.webhook_id > 0 ? Json(in.webhook_id) : Json();
    out["topic"] = text_or_null(in.topic);
    out["resource"] = text_or_null(in.resource);
    out["event"] = text_or_null(in.event);
    out["delivery_id"] = text_or_null(in.delivery_id);
    out["signature"] = text_or_null(in.signature);
    out["source"] = text_or_null(in.source);
    out["source_url"] = text_or_null(in.source_url);
    if (in.kind == DeliveryKind::Refused) {
        out["reason"] = in.refusal.reason;
        out["message"] = in.refusal.message;
        out["http_status"] = in.refusal.http_status;
    } else {
        out["http_status"] = 200;
    }
    return out;
}

}  // namespace wcfdw::webhook
