#include "catalog.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include "wp_text.hpp"

namespace benchstore {

Catalog::Catalog() = default;

void Catalog::reset(const Fixture& fixture, std::int64_t products, std::uint64_t seed) {
    media.clear();
    terms.clear();
    attributes.clear();
    related_.clear();
    sku_owner_.clear();
    slug_count_.clear();
    write_indexes_ = false;
    for (const auto& m : fixture.media) media[m.id] = m;
    for (const auto& t : fixture.terms) terms[t.id] = t;
    for (const auto& a : fixture.attributes) attributes[a.id] = a;
    next_term_id_ = fixture.next_term_id;
    next_attr_id = fixture.next_attr_id;
    next_meta_id_ = fixture.next_meta_id;
    seed_value = static_cast<std::int64_t>(seed);
    price_format = fixture.price_format;
    weight_unit = fixture.weight_unit;
    dimension_unit = fixture.dimension_unit;

    const std::int64_t bulk_count = std::max<std::int64_t>(0, products - fixture.showcase_items);
    bulk_ = draw_bulk(bulk_count, seed);
    bulk_first_id_ = fixture.next_post_id;
    bulk_first_sequence_ = fixture.seed_sequence;
    next_post_id_ = bulk_first_id_ + bulk_count + fixture.ids_after_products;
    slots_.clear();
    slots_.resize(static_cast<std::size_t>(next_post_id_ - kFirstPostId));
    for (const auto& p : fixture.posts) {
        slots_[static_cast<std::size_t>(p.id - kFirstPostId)].post = std::make_unique<Post>(p);
        if (p.published_product()) index_related_ids(p.id, p.categories, p.tags, true);
    }
    for (std::size_t i = 0; i < bulk_.size(); ++i) {
        const std::int64_t id = bulk_first_id_ + static_cast<std::int64_t>(i);
        slots_[static_cast<std::size_t>(id - kFirstPostId)].bulk = static_cast<std::int32_t>(i);
        const std::int64_t k = bulk_[i].k;
        const std::int64_t tag = bulk_tag(k);
        index_related_ids(id, {bulk_category(k)}, tag ? std::vector<std::int64_t>{tag} : std::vector<std::int64_t>{},
                          true);
    }
    touch();
}

Time Catalog::now() const { return frozen_now ? *frozen_now : now_utc(); }

Catalog::Slot* Catalog::slot(std::int64_t id) {
    if (id < kFirstPostId || id > max_post_id()) return nullptr;
    return &slots_[static_cast<std::size_t>(id - kFirstPostId)];
}

const Catalog::Slot* Catalog::slot(std::int64_t id) const {
    if (id < kFirstPostId || id > max_post_id()) return nullptr;
    return &slots_[static_cast<std::size_t>(id - kFirstPostId)];
}

const Post* Catalog::post(std::int64_t id, Post& scratch) const {
    const Slot* s = slot(id);
    if (!s) return nullptr;
    if (s->post) return s->post.get();
    if (s->bulk < 0) return nullptr;
    const BulkDraws& d = bulk_[static_cast<std::size_t>(s->bulk)];
    scratch = bulk_post(d, id, bulk_first_sequence_ + d.k - 1);
    return &scratch;
}

const Post* Catalog::product(std::int64_t id, Post& scratch) const {
    const Post* p = post(id, scratch);
    return p && !p->is_variation ? p : nullptr;
}

bool Catalog::is_variation_slot(std::int64_t id) const {
    const Slot* s = slot(id);
    return s && s->post && s->post->is_variation;
}

std::optional<Catalog::Brief> Catalog::brief(std::int64_t id) const {
    const Slot* s = slot(id);
    if (!s || (!s->post && s->bulk < 0)) return std::nullopt;
    Brief b;
    if (s->post) {
        b.is_variation = s->post->is_variation;
        b.status = s->post->status;
        b.sku = s->post->sku;
        b.date_created = s->post->date_created;
        b.date_modified = s->post->date_modified;
        return b;
    }
    const BulkDraws& d = bulk_[static_cast<std::size_t>(s->bulk)];
    b.status = "publish";
    if (d.k % 10 != 0) {
        char sku[32];
        std::snprintf(sku, sizeof sku, "BULK-%05lld", static_cast<long long>(d.k));
        b.sku = sku;
    }
    b.date_created = seed_base() + (bulk_first_sequence_ + d.k - 1) * 60;
    b.date_modified = d.k % 5 == 0 ? b.date_created + 86400 : b.date_created;
    return b;
}

std::int64_t Catalog::new_post_id() {
    const std::int64_t id = next_post_id_++;
    if (id > max_post_id()) slots_.resize(static_cast<std::size_t>(id - kFirstPostId + 1));
    return id;
}

void Catalog::index_related_ids(std::int64_t id, const std::vector<std::int64_t>& categories,
                                const std::vector<std::int64_t>& tags, bool add) {
    auto apply = [&](char kind, std::int64_t term) {
        auto& list = related_[{kind, term}];
        if (add) {
            if (list.empty() || list.back() <= id) list.push_back(id);
            else list.insert(std::upper_bound(list.begin(), list.end(), id), id);
        } else {
            auto it = std::lower_bound(list.begin(), list.end(), id);
            if (it != list.end() && *it == id) list.erase(it);
            if (list.empty()) related_.erase({kind, term});
        }
    };
    for (auto c : categories) apply('c', c);
    for (auto t : tags) apply('t', t);
}

void Catalog::index_related(const Post& p, bool add) {
    if (p.published_product()) index_related_ids(p.id, p.categories, p.tags, add);
}

static std::string slug_key(bool variation, const std::string& slug) { return (variation ? "v:" : "p:") + slug; }

void Catalog::build_write_indexes() {
    if (write_indexes_) return;
    write_indexes_ = true;
    Post scratch;
    for_each_post_id([&](std::int64_t id) {
        const Post* p = post(id, scratch);
        if (!p->sku.empty()) sku_owner_[p->sku] = id;
        ++slug_count_[slug_key(p->is_variation, p->slug)];
    });
}

void Catalog::put_post(Post p) {
    build_write_indexes();
    Slot* s = slot(p.id);
    Post scratch;
    if (const Post* old = post(p.id, scratch)) {
        index_related(*old, false);
        auto it = slug_count_.find(slug_key(old->is_variation, old->slug));
        if (it != slug_count_.end() && --it->second == 0) slug_count_.erase(it);
    }
    index_related(p, true);
    ++slug_count_[slug_key(p.is_variation, p.slug)];
    s->bulk = -1;
    s->post = std::make_unique<Post>(std::move(p));
}

void Catalog::remove_post(std::int64_t id) {
    build_write_indexes();
    Slot* s = slot(id);
    Post scratch;
    const Post* old = post(id, scratch);
    if (!old) return;
    index_related(*old, false);
    auto it = slug_count_.find(slug_key(old->is_variation, old->slug));
    if (it != slug_count_.end() && --it->second == 0) slug_count_.erase(it);
    s->bulk = -1;
    s->post.reset();
}

std::shared_ptr<const std::vector<std::int64_t>> Catalog::listed_products() const {
    std::lock_guard<std::mutex> guard(listed_mutex_);
    if (listed_ && listed_version_ == version()) return listed_;
    auto ids = std::make_shared<std::vector<std::int64_t>>();
    for (std::size_t i = 0; i < slots_.size(); ++i) {
        const Slot& s = slots_[i];
        const bool listed = s.bulk >= 0 || (s.post && !s.post->is_variation && s.post->status != "trash" &&
                                            s.post->status != "auto-draft");
        if (listed) ids->push_back(kFirstPostId + static_cast<std::int64_t>(i));
    }
    listed_ = ids;
    listed_version_ = version();
    return listed_;
}

std::vector<std::int64_t> Catalog::related_ids(const Post& p) const {
    if (p.is_variation) return {};
    std::set<std::int64_t> candidates;
    for (auto c : p.categories) {
        auto it = related_.find({'c', c});
        if (it == related_.end()) continue;
        const auto& list = it->second;
        if (list.size() > 12) {
            const std::size_t start = static_cast<std::size_t>(p.id * 7) % list.size();
            for (std::size_t k = 0; k < 12; ++k) candidates.insert(list[(start + k) % list.size()]);
        } else {
            candidates.insert(list.begin(), list.end());
        }
    }
    for (auto t : p.tags) {
        auto it = related_.find({'t', t});
        if (it == related_.end()) continue;
        const auto& list = it->second;
        candidates.insert(list.begin(), list.begin() + static_cast<long>(std::min<std::size_t>(12, list.size())));
    }
    candidates.erase(p.id);
    std::vector<std::pair<std::int64_t, std::int64_t>> keyed;
    for (auto i : candidates) keyed.push_back({(i * 2654435761LL + p.id) % 1000003, i});
    std::sort(keyed.begin(), keyed.end());
    std::vector<std::int64_t> out;
    for (std::size_t k = 0; k < keyed.size() && k < 5; ++k) out.push_back(keyed[k].second);
    return out;
}

std::map<std::int64_t, std::int64_t> Catalog::term_counts() const {
    std::map<std::int64_t, std::int64_t> counts;
    for (const auto& [key, list] : related_) counts[key.second] += static_cast<std::int64_t>(list.size());
    // Bulk products have no attributes: the written posts are enough.
    for (const auto& s : slots_)
        if (s.post && s.post->published_product())
            for (const auto& a : s.post->attributes)
                if (a.id)
                    for (auto tid : a.term_options) ++counts[tid];
    return counts;
}

std::optional<std::int64_t> Catalog::sku_owner(const std::string& sku) {
    build_write_indexes();
    auto it = sku_owner_.find(sku);
    if (it == sku_owner_.end()) return std::nullopt;
    return it->second;
}

void Catalog::reindex_sku(const Post& p, const std::string& old_sku) {
    build_write_indexes();
    if (!old_sku.empty()) {
        auto it = sku_owner_.find(old_sku);
        if (it != sku_owner_.end() && it->second == p.id) sku_owner_.erase(it);
    }
    if (!p.sku.empty() && p.status != "trash") {
        sku_owner_[p.sku] = p.id;
    } else if (!p.sku.empty()) {
        auto it = sku_owner_.find(p.sku);
        if (it != sku_owner_.end() && it->second == p.id) sku_owner_.erase(it);
    }
}

void Catalog::forget_sku(const std::string& sku, std::int64_t owner) {
    build_write_indexes();
    auto it = sku_owner_.find(sku);
    if (!sku.empty() && it != sku_owner_.end() && it->second == owner) sku_owner_.erase(it);
}

std::string Catalog::unique_sku_suggestion(const std::string& sku) {
    build_write_indexes();
    for (std::int64_t n = 1;; ++n) {
        std::string candidate = sku + "-" + std::to_string(n);
        if (!sku_owner_.count(candidate)) return candidate;
    }
}

std::string Catalog::unique_post_slug(const std::string& slug, std::int64_t exclude_id, bool variation) {
    build_write_indexes();
    const std::string base = slug.empty() ? "product" : slug;
    Post scratch;
    const Post* excluded = post(exclude_id, scratch);
    const std::string excluded_key = excluded ? slug_key(excluded->is_variation, excluded->slug) : std::string();
    auto used = [&](const std::string& candidate) {
        const std::string key = slug_key(variation, candidate);
        auto it = slug_count_.find(key);
        std::int64_t count = it == slug_count_.end() ? 0 : it->second;
        if (key == excluded_key) --count;
        return count > 0;
    };
    std::string candidate = base;
    for (std::int64_t n = 2; used(candidate); ++n) candidate = base + "-" + std::to_string(n);
    return candidate;
}

const Term* Catalog::term_by_name(const std::string& taxonomy, const std::string& name,
                                  std::optional<std::int64_t> parent) const {
    const std::string wanted = ascii_lower(strip(kses_normalize(name)));
    for (const auto& [id, t] : terms)
        if (t.taxonomy == taxonomy && ascii_lower(t.name) == wanted && (!parent || t.parent == *parent)) return &t;
    return nullptr;
}

const Term* Catalog::term_by_slug(const std::string& taxonomy, const std::string& slug) const {
    for (const auto& [id, t] : terms)
        if (t.taxonomy == taxonomy && t.slug == slug) return &t;
    return nullptr;
}

std::string Catalog::unique_term_slug(const std::string& taxonomy, const std::string& slug) const {
    const std::string base = slug.empty() ? "term" : slug;
    std::string candidate = base;
    for (std::int64_t n = 2; term_by_slug(taxonomy, candidate); ++n) candidate = base + "-" + std::to_string(n);
    return candidate;
}

Term& Catalog::add_term(const std::string& taxonomy, const std::string& name, const std::string& slug,
                        std::int64_t parent) {
    Term t;
    t.id = new_term_id();
    t.taxonomy = taxonomy;
    t.name = kses_normalize(name);
    t.slug = unique_term_slug(taxonomy, sanitize_title(slug.empty() ? name : slug));
    t.parent = parent;
    touch();
    return terms[t.id] = t;
}

}  // namespace benchstore
