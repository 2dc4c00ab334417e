// Shared by the unit tests: captured data files, resources by name, and a
// StoreConfig pointing at a ScriptedServer with short timeouts.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "core/woo/options.hpp"
#include "core/woo/resources.hpp"
#include "support/scripted_server.hpp"

namespace wcfdw::testing {

// A file of test/unit/data (WCFDW_TEST_DATA_DIR is set by CMake).
inline std::string read_data(const std::string& name) {
    const std::string path = std::string(WCFDW_TEST_DATA_DIR) + "/" + name;
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

inline const ResourceInfo& resource(const char* name) {
    const ResourceInfo* r = find_resource(name);
    if (!r) throw std::runtime_error(std::string("no resource ") + name);
    return *r;
}

// Query-string keys over plain http (the scripted server), no retries by default.
inline StoreConfig store_for(const ScriptedServer& server, int concurrency = 4, int max_retries = 0) {
    StoreConfig c;
    c.url = server.url();
    c.auth = AuthMode::QueryString;
    c.credentials = {"ck_test", "cs_test"};
    c.transport.timeout_ms = 5000;
    c.transport.connect_timeout_ms = 1000;
    c.transport.max_retries = max_retries;
    c.transport.retry_base_ms = 10;
    c.transport.retry_max_ms = 50;
    c.transport.concurrency = concurrency;
    return c;
}

}  // namespace wcfdw::testing
