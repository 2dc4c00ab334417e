// Rendered list pages, kept for as long as the catalogue does not change:
// the benchmark store renders a page once and afterwards only sends bytes.
// Bounded in bytes; past the bound pages are rendered every time.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace benchstore {

class PageCache {
public:
    explicit PageCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}
    // The body cached under key for catalogue version `version`, or null.
    std::shared_ptr<const std::string> find(const std::string& key, std::uint64_t version);
    void put(const std::string& key, std::uint64_t version, std::shared_ptr<const std::string> body);
    void clear();

private:
    std::mutex mutex_;
    std::size_t max_bytes_;
    std::size_t bytes_ = 0;
    std::uint64_t version_ = 0;
    std::unordered_map<std::string, std::shared_ptr<const std::string>> pages_;
};

}  // namespace benchstore
