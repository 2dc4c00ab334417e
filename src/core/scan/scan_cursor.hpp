// Runs a ScanPlan against a store and hands out its objects one at a time,
// in a stable order (request by request, page by page), through an
// HttpPipeline: while the caller converts the rows of page k, pages k+1 ...
// k+concurrency are in flight, and a new request goes out as soon as one
// finishes (a sliding window, not rounds that wait for the slowest). The
// transfers move only when the cursor drives them: when a page is taken,
// and every kDriveEveryRows rows in between, so the network keeps working
// while rows are returned.
//
// Pages are planned lazily: page 1 goes alone and reveals X-WP-TotalPages
// (checked against X-WP-Total); only pages known to exist are ever
// submitted, and without that header one page at a time while pages come
// back full. A LIMIT keeps no more pages ahead than the rows still wanted
// need. Held in memory: at most 2 x concurrency pages ahead (in flight, or
// arrived and waiting for their turn, as text) and the one being
// converted; nothing is prepared for pages a store merely claims to have.
// Nested collections list their parents the same way, a window of parents
// at a time; a parent's key (an id, or text: settings groups) must be one
// WooCommerce can route.
//
// Every page is checked when it is taken (scan_page.hpp); a page that
// repeats the previous page of the same request stops the scan with an
// error (the store ignores `page`), instead of looping until
// statement_timeout.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/scan/scan_page.hpp"
#include "core/transport/http_pipeline.hpp"
#include "core/scan/scan_plan.hpp"
#include "core/woo/pagination.hpp"
#include "core/woo/store_client.hpp"

namespace wcfdw {

struct ScanStats {
    std::uint64_t requests = 0;  // attempts sent, retries included
    std::uint64_t retries = 0;
    std::uint64_t bytes = 0;     // body bytes received
    std::uint64_t pages = 0;
};

class ScanCursor {
public:
    // How often, in rows handed out, the transfers in flight are driven
    // between pages (a non-blocking step of curl: a few microseconds).
    static constexpr long kDriveEveryRows = 32;

    ScanCursor(StoreClient& client, ScanPlan plan);
    // `key`: what every row must carry (scan_page.hpp); by default the plan's resource's key.
    ScanCursor(StoreClient& client, ScanPlan plan, RowKey key);
    ~ScanCursor();

    // The next object, or nullptr at the end. Valid until the next call.
    // `parent` receives the parent's key of nested collections ("" otherwise).
    const nlohmann::json* next(std::string& parent);
    // Numbers of the object last returned that the JSON reader could not
    // hold (null in the object), with paths inside it. Usually empty.
    const std::vector<UnrepresentableNumber>& unrepresentable() const noexcept { return current_numbers_; }
    // Objects of the current page not yet returned (no request needed).
    std::size_t buffered() const noexcept { return current_.rows.size() - index_; }

    // count(*) from X-WP-Total: one request with per_page=1. Only for
    // plans where plan_is_countable() holds, unless `estimate` (then the
    // store's count is an upper bound, for the planner).
    std::int64_t count(bool estimate = false);

    // This cursor's requests, the parent listing's included.
    ScanStats stats() const noexcept;
    const ScanPlan& plan() const noexcept { return plan_; }

private:
    struct Job {
        ScanRequest request;
        std::int64_t pages = 1;  // pages known to exist (page 1 always)
        bool complete = false;   // `pages` is final
    };
    using PageKey = std::pair<std::size_t, std::int64_t>;  // (job number, page)

    bool add_parent_jobs();
    // Submits the pages that come next, up to the window; `list_parents`:
    // may list more parents to find them (which can wait for a page).
    void top_up(bool list_parents);
    std::size_t window() const;
    void submit(const PageKey& key);
    // Collects, checks and settles the page at (job_, page_).
    ScanPage collect_page(const PageKey& key);
    void settle_page(const PageKey& key, const ScanPage& page, const PageHeaders& headers, bool missing);
    // Forgets pages in flight that a shorter job or a finished one no
    // longer needs.
    void drop_flights(std::size_t job_number, std::int64_t after_page);
    void take_page(ScanPage page);
    void start();
    HttpRequest page_request(const ScanRequest& request, std::int64_t page) const;
    void account(const StoreResponse& response);
    Job& job(std::size_t number) { return jobs_[number - first_job_]; }
    void drop_finished_job();

    StoreClient& client_;
    ScanPlan plan_;
    RowKey key_;
    bool started_ = false;
    // Nested collections: the cursor over the parents, and those seen.
    std::unique_ptr<ScanCursor> parents_;
    bool parents_done_ = false;
    std::set<std::string> seen_parents_;
    // Jobs numbered from 0 in order; consumed ones leave the deque.
    std::deque<Job> jobs_;
    std::size_t first_job_ = 0;
    std::size_t job_ = 0;  // next page to consume: (job_, page_)
    std::int64_t page_ = 1;
    std::unique_ptr<HttpPipeline> pipeline_;
    std::map<PageKey, HttpPipeline::Ticket> flights_;  // submitted, not yet taken
    ScanPage current_;
    std::vector<std::string> previous_keys_;  // of the page before, same job
    std::size_t index_ = 0;
    std::string current_parent_;
    std::vector<UnrepresentableNumber> current_numbers_;
    long yielded_ = 0;
    long until_drive_ = kDriveEveryRows;
    ScanStats stats_;
};

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
