#include "core/webhook/registration.hpp"

#include <algorithm>
#include <set>

#include "core/base/woo_error.hpp"

namespace wcfdw::webhook {
namespace {

using Json = nlohmann::json;

std::int64_t id_of(const Json& v) {
    if (v.is_number_integer()) return v.get<std::int64_t>();
    if (v.is_number_unsigned()) return static_cast<std::int64_t>(v.get<std::uint64_t>());
    return 0;
}

std::vector<std::int64_t> ids_of(const Json& v) {
    std::vector<std::int64_t> out;
    if (v.is_array())
        for (const auto& x : v)
            if (id_of(x) > 0) out.push_back(id_of(x));
    return out;
}

StoreWebhook from_json(const Json& w) {
    StoreWebhook out;
    out.id = id_of(w.value("id", Json()));
    out.topic = w.value("topic", std::string());
    out.delivery_url = w.value("delivery_url", std::string());
    out.status = w.value("status", std::string());
    return out;
}

Json to_json(const StoreWebhook& w) {
    return {{"id", w.id}, {"topic", w.topic}, {"delivery_url", w.delivery_url}, {"status", w.status}};
}

}  // namespace

bool valid_topic(const std::string& topic) {
    const auto dot = topic.find('.');
    if (dot == std::string::npos) return false;
    const std::string resource = topic.substr(0, dot);
    const std::string event = topic.substr(dot + 1);
    if (resource == "action")
        return (event.rfind("woocommerce_", 0) == 0 || event.rfind("wc_", 0) == 0) && event.size() < 190 &&
               event.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos;
    static const std::set<std::string> kResources = {"coupon", "customer", "order", "product"};
    static const std::set<std::string> kEvents = {"created", "updated", "deleted", "restored"};
    return (kResources.count(resource) && kEvents.count(event)) || topic == "product.published";
}

RegistrationPlan plan_registration(const std::vector<StoreWebhook>& in_store, const std::vector<std::int64_t>& known,
                                   const std::vector<std::int64_t>& claimed, const std::vector<std::string>& topics,
                                   const std::string& delivery_url) {
    RegistrationPlan plan;
    std::set<std::string> covered;
    for (const std::int64_t id : known) {
        const auto it = std::find_if(in_store.begin(), in_store.end(), [&](const StoreWebhook& w) { return w.id == id; });
        if (it == in_store.end()) {
            plan.missing.push_back(id);
            continue;
        }
        const bool requested = std::find(topics.begin(), topics.end(), it->topic) != topics.end();
        // One webhook per requested topic: a second known one of the same
        // topic keeps its URL (it only gets the new secret).
        const bool move = requested && covered.insert(it->topic).second;
        plan.steps.push_back({RegistrationStep::Kind::Update, it->id, it->topic, move});
    }
    std::set<std::int64_t> taken(known.begin(), known.end());
    taken.insert(claimed.begin(), claimed.end());
    for (const auto& w : in_store) {
        if (taken.count(w.id) || w.delivery_url != delivery_url) continue;
        taken.insert(w.id);
        covered.insert(w.topic);
        plan.steps.push_back({RegistrationStep::Kind::Adopt, w.id, w.topic, true});
    }
    for (const auto& topic : topics)
        if (covered.insert(topic).second) plan.steps.push_back({RegistrationStep::Kind::Create, 0, topic, true});
    return plan;
}

std::vector<StoreWebhook> list_store_webhooks(StoreClient& client) {
    std::vector<StoreWebhook> out;
    for (int page = 1; page <= 1000; ++page) {
        const StoreResponse r = client.get("webhooks", {{"per_page", "100"}, {"page", std::to_string(page)},
                                                        {"status", "all"}, {"order", "asc"}, {"orderby", "id"}});
        if (!r.body.is_array()) break;
        for (const auto& w : r.body) out.push_back(from_json(w));
        const std::string pages = r.http.header("X-WP-TotalPages");
        if (r.body.size() < 100 || pages.empty() || std::to_string(page) == pages) break;
    }
    return out;
}

Json register_webhooks(StoreClient& client, const Json& request, const std::string& secret) {
    client.http().reset_stats();
    const std::string url = request.value("delivery_url", std::string());
    std::vector<std::string> topics;
    for (const auto& t : request.value("topics", Json::array())) {
        const std::string topic = t.is_string() ? t.get<std::string>() : t.dump();
        if (!valid_topic(topic))
            throw WooError(ErrorKind::InvalidArgument, "invalid webhook topic \"" + topic + "\"", "",
                           "Topics are product.created, product.updated, product.deleted, product.restored, the same "
                           "events of order, customer and coupon, or action.woocommerce_<hook>.");
        if (std::find(topics.begin(), topics.end(), topic) == topics.end()) topics.push_back(topic);
    }
    if (topics.empty())
        throw WooError(ErrorKind::InvalidArgument, "no webhook topics given", "",
                       "Leave topics out for the product topics, or name at least one.");
    const auto plan = plan_registration(list_store_webhooks(client), ids_of(request.value("known", Json())),
                                        ids_of(request.value("claimed", Json())), topics, url);
    Json webhooks = Json::array();
    for (const auto& step : plan.steps) {
        Json body = {{"secret", secret}, {"status", "active"}};
        if (step.move_to_url) body["delivery_url"] = url;
        HttpRequest req;
        const char* action = "updated";
        if (step.kind == RegistrationStep::Kind::Create) {
            body["topic"] = step.topic;
            body["name"] = "woocommerce_fdw: " + step.topic;
            req = client.make_request(HttpMethod::Post, "webhooks", {}, &body);
            action = "created";
        } else {
            req = client.make_request(HttpMethod::Put, "webhooks/" + std::to_string(step.id), {}, &body);
            if (step.kind == RegistrationStep::Kind::Adopt) action = "adopted";
        }
        // One at a time: each create makes WooCommerce ping the delivery URL.
        const StoreResponse r = client.send(req);
        Json w = to_json(from_json(r.body));
        w["action"] = action;
        webhooks.push_back(std::move(w));
    }
    const auto& stats = client.http().stats();
    return {{"webhooks", webhooks}, {"missing", plan.missing}, {"requests", stats.requests}};
}

Json webhook_health(StoreClient& client, const Json& request) {
    const auto ids = ids_of(request.value("ids", Json()));
    std::vector<HttpRequest> requests;
    for (const auto id : ids) requests.push_back(client.make_request(HttpMethod::Get, "webhooks/" + std::to_string(id)));
    const auto answers = client.send_all(requests, true);
    Json out = Json::array();
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (answers[i].body.is_null()) out.push_back({{"id", ids[i]}, {"status", "missing"}});
        else out.push_back(to_json(from_json(answers[i].body)));
    }
    return {{"webhooks", out}};
}

Json unregister_webhooks(StoreClient& client, const Json& request) {
    const auto ids = ids_of(request.value("ids", Json()));
    std::vector<HttpRequest> requests;
    for (const auto id : ids)
        requests.push_back(client.make_request(HttpMethod::Delete, "webhooks/" + std::to_string(id), {{"force", "true"}}));
    const auto answers = client.send_all(requests, true);
    Json deleted = Json::array();
    Json missing = Json::array();
    for (std::size_t i = 0; i < ids.size(); ++i) (answers[i].body.is_null() ? missing : deleted).push_back(ids[i]);
    return {{"deleted", deleted}, {"missing", missing}};
}

}  // namespace wcfdw::webhook
