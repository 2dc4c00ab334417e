// The showcase part of the seed, made by the test store's own seeding code
// (seed_fixture.py) and read here: media, terms, attributes, the showcase
// products and variations, and the id counters they leave.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "catalog_model.hpp"

namespace benchstore {

struct Fixture {
    std::int64_t showcase_items = 0;   // top-level showcase products seeded (0..18)
    std::int64_t seed_sequence = 0;    // dates handed out so far (one minute each)
    std::int64_t ids_after_products = 0;  // post ids the seed hands out after the products (orders)
    std::int64_t next_post_id = kFirstPostId, next_term_id = 0, next_attr_id = 0, next_meta_id = 0;
    std::vector<Media> media;
    std::vector<Term> terms;
    std::vector<Attribute> attributes;
    std::vector<Post> posts;
    PriceFormat price_format;
    std::string weight_unit = "lbs", dimension_unit = "in";
};

Fixture parse_fixture(const std::string& json_text);

// Runs `python3 <script> --products N` and parses what it prints. Throws
// std::runtime_error when the script fails.
Fixture load_fixture(const std::string& script, std::int64_t products);

}  // namespace benchstore
