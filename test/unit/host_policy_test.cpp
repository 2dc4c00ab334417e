// woocommerce.allowed_hosts: the rule (names, wildcards, addresses, ranges,
// the blocked link-local and metadata addresses) and the transport applying
// it on every request. Only loopback addresses are ever connected to; the
// link-local and metadata cases are refused before any packet is sent.
#include "core/transport/host_policy.hpp"

#include <gtest/gtest.h>

#include "core/base/woo_error.hpp"
#include "core/transport/http_client.hpp"
#include "support/scripted_server.hpp"

namespace wcfdw {
namespace {

using testing::ScriptedResponse;
using testing::ScriptedServer;

IpAddress ip(const char* text) { return *IpAddress::parse(text); }

TEST(HostPolicy, AddressesParseIncludingMappedIpv4) {
    EXPECT_FALSE(IpAddress::parse("shop.example").has_value());
    EXPECT_FALSE(IpAddress::parse("300.1.1.1").has_value());
    EXPECT_EQ(ip("::ffff:169.254.169.254").text(), "169.254.169.254");
    EXPECT_FALSE(ip("::ffff:169.254.169.254").v6);
    EXPECT_EQ(ip("[::1]").text(), "::1");
}

TEST(HostPolicy, DefaultAllowsEveryHostButLinkLocalAndMetadata) {
    const HostPolicy p = HostPolicy::parse(HostPolicy::kDefault);
    EXPECT_TRUE(p.allows("shop.example.com", ip("203.0.113.7")));
    EXPECT_TRUE(p.allows("localhost", ip("127.0.0.1")));
    EXPECT_TRUE(p.allows("localhost", ip("::1")));
    EXPECT_FALSE(p.allows("169.254.169.254", ip("169.254.169.254")));
    EXPECT_FALSE(p.allows("shop.example.com", ip("169.254.10.1")));  // a name that resolves there
    EXPECT_FALSE(p.allows("shop.example.com", ip("::ffff:169.254.169.254")));
    EXPECT_FALSE(p.allows("shop.example.com", ip("fe80::1")));
    EXPECT_FALSE(p.allows("shop.example.com", ip("fd00:ec2::254")));
    EXPECT_FALSE(p.allows("shop.example.com", ip("100.100.100.200")));
    EXPECT_TRUE(p.refuses_before_resolving("169.254.169.254"));
    EXPECT_TRUE(p.refuses_before_resolving("[fe80::1]"));
    EXPECT_TRUE(p.refuses_before_resolving("metadata.google.internal"));
    EXPECT_TRUE(p.refuses_before_resolving("METADATA.GOOGLE.INTERNAL."));
    EXPECT_FALSE(p.refuses_before_resolving("shop.example.com"));
}

TEST(HostPolicy, NamesWildcardsAddressesAndRanges) {
    const HostPolicy p = HostPolicy::parse(" shop.example.com, *.cdn.example , 127.0.0.2, 10.1.0.0/16, fd00::/8 ");
    EXPECT_TRUE(p.allows("SHOP.example.com", ip("198.51.100.1")));
    EXPECT_TRUE(p.allows("a.b.cdn.example", ip("198.51.100.1")));
    EXPECT_FALSE(p.allows("cdn.example", ip("198.51.100.1")));
    EXPECT_FALSE(p.allows("evilshop.example.com", ip("198.51.100.1")));
    EXPECT_TRUE(p.allows("anything", ip("127.0.0.2")));
    EXPECT_FALSE(p.allows("anything", ip("127.0.0.1")));
    EXPECT_TRUE(p.allows("anything", ip("10.1.200.3")));
    EXPECT_FALSE(p.allows("anything", ip("10.2.0.1")));
    EXPECT_TRUE(p.allows("anything", ip("fd12::1")));
    // A name entry never opens a blocked address.
    EXPECT_FALSE(p.allows("shop.example.com", ip("169.254.169.254")));
    // Names no entry matches wait for DNS only while an address entry could match.
    EXPECT_FALSE(p.refuses_before_resolving("other.example"));
    EXPECT_TRUE(HostPolicy::parse("shop.example.com").refuses_before_resolving("other.example"));
}

TEST(HostPolicy, BlockedAddressesOpenOnlyToAnAddressEntry) {
    EXPECT_TRUE(HostPolicy::parse("169.254.169.254").allows("169.254.169.254", ip("169.254.169.254")));
    EXPECT_TRUE(HostPolicy::parse("*, 169.254.0.0/16").allows("x", ip("169.254.3.4")));
    EXPECT_FALSE(HostPolicy::parse("*").allows("x", ip("169.254.3.4")));
    EXPECT_TRUE(HostPolicy::parse("metadata.google.internal, 169.254.169.254")
                    .allows("metadata.google.internal", ip("169.254.169.254")));
    EXPECT_FALSE(HostPolicy::parse("*, 169.254.169.254").allows("metadata.google.internal", ip("169.254.169.254")));
}

TEST(HostPolicy, AnEmptySettingAllowsNothing) {
    const HostPolicy p = HostPolicy::parse("");
    EXPECT_FALSE(p.allows("localhost", ip("127.0.0.1")));
    EXPECT_TRUE(p.refuses_before_resolving("localhost"));
}

TEST(HostPolicy, BadEntriesAreNamed) {
    for (const char* bad : {"10.0.0.0/33", "10.0.0.0/x", "shop example", "*.", "http://shop.example", "::1/200"}) {
        try {
            HostPolicy::parse(std::string("*, ") + bad);
            ADD_FAILURE() << "accepted " << bad;
        } catch (const WooError& e) {
            EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
            EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
            EXPECT_FALSE(e.hint().empty());
        }
    }
}

// Sets a policy for one test and puts the default back.
class WithPolicy {
public:
    explicit WithPolicy(const char* setting) { set_host_policy(std::make_shared<HostPolicy>(HostPolicy::parse(setting))); }
    ~WithPolicy() { set_host_policy(std::make_shared<HostPolicy>(HostPolicy::parse(HostPolicy::kDefault))); }
};

TransportOptions options() {
    TransportOptions o;
    o.timeout_ms = 5000;
    o.connect_timeout_ms = 1000;
    o.max_retries = 3;
    o.retry_base_ms = 10;
    o.retry_max_ms = 50;
    return o;
}

WooError refusal(HttpClient& client, const std::string& url) {
    HttpRequest r;
    r.url = url;
    try {
        client.perform(r);
    } catch (const WooError& e) {
        return e;
    }
    ADD_FAILURE() << "connected to " << url;
    return WooError(ErrorKind::Internal, "none");
}

TEST(HostPolicy, ClientRefusesANameThatResolvesToAnAddressNotListed) {
    ScriptedServer server;  // listens on 127.0.0.1
    server.set_handler([](const testing::ReceivedRequest&) { return ScriptedResponse::json(200, "[]"); });
    WithPolicy only("127.0.0.2");
    HttpClient client(options());
    // localhost resolves to 127.0.0.1 (and ::1) at connect time.
    const WooError e = refusal(client, "http://localhost:" + std::to_string(server.port()) + "/wp-json/wc/v3/products");
    EXPECT_EQ(e.kind(), ErrorKind::HostNotAllowed);
    EXPECT_STREQ(e.sqlstate(), "42501");
    EXPECT_NE(std::string(e.what()).find("woocommerce.allowed_hosts"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("the address of localhost"), std::string::npos) << e.what();
    EXPECT_NE(e.hint().find("superuser"), std::string::npos) << e.hint();
    EXPECT_EQ(e.retries, 0);  // refused is final, not retried
    EXPECT_EQ(server.request_count(), 0u);
    EXPECT_EQ(server.connections_accepted(), 0);
}

TEST(HostPolicy, ClientRefusesMetadataAndLinkLocalBeforeSendingAnything) {
    HttpClient client(options());  // the default policy
    for (const char* url : {"http://169.254.169.254/latest/meta-data/", "http://[fe80::1]:8080/wp-json",
                            "http://metadata.google.internal/computeMetadata/v1/", "http://[::ffff:169.254.169.254]/"}) {
        const WooError e = refusal(client, url);
        EXPECT_EQ(e.kind(), ErrorKind::HostNotAllowed) << url << ": " << e.what();
        EXPECT_EQ(e.retries, 0);
    }
    EXPECT_EQ(client.stats().requests, 0u);
}

TEST(HostPolicy, ClientAllowsListedNamesAndDropsConnectionsWhenThePolicyChanges) {
    ScriptedServer server;
    server.set_handler([](const testing::ReceivedRequest&) { return ScriptedResponse::json(200, "[]"); });
    const std::string url = "http://localhost:" + std::to_string(server.port()) + "/wp-json/wc/v3/products";
    HttpRequest r;
    r.url = url;
    {
        WithPolicy named("localhost");
        HttpClient client(options());
        EXPECT_EQ(client.perform(r).status, 200);
        // A connection is now open; a stricter policy must not reuse it.
        set_host_policy(std::make_shared<HostPolicy>(HostPolicy::parse("127.0.0.2")));
        EXPECT_EQ(refusal(client, url).kind(), ErrorKind::HostNotAllowed);
    }
    EXPECT_EQ(server.request_count(), 1u);
}

}  // namespace
}  // namespace wcfdw
