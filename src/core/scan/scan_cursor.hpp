// Runs a ScanPlan against a store and hands out its objects one at a time,
// in a stable order (request by request, page by page), while keeping up to
// `concurrency` pages in flight: after page 1 reveals X-WP-TotalPages the
// following pages are fetched in windows of 2 x concurrency pages with
// `concurrency` requests in flight. Only one window of pages is held in
// memory.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/scan/scan_plan.hpp"
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
    ScanCursor(StoreClient& client, ScanPlan plan);

    // The next object, or nullptr at the end. Valid until the next call.
    // `parent` receives the parent's key of nested collections ("" otherwise).
    const nlohmann::json* next(std::string& parent);

    // count(*) from X-WP-Total: one request with per_page=1. Only for
    // plans where plan_is_countable() holds, unless `estimate` (then the
    // store's count is an upper bound, for the planner).
    std::int64_t count(bool estimate = false);

    const ScanStats& stats() const noexcept { return stats_; }
    const ScanPlan& plan() const noexcept { return plan_; }

private:
    struct Job {
        ScanRequest request;
        int total_pages = -1;  // unknown until page 1 arrives
    };
    using PageKey = std::pair<std::size_t, int>;

    void expand_parents();
    void fetch_window();
    HttpRequest page_request(const ScanRequest& request, int page) const;
    void account(const StoreResponse& response);

    StoreClient& client_;
    ScanPlan plan_;
    bool started_ = false;
    std::vector<Job> jobs_;
    std::size_t job_ = 0;  // next page to consume: (job_, page_)
    int page_ = 1;
    std::map<PageKey, nlohmann::json> ready_;
    nlohmann::json current_ = nlohmann::json::array();
    std::size_t index_ = 0;
    std::string current_parent_;
    long yielded_ = 0;
    ScanStats stats_;
};

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
