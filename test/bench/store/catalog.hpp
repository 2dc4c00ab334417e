// The store's state: posts, media, terms, attributes, id counters, the site
// clock and timezone, and the indexes that let reads and writes avoid scans
// (published products per category and tag for related_ids, SKU owners and
// slug counts for writes, the listed products in id order).
//
// Concurrency: readers hold `lock` shared, writers exclusively; every write
// ends with touch(), which moves `version` on (the page cache is keyed by it).
// Bulk products never written stay BulkDraws and are built on demand, so a
// million of them cost 16 bytes each.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "bulk_seed.hpp"
#include "catalog_model.hpp"
#include "fixture.hpp"

namespace benchstore {

class Catalog {
public:
    Catalog();
    void reset(const Fixture& fixture, std::int64_t products, std::uint64_t seed);

    mutable std::shared_mutex lock;
    std::uint64_t version() const { return version_.load(); }
    void touch() { ++version_; }

    // Site clock and timezone (config "now", "timezone").
    Time now() const;
    std::optional<Time> frozen_now;
    SiteTimezone timezone{"Europe/Berlin"};

    // Posts. post() builds a bulk product into `scratch`; nullptr when absent.
    const Post* post(std::int64_t id, Post& scratch) const;
    const Post* product(std::int64_t id, Post& scratch) const;
    std::int64_t max_post_id() const { return kFirstPostId + static_cast<std::int64_t>(slots_.size()) - 1; }
    // Inserts or replaces, keeping the indexes in step (Store.put_post).
    void put_post(Post p);
    void remove_post(std::int64_t id);
    std::int64_t new_post_id();
    std::int64_t new_term_id() { return next_term_id_++; }
    std::int64_t new_meta_id() { return next_meta_id_++; }
    // What list filters look at, without building a bulk product.
    struct Brief {
        bool is_variation = false;
        std::string status, sku;
        Time date_created = 0, date_modified = 0;
    };
    std::optional<Brief> brief(std::int64_t id) const;
    bool is_variation_slot(std::int64_t id) const;

    // Products listed by GET /products without filters: every product that
    // is not in the trash, in id order.
    std::shared_ptr<const std::vector<std::int64_t>> listed_products() const;
    // All post ids in id order (filters scan them).
    template <typename F>
    void for_each_post_id(F f) const {
        for (std::size_t i = 0; i < slots_.size(); ++i)
            if (slots_[i].bulk >= 0 || slots_[i].post) f(kFirstPostId + static_cast<std::int64_t>(i));
    }

    // related_ids() of woostore_lib/state.py.
    std::vector<std::int64_t> related_ids(const Post& p) const;
    // {term id: published products using it} (categories, tags, attribute terms).
    std::map<std::int64_t, std::int64_t> term_counts() const;

    // SKU owners and slug counts, built at the first write.
    std::optional<std::int64_t> sku_owner(const std::string& sku);
    void reindex_sku(const Post& p, const std::string& old_sku);
    void forget_sku(const std::string& sku, std::int64_t owner);
    std::string unique_sku_suggestion(const std::string& sku);
    std::string unique_post_slug(const std::string& slug, std::int64_t exclude_id, bool variation);

    std::map<std::int64_t, Media> media;
    std::map<std::int64_t, Term> terms;
    std::map<std::int64_t, Attribute> attributes;
    std::int64_t next_attr_id = 1;
    std::int64_t seed_value = 0;
    PriceFormat price_format;
    std::string weight_unit = "lbs", dimension_unit = "in";

    const Term* term_by_name(const std::string& taxonomy, const std::string& name,
                             std::optional<std::int64_t> parent = std::nullopt) const;
    const Term* term_by_slug(const std::string& taxonomy, const std::string& slug) const;
    std::string unique_term_slug(const std::string& taxonomy, const std::string& slug) const;
    Term& add_term(const std::string& taxonomy, const std::string& name, const std::string& slug,
                   std::int64_t parent = 0);

private:
    struct Slot {
        std::int32_t bulk = -1;       // index into bulk_, or -1
        std::unique_ptr<Post> post;   // a post that is not (or no longer) a plain bulk product
    };
    Slot* slot(std::int64_t id);
    const Slot* slot(std::int64_t id) const;
    void index_related(const Post& p, bool add);
    void index_related_ids(std::int64_t id, const std::vector<std::int64_t>& categories,
                           const std::vector<std::int64_t>& tags, bool add);
    void build_write_indexes();

    std::vector<Slot> slots_;
    std::vector<BulkDraws> bulk_;
    std::int64_t bulk_first_id_ = 0, bulk_first_sequence_ = 0;
    std::int64_t next_post_id_ = kFirstPostId, next_term_id_ = 0, next_meta_id_ = 0;
    std::atomic<std::uint64_t> version_{1};

    // ("c"|"t", term) of published products -> their ids, ascending.
    std::map<std::pair<char, std::int64_t>, std::vector<std::int64_t>> related_;
    bool write_indexes_ = false;
    std::unordered_map<std::string, std::int64_t> sku_owner_;
    std::unordered_map<std::string, std::int64_t> slug_count_;  // key: "p:" or "v:" + slug

    mutable std::mutex listed_mutex_;
    mutable std::uint64_t listed_version_ = 0;
    mutable std::shared_ptr<const std::vector<std::int64_t>> listed_;
};

}  // namespace benchstore
