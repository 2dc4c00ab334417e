// The bulk products of the seed ("Bulk catalog item k", woostore_lib/seed.py
// seed_bulk()). A million of them must fit: the catalogue keeps only what the
// random generator drew for each (BulkDraws) and builds the Post when asked.
#pragma once

#include <cstdint>
#include <vector>

#include "catalog_model.hpp"

namespace benchstore {

struct BulkDraws {
    std::int32_t k = 0;            // bulk number, 1-based
    std::int32_t cents = 0;        // regular price in cents
    std::int32_t sale_cents = -1;  // sale price in cents, -1: none
    std::int32_t stock = -1;       // managed stock quantity, -1: not managed
};

// What seed_bulk() draws for products 1..count, in order, from Random(seed).
std::vector<BulkDraws> draw_bulk(std::int64_t count, std::uint64_t seed);

// Bulk product k as seeded: id, and the seed sequence number giving its date.
Post bulk_post(const BulkDraws& draws, std::int64_t id, std::int64_t sequence);

// Its categories and tags, without building the Post (for the indexes).
std::int64_t bulk_category(std::int64_t k);
std::int64_t bulk_tag(std::int64_t k);  // 0: none

// 2025-03-03 09:00:00 UTC, the seed's base date; each seeded product one minute later.
Time seed_base();

}  // namespace benchstore
