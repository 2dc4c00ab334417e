#include "core/transport/host_policy.hpp"

#include <arpa/inet.h>

#include <cstring>
#include <mutex>

#include "core/base/text.hpp"
#include "core/base/woo_error.hpp"

namespace wcfdw {

namespace {

// Addresses no store lives at: a request there reads the machine's cloud
// credentials, not a catalog.
const char* const kBlockedRanges[] = {
    "169.254.0.0/16",      // IPv4 link-local, 169.254.169.254 (AWS, GCP, Azure, OCI metadata) included
    "fe80::/10",           // IPv6 link-local
    "fd00:ec2::254/128",   // AWS metadata over IPv6
    "100.100.100.200/32",  // Alibaba Cloud metadata
    "168.63.129.16/32",    // Azure host services
};
const char* const kBlockedNames[] = {
    "metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal",
};

std::string normal_host(std::string host) {
    host = ascii_lower(trim_ascii_space(host));
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    while (!host.empty() && host.back() == '.') host.pop_back();  // "metadata.google.internal." is the same name
    return host;
}

bool blocked_name(const std::string& host) {
    for (const char* name : kBlockedNames)
        if (host == name) return true;
    return false;
}

bool valid_name(const std::string& name) {
    if (name.empty() || name.size() > 253) return false;
    for (const char c : name)
        if (!(is_ascii_alnum(c) || c == '-' || c == '.' || c == '_')) return false;
    return name.front() != '.' && name.find("..") == std::string::npos;
}

WooError bad_entry(const std::string& entry, const std::string& why) {
    return WooError(ErrorKind::InvalidArgument,
                    "invalid entry \"" + sanitize_utf8(entry) + "\" in woocommerce.allowed_hosts: " + why,
                    {},
                    "List host names (shop.example.com), wildcards (*.example.com), addresses (203.0.113.7) or "
                    "ranges (10.0.0.0/8), separated by commas; * allows every host except link-local and cloud "
                    "metadata addresses.");
}

}  // namespace

std::optional<IpAddress> IpAddress::parse(const std::string& text) {
    IpAddress a;
    const std::string t = normal_host(text);
    if (t.find(':') == std::string::npos) {
        if (inet_pton(AF_INET, t.c_str(), a.bytes) != 1) return std::nullopt;
        return a;
    }
    std::uint8_t raw[16];
    if (inet_pton(AF_INET6, t.c_str(), raw) != 1) return std::nullopt;
    static const std::uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(raw, mapped, 12) == 0) {
        std::memcpy(a.bytes, raw + 12, 4);  // ::ffff:169.254.169.254 is 169.254.169.254
        return a;
    }
    a.v6 = true;
    std::memcpy(a.bytes, raw, 16);
    return a;
}

std::string IpAddress::text() const {
    char buf[INET6_ADDRSTRLEN] = {};
    inet_ntop(v6 ? AF_INET6 : AF_INET, bytes, buf, sizeof buf);
    return buf;
}

namespace {

bool prefix_contains(const IpAddress& base, int prefix, const IpAddress& a) {
    if (a.v6 != base.v6) return false;
    int bits = prefix;
    for (int i = 0; bits > 0; ++i, bits -= 8) {
        const std::uint8_t mask = bits >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - bits));
        if ((a.bytes[i] & mask) != (base.bytes[i] & mask)) return false;
    }
    return true;
}

}  // namespace

bool HostPolicy::Range::contains(const IpAddress& a) const { return prefix_contains(base, prefix, a); }

HostPolicy HostPolicy::parse(const std::string& setting) {
    HostPolicy p;
    p.setting_ = setting;
    std::size_t start = 0;
    while (start <= setting.size()) {
        std::size_t comma = setting.find(',', start);
        if (comma == std::string::npos) comma = setting.size();
        const std::string entry = trim_ascii_space(setting.substr(start, comma - start));
        start = comma + 1;
        if (entry.empty()) continue;
        if (entry == "*") {
            p.any_ = true;
            continue;
        }
        const std::size_t slash = entry.find('/');
        if (slash != std::string::npos) {
            const auto base = IpAddress::parse(entry.substr(0, slash));
            const std::string bits = entry.substr(slash + 1);
            bool digits = !bits.empty() && bits.size() <= 3;
            for (const char c : bits) digits = digits && is_ascii_digit(c);
            if (!base || !digits) throw bad_entry(entry, "not an address range");
            const int prefix = std::stoi(bits);
            if (prefix > (base->v6 ? 128 : 32)) throw bad_entry(entry, "the prefix is longer than the address");
            p.ranges_.push_back({*base, prefix});
            continue;
        }
        if (const auto address = IpAddress::parse(entry)) {
            p.ranges_.push_back({*address, address->v6 ? 128 : 32});
            continue;
        }
        const std::string name = normal_host(entry);
        if (name.compare(0, 2, "*.") == 0 && valid_name(name.substr(2))) {
            p.suffixes_.push_back(name.substr(1));
            continue;
        }
        if (!valid_name(name)) throw bad_entry(entry, "not a host name, an address or a range");
        p.names_.push_back(name);
    }
    return p;
}

bool HostPolicy::names_allow(const std::string& host) const {
    for (const auto& n : names_)
        if (host == n) return true;
    for (const auto& s : suffixes_)
        if (host.size() > s.size() && host.compare(host.size() - s.size(), s.size(), s) == 0) return true;
    return false;
}

bool HostPolicy::ranges_allow(const IpAddress& address) const {
    for (const auto& r : ranges_)
        if (r.contains(address)) return true;
    return false;
}

namespace {

bool in_blocked_range(const IpAddress& address) {
    struct Blocked {
        IpAddress base;
        int prefix;
    };
    static const std::vector<Blocked> blocked = [] {
        std::vector<Blocked> out;
        for (const char* r : kBlockedRanges) {
            const std::string text = r;
            const std::size_t slash = text.find('/');
            out.push_back({*IpAddress::parse(text.substr(0, slash)), std::stoi(text.substr(slash + 1))});
        }
        return out;
    }();
    for (const auto& b : blocked)
        if (prefix_contains(b.base, b.prefix, address)) return true;
    return false;
}

}  // namespace

bool HostPolicy::refuses_before_resolving(const std::string& raw_host) const {
    const std::string host = normal_host(raw_host);
    if (const auto literal = IpAddress::parse(host)) return !allows(host, *literal);
    if (blocked_name(host)) {
        for (const auto& n : names_)
            if (host == n) return false;
        return true;
    }
    // Only address entries could still allow it, after resolving.
    return !any_ && !names_allow(host) && ranges_.empty();
}

bool HostPolicy::allows(const std::string& raw_host, const IpAddress& address) const {
    const std::string host = normal_host(raw_host);
    if (blocked_name(host) && !names_allow(host)) return false;
    if (in_blocked_range(address)) return ranges_allow(address);
    return any_ || names_allow(host) || ranges_allow(address);
}

std::string HostPolicy::refusal_reason(const std::string& raw_host, const std::optional<IpAddress>& address) const {
    const std::string host = normal_host(raw_host);
    if (blocked_name(host)) return "a cloud metadata host name, refused unless listed by name";
    if (address && in_blocked_range(*address))
        return "a link-local or cloud metadata address, refused unless an address or range entry lists it";
    return "not listed";
}

namespace {

std::mutex& policy_mutex() {
    static std::mutex m;
    return m;
}

std::shared_ptr<const HostPolicy>& policy_slot() {
    static std::shared_ptr<const HostPolicy> slot = std::make_shared<HostPolicy>(HostPolicy::parse(HostPolicy::kDefault));
    return slot;
}

std::uint64_t& generation_slot() {
    static std::uint64_t generation = 0;
    return generation;
}

}  // namespace

std::shared_ptr<const HostPolicy> current_host_policy() {
    std::lock_guard<std::mutex> lock(policy_mutex());
    return policy_slot();
}

void set_host_policy(std::shared_ptr<const HostPolicy> policy) {
    std::lock_guard<std::mutex> lock(policy_mutex());
    policy_slot() = std::move(policy);
    ++generation_slot();
}

std::uint64_t host_policy_generation() {
    std::lock_guard<std::mutex> lock(policy_mutex());
    return generation_slot();
}

}  // namespace wcfdw
