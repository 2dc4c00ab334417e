#include "oauth_check.hpp"

#include <algorithm>

#include "core/transport/crypto.hpp"

namespace benchstore {
namespace {

constexpr std::int64_t kWindow = 15 * 60;
constexpr const char* kOAuthParams[] = {"oauth_consumer_key", "oauth_timestamp", "oauth_nonce", "oauth_signature",
                                        "oauth_signature_method"};

WpError auth_error(const std::string& message) {
    return WpError("woocommerce_rest_authentication_error", message, 401);
}

// _enc(): rawurlencode(unquote(s)) with every '%' escaped once more.
std::string enc(const std::string& s) {
    std::string out;
    for (const char c : quote(percent_decode(s, false), "")) {
        if (c == '%') out += "%25";
        else out += c;
    }
    return out;
}

// parse_oauth_header(): oauth_x="value" or oauth_x=value, comma separated.
std::map<std::string, std::string> oauth_header_params(const std::string& header) {
    std::map<std::string, std::string> out;
    std::size_t b = header.find_first_not_of(" \t");
    if (b == std::string::npos || header.compare(b, 6, "OAuth ") != 0) return out;
    const std::string rest = header.substr(b + 6);
    for (std::size_t pos = rest.find("oauth_"); pos != std::string::npos; pos = rest.find("oauth_", pos)) {
        std::size_t name_end = pos + 6;
        while (name_end < rest.size() && (std::islower(static_cast<unsigned char>(rest[name_end])) ||
                                          rest[name_end] == '_' || rest[name_end] == '-'))
            ++name_end;
        if (name_end >= rest.size() || rest[name_end] != '=') {
            pos = name_end;
            continue;
        }
        std::string value;
        std::size_t next;
        if (name_end + 1 < rest.size() && rest[name_end + 1] == '"') {
            const std::size_t close = rest.find('"', name_end + 2);
            if (close == std::string::npos) break;
            value = rest.substr(name_end + 2, close - name_end - 2);
            next = close + 1;
        } else {
            next = rest.find(',', name_end + 1);
            if (next == std::string::npos) next = rest.size();
            value = rest.substr(name_end + 1, next - name_end - 1);
        }
        out[rest.substr(pos, name_end - pos)] = percent_decode(value, false);
        pos = next;
    }
    return out;
}

bool same(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

}  // namespace

KeyRing::KeyRing() {
    add({"ck_test_readwrite_0000000000000000000000000", "cs_test_readwrite_0000000000000000000000000", "read_write"});
    add({"ck_test_read_00000000000000000000000000000", "cs_test_read_00000000000000000000000000000", "read"});
    add({"ck_test_write_0000000000000000000000000000", "cs_test_write_0000000000000000000000000000", "write"});
}

void KeyRing::add(ApiKey key) { keys_[key.consumer_key] = std::move(key); }

void KeyRing::clear_nonces() {
    std::lock_guard<std::mutex> guard(nonce_mutex_);
    nonces_.clear();
}

bool KeyRing::use_nonce(const std::string& key, std::int64_t timestamp, const std::string& nonce, std::int64_t now) {
    std::lock_guard<std::mutex> guard(nonce_mutex_);
    Nonces& n = nonces_[key];
    if (n.values.count(nonce)) return false;
    auto old = n.by_time.find(timestamp);
    if (old != n.by_time.end()) n.values.erase(n.values.find(old->second));
    n.by_time[timestamp] = nonce;
    n.values.insert(nonce);
    while (!n.by_time.empty() && n.by_time.begin()->first < now - kWindow) {
        n.values.erase(n.values.find(n.by_time.begin()->second));
        n.by_time.erase(n.by_time.begin());
    }
    return true;
}

AuthResult KeyRing::authenticate(const std::string& method, const std::string& url, const QueryPairs& query,
                                 const QueryPairs& form, const std::string* authorization, std::int64_t now) {
    AuthResult res;
    std::map<std::string, std::string> params;
    for (const auto& [k, v] : query) params[k] = v;
    for (const auto& [k, v] : form) params[k] = v;
    if (authorization)
        for (auto& [k, v] : oauth_header_params(*authorization)) params[k] = v;
    auto given = [&](const char* name) {
        auto it = params.find(name);
        return it != params.end() && !it->second.empty();
    };
    std::vector<std::string> missing;
    bool any = false;
    for (const char* p : kOAuthParams) {
        if (given(p)) any = true;
        else missing.push_back(p);
    }
    if (!any) return res;
    res.mode = "oauth1";
    if (!missing.empty()) {
        std::string list;
        for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
        res.error = WpError("woocommerce_rest_authentication_missing_parameter",
                            (missing.size() == 1 ? "Missing OAuth parameter " : "Missing OAuth parameters ") + list, 401);
        return res;
    }
    res.consumer_key = params["oauth_consumer_key"];
    auto key = keys_.find(res.consumer_key);
    if (key == keys_.end()) {
        res.error = auth_error("Consumer key is invalid.");
        return res;
    }
    std::string signature = params["oauth_signature"];
    std::replace(signature.begin(), signature.end(), ' ', '+');
    signature = percent_decode(signature, false);
    const std::string sig_method = params["oauth_signature_method"];
    if (sig_method != "HMAC-SHA1" && sig_method != "HMAC-SHA256") {
        res.error = auth_error("Invalid signature - signature method is invalid.");
        return res;
    }
    std::string pairs;
    for (const auto& [k, v] : params) {  // std::map: sorted by key, as uksort(strcmp)
        if (k == "oauth_signature") continue;
        pairs += (pairs.empty() ? "" : "%26") + enc(k) + "%3D" + enc(v);
    }
    std::string upper = method;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const std::string base = upper + "&" + quote(url, "") + "&" + pairs;
    const std::string secret = key->second.consumer_secret + "&";
    const std::string expected = wcfdw::base64_encode(sig_method == "HMAC-SHA1" ? wcfdw::hmac_sha1(secret, base)
                                                                              : wcfdw::hmac_sha256(secret, base));
    if (!same(expected, signature)) {
        res.error = auth_error("Invalid signature - provided signature does not match.");
        return res;
    }
    std::int64_t ts = 0;
    try {
        std::size_t used = 0;
        ts = std::stoll(params["oauth_timestamp"], &used);
        if (used != params["oauth_timestamp"].size()) ts = 0;
    } catch (...) {
        ts = 0;
    }
    if (ts < now - kWindow || ts > now + kWindow) {
        res.error = auth_error("Invalid timestamp.");
        return res;
    }
    if (!use_nonce(key->second.consumer_key, ts, params["oauth_nonce"], now)) {
        res.error = auth_error("Invalid nonce - nonce has already been used.");
        return res;
    }
    res.key = &key->second;
    return res;
}

std::optional<WpError> key_permission_error(const ApiKey& key, const std::string& method) {
    const std::string& p = key.permissions;
    if (method == "GET" || method == "HEAD") {
        if (p != "read" && p != "read_write") return auth_error("The API key provided does not have read permissions.");
    } else if (method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE") {
        if (p != "write" && p != "read_write") return auth_error("The API key provided does not have write permissions.");
    } else if (method != "OPTIONS") {
        return WpError("woocommerce_rest_authentication_error", "Unknown request method.", 401);
    }
    return std::nullopt;
}

}  // namespace benchstore
