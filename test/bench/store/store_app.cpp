#include "store_app.hpp"

#include <chrono>
#include <thread>

#include "wp_error.hpp"
#include "wp_text.hpp"

namespace benchstore {
namespace {

const std::vector<std::pair<std::string, std::string>> kCommonHeaders = {
    {"X-Robots-Tag", "noindex"},
    {"X-Content-Type-Options", "nosniff"},
    {"Access-Control-Expose-Headers", "X-WP-Total, X-WP-TotalPages, Link"},
    {"Access-Control-Allow-Headers", "Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type"}};

double epoch_seconds() {
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

// _api_headers(): Content-Type, the common headers, WordPress's default Link,
// the handler's headers; no-cache headers for a logged-in key only, Vary:
// Origin on a GET without key and without Origin.
Headers api_headers(const std::string& base, const Headers& own, bool logged_in, bool vary_origin) {
    Headers h = {{"Content-Type", "application/json; charset=UTF-8"}};
    h.insert(h.end(), kCommonHeaders.begin(), kCommonHeaders.end());
    bool has_link = false;
    for (const auto& kv : own) has_link = has_link || kv.first == "Link";
    if (!has_link) h.push_back({"Link", "<" + base + "/wp-json/>; rel=\"https://api.w.org/\""});
    h.insert(h.end(), own.begin(), own.end());
    if (logged_in) {
        h.push_back({"Expires", "Wed, 11 Jan 1984 05:00:00 GMT"});
        h.push_back({"Cache-Control", "no-cache, must-revalidate, max-age=0, no-store, private"});
    } else if (vary_origin) {
        h.push_back({"Vary", "Origin"});
    }
    return h;
}

HttpResponse plain(int status, const std::string& body) {
    HttpResponse r;
    r.status = status;
    r.headers = {{"Content-Type", "application/json; charset=UTF-8"}};
    r.body = std::make_shared<const std::string>(body);
    return r;
}

}  // namespace

StoreApp::StoreApp(StoreOptions options)
    : options_(std::move(options)),
      rules_(options_.repo + "/test/store/woostore_lib/data"),
      pages_(options_.cache_mb << 20),
      api_(catalog_, rules_, keys_, pages_),
      latency_ms_(options_.latency_ms) {
    reset(options_.products, options_.seed);
}

HttpResponse StoreApp::handle(const HttpRequest& req) {
    if (req.path.rfind("/__store", 0) == 0) return control(req);
    return api_request(req);
}

HttpResponse StoreApp::api_request(const HttpRequest& http) {
    LogEntry entry;
    entry.time = epoch_seconds();
    ApiRequest req;
    req.query = parse_query(http.query);
    req.method = ascii_lower(http.method);
    for (char& c : req.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (req.method == "POST") {
        const std::string* header = http.header("x-http-method-override");
        const std::string* param = query_value(req.query, "_method");
        std::string o = header ? *header : param ? *param : "";
        for (char& c : o) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (o == "PUT" || o == "PATCH" || o == "DELETE" || o == "GET") req.method = o;
    }
    const std::string* host = http.header("host");
    req.base = "http://" + (host ? *host : std::string("127.0.0.1"));
    req.authorization = http.header("authorization");
    entry.method = req.method;
    entry.path = http.path;
    for (const auto& kv : req.query)
        if (kv.first != "consumer_secret" && kv.first != "oauth_signature") entry.query.push_back(kv);
    const bool api = http.path.rfind("/wp-json", 0) == 0 && (http.path.size() == 8 || http.path[8] == '/');
    std::optional<WpError> early;
    if (!api) early = unsupported("pages outside /wp-json/ (" + http.path + ")");
    req.route = api ? http.path.substr(8) : "";
    while (req.route.size() > 1 && req.route.back() == '/') req.route.pop_back();
    if (req.route.empty()) req.route = "/";
    const std::string* ctype = http.header("content-type");
    const std::string type = ctype ? ascii_lower(*ctype) : "";
    if (!http.body.empty() && !early) {
        if (type.find("application/x-www-form-urlencoded") != std::string::npos) {
            req.form = parse_query(http.body);
            req.body = Json::object();
            for (const auto& [k, v] : req.form) req.body[k] = v;
        } else {
            try {
                req.body = Json::parse(http.body);
            } catch (const std::exception&) {
                const char first = strip(http.body).empty() ? ' ' : strip(http.body)[0];
                if (type.find("json") != std::string::npos || first == '{' || first == '[')
                    early = WpError("rest_invalid_json", "Invalid JSON body passed.", 400,
                                    Json{{"json_error_code", 4}, {"json_error_message", "Syntax error"}});
            }
        }
    }
    const double latency = latency_ms_.load();
    if (latency > 0) std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(latency));
    const auto served = std::chrono::steady_clock::now();
    ApiOutcome outcome;
    ApiResponse resp = early ? error_response(*early) : api_.handle(req, outcome);
    entry.service_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - served).count();
    entry.counter = outcome.counter.empty() ? req.method + (api ? " <no_route>" : " <html>") : outcome.counter;
    entry.status = resp.status;
    entry.auth_mode = outcome.auth_mode;
    entry.consumer_key = outcome.consumer_key;
    entry.items = outcome.items;
    log_.record(std::move(entry));
    HttpResponse out;
    out.status = resp.status;
    out.headers = api_headers(req.base, resp.headers, outcome.logged_in, http.method == "GET" && !http.header("origin"));
    out.body = std::move(resp.body);
    out.head_only = req.method == "HEAD";
    return out;
}

HttpResponse StoreApp::control(const HttpRequest& req) {
    const std::string sub = [&] {
        std::string s = req.path.substr(8);
        while (!s.empty() && s.back() == '/') s.pop_back();
        return s;
    }();
    const QueryPairs q = parse_query(req.query);
    Json body = Json::object();
    try {
        if (!strip(req.body).empty()) body = Json::parse(req.body);
    } catch (const std::exception&) {
        return plain(400, "{\"error\":\"invalid JSON body\"}");
    }
    const std::string& m = req.method;
    try {
        if (sub == "/health" && m == "GET") return plain(200, "{\"ok\":true}");
        if (sub == "/reset" && m == "POST")
            return plain(200, reset(body.value("products", options_.products), body.value("seed", options_.seed)));
        if (sub == "/summary" && m == "GET") return plain(200, summary());
        if (sub == "/requests" && m == "GET") {
            const std::string* since = query_value(q, "since_seq");
            const std::string* prefix = query_value(q, "path_prefix");
            const std::string* method = query_value(q, "method");
            std::string upper = method ? *method : "";
            for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            return plain(200, log_.entries_json(prefix ? *prefix : "", upper, since ? std::stoll(*since) : 0));
        }
        if (sub == "/requests" && m == "DELETE") return log_.clear(), plain(200, "{\"ok\":true}");
        if (sub == "/counters" && m == "GET") return plain(200, log_.counters_json());
        if (sub == "/counters" && m == "DELETE") return log_.clear_counters(), plain(200, "{\"ok\":true}");
        if (sub == "/config" && (m == "GET" || m == "POST")) {
            if (m == "POST") apply_config(body);
            return plain(200, config_json());
        }
    } catch (const std::exception& e) {
        std::string out = "{\"error\":";
        append_json_string(out, e.what());
        return plain(400, out + "}");
    }
    std::string out = "{\"error\":";
    append_json_string(out, "unknown control " + m + " " + req.path +
                                (sub == "/faults" ? " (the benchmark store injects no faults: use the test store)" : ""));
    return plain(404, out + ",\"controls\":[\"GET /__store/health\",\"POST /__store/reset\",\"GET /__store/summary\","
                            "\"GET|DELETE /__store/requests\",\"GET|DELETE /__store/counters\",\"GET|POST /__store/config\"]}");
}

}  // namespace benchstore
