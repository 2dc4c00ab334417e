// Where requests may go: the rule behind the woocommerce.allowed_hosts
// setting. Whoever may create a connection chooses its url, so without a
// rule the database server would send requests (and show excerpts of the
// answers) to any address on its networks, cloud metadata services
// included. The transport applies the rule to the address a connection is
// actually opened to (after DNS, so a name that resolves somewhere else at
// connect time is caught), and again before every request on a reused
// connection.
//
// The setting is a comma-separated list of entries:
//   *                  every host, except the blocked addresses below
//   shop.example.com   that host name (case-insensitive)
//   *.example.com      every name under example.com (not example.com itself)
//   203.0.113.7, ::1   that address
//   10.0.0.0/8, fd00::/8  addresses in that range
// Blocked unless an address or range entry contains them: link-local
// addresses (169.254.0.0/16, fe80::/10) and cloud metadata addresses
// (169.254.169.254, fd00:ec2::254, 100.100.100.200); the metadata host
// names (metadata.google.internal, metadata.goog, metadata) only when
// listed by exactly that name. A name entry never opens a blocked address.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wcfdw {

// An IPv4 or IPv6 address (IPv4-mapped IPv6 is read as IPv4).
struct IpAddress {
    bool v6 = false;
    std::uint8_t bytes[16] = {};  // v4: the first 4

    static std::optional<IpAddress> parse(const std::string& text);
    std::string text() const;
};

class HostPolicy {
public:
    static constexpr const char* kDefault = "*";

    // Throws WooError(InvalidArgument) naming the entry that is not a name,
    // a wildcard, an address or a range.
    static HostPolicy parse(const std::string& setting);

    const std::string& setting() const noexcept { return setting_; }

    // Before resolving `host` (as written in the url): is it refused
    // whatever it resolves to? An address literal is decided here.
    bool refuses_before_resolving(const std::string& host) const;
    // A connection to `address` for a request to `host`.
    bool allows(const std::string& host, const IpAddress& address) const;
    // Why allows() said no, for messages: "link-local address", "metadata
    // address", "not listed".
    std::string refusal_reason(const std::string& host, const std::optional<IpAddress>& address) const;

private:
    struct Range {
        IpAddress base;
        int prefix = 0;
        bool contains(const IpAddress& a) const;
    };
    bool names_allow(const std::string& host) const;
    bool ranges_allow(const IpAddress& address) const;

    std::string setting_;
    bool any_ = false;
    std::vector<std::string> names_;      // lower-case
    std::vector<std::string> suffixes_;   // ".example.com" from *.example.com
    std::vector<Range> ranges_;           // addresses are /32 or /128
};

// The policy in force for this process (the backend's setting). Until set,
// HostPolicy::parse(kDefault). The transport reads it at the start of each
// request batch; generation() changes with every set, so that connections
// opened under an older policy are not reused.
std::shared_ptr<const HostPolicy> current_host_policy();
void set_host_policy(std::shared_ptr<const HostPolicy> policy);
std::uint64_t host_policy_generation();

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
