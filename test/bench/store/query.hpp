// Query strings and URLs as WordPress and the test store see them:
// parse_qsl (keep blank values, '+' is a space), PHP's last-value-wins,
// urllib.parse.quote for the Link header, rawurlencode for OAuth.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace benchstore {

using QueryPairs = std::vector<std::pair<std::string, std::string>>;

std::string percent_decode(std::string_view text, bool plus_is_space);
QueryPairs parse_query(std::string_view query);
// urllib.parse.quote(text, safe=safe): letters, digits, "_.-~" and `safe` stay.
std::string quote(std::string_view text, std::string_view safe);
// The last value of `name` (PHP), or nullptr.
const std::string* query_value(const QueryPairs& pairs, std::string_view name);
// The URL WooCommerce puts in a prev/next Link for `page` of a request
// (wp_query_args.py page_link(): add_query_arg() over build_query() of the
// decoded parameters, as WordPress does it; a "+" in a value survives, a
// trailing "=" does not).
std::string page_link(const std::string& route_url, const QueryPairs& pairs, long long page);
// "a,b, c" -> {"a", "b", "c"} (wp_parse_list: split on commas and spaces).
std::vector<std::string> parse_list(std::string_view text);

}  // namespace benchstore
