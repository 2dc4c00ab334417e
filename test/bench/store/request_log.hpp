// The request log and per-route counters the scripts read through
// /__store/requests and /__store/counters, in the test store's shapes. The
// log keeps no request bodies (a batch's item counts instead): the benchmarks
// count requests, they do not inspect them.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>

#include "json_text.hpp"
#include "query.hpp"

namespace benchstore {

struct LogEntry {
    std::string method, path;
    QueryPairs query;        // without secrets
    int status = 0;
    std::string auth_mode = "none", consumer_key;
    double time = 0;         // epoch seconds, when the request arrived
    double service_ms = 0;   // the store's own time for it (latency sleep excluded)
    Json items;              // {"create": n, "update": n, "delete": n} for a batch, else null
    std::string counter;     // "GET /wc/v3/products/<id>"
};

class RequestLog {
public:
    void record(LogEntry entry);
    void clear();
    void clear_counters();
    // The log as JSON, filtered like the test store's (empty filters: all).
    std::string entries_json(const std::string& path_prefix, const std::string& method, std::int64_t since_seq) const;
    std::string counters_json() const;
    std::uint64_t total() const;

private:
    mutable std::mutex mutex_;
    std::deque<std::pair<std::int64_t, LogEntry>> entries_;
    std::int64_t seq_ = 0;
    std::uint64_t total_ = 0;
    std::map<std::string, std::int64_t> counters_;
};

}  // namespace benchstore
