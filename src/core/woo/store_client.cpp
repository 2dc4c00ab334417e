#include "core/woo/store_client.hpp"

#include <cstdlib>
#include <utility>

#include "core/transport/auth.hpp"
#include "core/woo/credential_hints.hpp"
#include "core/base/text.hpp"

namespace wcfdw {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

std::string first_non_space(const std::string& body) {
    for (char c : body)
        if (!is_space(c)) return std::string(1, c);
    return {};
}

// A short, single-line excerpt of a body for error details; tags removed so
// that an HTML page reads as its text.
std::string excerpt(const std::string& body) {
    std::string out;
    bool in_tag = false;
    for (char c : body) {
        if (c == '<') { in_tag = true; continue; }
        if (c == '>') { in_tag = false; out += ' '; continue; }
        if (in_tag) continue;
        if (is_space(c)) {
            if (!out.empty() && out.back() != ' ') out += ' ';
            continue;
        }
        // Stop at 160 bytes, but never inside a UTF-8 sequence.
        if (out.size() >= 160 && (static_cast<unsigned char>(c) & 0xC0) != 0x80) { out += "..."; break; }
        out += c;
    }
    while (!out.empty() && out.front() == ' ') out.erase(out.begin());
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

std::string strip_final_period(std::string s) {
    while (!s.empty() && (s.back() == '.' || s.back() == ' ')) s.pop_back();
    return s;
}

void append_utf8(std::string& out, unsigned long cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

struct NamedEntity {
    const char* name;
    unsigned long code_point;
};
// The entities WordPress's esc_html and wptexturize produce in names.
const NamedEntity kEntities[] = {
    {"amp", '&'},      {"lt", '<'},        {"gt", '>'},        {"quot", '"'},      {"apos", '\''},
    {"nbsp", 0xA0},    {"ndash", 0x2013},  {"mdash", 0x2014},  {"hellip", 0x2026}, {"lsquo", 0x2018},
    {"rsquo", 0x2019}, {"ldquo", 0x201C},  {"rdquo", 0x201D},  {"euro", 0x20AC},   {"copy", 0xA9},
    {"reg", 0xAE},     {"trade", 0x2122},  {"times", 0xD7},    {"prime", 0x2032},  {"Prime", 0x2033},
};

}  // namespace

std::string decode_html_entities(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '&') { out += text[i]; continue; }
        const std::size_t semi = text.find(';', i + 1);
        if (semi == std::string::npos || semi - i > 10) { out += text[i]; continue; }
        const std::string name = text.substr(i + 1, semi - i - 1);
        unsigned long cp = 0;
        bool ok = false;
        if (name.size() > 1 && name[0] == '#') {
            const bool hex = name[1] == 'x' || name[1] == 'X';
            const std::string digits = name.substr(hex ? 2 : 1);
            char* end = nullptr;
            if (!digits.empty()) {
                cp = std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
                ok = end && *end == '\0' && cp > 0 && cp <= 0x10FFFF;
            }
        } else {
            for (const auto& e : kEntities)
                if (name == e.name) { cp = e.code_point; ok = true; break; }
        }
        if (!ok) { out += text[i]; continue; }
        append_utf8(out, cp);
        i = semi;
    }
    return out;
}

nlohmann::json parse_json_body(const HttpResponse& response, const std::string& request_description) {
    const std::string content_type = ascii_lower(response.header("content-type"));
    const std::string first = first_non_space(response.body);
    if (first.empty()) return nullptr;
    const bool says_json = content_type.find("json") != std::string::npos;
    auto invalid = [&](const std::string& message, const std::string& where, const std::string& hint) {
        WooError err(ErrorKind::InvalidResponse, message,
                     "Request: " + request_description + "\nHTTP status " + std::to_string(response.status) +
                         ", Content-Type \"" + content_type + "\", " + std::to_string(response.body.size()) +
                         " bytes" + where + ": \"" + excerpt(response.body) + "\"",
                     hint);
        err.http_status = static_cast<int>(response.status);
        return err;
    };
    if (!says_json && (first == "<" || content_type.find("text/html") != std::string::npos))
        throw invalid("store returned an HTML page where JSON was expected", "",
                      "Check that the url is the WordPress site address, that api_prefix (default \"wp-json\") is "
                      "right, that WooCommerce is active and that pretty permalinks are enabled; a security plugin, "
                      "cache or maintenance page can also answer with HTML.");
    try {
        return nlohmann::json::parse(response.body);
    } catch (const nlohmann::json::parse_error& e) {
        const std::string where = ", parse error at byte " + std::to_string(e.byte);
        if (first == "<")
            throw invalid("store returned invalid JSON: HTML output precedes it", where,
                          "A PHP warning or notice, or a plugin printing output, corrupts the store's answers: turn "
                          "off WP_DEBUG_DISPLAY and check the store's PHP error log.");
        // nlohmann reports the byte where parsing stopped: at the very end
        // of the body means the body stopped early rather than being garbage.
        if (e.byte >= response.body.size())
            throw invalid("store returned a truncated JSON body", where,
                          "The answer ended early; retry, and if it repeats check the store's PHP memory and "
                          "execution time limits or a proxy in between.");
        throw invalid("store returned invalid JSON", where,
                      "A plugin printing output or a proxy rewriting answers often causes this; check the store's "
                      "PHP error log.");
    }
}

namespace {

// A 401 that is not about which key or secret (credential_hints): OAuth's
// own complaints, or nothing known.
std::string other_401_hint(const std::string& message) {
    if (message.find("signature") != std::string::npos)
        return "The OAuth signature was rejected: check the consumer secret, and that the url matches the site's "
               "own address exactly (scheme, www, port).";
    if (message.find("timestamp") != std::string::npos)
        return "The store rejected the OAuth timestamp: the database server's clock differs from the store's by "
               "more than 15 minutes; synchronise it (NTP).";
    if (message.find("nonce") != std::string::npos) return "The store saw this OAuth nonce before; retry the statement.";
    return check_keys_hint(CredentialSource{});
}

}  // namespace

WooError error_from_response(const HttpResponse& response, const nlohmann::json& body,
                             const std::string& request_description) {
    const int status = static_cast<int>(response.status);
    std::string code;
    std::string message;
    std::int64_t resource_id = 0;
    if (body.is_object()) {
        if (body.contains("code") && body["code"].is_string()) code = body["code"].get<std::string>();
        if (body.contains("message") && body["message"].is_string())
            message = decode_html_entities(body["message"].get<std::string>());
        if (body.contains("data") && body["data"].is_object()) {
            const auto& data = body["data"];
            if (data.contains("resource_id") && data["resource_id"].is_number_integer())
                resource_id = data["resource_id"].get<std::int64_t>();
        }
    }

    ErrorKind kind = ErrorKind::RemoteRejected;
    std::string hint;
    const bool permission_message = message.find("does not have read permissions") != std::string::npos ||
                                    message.find("does not have write permissions") != std::string::npos;
    if (status == 401 && permission_message) {
        kind = ErrorKind::Permission;
        hint = "The API key's permission is too narrow: create a key with Read/Write permission under WooCommerce > "
               "Settings > Advanced > REST API.";
    } else if (status == 401 && code == "woocommerce_rest_cannot_view") {
        kind = ErrorKind::Auth;
        hint = "No credentials reached WooCommerce. Over https the web server often strips the Authorization header: "
               "set the server option auth 'query_string', or pass the header through to PHP. Over plain http only "
               "OAuth 1.0a works (auth 'oauth1').";
    } else if (status == 401) {
        kind = ErrorKind::Auth;
        // A wrong key or secret: the fix in a user mapping (connection_test
        // words it for its own forms).
        hint = credential_hint(message, CredentialSource{});
        if (hint.empty()) hint = other_401_hint(message);
    } else if (status == 403) {
        kind = ErrorKind::Permission;
        hint = "The WordPress user that owns the API key lacks the capability for this; use a key of a Shop Manager "
               "or Administrator.";
    } else if (status == 404) {
        kind = ErrorKind::NotFound;
        if (code == "rest_no_route")
            hint = "WordPress answered but has no such route: check that WooCommerce is active and that api_version "
                   "(default \"wc/v3\") is right.";
    } else if (code == "product_invalid_sku" || code == "term_exists" || code == "product_invalid_global_unique_id") {
        kind = ErrorKind::Conflict;
        if (resource_id != 0)
            hint = "The store object " + std::to_string(resource_id) + " already owns this value.";
    } else if (status == 413) {
        kind = ErrorKind::RemoteRejected;
        hint = "WooCommerce accepts at most 100 items per batch request.";
    } else if (status == 429) {
        kind = ErrorKind::RateLimited;
        hint = "The store kept rate-limiting after all retries: lower the server option concurrency or raise "
               "max_retries.";
    } else if (status >= 500) {
        kind = ErrorKind::RemoteUnavailable;
        hint = "The store failed on its side; check its PHP error log, or retry later.";
    }

    std::string msg = "store answered HTTP " + std::to_string(status);
    if (!code.empty()) msg += " (" + code + ")";
    if (!message.empty()) msg += ": " + strip_final_period(message);
    std::string detail = "Request: " + request_description;
    if (message.empty() && !response.body.empty()) detail += "\nBody: \"" + excerpt(response.body) + "\"";
    if (response.retries > 0) detail += "\nRetries: " + std::to_string(response.retries);

    WooError err(kind, msg, detail, hint);
    err.http_status = status;
    err.woo_code = code;
    err.resource_id = resource_id;
    err.retries = response.retries;
    return err;
}

StoreClient::StoreClient(StoreConfig config)
    : config_(std::move(config)),
      http_(config_.transport),
      signer_(make_signer(config_.auth, config_.credentials, config_.signature_method)) {
    http_.set_signer(signer_);
}

std::string StoreClient::endpoint_url(const std::string& path) const {
    std::string url = config_.url + "/" + config_.api_prefix;
    if (!config_.api_version.empty()) url += "/" + config_.api_version;
    if (!path.empty()) url += "/" + path;
    return url;
}

HttpRequest StoreClient::make_request(HttpMethod method, const std::string& path, std::vector<QueryParam> query,
                                      const nlohmann::json* body) const {
    HttpRequest request;
    request.method = method;
    request.url = endpoint_url(path);
    request.query = std::move(query);
    if (body) request.body = body->dump();
    return request;
}

std::string StoreClient::describe(const HttpRequest& request) const {
    return std::string(http_method_name(request.method)) + " " + redacted_url(request, signer_->secrets());
}

namespace {

// Parses the body and raises for an error status. A 5xx or 429 whose body
// is not JSON (nginx's HTML page) is reported by its status, not as a
// protocol problem: the store is overloaded or down, not misconfigured.
void interpret(StoreResponse& out, const std::string& description) {
    if (out.http.status >= 500 || out.http.status == 429) {
        try {
            out.body = parse_json_body(out.http, description);
        } catch (const WooError&) {
            out.body = nullptr;
        }
        throw error_from_response(out.http, out.body, description);
    }
    out.body = parse_json_body(out.http, description);
}

}  // namespace

StoreResponse StoreClient::send(const HttpRequest& request) {
    StoreResponse out;
    out.http = http_.perform(request);
    const std::string description = describe(request);
    interpret(out, description);
    if (out.http.status >= 400) throw error_from_response(out.http, out.body, description);
    return out;
}

std::vector<StoreResponse> StoreClient::send_all(const std::vector<HttpRequest>& requests, bool missing_ok) {
    std::vector<HttpResponse> answers = http_.perform_all(requests);
    std::vector<StoreResponse> out(answers.size());
    for (std::size_t i = 0; i < answers.size(); ++i) {
        out[i].http = std::move(answers[i]);
        const std::string description = describe(requests[i]);
        interpret(out[i], description);
        // rest_no_route is a wrong URL, not a missing object.
        if (out[i].http.status == 404 && missing_ok && out[i].body.is_object() &&
            out[i].body.value("code", std::string()) != "rest_no_route") {
            out[i].body = nullptr;
            continue;
        }
        if (out[i].http.status >= 400) throw error_from_response(out[i].http, out[i].body, description);
    }
    return out;
}

std::vector<StoreClient::Settled> StoreClient::send_all_settled(const std::vector<HttpRequest>& requests) {
    std::vector<HttpResponse> answers = http_.perform_all(requests);
    std::vector<Settled> out(answers.size());
    for (std::size_t i = 0; i < answers.size(); ++i) {
        out[i].response.http = std::move(answers[i]);
        const std::string description = describe(requests[i]);
        try {
            interpret(out[i].response, description);
            if (out[i].response.http.status >= 400)
                throw error_from_response(out[i].response.http, out[i].response.body, description);
        } catch (const WooError& e) {
            out[i].failed = true;
            out[i].error = e;
        }
    }
    return out;
}

StoreResponse StoreClient::get(const std::string& path, std::vector<QueryParam> query) {
    return send(make_request(HttpMethod::Get, path, std::move(query)));
}

}  // namespace wcfdw
