// Waits the transport must be able to abandon at once, and attempts that
// must never reach the wire twice. A DNS server that never answers (in a
// child process with its own namespaces, support/blackhole_dns) stands for
// a store whose name cannot be resolved: a cancel during the lookup, or
// connect_timeout_ms expiring, must end the request within 150 ms, instead
// of libcurl joining the resolver thread until getaddrinfo gives up (10 s
// with "timeout:5 attempts:2").
#include "core/transport/http_client.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <limits>
#include <memory>
#include <set>

#include <gtest/gtest.h>

#include "core/base/woo_error.hpp"
#include "support/blackhole_dns.hpp"
#include "support/scripted_server.hpp"

namespace wcfdw {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using testing::ReceivedRequest;
using testing::ScriptedResponse;
using testing::ScriptedServer;

constexpr long kCancelBudgetMs = 150;

std::atomic<std::int64_t> g_cancel_at_ns{std::numeric_limits<std::int64_t>::max()};

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

bool cancel_when_due() { return now_ns() >= g_cancel_at_ns.load(); }

HttpRequest blackhole_request() {
    HttpRequest r;
    r.url = "http://store.blackhole.test:8080/wp-json/wc/v3/products";
    return r;
}

// In the child: a cancel 200 ms into the lookup; exit 0 when the request
// ended within the budget after it.
int cancel_during_lookup() {
    TransportOptions options;
    options.connect_timeout_ms = 30000;
    options.timeout_ms = 30000;
    options.max_retries = 0;
    // Timed until the client is gone too, as test_connection frees its own
    // at once: libcurl 8.20 and later wait for resolver threads there.
    auto client = std::make_unique<HttpClient>(options);
    client->set_cancel_hook(cancel_when_due);
    const auto started = Clock::now();
    g_cancel_at_ns = now_ns() + 200 * 1000000LL;
    ErrorKind kind = ErrorKind::Internal;
    try {
        client->perform(blackhole_request());
        std::fprintf(stderr, "the lookup answered?\n");
        return 2;
    } catch (const WooError& e) {
        kind = e.kind();
    }
    client.reset();
    const long after_cancel =
        static_cast<long>(std::chrono::duration_cast<milliseconds>(Clock::now() - started).count()) - 200;
    std::fprintf(stderr, "cancel during DNS: %s after %ld ms past the cancel, client freed\n", error_kind_name(kind),
                 after_cancel);
    if (kind != ErrorKind::Cancelled) return 3;
    return after_cancel <= kCancelBudgetMs ? 0 : 1;
}

// In the child: connect_timeout_ms 300 while the lookup hangs.
int connect_timeout_during_lookup() {
    TransportOptions options;
    options.connect_timeout_ms = 300;
    options.timeout_ms = 30000;
    options.max_retries = 0;
    HttpClient client(options);
    const auto started = Clock::now();
    try {
        client.perform(blackhole_request());
        return 2;
    } catch (const WooError& e) {
        const long past = static_cast<long>(std::chrono::duration_cast<milliseconds>(Clock::now() - started).count()) - 300;
        std::fprintf(stderr, "connect timeout during DNS: %s, %ld ms past connect_timeout_ms\n",
                     error_kind_name(e.kind()), past);
        if (e.kind() != ErrorKind::Timeout && e.kind() != ErrorKind::Connect) return 3;
        return past <= kCancelBudgetMs ? 0 : 1;
    }
}

TEST(TransportWaits, CancelDuringAHangingDnsLookupEndsWithin150Ms) {
    std::string why_not;
    const int code = testing::run_with_blackhole_dns(cancel_during_lookup, why_not);
    if (code == -1) GTEST_SKIP() << "no namespaces for a private resolver here: " << why_not;
    EXPECT_EQ(code, 0) << "1: too slow, 2: resolved, 3: wrong error, 124: hung";
}

TEST(TransportWaits, ConnectTimeoutDuringAHangingDnsLookupEndsPromptly) {
    std::string why_not;
    const int code = testing::run_with_blackhole_dns(connect_timeout_during_lookup, why_not);
    if (code == -1) GTEST_SKIP() << "no namespaces for a private resolver here: " << why_not;
    EXPECT_EQ(code, 0) << "1: too slow, 2: resolved, 3: wrong error, 124: hung";
}

TEST(TransportWaits, CancelDuringATlsHandshakeThatNeverEndsWithin150Ms) {
    // The server takes the connection and never answers the ClientHello.
    ScriptedServer server;
    server.set_handler([](const ReceivedRequest&) { return ScriptedResponse::hang(); });
    TransportOptions options;
    options.connect_timeout_ms = 30000;
    options.timeout_ms = 30000;
    options.max_retries = 0;
    HttpClient client(options);
    client.set_cancel_hook(cancel_when_due);
    HttpRequest request;
    request.url = "https://127.0.0.1:" + std::to_string(server.port()) + "/wp-json/wc/v3/products";
    const auto started = Clock::now();
    g_cancel_at_ns = now_ns() + 200 * 1000000LL;
    try {
        client.perform(request);
        FAIL() << "the handshake completed";
    } catch (const WooError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Cancelled) << e.what();
    }
    const long after_cancel = static_cast<long>(std::chrono::duration_cast<milliseconds>(Clock::now() - started).count()) - 200;
    EXPECT_LE(after_cancel, kCancelBudgetMs);
    EXPECT_EQ(server.connections_accepted(), 1);
    g_cancel_at_ns = std::numeric_limits<std::int64_t>::max();
}

// Signs every attempt with its own number, as OAuth gives each a nonce.
class NumberingSigner final : public RequestSigner {
public:
    void sign(HttpRequest& request) const override {
        request.query.push_back({"oauth_nonce", "nonce-" + std::to_string(++calls_)});
    }
    std::vector<std::string> secrets() const override { return {}; }

private:
    mutable int calls_ = 0;
};

TransportOptions quick_options() {
    TransportOptions o;
    o.timeout_ms = 5000;
    o.connect_timeout_ms = 1000;
    o.max_retries = 2;
    o.retry_base_ms = 10;
    o.retry_max_ms = 50;
    return o;
}

HttpRequest request_to(const ScriptedServer& server, HttpMethod method = HttpMethod::Get) {
    HttpRequest r;
    r.method = method;
    r.url = server.url("/wp-json/wc/v3/products");
    if (method == HttpMethod::Post) r.body = R"({"name":"x"})";
    return r;
}

TEST(TransportWaits, ARequestOnAConnectionThatDiedIsSentAgainOnlySignedAfresh) {
    // Request 1 leaves the connection open; the server reads request 2 on
    // it and closes without answering (as a store that processed it and
    // died, or a keep-alive timeout). libcurl would resend the very same
    // request on a new connection, with the nonce already used.
    ScriptedServer server;
    server.enqueue(ScriptedResponse::json(200, "[1]"));
    server.enqueue(ScriptedResponse::close_without_response());
    server.enqueue(ScriptedResponse::json(200, "[2]"));
    HttpClient client(quick_options());
    client.set_signer(std::make_shared<NumberingSigner>());
    EXPECT_EQ(client.perform(request_to(server)).body, "[1]");
    const HttpResponse second = client.perform(request_to(server));
    EXPECT_EQ(second.body, "[2]");
    EXPECT_EQ(second.retries, 1);
    std::set<std::string> nonces;
    for (const auto& r : server.requests()) nonces.insert(r.query_value("oauth_nonce"));
    EXPECT_EQ(server.request_count(), 3u);
    EXPECT_EQ(nonces.size(), server.request_count()) << "a nonce went out twice";
}

TEST(TransportWaits, APostOnAConnectionThatDiedIsNotSentAgain) {
    ScriptedServer server;
    server.enqueue(ScriptedResponse::json(200, "[1]"));
    server.enqueue(ScriptedResponse::close_without_response());
    server.enqueue(ScriptedResponse::json(201, R"({"id":5})"));
    HttpClient client(quick_options());
    client.set_signer(std::make_shared<NumberingSigner>());
    client.perform(request_to(server));
    try {
        client.perform(request_to(server, HttpMethod::Post));
        FAIL() << "the create was sent again";
    } catch (const WooError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Connect);
        EXPECT_NE(e.hint().find("not sent again"), std::string::npos) << e.hint();
    }
    std::size_t posts = 0;
    for (const auto& r : server.requests()) posts += r.method == "POST";
    EXPECT_EQ(posts, 1u);
}

}  // namespace
}  // namespace wcfdw
