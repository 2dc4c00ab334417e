#include "core/transport/url.hpp"

#include "core/base/text.hpp"
#include "core/base/woo_error.hpp"

namespace wcfdw {
namespace {

constexpr const char* kUrlExample = "Write the store's address as WordPress shows it under Settings > General, e.g. "
                                    "https://shop.example.com or https://example.com/shop.";

// Not std::isalnum: the backend runs under the database's LC_CTYPE, where a
// Latin-1 locale would call 0xE9 a letter and leave it unencoded.
bool is_unreserved(char c) {
    return is_ascii_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

WooError bad_url(const std::string& what, const std::string& hint = kUrlExample) {
    return WooError(ErrorKind::InvalidArgument, "invalid store URL: " + what, {}, hint);
}

int default_port(const std::string& scheme) {
    return scheme == "https" ? 443 : 80;
}

}  // namespace

std::string percent_encode(const std::string& text) {
    static const char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() * 3);
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (is_unreserved(ch)) {
            out += ch;
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0x0F];
        }
    }
    return out;
}

std::string build_query_string(const std::vector<QueryParam>& params) {
    std::string out;
    for (const auto& p : params) {
        if (!out.empty()) out += '&';
        out += percent_encode(p.name);
        out += '=';
        out += percent_encode(p.value);
    }
    return out;
}

std::string url_with_query(const std::string& url, const std::vector<QueryParam>& params) {
    if (params.empty()) return url;
    return url + "?" + build_query_string(params);
}

ParsedUrl parse_url(const std::string& url) {
    for (const char ch : url) {
        const auto c = static_cast<unsigned char>(ch);
        if (c <= 0x20 || c == 0x7F)
            throw bad_url("it contains spaces or control characters",
                          "Percent-encode spaces in the path (%20) and remove surrounding blanks.");
    }
    ParsedUrl parsed;
    const std::size_t colon = url.find(':');
    if (colon == std::string::npos || colon == 0 || url.compare(colon, 3, "://") != 0)
        throw bad_url("it does not start with http:// or https://", kUrlExample);
    parsed.scheme = ascii_lower(url.substr(0, colon));
    if (parsed.scheme != "http" && parsed.scheme != "https")
        throw bad_url("unsupported scheme \"" + parsed.scheme + "\"",
                      "Only https:// (Basic or query-string keys) and http:// (OAuth 1.0a) stores are supported.");

    const std::size_t authority_start = colon + 3;
    const std::size_t authority_end = url.find_first_of("/?#", authority_start);
    std::string authority = url.substr(authority_start, authority_end == std::string::npos
                                                            ? std::string::npos
                                                            : authority_end - authority_start);
    const std::size_t at = authority.rfind('@');
    if (at != std::string::npos) {
        parsed.has_userinfo = true;
        parsed.userinfo = authority.substr(0, at);
        authority.erase(0, at + 1);
    }

    // An IPv6 literal carries colons of its own, so the port follows the ']'.
    std::size_t port_colon = std::string::npos;
    if (!authority.empty() && authority.front() == '[') {
        const std::size_t close = authority.find(']');
        if (close == std::string::npos) throw bad_url("unterminated IPv6 address");
        if (close + 1 < authority.size()) {
            if (authority[close + 1] != ':') throw bad_url("unexpected text after the IPv6 address");
            port_colon = close + 1;
        }
    } else {
        port_colon = authority.find(':');
    }
    parsed.host = authority.substr(0, port_colon);
    if (parsed.host.empty() || parsed.host == "[]") throw bad_url("it has no host name");
    parsed.port = default_port(parsed.scheme);
    if (port_colon != std::string::npos) {
        const std::string port = authority.substr(port_colon + 1);
        bool digits = !port.empty() && port.size() <= 5;
        for (const char c : port) digits = digits && is_ascii_digit(c);
        const long value = digits ? std::stol(port) : 0;
        // Only a number is quoted: in "https://user:secret/..." the text after
        // the colon would be a password.
        if (!digits || value < 1 || value > 65535)
            throw bad_url(digits ? "invalid port " + port : std::string("the port is not a number"),
                          "A port is a number from 1 to 65535.");
        parsed.port = static_cast<int>(value);
        parsed.explicit_port = true;
    }

    if (authority_end == std::string::npos) return parsed;
    std::string rest = url.substr(authority_end);
    const std::size_t hash = rest.find('#');
    if (hash != std::string::npos) {
        parsed.has_fragment = true;
        parsed.fragment = rest.substr(hash + 1);
        rest.erase(hash);
    }
    const std::size_t question = rest.find('?');
    if (question != std::string::npos) {
        parsed.has_query = true;
        parsed.query = rest.substr(question + 1);
        rest.erase(question);
    }
    parsed.path = rest;
    return parsed;
}

std::string normalise_store_url(const std::string& url) {
    const std::string trimmed = trim_ascii_space(url);
    if (trimmed.empty()) throw bad_url("it is empty");

    // parse_url never quotes the userinfo, so a password typed into the URL
    // does not end up in a message.
    const ParsedUrl parsed = parse_url(trimmed);
    if (parsed.has_userinfo)
        throw bad_url("it contains credentials (user:password@)",
                      "Remove them from the URL; put the API keys in a user mapping: CREATE USER MAPPING ... "
                      "OPTIONS (consumer_key '...', consumer_secret '...').");
    if (parsed.has_query)
        throw bad_url("it contains a query string",
                      "Give only the site address; the extension adds /wp-json/wc/v3/... and its parameters itself.");
    if (parsed.has_fragment) throw bad_url("it contains a fragment (#...)", "Remove the '#' and what follows.");

    std::string path = parsed.path;
    while (!path.empty() && path.back() == '/') path.pop_back();
    std::string out = parsed.scheme + "://" + ascii_lower(parsed.host);
    if (parsed.explicit_port && parsed.port != default_port(parsed.scheme)) out += ":" + std::to_string(parsed.port);
    return out + path;
}

}  // namespace wcfdw
