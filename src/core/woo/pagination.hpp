// WooCommerce's pagination headers, checked before a scan trusts them.
// X-WP-Total counts the objects, X-WP-TotalPages the pages of per_page
// objects; a store (or a proxy) that sends something else must not make a
// scan plan two billion requests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/transport/http_client.hpp"

namespace wcfdw {

// No store holds more objects; a larger X-WP-Total is a broken answer.
constexpr std::int64_t kMaxListTotal = 1000000000000LL;

struct PageHeaders {
    std::optional<std::int64_t> total;        // X-WP-Total
    std::optional<std::int64_t> total_pages;  // X-WP-TotalPages
};

// Absent headers are nullopt. A present one must be decimal digits within
// kMaxListTotal, and the pair must agree: every page but the last holds
// objects, so there are never more pages than objects (one empty page for
// an empty list). Anything else throws InvalidResponse naming the header.
PageHeaders read_page_headers(const HttpResponse& response, const std::string& request_description);

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
