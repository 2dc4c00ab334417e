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

struct PagesRead {
    std::vector<Json> products;
    std::int64_t total_pages = 0;
};

// "page 1 of 3", "pages 2-3 of 3", "request 2 of 4 by id".
std::string pages_done(std::int64_t first_page, std::size_t start, std::size_t end, std::size_t requests,
                       std::int64_t total) {
    if (first_page == 0) return "request " + std::to_string(end) + " of " + std::to_string(requests) + " by id";
    const std::int64_t a = first_page + static_cast<std::int64_t>(start);
    const std::int64_t b = first_page + static_cast<std::int64_t>(end) - 1;
    return (a == b ? "page " + std::to_string(a) : "pages " + std::to_string(a) + "-" + std::to_string(b)) + " of " +
           std::to_string(std::max(total, b));
}

// The products a request asks for: by id (100 per request), a slice of
// pages (CALL woocommerce.sync commits after each), or every page (page 1
// first for the total, then the others). Pages go in rounds of 8 x
// concurrency: the client keeps `concurrency` in flight within a round, so
// only the round boundaries (progress NOTICEs) wait for the slowest page.
PagesRead read_pages(StoreClient& client, const Json& request, const ProgressFn& progress) {
    PagesRead out;
    auto take = [&](const HttpRequest& req, const HttpResponse& resp) {
        Json body = checked_body(client, req, resp);
        if (body.is_array())
            for (auto& p : body) out.products.push_back(std::move(p));
    };
    std::vector<HttpRequest> pages;  // ids and page slices: known in advance, bounded
    std::int64_t next_page = 0;      // every page: prepared a round at a time, from here
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
        for (std::int64_t p = page_from; p < page_from + std::max<std::int64_t>(page_count, 1); ++p)
            pages.push_back(page_request(p));
    } else {
        const HttpRequest first = page_request(1);
        const HttpResponse r = client.http().perform(first);
        take(first, r);
        out.total_pages = total_pages(client, first, r);
        // Without X-WP-TotalPages a full first page does not say how many
        // follow: an import of page 1 alone would look complete.
        if (r.header("x-wp-totalpages").empty() && out.products.size() >= 100)
            throw WooError(ErrorKind::InvalidResponse, "the store's answer carries no X-WP-TotalPages header",
                           "Request: " + client.describe(first),
                           "A proxy or cache between PostgreSQL and the store strips response headers; WooCommerce "
                           "always sends X-WP-TotalPages.");
        if (progress)
            progress("woocommerce import: page 1 of " + std::to_string(out.total_pages) + ", " +
                     std::to_string(out.products.size()) + " products read");
        next_page = 2;
    }
    const std::int64_t first_page = ids.is_array() ? 0 : (page_from > 0 ? page_from : 2);
    const std::size_t per_round = static_cast<std::size_t>(std::max(1, client.config().transport.concurrency)) * 8;
    // Every page's requests are made a round at a time: a store may claim
    // any number of pages.
    const std::size_t requests =
        next_page > 0 ? static_cast<std::size_t>(std::max<std::int64_t>(0, out.total_pages - 1)) : pages.size();
    for (std::size_t start = 0; start < requests; start += per_round) {
        const std::size_t end = std::min(requests, start + per_round);
        std::vector<HttpRequest> round;
        if (next_page > 0)
            for (std::size_t k = start; k < end; ++k) round.push_back(page_request(next_page + static_cast<std::int64_t>(k)));
        else
            round.assign(pages.begin() + static_cast<long>(start), pages.begin() + static_cast<long>(end));
        const std::size_t before = out.products.size();
        const auto responses = client.http().perform_all(round);
        for (std::size_t i = 0; i < round.size(); ++i) {
            take(round[i], responses[i]);
            if (!ids.is_array()) out.total_pages = std::max(out.total_pages, total_pages(client, round[i], responses[i]));
        }
        if (progress)
            progress("woocommerce import: " + pages_done(first_page, start, end, requests, out.total_pages) + ", " +
                     std::to_string(out.products.size()) + " products read");
        if (next_page > 0 && out.products.size() == before) break;  // past the real end
    }
    return out;
}

// One object per store product (a page boundary that moved during the read
// can show a product twice), in id order.
std::map<std::int64_t, Json> by_id(std::vector<Json>& products) {
    std::map<std::int64_t, Json> out;
    for (auto& p : products)
        if (p.is_object() && p.contains("id")) {
            const std::int64_t id = json_int(p["id"]);  // before p is moved from
            out[id] = std::move(p);
        }
    return out;
}

// Every variation of the variable products among `products`, by parent.
std::map<std::int64_t, std::vector<Json>> read_variations(StoreClient& client, const std::map<std::int64_t, Json>& products) {
    const std::size_t per_round = static_cast<std::size_t>(std::max(1, client.config().transport.concurrency)) * 4;
    auto request_for = [&](std::int64_t parent, std::int64_t page) {
        return client.make_request(HttpMethod::Get, "products/" + std::to_string(parent) + "/variations",
                                   {{"per_page", "100"}, {"orderby", "id"}, {"order", "asc"}, {"context", "edit"},
                                    {"page", std::to_string(page)}});
    };
    std::vector<HttpRequest> requests;
    std::vector<std::int64_t> parents;
    for (const auto& [id, p] : products)
        if (p.value("type", std::string()) == "variable") {
            requests.push_back(request_for(id, 1));
            parents.push_back(id);
        }
    std::map<std::int64_t, std::vector<Json>> variations;
    for (std::size_t start = 0; start < requests.size(); start += per_round) {
        const std::size_t end = std::min(requests.size(), start + per_round);
        std::vector<HttpRequest> round(requests.begin() + static_cast<long>(start), requests.begin() + static_cast<long>(end));
        const auto responses = client.http().perform_all(round);
        for (std::size_t i = 0; i < round.size(); ++i) {
            const std::int64_t parent = parents[start + i];
            Json body = checked_body(client, round[i], responses[i]);
            if (body.is_array())
                for (auto& v : body) variations[parent].push_back(std::move(v));
            // A parent with more than 100 variations: the remaining pages.
            const std::int64_t n = total_pages(client, round[i], responses[i]);
            for (std::int64_t pg = 2; pg <= n; ++pg) {
                const HttpRequest more = request_for(parent, pg);
                Json b = checked_body(client, more, client.http().perform(more));
                if (b.is_array())
                    for (auto& v : b) variations[parent].push_back(std::move(v));
            }
        }
    }
    return variations;
}

// Rows for the SQL side. For woocommerce.product (`local_rows`): the local
// row made from the product by the import mapping, and what an identity
// export would compare. For any other target: the product itself (`p`, for
// the mapping's column expressions) and its canonical values for every
// writable field (what an export of that table compares).
class RowBuilder {
public:
    RowBuilder(const Json& request)
        : local_rows_(request.value("target", std::string("product")) == "product"),
          field_types_(request.value("field_types", Json::object())) {
        spec_.connection_id = request.value("connection_id", static_cast<std::int64_t>(0));
        spec_.attribute_mappings = request.value("attribute_mappings", Json::object());
        spec_.field_mappings = request.value("field_mappings", Json::object());
    }

    void add(Json p, std::int64_t parent) {
        const bool is_variation = parent != 0;
        const std::string modified = text_of(p.value("date_modified_gmt", Json()));
        if (modified > high_water_) high_water_ = modified;
        Json row = {{"woo_product_id", json_int(p["id"])},
                    {"parent_woo_id", parent ? Json(parent) : Json()},
                    {"date_modified_gmt", modified.empty() ? Json() : Json(modified)}};
        if (local_rows_) {
            Json local = local_from_store(p, spec_, is_variation);
            row["sku"] = local["sku"];
            row["exchanged"] = exchanged_after_import(local, p, is_variation);
            row["local"] = std::move(local);
        } else {
            row["exchanged"] = exchanged_from_store(p, field_types_, is_variation);
            p.erase("_links");  // the API's own links: nothing a column needs
            row["p"] = std::move(p);
        }
        rows_.push_back(std::move(row));
    }

    Json rows() { return std::move(rows_); }
    const std::string& high_water() const { return high_water_; }

private:
    bool local_rows_;
    Json field_types_;
    ImportSpec spec_;
    Json rows_ = Json::array();
    std::string high_water_;
};

}  // namespace

Json import_products(StoreClient& client, const Json& request, const ProgressFn& progress) {
    RowBuilder rows(request);
    std::int64_t pages_total = 0;
    const Json& given = request.value("objects", Json());
    if (given.is_array()) {
        // Products already fetched (a webhook's payload): no request. A
        // variation names its parent.
        for (const auto& p : given)
            if (p.is_object() && json_int(p.value("id", Json())))
                rows.add(p, p.value("type", std::string()) == "variation" ? json_int(p.value("parent_id", Json())) : 0);
    } else {
        PagesRead read = read_pages(client, request, progress);
        pages_total = read.total_pages;
        std::map<std::int64_t, Json> products = by_id(read.products);
        auto variations = read_variations(client, products);
        for (auto& [id, p] : products) {
            rows.add(std::move(p), 0);
            auto v = variations.find(id);
            if (v != variations.end())
                for (auto& x : v->second)
                    if (x.is_object() && x.contains("id")) rows.add(std::move(x), id);
        }
    }
    const auto& stats = client.http().stats();
    return {{"high_water_mark", rows.high_water().empty() ? Json() : Json(rows.high_water())},
            {"total_pages", pages_total},
            {"requests", stats.requests},
            {"bytes", stats.bytes_received},
            {"rows", rows.rows()}};
}

}  // namespace wcfdw::sync
