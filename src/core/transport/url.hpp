// URLs the way WooCommerce compares them. OAuth 1.0a signs the exact URL the
// site reports as its own, so a store URL has one canonical spelling, and
// every parameter is percent-encoded exactly as PHP's rawurlencode does.
#pragma once

#include <string>
#include <vector>

namespace wcfdw {

struct QueryParam {
    std::string name;
    std::string value;
};

// RFC 3986: every byte except A-Z a-z 0-9 - . _ ~ becomes %XX with upper-case
// hex digits (PHP rawurlencode; a space is %20, never '+').
std::string percent_encode(const std::string& text);

// "name=value&..." in the given order, names and values percent-encoded;
// empty when there are no parameters.
std::string build_query_string(const std::vector<QueryParam>& params);

// `url` followed by "?query" when there are parameters.
std::string url_with_query(const std::string& url, const std::vector<QueryParam>& params);

struct ParsedUrl {
    std::string scheme;        // "http" or "https", lower-cased
    bool has_userinfo = false; // "user:password@" before the host (never quoted in errors)
    std::string userinfo;
    std::string host;          // as written; an IPv6 literal keeps its brackets
    int port = 0;              // the explicit port, or the scheme's default
    bool explicit_port = false;
    std::string path;          // empty or starting with '/'
    bool has_query = false;
    std::string query;         // without '?'
    bool has_fragment = false;
    std::string fragment;      // without '#'
};

// Splits an absolute http:// or https:// URL. Throws WooError(InvalidArgument)
// with a hint for any other scheme, a missing host, a bad port, or spaces and
// control characters. Never quotes the userinfo part in a message.
ParsedUrl parse_url(const std::string& url);

// The canonical store URL: scheme and host lower-cased, the scheme's default
// port dropped (WordPress's home_url never carries it, and OAuth signs it),
// trailing slashes removed. Rejects credentials (user:password@), query
// strings and fragments with WooError(InvalidArgument) and a hint.
std::string normalise_store_url(const std::string& url);

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
