#include "core/transport/http_client.hpp"

#include <atomic>
#include <cstdint>
#include <limits>
#include <set>
#include <thread>
#include <mutex>
#include <map>

#include <gtest/gtest.h>

#include "core/transport/auth.hpp"
#include "core/transport/crypto.hpp"
#include "core/base/woo_error.hpp"
#include "support/scripted_server.hpp"

namespace wcfdw {
namespace {

using testing::ReceivedRequest;
using testing::ScriptedResponse;
using testing::ScriptedServer;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Short waits everywhere, so the whole suite stays within seconds.
TransportOptions fast_options() {
    TransportOptions o;
    o.timeout_ms = 5000;
    o.connect_timeout_ms = 1000;
    o.max_retries = 3;
    o.retry_base_ms = 10;
    o.retry_max_ms = 50;
    return o;
}

HttpRequest get(const ScriptedServer& server, const std::string& path = "/wp-json/wc/v3/products") {
    HttpRequest r;
    r.url = server.url(path);
    return r;
}

HttpRequest post(const ScriptedServer& server, const std::string& body = R"({"name":"x"})") {
    HttpRequest r;
    r.method = HttpMethod::Post;
    r.url = server.url("/wp-json/wc/v3/products");
    r.body = body;
    return r;
}

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// CancelHook is a plain function pointer, so its trigger lives in globals.
std::atomic<std::int64_t> g_cancel_at{std::numeric_limits<std::int64_t>::max()};
std::atomic<int> g_cancel_calls{0};

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

bool cancel_hook() {
    ++g_cancel_calls;
    return now_ns() >= g_cancel_at.load();
}

void cancel_in(milliseconds delay) {
    g_cancel_calls = 0;
    g_cancel_at = now_ns() + std::chrono::duration_cast<std::chrono::nanoseconds>(delay).count();
}

void never_cancel() {
    g_cancel_at = std::numeric_limits<std::int64_t>::max();
}

// Records how often it was asked to sign and stamps each attempt.
class CountingSigner final : public RequestSigner {
public:
    void sign(HttpRequest& request) const override {
        const int n = ++calls;
        request.query.push_back({"attempt", std::to_string(n)});
    }
    std::vector<std::string> secrets() const override { return {}; }
    mutable std::atomic<int> calls{0};
};

TEST(HttpClient, SendsMethodHeadersAndBodyAndReturnsTheResponse) {
    ScriptedServer server;
    ScriptedResponse answer = ScriptedResponse::json(201, R"({"id":7})");
    answer.headers.emplace_back("X-WP-Total", "42");
    server.enqueue(answer);
    HttpClient client(fast_options());
    HttpRequest request = post(server, R"({"name":"Hat"})");
    request.query = {{"per_page", "10"}, {"search", "red hat"}};
    const HttpResponse response = client.perform(request);

    EXPECT_EQ(response.status, 201);
    EXPECT_EQ(response.body, R"({"id":7})");
    EXPECT_EQ(response.header("x-wp-total"), "42");
    EXPECT_EQ(response.header("X-WP-TOTAL"), "42");
    EXPECT_EQ(response.header("missing"), "");
    EXPECT_EQ(response.retries, 0);
    const auto received = server.requests();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].method, "POST");
    EXPECT_EQ(received[0].target, "/wp-json/wc/v3/products?per_page=10&search=red%20hat");
    EXPECT_EQ(received[0].body, R"({"name":"Hat"})");
    EXPECT_EQ(received[0].header("content-type"), "application/json");
    EXPECT_EQ(received[0].header("accept"), "application/json");
    EXPECT_EQ(received[0].header("user-agent"), kUserAgent);
    EXPECT_EQ(received[0].header("expect"), "");
}

TEST(HttpClient, PutAndDeleteUseTheirMethods) {
    ScriptedServer server;
    server.set_handler([](const ReceivedRequest&) { return ScriptedResponse::json(200); });
    HttpClient client(fast_options());
    HttpRequest put = get(server, "/wp-json/wc/v3/products/5");
    put.method = HttpMethod::Put;
    put.body = R"({"regular_price":"9.99"})";
    HttpRequest del = get(server, "/wp-json/wc/v3/products/5");
    del.method = HttpMethod::Delete;
    del.query = {{"force", "true"}};
    client.perform(put);
    client.perform(del);
    const auto received = server.requests();
    ASSERT_EQ(received.size(), 2u);
    EXPECT_EQ(received[0].method, "PUT");
    EXPECT_EQ(received[0].body, R"({"regular_price":"9.99"})");
    EXPECT_EQ(received[1].method, "DELETE");
    EXPECT_EQ(received[1].body, "");
    EXPECT_EQ(received[1].header("content-type"), "");
}

TEST(HttpClient, SequentialRequestsReuseOneConnection) {
    ScriptedServer server;
    server.set_handler([](const ReceivedRequest&) { return ScriptedResponse::json(200, "[]"); });
    HttpClient client(fast_options());
    for (int i = 0; i < 4; ++i) EXPECT_EQ(client.perform(get(server)).status, 200);
    EXPECT_EQ(server.connections_accepted(), 1);
    for (const auto& r : server.requests()) EXPECT_EQ(r.connection, 1);
    EXPECT_EQ(client.stats().requests, 4u);
}

TEST(HttpClient, PerformAllBoundsConcurrencyAndKeepsInputOrder) {
    ScriptedServer server;
    server.set_handler([](const ReceivedRequest& r) {
        ScriptedResponse answer = ScriptedResponse::json(200, "\"" + r.path + "\"");
        // Later requests answer sooner, so completion order differs from input order.
        answer.delay = milliseconds(120 - 10 * std::stoi(r.path.substr(r.path.rfind('/') + 1)));
        return answer;
    });
    TransportOptions options = fast_options();
    options.concurrency = 3;
    HttpClient client(options);
    std::vector<HttpRequest> requests;
    for (int i = 0; i < 8; ++i) requests.push_back(get(server, "/item/" + std::to_string(i)));
    const auto responses = client.perform_all(requests);

    ASSERT_EQ(responses.size(), 8u);
    for (int i = 0; i < 8; ++i) EXPECT_EQ(responses[i].body, "\"/item/" + std::to_string(i) + "\"");
    EXPECT_EQ(server.max_in_flight(), 3);
    EXPECT_LE(server.connections_accepted(), 3);
}

// The import's pipeline: while the caller works on answer i (deliver, which
// does not drive curl), the following requests are already at the server.
TEST(HttpClient, PerformStreamSendsTheNextRequestsBeforeDelivering) {
    ScriptedServer server;
    std::mutex lock;
    std::map<int, Clock::time_point> arrived;
    server.set_handler([&](const ReceivedRequest& r) {
        const int item = std::stoi(r.path.substr(r.path.rfind('/') + 1));
        {
            std::lock_guard<std::mutex> guard(lock);
            arrived[item] = Clock::now();
        }
        ScriptedResponse answer = ScriptedResponse::json(200, std::to_string(item));
        answer.delay = milliseconds(20);
        return answer;
    });
    TransportOptions options = fast_options();
    options.concurrency = 2;
    HttpClient client(options);
    std::vector<std::string> bodies;
    Clock::time_point first_delivered_at;
    client.perform_stream(
        6, [&](std::size_t i) { return get(server, "/item/" + std::to_string(i)); },
        [&](std::size_t i, HttpResponse&& response) {
            bodies.push_back(response.body);
            if (i == 0) {
                first_delivered_at = Clock::now();
                std::this_thread::sleep_for(milliseconds(300));  // the caller's work, curl not driven
            }
            return true;
        });
    EXPECT_EQ(bodies, (std::vector<std::string>{"0", "1", "2", "3", "4", "5"}));
    EXPECT_EQ(server.max_in_flight(), 2);
    std::lock_guard<std::mutex> guard(lock);
    ASSERT_TRUE(arrived.count(2));
    // Request 2 took the slot answer 0 freed, and went out before the
    // caller's 300 ms of work on answer 0, not after.
    const double after_ms = std::chrono::duration<double, std::milli>(arrived[2] - first_delivered_at).count();
    EXPECT_LT(after_ms, 150.0);
}

TEST(HttpClient, PerformStreamStopsWhenAskedAndStaysUsable) {
    ScriptedServer server;
    server.set_handler([](const ReceivedRequest& r) { return ScriptedResponse::json(200, "\"" + r.path + "\""); });
    TransportOptions options = fast_options();
    options.concurrency = 2;
    HttpClient client(options);
    std::size_t made = 0;
    std::size_t delivered = 0;
    client.perform_stream(
        100, [&](std::size_t i) { ++made; return get(server, "/item/" + std::to_string(i)); },
        [&](std::size_t i, HttpResponse&&) { ++delivered; return i < 2; });
    EXPECT_EQ(delivered, 3u);
    EXPECT_LE(made, 3u + 2 * 2);  // those delivered, answers waiting and requests in flight: not the 100 asked
    EXPECT_THROW(client.perform_stream(
                     4, [&](std::size_t i) { return get(server, "/item/" + std::to_string(i)); },
                     [&](std::size_t, HttpResponse&&) -> bool { throw WooError(ErrorKind::Internal, "the write failed"); }),
                 WooError);
    EXPECT_EQ(client.perform(get(server, "/after")).status, 200);
}

TEST(HttpClient, PerformAllAbortsTheRestOnTheFirstTransportError) {
    ScriptedServer server;
    server.set_handler([](const ReceivedRequest& r) {
        if (r.path == "/broken") return ScriptedResponse::close_without_response();
        return ScriptedResponse::hang();
    });
    HttpClient client(fast_options());
    std::vector<HttpRequest> requests = {get(server, "/slow"), post(server), get(server, "/slow")};
    requests[1].url = server.url("/broken");
    const auto start = Clock::now();
    try {
        client.perform_all(requests);
        FAIL() << "no error";
    } catch (const WooError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Connect);
    }
    EXPECT_LT(ms_since(start), 1000);
    // The client stays usable after an aborted batch.
    server.set_handler([](const ReceivedRequest&) { return ScriptedResponse::json(200); });
    EXPECT_EQ(client.perform(get(server)).status, 200);
}

TEST(HttpClient, RateLimitHonoursRetryAfterEvenForPost) {
    ScriptedServer server;
    ScriptedResponse limited = ScriptedResponse::json(429, R"({"code":"too_many_requests"})");
    limited.headers.emplace_back("Retry-After", "1");
    server.enqueue(limited);
    server.enqueue(ScriptedResponse::json(201, R"({"id":1})"));
    TransportOptions options = fast_options();
    options.retry_max_ms = 5000;
    HttpClient client(options);
    const auto start = Clock::now();
    const HttpResponse response = client.perform(post(server));
    const double elapsed = ms_since(start);
    EXPECT_EQ(response.status, 201);
    EXPECT_EQ(response.retries, 1);
    EXPECT_GE(elapsed, 1000);
    EXPECT_LT(elapsed, 2500);
    const auto received = server.requests();
    ASSERT_EQ(received.size(), 2u);
    EXPECT_GE(received[1].received_at - received[0].received_at, milliseconds(1000));
    EXPECT_EQ(client.stats().retries, 1u);
}

TEST(HttpClient, RetryAfterBeyondTheCapEndsTheRequestAtOnce) {
    // Sending sooner than the store asked only earns another 429, and
    // waiting 30 s blocks the statement: the answer is reported at once.
    ScriptedServer server;
    ScriptedResponse limited = ScriptedResponse::json(429);
    limited.headers.emplace_back("Retry-After", "30");
    server.enqueue(limited);
    server.enqueue(ScriptedResponse::json(200));
    TransportOptions options = fast_options();
    options.retry_after_max_ms = 10000;
    HttpClient client(options);
    const auto start = Clock::now();
    const HttpResponse r = client.perform(get(server));
    EXPECT_LT(ms_since(start), 1000);
    EXPECT_EQ(r.status, 429);
    EXPECT_EQ(r.retries, 0);
    EXPECT_EQ(r.retry_end, HttpResponse::RetryEnd::WaitTooLong);
    EXPECT_EQ(r.retry_wait_ms, 30000);
    EXPECT_EQ(server.request_count(), 1u);
}

TEST(HttpClient, RetryEndSaysWhyA503WasKept) {
    ScriptedServer server;
    server.set_handler([](const ReceivedRequest&) { return ScriptedResponse::json(503); });
    TransportOptions options = fast_options();
    options.max_retries = 2;
    HttpClient client(options);
    const HttpResponse get_answer = client.perform(get(server));
    EXPECT_EQ(get_answer.retries, 2);
    EXPECT_EQ(get_answer.retry_end, HttpResponse::RetryEnd::Exhausted);
    const HttpResponse post_answer = client.perform(post(server));
    EXPECT_EQ(post_answer.retries, 0);
    EXPECT_EQ(post_answer.retry_end, HttpResponse::RetryEnd::NotResent);
    options.deadline = Clock::now() + milliseconds(1);
    options.retry_base_ms = 1000;
    HttpClient hurried(options);
    const HttpResponse late = hurried.perform(get(server));
    EXPECT_EQ(late.retries, 0);
    EXPECT_EQ(late.retry_end, HttpResponse::RetryEnd::PastDeadline);
}

TEST(HttpClient, ServiceUnavailableIsRetriedForGetButNotForPost) {
    ScriptedServer server;
    HttpClient client(fast_options());

    server.enqueue(ScriptedResponse::json(503));
    server.enqueue(ScriptedResponse::json(200, "[]"));
    const HttpResponse got = client.perform(get(server));
    EXPECT_EQ(got.status, 200);
    EXPECT_EQ(got.retries, 1);
    EXPECT_EQ(server.request_count(), 2u);

    server.enqueue(ScriptedResponse::json(503, R"({"code":"down"})"));
    const HttpResponse posted = client.perform(post(server));
    EXPECT_EQ(posted.status, 503);
    EXPECT_EQ(posted.body, R"({"code":"down"})");
    EXPECT_EQ(posted.retries, 0);
    EXPECT_EQ(server.request_count(), 3u);

    // A POST the caller declares idempotent is retried like a GET.
    HttpRequest safe_post = post(server);
    safe_post.idempotent = true;
    server.enqueue(ScriptedResponse::json(502));
    server.enqueue(ScriptedResponse::json(201));
    const HttpResponse retried = client.perform(safe_post);
    EXPECT_EQ(retried.status, 201);
    EXPECT_EQ(retried.retries, 1);
}

TEST(HttpClient, MaxRetriesBoundsTheAttempts) {
    ScriptedServer server;
    server.set_handler([](const ReceivedRequest&) { return ScriptedResponse::json(503); });
    TransportOptions options = fast_options();
    options.max_retries = 2;
    HttpClient client(options);
    const HttpResponse response = client.perform(get(server));
    EXPECT_EQ(response.status, 503);
    EXPECT_EQ(response.retries, 2);
    EXPECT_EQ(server.request_count(), 3u);
    EXPECT_EQ(client.stats().requests, 3u);
    EXPECT_EQ(client.stats().retries, 2u);

    options.max_retries = 0;
    HttpClient no_retry(options);
    EXPECT_EQ(no_retry.perform(get(server)).retries, 0);
    EXPECT_EQ(server.request_count(), 4u);
}

TEST(HttpClient, DeadlineStopsRetriesBeforeASleepWouldPassIt) {
    ScriptedServer server;
    server.set_handler([](const ReceivedRequest&) { return ScriptedResponse::json(503); });
    TransportOptions options = fast_options();
    options.max_retries = 20;
    options.retry_base_ms = 100;
    options.retry_max_ms = 100;
    HttpClient client(options);
    const auto start = Clock::now();
    client.set_deadline(start + milliseconds(350));
    const HttpResponse response = client.perform(get(server));
    const double elapsed = ms_since(start);
    EXPECT_EQ(response.status, 503);
    EXPECT_GE(response.retries, 2);
    EXPECT_LT(response.retries, 20);
    EXPECT_LT(elapsed, 400);
}

TEST(HttpClient, ConnectionRefusedIsRetriedThenReported) {
    const int port = testing::unused_port();
    TransportOptions options = fast_options();
    options.max_retries = 2;
    HttpClient client(options);
    for (HttpMethod method : {HttpMethod::Get, HttpMethod::Post}) {
        HttpRequest request;
        request.method = method;
        request.url = "http://127.0.0.1:" + std::to_string(port) + "/wp-json/wc/v3/products";
        try {
            client.perform(request);
            FAIL() << "connected to a closed port";
        } catch (const WooError& e) {
            EXPECT_EQ(e.kind(), ErrorKind::Connect);
            EXPECT_EQ(e.retries, 2) << http_method_name(method);  // POST too: it never left
            EXPECT_NE(std::string(e.what()).find("could not connect to 127.0.0.1"), std::string::npos) << e.what();
            EXPECT_FALSE(e.hint().empty());
        }
    }
    EXPECT_EQ(client.stats().requests, 0u);
    EXPECT_EQ(client.stats().retries, 4u);
}

TEST(HttpClient, ARequestThatMustNotRunTwiceAtOnceIsNotRepeatedAfterATimeout) {
    // The first attempt may still be running at the server after a timeout;
    // after the server broke the connection off it is not.
    for (const bool timeout : {true, false}) {
        ScriptedServer server;
        ScriptedResponse first = timeout ? ScriptedResponse::json(200) : ScriptedResponse::close_without_response();
        if (timeout) first.delay = milliseconds(1500);
        server.enqueue(first);
        server.set_handler([](const ReceivedRequest&) { return ScriptedResponse::json(200, "{}"); });
        TransportOptions options = fast_options();
        options.timeout_ms = 200;
        options.max_retries = 2;
        HttpClient client(options);
        HttpRequest request = get(server);
        request.method = HttpMethod::Post;
        request.body = "{}";
        request.idempotent = true;
        request.repeat_while_running = false;
        if (timeout) {
            EXPECT_THROW(client.perform(request), WooError);
            EXPECT_EQ(server.request_count(), 1u);
        } else {
            EXPECT_EQ(client.perform(request).status, 200);
            EXPECT_EQ(server.request_count(), 2u);
        }
    }
}

TEST(HttpClient, SlowAnswerBecomesATimeoutError) {
    ScriptedServer server;
    ScriptedResponse slow = ScriptedResponse::json(200);
    slow.delay = milliseconds(3000);
    server.enqueue(slow);
    TransportOptions options = fast_options();
    options.timeout_ms = 200;
    options.max_retries = 0;
    HttpClient client(options);
    const auto start = Clock::now();
    try {
        client.perform(get(server));
        FAIL() << "no timeout";
    } catch (const WooError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Timeout);
        EXPECT_NE(std::string(e.what()).find("timed out after 200 ms"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find(server.url("/wp-json/wc/v3/products")), std::string::npos) << e.what();
        EXPECT_NE(e.hint().find("timeout_ms"), std::string::npos) << e.hint();
    }
    EXPECT_LT(ms_since(start), 1000);
}

TEST(HttpClient, TrickledBodyArrivesWholeOrTimesOut) {
    ScriptedServer server;
    const std::string body(2000, 'x');
    ScriptedResponse trickle = ScriptedResponse::json(200, body);
    trickle.trickle_bytes = 200;
    trickle.trickle_interval = milliseconds(20);
    server.enqueue(trickle);
    HttpClient client(fast_options());
    EXPECT_EQ(client.perform(get(server)).body, body);

    trickle.trickle_interval = milliseconds(100);
    server.enqueue(trickle);
    TransportOptions options = fast_options();
    options.timeout_ms = 300;
    options.max_retries = 0;
    HttpClient impatient(options);
    try {
        impatient.perform(get(server));
        FAIL() << "no timeout";
    } catch (const WooError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Timeout);
    }
}

TEST(HttpClient, CancelHookStopsARequestThatNeverAnswers) {
    ScriptedServer server;
    server.enqueue(ScriptedResponse::hang());
    HttpClient client(fast_options());
    client.set_cancel_hook(&cancel_hook);
    cancel_in(milliseconds(100));
    const auto cancel_at = Clock::now() + milliseconds(100);
    try {
        client.perform(get(server));
        FAIL() << "not cancelled";
    } catch (const WooError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Cancelled);
        EXPECT_STREQ(e.what(), "request cancelled");
    }
    EXPECT_LT(ms_since(cancel_at), 150);
    EXPECT_GE(g_cancel_calls.load(), 2);  // polled while waiting, not only once
    never_cancel();

    // The next statement can use the same client.
    server.enqueue(ScriptedResponse::json(200));
    EXPECT_EQ(client.perform(get(server)).status, 200);
}

TEST(HttpClient, CancelHookInterruptsABackoffSleep) {
    ScriptedServer server;
    ScriptedResponse limited = ScriptedResponse::json(429);
    limited.headers.emplace_back("Retry-After", "10");
    server.enqueue(limited);
    TransportOptions options = fast_options();
    options.retry_max_ms = 10000;
    HttpClient client(options);
    client.set_cancel_hook(&cancel_hook);
    cancel_in(milliseconds(100));
    const auto cancel_at = Clock::now() + milliseconds(100);
    EXPECT_THROW(
        {
            try {
                client.perform(get(server));
            } catch (const WooError& e) {
                EXPECT_EQ(e.kind(), ErrorKind::Cancelled);
                throw;
            }
        },
        WooError);
    EXPECT_LT(ms_since(cancel_at), 150);
    never_cancel();
}

TEST(HttpClient, ResponseSizeCapIsEnforcedWhileReading) {
    ScriptedServer server;
    TransportOptions options = fast_options();
    options.max_response_bytes = 1024;
    HttpClient client(options);

    // Declared length over the cap, body of unknown length, and a small gzip
    // that inflates past the cap: all stop at the cap.
    ScriptedResponse declared = ScriptedResponse::json(200, std::string(4096, 'a'));
    ScriptedResponse unknown_length = declared;
    unknown_length.send_content_length = false;
    ScriptedResponse bomb = ScriptedResponse::json(200, testing::gzip(std::string(100000, ' ')));
    bomb.headers.emplace_back("Content-Encoding", "gzip");
    ASSERT_LT(bomb.body.size(), 1024u);
    for (const auto& answer : {declared, unknown_length, bomb}) {
        server.enqueue(answer);
        try {
            client.perform(get(server));
            FAIL() << "accepted an oversized body";
        } catch (const WooError& e) {
            EXPECT_EQ(e.kind(), ErrorKind::ResponseTooLarge);
            EXPECT_NE(e.hint().find("max_response_bytes"), std::string::npos);
            EXPECT_EQ(e.retries, 0);
        }
    }
    EXPECT_EQ(server.request_count(), 3u);

    server.enqueue(ScriptedResponse::json(200, std::string(1024, 'b')));
    EXPECT_EQ(client.perform(get(server)).body.size(), 1024u);  // exactly the cap is fine
}

TEST(HttpClient, ResponseHeadersOverTheirCapAreRefusedAlikeOnEveryCurl) {
    // Before libcurl's own 300 kB limit, whose error differs by version.
    ScriptedServer server;
    TransportOptions options = fast_options();
    options.max_response_bytes = 8 * 1024 * 1024;
    HttpClient client(options);
    const auto with_headers = [](std::size_t count) {
        ScriptedResponse answer = ScriptedResponse::json(200, "[]");
        for (std::size_t i = 0; i < count; ++i) answer.headers.emplace_back("X-H" + std::to_string(i), "0123456789");
        return answer;
    };
    server.enqueue(with_headers(20000));  // about 400 kB in 20000 lines
    try {
        client.perform(get(server));
        FAIL() << "accepted 400 kB of headers";
    } catch (const WooError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidResponse);
        EXPECT_NE(std::string(e.what()).find("its headers exceed 256 kB or 1000 lines"), std::string::npos)
            << e.what();
        EXPECT_EQ(e.retries, 0);
    }
    server.enqueue(with_headers(1200));  // 1200 short lines: too many
    EXPECT_THROW(client.perform(get(server)), WooError);
    ScriptedResponse long_lines = ScriptedResponse::json(200, "[]");  // 200 kB in 900 lines: fine
    for (int i = 0; i < 900; ++i) long_lines.headers.emplace_back("X-H" + std::to_string(i), std::string(220, 'v'));
    server.enqueue(long_lines);
    EXPECT_EQ(client.perform(get(server)).body, "[]");
}

TEST(HttpClient, TruncatedBodyIsAnErrorNotAShortBody) {
    ScriptedServer server;
    ScriptedResponse truncated = ScriptedResponse::json(200, std::string(40, 'x'));
    truncated.content_length = 100;
    TransportOptions options = fast_options();
    options.max_retries = 0;
    HttpClient client(options);
    server.enqueue(truncated);
    try {
        client.perform(get(server));
        FAIL() << "a short body passed";
    } catch (const WooError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidResponse);
        EXPECT_STREQ(e.sqlstate(), "08P01");
        EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
    }

    // With retries a GET recovers.
    HttpClient retrying(fast_options());
    server.enqueue(truncated);
    server.enqueue(ScriptedResponse::json(200, "[1]"));
    const HttpResponse response = retrying.perform(get(server));
    EXPECT_EQ(response.body, "[1]");
    EXPECT_EQ(response.retries, 1);
}

TEST(HttpClient, ClosedWithoutAnswerRetriesGetButNotPost) {
    ScriptedServer server;
    HttpClient client(fast_options());
    server.enqueue(ScriptedResponse::close_without_response());
    server.enqueue(ScriptedResponse::json(200));
    EXPECT_EQ(client.perform(get(server)).retries, 1);

    HttpClient fresh(fast_options());  // no pooled connection curl could silently retry on
    server.enqueue(ScriptedResponse::close_without_response());
    server.enqueue(ScriptedResponse::json(201));
    const std::size_t before = server.request_count();
    try {
        fresh.perform(post(server));
        FAIL() << "POST retried or succeeded";
    } catch (const WooError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Connect);
        EXPECT_EQ(e.retries, 0);
        EXPECT_NE(e.hint().find("not retried"), std::string::npos) << e.hint();
    }
    EXPECT_EQ(server.request_count(), before + 1);
}

TEST(HttpClient, GzipIsAcceptedAndDecoded) {
    ScriptedServer server;
    std::string json = "[";
    for (int i = 0; i < 200; ++i) json += (i ? "," : "") + std::string(R"({"id":)") + std::to_string(i) + "}";
    json += "]";
    ScriptedResponse answer = ScriptedResponse::json(200, testing::gzip(json));
    answer.headers.emplace_back("Content-Encoding", "gzip");
    server.enqueue(answer);
    HttpClient client(fast_options());
    const HttpResponse response = client.perform(get(server));
    EXPECT_EQ(response.body, json);
    EXPECT_LT(response.bytes_received, json.size());  // counted as it came over the wire
    EXPECT_EQ(client.stats().bytes_received, response.bytes_received);
    EXPECT_NE(server.requests()[0].header("accept-encoding").find("gzip"), std::string::npos);
}

TEST(HttpClient, RedirectIsReturnedNotFollowed) {
    ScriptedServer server;
    ScriptedResponse moved = ScriptedResponse::json(301);
    moved.headers.emplace_back("Location", "https://www.example.com/wp-json/wc/v3/products");
    server.enqueue(moved);
    HttpClient client(fast_options());
    const HttpResponse response = client.perform(get(server));
    EXPECT_EQ(response.status, 301);
    EXPECT_EQ(response.header("location"), "https://www.example.com/wp-json/wc/v3/products");
    EXPECT_EQ(server.request_count(), 1u);
}

TEST(HttpClient, SignerRunsBeforeEachAttemptOnAFreshCopy) {
    ScriptedServer server;
    auto counting = std::make_shared<CountingSigner>();
    HttpClient client(fast_options());
    client.set_signer(counting);
    server.enqueue(ScriptedResponse::json(503));
    server.enqueue(ScriptedResponse::json(200));
    client.perform(get(server));
    EXPECT_EQ(counting->calls.load(), 2);
    const auto received = server.requests();
    ASSERT_EQ(received.size(), 2u);
    EXPECT_EQ(received[0].query, "attempt=1");
    EXPECT_EQ(received[1].query, "attempt=2");  // not "attempt=1&attempt=2"
}

TEST(HttpClient, OAuthRetryGetsAFreshNonce) {
    ScriptedServer server;
    HttpClient client(fast_options());
    client.set_signer(make_signer(AuthMode::OAuth1, {"ck_k", "cs_s"}));
    server.enqueue(ScriptedResponse::json(503));
    server.enqueue(ScriptedResponse::json(200));
    client.perform(get(server));
    const auto received = server.requests();
    ASSERT_EQ(received.size(), 2u);
    EXPECT_EQ(received[0].query_value("oauth_nonce").size(), 32u);
    EXPECT_NE(received[0].query_value("oauth_nonce"), received[1].query_value("oauth_nonce"));
    EXPECT_NE(received[0].query_value("oauth_signature"), received[1].query_value("oauth_signature"));
}

void expect_no_secret(const WooError& e, const std::vector<std::string>& secrets) {
    for (const std::string& text : {std::string(e.what()), e.detail(), e.hint()})
        for (const auto& secret : secrets) EXPECT_EQ(text.find(secret), std::string::npos) << text;
}

TEST(HttpClient, CredentialsNeverAppearInErrors) {
    ScriptedServer server;
    const Credentials credentials{"ck_visible", "cs_top_secret"};
    const std::string basic_token = base64_encode("ck_visible:cs_top_secret");
    TransportOptions options = fast_options();
    options.max_retries = 0;
    options.timeout_ms = 200;

    for (AuthMode mode : {AuthMode::Basic, AuthMode::QueryString, AuthMode::OAuth1}) {
        SCOPED_TRACE(auth_mode_name(mode));
        HttpClient client(options);
        client.set_signer(make_signer(mode, credentials));
        // A caller that (wrongly) put the secret in the query must not leak it either.
        HttpRequest request = post(server);
        request.query = {{"note", "cs_top_secret"}};

        server.enqueue(ScriptedResponse::close_without_response());
        try {
            client.perform(request);
            FAIL() << "no error";
        } catch (const WooError& e) {
            EXPECT_EQ(e.kind(), ErrorKind::Connect);
            expect_no_secret(e, {"cs_top_secret", basic_token});
            EXPECT_NE(e.detail().find("note=********"), std::string::npos) << e.detail();
        }

        server.enqueue(ScriptedResponse::hang());
        try {
            client.perform(request);
            FAIL() << "no timeout";
        } catch (const WooError& e) {
            EXPECT_EQ(e.kind(), ErrorKind::Timeout);
            expect_no_secret(e, {"cs_top_secret", basic_token});
        }
    }
}

TEST(HttpClient, TlsHandshakeFailureIsATlsError) {
    ScriptedServer server;
    server.set_greeting("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    TransportOptions options = fast_options();
    options.max_retries = 2;
    HttpClient client(options);
    HttpRequest request;
    request.url = "https://127.0.0.1:" + std::to_string(server.port()) + "/wp-json/wc/v3/products";
    try {
        client.perform(request);
        FAIL() << "TLS to a plain-text server succeeded";
    } catch (const WooError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Tls);
        EXPECT_EQ(e.retries, 0);  // a certificate or protocol problem does not heal by retrying
        EXPECT_NE(std::string(e.what()).find("127.0.0.1"), std::string::npos) << e.what();
        EXPECT_FALSE(e.hint().empty());
    }
    EXPECT_EQ(server.connections_accepted(), 1);
}

TEST(HttpClient, OptionsAndEmptyBatches) {
    HttpClient client(fast_options());
    EXPECT_TRUE(client.perform_all({}).empty());
    EXPECT_EQ(client.options().retry_base_ms, 10);
    client.reset_stats();
    EXPECT_EQ(client.stats().requests, 0u);
}

}  // namespace
}  // namespace wcfdw
