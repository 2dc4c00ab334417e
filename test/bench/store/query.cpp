#include "query.hpp"

#include <algorithm>
#include <cctype>

namespace benchstore {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// $_GET: the last value wins, at the first occurrence's position.
QueryPairs last_wins(const QueryPairs& pairs) {
    QueryPairs out;
    for (const auto& [k, v] : pairs) {
        auto it = std::find_if(out.begin(), out.end(), [&](const auto& kv) { return kv.first == k; });
        if (it == out.end()) out.push_back({k, v});
        else it->second = v;
    }
    return out;
}

// build_query() without encoding; "=" before "&" or the end is dropped.
std::string build_query(const QueryPairs& params) {
    std::string joined;
    for (const auto& [k, v] : params) joined += (joined.empty() ? "" : "&") + k + "=" + v;
    std::string out;
    for (std::size_t i = 0; i < joined.size(); ++i)
        if (!(joined[i] == '=' && (i + 1 == joined.size() || joined[i + 1] == '&'))) out += joined[i];
    return out;
}

// PHP's urlencode(): like quote_plus with nothing safe, and "~" encoded.
std::string php_urlencode(std::string_view text) {
    std::string out;
    for (char c : quote(text, " ")) {
        if (c == ' ') out += '+';
        else out += c;
    }
    std::string tilde;
    for (char c : out) tilde += c == '~' ? std::string("%7E") : std::string(1, c);
    return tilde;
}

}  // namespace

std::string page_link(const std::string& route_url, const QueryPairs& pairs, long long page) {
    const std::string first = build_query(last_wins(pairs));
    // add_query_arg('page', N, ...): the query re-parsed (parse_str), every
    // value url-encoded, page set in place or appended.
    QueryPairs params = last_wins(parse_query(first));
    for (auto& kv : params) kv.second = php_urlencode(kv.second);
    auto it = std::find_if(params.begin(), params.end(), [](const auto& kv) { return kv.first == "page"; });
    if (it == params.end()) params.push_back({"page", std::to_string(page)});
    else it->second = std::to_string(page);
    return route_url + "?" + build_query(params);
}

std::string percent_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+' && plus_is_space) {
            out += ' ';
        } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

QueryPairs parse_query(std::string_view query) {
    QueryPairs pairs;
    std::size_t start = 0;
    while (start <= query.size()) {
        std::size_t end = query.find_first_of("&", start);
        if (end == std::string_view::npos) end = query.size();
        const std::string_view part = query.substr(start, end - start);
        if (!part.empty()) {
            const std::size_t eq = part.find('=');
            if (eq == std::string_view::npos) pairs.push_back({percent_decode(part, true), ""});
            else pairs.push_back({percent_decode(part.substr(0, eq), true), percent_decode(part.substr(eq + 1), true)});
        }
        start = end + 1;
    }
    return pairs;
}

std::string quote(std::string_view text, std::string_view safe) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (const char ch : text) {
        const unsigned char c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) || c == '_' || c == '.' || c == '-' || c == '~' || safe.find(ch) != std::string_view::npos) {
            out += ch;
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

const std::string* query_value(const QueryPairs& pairs, std::string_view name) {
    const std::string* found = nullptr;
    for (const auto& [k, v] : pairs)
        if (k == name) found = &v;
    return found;
}

std::vector<std::string> parse_list(std::string_view text) {
    std::vector<std::string> out;
    std::string cur;
    for (const char c : text) {
        if (c == ',' || std::isspace(static_cast<unsigned char>(c))) {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
}

}  // namespace benchstore
