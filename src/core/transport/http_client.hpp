// The transport: a libcurl multi client that keeps several requests in
// flight, reuses connections per store (keep-alive lives in the multi
// handle, so one HttpClient per store link), retries what is safe to retry,
// and polls a cancel hook at least every 100 ms.
//
// HTTP statuses are data here, not errors: a 404 or a 400 comes back as an
// HttpResponse for the WooCommerce layer to interpret. Only failures of the
// transport itself throw WooError (Cancelled, Timeout, Connect, Tls,
// ResponseTooLarge, Internal).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/transport/url.hpp"
#include "core/base/version.hpp"

namespace wcfdw {

class CurlMulti;
class HttpPipeline;

enum class HttpMethod { Get, Post, Put, Delete, Options };
const char* http_method_name(HttpMethod m) noexcept;

struct HttpRequest {
    HttpMethod method = HttpMethod::Get;
    std::string url;                       // scheme://host[:port]/path, no query string
    std::vector<QueryParam> query;         // in order; encoded by the client
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;                      // sent as application/json when non-empty
    // May this request be sent again after it possibly reached the server?
    // Unset means: yes for GET, PUT, DELETE, OPTIONS; no for POST. A POST is
    // still retried when it provably never left (connect failure) or the
    // store refused it before processing (429).
    std::optional<bool> idempotent;
    // May it be sent again while its first attempt may still be running at
    // the server (it timed out after being sent, or a gateway answered 504)?
    // Unset means: as idempotent. False for requests that must not run twice
    // at once even though a repeat after the first has ended is harmless
    // (WooCommerce's batch creates: its SKU check reads before it inserts).
    std::optional<bool> repeat_while_running;
};

struct HttpResponse {
    long status = 0;
    std::map<std::string, std::string> headers;  // names lower-cased; last value wins
    std::string body;                             // decoded (gzip/deflate handled by curl)
    std::size_t bytes_received = 0;               // body bytes as received on the wire
    double elapsed_ms = 0;                        // across all attempts
    int retries = 0;                              // attempts beyond the first

    // For a 429 or 5xx that came back anyway: why it was not (or no longer)
    // retried, so that an error's hint names what really happened.
    enum class RetryEnd {
        None,          // a status that is never retried (or a success)
        NotResent,     // 502/503/504 to a request that may create something
        Exhausted,     // max_retries used up
        PastDeadline,  // the next wait would end after statement_timeout
        WaitTooLong,   // the store's Retry-After exceeds TransportOptions::retry_after_max_ms
    };
    RetryEnd retry_end = RetryEnd::None;
    long retry_wait_ms = 0;                       // PastDeadline, WaitTooLong: the wait asked or planned

    // Empty string when absent. Name is matched case-insensitively.
    std::string header(const std::string& name) const;
};

// Called from the client's event loop (never from inside a curl callback)
// at least every 50 ms while a request or a backoff sleep is in progress.
// Returns true when the caller wants the operation abandoned; the client then
// aborts every transfer and throws WooError(Cancelled). Must not throw and must
// not longjmp: in the backend it only reads PostgreSQL's interrupt flags.
using CancelHook = bool (*)();

// Adds authentication to a request right before each attempt, so that
// retries get a fresh OAuth nonce and timestamp. Implementations live in
// auth.hpp.
class RequestSigner {
public:
    virtual ~RequestSigner() = default;
    virtual void sign(HttpRequest& request) const = 0;
    // Strings that must never surface (consumer secret...): used to scrub
    // error messages and URLs produced by the client.
    virtual std::vector<std::string> secrets() const = 0;
};

struct TransportOptions {
    long timeout_ms = 120000;          // per attempt, whole transfer
    long connect_timeout_ms = 10000;
    int max_retries = 3;
    int concurrency = 4;               // transfers in flight in perform_all and in a pipeline
    bool verify_tls = true;
    std::string ca_file;               // extra CA bundle (PEM); empty = system store
    std::size_t max_response_bytes = 64u * 1024u * 1024u;
    std::string user_agent = kUserAgent;
    long retry_base_ms = 500;          // first backoff step; doubles per retry, with jitter
    long retry_max_ms = 8000;          // cap for one backoff step
    // The longest Retry-After honoured: a store asking for more gets its
    // answer reported at once instead of blocking the statement.
    long retry_after_max_ms = 10000;
    // No retry is started, and no backoff sleeps, past this point (the
    // statement's deadline derived from statement_timeout). Default: none.
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

// Counters for EXPLAIN ANALYZE and sync_run rows.
struct TransportStats {
    std::uint64_t requests = 0;        // attempts actually sent
    std::uint64_t bytes_received = 0;
    std::uint64_t retries = 0;
};

class HttpClient {
public:
    explicit HttpClient(TransportOptions options);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    void set_cancel_hook(CancelHook hook) noexcept { cancel_hook_ = hook; }
    void set_signer(std::shared_ptr<const RequestSigner> signer) { signer_ = std::move(signer); }
    const TransportOptions& options() const noexcept { return options_; }
    // Changes deadline (per statement) without dropping pooled connections.
    void set_deadline(std::chrono::steady_clock::time_point deadline) noexcept { options_.deadline = deadline; }

    HttpResponse perform(const HttpRequest& request);
    // Runs all requests with up to options().concurrency in flight; results in
    // the order of the input. On a transport error the other transfers are
    // aborted and the first error is thrown.
    std::vector<HttpResponse> perform_all(const std::vector<HttpRequest>& requests);
    // Runs `count` requests, made on demand by make(i), with up to
    // concurrency() in flight, and hands each answer to deliver(i, response)
    // in order, as soon as it and those before it are in. deliver runs while
    // the following requests are in flight (they were sent before it was
    // called): the caller's work on answer i overlaps the transfers of the
    // next ones, which the store answers meanwhile. deliver returns false to
    // stop (the rest is abandoned). deliver may call perform/perform_all on
    // this client (an HttpPipeline underneath: each settles its own).
    using MakeRequestFn = std::function<HttpRequest(std::size_t)>;
    using DeliverFn = std::function<bool(std::size_t, HttpResponse&&)>;
    void perform_stream(std::size_t count, const MakeRequestFn& make, const DeliverFn& deliver);

    const TransportStats& stats() const noexcept { return stats_; }
    void reset_stats() noexcept { stats_ = TransportStats{}; }

private:
    friend class HttpPipeline;
    // The multi handle (connection cache) for new transfers, renewed when
    // woocommerce.allowed_hosts changed.
    std::shared_ptr<CurlMulti> current_multi();

    struct Impl;
    std::unique_ptr<Impl> impl_;
    TransportOptions options_;
    CancelHook cancel_hook_ = nullptr;
    std::shared_ptr<const RequestSigner> signer_;
    TransportStats stats_;
};

// Full URL with query string, as it would be sent, with secret values
// (consumer_secret, oauth_signature, and any string in `secrets`) replaced
// by "********". Safe for EXPLAIN, errors and logs.
std::string redacted_url(const HttpRequest& request, const std::vector<std::string>& secrets = {});

// `text` with every occurrence of each non-empty string in `secrets`, raw or
// percent-encoded, replaced by "********". For messages that quote anything
// a request carried.
std::string redact_secrets(std::string text, const std::vector<std::string>& secrets);

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
