#include "core/sync/importer.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/sync/store_terms.hpp"
#include "core/sync/sync_model.hpp"

namespace wcfdw::sync {
namespace {

using Json = nlohmann::json;

std::vector<QueryParam> list_query(const Json& request) {
    std::vector<QueryParam> q = {{"per_page", "100"}, {"orderby", "id"}, {"order", "asc"}, {"context", "edit"}};
    const Json& after = request.value("modified_after", Json());
    if (after.is_string() && !after.get<std::string>().empty()) {
        q.push_back({"modified_after", after.get<std::string>()});
        q.push_back({"dates_are_gmt", "true"});
    }
    return q;
}

}  // namespace

Json import_products(StoreClient& client, const Json& request, const ProgressFn& progress) {
    ImportSpec spec;
    spec.connection_id = request.value("connection_id", static_cast<std::int64_t>(0));
    spec.attribute_mappings = request.value("attribute_mappings", Json::object());
    spec.field_mappings = request.value("field_mappings", Json::object());
    const std::size_t per_round = static_cast<std::size_t>(std::max(1, client.config().transport.concurrency));

    // Products, in pages of 100 in id order; several pages in flight.
    std::vector<Json> products;
    auto take = [&](const HttpRequest& req, const HttpResponse& resp) {
        Json body = checked_body(client, req, resp);
        if (body.is_array())
            for (auto& p : body) products.push_back(std::move(p));
    };
    std::vector<HttpRequest> pages;
    std::int64_t pages_total = 0;
    const Json& ids = request.value("woo_product_ids", Json());
    const std::int64_t page_from = json_int(request.value("page_from", Json()));
    const std::int64_t page_count = json_int(request.value("page_count", Json()));
    auto page_request = [&](std::int64_t page) {
        auto q = list_query(request);
        q.push_back({"page", std::to_string(page)});
        return client.make_request(HttpMethod::Get, "products", q);
    };
    if (ids.is_array()) {
        for (std::size_t s = 0; s < ids.size(); s += 100) {
            std::string include;
            for (std::size_t k = s; k < std::min(ids.size(), s + 100); ++k)
                include += (include.empty() ? "" : ",") + std::to_string(json_int(ids[k]));
            auto q = list_query(request);
            q.push_back({"include", include});
            pages.push_back(client.make_request(HttpMethod::Get, "products", q));
        }
    } else if (page_from > 0) {
        // A slice of the pages (CALL woocommerce.sync commits after each).
        for (std::int64_t p = page_from; p < page_from + std::max<std::int64_t>(page_count, 1); ++p)
            pages.push_back(page_request(p));
    } else {
        const HttpRequest first = page_request(1);
        const HttpResponse r = client.http().perform(first);
        take(first, r);
        pages_total = total_pages(r);
        if (progress)
            progress("woocommerce import: page 1 of " + std::to_string(pages_total) + ", " +
                     std::to_string(products.size()) + " products read");
        for (std::int64_t p = 2; p <= pages_total; ++p) pages.push_back(page_request(p));
    }
    // The page number of pages[i] (1-based), for progress: by id requests have none.
    const std::int64_t first_page = ids.is_array() ? 0 : (page_from > 0 ? page_from : 2);
    // Rounds of 8 x concurrency pages: the client keeps `concurrency` in
    // flight within a round, so only the round boundaries (progress
    // NOTICEs) wait for the slowest page.
    const std::size_t pages_per_round = per_round * 8;
    for (std::size_t start = 0; start < pages.size(); start += pages_per_round) {
        const std::size_t end = std::min(pages.size(), start + pages_per_round);
        std::vector<HttpRequest> round(pages.begin() + static_cast<long>(start), pages.begin() + static_cast<long>(end));
        const auto responses = client.http().perform_all(round);
        for (std::size_t i = 0; i < round.size(); ++i) {
            take(round[i], responses[i]);
            if (!ids.is_array()) pages_total = std::max(pages_total, total_pages(responses[i]));
        }
        if (progress) {
            std::string what;
            if (first_page == 0) {
                what = "request " + std::to_string(end) + " of " + std::to_string(pages.size()) + " by id";
            } else {
                const std::int64_t a = first_page + static_cast<std::int64_t>(start);
                const std::int64_t b = first_page + static_cast<std::int64_t>(end) - 1;
                what = (a == b ? "page " + std::to_string(a) : "pages " + std::to_string(a) + "-" + std::to_string(b)) +
                       " of " + std::to_string(std::max(pages_total, b));
            }
            progress("woocommerce import: " + what + ", " + std::to_string(products.size()) + " products read");
        }
    }

    // One row per store product (a page boundary that moved during the
    // read can show a product twice), in id order.
    std::map<std::int64_t, Json> by_id;
    for (auto& p : products)
        if (p.is_object() && p.contains("id")) {
            const std::int64_t id = json_int(p["id"]);  // before p is moved from
            by_id[id] = std::move(p);
        }

    // Variations of the variable products.
    std::vector<HttpRequest> var_requests;
    std::vector<std::int64_t> var_parents;
    for (const auto& [id, p] : by_id)
        if (p.value("type", std::string()) == "variable") {
            var_requests.push_back(client.make_request(
                HttpMethod::Get, "products/" + std::to_string(id) + "/variations",
                {{"per_page", "100"}, {"orderby", "id"}, {"order", "asc"}, {"context", "edit"}, {"page", "1"}}));
            var_parents.push_back(id);
        }
    std::map<std::int64_t, std::vector<Json>> variations;
    for (std::size_t start = 0; start < var_requests.size(); start += per_round * 4) {
        const std::size_t end = std::min(var_requests.size(), start + per_round * 4);
        std::vector<HttpRequest> round(var_requests.begin() + static_cast<long>(start),
                                       var_requests.begin() + static_cast<long>(end));
        const auto responses = client.http().perform_all(round);
        for (std::size_t i = 0; i < round.size(); ++i) {
            const std::int64_t parent = var_parents[start + i];
            Json body = checked_body(client, round[i], responses[i]);
            if (body.is_array())
                for (auto& v : body) variations[parent].push_back(std::move(v));
            // A parent with more than 100 variations: the remaining pages.
            const std::int64_t n = total_pages(responses[i]);
            for (std::int64_t pg = 2; pg <= n; ++pg) {
                const HttpRequest more = client.make_request(
                    HttpMethod::Get, "products/" + std::to_string(parent) + "/variations",
                    {{"per_page", "100"}, {"orderby", "id"}, {"order", "asc"}, {"context", "edit"},
                     {"page", std::to_string(pg)}});
                Json b = checked_body(client, more, client.http().perform(more));
                if (b.is_array())
                    for (auto& v : b) variations[parent].push_back(std::move(v));
            }
        }
    }

    Json rows = Json::array();
    std::string high_water;
    auto add_row = [&](const Json& p, std::int64_t parent) {
        const bool is_variation = parent != 0;
        Json local = local_from_store(p, spec, is_variation);
        const std::string modified = p.value("date_modified_gmt", Json()).is_string() ? p["date_modified_gmt"].get<std::string>() : "";
        if (modified > high_water) high_water = modified;
        const Json sku = local["sku"];
        rows.push_back({{"woo_product_id", json_int(p["id"])},
                        {"parent_woo_id", parent ? Json(parent) : Json()},
                        {"sku", sku},
                        {"date_modified_gmt", modified.empty() ? Json() : Json(modified)},
                        {"exchanged", exchanged_after_import(local, p, is_variation)},
                        {"local", std::move(local)}});
    };
    for (const auto& [id, p] : by_id) {
        add_row(p, 0);
        auto v = variations.find(id);
        if (v != variations.end())
            for (const auto& x : v->second)
                if (x.is_object() && x.contains("id")) add_row(x, id);
    }
    const auto& stats = client.http().stats();
    return {{"rows", rows},
            {"high_water_mark", high_water.empty() ? Json() : Json(high_water)},
            {"total_pages", pages_total},
            {"requests", stats.requests},
            {"bytes", stats.bytes_received}};
}

}  // namespace wcfdw::sync
