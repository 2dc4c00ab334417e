#include "page_cache.hpp"

namespace benchstore {

std::shared_ptr<const std::string> PageCache::find(const std::string& key, std::uint64_t version) {
    std::lock_guard<std::mutex> guard(mutex_);
    if (version != version_) return nullptr;
    auto it = pages_.find(key);
    return it == pages_.end() ? nullptr : it->second;
}

void PageCache::put(const std::string& key, std::uint64_t version, std::shared_ptr<const std::string> body) {
    std::lock_guard<std::mutex> guard(mutex_);
    if (version != version_) {
        pages_.clear();
        bytes_ = 0;
        version_ = version;
    }
    if (bytes_ + body->size() > max_bytes_) return;
    bytes_ += body->size();
    pages_[key] = std::move(body);
}

void PageCache::clear() {
    std::lock_guard<std::mutex> guard(mutex_);
    pages_.clear();
    bytes_ = 0;
}

}  // namespace benchstore
