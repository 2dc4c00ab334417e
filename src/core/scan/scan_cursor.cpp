#include "core/scan/scan_cursor.hpp"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <set>

#include "core/base/woo_error.hpp"

namespace wcfdw {

namespace {

int header_int(const HttpResponse& response, const char* name, int fallback) {
    const std::string v = response.header(name);
    if (v.empty()) return fallback;
    char* end = nullptr;
    const long n = std::strtol(v.c_str(), &end, 10);
    if (end == v.c_str() || n < 0 || n > INT_MAX) return fallback;
    return static_cast<int>(n);
}

long per_page_of(const ScanRequest& request) {
    for (const auto& p : request.query)
        if (p.name == "per_page") return std::atol(p.value.c_str());
    return 0;
}

}  // namespace

ScanCursor::ScanCursor(StoreClient& client, ScanPlan plan) : client_(client), plan_(std::move(plan)) {}

HttpRequest ScanCursor::page_request(const ScanRequest& request, int page) const {
    std::vector<QueryParam> query = request.query;
    if (request.paged) query.push_back({"page", std::to_string(page)});
    return client_.make_request(HttpMethod::Get, request_path(request, request.parent), std::move(query));
}

void ScanCursor::account(const StoreResponse& response) {
    stats_.requests += 1 + static_cast<std::uint64_t>(response.http.retries);
    stats_.retries += static_cast<std::uint64_t>(response.http.retries);
    stats_.bytes += response.http.bytes_received;
    stats_.pages += 1;
}

namespace {

// A parent's key as its collection's path takes it. A key WooCommerce
// could not route would make its collection's request fail: say so.
std::string parent_key(const nlohmann::json& parent, const ScanPlan& plan, const std::string& request) {
    const auto it = parent.find(plan.parent_key);
    if (it == parent.end()) return {};
    const KeyType type = plan.resource ? plan.resource->parent_type : KeyType::Integer;
    std::string key;
    if (it->is_number_integer()) key = std::to_string(it->get<std::int64_t>());
    else if (it->is_string()) key = it->get<std::string>();
    if (!routable_key(type, key))
        throw WooError(ErrorKind::InvalidResponse,
                       "the store lists a parent whose " + plan.parent_key + " " +
                           sanitize_utf8(it->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)) +
                           " WooCommerce cannot route",
                       "Request: " + request + ".",
                       "A plugin registers keys WooCommerce's REST routes do not match; query its children with "
                       "a condition on another parent.");
    return key;
}

}  // namespace

void ScanCursor::expand_parents() {
    const ScanRequest& pr = plan_.parent_request;
    std::vector<std::string> parents;
    auto collect = [&](const nlohmann::json& body, const HttpRequest& request) {
        if (!body.is_array()) return;
        for (const auto& o : body)
            if (o.is_object()) {
                std::string key = parent_key(o, plan_, client_.describe(request));
                if (!key.empty()) parents.push_back(std::move(key));
            }
    };
    const HttpRequest first_request = page_request(pr, 1);
    StoreResponse first = client_.send(first_request);
    account(first);
    collect(first.body, first_request);
    const int total = pr.paged ? header_int(first.http, "x-wp-totalpages", -1) : 1;
    if (total >= 0) {
        std::vector<HttpRequest> rest;
        for (int p = 2; p <= total; ++p) rest.push_back(page_request(pr, p));
        if (!rest.empty()) {
            const auto answers = client_.send_all(rest);
            for (std::size_t i = 0; i < answers.size(); ++i) {
                account(answers[i]);
                collect(answers[i].body, rest[i]);
            }
        }
    } else {
        // No X-WP-TotalPages: page on while pages come back full.
        const long per_page = std::max(1L, per_page_of(pr));
        std::size_t last = first.body.is_array() ? first.body.size() : 0;
        for (int p = 2; static_cast<long>(last) >= per_page; ++p) {
            const HttpRequest request = page_request(pr, p);
            StoreResponse r = client_.send(request);
            account(r);
            collect(r.body, request);
            last = r.body.is_array() ? r.body.size() : 0;
        }
    }
    // Numeric keys in numeric order, text keys as listed; each once.
    if (plan_.resource && plan_.resource->parent_type == KeyType::Integer)
        std::sort(parents.begin(), parents.end(), [](const std::string& a, const std::string& b) {
            return a.size() != b.size() ? a.size() < b.size() : a < b;
        });
    std::vector<std::string> unique;
    std::set<std::string> seen;
    for (auto& key : parents)
        if (seen.insert(key).second) unique.push_back(std::move(key));
    std::vector<Job> jobs;
    for (const std::string& parent : unique)
        for (const auto& tmpl : plan_.requests) {
            Job j;
            j.request = tmpl;
            j.request.parent = parent;
            jobs.push_back(std::move(j));
        }
    jobs_ = std::move(jobs);
}

void ScanCursor::fetch_window() {
    // Two rounds of `concurrency` pages per window: the client keeps
    // `concurrency` requests in flight throughout a window, so the only
    // idle moments are the window boundaries (while rows are converted).
    const int concurrency = std::max(1, client_.config().transport.concurrency);
    std::size_t budget = static_cast<std::size_t>(concurrency) * 2;
    if (plan_.limit >= 0) {
        // Enough pages for the rows still wanted, no more.
        const long per_page = std::max(1L, per_page_of(jobs_[job_].request));
        const long wanted = std::max(1L, plan_.limit - yielded_);
        budget = std::min<std::size_t>(budget, static_cast<std::size_t>((wanted + per_page - 1) / per_page));
    }
    std::vector<PageKey> keys;
    for (std::size_t j = job_; j < jobs_.size() && keys.size() < budget;) {
        const Job& job = jobs_[j];
        int p = (j == job_) ? page_ : 1;
        if (job.total_pages < 0) {  // only page 1 can be asked before the total is known
            if (!ready_.count({j, 1})) keys.push_back({j, 1});
            ++j;
            continue;
        }
        for (; p <= job.total_pages && keys.size() < budget; ++p)
            if (!ready_.count({j, p})) keys.push_back({j, p});
        ++j;
    }
    if (keys.empty()) return;
    std::vector<HttpRequest> requests;
    requests.reserve(keys.size());
    for (const auto& [j, p] : keys) requests.push_back(page_request(jobs_[j].request, p));
    // A missing item or parent is no row, not an error.
    std::vector<StoreResponse> answers = client_.send_all(requests, true);
    for (std::size_t i = 0; i < keys.size(); ++i) {
        auto& answer = answers[i];
        account(answer);
        Job& job = jobs_[keys[i].first];
        const int page = keys[i].second;
        nlohmann::json rows;
        if (answer.body.is_null()) {
            rows = nlohmann::json::array();
            job.total_pages = page;
        } else if (job.request.item) {
            rows = nlohmann::json::array({std::move(answer.body)});
            job.total_pages = 1;
        } else if (!answer.body.is_array()) {
            throw WooError(ErrorKind::InvalidResponse, "the store answered a list request with a JSON " +
                                                           std::string(answer.body.type_name()) + ", not an array",
                           "Request: " + client_.describe(requests[i]) + ".",
                           "Check the server's url and api_prefix: something other than WooCommerce answered.");
        } else {
            rows = std::move(answer.body);
            if (!job.request.paged) {
                job.total_pages = 1;
            } else {
                const int total = header_int(answer.http, "x-wp-totalpages", -1);
                if (total >= 0) {
                    if (page == 1) job.total_pages = total;
                } else {
                    // No X-WP-TotalPages (a proxy stripped it): go on until a
                    // short page, one page at a time.
                    const bool full = static_cast<long>(rows.size()) >= per_page_of(job.request);
                    job.total_pages = std::max(job.total_pages, full ? page + 1 : page);
                }
            }
        }
        ready_[keys[i]] = std::move(rows);
    }
}

const nlohmann::json* ScanCursor::next(std::string& parent) {
    if (plan_.empty) return nullptr;
    if (!started_) {
        started_ = true;
        if (plan_.expand_parents) {
            expand_parents();
        } else {
            for (const auto& r : plan_.requests) jobs_.push_back({r, -1});
        }
    }
    for (;;) {
        if (plan_.limit >= 0 && yielded_ >= plan_.limit) return nullptr;
        while (index_ < current_.size()) {
            const nlohmann::json& object = current_[index_++];
            if (!object.is_object()) continue;
            // sku= finds variations too; they are not rows of a products table.
            if (plan_.resource->resource == Resource::Products) {
                const auto type = object.find("type");
                if (type != object.end() && type->is_string() && type->get_ref<const std::string&>() == "variation")
                    continue;
            }
            ++yielded_;
            parent = current_parent_;
            return &object;
        }
        // Move to the next page to consume.
        for (;;) {
            if (job_ >= jobs_.size()) return nullptr;
            const Job& job = jobs_[job_];
            if (job.total_pages >= 0 && page_ > job.total_pages) {
                ++job_;
                page_ = 1;
                continue;
            }
            break;
        }
        const PageKey key{job_, page_};
        if (!ready_.count(key)) fetch_window();
        auto it = ready_.find(key);
        if (it == ready_.end()) {
            // total_pages became known and is smaller than page_.
            continue;
        }
        current_ = std::move(it->second);
        ready_.erase(it);
        index_ = 0;
        current_parent_ = jobs_[job_].request.parent;
        ++page_;
    }
}

std::int64_t ScanCursor::count(bool estimate) {
    const bool one_list = !plan_.empty && !plan_.expand_parents && plan_.requests.size() == 1 &&
                          !plan_.requests.front().item && plan_.requests.front().paged;
    if (!(estimate ? one_list : plan_is_countable(plan_))) throw WooError(ErrorKind::Internal, "count requested for a plan that cannot be counted");
    const ScanRequest r = count_request(plan_);
    StoreResponse answer = client_.send(page_request(r, 1));
    account(answer);
    const std::string total = answer.http.header("x-wp-total");
    if (total.empty())
        throw WooError(ErrorKind::InvalidResponse, "the store's answer carries no X-WP-Total header",
                       "Request: " + client_.describe(page_request(r, 1)) + ".",
                       "A proxy or cache between PostgreSQL and the store strips response headers; WooCommerce "
                       "always sends X-WP-Total.");
    return std::strtoll(total.c_str(), nullptr, 10);
}

}  // namespace wcfdw
