#include "core/transport/http_client.hpp"

#include <algorithm>
#include <cstring>
#include <ctime>
#include <mutex>
#include <cstdio>
#include <deque>
#include <random>

#include <curl/curl.h>

#include "core/base/text.hpp"
#include "core/base/woo_error.hpp"
#include "core/transport/curl_transfer.hpp"
#include "core/transport/retry_policy.hpp"
#include "core/transport/transport_error.hpp"

namespace wcfdw {
namespace {

using Clock = std::chrono::steady_clock;

// The cancel hook is consulted at least this often; query cancel and
// statement_timeout must feel immediate.
constexpr long kPollIntervalMs = 50;
constexpr const char* kMask = "********";

void ensure_curl_global_init() {
    static std::once_flag once;
    static CURLcode result = CURLE_OK;
    std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
    if (result != CURLE_OK)
        throw WooError(ErrorKind::Internal, std::string("could not initialise libcurl: ") + curl_easy_strerror(result));
}

void check_multi(CURLMcode code) {
    if (code != CURLM_OK)
        throw WooError(ErrorKind::Internal, std::string("libcurl multi interface failed: ") + curl_multi_strerror(code));
}

// Everything that must not surface from this attempt: the signer's secrets,
// and the credentials it added (Authorization value, OAuth signature).
std::vector<std::string> sensitive_values(const HttpRequest& signed_request,
                                          const std::shared_ptr<const RequestSigner>& signer) {
    std::vector<std::string> out;
    if (signer) out = signer->secrets();
    for (const auto& [name, value] : signed_request.headers) {
        if (ascii_lower(name) != "authorization") continue;
        out.push_back(value);
        const std::size_t space = value.find(' ');
        if (space != std::string::npos) out.push_back(value.substr(space + 1));  // the token without "Basic "
    }
    for (const auto& p : signed_request.query)
        if (p.name == "consumer_secret" || p.name == "oauth_signature") out.push_back(p.value);
    return out;
}

// The multi handle holds the connection cache, so keep-alive spans every
// request of this client; idle easy handles are kept to skip re-creating them.
class CurlMulti {
public:
    CurlMulti() {
        ensure_curl_global_init();
        multi_ = curl_multi_init();
        if (!multi_) throw WooError(ErrorKind::Internal, "could not create a libcurl multi handle");
    }
    ~CurlMulti() {
        // libcurl 8.20 and later wait in curl_multi_cleanup for the resolver
        // threads of lookups still running (curl/curl#21797), whatever
        // CURLOPT_QUICK_EXIT says: a name server that never answers would
        // hold the backend for its whole timeout after a cancel. A client
        // that abandoned a transfer in flight is left to the threads (its
        // handles and sockets stay allocated until the backend exits).
        if (abandoned_) return;
        for (CURL* easy : idle_) curl_easy_cleanup(easy);
        curl_multi_cleanup(multi_);
    }
    CurlMulti(const CurlMulti&) = delete;
    CurlMulti& operator=(const CurlMulti&) = delete;

    CURLM* handle() const noexcept { return multi_; }
    double jitter_unit() { return std::uniform_real_distribution<double>(0.0, 1.0)(jitter_); }

    CURL* acquire() {
        if (!idle_.empty()) {
            CURL* easy = idle_.back();
            idle_.pop_back();
            return easy;
        }
        CURL* easy = curl_easy_init();
        if (!easy) throw WooError(ErrorKind::Internal, "could not create a libcurl easy handle");
        return easy;
    }

    // Detaches a transfer from curl; safe on every path out of a batch,
    // including an exception thrown while the transfer runs.
    void release(Transfer& t) noexcept {
        if (!t.easy) return;
        if (t.in_multi) abandoned_ = true;  // cancelled, timed out or failed mid-flight
        if (t.in_multi) curl_multi_remove_handle(multi_, t.easy);
        t.in_multi = false;
        curl_slist_free_all(t.header_list);
        t.header_list = nullptr;
        // Reset now: the handle still points at this transfer's buffers.
        curl_easy_reset(t.easy);
        try {
            idle_.push_back(t.easy);
        } catch (...) {
            curl_easy_cleanup(t.easy);
        }
        t.easy = nullptr;
    }

private:
    CURLM* multi_ = nullptr;
    std::vector<CURL*> idle_;
    bool abandoned_ = false;
    std::minstd_rand jitter_{static_cast<std::minstd_rand::result_type>(Clock::now().time_since_epoch().count())};
};

}  // namespace

const char* http_method_name(HttpMethod m) noexcept {
    switch (m) {
    case HttpMethod::Get: return "GET";
    case HttpMethod::Post: return "POST";
    case HttpMethod::Put: return "PUT";
    case HttpMethod::Delete: return "DELETE";
    case HttpMethod::Options: return "OPTIONS";
    }
    return "GET";
}

std::string HttpResponse::header(const std::string& name) const {
    const auto it = headers.find(ascii_lower(name));
    return it == headers.end() ? std::string() : it->second;
}

std::string redact_secrets(std::string text, const std::vector<std::string>& secrets) {
    auto replace_all = [&text](const std::string& needle) {
        if (needle.empty()) return;
        for (std::size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos)) {
            text.replace(pos, needle.size(), kMask);
            pos += std::strlen(kMask);
        }
    };
    for (const auto& secret : secrets) {
        replace_all(secret);
        replace_all(percent_encode(secret));
    }
    return text;
}

std::string redacted_url(const HttpRequest& request, const std::vector<std::string>& secrets) {
    std::string url = request.url;
    char separator = '?';
    for (const auto& p : request.query) {
        const bool masked = p.name == "consumer_secret" || p.name == "oauth_signature";
        url += separator + percent_encode(p.name) + "=" + (masked ? std::string(kMask) : percent_encode(p.value));
        separator = '&';
    }
    return redact_secrets(url, secrets);
}

namespace {

// The state of one perform_all call. Its destructor detaches every transfer,
// so an error or a cancel thrown from the loop leaves the client reusable.
class Batch {
public:
    Batch(CurlMulti& curl, const TransportOptions& options, const std::shared_ptr<const RequestSigner>& signer,
          std::shared_ptr<const HostPolicy> policy, TransportStats& stats)
        : curl_(curl), options_(options), signer_(signer), policy_(std::move(policy)), stats_(stats) {}
    ~Batch() {
        for (auto& t : transfers_) curl_.release(*t);
    }
    Batch(const Batch&) = delete;
    Batch& operator=(const Batch&) = delete;

    std::vector<HttpResponse> run(const std::vector<HttpRequest>& requests, CancelHook cancel_hook);
    void stream(std::size_t count, const HttpClient::MakeRequestFn& make, const HttpClient::DeliverFn& deliver,
                CancelHook cancel_hook);

private:
    void prepare(const std::vector<HttpRequest>& requests);
    std::unique_ptr<Transfer> make_transfer(const HttpRequest& request);
    // One turn of curl: progress, then the finished attempts. Returns how
    // many transfers finished for good.
    std::size_t drive();
    // Drives until every running attempt has sent its request (so that the
    // store works on it while the caller does not drive), at most a few ms.
    void send_pending();
    void start_attempt(Transfer& t);
    // Returns true when the transfer is finished (its response is final).
    bool on_attempt_done(Transfer& t, CURLcode code);
    // The retry of an answered 429/5xx, or why there is none.
    bool retry_answer(Transfer& t);
    void schedule_retry(Transfer& t, long delay_ms);
    long wait_before_next_poll(bool more_to_start, std::size_t active, std::size_t limit) const;

    CurlMulti& curl_;
    const TransportOptions& options_;
    const std::shared_ptr<const RequestSigner>& signer_;
    std::shared_ptr<const HostPolicy> policy_;
    TransportStats& stats_;
    std::deque<std::unique_ptr<Transfer>> transfers_;
};

std::unique_ptr<Transfer> Batch::make_transfer(const HttpRequest& request) {
    auto t = std::make_unique<Transfer>();
    t->request = &request;
    t->idempotent = request_is_idempotent(request);
    t->repeat_while_running = request_repeats_while_running(request);
    t->max_bytes = options_.max_response_bytes;
    t->policy = policy_.get();
    try {
        t->host = parse_url(request.url).host;
    } catch (const WooError&) {
        t->host.clear();
    }
    // Refused by name (a metadata host, an address literal, a name no
    // entry can match): no DNS lookup, nothing sent.
    if (policy_->refuses_before_resolving(t->host)) {
        std::snprintf(t->refused_address, sizeof t->refused_address, "%s", t->host.c_str());
        t->host_refused = true;
        throw transport_error(*t, CURLE_COULDNT_CONNECT, false, options_);
    }
    return t;
}

void Batch::prepare(const std::vector<HttpRequest>& requests) {
    for (const auto& request : requests) transfers_.push_back(make_transfer(request));
}

std::size_t Batch::drive() {
    int running = 0;
    check_multi(curl_multi_perform(curl_.handle(), &running));
    std::size_t finished = 0;
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(curl_.handle(), &queued)) {
        if (msg->msg != CURLMSG_DONE) continue;
        char* owner = nullptr;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &owner);
        auto* t = reinterpret_cast<Transfer*>(owner);
        if (t && on_attempt_done(*t, msg->data.result)) ++finished;
    }
    return finished;
}

void Batch::send_pending() {
    const auto give_up = Clock::now() + std::chrono::milliseconds(5);
    for (;;) {
        bool unsent = false;
        for (const auto& t : transfers_) {
            if (!t || t->state != Transfer::State::Running || !t->easy) continue;
            long request_size = 0;
            curl_easy_getinfo(t->easy, CURLINFO_REQUEST_SIZE, &request_size);
            if (request_size == 0) unsent = true;
        }
        if (!unsent || Clock::now() >= give_up) return;
        check_multi(curl_multi_poll(curl_.handle(), nullptr, 0, 1, nullptr));
        int running = 0;
        check_multi(curl_multi_perform(curl_.handle(), &running));
    }
}

// transfers_ holds the window: transfers_[k] is request base + k. Requests
// are made when their turn comes and dropped once delivered, so memory is
// bounded by the window, whatever `count` is.
void Batch::stream(std::size_t count, const HttpClient::MakeRequestFn& make, const HttpClient::DeliverFn& deliver,
                   CancelHook cancel_hook) {
    const std::size_t limit = static_cast<std::size_t>(std::max(1, options_.concurrency));
    std::deque<HttpRequest> requests;  // stable addresses for Transfer::request
    std::size_t base = 0;              // index of transfers_.front()
    std::size_t next = 0;
    std::size_t active = 0;
    auto fill = [&] {
        for (; active < limit && next < count; ++next, ++active) {
            requests.push_back(make(next));
            transfers_.push_back(make_transfer(requests.back()));
            start_attempt(*transfers_.back());
        }
    };
    while (base < count) {
        if (cancel_hook && cancel_hook()) throw WooError(ErrorKind::Cancelled, "request cancelled");
        fill();
        const Transfer::Clock::time_point now = Transfer::Clock::now();
        for (auto& t : transfers_)
            if (t->state == Transfer::State::Waiting && t->retry_at <= now) start_attempt(*t);
        active -= drive();
        // In order: the answers ready at the front go to the caller, the
        // freed slots refilled and their requests sent first.
        while (!transfers_.empty() && transfers_.front()->state == Transfer::State::Done) {
            fill();
            send_pending();
            HttpResponse response = std::move(transfers_.front()->response);
            curl_.release(*transfers_.front());
            transfers_.pop_front();
            requests.pop_front();
            if (!deliver(base++, std::move(response))) return;  // the destructor drops the rest
            if (cancel_hook && cancel_hook()) throw WooError(ErrorKind::Cancelled, "request cancelled");
        }
        if (base >= count) break;
        const long wait_ms = wait_before_next_poll(next < count, active, limit);
        check_multi(curl_multi_poll(curl_.handle(), nullptr, 0, static_cast<int>(wait_ms), nullptr));
    }
}

std::vector<HttpResponse> Batch::run(const std::vector<HttpRequest>& requests, CancelHook cancel_hook) {
    prepare(requests);
    const std::size_t limit = static_cast<std::size_t>(std::max(1, options_.concurrency));
    std::size_t next = 0;
    std::size_t active = 0;  // running or waiting to retry: a backoff keeps its slot
    std::size_t done = 0;
    while (done < transfers_.size()) {
        if (cancel_hook && cancel_hook()) throw WooError(ErrorKind::Cancelled, "request cancelled");

        const Transfer::Clock::time_point now = Transfer::Clock::now();
        for (; active < limit && next < transfers_.size(); ++next, ++active) start_attempt(*transfers_[next]);
        for (auto& t : transfers_)
            if (t->state == Transfer::State::Waiting && t->retry_at <= now) start_attempt(*t);

        int running = 0;
        check_multi(curl_multi_perform(curl_.handle(), &running));
        int queued = 0;
        while (CURLMsg* msg = curl_multi_info_read(curl_.handle(), &queued)) {
            if (msg->msg != CURLMSG_DONE) continue;
            char* owner = nullptr;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &owner);
            auto* t = reinterpret_cast<Transfer*>(owner);
            const CURLcode code = msg->data.result;
            if (t && on_attempt_done(*t, code)) {
                ++done;
                --active;
            }
        }
        if (done == transfers_.size()) break;
        // Never longer than the poll interval: the cancel hook is asked at
        // least every 50 ms, whatever curl waits for (DNS, connect, TLS,
        // a trickling body, a backoff).
        const long wait_ms = wait_before_next_poll(next < transfers_.size(), active, limit);
        check_multi(curl_multi_poll(curl_.handle(), nullptr, 0, static_cast<int>(wait_ms), nullptr));
    }

    std::vector<HttpResponse> out;
    out.reserve(transfers_.size());
    for (auto& t : transfers_) out.push_back(std::move(t->response));
    return out;
}

long Batch::wait_before_next_poll(bool more_to_start, std::size_t active, std::size_t limit) const {
    // A freed slot is filled at once rather than after the next poll.
    long wait_ms = (more_to_start && active < limit) ? 0 : kPollIntervalMs;
    const Transfer::Clock::time_point after = Transfer::Clock::now();
    for (const auto& t : transfers_) {
        if (t->state != Transfer::State::Waiting) continue;
        const auto until = std::chrono::duration_cast<std::chrono::milliseconds>(t->retry_at - after).count();
        wait_ms = std::min<long>(wait_ms, std::max<long>(0, static_cast<long>(until)));
    }
    return wait_ms;
}

void Batch::start_attempt(Transfer& t) {
    if (t.attempts == 0) t.first_started = Transfer::Clock::now();
    // A fresh copy each time: the signer adds a new nonce and timestamp, and
    // credentials from the previous attempt must not pile up.
    t.attempt_request = *t.request;
    if (signer_) signer_->sign(t.attempt_request);
    t.sensitive = sensitive_values(t.attempt_request, signer_);
    t.reset_attempt();
    if (!t.easy) t.easy = curl_.acquire();
    configure_transfer(t, options_);
    check_multi(curl_multi_add_handle(curl_.handle(), t.easy));
    t.in_multi = true;
    t.state = Transfer::State::Running;
    ++t.attempts;
}

void Batch::schedule_retry(Transfer& t, long delay_ms) {
    curl_.release(t);
    t.retry_at = Transfer::Clock::now() + std::chrono::milliseconds(delay_ms);
    t.state = Transfer::State::Waiting;
    ++stats_.retries;
}

// 429 and 502/503/504 came back: wait and send again, or keep the answer
// and note why not (the error's hint says what happened).
bool Batch::retry_answer(Transfer& t) {
    using End = HttpResponse::RetryEnd;
    HttpResponse& r = t.response;
    if (!status_is_retryable(r.status, true)) return false;
    if (!status_is_retryable(r.status, t.idempotent, t.repeat_while_running)) {
        r.retry_end = End::NotResent;
        return false;
    }
    if (t.attempts > options_.max_retries) {
        r.retry_end = End::Exhausted;
        return false;
    }
    long delay = backoff_delay_ms(t.attempts - 1, options_.retry_base_ms, options_.retry_max_ms, curl_.jitter_unit());
    if (const auto asked = retry_after_ms(r.header("retry-after"), std::time(nullptr))) {
        // The store's wish is honoured exactly, or not at all: sending
        // sooner than asked only earns another 429.
        if (*asked > options_.retry_after_max_ms) {
            r.retry_end = End::WaitTooLong;
            r.retry_wait_ms = *asked;
            return false;
        }
        delay = *asked;
    }
    if (Transfer::Clock::now() + std::chrono::milliseconds(delay) > options_.deadline) {
        r.retry_end = End::PastDeadline;
        r.retry_wait_ms = delay;
        return false;
    }
    schedule_retry(t, delay);
    return true;
}

bool Batch::on_attempt_done(Transfer& t, CURLcode code) {
    curl_off_t downloaded = 0;
    long request_size = 0;
    long status = 0;
    curl_easy_getinfo(t.easy, CURLINFO_SIZE_DOWNLOAD_T, &downloaded);
    curl_easy_getinfo(t.easy, CURLINFO_REQUEST_SIZE, &request_size);
    curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
    curl_multi_remove_handle(curl_.handle(), t.easy);
    t.in_multi = false;

    const bool sent = request_size > 0;
    if (sent) ++stats_.requests;
    stats_.bytes_received += static_cast<std::uint64_t>(std::max<curl_off_t>(0, downloaded));
    t.response.status = status;
    t.response.bytes_received = static_cast<std::size_t>(std::max<curl_off_t>(0, downloaded));
    t.response.retries = t.attempts - 1;
    t.response.elapsed_ms =
        std::chrono::duration<double, std::milli>(Transfer::Clock::now() - t.first_started).count();

    if (code == CURLE_OK) {
        if (retry_answer(t)) return false;
        t.state = Transfer::State::Done;
        curl_.release(t);
        return true;
    }

    const FailureClass failure = classify_failure(t, code, sent);
    // A timeout after sending leaves the first attempt possibly running at
    // the store; a connection the server broke off does not.
    const bool may_still_run = failure == FailureClass::MaybeSent && code == CURLE_OPERATION_TIMEDOUT;
    const bool retryable = failure == FailureClass::NotSent ||
                           (failure == FailureClass::MaybeSent && t.idempotent && (!may_still_run || t.repeat_while_running));
    if (retryable && t.attempts <= options_.max_retries) {
        const long delay =
            backoff_delay_ms(t.attempts - 1, options_.retry_base_ms, options_.retry_max_ms, curl_.jitter_unit());
        if (Transfer::Clock::now() + std::chrono::milliseconds(delay) <= options_.deadline) {
            schedule_retry(t, delay);
            return false;
        }
    }
    throw transport_error(t, code, sent, options_);
}

}  // namespace

struct HttpClient::Impl {
    CurlMulti curl;
    CurlMulti stream_curl;  // perform_stream's: its deliver may run perform_all
    int streams = 0;        // a stream is running: the handles stay, whatever the policy
    // Connections in curl's cache were judged by this policy generation.
    std::uint64_t policy_generation = host_policy_generation();
};

HttpClient::HttpClient(TransportOptions options) : impl_(std::make_unique<Impl>()), options_(std::move(options)) {}

HttpClient::~HttpClient() = default;

HttpResponse HttpClient::perform(const HttpRequest& request) {
    std::vector<HttpRequest> one{request};
    return std::move(perform_all(one).front());
}

std::vector<HttpResponse> HttpClient::perform_all(const std::vector<HttpRequest>& requests) {
    if (requests.empty()) return {};
    // A changed woocommerce.allowed_hosts closes every connection opened
    // under the old one (not under a running stream: each transfer is still
    // checked against the current policy).
    if (impl_->policy_generation != host_policy_generation() && impl_->streams == 0) impl_ = std::make_unique<Impl>();
    Batch batch(impl_->curl, options_, signer_, current_host_policy(), stats_);
    return batch.run(requests, cancel_hook_);
}

void HttpClient::perform_stream(std::size_t count, const MakeRequestFn& make, const DeliverFn& deliver) {
    if (count == 0) return;
    if (impl_->policy_generation != host_policy_generation()) impl_ = std::make_unique<Impl>();
    struct Running {
        Impl& impl;
        explicit Running(Impl& i) : impl(i) { ++impl.streams; }
        ~Running() { --impl.streams; }
    } running(*impl_);
    Batch batch(impl_->stream_curl, options_, signer_, current_host_policy(), stats_);
    batch.stream(count, make, deliver, cancel_hook_);
}

}  // namespace wcfdw
