#include "request_log.hpp"

#include <cstdio>

namespace benchstore {

void RequestLog::record(LogEntry entry) {
    std::lock_guard<std::mutex> guard(mutex_);
    ++counters_[entry.counter];
    ++total_;
    entries_.emplace_back(++seq_, std::move(entry));
    if (entries_.size() > 200000) entries_.erase(entries_.begin(), entries_.begin() + 20000);
}

void RequestLog::clear() {
    std::lock_guard<std::mutex> guard(mutex_);
    entries_.clear();
}

void RequestLog::clear_counters() {
    std::lock_guard<std::mutex> guard(mutex_);
    counters_.clear();
}

std::uint64_t RequestLog::total() const {
    std::lock_guard<std::mutex> guard(mutex_);
    return total_;
}

std::string RequestLog::entries_json(const std::string& path_prefix, const std::string& method,
                                     std::int64_t since_seq) const {
    std::lock_guard<std::mutex> guard(mutex_);
    std::string out = "[";
    bool first = true;
    for (const auto& [seq, e] : entries_) {
        if (!path_prefix.empty() && e.path.compare(0, path_prefix.size(), path_prefix) != 0) continue;
        if (!method.empty() && e.method != method) continue;
        if (seq <= since_seq) continue;
        if (!first) out += ',';
        first = false;
        ObjectWriter o(out);
        o.str("method", e.method);
        o.str("path", e.path);
        Json query = Json::object();
        for (const auto& [k, v] : e.query) query[k].push_back(v);
        append_json_value(o.key("query"), query);
        o.key("body") += "null";
        if (!e.items.is_null()) append_json_value(o.key("items"), e.items);
        o.integer("status", e.status);
        o.str("auth_mode", e.auth_mode);
        char t[32];
        std::snprintf(t, sizeof t, "%.6f", e.time);
        o.key("time") += t;
        std::snprintf(t, sizeof t, "%.3f", e.service_ms);
        o.key("service_ms") += t;
        if (!e.consumer_key.empty()) o.str("consumer_key", e.consumer_key);
        o.integer("seq", seq);
        o.close();
    }
    return out + "]";
}

std::string RequestLog::counters_json() const {
    std::lock_guard<std::mutex> guard(mutex_);
    std::string out;
    ObjectWriter o(out);
    for (const auto& [k, n] : counters_) o.integer(k, n);
    o.close();
    return out;
}

}  // namespace benchstore
