#include "core/transport/http_client.hpp"

#include <algorithm>
#include <cstring>
#include <ctime>
#include <mutex>
#include <random>

#include <curl/curl.h>

#include "core/transport/retry_policy.hpp"
#include "core/base/text.hpp"
#include "core/base/woo_error.hpp"

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

std::string host_of(const std::string& url) {
    try {
        return parse_url(url).host;
    } catch (const WooError&) {
        return "the store";
    }
}

// One request of a batch, across all its attempts. Curl callbacks write into
// it; they only touch plain members and never throw.
struct Transfer {
    enum class State { Pending, Running, Waiting, Done };

    const HttpRequest* request = nullptr;  // as the caller gave it, unsigned
    bool idempotent = true;
    bool repeat_while_running = true;
    State state = State::Pending;
    int attempts = 0;
    Clock::time_point first_started;
    Clock::time_point retry_at;

    // The current attempt. attempt_request owns the body curl sends from.
    HttpRequest attempt_request;
    std::vector<std::string> sensitive;  // secrets plus this attempt's credentials
    CURL* easy = nullptr;
    curl_slist* header_list = nullptr;
    bool in_multi = false;
    HttpResponse response;
    std::size_t max_bytes = 0;
    std::size_t header_bytes = 0;
    bool too_large = false;
    bool callback_failed = false;
    char error_buffer[CURL_ERROR_SIZE] = {};
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) noexcept {
    auto* t = static_cast<Transfer*>(user);
    const std::size_t n = size * count;
    try {
        // Checked before appending, so a store (or a gzip bomb) can never make
        // the backend hold more than max_response_bytes of body.
        if (n > t->max_bytes - std::min(t->max_bytes, t->response.body.size())) {
            t->too_large = true;
            return 0;
        }
        t->response.body.append(data, n);
        return n;
    } catch (...) {
        t->callback_failed = true;
        return 0;
    }
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) noexcept {
    auto* t = static_cast<Transfer*>(user);
    const std::size_t n = size * count;
    try {
        t->header_bytes += n;
        if (t->header_bytes > t->max_bytes) {
            t->too_large = true;
            return 0;
        }
        const std::string line = trim_ascii_space(std::string(data, n));
        // A status line starts a new response (after a 100 Continue, or a
        // proxy's CONNECT answer): only the last one's headers count.
        if (line.compare(0, 5, "HTTP/") == 0) {
            t->response.headers.clear();
            return n;
        }
        const std::size_t colon = line.find(':');
        if (colon == std::string::npos) return n;
        std::string name = ascii_lower(trim_ascii_space(line.substr(0, colon)));
        std::string value = trim_ascii_space(line.substr(colon + 1));
        if (name == "content-length") {
            // Reserving up front avoids doubling reallocations of a large body.
            char* end = nullptr;
            const unsigned long long length = std::strtoull(value.c_str(), &end, 10);
            if (end && *end == '\0' && length <= t->max_bytes && t->response.body.empty())
                t->response.body.reserve(static_cast<std::size_t>(length));
        }
        t->response.headers[std::move(name)] = std::move(value);
        return n;
    } catch (...) {
        t->callback_failed = true;
        return 0;
    }
}

template <typename T>
void set_option(CURL* easy, CURLoption option, T value) {
    const CURLcode rc = curl_easy_setopt(easy, option, value);
    if (rc != CURLE_OK)
        throw WooError(ErrorKind::Internal, std::string("libcurl rejected an option: ") + curl_easy_strerror(rc),
                       "The installed libcurl may be too old; woocommerce_fdw needs 7.85 or later.");
}

void check_multi(CURLMcode code) {
    if (code != CURLM_OK)
        throw WooError(ErrorKind::Internal, std::string("libcurl multi interface failed: ") + curl_multi_strerror(code));
}

curl_slist* append_header(curl_slist* list, const std::string& line) {
    curl_slist* grown = curl_slist_append(list, line.c_str());
    if (!grown) {
        curl_slist_free_all(list);
        throw WooError(ErrorKind::Internal, "out of memory while building request headers");
    }
    return grown;
}

bool has_header(const HttpRequest& request, const char* name) {
    for (const auto& [n, v] : request.headers)
        if (ascii_lower(n) == name) return true;
    return false;
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

enum class FailureClass {
    NotSent,     // the request provably never left: safe to retry for any method
    MaybeSent,   // broke off after sending may have begun: retry only if idempotent
    Final,       // retrying would not help (TLS, size cap, our own bugs)
};

FailureClass classify(CURLcode code, bool sent) {
    switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
        return FailureClass::NotSent;
    case CURLE_OPERATION_TIMEDOUT:
        return sent ? FailureClass::MaybeSent : FailureClass::NotSent;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return FailureClass::MaybeSent;
    default:
        return FailureClass::Final;
    }
}

bool is_tls_failure(CURLcode code) {
    switch (code) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_USE_SSL_FAILED:
        return true;
    default:
        return false;
    }
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
          TransportStats& stats)
        : curl_(curl), options_(options), signer_(signer), stats_(stats) {}
    ~Batch() {
        for (auto& t : transfers_) curl_.release(*t);
    }
    Batch(const Batch&) = delete;
    Batch& operator=(const Batch&) = delete;

    std::vector<HttpResponse> run(const std::vector<HttpRequest>& requests, CancelHook cancel_hook);

private:
    void start_attempt(Transfer& t);
    void configure(Transfer& t);
    // Returns true when the transfer is finished (its response is final).
    bool on_attempt_done(Transfer& t, CURLcode code);
    bool schedule_retry(Transfer& t, long delay_ms);
    WooError transport_error(const Transfer& t, CURLcode code, bool sent) const;
    std::string describe(const Transfer& t) const;

    CurlMulti& curl_;
    const TransportOptions& options_;
    const std::shared_ptr<const RequestSigner>& signer_;
    TransportStats& stats_;
    std::vector<std::unique_ptr<Transfer>> transfers_;
};

std::vector<HttpResponse> Batch::run(const std::vector<HttpRequest>& requests, CancelHook cancel_hook) {
    transfers_.reserve(requests.size());
    for (std::size_t i = 0; i < requests.size(); ++i) {
        auto t = std::make_unique<Transfer>();
        t->request = &requests[i];
        t->idempotent = request_is_idempotent(requests[i]);
        t->repeat_while_running = request_repeats_while_running(requests[i]);
        t->max_bytes = options_.max_response_bytes;
        transfers_.push_back(std::move(t));
    }

    const std::size_t limit = static_cast<std::size_t>(std::max(1, options_.concurrency));
    std::size_t next = 0;
    std::size_t active = 0;  // running or waiting to retry: a backoff keeps its slot
    std::size_t done = 0;
    while (done < transfers_.size()) {
        if (cancel_hook && cancel_hook()) throw WooError(ErrorKind::Cancelled, "request cancelled");

        const Clock::time_point now = Clock::now();
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

        // A freed slot is filled at once rather than after the next poll.
        long wait_ms = (next < transfers_.size() && active < limit) ? 0 : kPollIntervalMs;
        const Clock::time_point after = Clock::now();
        for (const auto& t : transfers_) {
            if (t->state != Transfer::State::Waiting) continue;
            const auto until = std::chrono::duration_cast<std::chrono::milliseconds>(t->retry_at - after).count();
            wait_ms = std::min<long>(wait_ms, std::max<long>(0, static_cast<long>(until)));
        }
        check_multi(curl_multi_poll(curl_.handle(), nullptr, 0, static_cast<int>(wait_ms), nullptr));
    }

    std::vector<HttpResponse> out;
    out.reserve(transfers_.size());
    for (auto& t : transfers_) out.push_back(std::move(t->response));
    return out;
}

void Batch::start_attempt(Transfer& t) {
    if (t.attempts == 0) t.first_started = Clock::now();
    // A fresh copy each time: the signer adds a new nonce and timestamp, and
    // credentials from the previous attempt must not pile up.
    t.attempt_request = *t.request;
    if (signer_) signer_->sign(t.attempt_request);
    t.sensitive = sensitive_values(t.attempt_request, signer_);
    t.response = HttpResponse{};
    t.header_bytes = 0;
    t.too_large = false;
    t.callback_failed = false;
    t.error_buffer[0] = '\0';
    if (!t.easy) t.easy = curl_.acquire();
    configure(t);
    check_multi(curl_multi_add_handle(curl_.handle(), t.easy));
    t.in_multi = true;
    t.state = Transfer::State::Running;
    ++t.attempts;
}

void Batch::configure(Transfer& t) {
    CURL* easy = t.easy;
    const HttpRequest& r = t.attempt_request;
    set_option(easy, CURLOPT_URL, url_with_query(r.url, r.query).c_str());
    set_option(easy, CURLOPT_PRIVATE, static_cast<void*>(&t));
    set_option(easy, CURLOPT_ERRORBUFFER, t.error_buffer);
    // Signals would interrupt the PostgreSQL backend's own handlers.
    set_option(easy, CURLOPT_NOSIGNAL, 1L);
    set_option(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    set_option(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    // A redirect drops the Authorization header and breaks the OAuth
    // signature; the 3xx goes back to the caller, who can name the right url.
    set_option(easy, CURLOPT_FOLLOWLOCATION, 0L);
    set_option(easy, CURLOPT_ACCEPT_ENCODING, "");
    set_option(easy, CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms);
    set_option(easy, CURLOPT_TIMEOUT_MS, options_.timeout_ms);
    set_option(easy, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
    set_option(easy, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
    if (!options_.ca_file.empty()) set_option(easy, CURLOPT_CAINFO, options_.ca_file.c_str());
    set_option(easy, CURLOPT_USERAGENT, options_.user_agent.c_str());
    // Curl's own early check against Content-Length; on_body enforces the cap
    // for bodies of unknown length and for decoded gzip.
    set_option(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_response_bytes));
    set_option(easy, CURLOPT_WRITEFUNCTION, &on_body);
    set_option(easy, CURLOPT_WRITEDATA, static_cast<void*>(&t));
    set_option(easy, CURLOPT_HEADERFUNCTION, &on_header);
    set_option(easy, CURLOPT_HEADERDATA, static_cast<void*>(&t));

    curl_slist* list = nullptr;
    if (!has_header(r, "accept")) list = append_header(list, "Accept: application/json");
    if (!r.body.empty() && !has_header(r, "content-type")) list = append_header(list, "Content-Type: application/json");
    // Without this curl waits up to a second for "100 Continue" before a
    // large body, which PHP servers rarely send.
    list = append_header(list, "Expect:");
    for (const auto& [name, value] : r.headers) list = append_header(list, name + ": " + value);
    curl_slist_free_all(t.header_list);
    t.header_list = list;
    set_option(easy, CURLOPT_HTTPHEADER, list);

    // PUT and POST always carry a body (maybe empty) so that Content-Length
    // is sent; some servers answer 411 otherwise.
    const bool send_body = !r.body.empty() || r.method == HttpMethod::Post || r.method == HttpMethod::Put;
    if (send_body) {
        set_option(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
        set_option(easy, CURLOPT_POSTFIELDS, r.body.data());
    }
    switch (r.method) {
    case HttpMethod::Get:
        if (!send_body) set_option(easy, CURLOPT_HTTPGET, 1L);
        else set_option(easy, CURLOPT_CUSTOMREQUEST, "GET");
        break;
    case HttpMethod::Post: break;  // POSTFIELDS made it a POST
    case HttpMethod::Put:
    case HttpMethod::Delete:
    case HttpMethod::Options:
        set_option(easy, CURLOPT_CUSTOMREQUEST, http_method_name(r.method));
        break;
    }
}

bool Batch::schedule_retry(Transfer& t, long delay_ms) {
    if (t.attempts > options_.max_retries) return false;
    const Clock::time_point at = Clock::now() + std::chrono::milliseconds(delay_ms);
    if (at > options_.deadline) return false;
    curl_.release(t);
    t.retry_at = at;
    t.state = Transfer::State::Waiting;
    ++stats_.retries;
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
    t.response.elapsed_ms = std::chrono::duration<double, std::milli>(Clock::now() - t.first_started).count();

    const int retry = t.attempts - 1;  // index of the retry we would start next
    const double unit = curl_.jitter_unit();
    if (code == CURLE_OK) {
        if (status_is_retryable(status, t.idempotent, t.repeat_while_running)) {
            long delay = backoff_delay_ms(retry, options_.retry_base_ms, options_.retry_max_ms, unit);
            if (const auto asked = retry_after_ms(t.response.header("retry-after"), std::time(nullptr)))
                delay = std::min(*asked, options_.retry_max_ms);
            if (schedule_retry(t, delay)) return false;
        }
        t.state = Transfer::State::Done;
        curl_.release(t);
        return true;
    }

    const FailureClass failure = classify(code, sent);
    // A timeout after sending leaves the first attempt possibly running at
    // the store; a connection the server broke off does not.
    const bool may_still_run = failure == FailureClass::MaybeSent && code == CURLE_OPERATION_TIMEDOUT;
    const bool retryable = failure == FailureClass::NotSent ||
                           (failure == FailureClass::MaybeSent && t.idempotent &&
                            (!may_still_run || t.repeat_while_running));
    if (retryable && !t.too_large && !t.callback_failed &&
        schedule_retry(t, backoff_delay_ms(retry, options_.retry_base_ms, options_.retry_max_ms, unit)))
        return false;
    throw transport_error(t, code, sent);
}

std::string Batch::describe(const Transfer& t) const {
    return std::string(http_method_name(t.request->method)) + " " + redacted_url(*t.request, t.sensitive);
}

WooError Batch::transport_error(const Transfer& t, CURLcode code, bool sent) const {
    const std::string host = host_of(t.request->url);
    const std::string url = redacted_url(*t.request, t.sensitive);
    const std::string curl_text = t.error_buffer[0] ? t.error_buffer : curl_easy_strerror(code);
    ErrorKind kind = ErrorKind::Connect;
    std::string message;
    std::string hint;

    if (t.too_large || code == CURLE_FILESIZE_EXCEEDED) {
        kind = ErrorKind::ResponseTooLarge;
        message = "response to " + std::string(http_method_name(t.request->method)) + " " + url +
                  " is larger than max_response_bytes (" + std::to_string(options_.max_response_bytes) + " bytes)";
        hint = "Raise the server option max_response_bytes, or ask for fewer rows per request.";
    } else if (t.callback_failed) {
        kind = ErrorKind::Internal;
        message = "out of memory while reading the response from " + host;
    } else if (code == CURLE_OPERATION_TIMEDOUT) {
        kind = ErrorKind::Timeout;
        if (sent) {
            message = "request to " + url + " timed out after " + std::to_string(options_.timeout_ms) + " ms";
            hint = "Raise the server option timeout_ms; a WooCommerce batch of 100 items can take minutes.";
        } else {
            const long limit = std::min(options_.connect_timeout_ms, options_.timeout_ms);
            message = "request to " + url + " timed out after " + std::to_string(limit) + " ms while connecting";
            hint = "Check that the store is reachable from the database server, or raise the server option "
                   "connect_timeout_ms.";
        }
    } else if (is_tls_failure(code)) {
        kind = ErrorKind::Tls;
        message = "TLS failure talking to " + host + ": " + curl_text;
        if (code == CURLE_SSL_CACERT_BADFILE)
            hint = "Check that ca_file names a readable PEM file on the database server.";
        else if (code == CURLE_SSL_CONNECT_ERROR)
            hint = "Check that the store speaks TLS on this port (https:// to a plain-HTTP port fails this way).";
        else
            hint = "Set the option ca_file to the CA that signed the store's certificate, or verify_tls 'false' for "
                   "testing only.";
    } else if (code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_RESOLVE_PROXY) {
        message = "could not connect to " + host + ": " + curl_text;
        hint = "Check the host name in the server option url, and DNS on the database server.";
    } else if (code == CURLE_COULDNT_CONNECT) {
        message = "could not connect to " + host + ": " + curl_text;
        hint = "Check the url (scheme and port), that the store is up, and that no firewall blocks the database "
               "server.";
    } else if (code == CURLE_PARTIAL_FILE) {
        kind = ErrorKind::InvalidResponse;
        message = "response from " + host + " was truncated: " + curl_text;
        hint = "The connection ended before the whole answer arrived; retry, and if it repeats check the store's PHP "
               "memory and execution time limits or a proxy in between.";
    } else if (classify(code, sent) == FailureClass::MaybeSent) {
        message = "connection to " + host + " broke off: " + curl_text;
        hint = t.idempotent ? "The store or a proxy closed the connection before the whole answer arrived; check "
                              "the store's PHP limits (memory_limit, max_execution_time) and its error log."
                            : "The request was not retried because it may have been processed; check the store "
                              "before running it again.";
    } else {
        message = "request to " + url + " failed: " + curl_text;
    }

    std::string detail = "Request: " + describe(t);
    if (t.attempts > 1) detail += "\nRetries: " + std::to_string(t.attempts - 1);
    WooError err(kind, redact_secrets(message, t.sensitive), redact_secrets(detail, t.sensitive),
                 redact_secrets(hint, t.sensitive));
    err.retries = t.attempts - 1;
    return err;
}

}  // namespace

struct HttpClient::Impl {
    CurlMulti curl;
};

HttpClient::HttpClient(TransportOptions options) : impl_(std::make_unique<Impl>()), options_(std::move(options)) {}

HttpClient::~HttpClient() = default;

HttpResponse HttpClient::perform(const HttpRequest& request) {
    std::vector<HttpRequest> one{request};
    return std::move(perform_all(one).front());
}

std::vector<HttpResponse> HttpClient::perform_all(const std::vector<HttpRequest>& requests) {
    if (requests.empty()) return {};
    Batch batch(impl_->curl, options_, signer_, stats_);
    return batch.run(requests, cancel_hook_);
}

}  // namespace wcfdw
