#include "bulk_seed.hpp"

#include <algorithm>
#include <cstdio>

#include "python_random.hpp"
#include "wp_text.hpp"

namespace benchstore {
namespace {

constexpr std::int64_t kBulkCategories[] = {19, 21, 22, 17, 18, 20, 16};
constexpr const char* kAdjectives[] = {"Classic", "Modern", "Rustic", "Compact", "Deluxe",
                                       "Eco", "Vintage", "Smart", "Soft", "Bold"};
constexpr const char* kNouns[] = {"Mug", "Lamp", "Chair", "Scarf", "Notebook",
                                  "Bottle", "Basket", "Blanket", "Clock", "Vase"};

std::string cents_text(std::int64_t cents) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(cents / 100),
                  static_cast<long long>(cents % 100));
    return buf;
}

std::string raw_name(std::int64_t k) {
    std::string name = "Bulk catalog item " + std::to_string(k);
    if (k % 3 == 0)
        name = std::string(kAdjectives[k % 10]) + " " + kNouns[(k / 10) % 10] + " " + std::to_string(k);
    if (k % 25 == 0) name += " & More";
    return name;
}

}  // namespace

Time seed_base() { return time_from_civil(2025, 3, 3, 9, 0, 0); }

std::vector<BulkDraws> draw_bulk(std::int64_t count, std::uint64_t seed) {
    PythonRandom rng(seed);
    std::vector<BulkDraws> out;
    out.reserve(static_cast<std::size_t>(std::max<std::int64_t>(count, 0)));
    for (std::int64_t k = 1; k <= count; ++k) {
        BulkDraws d;
        d.k = static_cast<std::int32_t>(k);
        d.cents = 199 + static_cast<std::int32_t>(rng.randrange(9800));
        if (k % 7 == 0) d.sale_cents = std::max(99, d.cents - 100 - static_cast<std::int32_t>(rng.randrange(500)));
        if (k % 13 == 0) d.stock = static_cast<std::int32_t>(rng.randrange(60));
        out.push_back(d);
    }
    return out;
}

std::int64_t bulk_category(std::int64_t k) { return kBulkCategories[k % 7]; }
std::int64_t bulk_tag(std::int64_t k) { return k % 4 == 0 ? 23 + (k / 4) % 5 : 0; }

Post bulk_post(const BulkDraws& d, std::int64_t id, std::int64_t sequence) {
    const std::int64_t k = d.k;
    const Time created = seed_base() + sequence * 60;
    Post p = blank_post(id, false, created);
    p.date_modified = k % 5 == 0 ? created + 86400 : created;
    const std::string name = raw_name(k);
    p.name = kses_normalize(name);
    p.slug = sanitize_title(name);
    if (k % 10 != 0) {
        char sku[32];
        std::snprintf(sku, sizeof sku, "BULK-%05lld", static_cast<long long>(k));
        p.sku = sku;
    }
    p.regular_price = cents_text(d.cents);
    if (d.sale_cents >= 0) p.sale_price = cents_text(d.sale_cents);
    p.categories = {bulk_category(k)};
    if (const std::int64_t tag = bulk_tag(k)) p.tags = {tag};
    if (d.stock >= 0) {
        p.manage_stock = true;
        p.stock_quantity = d.stock;
        p.stock_status = d.stock > 0 ? "instock" : "outofstock";
    } else if (k % 17 == 0) {
        p.stock_status = "outofstock";
    }
    p.featured = k % 11 == 0;
    p.weight = format_2f(0.1 + static_cast<double>(k % 50) / 10.0);
    p.description = "<p>Bulk seeded product number " + std::to_string(k) + ".</p>";
    p.total_sales = (k * 37) % 101;
    if (k % 9 == 0) {
        p.average_rating = format_2f(1 + static_cast<double>(k % 40) / 10.0);
        p.rating_count = 1 + k % 7;
    }
    if (k % 50 == 0) p.images = {8};
    return p;
}

}  // namespace benchstore
