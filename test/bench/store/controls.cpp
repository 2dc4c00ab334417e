// The /__store/ controls' state changes: reset (re-seed), config (latency,
// timezone, frozen clock) and the summary of the catalogue.
#include <chrono>
#include <cstdio>
#include <shared_mutex>

#include "store_app.hpp"
#include "wp_text.hpp"

namespace benchstore {

const Fixture& StoreApp::fixture(std::int64_t products) {
    const std::int64_t showcase = std::min<std::int64_t>(std::max<std::int64_t>(products, 0), 18);
    std::lock_guard<std::mutex> guard(fixture_mutex_);
    auto it = fixtures_.find(showcase);
    if (it == fixtures_.end())
        it = fixtures_.emplace(showcase, load_fixture(options_.repo + "/test/bench/store/seed_fixture.py", showcase)).first;
    return it->second;
}

std::string StoreApp::reset(std::int64_t products, std::uint64_t seed) {
    const auto t0 = std::chrono::steady_clock::now();
    const Fixture& f = fixture(products);
    {
        std::unique_lock<std::shared_mutex> write(catalog_.lock);
        catalog_.reset(f, products, seed);
        catalog_.frozen_now.reset();
        catalog_.timezone = SiteTimezone(options_.timezone);
        catalog_.touch();
    }
    pages_.clear();
    log_.clear();
    log_.clear_counters();
    keys_.clear_nonces();
    latency_ms_ = options_.latency_ms;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::string out = summary();
    char head[160];
    std::snprintf(head, sizeof head, "{\"ok\":true,\"products\":%lld,\"seed\":%llu,\"seconds\":%.3f,",
                  static_cast<long long>(products), static_cast<unsigned long long>(seed), seconds);
    return head + out.substr(1);
}

std::string StoreApp::summary() const {
    std::shared_lock<std::shared_mutex> read(catalog_.lock);
    std::int64_t products = 0, variations = 0, first = 0;
    catalog_.for_each_post_id([&](std::int64_t id) {
        const auto b = catalog_.brief(id);
        if (b->is_variation) {
            ++variations;
        } else {
            if (!products) first = id;
            ++products;
        }
    });
    std::string out;
    ObjectWriter o(out);
    o.integer("products", products);
    o.integer("variations", variations);
    if (products) o.integer("first_product_id", first);
    else o.key("first_product_id") += "null";
    o.integer("max_post_id", catalog_.max_post_id());
    for (const char* taxonomy : {"product_cat", "product_tag"}) {
        std::string& ids = o.key(std::string(taxonomy) == "product_cat" ? "categories" : "tags");
        ids += '[';
        bool any = false;
        for (const auto& [id, t] : catalog_.terms)
            if (t.taxonomy == taxonomy) {
                if (any) ids += ',';
                any = true;
                ids += std::to_string(id);
            }
        ids += ']';
    }
    std::string& attrs = o.key("attributes");
    attrs += '[';
    for (const auto& [id, a] : catalog_.attributes) attrs += (attrs.back() == '[' ? "" : ",") + std::to_string(id);
    attrs += ']';
    o.close();
    return out;
}

std::string StoreApp::config_json() const {
    std::shared_lock<std::shared_mutex> read(catalog_.lock);
    std::string out;
    ObjectWriter o(out);
    o.key("latency_ms") += Json(latency_ms_.load()).dump();
    o.boolean("strip_authorization", false);
    o.str("timezone", catalog_.timezone.name());
    if (catalog_.frozen_now) o.str("now", format_time(*catalog_.frozen_now));
    else o.key("now") += "null";
    o.close();
    return out;
}

void StoreApp::apply_config(const Json& body) {
    if (!body.is_object()) throw std::invalid_argument("body must be a JSON object");
    if (body.contains("strip_authorization") && body["strip_authorization"] == Json(true))
        throw std::invalid_argument("the benchmark store does not strip Authorization headers (use the test store)");
    std::unique_lock<std::shared_mutex> write(catalog_.lock);
    if (body.contains("latency_ms")) {
        const Json& v = body["latency_ms"];
        latency_ms_ = std::max(0.0, v.is_number() ? v.get<double>() : v.is_string() ? std::stod(v.get<std::string>()) : 0.0);
    }
    if (body.contains("timezone")) {
        const Json& v = body["timezone"];
        catalog_.timezone = SiteTimezone(v.is_string() && !v.get<std::string>().empty() ? v.get<std::string>() : "UTC");
    }
    if (body.contains("now")) {
        const Json& v = body["now"];
        if (v.is_null() || v == Json("")) {
            catalog_.frozen_now.reset();
        } else {
            std::optional<int> offset;
            const auto t = v.is_string() ? parse_rest_time(v.get<std::string>(), &offset) : std::nullopt;
            if (!t) throw std::invalid_argument("now must be YYYY-MM-DDTHH:MM:SS (UTC) or null");
            catalog_.frozen_now = offset ? *t - *offset : *t;
        }
    }
    catalog_.touch();
}

}  // namespace benchstore
