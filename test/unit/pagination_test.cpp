// read_page_headers: X-WP-Total and X-WP-TotalPages are counts that agree,
// or the answer is refused before a scan plans anything from them.
#include "core/woo/pagination.hpp"

#include <gtest/gtest.h>

#include "core/base/woo_error.hpp"

namespace wcfdw {
namespace {

HttpResponse with(const char* total, const char* pages) {
    HttpResponse r;
    r.status = 200;
    if (total) r.headers["x-wp-total"] = total;
    if (pages) r.headers["x-wp-totalpages"] = pages;
    return r;
}

bool refused(const char* total, const char* pages) {
    try {
        read_page_headers(with(total, pages), "GET x");
    } catch (const WooError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidResponse);
        EXPECT_NE(std::string(e.what()).find("X-WP-"), std::string::npos) << e.what();
        return true;
    }
    return false;
}

TEST(Pagination, WooCommercesOwnHeadersAreRead) {
    const PageHeaders h = read_page_headers(with("250", "3"), "GET x");
    EXPECT_EQ(h.total, 250);
    EXPECT_EQ(h.total_pages, 3);
    EXPECT_EQ(read_page_headers(with("0", "0"), "GET x").total_pages, 0);
    EXPECT_EQ(read_page_headers(with("0", "1"), "GET x").total_pages, 1);
    EXPECT_FALSE(read_page_headers(with(nullptr, nullptr), "GET x").total);
    EXPECT_EQ(read_page_headers(with(nullptr, "7"), "GET x").total_pages, 7);
}

TEST(Pagination, WhatIsNotACountIsRefused) {
    EXPECT_TRUE(refused("-1", nullptr));
    EXPECT_TRUE(refused("12abc", nullptr));
    EXPECT_TRUE(refused(nullptr, "1e9"));
    EXPECT_TRUE(refused(nullptr, "99999999999999999999"));
    EXPECT_TRUE(refused("1000000000001", nullptr));
    EXPECT_TRUE(refused(nullptr, " 3"));
}

TEST(Pagination, MorePagesThanObjectsIsRefused) {
    EXPECT_TRUE(refused("5", "2000000000"));
    EXPECT_TRUE(refused("0", "2"));
    EXPECT_TRUE(refused("10", "0"));
    EXPECT_FALSE(refused("2000000000", "2000000000"));  // one object per page: absurd but consistent
}

}  // namespace
}  // namespace wcfdw
