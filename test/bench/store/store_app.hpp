// The benchmark store as a whole: the HTTP front (the test store's
// server.py: method override, JSON bodies, latency, headers, request log)
// around the API, and the /__store/ controls the scripts use.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "api.hpp"
#include "http_server.hpp"
#include "request_log.hpp"

namespace benchstore {

struct StoreOptions {
    std::string repo;            // the repository root (test store data, seed_fixture.py)
    std::int64_t products = 20;
    std::uint64_t seed = 0;
    double latency_ms = 0;
    std::string timezone = "Europe/Berlin";
    std::size_t cache_mb = 512;
};

class StoreApp {
public:
    explicit StoreApp(StoreOptions options);
    HttpResponse handle(const HttpRequest& req);

private:
    HttpResponse api_request(const HttpRequest& req);
    // controls.cpp
    HttpResponse control(const HttpRequest& req);
    std::string reset(std::int64_t products, std::uint64_t seed);
    std::string summary() const;
    std::string config_json() const;
    void apply_config(const Json& body);
    const Fixture& fixture(std::int64_t products);

    StoreOptions options_;
    Catalog catalog_;
    SchemaRules rules_;
    KeyRing keys_;
    PageCache pages_;
    RequestLog log_;
    Api api_;
    std::atomic<double> latency_ms_;
    std::mutex fixture_mutex_;
    std::map<std::int64_t, Fixture> fixtures_;  // by showcase size (0..18)
};

}  // namespace benchstore
