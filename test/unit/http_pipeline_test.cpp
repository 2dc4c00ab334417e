// HttpPipeline: requests submitted one by one and collected by ticket, in
// any order, while the caller drives the transfers between its own work.
// Against the scripted server: answers reach the right ticket, the
// concurrency bound holds, transfers progress during drive() alone,
// retries and the cancel hook work as in perform_all, two pipelines share
// one client's connections without taking each other's answers, and a
// dropped pipeline leaves the client usable.
#include "core/transport/http_pipeline.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "core/base/woo_error.hpp"
#include "support/scripted_server.hpp"

namespace wcfdw {
namespace {

using testing::ReceivedRequest;
using testing::ScriptedResponse;
using testing::ScriptedServer;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

TransportOptions options(int concurrency) {
    TransportOptions o;
    o.timeout_ms = 5000;
    o.connect_timeout_ms = 1000;
    o.max_retries = 3;
    o.retry_base_ms = 10;
    o.retry_max_ms = 50;
    o.concurrency = concurrency;
    return o;
}

HttpRequest get(const ScriptedServer& server, const std::string& name) {
    HttpRequest r;
    r.url = server.url("/wp-json/wc/v3/" + name);
    return r;
}

// Answers with the request's path, after `delay`.
void echo_paths(ScriptedServer& server, milliseconds delay) {
    server.set_handler([delay](const ReceivedRequest& r) {
        ScriptedResponse a = ScriptedResponse::json(200, "\"" + r.path + "\"");
        a.delay = delay;
        return a;
    });
}

std::atomic<std::int64_t> g_cancel_at{std::numeric_limits<std::int64_t>::max()};

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

bool cancel_hook() { return now_ns() >= g_cancel_at.load(); }

TEST(HttpPipeline, AnswersReachTheirTicketsInAnyOrder) {
    ScriptedServer server;
    echo_paths(server, milliseconds(5));
    HttpClient client(options(4));
    HttpPipeline pipeline(client);
    std::vector<HttpPipeline::Ticket> tickets;
    for (int i = 0; i < 6; ++i) tickets.push_back(pipeline.submit(get(server, "p" + std::to_string(i))));
    EXPECT_EQ(pipeline.outstanding(), 6u);
    for (int i = 5; i >= 0; --i) {
        const HttpResponse r = pipeline.collect(tickets[static_cast<std::size_t>(i)]);
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(r.body, "\"/wp-json/wc/v3/p" + std::to_string(i) + "\"");
    }
    EXPECT_EQ(pipeline.outstanding(), 0u);
    EXPECT_EQ(client.stats().requests, 6u);
    EXPECT_THROW(pipeline.collect(tickets[0]), WooError);  // collected already
}

TEST(HttpPipeline, NeverMoreThanConcurrencyInFlight) {
    ScriptedServer server;
    echo_paths(server, milliseconds(30));
    HttpClient client(options(2));
    HttpPipeline pipeline(client);
    std::vector<HttpPipeline::Ticket> tickets;
    for (int i = 0; i < 6; ++i) tickets.push_back(pipeline.submit(get(server, "p" + std::to_string(i))));
    for (const auto t : tickets) EXPECT_EQ(pipeline.collect(t).status, 200);
    EXPECT_EQ(server.max_in_flight(), 2);
    EXPECT_EQ(server.request_count(), 6u);
}

TEST(HttpPipeline, TransfersProgressWhileTheCallerDrives) {
    // The caller works (sleeps) and drives now and then, never collecting:
    // the answer must be complete by then, and a queued request must have
    // been started as soon as the first ended, not at collect time.
    ScriptedServer server;
    echo_paths(server, milliseconds(40));
    HttpClient client(options(1));
    HttpPipeline pipeline(client);
    const auto first = pipeline.submit(get(server, "first"));
    const auto second = pipeline.submit(get(server, "second"));
    const auto started = Clock::now();
    while (!pipeline.finished(second) && Clock::now() - started < std::chrono::seconds(5)) {
        std::this_thread::sleep_for(milliseconds(2));
        pipeline.drive();
    }
    EXPECT_TRUE(pipeline.finished(first));
    ASSERT_TRUE(pipeline.finished(second));
    ASSERT_EQ(server.request_count(), 2u);
    const auto received = server.requests();
    EXPECT_GE(received[1].received_at - received[0].received_at, milliseconds(40));  // one at a time
    const auto collect_started = Clock::now();
    EXPECT_EQ(pipeline.collect(second).body, "\"/wp-json/wc/v3/second\"");
    EXPECT_EQ(pipeline.collect(first).body, "\"/wp-json/wc/v3/first\"");
    EXPECT_LT(Clock::now() - collect_started, milliseconds(20));  // nothing left to wait for
}

TEST(HttpPipeline, RetriesWithRetryAfterAsPerformAllDoes) {
    ScriptedServer server;
    ScriptedResponse limited = ScriptedResponse::json(429, R"({"code":"too_many"})");
    limited.headers.emplace_back("Retry-After", "0");
    server.enqueue(limited);
    server.enqueue(ScriptedResponse::json(200, "[1]"));
    HttpClient client(options(4));
    HttpPipeline pipeline(client);
    const HttpResponse r = pipeline.collect(pipeline.submit(get(server, "products")));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.retries, 1);
    EXPECT_EQ(client.stats().retries, 1u);
    EXPECT_EQ(server.request_count(), 2u);
}

TEST(HttpPipeline, CancelHookStopsAWaitingCollect) {
    ScriptedServer server;
    server.enqueue(ScriptedResponse::hang());
    HttpClient client(options(4));
    client.set_cancel_hook(cancel_hook);
    HttpPipeline pipeline(client);
    const auto ticket = pipeline.submit(get(server, "products"));
    const auto started = Clock::now();
    g_cancel_at = now_ns() + 100'000'000;
    try {
        pipeline.collect(ticket);
        FAIL() << "no cancel";
    } catch (const WooError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Cancelled);
    }
    g_cancel_at = std::numeric_limits<std::int64_t>::max();
    // Asked at least every 50 ms: well within 100 ms of the cancel (with
    // room for a loaded machine).
    EXPECT_LT(Clock::now() - started, milliseconds(100 + 150));
}

TEST(HttpPipeline, TransportErrorNamesItsRequest) {
    ScriptedServer server;
    server.set_handler([](const ReceivedRequest&) { return ScriptedResponse::close_without_response(); });
    HttpClient client(options(4));
    HttpPipeline pipeline(client);
    try {
        pipeline.collect(pipeline.submit(get(server, "products/broken")));
        FAIL() << "no error";
    } catch (const WooError& e) {
        EXPECT_NE(e.detail().find("GET " + server.url("/wp-json/wc/v3/products/broken")), std::string::npos)
            << e.detail();
    }
}

TEST(HttpPipeline, TwoPipelinesShareTheClientWithoutTakingEachOthersAnswers) {
    // Two scans of one store (a join): one multi handle, two owners.
    ScriptedServer server;
    echo_paths(server, milliseconds(10));
    HttpClient client(options(2));
    HttpPipeline a(client);
    HttpPipeline b(client);
    std::vector<HttpPipeline::Ticket> ta, tb;
    for (int i = 0; i < 4; ++i) {
        ta.push_back(a.submit(get(server, "a" + std::to_string(i))));
        tb.push_back(b.submit(get(server, "b" + std::to_string(i))));
    }
    // b waits while a's transfers finish too: they stay a's.
    for (int i = 0; i < 4; ++i)
        EXPECT_EQ(b.collect(tb[static_cast<std::size_t>(i)]).body, "\"/wp-json/wc/v3/b" + std::to_string(i) + "\"");
    for (int i = 0; i < 4; ++i)
        EXPECT_EQ(a.collect(ta[static_cast<std::size_t>(i)]).body, "\"/wp-json/wc/v3/a" + std::to_string(i) + "\"");
}

TEST(HttpPipeline, ADroppedPipelineLeavesTheClientUsable) {
    ScriptedServer server;
    echo_paths(server, milliseconds(200));
    HttpClient client(options(4));
    {
        HttpPipeline pipeline(client);
        pipeline.submit(get(server, "abandoned"));
        const auto kept = pipeline.submit(get(server, "cancelled"));
        pipeline.cancel(kept);
        EXPECT_EQ(pipeline.outstanding(), 1u);
    }  // a LIMIT reached, a ReScan: what is in flight is dropped
    echo_paths(server, milliseconds(0));
    EXPECT_EQ(client.perform(get(server, "after")).body, "\"/wp-json/wc/v3/after\"");
    HttpPipeline again(client);
    EXPECT_EQ(again.collect(again.submit(get(server, "again"))).status, 200);
}

}  // namespace
}  // namespace wcfdw
