#include "core/webhook/payload.hpp"

#include "core/base/woo_error.hpp"

namespace wcfdw::webhook {
namespace {

using Json = nlohmann::json;

WooError bad_body(const std::string& what) {
    return WooError(ErrorKind::InvalidArgument, "invalid webhook body: " + what,
                    "WooCommerce sends the object as JSON; a plugin filtering woocommerce_webhook_payload may have "
                    "changed it.");
}

// Deepest nesting of [ and { outside strings. Linear, no recursion.
int nesting_depth(const std::string& text, int stop_at) {
    int depth = 0;
    int deepest = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') in_string = true;
        else if (c == '[' || c == '{') {
            if (++depth > deepest) deepest = depth;
            if (deepest > stop_at) return deepest;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return deepest;
}

bool contains_nul(const Json& value) {
    switch (value.type()) {
        case Json::value_t::string:
            return value.get_ref<const std::string&>().find('\0') != std::string::npos;
        case Json::value_t::object:
            for (const auto& [key, member] : value.items())
                if (key.find('\0') != std::string::npos || contains_nul(member)) return true;
            return false;
        case Json::value_t::array:
            for (const auto& member : value)
                if (contains_nul(member)) return true;
            return false;
        default:
            return false;
    }
}

// A positive integer id, also when a plugin sent it as a numeric string.
std::int64_t positive_id(const Json& value) {
    if (value.is_number_integer()) {
        const auto id = value.get<std::int64_t>();
        return id > 0 ? id : 0;
    }
    if (value.is_number_unsigned()) {
        const auto id = value.get<std::uint64_t>();
        return id > 0 && id < (1ULL << 62) ? static_cast<std::int64_t>(id) : 0;
    }
    if (value.is_string()) {
        const auto& s = value.get_ref<const std::string&>();
        if (s.empty() || s.size() > 18) return 0;
        for (const char c : s)
            if (c < '0' || c > '9') return 0;
        return std::stoll(s);
    }
    return 0;
}

}  // namespace

Json parse_delivery_body(const std::string& body, int max_depth) {
    if (nesting_depth(body, max_depth) > max_depth)
        throw bad_body("it is nested more than " + std::to_string(max_depth) + " levels deep");
    Json parsed = Json::parse(body, nullptr, false);
    if (parsed.is_discarded()) throw bad_body("it is not valid JSON (or not valid UTF-8)");
    if (!parsed.is_object()) throw bad_body("it is not a JSON object");
    if (contains_nul(parsed)) throw bad_body("it contains a NUL character (\\u0000), which PostgreSQL cannot store");
    return parsed;
}

DeliveryPlan plan_delivery(const std::string& resource, const std::string& event, const Json& body) {
    DeliveryPlan plan;
    if (resource == "action") {
        plan.action = DeliveryAction::Queue;
        plan.resource_id = positive_id(body.value("arg", Json()));
        return plan;
    }
    const bool known = resource == "product" || resource == "order" || resource == "customer" || resource == "coupon";
    if (!known) return plan;
    plan.resource_id = positive_id(body.value("id", Json()));
    if (plan.resource_id == 0) throw bad_body("a " + resource + "." + event + " delivery has no positive integer \"id\"");
    if (resource != "product") {
        plan.action = DeliveryAction::Queue;
        return plan;
    }
    if (event == "deleted") {
        plan.action = DeliveryAction::MarkProductDeleted;
        return plan;
    }
    if (event != "created" && event != "updated" && event != "restored" && event != "published") return plan;
    plan.action = DeliveryAction::ImportProduct;
    plan.import_id = plan.resource_id;
    // A variation arrives as its own object (type "variation", parent_id):
    // the import reads variations through their parent.
    const std::int64_t parent = positive_id(body.value("parent_id", Json()));
    if (body.value("type", Json()) == "variation" && parent > 0) {
        plan.variation = true;
        plan.import_id = parent;
    }
    return plan;
}

const char* delivery_action_name(DeliveryAction action) noexcept {
    switch (action) {
        case DeliveryAction::ImportProduct: return "import_product";
        case DeliveryAction::MarkProductDeleted: return "mark_deleted";
        case DeliveryAction::Queue: return "queue";
        case DeliveryAction::Ignore: return "ignore";
    }
    return "ignore";
}

}  // namespace wcfdw::webhook
