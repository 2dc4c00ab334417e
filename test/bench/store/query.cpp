#include "query.hpp"

#include <cctype>

namespace benchstore {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

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
