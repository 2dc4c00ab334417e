#include "core/woo/pagination.hpp"

#include "core/base/text.hpp"
#include "core/base/woo_error.hpp"

namespace wcfdw {

namespace {

WooError bad_headers(const std::string& message, const std::string& request_description) {
    return WooError(ErrorKind::InvalidResponse, message, "Request: " + request_description,
                    "WooCommerce sends X-WP-Total and X-WP-TotalPages as counts of the list's objects and pages; a "
                    "plugin, cache or proxy between PostgreSQL and the store is changing them.");
}

std::optional<std::int64_t> read_count(const HttpResponse& response, const char* name,
                                       const std::string& request_description) {
    const std::string value = response.header(ascii_lower(name));
    if (value.empty()) return std::nullopt;
    bool digits = value.size() <= 13;
    for (const char c : value) digits = digits && is_ascii_digit(c);
    std::int64_t n = 0;
    if (digits)
        for (const char c : value) n = n * 10 + (c - '0');
    if (!digits || n > kMaxListTotal) {
        std::string shown = sanitize_utf8(value);
        if (shown.size() > 40) shown = shown.substr(0, 37) + "...";
        throw bad_headers(std::string("the store's ") + name + " header is not a count: \"" + shown + "\"",
                          request_description);
    }
    return n;
}

}  // namespace

PageHeaders read_page_headers(const HttpResponse& response, const std::string& request_description) {
    PageHeaders h;
    h.total = read_count(response, "X-WP-Total", request_description);
    h.total_pages = read_count(response, "X-WP-TotalPages", request_description);
    if (h.total && h.total_pages) {
        const std::int64_t total = *h.total;
        const std::int64_t pages = *h.total_pages;
        if (pages > (total > 0 ? total : 1) || (total > 0 && pages == 0))
            throw bad_headers("the store's pagination headers disagree: X-WP-TotalPages " + std::to_string(pages) +
                                  " for X-WP-Total " + std::to_string(total),
                              request_description);
    }
    return h;
}

}  // namespace wcfdw
