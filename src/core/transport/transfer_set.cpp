#include "core/transport/transfer_set.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>

#include "core/base/text.hpp"
#include "core/base/woo_error.hpp"
#include "core/transport/retry_policy.hpp"
#include "core/transport/transport_error.hpp"

namespace wcfdw {
namespace {

// The cancel hook is consulted at least this often; query cancel and
// statement_timeout must feel immediate.
constexpr long kPollIntervalMs = 50;

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

}  // namespace

CurlMulti::CurlMulti() {
    ensure_curl_global_init();
    multi_ = curl_multi_init();
    if (!multi_) throw WooError(ErrorKind::Internal, "could not create a libcurl multi handle");
}

CurlMulti::~CurlMulti() {
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

CURL* CurlMulti::acquire() {
    if (!idle_.empty()) {
        CURL* easy = idle_.back();
        idle_.pop_back();
        return easy;
    }
    CURL* easy = curl_easy_init();
    if (!easy) throw WooError(ErrorKind::Internal, "could not create a libcurl easy handle");
    return easy;
}

void CurlMulti::release(Transfer& t) noexcept {
    if (!t.easy) return;
    if (t.in_multi) abandoned_ = true;  // cancelled, timed out, failed or dropped mid-flight
    if (t.in_multi) curl_multi_remove_handle(multi_, t.easy);
    t.in_multi = false;
    t.finished = false;
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

void CurlMulti::perform() {
    int running = 0;
    check_multi(curl_multi_perform(multi_, &running));
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_, &queued)) {
        if (msg->msg != CURLMSG_DONE) continue;
        char* owner = nullptr;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &owner);
        auto* t = reinterpret_cast<Transfer*>(owner);
        if (!t) continue;
        t->finished = true;
        t->result = msg->data.result;
    }
}

void CurlMulti::poll(long wait_ms) {
    check_multi(curl_multi_poll(multi_, nullptr, 0, static_cast<int>(wait_ms), nullptr));
}

TransferSet::TransferSet(std::shared_ptr<CurlMulti> curl, const TransportOptions& options,
                         std::shared_ptr<const RequestSigner> signer, std::shared_ptr<const HostPolicy> policy,
                         TransportStats& stats)
    : curl_(std::move(curl)), options_(options), signer_(std::move(signer)), policy_(std::move(policy)),
      stats_(stats) {}

TransferSet::~TransferSet() {
    for (auto& t : transfers_) curl_->release(*t);
}

Transfer& TransferSet::add(const HttpRequest& request, bool keep_copy) {
    auto t = std::make_unique<Transfer>();
    if (keep_copy) {
        t->own_request = std::make_unique<HttpRequest>(request);
        t->request = t->own_request.get();
    } else {
        t->request = &request;
    }
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
    transfers_.push_back(std::move(t));
    return *transfers_.back();
}

void TransferSet::remove(const Transfer& t) noexcept {
    for (auto it = transfers_.begin(); it != transfers_.end(); ++it) {
        if (it->get() != &t) continue;
        curl_->release(**it);
        transfers_.erase(it);
        return;
    }
}

// Running or waiting to retry: a backoff keeps its slot.
std::size_t TransferSet::active() const noexcept {
    std::size_t n = 0;
    for (const auto& t : transfers_)
        if (t->state == Transfer::State::Running || t->state == Transfer::State::Waiting) ++n;
    return n;
}

void TransferSet::step() {
    const std::size_t limit = static_cast<std::size_t>(std::max(1, options_.concurrency));
    const Transfer::Clock::time_point now = Transfer::Clock::now();
    std::size_t running = active();
    for (auto& t : transfers_) {
        if (t->state == Transfer::State::Waiting && t->retry_at <= now) start_attempt(*t);
        if (t->state == Transfer::State::Pending && running < limit) {
            start_attempt(*t);
            ++running;
        }
    }
    curl_->perform();
    for (auto& t : transfers_) {
        if (t->state != Transfer::State::Running || !t->finished) continue;
        t->finished = false;
        on_attempt_done(*t, t->result);
    }
}

void TransferSet::wait() {
    const std::size_t limit = static_cast<std::size_t>(std::max(1, options_.concurrency));
    // A freed slot is filled at once rather than after the next poll.
    const std::size_t running = active();
    long wait_ms = kPollIntervalMs;
    const Transfer::Clock::time_point after = Transfer::Clock::now();
    for (const auto& t : transfers_) {
        if (t->state == Transfer::State::Pending && running < limit) wait_ms = 0;
        if (t->state != Transfer::State::Waiting) continue;
        const auto until = std::chrono::duration_cast<std::chrono::milliseconds>(t->retry_at - after).count();
        wait_ms = std::min<long>(wait_ms, std::max<long>(0, static_cast<long>(until)));
    }
    if (wait_ms > 0) curl_->poll(wait_ms);
}

void TransferSet::send_pending() {
    const auto give_up = Transfer::Clock::now() + std::chrono::milliseconds(5);
    for (;;) {
        bool unsent = false;
        for (const auto& t : transfers_) {
            if (t->state != Transfer::State::Running || !t->easy || t->finished) continue;
            long request_size = 0;
            curl_easy_getinfo(t->easy, CURLINFO_REQUEST_SIZE, &request_size);
            if (request_size == 0) unsent = true;
        }
        if (!unsent || Transfer::Clock::now() >= give_up) return;
        curl_->poll(1);
        step();
    }
}

void TransferSet::start_attempt(Transfer& t) {
    if (t.attempts == 0) t.first_started = Transfer::Clock::now();
    // A fresh copy each time: the signer adds a new nonce and timestamp, and
    // credentials from the previous attempt must not pile up.
    t.attempt_request = *t.request;
    if (signer_) signer_->sign(t.attempt_request);
    t.sensitive = sensitive_values(t.attempt_request, signer_);
    t.reset_attempt();
    if (!t.easy) t.easy = curl_->acquire();
    configure_transfer(t, options_);
    t.finished = false;
    check_multi(curl_multi_add_handle(curl_->handle(), t.easy));
    t.in_multi = true;
    t.state = Transfer::State::Running;
    ++t.attempts;
}

void TransferSet::schedule_retry(Transfer& t, long delay_ms) {
    curl_->release(t);
    t.retry_at = Transfer::Clock::now() + std::chrono::milliseconds(delay_ms);
    t.state = Transfer::State::Waiting;
    ++stats_.retries;
}

// 429 and 502/503/504 came back: wait and send again, or keep the answer
// and note why not (the error's hint says what happened).
bool TransferSet::retry_answer(Transfer& t) {
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
    long delay =
        backoff_delay_ms(t.attempts - 1, options_.retry_base_ms, options_.retry_max_ms, curl_->jitter_unit());
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

bool TransferSet::on_attempt_done(Transfer& t, CURLcode code) {
    curl_off_t downloaded = 0;
    long request_size = 0;
    long status = 0;
    curl_easy_getinfo(t.easy, CURLINFO_SIZE_DOWNLOAD_T, &downloaded);
    curl_easy_getinfo(t.easy, CURLINFO_REQUEST_SIZE, &request_size);
    curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
    curl_multi_remove_handle(curl_->handle(), t.easy);
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
        curl_->release(t);
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
            backoff_delay_ms(t.attempts - 1, options_.retry_base_ms, options_.retry_max_ms, curl_->jitter_unit());
        if (Transfer::Clock::now() + std::chrono::milliseconds(delay) <= options_.deadline) {
            schedule_retry(t, delay);
            return false;
        }
    }
    throw transport_error(t, code, sent, options_);
}

}  // namespace wcfdw
