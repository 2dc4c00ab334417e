// The receiver's HTTP side without PostgreSQL: the test's thread plays the
// background worker (wait, run, take, answer) while client threads send
// well-formed, oversized, slow and stalled requests.
#include "core/webhook/http_receiver.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include <curl/curl.h>
#include <gtest/gtest.h>

#include "core/base/woo_error.hpp"
#include "support/fixtures.hpp"

namespace wcfdw::webhook {
namespace {

using Clock = std::chrono::steady_clock;

ReceiverConfig config(unsigned read_timeout_s = 2, std::size_t max_body = 1024) {
    ReceiverConfig c;
    c.listen = "127.0.0.1:0";
    c.max_body_bytes = max_body;
    c.read_timeout_s = read_timeout_s;
    return c;
}

// The worker's loop: until `done` or the deadline, answer every complete
// request with `handler` (default: 200 and the body's length).
using Handler = std::function<std::pair<int, std::string>(const ReceivedRequest&)>;
std::vector<ReceivedRequest> serve(HttpReceiver& r, const std::function<bool()>& done, double seconds,
                                   const Handler& handler = nullptr) {
    std::vector<ReceivedRequest> seen;
    const auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
    while (!done() && Clock::now() < deadline) {
        pollfd p{r.wait_fd(), POLLIN, 0};
        poll(&p, 1, static_cast<int>(r.timeout_ms(50)));
        r.run();
        for (auto& request : r.take_ready()) {
            const auto answer = handler ? handler(request)
                                        : std::make_pair(200, "{\"bytes\":" + std::to_string(request.body.size()) + "}");
            r.answer(request.id, answer.first, answer.second);
            r.run();
            seen.push_back(std::move(request));
        }
    }
    return seen;
}

struct Reply {
    long status = 0;
    std::string body;
    std::string headers;
    CURLcode code = CURLE_OK;
};

size_t append(char* data, size_t size, size_t n, void* out) {
    static_cast<std::string*>(out)->append(data, size * n);
    return size * n;
}

Reply post(const std::string& url, const std::string& body, std::vector<std::string> headers = {},
           const char* method = "POST", const std::string& ca = "") {
    Reply reply;
    CURL* curl = curl_easy_init();
    curl_slist* list = nullptr;
    for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    if (std::string(method) == "POST") {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &append);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &append);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply.headers);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    if (!ca.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, ca.c_str());
    reply.code = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
    curl_slist_free_all(list);
    curl_easy_cleanup(curl);
    return reply;
}

int raw_connect(int port) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

// Reads until the peer closes (or `seconds` pass): what a stalled client sees.
std::string read_until_closed(int fd, double seconds) {
    std::string out;
    const auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
    char buf[4096];
    while (Clock::now() < deadline) {
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, 50) <= 0) continue;
        const ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0) return out.empty() ? "<closed>" : out;
        out.append(buf, static_cast<size_t>(n));
    }
    return out.empty() ? "<still open>" : out;
}

std::string url_of(const HttpReceiver& r, const char* scheme = "http") {
    return std::string(scheme) + "://127.0.0.1:" + std::to_string(r.port()) + "/woocommerce/webhook";
}

TEST(WebhookHttpReceiver, HandsOutACompleteRequestAndAnswersAfterwards) {
    HttpReceiver r(config());
    auto client = std::async(std::launch::async, [&] {
        return post(url_of(r), "{\"id\":10}", {"X-WC-Webhook-Topic: product.updated", "X-WC-Webhook-ID: 2"});
    });
    std::vector<ReceivedRequest> seen = serve(r, [&] { return client.wait_for(std::chrono::seconds(0)) == std::future_status::ready; }, 10,
                                              [](const ReceivedRequest&) { return std::make_pair(201, "{\"status\":201}"); });
    const Reply reply = client.get();
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].method, "POST");
    EXPECT_EQ(seen[0].path, "/woocommerce/webhook");
    EXPECT_EQ(seen[0].body, "{\"id\":10}");
    EXPECT_EQ(seen[0].headers["X-WC-Webhook-Topic"], "product.updated");
    EXPECT_EQ(seen[0].client, "127.0.0.1");
    EXPECT_EQ(reply.status, 201);
    EXPECT_EQ(reply.body, "{\"status\":201}");
    EXPECT_NE(reply.headers.find("Connection: close"), std::string::npos);
    EXPECT_EQ(r.unanswered(), 0u);
}

TEST(WebhookHttpReceiver, RefusesOtherMethodsAndOversizedBodiesItself) {
    HttpReceiver r(config(2, 100));
    std::atomic<int> finished{0};
    auto get = std::async(std::launch::async, [&] { auto x = post(url_of(r), "", {}, "GET"); ++finished; return x; });
    auto big = std::async(std::launch::async, [&] { auto x = post(url_of(r), std::string(101, 'x')); ++finished; return x; });
    // Without Content-Length: chunked, refused when the limit is crossed.
    auto chunked = std::async(std::launch::async, [&] {
        auto x = post(url_of(r), std::string(5000, 'y'), {"Transfer-Encoding: chunked"});
        ++finished;
        return x;
    });
    auto fits = std::async(std::launch::async, [&] { auto x = post(url_of(r), std::string(100, 'z')); ++finished; return x; });
    const auto seen = serve(r, [&] { return finished == 4; }, 15);
    EXPECT_EQ(get.get().status, 405);
    const Reply b = big.get();
    EXPECT_EQ(b.status, 413);
    EXPECT_NE(b.body.find("body_too_large"), std::string::npos);
    EXPECT_EQ(chunked.get().status, 413);
    EXPECT_EQ(fits.get().status, 200);
    ASSERT_EQ(seen.size(), 1u);  // only the one that fits reached the handler
    EXPECT_EQ(seen[0].body.size(), 100u);
    EXPECT_EQ(r.stats().refused, 3u);
}

TEST(WebhookHttpReceiver, StalledAndTricklingClientsAreCutOffWhileOthersAreServed) {
    HttpReceiver r(config(3));
    // Headers promise 50 bytes that never come.
    const int stalled = raw_connect(r.port());
    const std::string head = "POST /hook HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n";
    ASSERT_EQ(write(stalled, head.data(), head.size()), static_cast<ssize_t>(head.size()));
    // Header bytes trickling in, one every 200 ms: never idle for a second.
    const int trickler = raw_connect(r.port());
    std::atomic<bool> stop{false};
    std::thread trickle([&] {
        const std::string slow = "POST /hook HTTP/1.1\r\nHost: x\r\nX-Slow: ";
        for (std::size_t i = 0; !stop && i < 10000; ++i) {
            const char c = i < slow.size() ? slow[i] : 'a';
            if (write(trickler, &c, 1) != 1) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
    });
    // Meanwhile well-behaved deliveries get through at once.
    std::atomic<int> served{0};
    auto clients = std::async(std::launch::async, [&] {
        for (int i = 0; i < 5; ++i)
            if (post(url_of(r), "{}").status == 200) ++served;
    });
    const auto t0 = Clock::now();
    serve(r, [&] { return clients.wait_for(std::chrono::seconds(0)) == std::future_status::ready; }, 10);
    EXPECT_EQ(served, 5);
    // Not held up by the two: served before they could time out.
    EXPECT_LT(Clock::now() - t0, std::chrono::milliseconds(2500));
    // After the read timeout (3 s from their connect, checked by a loop that
    // keeps running) both lose their connection.
    std::string stalled_saw, trickler_saw;
    auto readers = std::async(std::launch::async, [&] {
        stalled_saw = read_until_closed(stalled, 10);
        trickler_saw = read_until_closed(trickler, 10);
    });
    serve(r, [&] { return readers.wait_for(std::chrono::seconds(0)) == std::future_status::ready; }, 20);
    stop = true;
    trickle.join();
    EXPECT_EQ(stalled_saw, "<closed>");
    EXPECT_EQ(trickler_saw, "<closed>");
    EXPECT_GE(r.stats().cut_off, 1u);
    close(stalled);
    close(trickler);
}

TEST(WebhookHttpReceiver, TwoHundredConcurrentDeliveries) {
    ReceiverConfig c = config(10, 8192);
    c.max_connections = 256;
    HttpReceiver r(c);
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 200; ++i)
        threads.emplace_back([&, i] {
            if (post(url_of(r), "{\"n\":" + std::to_string(i) + "}").status == 200) ++ok;
        });
    std::atomic<bool> all_done{false};
    std::thread joiner([&] {
        for (auto& t : threads) t.join();
        all_done = true;
    });
    const auto seen = serve(r, [&] { return all_done.load(); }, 60);
    joiner.join();
    EXPECT_EQ(ok, 200);
    EXPECT_EQ(seen.size(), 200u);
}

TEST(WebhookHttpReceiver, ConnectionLimitQueuesTheRest) {
    ReceiverConfig c = config(1);
    c.max_connections = 2;
    HttpReceiver r(c);
    const int a = raw_connect(r.port());
    const int b = raw_connect(r.port());
    // Two silent connections hold both places; a delivery waits in the
    // listen queue and is served once they are cut off.
    auto client = std::async(std::launch::async, [&] { return post(url_of(r), "{}"); });
    serve(r, [&] { return client.wait_for(std::chrono::seconds(0)) == std::future_status::ready; }, 10);
    EXPECT_EQ(client.get().status, 200);
    close(a);
    close(b);
}

TEST(WebhookHttpReceiver, AnswerAllRefusesWhatIsWaitingAndWhatComes) {
    HttpReceiver r(config());
    auto first = std::async(std::launch::async, [&] { return post(url_of(r), "{\"a\":1}"); });
    // Take it but do not answer: the worker is "busy" when shutdown comes.
    std::vector<ReceivedRequest> taken;
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (taken.empty() && Clock::now() < deadline) {
        pollfd p{r.wait_fd(), POLLIN, 0};
        poll(&p, 1, 50);
        r.run();
        taken = r.take_ready();
    }
    ASSERT_EQ(taken.size(), 1u);
    r.answer_all(503, "{\"status\":503,\"reason\":\"shutting_down\"}");
    auto second = std::async(std::launch::async, [&] { return post(url_of(r), "{\"b\":2}"); });
    const auto seen = serve(r, [&] {
        return first.wait_for(std::chrono::seconds(0)) == std::future_status::ready &&
               second.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
    }, 10);
    EXPECT_TRUE(seen.empty());
    EXPECT_EQ(first.get().status, 503);
    EXPECT_EQ(second.get().status, 503);
}

TEST(WebhookHttpReceiver, HttpsWithTheGivenCertificate) {
    ReceiverConfig c = config();
    c.tls_cert_pem = testing::read_data("receiver-test.pem");
    c.tls_key_pem = testing::read_data("receiver-test.key");
    HttpReceiver r(c);
    auto client = std::async(std::launch::async, [&] {
        return post(url_of(r, "https"), "{\"tls\":true}", {}, "POST", std::string(WCFDW_TEST_DATA_DIR) + "/receiver-test.pem");
    });
    const auto seen = serve(r, [&] { return client.wait_for(std::chrono::seconds(0)) == std::future_status::ready; }, 10);
    const Reply reply = client.get();
    EXPECT_EQ(reply.code, CURLE_OK) << curl_easy_strerror(reply.code);
    EXPECT_EQ(reply.status, 200);
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].body, "{\"tls\":true}");
}

TEST(WebhookHttpReceiver, BadSettingsAreRefusedClearly) {
    ReceiverConfig c = config();
    c.listen = "localhost";
    EXPECT_THROW(HttpReceiver{c}, WooError);
    c.listen = "example.com:80";
    EXPECT_THROW(HttpReceiver{c}, WooError);
    c.listen = "127.0.0.1:0";
    c.tls_cert_pem = "not a certificate";
    c.tls_key_pem = "not a key";
    EXPECT_THROW(HttpReceiver{c}, WooError);
    // An address in use.
    HttpReceiver first(config());
    c = config();
    c.listen = "127.0.0.1:" + std::to_string(first.port());
    try {
        HttpReceiver second(c);
        FAIL() << "bound twice";
    } catch (const WooError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Connect);
    }
}

}  // namespace
}  // namespace wcfdw::webhook
