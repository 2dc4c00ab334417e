#include "core/scan/scan_cursor.hpp"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "core/base/woo_error.hpp"

namespace wcfdw {

namespace {

long per_page_of(const ScanRequest& request) {
    for (const auto& p : request.query)
        if (p.name == "per_page") return std::atol(p.value.c_str());
    return 0;
}

// A parent's key as its collection's path takes it (scan_page checked its
// type). A key WooCommerce could not route would make its collection's
// request fail: say so.
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

// Integer keys in numeric order (no sign, no leading zeros: shorter is smaller).
bool numeric_less(const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
}

}  // namespace

ScanCursor::ScanCursor(StoreClient& client, ScanPlan plan) : client_(client), plan_(std::move(plan)) {
    key_ = row_key_of(plan_.resource);
}

ScanCursor::ScanCursor(StoreClient& client, ScanPlan plan, RowKey key)
    : client_(client), plan_(std::move(plan)), key_(key) {}

ScanCursor::~ScanCursor() = default;

HttpRequest ScanCursor::page_request(const ScanRequest& request, std::int64_t page) const {
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

ScanStats ScanCursor::stats() const noexcept {
    ScanStats s = stats_;
    if (parents_) {
        const ScanStats p = parents_->stats();
        s.requests += p.requests;
        s.retries += p.retries;
        s.bytes += p.bytes;
        s.pages += p.pages;
    }
    return s;
}

void ScanCursor::start() {
    started_ = true;
    if (!plan_.expand_parents) {
        for (const auto& r : plan_.requests) jobs_.push_back({r, 1, false});
        return;
    }
    // The parents are a scan of their own, read as the jobs need them.
    ScanPlan parents;
    parents.resource = plan_.resource;
    parents.exact = false;
    parents.requests.push_back(plan_.parent_request);
    // Each listed parent must carry the key its children's route takes.
    const ResourceInfo* parent = plan_.resource ? parent_resource(*plan_.resource) : nullptr;
    RowKey key;
    key.field = plan_.parent_key.c_str();
    key.type = plan_.resource ? plan_.resource->parent_type : KeyType::Integer;
    key.min = parent ? parent->min_key : 1;
    parents_ = std::make_unique<ScanCursor>(client_, std::move(parents), key);
}

bool ScanCursor::add_parent_jobs() {
    if (!parents_ || parents_done_) return false;
    // A window of parents, and the rest of their page (already in memory),
    // in id order: pages of parents come in id order, an unpaged list
    // (attributes) comes whole. Text keys (settings groups) as listed.
    const std::size_t wanted = static_cast<std::size_t>(std::max(1, client_.config().transport.concurrency)) * 2;
    std::vector<std::string> keys;
    while (keys.size() < wanted || parents_->buffered() > 0) {
        std::string unused;
        const nlohmann::json* parent = parents_->next(unused);
        if (!parent) {
            parents_done_ = true;
            break;
        }
        std::string key = parent_key(*parent, plan_, client_.describe(page_request(plan_.parent_request, 1)));
        // A key seen before: a page boundary moved during the listing.
        if (!key.empty() && seen_parents_.insert(key).second) keys.push_back(std::move(key));
    }
    if (plan_.resource && plan_.resource->parent_type == KeyType::Integer)
        std::sort(keys.begin(), keys.end(), numeric_less);
    for (const std::string& key : keys)
        for (const auto& tmpl : plan_.requests) {
            Job j{tmpl, 1, false};
            j.request.parent = key;
            jobs_.push_back(std::move(j));
        }
    return !keys.empty();
}

// Pages held ahead of the one being converted (in flight, or arrived and
// not yet taken): 2 x concurrency, so that a request goes out as soon as
// one finishes even while earlier pages wait for their turn; with a LIMIT,
// no more than the rows still wanted need (beyond those of the current
// page).
std::size_t ScanCursor::window() const {
    const int concurrency = std::max(1, client_.config().transport.concurrency);
    std::size_t window = 2 * static_cast<std::size_t>(concurrency);
    if (plan_.limit >= 0 && job_ - first_job_ < jobs_.size()) {
        const long per_page = std::max(1L, per_page_of(jobs_[job_ - first_job_].request));
        const long wanted = plan_.limit - yielded_ - static_cast<long>(buffered());
        if (wanted <= 0) return 0;
        window = std::min<std::size_t>(window, static_cast<std::size_t>((wanted + per_page - 1) / per_page));
    }
    return window;
}

void ScanCursor::submit(const PageKey& key) {
    if (!pipeline_) pipeline_ = std::make_unique<HttpPipeline>(client_.http());
    const HttpPipeline::Ticket ticket = pipeline_->submit(page_request(job(key.first).request, key.second));
    try {
        flights_.emplace(key, ticket);
    } catch (...) {
        pipeline_->cancel(ticket);
        throw;
    }
}

void ScanCursor::top_up(bool list_parents) {
    const std::size_t limit = window();
    // Never more than `concurrency` requests on the wire.
    const std::size_t concurrency = static_cast<std::size_t>(std::max(1, client_.config().transport.concurrency));
    std::size_t running = pipeline_ ? pipeline_->unfinished() : 0;
    const auto room = [&] { return flights_.size() < limit && running < concurrency; };
    // In order from the page to take next: only pages known to exist
    // (X-WP-TotalPages, or the page after a full one), page 1 of the jobs
    // after it included.
    for (std::size_t j = job_; room(); ++j) {
        if (j >= first_job_ + jobs_.size() && !(list_parents && add_parent_jobs())) break;
        const Job& jb = job(j);
        for (std::int64_t p = (j == job_) ? page_ : 1; p <= jb.pages && room(); ++p)
            if (!flights_.count({j, p})) {
                submit({j, p});
                ++running;
            }
    }
}

void ScanCursor::drop_flights(std::size_t job_number, std::int64_t after_page) {
    auto it = flights_.upper_bound({job_number, after_page});
    while (it != flights_.end() && it->first.first == job_number) {
        pipeline_->cancel(it->second);
        it = flights_.erase(it);
    }
}

void ScanCursor::settle_page(const PageKey& key, const ScanPage& page, const PageHeaders& headers, bool missing) {
    Job& jb = job(key.first);
    const std::int64_t p = key.second;
    const std::int64_t rows = static_cast<std::int64_t>(page.rows.size());
    if (missing || jb.request.item || !jb.request.paged) {
        jb.pages = std::min(jb.pages, p);
        jb.complete = true;
        return;
    }
    if (p == 1 && headers.total_pages) {
        jb.pages = std::max<std::int64_t>(1, *headers.total_pages);
        jb.complete = true;
    }
    if (rows == 0 && p > 1) {
        // The list shrank while it was read: it ends here.
        jb.pages = std::min(jb.pages, p);
        jb.complete = true;
        return;
    }
    if (jb.complete) return;
    // No X-WP-TotalPages (a proxy stripped it): go on while pages are full.
    if (rows >= per_page_of(jb.request)) {
        jb.pages = std::max(jb.pages, p + 1);
    } else {
        jb.pages = p;
        jb.complete = true;
    }
}

ScanPage ScanCursor::collect_page(const PageKey& key) {
    if (!flights_.count(key)) submit(key);  // the window was taken by later jobs' first pages
    const auto flight = flights_.find(key);
    const HttpPipeline::Ticket ticket = flight->second;
    flights_.erase(flight);
    const Job& jb = job(key.first);
    const HttpRequest request = page_request(jb.request, key.second);
    // A missing item or parent is no row, not an error.
    AnswerOptions options;
    options.missing_ok = true;
    options.keep_unrepresentable = true;
    options.release_text = true;
    StoreResponse answer = client_.interpret_answer(pipeline_->collect(ticket), request, options);
    account(answer);
    const std::string description = client_.describe(request);
    const PageHeaders headers =
        jb.request.paged && !jb.request.item ? read_page_headers(answer.http, description) : PageHeaders{};
    const bool missing = answer.missing;
    ScanPage page = checked_page(std::move(answer), jb.request.item, description, key_);
    settle_page(key, page, headers, missing);
    if (job(key.first).complete) drop_flights(key.first, job(key.first).pages);
    return page;
}

void ScanCursor::drop_finished_job() {
    drop_flights(job_, 0);
    jobs_.pop_front();
    ++first_job_;
    ++job_;
    page_ = 1;
    previous_keys_.clear();
}

void ScanCursor::take_page(ScanPage page) {
    const Job& jb = job(job_);
    // A store (or a cache in front of it) that ignores `page` answers every
    // page like the first: without this the scan would never end.
    if (page_ > 1 && !page.keys.empty() && page.keys == previous_keys_)
        throw WooError(ErrorKind::InvalidResponse,
                       "the store answered page " + std::to_string(page_) + " with the same objects as page " +
                           std::to_string(page_ - 1) + ": it ignores the page parameter",
                       "Request: " + client_.describe(page_request(jb.request, page_)),
                       "A cache or proxy in front of the store, or a plugin, drops the query string; exclude "
                       "/wp-json/ from caching.");
    previous_keys_ = page.keys;
    current_ = std::move(page);
    index_ = 0;
    current_parent_ = jb.request.parent;
    ++page_;
}

const nlohmann::json* ScanCursor::next(std::string& parent) {
    if (plan_.empty) return nullptr;
    if (!started_) start();
    for (;;) {
        if (plan_.limit >= 0 && yielded_ >= plan_.limit) return nullptr;
        while (index_ < current_.rows.size()) {
            const std::size_t i = index_++;
            const nlohmann::json& object = current_.rows[i];
            // sku= finds variations too; they are not rows of a products table.
            if (plan_.resource && plan_.resource->resource == Resource::Products) {
                const auto type = object.find("type");
                if (type != object.end() && type->is_string() && type->get_ref<const std::string&>() == "variation")
                    continue;
            }
            // The network keeps working while rows are returned.
            if (--until_drive_ <= 0 && pipeline_) {
                until_drive_ = kDriveEveryRows;
                pipeline_->drive();
                top_up(false);
            }
            current_numbers_.clear();
            for (const auto& [row, number] : current_.unrepresentable)
                if (row == i) current_numbers_.push_back(number);
            ++yielded_;
            parent = current_parent_;
            return &object;
        }
        // Move to the next page to consume.
        for (;;) {
            if (job_ >= first_job_ + jobs_.size()) {
                if (!add_parent_jobs()) return nullptr;
                continue;
            }
            Job& jb = job(job_);
            if (page_ > jb.pages) {
                jb.complete = true;  // only a complete job stops short of page_
                drop_finished_job();
                continue;
            }
            break;
        }
        const PageKey key{job_, page_};
        top_up(true);  // page 1 of the requests after this one need no page first
        ScanPage page = collect_page(key);
        // A page beyond the end (an empty page ended the list) is no page.
        if (page_ > job(job_).pages) continue;
        take_page(std::move(page));
        // The next pages go out before this one is converted.
        top_up(true);
        until_drive_ = kDriveEveryRows;
    }
}

std::int64_t ScanCursor::count(bool estimate) {
    const bool one_list = !plan_.empty && !plan_.expand_parents && plan_.requests.size() == 1 &&
                          !plan_.requests.front().item && plan_.requests.front().paged;
    if (!(estimate ? one_list : plan_is_countable(plan_)))
        throw WooError(ErrorKind::Internal, "count requested for a plan that cannot be counted");
    const HttpRequest request = page_request(count_request(plan_), 1);
    StoreResponse answer = client_.send(request);
    account(answer);
    const std::string description = client_.describe(request);
    const PageHeaders headers = read_page_headers(answer.http, description);
    if (!headers.total)
        throw WooError(ErrorKind::InvalidResponse, "the store's answer carries no X-WP-Total header",
                       "Request: " + description,
                       "A proxy or cache between PostgreSQL and the store strips response headers; WooCommerce "
                       "always sends X-WP-Total.");
    return *headers.total;
}

}  // namespace wcfdw
