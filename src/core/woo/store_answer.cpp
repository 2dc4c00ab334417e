#include "core/woo/store_answer.hpp"

#include <cstdlib>
#include <utility>

#include "core/base/text.hpp"
#include "core/woo/credential_hints.hpp"

namespace wcfdw {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

// The first byte that is not white space, or -1 for an empty or blank body
// (a body may well start with a NUL byte).
int first_non_space(const std::string& body) {
    for (char c : body)
        if (!is_space(c)) return static_cast<unsigned char>(c);
    return -1;
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

// How a body that is not usable JSON looks, for messages.
enum class BodyLook { Empty, Html, Other };

BodyLook look_of(const HttpResponse& response) {
    const int first = first_non_space(response.body);
    if (first < 0) return BodyLook::Empty;
    const std::string content_type = ascii_lower(response.header("content-type"));
    if (first == '<' || content_type.find("text/html") != std::string::npos) return BodyLook::Html;
    return BodyLook::Other;
}

std::string status_text(const HttpResponse& response) { return "store answered HTTP " + std::to_string(response.status); }

std::string body_facts(const HttpResponse& response, const std::string& request_description) {
    return "Request: " + request_description + "\nHTTP status " + std::to_string(response.status) +
           ", Content-Type \"" + sanitize_utf8(response.header("content-type")).substr(0, 80) + "\", " +
           std::to_string(response.body.size()) + " bytes";
}

WooError invalid_body(const HttpResponse& response, const std::string& message, const std::string& detail,
                      const std::string& hint) {
    WooError err(ErrorKind::InvalidResponse, message, detail, hint);
    err.http_status = static_cast<int>(response.status);
    err.retries = response.retries;
    return err;
}

const char kHtmlHint[] =
    "Check that the url is the WordPress site address, that api_prefix (default \"wp-json\") is right, that "
    "WooCommerce is active and that pretty permalinks are enabled; a security plugin, cache or maintenance page can "
    "also answer with HTML.";

WooError redirect_error(const HttpResponse& response, const std::string& request_description,
                        const std::vector<std::string>& secrets) {
    std::string location = sanitize_utf8(redact_secrets(response.header("location"), secrets));
    if (location.size() > 200) location = location.substr(0, 197) + "...";
    std::string message = status_text(response);
    message += location.empty() ? " (a redirect without a Location)" : " (a redirect to " + location + ")";
    WooError err(ErrorKind::Redirected, message, "Request: " + request_description,
                 "Set the server option url to the store's own address (scheme, www and path as WordPress's Site "
                 "Address shows them): woocommerce_fdw does not follow redirects, which would drop the credentials.");
    err.http_status = static_cast<int>(response.status);
    return err;
}

// Reads a 2xx body that must be JSON.
JsonDocument read_success_body(const HttpResponse& response, const std::string& request_description) {
    const BodyLook look = look_of(response);
    const std::string facts = body_facts(response, request_description);
    if (look == BodyLook::Empty)
        throw invalid_body(response, status_text(response) + " with an empty body where JSON was expected", facts,
                           "WooCommerce always answers with JSON; a proxy, cache or security plugin in between may "
                           "be swallowing the answer.");
    const bool says_json = ascii_lower(response.header("content-type")).find("json") != std::string::npos;
    if (look == BodyLook::Html && !says_json)
        throw invalid_body(response, status_text(response) + " with an HTML page where JSON was expected",
                           facts + ": \"" + body_excerpt(response.body) + "\"", kHtmlHint);
    try {
        return read_json(response.body);
    } catch (const JsonReadError& e) {
        const std::string where = facts + ", stopped at byte " + std::to_string(e.byte()) + " (" +
                                  sanitize_utf8(e.what()).substr(0, 200) + "): \"" + body_excerpt(response.body) +
                                  "\"";
        switch (e.problem()) {
        case JsonReadError::Problem::TooDeep:
            throw invalid_body(response,
                               status_text(response) + " with JSON nested deeper than " +
                                   std::to_string(kMaxJsonDepth) + " levels",
                               where, "A plugin stores deeply nested meta data; woocommerce_fdw refuses such answers "
                                      "to protect the database server. Exclude the member with the column option "
                                      "field or ask for fewer members.");
        case JsonReadError::Problem::DuplicateKey:
            throw invalid_body(response, status_text(response) + " with JSON in which " + e.what(), where,
                               "WooCommerce never sends a member twice: something between PostgreSQL and the store "
                               "rewrites its answers.");
        case JsonReadError::Problem::Truncated:
            throw invalid_body(response, status_text(response) + " with a truncated JSON body", where,
                               "The answer ended early; retry, and if it repeats check the store's PHP memory and "
                               "execution time limits or a proxy in between.");
        case JsonReadError::Problem::Syntax:
            break;
        }
        if (look == BodyLook::Html)
            throw invalid_body(response, status_text(response) + " with invalid JSON: HTML output precedes it", where,
                               "A PHP warning or notice, or a plugin printing output, corrupts the store's answers: "
                               "turn off WP_DEBUG_DISPLAY and check the store's PHP error log.");
        throw invalid_body(response, status_text(response) + " with invalid JSON", where,
                           "A plugin printing output (a PHP warning after the JSON, say) or a proxy rewriting answers "
                           "often causes this; check the store's PHP error log.");
    }
}

}  // namespace

std::string body_excerpt(const std::string& body) {
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
    return sanitize_utf8(out);
}

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
            if (!digits.empty() && digits.size() <= 8) {
                cp = std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
                // No surrogates: they are not characters, and not valid UTF-8.
                ok = end && *end == '\0' && cp > 0 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
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

WooError redacted(const WooError& error, const std::vector<std::string>& secrets) {
    if (secrets.empty()) return error;
    WooError out(error.kind(), redact_secrets(error.what(), secrets), redact_secrets(error.detail(), secrets),
                 redact_secrets(error.hint(), secrets));
    out.http_status = error.http_status;
    out.woo_code = redact_secrets(error.woo_code, secrets);
    out.resource_id = error.resource_id;
    out.retries = error.retries;
    return out;
}

JsonDocument parse_json_document(const HttpResponse& response, const std::string& request_description,
                                 const std::vector<std::string>& secrets) {
    if (response.status < 200 || (response.status >= 300 && response.status < 400))
        throw redirect_error(response, request_description, secrets);
    if (response.status < 300) {
        try {
            return read_success_body(response, request_description);
        } catch (const WooError& e) {
            throw redacted(e, secrets);
        }
    }
    // An error status: its JSON body says why; anything else is reported by
    // the status (an overloaded store's HTML page is not a protocol problem).
    if (look_of(response) == BodyLook::Empty) return {};
    try {
        JsonDocument doc = read_json(response.body);
        if (doc.value.is_object()) return doc;
    } catch (const JsonReadError&) {
    }
    throw error_from_response(response, nullptr, request_description, secrets);
}

nlohmann::json parse_json_body(const HttpResponse& response, const std::string& request_description,
                               const std::vector<std::string>& secrets) {
    JsonDocument doc = parse_json_document(response, request_description, secrets);
    if (!doc.unrepresentable.empty())
        throw unrepresentable_number_error(doc.unrepresentable.front(), "the answer", request_description);
    return std::move(doc.value);
}

WooError unrepresentable_number_error(const UnrepresentableNumber& number, const std::string& where,
                                      const std::string& request_description) {
    const std::string path = json_path_text(number.path);
    return WooError(ErrorKind::OutOfRange,
                    "the store sent the number " + sanitize_utf8(number.text) + " in " + where +
                        ", which is out of range",
                    "Member: " + sanitize_utf8(path) + "\nRequest: " + request_description,
                    "Numbers beyond a double's range or integers beyond 64 bits cannot be read exactly; correct the "
                    "value in the store.");
}

namespace {

std::string rate_limit_hint(const HttpResponse& response) {
    const std::string wait = std::to_string((response.retry_wait_ms + 999) / 1000) + " s";
    switch (response.retry_end) {
    case HttpResponse::RetryEnd::PastDeadline:
        return "The store asked to wait " + wait + " (Retry-After), which would end after the statement's "
               "statement_timeout, so no retry was made. Run the statement again later, or raise statement_timeout.";
    case HttpResponse::RetryEnd::WaitTooLong:
        return "The store asked to wait " + wait + " (Retry-After); woocommerce_fdw waits at most 10 s between "
               "attempts, so no retry was made. Run the statement again later.";
    default:
        break;
    }
    if (response.retries == 0)
        return "No retry was made (the server option max_retries is 0): raise max_retries to let woocommerce_fdw "
               "wait and try again.";
    return "The store kept rate-limiting through " + std::to_string(response.retries) +
           " retries: lower the server option concurrency or raise max_retries.";
}

std::string unavailable_hint(const HttpResponse& response) {
    const long status = response.status;
    const bool retryable = status == 502 || status == 503 || status == 504;
    if (!retryable) return "The store failed on its side; check its PHP error log, or retry later.";
    switch (response.retry_end) {
    case HttpResponse::RetryEnd::NotResent:
        return "The request was not sent again because it may have been processed (a create); check the store "
               "before running it again.";
    case HttpResponse::RetryEnd::PastDeadline:
        return "No retry was made: the next attempt would start after the statement's statement_timeout. Run the "
               "statement again later, or raise statement_timeout.";
    case HttpResponse::RetryEnd::WaitTooLong:
        return rate_limit_hint(response);
    default:
        break;
    }
    if (response.retries == 0)
        return "No retry was made (the server option max_retries is 0); check the store's PHP error log, or raise "
               "max_retries.";
    return "The store kept failing through " + std::to_string(response.retries) +
           " retries; check its PHP error log, or retry later.";
}

}  // namespace

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
                             const std::string& request_description, const std::vector<std::string>& secrets) {
    const int status = static_cast<int>(response.status);
    std::string code;
    std::string message;
    std::int64_t resource_id = 0;
    if (body.is_object()) {
        if (body.contains("code") && body["code"].is_string()) code = sanitize_utf8(body["code"].get<std::string>());
        if (body.contains("message") && body["message"].is_string())
            message = sanitize_utf8(decode_html_entities(body["message"].get<std::string>()));
        if (body.contains("data") && body["data"].is_object()) {
            const auto& data = body["data"];
            if (data.contains("resource_id") && data["resource_id"].is_number_integer())
                resource_id = data["resource_id"].get<std::int64_t>();
        }
    }
    if (message.size() > 300) message = message.substr(0, 297) + "...";

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
        if (code == "rest_no_route" || (!body.is_object() && look_of(response) == BodyLook::Html))
            hint = code == "rest_no_route" ? "WordPress answered but has no such route: check that WooCommerce is "
                                             "active and that api_version (default \"wc/v3\") is right."
                                           : kHtmlHint;
    } else if (code == "product_invalid_sku" || code == "term_exists" || code == "product_invalid_global_unique_id") {
        kind = ErrorKind::Conflict;
        if (resource_id != 0)
            hint = "The store object " + std::to_string(resource_id) + " already owns this value.";
    } else if (status == 413) {
        kind = ErrorKind::RemoteRejected;
        hint = "WooCommerce accepts at most 100 items per batch request.";
    } else if (status == 429) {
        kind = ErrorKind::RateLimited;
        hint = rate_limit_hint(response);
    } else if (status >= 500) {
        kind = ErrorKind::RemoteUnavailable;
        hint = unavailable_hint(response);
    }

    std::string msg = status_text(response);
    if (!code.empty()) msg += " (" + code + ")";
    if (!message.empty()) {
        msg += ": " + strip_final_period(message);
    } else if (!body.is_object()) {
        const BodyLook look = look_of(response);
        if (look == BodyLook::Html) msg += " with an HTML page";
        else if (look == BodyLook::Other) msg += " with a body that is not JSON";
    }
    std::string detail = "Request: " + request_description;
    if (message.empty() && !response.body.empty()) detail += "\nBody: \"" + body_excerpt(response.body) + "\"";
    if (response.retries > 0) detail += "\nRetries: " + std::to_string(response.retries);

    WooError err(kind, msg, detail, hint);
    err.http_status = status;
    err.woo_code = code;
    err.resource_id = resource_id;
    err.retries = response.retries;
    return redacted(err, secrets);
}

}  // namespace wcfdw
