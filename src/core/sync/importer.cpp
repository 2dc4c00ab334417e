#include "core/sync/importer.hpp"

#include <algorithm>
#include <map>
#include <unordered_set>
#include <string>
#include <utility>
#include <vector>

#include "core/sync/store_terms.hpp"
#include "core/sync/sync_model.hpp"

namespace wcfdw::sync {
namespace {

using Json = nlohmann::json;

// Products per page: 100 (WooCommerce's maximum) unless a test asks for
// fewer, to have several pages and rounds with a handful of products.
std::int64_t page_size(const Json& request) {
    const std::int64_t n = json_int(request.value("page_size", Json()));
    return n >= 1 && n <= 100 ? n : 100;
}

std::vector<QueryParam> list_query(const Json& request) {
    std::vector<QueryParam> q = {{"per_page", std::to_string(page_size(request))}, {"orderby", "id"}, {"order", "asc"}, {"context", "edit"}};
    const Json& after = request.value("modified_after", Json());
    if (after.is_string() && !after.get<std::string>().empty()) {
        q.push_back({"modified_after", after.get<std::string>()});
        q.push_back({"dates_are_gmt", "true"});
    }
    return q;
}

// "page 1 of 3", "pages 2-3 of 3", "request 2 of 4 by id".
std::string pages_done(std::int64_t first_page, std::size_t start, std::size_t end, std::size_t requests,
                       std::int64_t total) {
    if (first_page == 0) return "request " + std::to_string(end) + " of " + std::to_string(requests) + " by id";
    const std::int64_t a = first_page + static_cast<std::int64_t>(start);
    const std::int64_t b = first_page + static_cast<std::int64_t>(end) - 1;
    return (a == b ? "page " + std::to_string(a) : "pages " + std::to_string(a) + "-" + std::to_string(b)) + " of " +
           std::to_string(std::max(total, b));
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

    // The rows added since the last call.
    Json take() {
        Json out = std::move(rows_);
        rows_ = Json::array();
        return out;
    }
    const std::string& high_water() const { return high_water_; }

private:
    bool local_rows_;
    Json field_types_;
    ImportSpec spec_;
    Json rows_ = Json::array();
    std::string high_water_;
};


// The import of pages, a round at a time: the pages of a round are read
// while the previous round is converted and written (write_round, in SQL),
// so memory holds one round and the store keeps `concurrency` requests
// busy throughout. Without write_round (the unit tests), every row is kept
// and answered.
class PageImport {
public:
    PageImport(StoreClient& client, const Json& request, const ProgressFn& progress, const WriteRoundFn& write_round)
        : client_(client), request_(request), progress_(progress), write_round_(write_round), rows_(request) {
        const std::int64_t asked = json_int(request.value("round_pages", Json()));
        round_pages_ = static_cast<std::size_t>(asked > 0 ? asked : std::max(1, client.config().transport.concurrency));
    }

    void read_all() {
        const Json& ids = request_.value("woo_product_ids", Json());
        const std::int64_t page_from = json_int(request_.value("page_from", Json()));
        const std::int64_t page_count = json_int(request_.value("page_count", Json()));
        by_ids_ = ids.is_array();
        if (by_ids_) {
            const auto per = static_cast<std::size_t>(page_size(request_));
            std::vector<std::string> includes;
            for (std::size_t s = 0; s < ids.size(); s += per) {
                std::string include;
                for (std::size_t k = s; k < std::min(ids.size(), s + per); ++k)
                    include += (include.empty() ? "" : ",") + std::to_string(json_int(ids[k]));
                includes.push_back(std::move(include));
            }
            first_page_ = 0;
            stream(includes.size(), [&](std::size_t i) {
                auto q = list_query(request_);
                q.push_back({"include", includes[i]});
                return client_.make_request(HttpMethod::Get, "products", q);
            });
        } else if (page_from > 0) {
            first_page_ = page_from;
            stream(static_cast<std::size_t>(std::max<std::int64_t>(page_count, 1)),
                   [&](std::size_t i) { return page_request(page_from + static_cast<std::int64_t>(i)); });
        } else {
            read_first_page();
            first_page_ = 2;
            every_page_ = true;
            stream(static_cast<std::size_t>(std::max<std::int64_t>(0, total_pages_ - 1)),
                   [&](std::size_t i) { return page_request(2 + static_cast<std::int64_t>(i)); });
        }
        flush();
    }

    // Products already fetched (a webhook's payload): one round, no
    // request. A variation names its parent.
    void add_objects(const Json& given) {
        for (const auto& p : given)
            if (p.is_object() && json_int(p.value("id", Json())))
                rows_.add(p, p.value("type", std::string()) == "variation" ? json_int(p.value("parent_id", Json())) : 0);
        write(rows_.take());
    }

    Json answer() {
        const auto& stats = client_.http().stats();
        Json out = {{"high_water_mark", rows_.high_water().empty() ? Json() : Json(rows_.high_water())},
                    {"total_pages", total_pages_},
                    {"requests", stats.requests},
                    {"bytes", stats.bytes_received},
                    {"written", written_}};
        if (!write_round_) out["rows"] = std::move(kept_);
        return out;
    }

private:
    HttpRequest page_request(std::int64_t page) {
        auto q = list_query(request_);
        q.push_back({"page", std::to_string(page)});
        return client_.make_request(HttpMethod::Get, "products", q);
    }

    // Page 1 alone: it tells how many pages follow.
    void read_first_page() {
        const HttpRequest first = page_request(1);
        const HttpResponse r = client_.http().perform(first);
        const std::size_t n = take(first, r);
        total_pages_ = total_pages(client_, first, r);
        // Without X-WP-TotalPages a full first page does not say how many
        // follow: an import of page 1 alone would look complete.
        if (r.header("x-wp-totalpages").empty() && n >= static_cast<std::size_t>(page_size(request_)))
            throw WooError(ErrorKind::InvalidResponse, "the store's answer carries no X-WP-TotalPages header",
                           "Request: " + client_.describe(first),
                           "A proxy or cache between PostgreSQL and the store strips response headers; WooCommerce "
                           "always sends X-WP-TotalPages.");
        if (progress_)
            progress_("woocommerce import: page 1 of " + std::to_string(total_pages_) + ", " +
                      std::to_string(products_read_) + " products read");
        first_page_waits_ = true;  // written once the stream has the next pages in flight
    }

    // The pages of a request stream. Progress is told every 8 x concurrency
    // pages (as before the import streamed); rows are written every
    // round_pages_ pages, while the next pages are in flight.
    void stream(std::size_t count, const HttpClient::MakeRequestFn& make) {
        const std::size_t per_notice = static_cast<std::size_t>(std::max(1, client_.config().transport.concurrency)) * 8;
        std::size_t notice_start = 0;
        auto notice = [&](std::size_t end) {
            if (progress_ && end > notice_start)
                progress_("woocommerce import: " + pages_done(first_page_, notice_start, end, count, total_pages_) +
                          ", " + std::to_string(products_read_) + " products read");
            notice_start = end;
        };
        client_.http().perform_stream(count, make, [&](std::size_t i, HttpResponse&& response) {
            if (first_page_waits_) {
                first_page_waits_ = false;
                end_of_round();
            }
            // The request again, for messages: made anew, it is identical.
            const HttpRequest req = make(i);
            const std::size_t n = take(req, response);
            if (!by_ids_) total_pages_ = std::max(total_pages_, total_pages(client_, req, response));
            const bool past_end = every_page_ && n == 0;  // the store claimed more pages than it has
            if (past_end || i + 1 == count || (i + 1) % per_notice == 0) notice(i + 1);
            if (past_end) return false;
            if (++pages_in_round_ >= round_pages_) end_of_round();
            return true;
        });
    }

    std::size_t take(const HttpRequest& req, const HttpResponse& resp) {
        Json body = checked_body(client_, req, resp);
        std::size_t n = 0;
        if (body.is_array())
            for (auto& p : body) {
                pending_.push_back(std::move(p));
                ++n;
            }
        products_read_ += n;
        return n;
    }

    void end_of_round() {
        pages_in_round_ = 0;
        flush();
    }

    // The round's products in id order, each once in the whole import (a
    // page boundary that moved during the read can show a product twice),
    // with their variations.
    void flush() {
        std::map<std::int64_t, Json> products = by_id(pending_);
        pending_.clear();
        for (auto it = products.begin(); it != products.end();)
            it = seen_.insert(it->first).second ? std::next(it) : products.erase(it);
        if (products.empty()) return;
        auto variations = read_variations(client_, products);
        for (auto& [id, p] : products) {
            rows_.add(std::move(p), 0);
            auto v = variations.find(id);
            if (v != variations.end())
                for (auto& x : v->second)
                    if (x.is_object() && x.contains("id")) rows_.add(std::move(x), id);
        }
        write(rows_.take());
    }

    void write(Json rows) {
        if (rows.empty()) return;
        written_ += rows.size();
        if (write_round_) {
            write_round_(std::move(rows));
        } else {
            for (auto& r : rows) kept_.push_back(std::move(r));
        }
    }

    StoreClient& client_;
    const Json& request_;
    const ProgressFn& progress_;
    const WriteRoundFn& write_round_;
    RowBuilder rows_;
    std::size_t round_pages_ = 1;
    std::size_t pages_in_round_ = 0;
    std::int64_t first_page_ = 0;
    bool by_ids_ = false;
    bool every_page_ = false;
    bool first_page_waits_ = false;
    std::int64_t total_pages_ = 0;
    std::size_t products_read_ = 0;
    std::size_t written_ = 0;
    std::vector<Json> pending_;
    std::unordered_set<std::int64_t> seen_;
    Json kept_ = Json::array();
};

}  // namespace

Json import_products(StoreClient& client, const Json& request, const ProgressFn& progress,
                     const WriteRoundFn& write_round) {
    PageImport import(client, request, progress, write_round);
    const Json& given = request.value("objects", Json());
    if (given.is_array())
        import.add_objects(given);
    else
        import.read_all();
    return import.answer();
}

}  // namespace wcfdw::sync
