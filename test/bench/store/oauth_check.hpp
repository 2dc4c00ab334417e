// WooCommerce's authentication over plain HTTP (WC_REST_Authentication, as
// woostore_lib/auth.py ports it): one-legged OAuth 1.0a with HMAC-SHA1 or
// HMAC-SHA256, parameters from the query, a form body or the Authorization
// header, a 15-minute timestamp window and single-use nonces; then the key's
// read/write permission. The benchmark store speaks HTTP only, so the Basic
// and query-string schemes (HTTPS only in WooCommerce) never apply.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "query.hpp"
#include "wp_error.hpp"

namespace benchstore {

struct ApiKey {
    std::string consumer_key, consumer_secret, permissions;  // read | write | read_write
};

struct AuthResult {
    const ApiKey* key = nullptr;  // authenticated
    std::optional<WpError> error;  // credentials rejected
    std::string mode = "none";     // oauth1 | none
    std::string consumer_key;
};

class KeyRing {
public:
    KeyRing();  // the test store's default keys
    void add(ApiKey key);
    void clear_keys() { keys_.clear(); }
    void clear_nonces();
    // params: the request's query (last value wins) and form body.
    AuthResult authenticate(const std::string& method, const std::string& url_without_query, const QueryPairs& query,
                            const QueryPairs& form, const std::string* authorization, std::int64_t now);

private:
    bool use_nonce(const std::string& key, std::int64_t timestamp, const std::string& nonce, std::int64_t now);
    std::map<std::string, ApiKey> keys_;
    struct Nonces {
        std::map<std::int64_t, std::string> by_time;  // as WooCommerce stores them: one per timestamp
        std::unordered_multiset<std::string> values;
    };
    std::mutex nonce_mutex_;
    std::unordered_map<std::string, Nonces> nonces_;
};

// check_key_permissions(); nullopt when allowed.
std::optional<WpError> key_permission_error(const ApiKey& key, const std::string& method);

}  // namespace benchstore
